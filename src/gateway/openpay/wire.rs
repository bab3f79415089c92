//! Openpay's JSON, and its translation into the domain model. A charge is a
//! "transaction"; its refunds are embedded in it (`refunds`, or the older single
//! `refund`); amounts are decimal major units, read exactly by [`Amount`].

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::domain::{
    Card, CardSummary, Charge, ChargeStatus, Customer, Failure, RawJson, Refund, RefundStatus,
};
use crate::gateway::GatewayError;
use crate::gateway::card_wire::{card_brand, expiry, last4};
use crate::gateway::decimal_amount::Amount;
use crate::gateway::record::{decode, malformed, string_metadata};
use crate::money::{Currency, Money};

/// The metadata key under which a charge's `order_id` is shown and searched.
pub const ORDER_ID_METADATA: &str = "order_id";

fn money(amount: Decimal, currency: Currency, raw: &RawValue) -> Result<Money, GatewayError> {
    Money::new(amount, currency).map_err(|e| malformed("amount", e, raw))
}

#[derive(Deserialize)]
struct OpTransaction {
    id: String,
    amount: Amount,
    method: Option<String>,
    status: String,
    currency: Option<String>,
    creation_date: DateTime<Utc>,
    operation_date: Option<DateTime<Utc>>,
    description: Option<String>,
    error_message: Option<String>,
    error_code: Option<Value>,
    order_id: Option<String>,
    customer_id: Option<String>,
    card: Option<OpCard>,
    customer: Option<OpChargeCustomer>,
    refund: Option<Box<RawValue>>,
    refunds: Option<Vec<Box<RawValue>>>,
    metadata: Option<BTreeMap<String, Value>>,
}

/// The payer a merchant-level charge names; no account is kept for them.
#[derive(Deserialize)]
struct OpChargeCustomer {
    email: Option<String>,
}

#[derive(Deserialize)]
struct OpCard {
    id: Option<String>,
    brand: Option<String>,
    card_number: Option<String>,
    holder_name: Option<String>,
    expiration_month: Option<Value>,
    expiration_year: Option<Value>,
    customer_id: Option<String>,
    allows_charges: Option<bool>,
    creation_date: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct OpRefund {
    id: String,
    amount: Amount,
    status: Option<String>,
    currency: Option<String>,
    creation_date: Option<DateTime<Utc>>,
    operation_date: Option<DateTime<Utc>>,
    description: Option<String>,
    error_message: Option<String>,
}

fn currency(code: Option<&str>, raw: &RawValue) -> Result<Currency, GatewayError> {
    // Openpay Mexico has long omitted the currency of peso charges.
    crate::gateway::record::currency(code.unwrap_or("MXN"), raw)
}

/// Every refund embedded in a charge, oldest first, in the charge's currency unless a
/// refund says otherwise.
fn embedded_refunds(op: &OpTransaction, raw: &RawValue) -> Result<Vec<Refund>, GatewayError> {
    let charge_currency = currency(op.currency.as_deref(), raw)?;
    let items: Vec<&RawValue> = match (&op.refunds, &op.refund) {
        (Some(list), _) if !list.is_empty() => list.iter().map(|r| r.as_ref()).collect(),
        (_, Some(one)) if one.get().trim() != "null" => vec![one.as_ref()],
        _ => Vec::new(),
    };
    let mut refunds = items
        .into_iter()
        .map(|item| refund(item, &op.id, charge_currency, op.operation_date))
        .collect::<Result<Vec<_>, _>>()?;
    refunds.sort_by_key(|r| r.created);
    Ok(refunds)
}

fn refund(
    raw: &RawValue,
    charge_id: &str,
    charge_currency: Currency,
    fallback_date: Option<DateTime<Utc>>,
) -> Result<Refund, GatewayError> {
    let op: OpRefund = decode("refund", raw)?;
    let currency = match op.currency.as_deref() {
        Some(code) => currency(Some(code), raw)?,
        None => charge_currency,
    };
    let status = match op.status.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("completed") | None => RefundStatus::Succeeded,
        Some("failed" | "cancelled") => RefundStatus::Failed,
        Some(_) => RefundStatus::Pending,
    };
    let created = op
        .creation_date
        .or(op.operation_date)
        .or(fallback_date)
        .ok_or_else(|| malformed("refund", "no date", raw))?;
    Ok(Refund {
        id: op.id,
        charge_id: charge_id.to_string(),
        amount: money(op.amount.0, currency, raw)?,
        status,
        created,
        reason: op.description.filter(|d| !d.is_empty()),
        error_message: op.error_message,
        raw: RawJson::new(raw.get()),
    })
}

