//! Confirmations for what cannot be undone: deleting a card, cancelling a subscription,
//! deleting a customer (which needs their email typed out), accepting a dispute.

use tui_input::Input;

use super::dialog::DialogState;

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
