//! The frame every dialog shares: cleared, rounded, titled, red with a LIVE badge when
//! the profile is live, and an inner area with room at the sides; and the body every
//! dialog writes in it, row after row, ending with where its request stands.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

use crate::app::Model;
use crate::app::dialogs::DialogState;
use crate::ui::format;
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

/// A dialog's content, written one row under another inside its frame.
pub struct Body {
    /// The area inside the frame.
    pub inner: Rect,
    /// The next row to write.
    y: u16,
}

impl Body {
    /// Draws the frame over `outer`; the content starts a blank row below its top.
    pub fn open(model: &Model, theme: &Theme, frame: &mut Frame, outer: Rect, title: &str) -> Body {
        let inner = draw(model, theme, frame, outer, title);
        Body {
            inner,
            y: inner.y + 1,
        }
    }

    /// As `open`, with the content on the frame's first row: a dialog in a small window
    /// that has no row to spare.
    pub fn open_tight(
        model: &Model,
        theme: &Theme,
        frame: &mut Frame,
        outer: Rect,
        title: &str,
    ) -> Body {
        let inner = draw(model, theme, frame, outer, title);
        Body { inner, y: inner.y }
    }

    /// Writes `content` on the next row (nothing past the frame) and returns that row.
    pub fn line(&mut self, frame: &mut Frame, content: Line) -> Rect {
        let row = Rect {
            y: self.y,
            height: 1,
            ..self.inner
        };
        if self.y < self.inner.y + self.inner.height {
            frame.render_widget(Paragraph::new(content), row);
        }
        self.y += 1;
        row
    }

    /// Each of `texts` on a row of its own, in `style`.
    pub fn lines(&mut self, frame: &mut Frame, texts: Vec<String>, style: Style) {
        for text in texts {
            self.line(frame, Line::styled(text, style));
        }
    }

    /// Exactly what confirming will do: bold while it is (`ready`), dim while it is why
    /// not yet, or once the gateway has refused it.
    pub fn sentence(
        &mut self,
        frame: &mut Frame,
        theme: &Theme,
        texts: Vec<String>,
        ready: bool,
        state: &DialogState,
    ) {
        let style = if ready && !matches!(state, DialogState::Failed(_)) {
            theme.text.add_modifier(Modifier::BOLD)
        } else {
            theme.dim
        };
        self.lines(frame, texts, style);
    }

    /// The last rows, by where the request stands: the keys while editing, a spinner
    /// while it is out, why it failed and the key that closes once it has.
    pub fn state(
        &mut self,
        frame: &mut Frame,
        theme: &Theme,
        state: &DialogState,
        editing: Vec<Span<'static>>,
        working: Vec<Span<'static>>,
        failed: Vec<String>,
    ) {
        match state {
            DialogState::Editing => {
                self.line(frame, Line::from(editing));
            }
            DialogState::Working => {
                self.line(frame, Line::from(working));
            }
            DialogState::Failed(_) => {
                self.lines(frame, failed, theme.error);
                self.line(frame, Line::from(keys(theme, &[("esc", " close")])));
            }
        }
    }
}

/// Keys and what they do, as a dialog's last row shows them: `enter confirm · esc cancel`.
pub fn keys(theme: &Theme, pairs: &[(&str, &str)]) -> Vec<Span<'static>> {
    pairs
        .iter()
        .flat_map(|(key, words)| {
            [
                Span::styled(key.to_string(), theme.key),
                Span::styled(words.to_string(), theme.dim),
            ]
        })
        .collect()
}

/// The spinner while a request is out, and that nothing else can be sent meanwhile.
pub fn sending(model: &Model, theme: &Theme, waited: &str) -> Vec<Span<'static>> {
    vec![
        Span::styled(
            format!("{} sending…{waited}", format::spinner(model.spinner)),
            theme.accent,
        ),
        Span::styled(" (nothing else can be sent from here)", theme.dim),
    ]
}
