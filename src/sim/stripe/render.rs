//! Ledger → Stripe JSON (reference §3–§6). Amounts in minor units, `created` in
//! Unix seconds, currencies lowercase, `livemode: false`.
//!
//! Choices where the ledger and Stripe differ:
//! * `amount_refunded` = refunds of captured money + authorised money released
//!   without capture (partial-capture remainder, refunded authorisation); an
//!   expired authorisation counts as fully refunded (Stripe marks it refunded
//!   with reason `expired_uncaptured_charge`) but has no refund object; so does
//!   an authorisation voided in seeding (the ledger's neutral void keeps none),
//!   while one refunded through this dialect has its release refund object.
//! * a charge awaiting 3-D Secure (seeded only) is `status: "pending"`, `paid: false`.
//! * `balance_transaction` ids are derived from the charge/refund id ([`txn`]);
//!   they are retrieved, listed and expanded from the settlement books
//!   (`book.rs`, `payouts.rs`).

use crate::sim::common::digest::fnv1a;
use serde_json::{Map, Value, json};

use super::book::{Book, txn};
use super::list::envelope;
use super::payouts::txn_json;
use super::test_cards::{brand, failure, legacy_brand, network_decline};
use crate::sim::ledger::{
    AUTHORISATION_WINDOW, Card, Charge, ChargeState, Customer, Dispute, DisputeStatus, Ledger,
    Refund, RefundState,
};

/// Every evidence field a dispute accepts (reference §5).
pub(crate) const EVIDENCE_FIELDS: [&str; 27] = [
    "access_activity_log",
    "billing_address",
    "cancellation_policy",
    "cancellation_policy_disclosure",
    "cancellation_rebuttal",
    "customer_communication",
    "customer_email_address",
    "customer_name",
    "customer_purchase_ip",
    "customer_signature",
    "duplicate_charge_documentation",
    "duplicate_charge_explanation",
    "duplicate_charge_id",
    "product_description",
    "receipt",
    "refund_policy",
    "refund_policy_disclosure",
    "refund_refusal_explanation",
    "service_date",
    "service_documentation",
    "shipping_address",
    "shipping_carrier",
    "shipping_date",
    "shipping_documentation",
    "shipping_tracking_number",
    "uncategorized_file",
    "uncategorized_text",
];

pub(crate) fn metadata(pairs: &[(String, String)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect::<Map<String, Value>>(),
    )
}

fn opt(s: &str) -> Value {
    if s.is_empty() { Value::Null } else { json!(s) }
}

/// A card fingerprint: 16 characters derived from brand, last four and expiry.
fn fingerprint(c: &Card) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in format!("{}{}{}{}", c.scheme, c.last4, c.expiry_month, c.expiry_year).bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..16)
        .map(|i| {
            let v = h.rotate_left(i * 4) % 62;
            char::from(alphabet[usize::try_from(v).unwrap_or(0)])
        })
        .collect()
}

fn address(c: &Card) -> Value {
    json!({
        "city": opt(&c.address_city),
        "country": opt(&c.address_country),
        "line1": opt(&c.address_line1),
        "line2": c.address_line2,
        "postal_code": c.address_postcode,
        "state": c.address_state,
    })
}

/// Legacy Card object (`card_...`), as under `/v1/customers/{id}/sources`.
pub(crate) fn card(c: &Card) -> Value {
    json!({
        "id": c.token,
        "object": "card",
        "address_city": opt(&c.address_city),
        "address_country": opt(&c.address_country),
        "address_line1": opt(&c.address_line1),
        "address_line1_check": null,
        "address_line2": c.address_line2,
        "address_state": c.address_state,
        "address_zip": c.address_postcode,
        "address_zip_check": null,
        "brand": legacy_brand(&c.scheme),
        "country": opt(&c.issuing_country),
        "customer": c.customer_token,
        "cvc_check": "pass",
        "dynamic_last4": null,
        "exp_month": c.expiry_month,
        "exp_year": c.expiry_year,
        "fingerprint": fingerprint(c),
        "funding": "credit",
        "last4": c.last4,
        "metadata": {},
        "name": opt(&c.name),
        "regulated_status": "unregulated",
        "tokenization_method": null,
    })
}

