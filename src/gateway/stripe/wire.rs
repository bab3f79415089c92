//! Stripe's JSON (API v1), and its translation into the domain model. Amounts arrive
//! as integer minor units and times as Unix seconds; both become domain types here.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::domain::{
    Card, CardSummary, Charge, ChargeStatus, Cursor, Customer, Dispute, DisputeStatus, Failure,
    RawJson, Refund, RefundStatus,
};
use crate::gateway::GatewayError;
use crate::gateway::card_wire::card_brand;
use crate::gateway::list_records::RawPage;
use crate::gateway::record::{currency, decode, malformed, string_metadata};
use crate::money::Money;

/// Uncaptured online card charges lapse seven days after creation, unless the charge
/// says otherwise in `payment_method_details.card.capture_before`.
const AUTHORISATION_LIFETIME_DAYS: i64 = 7;
/// The refund reason Stripe gives when an authorisation lapsed uncaptured.
const EXPIRED_REASON: &str = "expired_uncaptured_charge";
/// The metadata key that carries the operator's own words for a refund.
pub const REASON_METADATA: &str = "paydeck_reason";

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
struct CardDetails {
    brand: Option<String>,
    last4: Option<String>,
    exp_month: Option<i64>,
    exp_year: Option<i64>,
    capture_before: Option<i64>,
}

#[derive(Deserialize)]
struct BillingDetails {
    email: Option<String>,
    name: Option<String>,
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

fn summary(
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
fn legacy_card_summary(source: &Value) -> Option<CardSummary> {
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

#[derive(Deserialize)]
struct StripeCustomer {
    id: String,
    #[serde(default)]
    deleted: bool,
    email: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    description: Option<String>,
    created: Option<i64>,
    metadata: Option<BTreeMap<String, Value>>,
    default_source: Option<Value>,
    invoice_settings: Option<InvoiceSettings>,
}

#[derive(Deserialize)]
struct InvoiceSettings {
    default_payment_method: Option<Value>,
}

/// Where paydeck keeps a customer's company, which Stripe has no field for.
pub const COMPANY_METADATA: &str = "company";

/// The ids of a customer's default PaymentMethod and default source, if any.
pub fn customer_defaults(raw: &RawValue) -> Result<Vec<String>, GatewayError> {
    let stripe: StripeCustomer = decode("customer", raw)?;
    Ok([
        id_of(
            stripe
                .invoice_settings
                .and_then(|s| s.default_payment_method)
                .as_ref(),
        ),
        id_of(stripe.default_source.as_ref()),
    ]
    .into_iter()
    .flatten()
    .collect())
}

pub fn customer(raw: &RawValue) -> Result<Customer, GatewayError> {
    let stripe: StripeCustomer = decode("customer", raw)?;
    if stripe.deleted {
        return Err(GatewayError::NotFound {
            message: format!("Customer {} has been deleted", stripe.id),
        });
    }
    let mut metadata = string_metadata(stripe.metadata);
    // Stripe keeps one name; the first word is taken as the first name, so that
    // `display_name` gives back the name as Stripe has it.
    let name = stripe.name.unwrap_or_default();
    let mut words = name.trim().splitn(2, ' ');
    let first_name = words.next().filter(|w| !w.is_empty()).map(String::from);
    let last_name = words
        .next()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(String::from);
    // The default card, where it came expanded.
    let expanded = stripe
        .invoice_settings
        .and_then(|s| s.default_payment_method)
        .filter(Value::is_object)
        .or(stripe.default_source.filter(Value::is_object));
    let primary_card = match expanded {
        Some(object) => {
            let text = serde_json::value::to_raw_value(&object)
                .map_err(|e| malformed("customer's card", e, raw))?;
            let mut card = card(&text)?;
            card.primary = true;
            Some(card)
        }
        None => None,
    };
    Ok(Customer {
        id: stripe.id,
        email: stripe.email.unwrap_or_default(),
        first_name,
        last_name,
        phone: stripe.phone.filter(|p| !p.is_empty()),
        company: metadata.remove(COMPANY_METADATA),
        notes: stripe.description.filter(|d| !d.is_empty()),
        created: time(stripe.created.unwrap_or(0), raw)?,
        primary_card,
        raw: RawJson::new(raw.get()),
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CardBrand;
    use crate::money::Currency;

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
