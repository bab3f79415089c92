//! What an adapter checks of a charge before or after a write, where the gateway
//! itself would not say it clearly: the same for every gateway.

use super::error::GatewayError;
use crate::domain::{Charge, ChargeStatus, Failure};
use crate::money::Money;

/// The refusal code of a write that the charge's status does not allow.
pub const INVALID_STATE: &str = "invalid_state";

/// An amount sent without its currency (Openpay, the transactions gateway) must be in
/// the charge's own.
pub fn same_currency(charge: &Charge, amount: Money) -> Result<(), GatewayError> {
    if charge.currency() == amount.currency {
        Ok(())
    } else {
        Err(GatewayError::Validation {
            message: format!(
                "charge {} is in {}, not {}",
                charge.id,
                charge.currency(),
                amount.currency
            ),
            fields: Vec::new(),
        })
    }
}

/// Only a captured charge can be refunded: where a gateway would treat a refund of an
/// authorisation as cancelling it, this is asked first.
pub fn refundable(charge: &Charge) -> Result<(), GatewayError> {
    if matches!(
        charge.status,
        ChargeStatus::Captured | ChargeStatus::PartiallyRefunded
    ) {
        Ok(())
    } else {
        Err(GatewayError::refused(
            INVALID_STATE,
            format!(
                "only a captured charge can be refunded; this one is {}",
                charge.status
            ),
        ))
    }
}

/// A charge that came back declined is a failed charge, named so it can be found.
pub fn approved(charge: Charge) -> Result<Charge, GatewayError> {
    if charge.status != ChargeStatus::Declined {
        return Ok(charge);
    }
    // Every adapter's decoder gives a declined charge its failure; this is a floor.
    let failure = charge.failure.unwrap_or_else(|| Failure {
        code: "declined".into(),
        message: "The charge was declined".into(),
    });
    Err(GatewayError::Declined {
        code: failure.code,
        message: failure.message,
        charge_id: Some(charge.id),
    })
}
