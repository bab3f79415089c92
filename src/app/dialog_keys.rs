//! Keys in the dialogs: capture / void / refund, the confirmations for customers, and
//! charging a saved card. Enter sends only what the dialog says it will, once.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::backend::crossterm::EventHandler;

use super::dialog::{DialogState, Field};
use super::effect::Effect;
use super::model::{Mode, Model, ToastKind};
use super::new_charge::ChargeField;
use super::update::screen_rect;
use crate::domain::Action;
use crate::ui::{dialog_fit, layout};

/// Keys every dialog answers alike: Esc closes it (what was already sent keeps going and
/// its result arrives as a toast), nothing else is taken while the gateway works, Enter
/// closes it once the gateway has refused, and the key that sends (Enter; ctrl-s for
/// evidence) sends nothing while the window is too small to show what it would send. True when the key was one of those.
fn answered_alike(model: &mut Model, key: &KeyEvent) -> bool {
    let state = match &model.mode {
        Mode::Dialog(d) => &d.state,
        Mode::Confirm(d) => &d.state,
        Mode::NewCharge(d) => &d.state,
        Mode::Evidence(d) => &d.state,
        _ => return false,
    };
    let failed = matches!(state, DialogState::Failed(_));
    let working = *state == DialogState::Working;
    if key.code == KeyCode::Esc || (key.code == KeyCode::Enter && failed) {
        model.mode = Mode::Normal;
        return true;
    }
    // Evidence takes Enter as a new line and sends with ctrl-s.
    let sends = match &model.mode {
        Mode::Evidence(_) => {
            key.code == KeyCode::Char('s') && key.modifiers.contains(KeyModifiers::CONTROL)
        }
        _ => key.code == KeyCode::Enter,
    };
    if sends && !working && !dialog_fits(model) {
        model.toast(
            ToastKind::Error,
            format!("Nothing sent. {}", dialog_fit::TOO_SMALL),
        );
        return true;
    }
    working
}

/// The same question the view asks before it draws the dialog, on the same area.
fn dialog_fits(model: &Model) -> bool {
    let area = layout::overlay_area(&layout::regions(screen_rect(model), model));
    dialog_fit::open_dialog_fits(model, area)
}

pub(super) fn on_action_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    model.touch();
    if answered_alike(model, &key) {
        return Vec::new();
    }
    let Mode::Dialog(dialog) = &mut model.mode else {
        return Vec::new();
    };
    match (key.code, &dialog.state) {
        (KeyCode::Enter, DialogState::Editing) => confirm(model),
        (KeyCode::Tab | KeyCode::BackTab, _) => {
            if dialog.action == Action::Refund {
                dialog.field = match dialog.field {
                    Field::Amount => Field::Reason,
                    Field::Reason => Field::Amount,
                };
            }
            Vec::new()
        }
        _ => {
            dialog.state = DialogState::Editing;
            let event = Event::Key(key);
            match dialog.field {
                Field::Amount if dialog.amount_editable => {
                    dialog.amount.handle_event(&event);
                }
                Field::Reason => {
                    dialog.reason.handle_event(&event);
                }
                Field::Amount => {}
            }
            Vec::new()
        }
    }
}

/// Enter on a valid dialog: the operator has read what will happen and confirms it.
fn confirm(model: &mut Model) -> Vec<Effect> {
    let Mode::Dialog(dialog) = &mut model.mode else {
        return Vec::new();
    };
    let Ok(amount) = dialog.amount() else {
        return Vec::new(); // the dialog already says why
    };
    let key = model.key_mint.next_key();
    let charge_id = dialog.charge_id.clone();
    let effect = match dialog.action {
        Action::Capture => Effect::Capture {
            key,
            charge_id: charge_id.clone(),
            amount,
        },
        Action::Void => Effect::Void {
            key,
            charge_id: charge_id.clone(),
            amount,
            partial: amount != dialog.limit,
        },
        Action::Refund => Effect::Refund {
            key,
            charge_id: charge_id.clone(),
            amount,
            reason: dialog.reason(),
        },
    };
    dialog.state = DialogState::Working;
    model.busy.insert(charge_id, dialog.action.name());
    model.sent_at = Some(model.now);
    vec![effect]
}

