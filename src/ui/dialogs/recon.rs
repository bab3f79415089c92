//! A reconciliation mark's words: what it is about, the note, reason or path typed
//! (or the guessed CSV columns to confirm), the sentence that says what Enter records,
//! and the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::app::dialogs::DialogState;
use crate::app::dialogs::recon::{Asking, ReconDialog};
use crate::app::layout;
use crate::app::mode_keys::{KeyMode, ModeAction};
use crate::app::model::Model;
use crate::ui::dialogs::{fit, frame};
use crate::ui::format;
use crate::ui::input_field;
use crate::ui::safe_text::clean;
use crate::ui::theme::Theme;

fn dialog_width(area: Rect) -> u16 {
    area.width.saturating_sub(4).min(84)
}

/// What it is about and the sentence (or why there is none yet), wrapped.
fn texts(area: Rect, dialog: &ReconDialog) -> (Vec<String>, Vec<String>) {
    let width = fit::text_width(dialog_width(area));
    let about = dialog
        .about()
        .iter()
        .flat_map(|l| format::wrap(&clean(l), width))
        .collect();
    let sentence = match dialog.confirmation() {
        Ok(text) => format::wrap(&clean(&text), width),
        Err(why) => vec![why],
    };
    (about, sentence)
}

/// borders, blank, about…, blank, [label, field, blank,] sentence…, blank, keys, blank
pub(super) fn height(area: Rect, dialog: &ReconDialog) -> u16 {
    let (about, sentence) = texts(area, dialog);
    let field = if dialog.label().is_some() { 3 } else { 0 };
    u16::try_from(2 + 1 + about.len() + 1 + field + sentence.len() + 3).unwrap_or(u16::MAX)
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, dialog: &ReconDialog) {
    let title = dialog.title();
    let height = height(area, dialog);
    if !fit::fits(area, height) {
        fit::draw_too_small(model, theme, frame, area, title);
        return;
    }
    let outer = layout::centered(area, dialog_width(area), height);
    let mut body = frame::Body::open(model, theme, frame, outer, title);
    let (about, sentence) = texts(area, dialog);
    body.lines(frame, about, theme.text);
    body.line(frame, Line::raw(""));
    if let Some(label) = dialog.label() {
        body.line(frame, Line::styled(label, theme.title));
        let row = body.line(frame, Line::raw(""));
        input_field::draw(
            frame,
            row.intersection(body.inner),
            &dialog.input,
            theme.input,
            None,
            dialog.state == DialogState::Editing,
        );
        body.line(frame, Line::raw(""));
    }
    let ready = dialog.confirmation().is_ok();
    body.sentence(frame, theme, sentence, ready, &dialog.state);
    body.line(frame, Line::raw(""));
    let key = |action| model.keymap.modes.key_for(KeyMode::Dialog, action);
    let (send, close) = (key(ModeAction::Send), key(ModeAction::Close));
    let keys = if matches!(dialog.asking, Asking::Reload) {
        frame::keys(
            theme,
            &[(&send, " reads it again · "), (&close, " keeps this board")],
        )
    } else if ready {
        frame::keys(theme, &[(&send, " records it · "), (&close, " cancel")])
    } else {
        frame::keys(theme, &[(&close, " cancel")])
    };
    body.line(frame, Line::from(keys));
}
