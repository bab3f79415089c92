//! The capture / void / refund dialog: what it holds, how its amount is checked as the
//! operator types, and the sentence that says exactly what confirming will do.

use tui_input::Input;

use crate::domain::{Action, Charge};
use crate::gateway::Capabilities;
use crate::money::{Money, parse_amount};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Amount,
    Reason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogState {
    Editing,
    /// Sent; waiting for the gateway. Nothing more can be sent from this dialog.
    Working,
    /// The gateway said no; the words are its, made plain.
    Failed(String),
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
