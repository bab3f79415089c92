//! Submitting text evidence for a dispute: the dispute, the evidence as it is typed (soft
//! wrapped, scrolled to keep the cursor in view), the sentence that says what ctrl-s
//! sends, and where the request stands.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use crate::app::dialogs::DialogState;
use crate::app::dialogs::evidence::EvidenceDialog;
use crate::app::layout;
use crate::app::mode_keys::{KeyMode, ModeAction};
use crate::app::model::Model;
use crate::ui::dialogs::fit;
use crate::ui::dialogs::frame;
use crate::ui::format;
use crate::ui::safe_text::clean;
use crate::ui::theme::Theme;

/// Rows of the editor when the screen has room; fewer on a small one, at least one.
const MAX_EDITOR_ROWS: usize = 8;

fn dialog_width(area: Rect) -> u16 {
    area.width.saturating_sub(4).min(76)
}

/// The sentence (or why there is none yet) and the refusal, wrapped to the width.
fn texts(area: Rect, dialog: &EvidenceDialog) -> (Vec<String>, Vec<String>) {
    let text_width = fit::text_width(dialog_width(area));
    let sentence = match dialog.confirmation() {
        Ok(text) => format::wrap(&text, text_width),
        Err(why) => vec![why],
    };
    (sentence, fit::failure(&dialog.state, text_width))
}

/// Rows the dialog needs in `area` to show everything with one editor row, the
/// sentence included.
pub(super) fn height(area: Rect, dialog: &EvidenceDialog) -> u16 {
    if !fit::sentence_whole(dialog.confirmation(), fit::text_width(dialog_width(area))) {
        return u16::MAX;
    }
    let (sentence, failed) = texts(area, dialog);
    u16::try_from(fixed_rows(&sentence, &failed)).unwrap_or(u16::MAX)
}

/// borders, blank, dispute, blank, label, one editor row, blank, sentence…, blank,
/// failure…, keys, blank
fn fixed_rows(sentence: &[String], failed: &[String]) -> usize {
    2 + 8 + sentence.len() + failed.len()
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, dialog: &EvidenceDialog) {
    const TITLE: &str = "Submit dispute evidence";
    if !fit::fits(area, height(area, dialog)) {
        fit::draw_too_small(model, theme, frame, area, TITLE);
        return;
    }
    let width = dialog_width(area);
    let (sentence, failed) = texts(area, dialog);
    let fixed = fixed_rows(&sentence, &failed);
    let spare = usize::from(area.height).saturating_sub(fixed);
    let editor_rows = spare.clamp(0, MAX_EDITOR_ROWS - 1) + 1;
    let height = fixed - 1 + editor_rows;
    let outer = layout::centered(area, width, u16::try_from(height).unwrap_or(u16::MAX));
    let mut body = frame::Body::open(model, theme, frame, outer, TITLE);
    let inner = body.inner;
    body.line(
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
    body.line(frame, Line::raw(""));
    let editing = dialog.state == DialogState::Editing;
    let wrapped = dialog.input.wrapped(usize::from(inner.width).max(1));
    // The top row shown: the cursor stays on the editor's last row as it goes past it.
    let top = (wrapped.cursor_row + 1).saturating_sub(editor_rows);
    let shown = wrapped.rows.len().min(top + editor_rows);
    let mut label = vec![
        Span::styled("evidence", theme.title),
        Span::styled(
            format!(
                "  {} of {} characters",
                dialog.input.len_chars(),
                dialog.input.max_chars()
            ),
            theme.dim,
        ),
    ];
    if wrapped.rows.len() > editor_rows {
        label.push(Span::styled(
            format!(" · rows {}–{shown} of {}", top + 1, wrapped.rows.len()),
            theme.dim,
        ));
    }
    body.line(frame, Line::from(label));
    let mut editor_top = None;
    for n in 0..editor_rows {
        let content = match wrapped.rows.get(top + n) {
            Some(text) if dialog.input.len_chars() > 0 => {
                Line::styled(clean(text).into_owned(), theme.input)
            }
            // A hint stands two cells clear of the cursor, so neither hides the other.
            _ if n == 0 && dialog.input.len_chars() == 0 => Line::from(vec![
                Span::styled("  ", theme.input),
                Span::styled(
                    "what was sold, when, and why the charge is right",
                    theme.dim,
                ),
            ]),
            _ => Line::raw(""),
        };
        let row = body.line(frame, content);
        editor_top.get_or_insert(row.y);
        frame
            .buffer_mut()
            .set_style(row.intersection(inner), theme.input);
    }
    if let (true, Some(editor_top)) = (editing, editor_top) {
        let at_row = wrapped.cursor_row - top;
        let x = inner.x + u16::try_from(wrapped.cursor_col).unwrap_or(u16::MAX);
        let y = editor_top + u16::try_from(at_row).unwrap_or(u16::MAX);
        if x < inner.x + inner.width && y < inner.y + inner.height {
            frame.set_cursor_position(Position::new(x, y));
        }
    }
    body.line(frame, Line::raw(""));
    let ready = dialog.confirmation().is_ok();
    body.sentence(frame, theme, sentence, ready, &dialog.state);
    body.line(frame, Line::raw(""));
    body.lines(frame, failed, theme.error);
    let mode_key = |action| model.keymap.modes.key_for(KeyMode::Evidence, action);
    let (send, close) = (mode_key(ModeAction::Send), mode_key(ModeAction::Close));
    let keys = match &dialog.state {
        DialogState::Editing if ready => frame::keys(
            theme,
            &[
                (&send, " sends it · "),
                ("enter", " new line · "),
                (&close, " cancel"),
            ],
        ),
        DialogState::Editing => {
            frame::keys(theme, &[("enter", " new line · "), (&close, " cancel")])
        }
        DialogState::Working => vec![Span::styled(
            format!("{} sending…", format::spinner(model.spinner)),
            theme.accent,
        )],
        DialogState::Failed(_) => frame::keys(theme, &[(&close, " close")]),
    };
    body.line(frame, Line::from(keys));
}