/// The refunds of a charge, from the charge's own JSON.
pub fn refunds(raw: &RawValue) -> Result<Vec<Refund>, GatewayError> {
    let op: OpTransaction = decode("charge", raw)?;
    embedded_refunds(&op, raw)
}

/// The `id` of a transaction, without decoding the rest.
pub fn id(raw: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct Only {
        id: String,
    }
    serde_json::from_str::<Only>(raw.get()).ok().map(|o| o.id)
}

/// A transaction's `fee`: Openpay's commission and the IVA on it, apart, in
/// `currency`; `None` while it has none (a charge not yet captured).
pub fn fee(raw: &RawValue, currency: Currency) -> Result<Option<(Money, Money)>, GatewayError> {
    #[derive(Deserialize)]
    struct Fee {
        amount: Amount,
        tax: Option<Amount>,
    }
    #[derive(Deserialize)]
    struct Only {
        fee: Option<Fee>,
    }
    let Some(f) = decode::<Only>("fee", raw)?.fee else {
        return Ok(None);
    };
    let tax = f.tax.map_or(Decimal::ZERO, |t| t.0);
    Ok(Some((
        money(f.amount.0, currency, raw)?,
        money(tax, currency, raw)?,
    )))
}

/// The `order_id` of a charge, without decoding the rest.
pub fn order_id(raw: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct Only {
        order_id: Option<String>,
    }
    serde_json::from_str::<Only>(raw.get()).ok()?.order_id
}

/// The `external_id` of a customer, without decoding the rest.
pub fn external_id(raw: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct Only {
        external_id: Option<String>,
    }
    serde_json::from_str::<Only>(raw.get()).ok()?.external_id
}

