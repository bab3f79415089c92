//! The frame every dialog shares: cleared, rounded, titled, red with a LIVE badge when
//! the profile is live, and an inner area with room at the sides.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear};

use crate::app::Model;
use crate::ui::theme::Theme;

/// Draws the frame over `outer` and returns the area inside it for the content.
pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, outer: Rect, title: &str) -> Rect {
    frame.render_widget(Clear, outer);
    let live = model.session.live;
    let mut spans = vec![Span::styled(format!(" {title} "), theme.title)];
    if live {
        spans.push(Span::styled(" LIVE ", theme.live));
        spans.push(Span::raw(" "));
    }
    let block = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(if live {
            theme.error
        } else {
            theme.border_focus
        })
        .title(Line::from(spans));
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    Rect {
        x: inner.x + 2,
        width: inner.width.saturating_sub(4),
        ..inner
    }
}
