//! Openpay's requests: JSON bodies, and the query of a charge listing.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use crate::domain::{
    CardDetails, ChargeFilter, ChargeStatus, CustomerUpdate, NewCharge, PageRequest,
};
use crate::gateway::decimal_amount::to_json_number;
use crate::gateway::http::Request;
use crate::gateway::paging::{offset_query, status_query};
use crate::gateway::{GatewayError, OperationKey, Result};

/// Openpay's largest page.
pub const MAX_LIMIT: u32 = 100;

/// `offset` and `limit` for a page; returns the offset asked for.
pub fn paged(request: Request, page: &PageRequest) -> (Request, u64) {
    offset_query(request, page, 1, MAX_LIMIT)
}

/// Openpay compares `creation[gte]`/`creation[lte]` with whole days in the merchant's
/// own time zone, so the days sent are widened by one on each side: the server may
/// return a little more than asked, never less, and the caller's local filter trims it.
fn day_before(instant: DateTime<Utc>) -> String {
    (instant.date_naive() - Duration::days(1))
        .format("%Y-%m-%d")
        .to_string()
}

fn day_after_last(until: DateTime<Utc>) -> String {
    let last = until - Duration::nanoseconds(1);
    (last.date_naive() + Duration::days(1))
        .format("%Y-%m-%d")
        .to_string()
}

/// The one Openpay status that holds every charge of a domain status, where there is
/// exactly one. Refunds keep some charges `completed` and move others to `refunded`, and
/// chargebacks have three statuses, so those are filtered locally only.
fn wire_status(status: ChargeStatus) -> Option<&'static str> {
    match status {
        ChargeStatus::Authorised => Some("IN_PROGRESS"),
        ChargeStatus::Captured => Some("COMPLETED"),
        ChargeStatus::Voided => Some("CANCELLED"),
        ChargeStatus::Declined => Some("FAILED"),
        ChargeStatus::Pending3ds => Some("CHARGE_PENDING"),
        _ => None,
    }
}

/// The server-side part of a charge filter: dates, amounts and a single status.
pub fn filter_query(mut request: Request, filter: &ChargeFilter) -> Request {
    if let Some(from) = filter.from {
        request = request.query("creation[gte]", day_before(from));
    }
    if let Some(until) = filter.until {
        request = request.query("creation[lte]", day_after_last(until));
    }
    if let Some(min) = filter.min_amount {
        request = request.query("amount[gte]", min.normalize());
    }
    if let Some(max) = filter.max_amount {
        request = request.query("amount[lte]", max.normalize());
    }
    status_query(request, filter, wire_status)
}

/// A payer for a merchant-level charge, which Openpay requires: paydeck knows only
/// their email, so it is also their name.
fn payer(email: &str) -> Value {
    let name = email
        .split('@')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or(email);
    json!({ "name": name, "email": email })
}

/// Card data for the API's test cards; paydeck's screens never send any.
pub fn card_fields(card: &CardDetails) -> Value {
    json!({
        "card_number": card.number.expose(),
        "holder_name": card.name,
        "expiration_month": format!("{:02}", card.expiry_month),
        "expiration_year": format!("{:02}", card.expiry_year % 100),
        "cvv2": card.cvc.expose(),
    })
}