/// The same card as a PaymentMethod (its id stays the `card_` id, which Stripe
/// accepts wherever a payment method id is expected).
pub(crate) fn payment_method(c: &Card, created: i64) -> Value {
    json!({
        "id": c.token,
        "object": "payment_method",
        "allow_redisplay": "unspecified",
        "billing_details": {
            "address": address(c),
            "email": null,
            "name": opt(&c.name),
            "phone": null,
        },
        "card": {
            "brand": brand(&c.scheme),
            "checks": {"address_line1_check": null, "address_postal_code_check": null, "cvc_check": "pass"},
            "country": opt(&c.issuing_country),
            "display_brand": brand(&c.scheme),
            "exp_month": c.expiry_month,
            "exp_year": c.expiry_year,
            "fingerprint": fingerprint(c),
            "funding": "credit",
            "generated_from": null,
            "last4": c.last4,
            "networks": {"available": [brand(&c.scheme)], "preferred": null},
            "three_d_secure_usage": {"supported": true},
            "wallet": null,
        },
        "created": created,
        "customer": c.customer_token,
        "livemode": false,
        "metadata": {},
        "type": "card",
    })
}

/// Money handed back for a charge, as Stripe counts it in `amount_refunded`.
pub(crate) fn amount_refunded(c: &Charge) -> i64 {
    if matches!(c.state, ChargeState::Expired | ChargeState::Voided) {
        c.amount
    } else {
        c.refunded_amount + c.released_amount
    }
}

/// Which of a charge's links a request expands into objects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ChargeExpand {
    pub refunds: bool,
    pub customer: bool,
    pub balance_transaction: bool,
}

impl ChargeExpand {
    /// From a request's `expand[]`: `prefix` is `""` for one charge, `"data."` for a list.
    pub(crate) fn from(expand: &[String], prefix: &str) -> Self {
        let wants = |field: &str| expand.iter().any(|e| e.strip_prefix(prefix) == Some(field));
        ChargeExpand {
            refunds: wants("refunds"),
            customer: wants("customer"),
            balance_transaction: wants("balance_transaction"),
        }
    }
}

/// A 15-digit network transaction id derived from the charge id (FNV-1a).
fn network_transaction_id(id: &str) -> String {
    format!("{:015}", fnv1a(id) % 1_000_000_000_000_000)
}