pub fn charge(raw: &RawValue) -> Result<Charge, GatewayError> {
    let op: OpTransaction = decode("charge", raw)?;
    let currency = currency(op.currency.as_deref(), raw)?;
    let amount = money(op.amount.0, currency, raw)?;
    let zero = Money::zero(currency);
    let refunds = embedded_refunds(&op, raw)?;
    let mut refunded = zero;
    for r in refunds.iter().filter(|r| r.status != RefundStatus::Failed) {
        refunded = refunded
            .checked_add(r.amount)
            .map_err(|e| malformed("refund", e, raw))?;
    }
    let refund_pending = refunds.iter().any(|r| r.status == RefundStatus::Pending);
    let by_card = op.method.as_deref().is_none_or(|m| m == "card");
    let (status, captured, refunded) = match op.status.to_ascii_lowercase().as_str() {
        // A card charge made with `capture: false` waits here for confirmation.
        "in_progress" if by_card => (ChargeStatus::Authorised, zero, zero),
        // Waiting on the payer: a 3-D Secure redirect, or a store or bank payment.
        "in_progress" | "charge_pending" => (ChargeStatus::Pending3ds, zero, zero),
        // Refunding a pre-authorisation cancels it; its "refund" moved no money.
        "cancelled" => (ChargeStatus::Voided, zero, zero),
        "failed" => (ChargeStatus::Declined, zero, zero),
        // Openpay's word is final: every refund it shows may not be every refund made
        // (some responses embed only the latest).
        "refunded" => (ChargeStatus::Refunded, amount, amount),
        "completed" if refunded.is_positive() && refunded.amount >= amount.amount => {
            (ChargeStatus::Refunded, amount, refunded)
        }
        "completed" if refunded.is_positive() => {
            (ChargeStatus::PartiallyRefunded, amount, refunded)
        }
        "completed" => (ChargeStatus::Captured, amount, zero),
        s if s.starts_with("chargeback") => (ChargeStatus::Disputed, amount, refunded),
        other => {
            return Err(malformed(
                "charge",
                format!("unknown status {other:?}"),
                raw,
            ));
        }
    };
    let failure = (status == ChargeStatus::Declined).then(|| Failure {
        code: match &op.error_code {
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.clone(),
            _ => "failed".into(),
        },
        message: op
            .error_message
            .clone()
            .unwrap_or_else(|| "The charge failed".into()),
    });
    let mut metadata = string_metadata(op.metadata);
    if let Some(order) = &op.order_id {
        metadata.insert(ORDER_ID_METADATA.into(), order.clone());
    }
    let captured_at = captured
        .is_positive()
        .then_some(op.operation_date)
        .flatten();
    let customer_id = op
        .customer_id
        .or_else(|| op.card.as_ref().and_then(|c| c.customer_id.clone()));
    Ok(Charge {
        id: op.id,
        created: op.creation_date,
        amount,
        captured,
        // A cancelled pre-authorisation released all of it. After a partial capture
        // Openpay shows only the captured amount, so nothing released is known.
        released: if status == ChargeStatus::Voided {
            amount
        } else {
            zero
        },
        refunded,
        status,
        refund_pending,
        captured_at,
        // Openpay does not say when a pre-authorisation lapses.
        authorisation_expires: None,
        email: op.customer.and_then(|c| c.email),
        description: op.description,
        card: op.card.as_ref().map(card_summary),
        customer_id,
        ip: None,
        metadata,
        failure,
        three_d_secure_session: None,
        raw: RawJson::new(raw.get()),
    })
}

fn card_summary(card: &OpCard) -> CardSummary {
    // Openpay writes the year with two digits: "25" is 2025.
    let (expiry_month, expiry_year) = expiry(
        card.expiration_month.as_ref(),
        card.expiration_year.as_ref(),
    );
    CardSummary {
        brand: card_brand(card.brand.as_deref()),
        // `411111XXXXXX1111`
        last4: last4(card.card_number.as_deref()),
        expiry_month,
        expiry_year,
    }
}

/// A saved card, and whether it can be charged, and when it was saved (for choosing
/// the one paydeck calls primary).
pub struct SavedCard {
    pub card: Card,
    pub allows_charges: bool,
    pub created: Option<DateTime<Utc>>,
}

pub fn saved_card(raw: &RawValue) -> Result<SavedCard, GatewayError> {
    let op: OpCard = decode("card", raw)?;
    let summary = card_summary(&op);
    Ok(SavedCard {
        card: Card {
            id: op.id.clone().unwrap_or_default(),
            brand: summary.brand,
            last4: summary.last4,
            expiry_month: summary.expiry_month,
            expiry_year: summary.expiry_year,
            name: op.holder_name.clone(),
            primary: false,
            customer_id: op.customer_id.clone(),
            raw: RawJson::new(raw.get()),
        },
        allows_charges: op.allows_charges.unwrap_or(true),
        created: op.creation_date,
    })
}

pub fn card(raw: &RawValue) -> Result<Card, GatewayError> {
    saved_card(raw).map(|saved| saved.card)
}

#[derive(Deserialize)]
struct OpCustomer {
    id: String,
    name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone_number: Option<String>,
    creation_date: DateTime<Utc>,
}

