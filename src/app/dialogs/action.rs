//! The capture / void / refund dialog: what it holds, how its amount is checked as the
//! operator types, the sentence that says exactly what confirming will do, its keys,
//! and the gateway's answer.

use crossterm::event::{Event, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::super::effect::Effect;
use super::super::mode_keys::ModeAction;
use super::super::model::{Mode, Model, ToastKind};
use super::super::offers::target_charge;
use super::{DialogState, answered};
use crate::domain::{Action, Charge};
use crate::gateway::Capabilities;
use crate::gateway::{GatewayError, OperationKey};
use crate::money::{Money, parse_amount};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Amount,
    Reason,
}

#[derive(Debug, Clone)]
pub struct ActionDialog {
    pub action: Action,
    pub charge_id: String,
    pub charge_amount: Money,
    /// The most this action can move: the authorisation for a capture, what is left
    /// for a refund.
    pub limit: Money,
    pub amount: Input,
    /// False where the gateway only captures whole authorisations.
    pub amount_editable: bool,
    pub reason: Input,
    pub field: Field,
    pub state: DialogState,
    /// What the gateway calls a void ("void", "cancel"...).
    pub void_name: &'static str,
    /// How the gateway really voids, where the name does not say it.
    pub void_note: Option<&'static str>,
    /// The gateway's name where it keeps no refund reason (only the audit log does).
    pub reason_not_stored_by: Option<&'static str>,
}

impl ActionDialog {
    /// The dialog for `action` on `charge`, its amount set to the usual choice: the whole
    /// authorisation for a capture, everything left for a refund.
    pub fn open(
        action: Action,
        charge: &Charge,
        caps: &Capabilities,
        gateway: &'static str,
    ) -> ActionDialog {
        let limit = match action {
            Action::Refund => charge.refundable(),
            Action::Capture | Action::Void => charge.held(),
        };
        let amount_editable = match action {
            Action::Capture => caps.partial_capture,
            Action::Refund => caps.partial_refund,
            Action::Void => caps.partial_void,
        };
        ActionDialog {
            action,
            charge_id: charge.id.clone(),
            // What is still authorised: less than asked after a partial void.
            charge_amount: match action {
                Action::Refund => charge.list_amount(),
                Action::Capture | Action::Void => charge.held(),
            },
            limit,
            amount: Input::new(limit.grouped()),
            amount_editable,
            reason: Input::default(),
            field: Field::Amount,
            state: DialogState::Editing,
            void_name: caps.void_name,
            void_note: caps.void_note,
            reason_not_stored_by: (!caps.refund_reason).then_some(gateway),
        }
    }

    pub fn title(&self) -> String {
        match self.action {
            Action::Capture => "Capture".into(),
            Action::Void => capitalise(self.void_name),
            Action::Refund => "Refund".into(),
        }
    }

    /// The amount as typed, checked against the currency and the limit.
    pub fn amount(&self) -> Result<Money, String> {
        if !self.amount_editable {
            return Ok(self.limit);
        }
        let currency = self.limit.currency;
        let amount = parse_amount(self.amount.value(), currency).map_err(|e| e.to_string())?;
        if amount.amount > self.limit.amount {
            return Err(match self.action {
                Action::Capture => format!("At most {} can be captured", self.limit),
                Action::Void => format!("At most {} is authorised", self.limit),
                Action::Refund => format!("At most {} is left to refund", self.limit),
            });
        }
        Ok(amount)
    }

    pub fn reason(&self) -> Option<String> {
        let reason = self.reason.value().trim();
        (self.action == Action::Refund && !reason.is_empty()).then(|| reason.to_string())
    }

    /// Exactly what confirming will do, or why it cannot be confirmed yet.
    pub fn confirmation(&self) -> Result<String, String> {
        let amount = self.amount()?;
        let id = &self.charge_id;
        let of = self.charge_amount;
        Ok(match self.action {
            Action::Capture if amount == of => format!("Capture {amount} of {of} on {id}"),
            Action::Capture => {
                let released = of.checked_sub(amount).unwrap_or(of);
                format!("Capture {amount} of {of} on {id}; the other {released} is released")
            }
            Action::Void if amount != of => {
                let rest = of.checked_sub(amount).unwrap_or(of);
                format!("Void {amount} of the {of} authorisation on {id}; {rest} stays authorised")
            }
            Action::Void => {
                let note = self
                    .void_note
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default();
                format!(
                    "{} the authorisation of {of} on {id}{note}; the hold on the card is released",
                    capitalise(self.void_name)
                )
            }
            Action::Refund => match (self.reason(), self.reason_not_stored_by) {
                (Some(_), Some(gateway)) => format!(
                    "Refund {amount} of {of} on {id}; {gateway} does not store the reason, so only the audit log keeps it"
                ),
                _ => format!("Refund {amount} of {of} on {id}"),
            },
        })
    }

    pub fn is_working(&self) -> bool {
        self.state == DialogState::Working
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Opens the dialog for `action` on the keys' target charge, which `offers` allows.
pub(crate) fn open(model: &mut Model, action: Action) -> Vec<Effect> {
    let session = &model.session;
    let Some(charge) = target_charge(model) else {
        return Vec::new();
    };
    let dialog = ActionDialog::open(action, charge, &session.caps, session.gateway);
    model.mode = Mode::Dialog(dialog);
    model.touch();
    Vec::new()
}

/// A key the dialog takes itself, `action` in its mode's keys.
pub(super) fn on_key(model: &mut Model, action: Option<ModeAction>, key: KeyEvent) -> Vec<Effect> {
    let Mode::Dialog(dialog) = &mut model.mode else {
        return Vec::new();
    };
    match (action, &dialog.state) {
        (Some(ModeAction::Send), DialogState::Editing) => send(model),
        (Some(ModeAction::NextField | ModeAction::PreviousField), _) => {
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
fn send(model: &mut Model) -> Vec<Effect> {
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

pub(crate) fn on_done(
    model: &mut Model,
    key: &OperationKey,
    action: Action,
    charge_id: &str,
    amount: Money,
    result: Result<Option<Box<Charge>>, GatewayError>,
) -> Vec<Effect> {
    let open = matches!(&model.mode, Mode::Dialog(d) if d.charge_id == charge_id && d.is_working());
    let failed = || format!("The {} of {charge_id}", action.name());
    let Some(charge) = answered(model, charge_id, open, result, failed) else {
        return Vec::new();
    };
    if let Some(charge) = charge {
        model.update_charge(&charge);
    }
    model.toast(ToastKind::Success, done_text(action, amount, charge_id));
    tracing::info!(%key, ?action, charge_id, "action done");
    // Over the store, its window and totals are read again (the runner wrote the
    // charge's new state into it first).
    let mut effects = crate::app::store_window::refresh(model, true);
    let showing = model.screens.details().any(|d| d.charge_id == charge_id);
    if showing {
        effects.push(Effect::LoadRefunds(charge_id.to_string()));
    }
    effects
}

fn done_text(action: Action, amount: Money, charge_id: &str) -> String {
    let done = match action {
        Action::Capture => "Captured",
        Action::Void => "Released the authorisation of",
        Action::Refund => "Refunded",
    };
    format!("{done} {amount} on {charge_id}")
}
