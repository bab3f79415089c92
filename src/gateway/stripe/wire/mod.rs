//! Stripe's JSON (API v1), and its translation into the domain model. Amounts arrive
//! as integer minor units and times as Unix seconds; both become domain types here.

mod cards;
mod charges;
mod customers;
mod disputes;
mod payouts;
mod refunds;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::domain::Cursor;
use crate::gateway::GatewayError;
use crate::gateway::list_records::RawPage;
use crate::gateway::record::{decode, malformed};

pub use cards::card;
pub use charges::charge;
pub use customers::{COMPANY_METADATA, customer, customer_defaults};
pub use disputes::dispute;
pub use payouts::{
    ChargeBalance, ChargeTxn, balance, balance_line, charge_balance, charge_txn, payout,
};
pub use refunds::{REASON_METADATA, refund, refund_unless_release};

/// How the next page of a list is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// `starting_after` the last item's id.
    List,
    /// The search result's opaque `next_page` token.
    Search,
}

/// A list object (`"object": "list"`) or a search result (`"object": "search_result"`).
#[derive(Deserialize)]
pub struct List {
    pub data: Vec<Box<RawValue>>,
    #[serde(default)]
    pub has_more: bool,
    pub next_page: Option<String>,
    pub total_count: Option<u64>,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

impl List {
    /// The page's records, and the cursor of the next page, if any.
    pub fn into_raw(self, paging: Paging) -> Result<RawPage, GatewayError> {
        let next = match paging {
            // An empty page that claims more would be followed for ever.
            _ if !self.has_more || self.data.is_empty() => None,
            Paging::List => match self.data.last() {
                Some(last) => Some(Cursor::After(decode::<IdOnly>("list item", last)?.id)),
                None => None,
            },
            Paging::Search => self
                .next_page
                .filter(|token| !token.is_empty())
                .map(Cursor::After),
        };
        Ok(RawPage {
            records: self.data,
            next,
            total: self.total_count,
        })
    }
}

fn time(seconds: i64, raw: &RawValue) -> Result<DateTime<Utc>, GatewayError> {
    DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| malformed("created", format!("{seconds} is not a time"), raw))
}

