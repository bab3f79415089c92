//! Stripe's Dispute object as a dispute.

use chrono::DateTime;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::{id_of, time};
use crate::domain::{Dispute, DisputeStatus, RawJson};
use crate::gateway::GatewayError;
use crate::gateway::record::{currency, decode};
use crate::money::Money;

#[derive(Deserialize)]
struct StripeDispute {
    id: String,
    amount: i64,
    currency: String,
    charge: Option<Value>,
    created: i64,
    reason: Option<String>,
    status: String,
    evidence_details: Option<EvidenceDetails>,
}

#[derive(Deserialize)]
struct EvidenceDetails {
    due_by: Option<i64>,
    #[serde(default)]
    submission_count: u32,
}

pub fn dispute(raw: &RawValue) -> Result<Dispute, GatewayError> {
    let stripe: StripeDispute = decode("dispute", raw)?;
    let currency = currency(&stripe.currency, raw)?;
    let status = match stripe.status.as_str() {
        "warning_needs_response" => DisputeStatus::WarningNeedsResponse,
        "needs_response" => DisputeStatus::NeedsResponse,
        "under_review" | "warning_under_review" => DisputeStatus::UnderReview,
        "won" => DisputeStatus::Won,
        "lost" => DisputeStatus::Lost,
        other => DisputeStatus::Other(other.replace('_', " ")),
    };
    let details = stripe.evidence_details;
    Ok(Dispute {
        id: stripe.id,
        charge_id: id_of(stripe.charge.as_ref()).unwrap_or_default(),
        amount: Money::from_minor(stripe.amount, currency),
        status,
        reason: stripe.reason.unwrap_or_default().replace('_', " "),
        // 0 means the issuer takes no response.
        evidence_due: details
            .as_ref()
            .and_then(|d| d.due_by)
            .filter(|&s| s > 0)
            .and_then(|s| DateTime::from_timestamp(s, 0)),
        evidence_submitted: details.is_some_and(|d| d.submission_count > 0),
        created: time(stripe.created, raw)?,
        raw: RawJson::new(raw.get()),
    })
}
