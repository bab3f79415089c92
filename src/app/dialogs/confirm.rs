//! Confirmations for what cannot be undone: deleting a card, cancelling a subscription,
//! deleting a customer (which needs their email typed out), accepting a dispute; their
//! keys and the gateway's answer.

use crossterm::event::{Event, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::super::effect::Effect;
use super::super::mode_keys::ModeAction;
use super::super::model::{Loadable, Mode, Model, ToastKind};
use super::super::screens::{self, Pane, customer_matches, customers};
use super::{DialogState, answered};
use crate::gateway::{GatewayError, OperationKey};

/// An action that cannot be undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Irreversible {
    DeleteCard {
        customer_id: String,
        card_id: String,
    },
    CancelSubscription {
        customer_id: String,
        subscription_id: String,
    },
    DeleteCustomer {
        customer_id: String,
    },
    /// Accept a dispute: no evidence is submitted and it is lost.
    CloseDispute {
        dispute_id: String,
    },
}

impl Irreversible {
    /// The audit log's word for it.
    pub fn name(&self) -> &'static str {
        match self {
            Irreversible::DeleteCard { .. } => "delete_card",
            Irreversible::CancelSubscription { .. } => "cancel_subscription",
            Irreversible::DeleteCustomer { .. } => "delete_customer",
            Irreversible::CloseDispute { .. } => "close_dispute",
        }
    }

    /// What it acts on, for the audit log and messages.
    pub fn target(&self) -> &str {
        match self {
            Irreversible::DeleteCard { card_id, .. } => card_id,
            Irreversible::CancelSubscription {
                subscription_id, ..
            } => subscription_id,
            Irreversible::DeleteCustomer { customer_id } => customer_id,
            Irreversible::CloseDispute { dispute_id } => dispute_id,
        }
    }

    /// The customer it concerns, if it concerns one.
    pub fn customer_id(&self) -> Option<&str> {
        match self {
            Irreversible::DeleteCard { customer_id, .. }
            | Irreversible::CancelSubscription { customer_id, .. }
            | Irreversible::DeleteCustomer { customer_id } => Some(customer_id),
            Irreversible::CloseDispute { .. } => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ConfirmDialog {
    pub action: Irreversible,
    pub title: String,
    /// Exactly what confirming does, and that it cannot be undone.
    pub sentence: String,
    /// Something the operator should know first, e.g. that the gateway will refuse.
    pub warning: Option<String>,
    /// Text that must be typed before Enter does anything (the customer's email).
    pub type_to_confirm: Option<String>,
    pub input: Input,
    pub state: DialogState,
}

impl ConfirmDialog {
    pub fn new(action: Irreversible, title: &str, sentence: String) -> ConfirmDialog {
        ConfirmDialog {
            action,
            title: title.to_string(),
            sentence,
            warning: None,
            type_to_confirm: None,
            input: Input::default(),
            state: DialogState::Editing,
        }
    }

    /// Whether Enter may send it now.
    pub fn ready(&self) -> bool {
        self.state == DialogState::Editing
            && self
                .type_to_confirm
                .as_deref()
                .is_none_or(|expected| self.input.value().trim() == expected)
    }
}

/// A key the dialog takes itself, `action` in its mode's keys.
pub(super) fn on_key(model: &mut Model, action: Option<ModeAction>, key: KeyEvent) -> Vec<Effect> {
    let Mode::Confirm(dialog) = &mut model.mode else {
        return Vec::new();
    };
    match action {
        Some(ModeAction::Send) if dialog.ready() => {
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
        Some(ModeAction::Send) => Vec::new(),
        _ => {
            if dialog.type_to_confirm.is_some() {
                dialog.input.handle_event(&Event::Key(key));
                dialog.state = DialogState::Editing;
            }
            Vec::new()
        }
    }
}

pub(crate) fn on_done(
    model: &mut Model,
    key: &OperationKey,
    action: &Irreversible,
    result: Result<(), GatewayError>,
) -> Vec<Effect> {
    let open = matches!(&model.mode, Mode::Confirm(d) if d.action == *action);
    let failed = || format!("{} of {}", action.name(), action.target());
    if answered(model, action.target(), open, result, failed).is_none() {
        return Vec::new();
    }
    tracing::info!(%key, action = action.name(), target = action.target(), "customer action done");
    let customer = action.customer_id().unwrap_or_default().to_string();
    match action {
        Irreversible::DeleteCustomer { .. } => {
            model
                .screens
                .close_where(|p| matches!(p, Pane::Customer(c) if c.id == customer));
            if let Some(pane) = customers::customers_pane(model) {
                let text = pane.list.filter_text.clone();
                pane.list
                    .replace(|c| c.id == customer, None, customer_matches(&text));
            }
            model.toast(ToastKind::Success, format!("Deleted customer {customer}"));
            Vec::new()
        }
        Irreversible::DeleteCard { card_id, .. } => {
            model.toast(ToastKind::Success, format!("Deleted card {card_id}"));
            screens::customer::reload_customer(model, customer)
        }
        Irreversible::CloseDispute { dispute_id } => {
            model.toast(ToastKind::Success, format!("Accepted dispute {dispute_id}"));
            // Its charge is read again too: accepting moves its money for good.
            let charge = charge_of_dispute(model, dispute_id).map(Effect::LoadCharge);
            std::iter::once(Effect::LoadDispute(dispute_id.clone()))
                .chain(charge)
                .collect()
        }
        Irreversible::CancelSubscription {
            subscription_id, ..
        } => {
            model.toast(
                ToastKind::Success,
                format!("Cancelled subscription {subscription_id}"),
            );
            screens::customer::reload_customer(model, customer)
        }
    }
}

/// The charge a dispute shown somewhere is about.
fn charge_of_dispute(model: &Model, dispute_id: &str) -> Option<String> {
    let in_detail = |detail: &screens::ChargeDetail| match &detail.dispute {
        Loadable::Loaded(Some(d)) if d.id == dispute_id => Some(d.charge_id.clone()),
        _ => None,
    };
    model
        .screens
        .above()
        .find_map(|pane| match pane {
            Pane::Disputes(pane) => pane
                .list
                .items()
                .iter()
                .find(|d| d.id == dispute_id)
                .map(|d| d.charge_id.clone()),
            Pane::Charge(detail) => in_detail(detail),
            _ => None,
        })
        .or_else(|| model.screens.charges.detail.as_ref().and_then(in_detail))
}