/// An expandable field: the id, or the expanded object's id.
fn id_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(id) => Some(id.clone()),
        Value::Object(object) => object.get("id")?.as_str().map(String::from),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CardBrand, ChargeStatus, DisputeStatus, RefundStatus};
    use crate::money::{Currency, Money};

    fn raw(value: Value) -> Box<RawValue> {
        serde_json::value::to_raw_value(&value).unwrap()
    }

    fn base() -> Value {
        serde_json::json!({
            "id": "ch_1", "object": "charge", "amount": 4000, "amount_captured": 4000,
            "amount_refunded": 0, "captured": true, "created": 1_700_000_000, "currency": "usd",
            "customer": null, "disputed": false, "refunded": false, "status": "succeeded",
            "metadata": {"order_id": "6735"},
            "payment_method_details": {"type": "card", "card": {
                "brand": "visa", "last4": "4242", "exp_month": 8, "exp_year": 2030}},
        })
    }

    #[test]
    fn statuses_follow_the_flags() {
        let c = charge(&raw(base())).unwrap();
        assert_eq!(c.status, ChargeStatus::Captured);
        assert_eq!(c.card.as_ref().unwrap().last4, "4242");
        assert_eq!(c.metadata["order_id"], "6735");
        assert_eq!(c.created.timestamp(), 1_700_000_000);

        let mut part = base();
        part["amount_refunded"] = 1250.into();
        let c = charge(&raw(part)).unwrap();
        assert_eq!(c.status, ChargeStatus::PartiallyRefunded);
        assert_eq!(c.refundable(), Money::from_minor(2750, Currency::USD));

        let mut auth = base();
        auth["captured"] = false.into();
        auth["amount_captured"] = 0.into();
        let c = charge(&raw(auth.clone())).unwrap();
        assert_eq!(c.status, ChargeStatus::Authorised);
        assert_eq!(
            c.authorisation_expires.unwrap().timestamp(),
            1_700_000_000 + 7 * 86_400
        );
        auth["payment_method_details"]["card"]["capture_before"] = 1_700_100_000.into();
        let c = charge(&raw(auth.clone())).unwrap();
        assert_eq!(c.authorisation_expires.unwrap().timestamp(), 1_700_100_000);

        let mut released = auth.clone();
        released["refunded"] = true.into();
        released["amount_refunded"] = 4000.into();
        assert_eq!(
            charge(&raw(released.clone())).unwrap().status,
            ChargeStatus::Voided
        );
        released["refunds"] = serde_json::json!({"object": "list", "data": [
            {"id": "re_1", "reason": "expired_uncaptured_charge", "status": "succeeded"}]});
        assert_eq!(
            charge(&raw(released)).unwrap().status,
            ChargeStatus::Expired
        );

        let mut disputed = base();
        disputed["disputed"] = true.into();
        assert_eq!(
            charge(&raw(disputed)).unwrap().status,
            ChargeStatus::Disputed
        );

        let mut failed = base();
        failed["status"] = "failed".into();
        failed["captured"] = false.into();
        failed["failure_code"] = "card_declined".into();
        failed["failure_message"] = "Your card was declined.".into();
        failed["outcome"] =
            serde_json::json!({"type": "issuer_declined", "reason": "insufficient_funds"});
        let c = charge(&raw(failed)).unwrap();
        assert_eq!(c.status, ChargeStatus::Declined);
        assert_eq!(c.failure.unwrap().code, "insufficient_funds");
    }

    #[test]
    fn a_partial_capture_is_not_a_refund() {
        let mut partial = base();
        partial["amount_captured"] = 3000.into();
        partial["amount_refunded"] = 1000.into();
        let c = charge(&raw(partial.clone())).unwrap();
        assert_eq!(c.status, ChargeStatus::Captured);
        assert_eq!(c.captured, Money::from_minor(3000, Currency::USD));
        assert!(c.refunded.is_zero());
        partial["amount_refunded"] = 4000.into();
        partial["refunded"] = true.into();
        assert_eq!(
            charge(&raw(partial)).unwrap().status,
            ChargeStatus::Refunded
        );
    }

    #[test]
    fn lists_and_searches_name_their_next_page() {
        let list: List = serde_json::from_value(serde_json::json!({
            "object": "list", "has_more": true, "data": [base()]
        }))
        .unwrap();
        let page = list.into_raw(Paging::List).unwrap().decode(charge);
        assert_eq!(page.next, Some(Cursor::After("ch_1".into())));
        let search: List = serde_json::from_value(serde_json::json!({
            "object": "search_result", "has_more": true, "next_page": "tok", "data": [base()]
        }))
        .unwrap();
        let page = search.into_raw(Paging::Search).unwrap().decode(charge);
        assert_eq!(page.next, Some(Cursor::After("tok".into())));
        let last: List = serde_json::from_value(serde_json::json!({
            "object": "list", "has_more": false, "data": [base()]
        }))
        .unwrap();
        assert_eq!(last.into_raw(Paging::List).unwrap().next, None);
    }

    #[test]
    fn refunds_customers_and_disputes() {
        let r = refund(&raw(serde_json::json!({
            "id": "re_1", "object": "refund", "amount": 500, "charge": "ch_1",
            "created": 1_700_000_000, "currency": "jpy", "reason": "requested_by_customer",
            "status": "succeeded", "metadata": {"paydeck_reason": "arrived broken"}
        })))
        .unwrap();
        assert_eq!(r.amount, Money::from_minor(500, Currency::JPY));
        assert_eq!(r.reason.as_deref(), Some("arrived broken"));
        assert_eq!(r.status, RefundStatus::Succeeded);

        let c = customer(&raw(serde_json::json!({
            "id": "cus_1", "object": "customer", "email": "ada@example.com",
            "name": "Ada King Lovelace", "created": 1_700_000_000,
            "metadata": {"company": "Engines"},
            "invoice_settings": {"default_payment_method": {
                "id": "pm_1", "object": "payment_method", "type": "card",
                "card": {"brand": "mastercard", "last4": "4444", "exp_month": 1, "exp_year": 2031}}}
        })))
        .unwrap();
        assert_eq!(c.display_name(), "Ada King Lovelace");
        assert_eq!(c.company.as_deref(), Some("Engines"));
        let card = c.primary_card.unwrap();
        assert!(card.primary);
        assert_eq!(card.brand, CardBrand::Mastercard);
        assert!(matches!(
            customer(&raw(
                serde_json::json!({"id": "cus_1", "object": "customer", "deleted": true})
            )),
            Err(GatewayError::NotFound { .. })
        ));

        let d = dispute(&raw(serde_json::json!({
            "id": "dp_1", "object": "dispute", "amount": 1000, "currency": "usd",
            "charge": "ch_1", "created": 1_700_000_000, "reason": "product_not_received",
            "status": "needs_response",
            "evidence_details": {"due_by": 1_700_500_000, "has_evidence": false, "submission_count": 0}
        })))
        .unwrap();
        assert_eq!(d.status, DisputeStatus::NeedsResponse);
        assert_eq!(d.reason, "product not received");
        assert_eq!(d.evidence_due.unwrap().timestamp(), 1_700_500_000);
        assert!(!d.evidence_submitted);
    }
}
