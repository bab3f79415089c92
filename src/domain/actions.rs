//! Which operator actions a charge allows, and if not, why not: the UI offers an action
//! only when this says yes, and shows the reason when it says no.

use super::charge::{Charge, ChargeStatus};
use crate::gateway::Capabilities;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Capture,
    Void,
    Refund,
}

impl Action {
    /// The action in the words of the audit log and the screen: `capture`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Capture => "capture",
            Action::Void => "void",
            Action::Refund => "refund",
        }
    }
}

/// Why an action is not offered, in words for the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

pub fn check_action(action: Action, charge: &Charge, caps: &Capabilities) -> Result<(), Refusal> {
    let status = charge.status;
    let refuse = |why: String| Err(Refusal(why));
    match action {
        Action::Capture if status != ChargeStatus::Authorised => refuse(format!(
            "only an authorised charge can be captured; this one is {status}"
        )),
        Action::Void if !caps.void => refuse("this gateway cannot void charges".into()),
        Action::Void if status != ChargeStatus::Authorised => refuse(format!(
            "only an authorised charge can be voided; this one is {status}"
        )),
        Action::Refund
            if !matches!(
                status,
                ChargeStatus::Captured | ChargeStatus::PartiallyRefunded
            ) =>
        {
            refuse(format!(
                "only a captured charge can be refunded; this one is {status}"
            ))
        }
        Action::Refund if charge.refundable().is_zero() => {
            refuse("nothing is left to refund on this charge".into())
        }
        _ => Ok(()),
    }
}