/// How a charge is paid for.
pub enum ChargeSource<'a> {
    /// A token or a card id, at the merchant level.
    SourceId(&'a str),
    Card(&'a CardDetails),
    /// A saved card of a customer, at the customer level.
    CustomerCard {
        card_id: String,
    },
}

/// The body of a card charge. Its `order_id` is the operation key: Openpay refuses a
/// second transaction with the same order id, and finds the first by it.
pub fn charge_body(
    charge: &NewCharge,
    source: &ChargeSource<'_>,
    key: &OperationKey,
) -> Result<Value> {
    let mut body = Map::new();
    body.insert("method".into(), "card".into());
    body.insert("amount".into(), to_json_number(charge.amount)?);
    body.insert("currency".into(), charge.amount.currency.code().into());
    body.insert("description".into(), charge.description.clone().into());
    body.insert("order_id".into(), key.as_str().into());
    body.insert("capture".into(), charge.capture.into());
    match source {
        ChargeSource::SourceId(id) => {
            body.insert("source_id".into(), (*id).into());
            body.insert("customer".into(), payer(&charge.email));
        }
        ChargeSource::Card(card) => {
            body.insert("card".into(), card_fields(card));
            body.insert("customer".into(), payer(&charge.email));
        }
        // A customer-level charge is the customer's own: no payer object is allowed.
        ChargeSource::CustomerCard { card_id } => {
            body.insert("source_id".into(), card_id.clone().into());
        }
    }
    if !charge.metadata.is_empty() {
        let metadata: Map<String, Value> = charge
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        body.insert("metadata".into(), Value::Object(metadata));
    }
    Ok(Value::Object(body))
}

/// A customer's contact fields as Openpay takes them, a create's or an update's, which
/// replaces them all: a name, the email, and the last name and phone where given.
pub fn contact_body(contact: &CustomerUpdate) -> Result<Map<String, Value>> {
    let email = contact.email.clone().unwrap_or_default();
    let mut body = Map::new();
    let name = customer_name(contact.first_name.as_deref(), &email)?;
    body.insert("name".into(), name.into());
    body.insert("email".into(), email.into());
    if let Some(last) = &contact.last_name {
        body.insert("last_name".into(), last.clone().into());
    }
    if let Some(phone) = &contact.phone {
        body.insert("phone_number".into(), phone.clone().into());
    }
    Ok(body)
}

/// Openpay wants a name for every customer; the email's local part stands in.
fn customer_name(first_name: Option<&str>, email: &str) -> Result<String> {
    let name = first_name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .or_else(|| email.split('@').next().filter(|n| !n.trim().is_empty()));
    name.map(String::from)
        .ok_or_else(|| GatewayError::invalid("Openpay needs a name or an email for a customer"))
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::str::FromStr;

    use chrono::TimeZone;
    use rust_decimal::Decimal;

    use super::*;
    use crate::domain::PaymentSource;
    use crate::money::{Currency, Money};

    #[test]
    fn filters_widen_dates_and_send_amounts_and_one_status() {
        let filter = ChargeFilter {
            from: Some(Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).unwrap()),
            until: Some(Utc.with_ymd_and_hms(2026, 3, 12, 0, 0, 0).unwrap()),
            min_amount: Some(Decimal::from_str("10.50").unwrap()),
            max_amount: Some(Decimal::from_str("99999999.99").unwrap()),
            statuses: BTreeSet::from([ChargeStatus::Authorised]),
            ..ChargeFilter::default()
        };
        let sent = filter_query(Request::get("charges"), &filter);
        let get = |name| sent.query_value(name);
        assert_eq!(get("creation[gte]"), Some("2026-03-09"));
        assert_eq!(get("creation[lte]"), Some("2026-03-12"));
        assert_eq!(get("amount[gte]"), Some("10.5"));
        assert_eq!(get("amount[lte]"), Some("99999999.99"));
        assert_eq!(get("status"), Some("IN_PROGRESS"));
        // Refunds leave some charges completed and make others refunded.
        assert_eq!(wire_status(ChargeStatus::Refunded), None);
    }

    #[test]
    fn a_charge_body_carries_the_key_as_order_id_and_an_exact_amount() {
        let mxn = Currency::from_code("MXN").unwrap();
        let charge = NewCharge {
            amount: Money::from_minor(10000, mxn),
            email: "juan@empresa.mx".into(),
            description: "Cargo".into(),
            ip_address: "127.0.0.1".into(),
            capture: false,
            source: PaymentSource::CardToken("tok".into()),
            metadata: BTreeMap::from([("channel".to_string(), "test".to_string())]),
        };
        let key = OperationKey::new();
        let body = charge_body(&charge, &ChargeSource::SourceId("tok"), &key).unwrap();
        let text = body.to_string();
        assert!(text.contains(r#""amount":100.00"#), "{text}");
        assert_eq!(body["order_id"], key.as_str());
        assert_eq!(body["capture"], false);
        assert_eq!(body["customer"]["name"], "juan");
        assert_eq!(body["metadata"]["channel"], "test");
        let own = charge_body(
            &charge,
            &ChargeSource::CustomerCard {
                card_id: "k1".into(),
            },
            &key,
        )
        .unwrap();
        assert!(own.get("customer").is_none());
        assert_eq!(own["source_id"], "k1");
    }
}
