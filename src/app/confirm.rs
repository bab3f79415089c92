//! Confirmations for what cannot be undone on a customer: deleting a card, cancelling a
//! subscription, deleting the customer (which needs their email typed out).

use tui_input::Input;

use super::dialog::DialogState;

/// An irreversible action on a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerAction {
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
}

impl CustomerAction {
    /// The audit log's word for it.
    pub fn name(&self) -> &'static str {
        match self {
            CustomerAction::DeleteCard { .. } => "delete_card",
            CustomerAction::CancelSubscription { .. } => "cancel_subscription",
            CustomerAction::DeleteCustomer { .. } => "delete_customer",
        }
    }

    /// What it acts on, for the audit log and messages.
    pub fn target(&self) -> &str {
        match self {
            CustomerAction::DeleteCard { card_id, .. } => card_id,
            CustomerAction::CancelSubscription {
                subscription_id, ..
            } => subscription_id,
            CustomerAction::DeleteCustomer { customer_id } => customer_id,
        }
    }

    pub fn customer_id(&self) -> &str {
        match self {
            CustomerAction::DeleteCard { customer_id, .. }
            | CustomerAction::CancelSubscription { customer_id, .. }
            | CustomerAction::DeleteCustomer { customer_id } => customer_id,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ConfirmDialog {
    pub action: CustomerAction,
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
    pub fn new(action: CustomerAction, title: &str, sentence: String) -> ConfirmDialog {
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
