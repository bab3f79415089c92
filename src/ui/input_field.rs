//! One line of `tui_input::Input`, scrolled so the cursor stays in view, with the
//! terminal cursor placed on it when it has the keyboard.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::Input;

/// Draws `input` into `area`. An empty input shows `placeholder` in `placeholder_style`.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    input: &Input,
    style: Style,
    placeholder: Option<(&str, Style)>,
    focused: bool,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let width = usize::from(area.width.saturating_sub(1)).max(1);
    let scroll = input.visual_scroll(width);
    // A placeholder stands two cells clear of the cursor, so neither hides the other.
    let line = match placeholder {
        Some((hint, hint_style)) if input.value().is_empty() => Line::from(vec![
            Span::styled("  ", style),
            Span::styled(hint, hint_style),
        ]),
        _ => Line::from(Span::styled(input.value(), style)),
    };
    let scroll_x = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(line).style(style).scroll((0, scroll_x)),
        area,
    );
    if focused {
        let cursor = input.visual_cursor().saturating_sub(scroll);
        let x = area.x
            + u16::try_from(cursor)
                .unwrap_or(u16::MAX)
                .min(area.width - 1);
        frame.set_cursor_position(Position::new(x, area.y));
    }
}
