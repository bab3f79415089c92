//! The capture / void / refund dialog: the charge, the amount (checked as it is typed),
//! for refunds a reason, the sentence that says exactly what confirming does, and where
//! the request stands.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::dialogs::DialogState;
use crate::app::dialogs::action::{ActionDialog, Field};
use crate::app::layout;
use crate::app::model::Model;
use crate::domain::Action;
use crate::ui::dialogs::fit;
use crate::ui::dialogs::frame;
use crate::ui::format;
use crate::ui::input_field;
use crate::ui::theme::Theme;

const LABEL: u16 = 12;
const INPUT: u16 = 22;

/// The sentence that says what Enter does and the state's words, wrapped to the width
/// the dialog has in `area`.
fn texts(area: Rect, dialog: &ActionDialog) -> (Vec<String>, Vec<String>) {
    let text_width = usize::from(dialog_width(area).saturating_sub(6));
    let confirmation_lines = match &dialog.confirmation() {
        Ok(sentence) => format::wrap(sentence, text_width),
        Err(_) => vec!["fix the amount to go on".to_string()],
    };
    (confirmation_lines, fit::failure(&dialog.state, text_width))
}

fn dialog_width(area: Rect) -> u16 {
    area.width.saturating_sub(4).min(72)
}

/// Rows the dialog needs in `area` to show everything, the sentence included.
pub(super) fn height(area: Rect, dialog: &ActionDialog) -> u16 {
    let text_width = usize::from(dialog_width(area).saturating_sub(6));
    if let Ok(sentence) = dialog.confirmation()
        && !fit::whole(&sentence, text_width)
    {
        return u16::MAX;
    }
    let (confirmation_lines, state_lines) = texts(area, dialog);
    let refund = dialog.action == Action::Refund;
    // blank, charge, card, limit, blank, amount, check, [reason], blank, sentence…, blank,
    // state…, keys
    let lines = 10 + usize::from(refund) + confirmation_lines.len() + state_lines.len();
    u16::try_from(lines).unwrap_or(u16::MAX).saturating_add(2)
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, dialog: &ActionDialog) {
    let height = height(area, dialog);
    if !fit::fits(area, height) {
        fit::draw_too_small(model, theme, frame, area, &dialog.title());
        return;
    }
    let width = dialog_width(area);
    let text_width = usize::from(width.saturating_sub(6));
    let confirmation = dialog.confirmation();
    let (confirmation_lines, state_lines) = texts(area, dialog);
    let refund = dialog.action == Action::Refund;
    let outer = layout::centered(area, width, height);
    let mut body = frame::Body::open(model, theme, frame, outer, &dialog.title());
    let inner = body.inner;
    let label = |text: &str, focused: bool| {
        let style = if focused { theme.title } else { theme.dim };
        Span::styled(format!("{text:<width$}", width = usize::from(LABEL)), style)
    };

    // The charge, as the operator will recognise it.
    let charge = model.find_charge(&dialog.charge_id);
    let mut about = vec![label("charge", false), Span::raw(dialog.charge_id.clone())];
    let mut who = vec![label("", false)];
    if let Some(charge) = charge {
        about.push(Span::raw("  "));
        about.push(Span::styled(
            charge.status.label(),
            theme.status(charge.status),
        ));
        if let Some(card) = &charge.card {
            who.push(Span::styled(format::card_short(card), theme.dim));
            who.push(Span::raw("  "));
        }
        if let Some(email) = &charge.email {
            who.push(Span::styled(
                format::truncate(email, text_width.saturating_sub(28)),
                theme.dim,
            ));
        }
    }
    body.line(frame, Line::from(about));
    body.line(frame, Line::from(who));
    let limit = match dialog.action {
        Action::Refund => vec![
            label("refundable", false),
            Span::raw(dialog.limit.to_string()),
            Span::styled(format!(" of {}", dialog.charge_amount), theme.dim),
        ],
        Action::Capture | Action::Void => vec![
            label("authorised", false),
            Span::raw(dialog.limit.to_string()),
        ],
    };
    body.line(frame, Line::from(limit));
    body.line(frame, Line::raw(""));

    // The amount, and what is wrong with it or why it is fixed.
    let editing = dialog.state == DialogState::Editing;
    let amount_focused = dialog.field == Field::Amount && editing;
    let amount = dialog.amount();
    let pad = Span::raw(" ".repeat(usize::from(LABEL)));
    let note_width = text_width.saturating_sub(usize::from(LABEL));
    if dialog.amount_editable {
        let row = body.line(frame, Line::from(label("amount", amount_focused)));
        let field = Rect {
            x: row.x + LABEL,
            width: INPUT.min(row.width.saturating_sub(LABEL)),
            ..row
        }
        .intersection(inner);
        input_field::draw(
            frame,
            field,
            &dialog.amount,
            theme.input,
            None,
            amount_focused,
        );
        let code = Rect {
            x: field.x + field.width + 1,
            width: row.width.saturating_sub(LABEL + field.width + 1),
            ..row
        }
        .intersection(inner);
        frame.render_widget(
            Paragraph::new(Span::styled(dialog.limit.currency.code(), theme.dim)),
            code,
        );
        let check = match &amount {
            Err(why) => Span::styled(format::truncate(why, note_width), theme.error),
            Ok(_) => Span::raw(""),
        };
        body.line(frame, Line::from(vec![pad, check]));
    } else {
        let note = match dialog.action {
            Action::Capture => {
                format!("{} captures the whole authorisation", model.session.gateway)
            }
            Action::Refund => format!("{} refunds only the whole amount", model.session.gateway),
            Action::Void => "the whole authorisation is released".to_string(),
        };
        body.line(
            frame,
            Line::from(vec![
                label("amount", false),
                Span::styled(dialog.limit.to_string(), theme.title),
            ]),
        );
        body.line(
            frame,
            Line::from(vec![
                pad,
                Span::styled(format::truncate(&note, note_width), theme.dim),
            ]),
        );
    }

    // The reason, for refunds.
    if refund {
        let focused = dialog.field == Field::Reason && editing;
        let row = body.line(frame, Line::from(label("reason", focused)));
        let field = Rect {
            x: row.x + LABEL,
            width: (INPUT + 12).min(row.width.saturating_sub(LABEL)),
            ..row
        }
        .intersection(inner);
        input_field::draw(
            frame,
            field,
            &dialog.reason,
            theme.input,
            Some((
                if dialog.reason_not_stored_by.is_some() {
                    "optional; for the audit log only"
                } else {
                    "optional"
                },
                theme.dim,
            )),
            focused,
        );
    }
    body.line(frame, Line::raw(""));

    // Exactly what will happen.
    // Bold while it is what confirming will do; dimmed once the gateway has said no.
    let ready = confirmation.is_ok();
    body.sentence(frame, theme, confirmation_lines, ready, &dialog.state);
    body.line(frame, Line::raw(""));

    // Where the request stands.
    let mut editing = vec![("enter", " confirm · "), ("esc", " cancel")];
    if refund {
        editing.extend([("", " · "), ("tab", " next field")]);
    }
    let waited = format::waited(model.sent_at, model.now);
    body.state(
        frame,
        theme,
        &dialog.state,
        frame::keys(theme, &editing),
        frame::sending(model, theme, &waited),
        state_lines,
    );
}
