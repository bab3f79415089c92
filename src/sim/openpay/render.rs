//! Ledger objects as Openpay JSON: the transaction (charge and refund), card
//! and customer objects. Amounts are raw JSON numbers with exactly the
//! currency's decimals; times are ISO 8601 in Mexico City's offset (-06:00).

use crate::sim::common::digest::fnv1a;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::test_cards;
use crate::sim::common::major_units;
use crate::sim::ledger::settlement::Fee;
use crate::sim::ledger::{
    Card, Charge, ChargeState, Customer, DisputeStatus, Ledger, Refund, RefundState,
};
use crate::sim::respond;

/// Metadata keys the dialect keeps on ledger objects.
pub(crate) const ORDER_NUMBER: &str = "OrderNumber";
pub(crate) const EXTERNAL_ID: &str = "external_id";
pub(crate) const ADDRESS: &str = "address";
pub(crate) const CUSTOMER_PREFIX: &str = "customer.";

/// Openpay's zone: America/Mexico_City, UTC-6 all year since 2022.
fn zone() -> FixedOffset {
    FixedOffset::west_opt(6 * 3600).expect("six hours is a valid offset")
}

/// `2014-05-26T11:02:45-06:00`.
pub(crate) fn time(t: DateTime<Utc>) -> String {
    t.with_timezone(&zone())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// The calendar date of `t` in Openpay's zone (what date filters compare).
pub(crate) fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&zone()).date_naive()
}

fn meta<'a>(m: &'a [(String, String)], key: &str) -> Option<&'a str> {
    m.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// The amount a charge shows: what was captured, else what was authorised.
pub(crate) fn shown_minor(c: &Charge) -> i64 {
    if c.is_captured() {
        c.captured_amount
    } else {
        c.amount
    }
}

pub(crate) fn shown_amount(c: &Charge) -> Decimal {
    major_units::major(shown_minor(c), &c.currency)
}

/// The charge's `order_id`: the one sent, else a seeded order number.
pub(crate) fn order_id(c: &Charge) -> Option<&str> {
    c.reference
        .as_deref()
        .or_else(|| meta(&c.metadata, ORDER_NUMBER))
}

/// Openpay's status for a charge.
pub(crate) fn status(l: &Ledger, c: &Charge) -> &'static str {
    match &c.state {
        ChargeState::Authorised => "in_progress",
        ChargeState::Voided | ChargeState::Expired => "cancelled",
        ChargeState::Declined { .. } => "failed",
        ChargeState::PendingAuthentication => "charge_pending",
        ChargeState::Captured => match l.dispute_for_charge(&c.token).map(|d| d.status) {
            Some(DisputeStatus::Lost) => "chargeback_accepted",
            Some(DisputeStatus::Won) => "chargeback_adjustment",
            Some(_) => "chargeback_pending",
            None if c.active_chargebacks => "chargeback_pending",
            None if c.captured_amount > 0 && c.refunded_amount >= c.captured_amount => "refunded",
            None => "completed",
        },
    }
}

/// A six-digit authorisation number derived from the token (FNV-1a).
pub(crate) fn authorization(token: &str) -> String {
    format!("{:06}", fnv1a(token) % 1_000_000)
}

#[derive(Serialize, Clone)]
pub(crate) struct CardJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(rename = "type")]
    kind: &'static str,
    brand: &'static str,
    address: Option<Value>,
    card_number: String,
    holder_name: String,
    expiration_year: String,
    expiration_month: String,
    allows_charges: bool,
    allows_payouts: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    creation_date: Option<String>,
    bank_name: &'static str,
    bank_code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_id: Option<String>,
}

/// A card object; `created` is known only for stored cards.
pub(crate) fn card(c: &Card, created: Option<DateTime<Utc>>, with_id: bool) -> CardJson {
    let brand = test_cards::brand(&c.scheme);
    let kind = if brand == "american_express" || c.last4.ends_with(['1', '3', '5', '7', '9']) {
        "credit"
    } else {
        "debit"
    };
    let (bank_name, bank_code) = test_cards::bank(&c.scheme);
    let address = (!c.address_line1.is_empty()).then(|| {
        serde_json::json!({
            "line1": c.address_line1,
            "line2": c.address_line2,
            "line3": null,
            "postal_code": c.address_postcode,
            "state": c.address_state,
            "city": c.address_city,
            "country_code": c.address_country,
        })
    });
    CardJson {
        id: with_id.then(|| c.token.clone()),
        kind,
        brand,
        address,
        card_number: c.display_number.replace('-', ""),
        holder_name: c.name.clone(),
        expiration_year: format!("{:02}", c.expiry_year.rem_euclid(100)),
        expiration_month: format!("{:02}", c.expiry_month),
        allows_charges: true,
        allows_payouts: kind == "debit",
        creation_date: created.map(time),
        bank_name,
        bank_code,
        customer_id: c.customer_token.clone(),
    }
}

/// Openpay's fee on a transaction: the commission and the IVA on it, kept apart.
#[derive(Serialize, Clone)]
pub(crate) struct FeeJson {
    amount: Box<RawValue>,
    tax: Box<RawValue>,
    currency: String,
}

pub(crate) fn fee(f: Fee, currency: &str) -> FeeJson {
    FeeJson {
        amount: major_units::json(f.fee, currency),
        tax: major_units::json(f.fee_tax, currency),
        currency: currency.to_string(),
    }
}

