//! Pin Payments' JSON, and its translation into the domain model. Amounts arrive as
//! integer minor units and become `Money` here, at the edge.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::domain::{
    Card, CardSummary, Charge, ChargeStatus, Cursor, Customer, Failure, Plan, RawJson, Refund,
    RefundStatus, Subscription, SubscriptionState,
};
use crate::gateway::GatewayError;
use crate::gateway::card_wire::{card_brand, last4};
use crate::gateway::list_records::RawPage;
use crate::gateway::record::{currency, decode, string_metadata};
use crate::money::Money;

/// Pin authorisations lapse after seven days.
const AUTHORISATION_LIFETIME_DAYS: i64 = 7;

#[derive(Deserialize)]
pub struct Single {
    pub response: Box<RawValue>,
}

impl From<Single> for Box<RawValue> {
    fn from(single: Single) -> Box<RawValue> {
        single.response
    }
}

#[derive(Deserialize)]
pub struct List {
    pub response: Vec<Box<RawValue>>,
    pub count: Option<u64>,
    pub pagination: Option<Pagination>,
}

#[derive(Deserialize)]
pub struct Pagination {
    pub next: Option<u32>,
    pub count: Option<u64>,
}

impl List {
    /// The page's records and Pin's paging.
    pub fn into_raw(self) -> RawPage {
        let next = self.pagination.as_ref().and_then(|p| p.next);
        let total = self
            .count
            .or(self.pagination.as_ref().and_then(|p| p.count));
        // Pin has been seen to offer a next page after an empty one; do not follow it.
        let next = if self.response.is_empty() {
            None
        } else {
            next.map(Cursor::Page)
        };
        RawPage {
            records: self.response,
            next,
            total,
        }
    }
}

#[derive(Deserialize)]
struct PinCharge {
    token: String,
    success: Option<bool>,
    amount: i64,
    currency: String,
    description: Option<String>,
    email: Option<String>,
    ip_address: Option<String>,
    created_at: DateTime<Utc>,
    status_message: Option<String>,
    error_message: Option<String>,
    card: Option<PinCard>,
    #[serde(default)]
    amount_refunded: i64,
    #[serde(default)]
    refund_pending: bool,
    #[serde(default)]
    authorisation_expired: bool,
    #[serde(default)]
    authorisation_voided: bool,
    #[serde(default)]
    captured: bool,
    captured_at: Option<DateTime<Utc>>,
    #[serde(default)]
    active_chargebacks: bool,
    #[serde(default)]
    metadata: Option<BTreeMap<String, Value>>,
    three_d_secure_session_token: Option<String>,
}

#[derive(Deserialize)]
struct PinCard {
    token: Option<String>,
    scheme: Option<String>,
    display_number: Option<String>,
    expiry_month: Option<u8>,
    expiry_year: Option<u16>,
    name: Option<String>,
    customer_token: Option<String>,
    primary: Option<bool>,
}

pub fn charge(raw: &RawValue) -> Result<Charge, GatewayError> {
    let pin: PinCharge = decode("charge", raw)?;
    let currency = currency(&pin.currency, raw)?;
    let amount = Money::from_minor(pin.amount, currency);
    let captured = if pin.captured {
        amount
    } else {
        Money::zero(currency)
    };
    let refunded = Money::from_minor(pin.amount_refunded, currency);
    let failed = pin.success == Some(false);
    let status = if failed {
        ChargeStatus::Declined
    } else if pin.active_chargebacks {
        ChargeStatus::Disputed
    } else if pin.authorisation_voided {
        ChargeStatus::Voided
    } else if pin.authorisation_expired {
        ChargeStatus::Expired
    } else if pin.status_message.as_deref() == Some("Pending") {
        ChargeStatus::Pending3ds
    } else if !pin.captured {
        ChargeStatus::Authorised
    } else if pin.amount_refunded >= pin.amount && pin.amount_refunded > 0 {
        ChargeStatus::Refunded
    } else if pin.amount_refunded > 0 {
        ChargeStatus::PartiallyRefunded
    } else {
        ChargeStatus::Captured
    };
    let authorisation_expires = (status == ChargeStatus::Authorised)
        .then(|| pin.created_at + Duration::days(AUTHORISATION_LIFETIME_DAYS));
    let failure = failed.then(|| Failure {
        code: pin
            .status_message
            .clone()
            .unwrap_or_else(|| "declined".into()),
        message: pin
            .error_message
            .clone()
            .unwrap_or_else(|| "The charge failed".into()),
    });
    let metadata = string_metadata(pin.metadata);
    Ok(Charge {
        id: pin.token,
        created: pin.created_at,
        amount,
        captured,
        // Pin captures whole authorisations only; a void or a lapse releases all of it.
        released: if matches!(status, ChargeStatus::Voided | ChargeStatus::Expired) {
            amount
        } else {
            Money::zero(currency)
        },
        refunded,
        status,
        refund_pending: pin.refund_pending,
        captured_at: pin.captured_at,
        authorisation_expires,
        email: pin.email,
        description: pin.description,
        card: pin.card.as_ref().map(card_summary),
        customer_id: pin.card.and_then(|c| c.customer_token),
        ip: pin.ip_address,
        metadata,
        failure,
        three_d_secure_session: pin.three_d_secure_session_token,
        raw: RawJson::new(raw.get()),
    })
}

fn card_summary(card: &PinCard) -> CardSummary {
    CardSummary {
        brand: card_brand(card.scheme.as_deref()),
        last4: last4(card.display_number.as_deref()),
        expiry_month: card.expiry_month.unwrap_or(0),
        expiry_year: card.expiry_year.unwrap_or(0),
    }
}

