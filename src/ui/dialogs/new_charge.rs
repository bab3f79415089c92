//! Charging a customer's saved card: who and which card, the amount, currency and
//! description (checked as they are typed), capture now or authorise only, the sentence
//! that says exactly what Enter does, and where the request stands. No card number is
//! ever typed here: the card is the one the gateway holds.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::dialogs::DialogState;
use crate::app::dialogs::new_charge::{ChargeField, NewChargeDialog};
use crate::app::layout;
use crate::app::model::Model;
use crate::ui::dialogs::fit;
use crate::ui::dialogs::frame;
use crate::ui::format;
use crate::ui::input_field;
use crate::ui::theme::Theme;

const LABEL: u16 = 13;
const AMOUNT: u16 = 18;
const CURRENCY: u16 = 6;
const DESCRIPTION: u16 = 40;

fn dialog_width(area: Rect) -> u16 {
    area.width.saturating_sub(4).min(72)
}

/// The sentence (or why there is none yet) and the state's words, wrapped to the width.
fn texts(area: Rect, dialog: &NewChargeDialog) -> (Vec<String>, Vec<String>) {
    let text_width = fit::text_width(dialog_width(area));
    let confirmation_lines = match &dialog.confirmation() {
        Ok(sentence) => format::wrap(sentence, text_width),
        Err(why) => format::wrap(why, text_width),
    };
    (confirmation_lines, fit::failure(&dialog.state, text_width))
}

/// Rows the dialog needs in `area` to show everything, the sentence included.
pub(super) fn height(area: Rect, dialog: &NewChargeDialog) -> u16 {
    if !fit::sentence_whole(dialog.confirmation(), fit::text_width(dialog_width(area))) {
        return u16::MAX;
    }
    let (confirmation_lines, state_lines) = texts(area, dialog);
    // blank, customer, card, blank, amount, check, currency, description, capture,
    // blank, sentence…, blank, state…, keys, blank
    let height = 2 + 13 + confirmation_lines.len() + state_lines.len();
    u16::try_from(height).unwrap_or(u16::MAX)
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, dialog: &NewChargeDialog) {
    let height = height(area, dialog);
    if !fit::fits(area, height) {
        fit::draw_too_small(model, theme, frame, area, "Charge a saved card");
        return;
    }
    let width = dialog_width(area);
    let text_width = fit::text_width(width);
    let confirmation = dialog.confirmation();
    let (confirmation_lines, state_lines) = texts(area, dialog);
    let outer = layout::centered(area, width, height);
    let mut body = frame::Body::open(model, theme, frame, outer, "Charge a saved card");
    let inner = body.inner;
    let editing = dialog.state == DialogState::Editing;
    let focused = |field: ChargeField| editing && dialog.field == field;
    let label = |text: &str, focused: bool| {
        let style = if focused { theme.title } else { theme.dim };
        Span::styled(format!("{text:<width$}", width = usize::from(LABEL)), style)
    };
    let note_width = text_width.saturating_sub(usize::from(LABEL));

    // Who, and which of their cards.
    body.line(
        frame,
        Line::from(vec![
            label("customer", false),
            Span::raw(format::truncate(&dialog.email, note_width)),
        ]),
    );
    body.line(
        frame,
        Line::from(vec![
            label("card", false),
            Span::raw(format::truncate(&dialog.card, note_width)),
        ]),
    );
    body.line(frame, Line::raw(""));

    // An input after its label.
    // Clipped to the inner area, so no field or placeholder draws over the frame.
    let input = |row: Rect, width: u16| {
        Rect {
            x: row.x + LABEL,
            width: width.min(row.width.saturating_sub(LABEL)),
            ..row
        }
        .intersection(inner)
    };

    // A labelled row with its input, `width` wide: the row and where the input went.
    let text_field = |body: &mut frame::Body,
                      frame: &mut Frame,
                      (name, which): (&str, ChargeField),
                      (value, width): (&tui_input::Input, u16),
                      placeholder: Option<(&str, ratatui::style::Style)>| {
        let row = body.line(frame, Line::from(label(name, focused(which))));
        let field = input(row, width);
        input_field::draw(
            frame,
            field,
            value,
            theme.input,
            placeholder,
            focused(which),
        );
        (row, field)
    };

    // The amount, in the currency typed below, and what is wrong with either.
    let (row, field) = text_field(
        &mut body,
        frame,
        ("amount", ChargeField::Amount),
        (&dialog.amount, AMOUNT),
        Some(("0.00", theme.dim)),
    );
    if let Ok(currency) = dialog.currency() {
        let code = Rect {
            x: field.x + field.width + 1,
            width: row.width.saturating_sub(LABEL + field.width + 1),
            ..row
        };
        frame.render_widget(
            Paragraph::new(Span::styled(currency.code(), theme.dim)),
            code,
        );
    }
    let pad = || Span::raw(" ".repeat(usize::from(LABEL)));
    // Said as soon as there is something to say about: an empty field waits its turn
    // in the sentence below.
    let check = match (dialog.currency(), dialog.amount()) {
        (Err(why), _) => Span::styled(format::truncate(&why, note_width), theme.error),
        (Ok(_), Err(why)) if !dialog.amount.value().trim().is_empty() => {
            Span::styled(format::truncate(&why, note_width), theme.error)
        }
        _ => Span::raw(""),
    };
    body.line(frame, Line::from(vec![pad(), check]));

    let currency = ("currency", ChargeField::Currency);
    text_field(
        &mut body,
        frame,
        currency,
        (&dialog.currency, CURRENCY),
        None,
    );
    let description = ("description", ChargeField::Description);
    let placeholder = Some(("what the customer sees", theme.dim));
    let value = (&dialog.description, DESCRIPTION);
    text_field(&mut body, frame, description, value, placeholder);

    // Capture now, or authorise only.
    let capture_focused = focused(ChargeField::Capture);
    let choice = |on: bool, text: &str| {
        let style = match (on, capture_focused) {
            (true, true) => theme.selected.add_modifier(Modifier::BOLD),
            (true, false) => theme.text.add_modifier(Modifier::BOLD),
            (false, _) => theme.dim,
        };
        Span::styled(format!("[{}] {text}", if on { "x" } else { " " }), style)
    };
    let mut capture = vec![
        label("capture", capture_focused),
        choice(dialog.capture, "capture now"),
        Span::raw("  "),
        choice(!dialog.capture, "authorise only"),
    ];
    if capture_focused {
        capture.push(Span::styled("  space", theme.key));
        capture.push(Span::styled(" toggles", theme.dim));
    }
    body.line(frame, Line::from(capture));
    body.line(frame, Line::raw(""));

    // Exactly what will happen, or the first thing missing.
    let ready = confirmation.is_ok();
    body.sentence(frame, theme, confirmation_lines, ready, &dialog.state);
    body.line(frame, Line::raw(""));

    // Where the request stands.
    let mut editing = Vec::new();
    if dialog.confirmation().is_ok() {
        editing.push(("enter", " confirm · "));
    }
    editing.extend([("esc", " cancel · "), ("tab", " next field")]);
    body.state(
        frame,
        theme,
        &dialog.state,
        frame::keys(theme, &editing),
        frame::sending(model, theme, ""),
        state_lines,
    );
}
