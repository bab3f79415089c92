//! Submitting text evidence for a dispute: the dispute, the evidence as it is typed, the
//! sentence that says what Enter does, and where the request stands.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::safe_text::clean;
use super::theme::Theme;
use super::{dialog_frame, format, input_field, layout};
use crate::app::dialog::DialogState;
use crate::app::evidence::EvidenceDialog;
use crate::app::model::Model;

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, dialog: &EvidenceDialog) {
    let width = area.width.saturating_sub(4).min(76);
    let text_width = usize::from(width.saturating_sub(6)).max(1);
    let sentence = match dialog.confirmation() {
        Ok(text) => format::wrap(&text, text_width),
        Err(why) => vec![why],
    };
    let failed = match &dialog.state {
        DialogState::Failed(words) => format::wrap(words, text_width),
        _ => Vec::new(),
    };
    // blank, dispute, blank, label, input, blank, sentence…, blank, failure…, keys, blank
    let height = 2 + 8 + sentence.len() + failed.len();
    let outer = layout::centered(area, width, u16::try_from(height).unwrap_or(u16::MAX));
    let inner = dialog_frame::draw(model, theme, frame, outer, "Submit dispute evidence");
    let mut y = inner.y + 1;
    let mut line = |frame: &mut Frame, content: Line| -> Rect {
        let row = Rect {
            y,
            height: 1,
            ..inner
        };
        if y < inner.y + inner.height {
            frame.render_widget(Paragraph::new(content), row);
        }
        y += 1;
        row
    };
    line(
        frame,
        Line::from(vec![
            Span::styled(format!("{} ", clean(&dialog.dispute_id)), theme.dim),
            Span::raw(format!(
                "{} {} on {}",
                clean(&dialog.reason),
                dialog.amount,
                clean(&dialog.charge_id)
            )),
        ]),
    );
    line(frame, Line::raw(""));
    line(frame, Line::styled("evidence", theme.title));
    let row = line(frame, Line::raw(""));
    let editing = dialog.state == DialogState::Editing;
    let hint = Some((
        "what was sold, when, and why the charge is right",
        theme.dim,
    ));
    input_field::draw(frame, row, &dialog.input, theme.input, hint, editing);
    line(frame, Line::raw(""));
    let ready = dialog.confirmation().is_ok();
    let style = if ready && !matches!(dialog.state, DialogState::Failed(_)) {
        theme.text.add_modifier(Modifier::BOLD)
    } else {
        theme.dim
    };
    for text in sentence {
        line(frame, Line::styled(text, style));
    }
    line(frame, Line::raw(""));
    for text in failed {
        line(frame, Line::styled(text, theme.error));
    }
    let key = |k: &str| Span::styled(k.to_string(), theme.key);
    let words = |w: &str| Span::styled(w.to_string(), theme.dim);
    let keys = match &dialog.state {
        DialogState::Editing if ready => vec![
            key("enter"),
            words(" submit · "),
            key("esc"),
            words(" cancel"),
        ],
        DialogState::Editing => vec![key("esc"), words(" cancel")],
        DialogState::Working => vec![Span::styled(
            format!("{} sending…", format::spinner(model.spinner)),
            theme.accent,
        )],
        DialogState::Failed(_) => vec![key("esc"), words(" close")],
    };
    line(frame, Line::from(keys));
}