#[derive(Serialize, Clone)]
pub(crate) struct Transaction {
    pub id: String,
    pub authorization: Option<String>,
    pub operation_type: &'static str,
    pub transaction_type: &'static str,
    pub method: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<CardJson>,
    /// A payout's destination, masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<Value>,
    pub status: &'static str,
    pub conciliated: bool,
    pub creation_date: String,
    pub operation_date: String,
    pub description: String,
    pub error_message: Option<String>,
    pub order_id: Option<String>,
    pub customer_id: Option<String>,
    pub amount: Box<RawValue>,
    pub currency: String,
    /// Left out until Openpay has charged its commission (a captured
    /// charge), `Some(None)` is `null` (a payout, as the Java client's tests
    /// expect).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee: Option<Option<FeeJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund: Option<Box<Transaction>>,
    /// Every refund of the charge, as the real API's transaction carries them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refunds: Vec<Transaction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<Value>,
}

/// The charge as an Openpay transaction; `refund` is its latest refund, if any, and
/// `refunds` all of them.
pub(crate) fn charge(l: &Ledger, c: &Charge) -> Transaction {
    let st = status(l, c);
    let approved = !matches!(
        c.state,
        ChargeState::Declined { .. } | ChargeState::PendingAuthentication
    );
    let error_message = match &c.state {
        ChargeState::Declined { code, .. } => {
            Some(test_cards::message(test_cards::code_of(code)).to_string())
        }
        _ => None,
    };
    let auth = approved.then(|| authorization(&c.token));
    let refunds: Vec<Transaction> = l
        .refunds_for_charge(&c.token)
        .map(|rs| {
            rs.into_iter()
                .filter(|r| !r.release)
                .map(|r| refund(c, r, auth.clone()))
                .collect()
        })
        .unwrap_or_default();
    let refund = refunds.first().cloned().map(Box::new);
    let customer: serde_json::Map<String, Value> = c
        .metadata
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix(CUSTOMER_PREFIX)
                .map(|f| (f.to_string(), Value::String(v.clone())))
        })
        .collect();
    Transaction {
        id: c.token.clone(),
        authorization: auth,
        operation_type: "in",
        transaction_type: "charge",
        method: "card",
        card: Some(card(&c.card, None, c.card.customer_token.is_some())),
        status: st,
        conciliated: st == "completed" || st == "refunded",
        creation_date: time(c.created_at),
        operation_date: time(c.captured_at.unwrap_or(c.created_at)),
        description: c.description.clone(),
        error_message,
        order_id: order_id(c).map(str::to_string),
        customer_id: c.customer_token.clone(),
        amount: major_units::json(shown_minor(c), &c.currency),
        currency: c.currency.clone(),
        fee: c
            .is_captured()
            .then(|| l.capture_fee(c, c.captured_amount))
            .flatten()
            .map(|f| Some(fee(f, &c.currency))),
        refund,
        refunds,
        customer: (!customer.is_empty()).then_some(Value::Object(customer)),
        bank_account: None,
    }
}

/// A transaction of `amount` minor units at `at`, completed, with none of a
/// charge's extras (card, refunds, customer, fee): what refunds, payouts and
/// the payout report's other lines start from.
pub(crate) fn bare(
    id: String,
    operation_type: &'static str,
    transaction_type: &'static str,
    amount: i64,
    currency: &str,
    at: DateTime<Utc>,
) -> Transaction {
    Transaction {
        id,
        authorization: None,
        operation_type,
        transaction_type,
        method: "card",
        card: None,
        bank_account: None,
        status: "completed",
        conciliated: true,
        creation_date: time(at),
        operation_date: time(at),
        description: String::new(),
        error_message: None,
        order_id: None,
        customer_id: None,
        amount: major_units::json(amount, currency),
        currency: currency.to_string(),
        fee: None,
        refund: None,
        refunds: Vec::new(),
        customer: None,
    }
}

/// A refund as its own transaction (`operation_type` out).
pub(crate) fn refund(c: &Charge, r: &Refund, auth: Option<String>) -> Transaction {
    Transaction {
        authorization: auth,
        // Openpay answers a refund with a completed refund transaction at once;
        // the ledger's settlement delay is not shown.
        conciliated: r.state == RefundState::Succeeded,
        description: r.reason.clone().unwrap_or_default(),
        customer_id: c.customer_token.clone(),
        ..bare(
            r.token.clone(),
            "out",
            "refund",
            r.amount,
            &r.currency,
            r.created_at,
        )
    }
}

#[derive(Serialize)]
pub(crate) struct CustomerJson {
    id: String,
    name: String,
    last_name: Option<String>,
    email: String,
    phone_number: Option<String>,
    status: &'static str,
    balance: Box<RawValue>,
    creation_date: String,
    external_id: Option<String>,
    address: Option<Value>,
    clabe: Option<String>,
}

pub(crate) fn customer(c: &Customer) -> CustomerJson {
    CustomerJson {
        id: c.token.clone(),
        name: c.first_name.clone().unwrap_or_default(),
        last_name: c.last_name.clone(),
        email: c.email.clone(),
        phone_number: c.phone_number.clone(),
        status: if c.deleted { "deleted" } else { "active" },
        balance: major_units::json(0, "MXN"),
        creation_date: time(c.created_at),
        external_id: meta(&c.metadata, EXTERNAL_ID).map(str::to_string),
        address: meta(&c.metadata, ADDRESS).and_then(|a| serde_json::from_str(a).ok()),
        clabe: None,
    }
}

/// Any of the above (or a list of them) as a JSON response.
pub(crate) fn reply<T: Serialize>(status: StatusCode, value: &T) -> Response {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_string());
    let mut resp = Response::new(Body::from(text));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(respond::JSON_UTF8),
    );
    resp
}