pub(super) fn on_confirm_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    model.touch();
    if answered_alike(model, &key) {
        return Vec::new();
    }
    let Mode::Confirm(dialog) = &mut model.mode else {
        return Vec::new();
    };
    match (key.code, &dialog.state) {
        (KeyCode::Enter, _) if dialog.ready() => {
            dialog.state = DialogState::Working;
            let action = dialog.action.clone();
            model
                .busy
                .insert(action.target().to_string(), action.name());
            model.sent_at = Some(model.now);
            vec![Effect::Confirmed {
                key: model.key_mint.next_key(),
                action,
            }]
        }
        (KeyCode::Enter, _) => Vec::new(),
        _ => {
            if dialog.type_to_confirm.is_some() {
                dialog.input.handle_event(&Event::Key(key));
                dialog.state = DialogState::Editing;
            }
            Vec::new()
        }
    }
}

pub(super) fn on_new_charge_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    model.touch();
    if answered_alike(model, &key) {
        return Vec::new();
    }
    let Mode::NewCharge(dialog) = &mut model.mode else {
        return Vec::new();
    };
    match (key.code, &dialog.state) {
        (KeyCode::Enter, _) => {
            let (Ok(amount), Ok(description)) = (dialog.amount(), dialog.description()) else {
                return Vec::new(); // the dialog already says why
            };
            dialog.state = DialogState::Working;
            let customer_id = dialog.customer_id.clone();
            let effect = Effect::ChargeCustomer {
                key: model.key_mint.next_key(),
                customer_id: customer_id.clone(),
                email: dialog.email.clone(),
                amount,
                description,
                capture: dialog.capture,
            };
            model.busy.insert(customer_id, "charge");
            model.sent_at = Some(model.now);
            vec![effect]
        }
        (KeyCode::Tab, _) => {
            dialog.field = dialog.field.next();
            Vec::new()
        }
        (KeyCode::BackTab, _) => {
            for _ in 0..3 {
                dialog.field = dialog.field.next();
            }
            Vec::new()
        }
        (KeyCode::Char(' '), _) if dialog.field == ChargeField::Capture => {
            dialog.capture = !dialog.capture;
            Vec::new()
        }
        _ => {
            dialog.state = DialogState::Editing;
            let event = Event::Key(key);
            match dialog.field {
                ChargeField::Amount => dialog.amount.handle_event(&event),
                ChargeField::Currency => dialog.currency.handle_event(&event),
                ChargeField::Description => dialog.description.handle_event(&event),
                ChargeField::Capture => None,
            };
            Vec::new()
        }
    }
}

pub(super) fn on_evidence_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    model.touch();
    if answered_alike(model, &key) {
        return Vec::new();
    }
    let Mode::Evidence(dialog) = &mut model.mode else {
        return Vec::new();
    };
    // Enter is a new line in evidence, so ctrl-s sends it.
    let send = key.code == KeyCode::Char('s') && key.modifiers.contains(KeyModifiers::CONTROL);
    if !send {
        if dialog.input.handle_key(&key) {
            dialog.state = DialogState::Editing;
        }
        return Vec::new();
    }
    let Ok(text) = dialog.text() else {
        return Vec::new(); // the dialog already says why
    };
    dialog.state = DialogState::Working;
    let dispute_id = dialog.dispute_id.clone();
    model.busy.insert(dispute_id.clone(), "response");
    model.sent_at = Some(model.now);
    vec![Effect::SubmitEvidence {
        key: model.key_mint.next_key(),
        dispute_id,
        text,
    }]
}
