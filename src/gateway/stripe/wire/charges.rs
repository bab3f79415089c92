//! Stripe's Charge object as a charge: statuses from its flags, amounts from its
//! minor units, its refunds and the card it was paid with.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::cards::{BillingDetails, CardDetails, legacy_card_summary, summary};
use super::{id_of, time};
use crate::domain::{Charge, ChargeStatus, Failure, RawJson};
use crate::gateway::GatewayError;
use crate::gateway::record::{currency, decode, string_metadata};
use crate::money::Money;

/// Uncaptured online card charges lapse seven days after creation, unless the charge
/// says otherwise in `payment_method_details.card.capture_before`.
const AUTHORISATION_LIFETIME_DAYS: i64 = 7;
/// The refund reason Stripe gives when an authorisation lapsed uncaptured.
const EXPIRED_REASON: &str = "expired_uncaptured_charge";

#[derive(Deserialize)]
struct StripeCharge {
    id: String,
    amount: i64,
    amount_captured: Option<i64>,
    #[serde(default)]
    amount_refunded: i64,
    #[serde(default)]
    captured: bool,
    created: i64,
    currency: String,
    customer: Option<Value>,
    description: Option<String>,
    #[serde(default)]
    disputed: bool,
    failure_code: Option<String>,
    failure_message: Option<String>,
    metadata: Option<BTreeMap<String, Value>>,
    outcome: Option<ChargeOutcome>,
    payment_method_details: Option<PaymentMethodDetails>,
    /// Legacy charges name their card here.
    source: Option<Value>,
    billing_details: Option<BillingDetails>,
    receipt_email: Option<String>,
    #[serde(default)]
    refunded: bool,
    /// Present only when expanded (`expand[]=refunds`).
    refunds: Option<EmbeddedRefunds>,
    status: String,
}

#[derive(Deserialize)]
struct ChargeOutcome {
    reason: Option<String>,
    seller_message: Option<String>,
}

#[derive(Deserialize)]
struct PaymentMethodDetails {
    card: Option<CardDetails>,
}

#[derive(Deserialize)]
struct EmbeddedRefunds {
    #[serde(default)]
    data: Vec<EmbeddedRefund>,
}

#[derive(Deserialize)]
struct EmbeddedRefund {
    reason: Option<String>,
    status: Option<String>,
}

pub fn charge(raw: &RawValue) -> Result<Charge, GatewayError> {
    let stripe: StripeCharge = decode("charge", raw)?;
    let currency = currency(&stripe.currency, raw)?;
    let created = time(stripe.created, raw)?;
    let money = |minor: i64| Money::from_minor(minor, currency);
    let amount_captured = if stripe.captured {
        stripe.amount_captured.unwrap_or(stripe.amount)
    } else {
        0
    };
    // A partial capture releases the rest as a refund: that much of `amount_refunded`
    // was never taken, so it is not a refund of captured money.
    let released = if stripe.captured {
        (stripe.amount - amount_captured).max(0)
    } else {
        0
    };
    let refunded = (stripe.amount_refunded - released).clamp(0, amount_captured);
    let embedded = stripe.refunds.map(|r| r.data).unwrap_or_default();
    let failed = stripe.status == "failed";
    let status = if failed {
        ChargeStatus::Declined
    } else if stripe.status == "pending" && !stripe.captured {
        // Waiting on the cardholder's 3-D Secure: nothing is held yet to capture.
        ChargeStatus::Pending3ds
    } else if stripe.disputed {
        ChargeStatus::Disputed
    } else if !stripe.captured {
        if stripe.refunded || (stripe.amount_refunded >= stripe.amount && stripe.amount > 0) {
            if embedded
                .iter()
                .any(|r| r.reason.as_deref() == Some(EXPIRED_REASON))
            {
                ChargeStatus::Expired
            } else {
                ChargeStatus::Voided
            }
        } else {
            ChargeStatus::Authorised
        }
    } else if stripe.refunded || (refunded >= amount_captured && refunded > 0) {
        ChargeStatus::Refunded
    } else if refunded > 0 {
        ChargeStatus::PartiallyRefunded
    } else {
        ChargeStatus::Captured
    };
    // Refunding an uncaptured charge (or its lapsing) releases the whole authorisation.
    let released = match status {
        ChargeStatus::Voided | ChargeStatus::Expired => stripe.amount,
        _ => released,
    };
    let card_details = stripe.payment_method_details.and_then(|d| d.card);
    let authorisation_expires = (status == ChargeStatus::Authorised).then(|| {
        card_details
            .as_ref()
            .and_then(|c| c.capture_before)
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .unwrap_or(created + Duration::days(AUTHORISATION_LIFETIME_DAYS))
    });
    let card = match &card_details {
        Some(c) => Some(summary(
            c.brand.as_deref(),
            c.last4.as_deref(),
            c.exp_month,
            c.exp_year,
        )),
        None => stripe.source.as_ref().and_then(legacy_card_summary),
    };
    let failure = failed.then(|| {
        let reason = stripe.outcome.as_ref().and_then(|o| o.reason.clone());
        let code = match stripe.failure_code.as_deref() {
            // The decline reason says more than "card_declined".
            Some("card_declined") | None => reason.or(stripe.failure_code.clone()),
            Some(other) => Some(other.to_string()),
        };
        Failure {
            code: code.unwrap_or_else(|| "declined".into()),
            message: stripe
                .failure_message
                .clone()
                .or_else(|| {
                    stripe
                        .outcome
                        .as_ref()
                        .and_then(|o| o.seller_message.clone())
                })
                .unwrap_or_else(|| "The charge failed".into()),
        }
    });
    let metadata = string_metadata(stripe.metadata);
    let email = stripe
        .billing_details
        .as_ref()
        .and_then(|b| b.email.clone())
        .or(stripe.receipt_email)
        .or_else(|| metadata.get("email").cloned());
    Ok(Charge {
        id: stripe.id,
        created,
        amount: money(stripe.amount),
        captured: money(amount_captured),
        released: money(released),
        refunded: money(refunded),
        status,
        refund_pending: embedded
            .iter()
            .any(|r| matches!(r.status.as_deref(), Some("pending" | "requires_action"))),
        // Stripe does not say when a charge was captured.
        captured_at: None,
        authorisation_expires,
        email,
        description: stripe.description,
        card,
        customer_id: id_of(stripe.customer.as_ref()),
        ip: None,
        metadata,
        failure,
        three_d_secure_session: None,
        raw: RawJson::new(raw.get()),
    })
}