pub(crate) fn charge(l: &Ledger, c: &Charge, expand: ChargeExpand) -> Value {
    let created = c.created_at.timestamp();
    let refunded = amount_refunded(c);
    let card = &c.card;
    let (status, paid) = match &c.state {
        ChargeState::Declined { .. } => ("failed", false),
        ChargeState::PendingAuthentication => ("pending", false),
        _ => ("succeeded", true),
    };
    let (failure_code, failure_message, outcome) = match &c.state {
        ChargeState::Declined { code, .. } => {
            let (fc, dc, msg) = failure(code);
            let blocked = code == "radar_block" || code == "suspected_fraud";
            let (advice, network_advice, network_code) = if blocked {
                (None, None, None)
            } else {
                network_decline(dc)
            };
            let outcome = json!({
                "advice_code": advice,
                "network_advice_code": network_advice,
                "network_decline_code": network_code,
                "network_status": if blocked { "not_sent_to_network" } else { "declined_by_network" },
                "reason": if blocked { "highest_risk_level" } else { dc },
                "risk_level": if blocked { "highest" } else { "normal" },
                "risk_score": if blocked { 95 } else { 30 },
                "seller_message": if blocked {
                    "Stripe blocked this payment as too risky."
                } else {
                    "The bank did not return any further details with this decline."
                },
                "type": if blocked { "blocked" } else { "issuer_declined" },
            });
            (json!(fc), json!(msg), outcome)
        }
        ChargeState::PendingAuthentication => (Value::Null, Value::Null, Value::Null),
        _ => (
            Value::Null,
            Value::Null,
            json!({
                "advice_code": null,
                "network_advice_code": null,
                "network_decline_code": null,
                "network_status": "approved_by_network",
                "reason": null,
                "risk_level": "normal",
                "risk_score": 20,
                "seller_message": "Payment complete.",
                "type": "authorized",
            }),
        ),
    };
    // Sent to the card network: approved, or declined by the issuer (not Radar).
    let networked = match &c.state {
        ChargeState::PendingAuthentication => false,
        ChargeState::Declined { code, .. } => code != "radar_block" && code != "suspected_fraud",
        _ => true,
    };
    let mut details = json!({
        "card": {
            "amount_authorized": if paid { json!(c.amount) } else { Value::Null },
            "authorization_code": null,
            "brand": brand(&card.scheme),
            "checks": {"address_line1_check": null, "address_postal_code_check": null, "cvc_check": "pass"},
            "country": opt(&card.issuing_country),
            "exp_month": card.expiry_month,
            "exp_year": card.expiry_year,
            "fingerprint": fingerprint(card),
            "funding": "credit",
            "installments": null,
            "last4": card.last4,
            "mandate": null,
            "network": brand(&card.scheme),
            "network_transaction_id": networked.then(|| network_transaction_id(&c.token)),
            "regulated_status": "unregulated",
            "three_d_secure": null,
            "transaction_link_id": null,
            "wallet": null,
        },
        "type": "card",
    });
    // `capture_before` is there only while the authorisation can be captured.
    if c.state == ChargeState::Authorised
        && let Some(Value::Object(m)) = details.get_mut("card")
    {
        m.insert(
            "capture_before".into(),
            json!((c.created_at + AUTHORISATION_WINDOW).timestamp()),
        );
    }
    let billing = json!({
        "address": address(card),
        "email": null,
        "name": opt(&card.name),
        "phone": null,
        "tax_id": null,
    });
    let mut v = json!({
        "id": c.token,
        "object": "charge",
        "amount": c.amount,
        "amount_captured": c.captured_amount,
        "amount_refunded": refunded,
        "application": null,
        "application_fee": null,
        "application_fee_amount": null,
        "balance_transaction": if c.is_captured() { json!(txn(&c.token)) } else { Value::Null },
        "billing_details": billing,
        "calculated_statement_descriptor": "PAYDECK SIM",
        "captured": c.is_captured(),
        "created": created,
        "currency": c.currency.to_ascii_lowercase(),
        "customer": c.customer_token,
        "description": opt(&c.description),
        "disputed": c.active_chargebacks,
        "failure_balance_transaction": null,
        "failure_code": failure_code,
        "failure_message": failure_message,
        "fraud_details": {},
    });
    let rest = json!({
        "livemode": false,
        "metadata": metadata(&c.metadata),
        "on_behalf_of": null,
        "outcome": outcome,
        "paid": paid,
        "payment_intent": null,
        "payment_method": opt(&card.token),
        "payment_method_details": details,
        "receipt_email": opt(&c.email),
        "receipt_number": null,
        "receipt_url": null,
        "refunded": refunded >= c.amount,
        "review": null,
        "shipping": null,
        "source": card_source(card),
        "source_transfer": null,
        "statement_descriptor": null,
        "statement_descriptor_suffix": null,
        "status": status,
        "transfer_data": null,
        "transfer_group": null,
    });
    if let (Value::Object(m), Value::Object(r)) = (&mut v, rest) {
        m.extend(r);
        // Optional, never null: present only once the issuer authorised.
        if paid {
            m.insert(
                "authorization_code".into(),
                json!(format!("{:06}", created.rem_euclid(1_000_000))),
            );
        }
    }
    if expand.customer
        && let Some(cus) = c.customer_token.as_deref()
        && let Ok(found) = l.customer(cus)
    {
        expanded(&mut v, "customer", customer(l, found, &[]));
    }
    if expand.balance_transaction && c.is_captured() {
        let book = Book::of_charge(l, &c.token);
        if let Some(t) = book.txn(&txn(&c.token)) {
            expanded(&mut v, "balance_transaction", txn_json(t, l.now()));
        }
    }
    if expand.refunds {
        let refunds = l.refunds_for_charge(&c.token).unwrap_or_default();
        let url = format!("/v1/charges/{}/refunds", c.token);
        expanded(&mut v, "refunds", whole_list(&url, refunds, refund));
    }
    v
}

/// Put an expansion at `key` of a rendered object, in place of the id there.
fn expanded(v: &mut Value, key: &str, expansion: Value) {
    if let Value::Object(m) = v {
        m.insert(key.into(), expansion);
    }
}

/// A list of a record's parts (a charge's refunds, a customer's cards) in one
/// page, as an expansion nests it.
fn whole_list<T>(url: &str, items: Vec<&T>, render: fn(&T) -> Value) -> Value {
    envelope(url, items.into_iter().map(render).collect(), false)
}

fn card_source(c: &Card) -> Value {
    if c.token.is_empty() {
        Value::Null
    } else {
        card(c)
    }
}

