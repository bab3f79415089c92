//! A PaymentMethod (`pm_`) or a legacy Card source (`card_`) as a saved card.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::id_of;
use crate::domain::{Card, CardSummary, RawJson};
use crate::gateway::GatewayError;
use crate::gateway::card_wire::card_brand;
use crate::gateway::record::decode;

#[derive(Deserialize)]
struct StripeCard {
    id: String,
    object: Option<String>,
    customer: Option<Value>,
    /// A PaymentMethod's card and name.
    card: Option<CardDetails>,
    billing_details: Option<BillingDetails>,
    /// A legacy Card's own fields.
    brand: Option<String>,
    last4: Option<String>,
    exp_month: Option<i64>,
    exp_year: Option<i64>,
    name: Option<String>,
}

/// A card from a PaymentMethod (`pm_`) or a legacy Card source (`card_`); `primary`
/// is for the caller to set from the customer's defaults.
pub fn card(raw: &RawValue) -> Result<Card, GatewayError> {
    let stripe: StripeCard = decode("card", raw)?;
    let (summary, name) = match (stripe.object.as_deref(), &stripe.card) {
        (Some("payment_method") | None, Some(c)) => (
            summary(
                c.brand.as_deref(),
                c.last4.as_deref(),
                c.exp_month,
                c.exp_year,
            ),
            stripe.billing_details.and_then(|b| b.name),
        ),
        _ => (
            summary(
                stripe.brand.as_deref(),
                stripe.last4.as_deref(),
                stripe.exp_month,
                stripe.exp_year,
            ),
            stripe.name,
        ),
    };
    Ok(Card {
        id: stripe.id,
        brand: summary.brand,
        last4: summary.last4,
        expiry_month: summary.expiry_month,
        expiry_year: summary.expiry_year,
        name: name.filter(|n| !n.is_empty()),
        primary: false,
        customer_id: id_of(stripe.customer.as_ref()),
        raw: RawJson::new(raw.get()),
    })
}

#[derive(Deserialize)]
pub(super) struct CardDetails {
    pub(super) brand: Option<String>,
    pub(super) last4: Option<String>,
    pub(super) exp_month: Option<i64>,
    pub(super) exp_year: Option<i64>,
    pub(super) capture_before: Option<i64>,
}

#[derive(Deserialize)]
pub(super) struct BillingDetails {
    pub(super) email: Option<String>,
    pub(super) name: Option<String>,
}

pub(super) fn summary(
    brand_name: Option<&str>,
    last4: Option<&str>,
    exp_month: Option<i64>,
    exp_year: Option<i64>,
) -> CardSummary {
    CardSummary {
        brand: card_brand(brand_name),
        last4: last4.unwrap_or("").to_string(),
        expiry_month: exp_month.and_then(|m| u8::try_from(m).ok()).unwrap_or(0),
        expiry_year: exp_year.and_then(|y| u16::try_from(y).ok()).unwrap_or(0),
    }
}

/// A legacy Card object (`"object": "card"`) in a charge's `source`.
pub(super) fn legacy_card_summary(source: &Value) -> Option<CardSummary> {
    if source.get("object")?.as_str()? != "card" {
        return None;
    }
    Some(summary(
        source.get("brand").and_then(Value::as_str),
        source.get("last4").and_then(Value::as_str),
        source.get("exp_month").and_then(Value::as_i64),
        source.get("exp_year").and_then(Value::as_i64),
    ))
}