pub fn customer(raw: &RawValue) -> Result<Customer, GatewayError> {
    let op: OpCustomer = decode("customer", raw)?;
    let present = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    Ok(Customer {
        id: op.id,
        email: op.email.unwrap_or_default(),
        first_name: present(op.name),
        last_name: present(op.last_name),
        phone: present(op.phone_number),
        company: None,
        notes: None,
        created: op.creation_date,
        // Openpay customers carry no card; the adapter fills this in where it looks.
        primary_card: None,
        raw: RawJson::new(raw.get()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CardBrand;

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_string()).unwrap()
    }

    const CAPTURED: &str = r#"{
        "id":"tr6cxbcefzatd10guvvw","amount":100.00,"authorization":"801585","method":"card",
        "operation_type":"in","transaction_type":"charge",
        "card":{"type":"debit","brand":"visa","address":null,"card_number":"411111XXXXXX1111",
            "holder_name":"Juan Perez Ramirez","expiration_year":"20","expiration_month":"12",
            "allows_charges":true,"allows_payouts":true,"bank_name":"Banamex","bank_code":"002"},
        "status":"completed",
        "refund":{"id":"trcbsmjkroqmjobxqhpb","amount":40.50,"authorization":"801585",
            "method":"card","operation_type":"out","transaction_type":"refund",
            "status":"completed","currency":"COP","creation_date":"2014-05-26T13:56:21-05:00",
            "operation_date":"2014-05-26T13:56:21-05:00","description":"devolucion",
            "error_message":null,"order_id":null,"customer_id":"ag4nktpdzebjiye1tlze"},
        "currency":"COP","creation_date":"2014-05-26T11:56:25-05:00",
        "operation_date":"2014-05-26T11:56:25-05:00","description":"Cargo inicial a mi cuenta",
        "error_message":null,"order_id":"oid-00052","customer_id":"ag4nktpdzebjiye1tlze"}"#;

    #[test]
    fn the_documented_charge_with_its_embedded_refund() {
        let raw = raw(CAPTURED);
        let c = charge(&raw).unwrap();
        let cop = Currency::from_code("COP").unwrap();
        assert_eq!(c.amount, Money::new(Decimal::new(10000, 2), cop).unwrap());
        assert_eq!(c.amount.plain(), "100.00");
        assert_eq!(c.status, ChargeStatus::PartiallyRefunded);
        assert_eq!(c.refunded.plain(), "40.50");
        assert_eq!(c.refundable().plain(), "59.50");
        let card = c.card.unwrap();
        assert_eq!(
            (card.brand, card.last4.as_str(), card.expiry_year),
            (CardBrand::Visa, "1111", 2020)
        );
        assert_eq!(c.customer_id.as_deref(), Some("ag4nktpdzebjiye1tlze"));
        assert_eq!(c.metadata[ORDER_ID_METADATA], "oid-00052");
        assert_eq!(c.created.to_rfc3339(), "2014-05-26T16:56:25+00:00");
        let refunds = refunds(&raw).unwrap();
        assert_eq!(refunds.len(), 1);
        assert_eq!(refunds[0].charge_id, "tr6cxbcefzatd10guvvw");
        assert_eq!(refunds[0].reason.as_deref(), Some("devolucion"));
        assert_eq!(order_id(&raw).as_deref(), Some("oid-00052"));
    }

    fn with_status(status: &str, method: &str) -> Charge {
        let json = format!(
            r#"{{"id":"tr1","amount":0.1,"method":"{method}","status":"{status}","currency":"MXN",
                "creation_date":"2026-01-02T10:00:00-06:00","error_message":"The card was declined",
                "error_code":3001}}"#
        );
        charge(&raw(&json)).unwrap()
    }

    #[test]
    fn statuses_map_to_the_domain() {
        for (status, method, expected) in [
            ("in_progress", "card", ChargeStatus::Authorised),
            ("in_progress", "store", ChargeStatus::Pending3ds),
            ("charge_pending", "card", ChargeStatus::Pending3ds),
            ("cancelled", "card", ChargeStatus::Voided),
            ("chargeback_pending", "card", ChargeStatus::Disputed),
        ] {
            assert_eq!(with_status(status, method).status, expected, "{status}");
        }
        let refunded = with_status("refunded", "card");
        assert_eq!(refunded.status, ChargeStatus::Refunded);
        assert_eq!(refunded.refunded, refunded.amount);
        let completed = with_status("COMPLETED", "card");
        assert_eq!(completed.status, ChargeStatus::Captured);
        assert_eq!(completed.captured.amount.to_string(), "0.1");
        let failed = with_status("failed", "card");
        assert_eq!(failed.status, ChargeStatus::Declined);
        let failure = failed.failure.unwrap();
        assert_eq!(
            (failure.code.as_str(), failure.message.as_str()),
            ("3001", "The card was declined")
        );
    }

    #[test]
    fn unknown_statuses_and_missing_fields_are_malformed_not_panics() {
        let odd =
            r#"{"id":"tr1","amount":1,"status":"weird","creation_date":"2026-01-02T10:00:00Z"}"#;
        assert!(matches!(
            charge(&raw(odd)),
            Err(GatewayError::Malformed { .. })
        ));
        assert!(matches!(
            charge(&raw(r#"{"id":"tr1"}"#)),
            Err(GatewayError::Malformed { .. })
        ));
        let too_fine = r#"{"id":"tr1","amount":1.001,"status":"completed","currency":"MXN","creation_date":"2026-01-02T10:00:00Z"}"#;
        assert!(matches!(
            charge(&raw(too_fine)),
            Err(GatewayError::Malformed { .. })
        ));
    }

    #[test]
    fn several_refunds_are_summed_and_failed_ones_ignored() {
        let json = r#"{"id":"tr1","amount":99999999.99,"method":"card","status":"completed","currency":"MXN",
            "creation_date":"2026-01-02T10:00:00-06:00",
            "refunds":[
              {"id":"rf2","amount":0.01,"status":"completed","operation_date":"2026-01-03T10:00:00-06:00"},
              {"id":"rf1","amount":100.00,"status":"completed","operation_date":"2026-01-02T11:00:00-06:00"},
              {"id":"rf3","amount":5,"status":"failed","operation_date":"2026-01-04T10:00:00-06:00"}
            ]}"#;
        let raw = raw(json);
        let c = charge(&raw).unwrap();
        assert_eq!(c.amount.plain(), "99999999.99");
        assert_eq!(c.refunded.plain(), "100.01");
        assert_eq!(c.status, ChargeStatus::PartiallyRefunded);
        let ids: Vec<String> = refunds(&raw).unwrap().into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["rf1", "rf2", "rf3"]);
    }

    #[test]
    fn cards_and_customers() {
        let card_json = r#"{"id":"kqgykn96i7bcs1wwhvgw","type":"debit","brand":"mastercard",
            "card_number":"555555XXXXXX4444","holder_name":"Juan","expiration_year":"29",
            "expiration_month":"1","allows_charges":true,"creation_date":"2014-05-26T11:02:16-05:00",
            "customer_id":"ag4nktpdzebjiye1tlze"}"#;
        let saved = saved_card(&raw(card_json)).unwrap();
        assert_eq!(saved.card.brand, CardBrand::Mastercard);
        assert_eq!(
            (
                saved.card.last4.as_str(),
                saved.card.expiry_month,
                saved.card.expiry_year
            ),
            ("4444", 1, 2029)
        );
        let customer_json = r#"{"id":"ag4nktpdzebjiye1tlze","name":"Juan","last_name":"Vazquez",
            "email":"juan@empresa.com","phone_number":"","external_id":"pd_1",
            "creation_date":"2014-05-20T16:47:47-05:00","status":"active","balance":103.00}"#;
        let raw_customer = raw(customer_json);
        let c = customer(&raw_customer).unwrap();
        assert_eq!(c.display_name(), "Juan Vazquez");
        assert_eq!(c.phone, None);
        assert_eq!(external_id(&raw_customer).as_deref(), Some("pd_1"));
    }
}