pub fn card(raw: &RawValue) -> Result<Card, GatewayError> {
    let pin: PinCard = decode("card", raw)?;
    let summary = card_summary(&pin);
    Ok(Card {
        id: pin.token.unwrap_or_default(),
        brand: summary.brand,
        last4: summary.last4,
        expiry_month: summary.expiry_month,
        expiry_year: summary.expiry_year,
        name: pin.name,
        primary: pin.primary.unwrap_or(false),
        customer_id: pin.customer_token,
        raw: RawJson::new(raw.get()),
    })
}

#[derive(Deserialize)]
struct PinRefund {
    token: String,
    success: Option<bool>,
    amount: i64,
    currency: String,
    charge: String,
    created_at: DateTime<Utc>,
    error_message: Option<String>,
}

pub fn refund(raw: &RawValue) -> Result<Refund, GatewayError> {
    let pin: PinRefund = decode("refund", raw)?;
    let currency = currency(&pin.currency, raw)?;
    let status = match pin.success {
        None => RefundStatus::Pending,
        Some(true) => RefundStatus::Succeeded,
        Some(false) => RefundStatus::Failed,
    };
    Ok(Refund {
        id: pin.token,
        charge_id: pin.charge,
        amount: Money::from_minor(pin.amount, currency),
        status,
        created: pin.created_at,
        reason: None,
        error_message: pin.error_message,
        raw: RawJson::new(raw.get()),
    })
}

#[derive(Deserialize)]
struct PinCustomer {
    token: String,
    email: String,
    first_name: Option<String>,
    last_name: Option<String>,
    phone_number: Option<String>,
    company: Option<String>,
    notes: Option<String>,
    created_at: DateTime<Utc>,
    card: Option<Box<RawValue>>,
}

pub fn customer(raw: &RawValue) -> Result<Customer, GatewayError> {
    let pin: PinCustomer = decode("customer", raw)?;
    let primary_card = pin.card.as_deref().map(card).transpose()?;
    Ok(Customer {
        id: pin.token,
        email: pin.email,
        first_name: pin.first_name,
        last_name: pin.last_name,
        phone: pin.phone_number,
        company: pin.company,
        notes: pin.notes,
        created: pin.created_at,
        primary_card,
        raw: RawJson::new(raw.get()),
    })
}

#[derive(Deserialize)]
struct PinSubscription {
    token: String,
    state: String,
    next_billing_date: Option<DateTime<Utc>>,
    cancelled_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    plan_token: String,
    customer_token: String,
    card_token: Option<String>,
}

#[derive(Deserialize)]
struct PinPlan {
    name: String,
    amount: i64,
    currency: String,
    interval: u32,
    interval_unit: String,
}

/// A plan (`GET /plans/{plan}`): its name and what it bills, every how long.
pub fn plan(raw: &RawValue) -> Result<Plan, GatewayError> {
    let pin: PinPlan = decode("plan", raw)?;
    let currency = currency(&pin.currency, raw)?;
    Ok(Plan {
        name: pin.name,
        amount: Money::from_minor(pin.amount, currency),
        interval: pin.interval,
        interval_unit: pin.interval_unit,
    })
}

pub fn subscription(raw: &RawValue) -> Result<Subscription, GatewayError> {
    let pin: PinSubscription = decode("subscription", raw)?;
    let state = match pin.state.as_str() {
        "trial" => SubscriptionState::Trial,
        "active" => SubscriptionState::Active,
        "cancelling" | "trial_cancelling" => SubscriptionState::Cancelling,
        "cancelled" => SubscriptionState::Cancelled,
        "past_due" => SubscriptionState::PastDue,
        other => SubscriptionState::Other(other.to_string()),
    };
    Ok(Subscription {
        id: pin.token,
        customer_id: pin.customer_token,
        plan_id: pin.plan_token,
        plan: None,
        state,
        next_billing: pin.next_billing_date,
        created: pin.created_at,
        cancelled_at: pin.cancelled_at,
        card_id: pin.card_token,
        raw: RawJson::new(raw.get()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn charge_of(value: Value) -> Result<Charge, GatewayError> {
        charge(&serde_json::value::to_raw_value(&value).unwrap())
    }

    #[test]
    fn statuses_follow_the_flags() {
        let base = serde_json::json!({
            "token": "ch_1", "success": true, "amount": 4000, "currency": "AUD",
            "created_at": "2026-11-20T03:10:49Z", "captured": true, "amount_refunded": 1250,
        });
        let c = charge_of(base.clone()).unwrap();
        assert_eq!(c.status, ChargeStatus::PartiallyRefunded);
        assert_eq!(c.refundable(), Money::from_minor(2750, Currency::AUD));
        let mut voided = base.clone();
        voided["captured"] = false.into();
        voided["amount_refunded"] = 0.into();
        voided["authorisation_voided"] = true.into();
        assert_eq!(charge_of(voided).unwrap().status, ChargeStatus::Voided);
        let mut declined = base;
        declined["success"] = false.into();
        declined["error_message"] = "The card was declined".into();
        let d = charge_of(declined).unwrap();
        assert_eq!(d.status, ChargeStatus::Declined);
        assert_eq!(d.failure.unwrap().message, "The card was declined");
    }

    #[test]
    fn a_charge_missing_fields_is_malformed_not_a_panic() {
        let err = charge_of(serde_json::json!({"token": "ch_1"})).unwrap_err();
        assert!(matches!(err, GatewayError::Malformed { .. }));
        let err = charge_of(serde_json::json!({
            "token": "ch_1", "amount": 1, "currency": "XXX", "created_at": "2026-11-20T03:10:49Z"
        }))
        .unwrap_err();
        assert!(matches!(err, GatewayError::Malformed { .. }));
    }
}
