//! The confirmation for what cannot be undone on a customer: what will happen, in
//! bold; what the operator should know first; for deleting a customer, their email
//! typed out; and where the request stands.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::dialogs::DialogState;
use crate::app::dialogs::confirm::ConfirmDialog;
use crate::app::layout;
use crate::app::model::Model;
use crate::ui::dialogs::fit;
use crate::ui::dialogs::frame;
use crate::ui::format;
use crate::ui::input_field;
use crate::ui::theme::Theme;

const INPUT: u16 = 40;

fn dialog_width(area: Rect) -> u16 {
    area.width.saturating_sub(4).min(68)
}

/// The sentence, the warning and the gateway's refusal, wrapped to the dialog's width.
fn texts(area: Rect, dialog: &ConfirmDialog) -> (Vec<String>, Vec<String>, Vec<String>) {
    let text_width = fit::text_width(dialog_width(area));
    let sentence = format::wrap(&dialog.sentence, text_width);
    let warning = dialog
        .warning
        .as_deref()
        .map(|w| format::wrap(w, text_width))
        .unwrap_or_default();
    (sentence, warning, fit::failure(&dialog.state, text_width))
}

/// Rows the dialog needs in `area` to show everything, the sentence included.
pub(super) fn height(area: Rect, dialog: &ConfirmDialog) -> u16 {
    let text_width = fit::text_width(dialog_width(area));
    if !fit::whole(&dialog.sentence, text_width) {
        return u16::MAX;
    }
    let (sentence, warning, failed) = texts(area, dialog);
    let typing = dialog.type_to_confirm.is_some();
    // blank, sentence…, [blank, warning…], [blank, prompt, input, check], blank,
    // [failure…], keys, blank
    let height = 2
        + 1
        + sentence.len()
        + if warning.is_empty() {
            0
        } else {
            1 + warning.len()
        }
        + if typing { 4 } else { 0 }
        + 1
        + failed.len()
        + 1
        + 1;
    u16::try_from(height).unwrap_or(u16::MAX)
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, dialog: &ConfirmDialog) {
    let height = height(area, dialog);
    if !fit::fits(area, height) {
        fit::draw_too_small(model, theme, frame, area, &dialog.title);
        return;
    }
    let width = dialog_width(area);
    let (sentence, warning, failed) = texts(area, dialog);
    let outer = layout::centered(area, width, height);
    let mut body = frame::Body::open(model, theme, frame, outer, &dialog.title);
    let inner = body.inner;

    // Exactly what will happen: bold while it is what Enter does, dim once refused.
    body.sentence(frame, theme, sentence, true, &dialog.state);
    if !warning.is_empty() {
        body.line(frame, Line::raw(""));
        body.lines(frame, warning, theme.warn);
    }

    // The email, typed out.
    if let Some(expected) = &dialog.type_to_confirm {
        body.line(frame, Line::raw(""));
        body.line(
            frame,
            Line::styled("type the customer's email to confirm:", theme.text),
        );
        let row = body.line(frame, Line::raw(""));
        let field = Rect {
            width: INPUT.min(row.width),
            ..row
        }
        .intersection(inner);
        let editing = dialog.state == DialogState::Editing;
        input_field::draw(
            frame,
            field,
            &dialog.input,
            theme.input,
            Some((expected.as_str(), theme.dim)),
            editing,
        );
        let typed = dialog.input.value().trim();
        let check = if typed == expected {
            Span::styled("✓ matches", theme.success)
        } else if typed.is_empty() {
            Span::styled(format!("type {expected} exactly"), theme.dim)
        } else if expected.starts_with(typed) {
            Span::styled("keep typing…", theme.dim)
        } else {
            Span::styled("✗ does not match the customer's email", theme.error)
        };
        body.line(frame, Line::from(check));
    }
    body.line(frame, Line::raw(""));

    // Where the request stands.
    let editing: &[(&str, &str)] = if dialog.ready() {
        &[("enter", " confirm · "), ("esc", " cancel")]
    } else {
        &[("esc", " cancel")]
    };
    body.state(
        frame,
        theme,
        &dialog.state,
        frame::keys(theme, editing),
        frame::sending(model, theme, ""),
        failed,
    );
}