pub(crate) fn refund(r: &Refund) -> Value {
    json!({
        "id": r.token,
        "object": "refund",
        "amount": r.amount,
        "balance_transaction": txn(&r.token),
        "charge": r.charge,
        "created": r.created_at.timestamp(),
        "currency": r.currency.to_ascii_lowercase(),
        "destination_details": {
            "card": {
                "reference_status": if r.state == RefundState::Succeeded { "available" } else { "pending" },
                "reference_type": "acquirer_reference_number",
                "type": if r.release { "reversal" } else { "refund" },
            },
            "type": "card",
        },
        "metadata": metadata(&r.metadata),
        "payment_intent": null,
        "reason": r.reason,
        "receipt_number": null,
        "source_transfer_reversal": null,
        "status": match r.state {
            RefundState::Pending => "pending",
            RefundState::Succeeded => "succeeded",
        },
        "transfer_reversal": null,
    })
}

/// A dispute's debit and its reversal, as full balance transactions.
fn dispute_txns(l: &Ledger, d: &Dispute) -> Vec<Value> {
    let book = Book::of_charge(l, &d.charge);
    let now = l.now();
    book.txns
        .iter()
        .filter(|t| t.source == d.token)
        .map(|t| txn_json(t, now))
        .collect()
}

pub(crate) fn dispute(l: &Ledger, d: &Dispute) -> Value {
    let mut evidence: Map<String, Value> = EVIDENCE_FIELDS
        .iter()
        .map(|f| ((*f).to_string(), Value::Null))
        .collect();
    for (k, v) in &d.evidence {
        evidence.insert(k.clone(), json!(v));
    }
    evidence.insert("enhanced_evidence".into(), json!({}));
    let inquiry = matches!(
        d.status,
        DisputeStatus::WarningNeedsResponse | DisputeStatus::WarningUnderReview
    );
    let card_brand = l
        .charge(&d.charge)
        .map_or("unknown", |c| brand(&c.card.scheme));
    json!({
        "id": d.token,
        "object": "dispute",
        "amount": d.amount,
        "balance_transactions": dispute_txns(l, d),
        "charge": d.charge,
        "created": d.created_at.timestamp(),
        "currency": d.currency.to_ascii_lowercase(),
        "enhanced_eligibility_types": [],
        "evidence": evidence,
        "evidence_details": {
            "due_by": d.evidence_due_by.timestamp(),
            "enhanced_eligibility": {},
            "has_evidence": !d.evidence.is_empty(),
            "past_due": false,
            "submission_count": d.submission_count,
        },
        "is_charge_refundable": inquiry,
        "livemode": false,
        "metadata": metadata(&d.metadata),
        "network_reason_code": null,
        "payment_intent": null,
        "payment_method_details": {
            "card": {
                "brand": card_brand,
                "case_type": if inquiry { "inquiry" } else { "chargeback" },
                "network_reason_code": null,
            },
            "type": "card",
        },
        "reason": d.reason,
        "status": d.status.as_str(),
    })
}

/// A customer's display name from the ledger's first/last name.
pub(crate) fn customer_name(c: &Customer) -> Option<String> {
    let parts: Vec<&str> = [c.first_name.as_deref(), c.last_name.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A customer, with its `sources` and `default_source` expanded where `expand` (field
/// names relative to the customer) asks, as Stripe does.
pub(crate) fn customer(l: &Ledger, c: &Customer, expand: &[String]) -> Value {
    let wants = |field: &str| expand.iter().any(|e| e == field);
    let prefix: String = c
        .token
        .chars()
        .skip(4)
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect::<String>()
        .to_ascii_uppercase();
    let mut v = json!({
        "id": c.token,
        "object": "customer",
        "address": null,
        "balance": 0,
        "created": c.created_at.timestamp(),
        "currency": null,
        "default_source": opt(&c.primary_card),
        "delinquent": false,
        "description": c.notes,
        "discount": null,
        "email": opt(&c.email),
        "invoice_prefix": prefix,
        "invoice_settings": {
            "custom_fields": null,
            "default_payment_method": null,
            "footer": null,
            "rendering_options": null,
        },
        "livemode": false,
        "metadata": metadata(&c.metadata),
        "name": customer_name(c),
        "next_invoice_sequence": 1,
        "phone": c.phone_number,
        "preferred_locales": [],
        "shipping": null,
        "tax_exempt": "none",
        "test_clock": null,
    });
    if wants("default_source")
        && let Ok(primary) = l.primary_card(&c.token)
    {
        expanded(&mut v, "default_source", card(&primary));
    }
    if wants("sources") {
        let cards = l.customer_cards(&c.token).unwrap_or_default();
        let url = format!("/v1/customers/{}/sources", c.token);
        expanded(&mut v, "sources", whole_list(&url, cards, card));
    }
    v
}
