//! Stripe's Refund object as a refund, and the records that only released an
//! authorisation, which are not refunds to the operator.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::{id_of, time};
use crate::domain::{RawJson, Refund, RefundStatus};
use crate::gateway::GatewayError;
use crate::gateway::record::{currency, decode, string_metadata};
use crate::money::Money;

/// The metadata key that carries the operator's own words for a refund.
pub const REASON_METADATA: &str = "paydeck_reason";

#[derive(Deserialize)]
struct StripeRefund {
    id: String,
    amount: i64,
    charge: Option<Value>,
    created: i64,
    currency: String,
    reason: Option<String>,
    status: Option<String>,
    failure_reason: Option<String>,
    metadata: Option<BTreeMap<String, Value>>,
}

#[derive(Deserialize)]
struct RefundDestination {
    destination_details: Option<DestinationDetails>,
}

#[derive(Deserialize)]
struct DestinationDetails {
    card: Option<DestinationCard>,
}

#[derive(Deserialize)]
struct DestinationCard {
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// A refund, or `None` for a record that released uncaptured money (the rest of a
/// partial capture, or a void): Stripe keeps those as refunds whose card destination
/// is a `reversal` of the authorisation. They moved no money back, so they are not
/// refunds to the operator; the charge's `released` amount counts them.
pub fn refund_unless_release(raw: &RawValue) -> Result<Option<Refund>, GatewayError> {
    let destination: RefundDestination = decode("refund", raw)?;
    let reversal = destination
        .destination_details
        .and_then(|d| d.card)
        .and_then(|c| c.kind)
        .is_some_and(|kind| kind == "reversal");
    if reversal {
        return Ok(None);
    }
    refund(raw).map(Some)
}

pub fn refund(raw: &RawValue) -> Result<Refund, GatewayError> {
    let stripe: StripeRefund = decode("refund", raw)?;
    let currency = currency(&stripe.currency, raw)?;
    let status = match stripe.status.as_deref() {
        Some("succeeded") => RefundStatus::Succeeded,
        Some("failed" | "canceled") => RefundStatus::Failed,
        _ => RefundStatus::Pending,
    };
    // The operator's words where paydeck sent them, else Stripe's reason.
    let reason = string_metadata(stripe.metadata)
        .remove(REASON_METADATA)
        .filter(|r| !r.is_empty())
        .or(stripe.reason);
    Ok(Refund {
        id: stripe.id,
        charge_id: id_of(stripe.charge.as_ref()).unwrap_or_default(),
        amount: Money::from_minor(stripe.amount, currency),
        status,
        created: time(stripe.created, raw)?,
        reason,
        error_message: stripe.failure_reason.map(|r| r.replace('_', " ")),
        raw: RawJson::new(raw.get()),
    })
}
