//! A reconciliation mark's words: what it is about, the note, reason or path typed
//! (or the guessed CSV columns to confirm), the sentence that says what Enter records,
//! and the keys; without the blank rows in a small window.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

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

/// Blank rows between the parts when there is room; in a small window (40x10) none, so
/// that the words and what Enter records still show whole instead of "too small".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spacing {
    Roomy,
    Compact,
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

/// Roomy: borders, blank, about…, blank, [label, field, blank,] sentence…, blank, keys,
/// blank. Compact: borders, about…, [label, field,] sentence…, keys.
fn rows(area: Rect, dialog: &ReconDialog, spacing: Spacing) -> u16 {
    let (about, sentence) = texts(area, dialog);
    let typed = dialog.label().is_some();
    let lines = match spacing {
        Spacing::Roomy => 1 + about.len() + 1 + if typed { 3 } else { 0 } + sentence.len() + 3,
        Spacing::Compact => about.len() + if typed { 2 } else { 0 } + sentence.len() + 1,
    };
    u16::try_from(2 + lines).unwrap_or(u16::MAX)
}

fn spacing(area: Rect, dialog: &ReconDialog) -> Spacing {
    if fit::fits(area, rows(area, dialog, Spacing::Roomy)) {
        Spacing::Roomy
    } else {
        Spacing::Compact
    }
}

/// The rows the dialog takes in `area`; more than any window when the sentence would be
/// cut (a path cut short does not say what Enter imports).
pub(super) fn height(area: Rect, dialog: &ReconDialog) -> u16 {
    if !fit::sentence_whole(dialog.confirmation(), fit::text_width(dialog_width(area))) {
        return u16::MAX;
    }
    rows(area, dialog, spacing(area, dialog))
}

/// Key hints: each key with the words after it.
type Keys<'a> = &'a [(&'a str, &'a str)];

/// The keys while editing, in fewer words when the long ones do not fit `width`.
fn keys(model: &Model, theme: &Theme, dialog: &ReconDialog, width: usize) -> Vec<Span<'static>> {
    let key = |action| model.keymap.modes.key_for(KeyMode::Dialog, action);
    let (send, close) = (key(ModeAction::Send), key(ModeAction::Close));
    let (long, short): (Keys, Keys) = if matches!(dialog.asking, Asking::Reload) {
        (
            &[(&send, " reads it again · "), (&close, " keeps this board")],
            &[(&send, " reload · "), (&close, " keep board")],
        )
    } else if dialog.confirmation().is_ok() {
        (
            &[(&send, " records it · "), (&close, " cancel")],
            &[(&send, " record · "), (&close, " cancel")],
        )
    } else {
        (&[(&close, " cancel")], &[(&close, " cancel")])
    };
    let wide: usize = long
        .iter()
        .map(|(k, w)| format::width(k) + format::width(w))
        .sum();
    frame::keys(theme, if wide <= width { long } else { short })
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, dialog: &ReconDialog) {
    let title = dialog.title();
    let height = height(area, dialog);
    if !fit::fits(area, height) {
        fit::draw_too_small(model, theme, frame, area, title);
        return;
    }
    let roomy = spacing(area, dialog) == Spacing::Roomy;
    let width = dialog_width(area);
    let outer = layout::centered(area, width, height);
    let mut body = if roomy {
        frame::Body::open(model, theme, frame, outer, title)
    } else {
        frame::Body::open_tight(model, theme, frame, outer, title)
    };
    let blank = |body: &mut frame::Body, frame: &mut Frame| {
        if roomy {
            body.line(frame, Line::raw(""));
        }
    };
    let (about, sentence) = texts(area, dialog);
    body.lines(frame, about, theme.text);
    blank(&mut body, frame);
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
        blank(&mut body, frame);
    }
    let ready = dialog.confirmation().is_ok();
    body.sentence(frame, theme, sentence, ready, &dialog.state);
    blank(&mut body, frame);
    let keys = keys(model, theme, dialog, fit::text_width(width));
    body.line(frame, Line::from(keys));
}
