//! Money after capture, as Stripe serves it (facts §1): `GET /v1/payouts` and
//! `/v1/payouts/{po}`, `GET /v1/balance_transactions` (filters `payout`, `type`,
//! `source`, `currency`; `expand[]=data.source` puts the charge, refund,
//! dispute or payout in place of its id) and `/v1/balance_transactions/{txn}`,
//! and `GET
//! /v1/balance`, all read from the ledger's settlement books through [`Book`].
//!
//! Choices where the books and Stripe differ: one automatic payout per currency
//! per cut-off (a real account pays out in its settlement currency); a payout
//! whose lines net to less than zero is a payout of a negative amount (Stripe
//! debits the bank then); `status` is `pending` for the first hour after the
//! cut-off, `in_transit` until its pay date, then `paid`, when its `trace_id`
//! becomes `supported` with a value.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::State;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use super::book::{Book, Entry, NamedPayout, Txn};
use super::list::{ListQuery, Listing, Range, allow_list, listed_as};
use super::render::{self, ChargeExpand};
use super::{QueryParams, StripeError, StripeResult, StripeState, allow, expands, ok};
use crate::sim::bank::PayoutName;
use crate::sim::common::digest::fnv1a;
use crate::sim::form::Params;
use crate::sim::ledger::settlement::MovementKind;
use crate::sim::ledger::{Ledger, MadePayout};

/// The merchant's bank account every payout goes to (masked to its last four).
const BANK_ACCOUNT: &str = "ba_1SimPaydeckBankAcct0001";

/// The words `status` may have, in the order a payout goes through them.
const STATUSES: [&str; 5] = ["pending", "in_transit", "paid", "failed", "canceled"];

fn status(p: &NamedPayout, now: DateTime<Utc>) -> &'static str {
    let made = &p.made.payout;
    if now < made.cutoff + TimeDelta::hours(1) {
        "pending"
    } else if now < made.pay_date {
        "in_transit"
    } else {
        "paid"
    }
}

fn bank_account(currency: &str) -> Value {
    json!({
        "id": BANK_ACCOUNT,
        "object": "bank_account",
        "account_holder_name": "Paydeck Sim Pty Ltd",
        "account_holder_type": "company",
        "account_type": null,
        "bank_name": "EXAMPLE BANK",
        "country": "AU",
        "currency": currency,
        "default_for_currency": true,
        "fingerprint": "SimPaydeckBank01",
        "last4": "6789",
        "metadata": {},
        "routing_number": "110-000",
        "status": "new",
    })
}

/// A paid payout's `trace_id.value`: 16 digits from its id. The bank
/// statement shows it as the deposit's reference.
fn trace_value(id: &str) -> String {
    format!("{:016}", fnv1a(id) % 10_000_000_000_000_000)
}

/// A payout's id and the reference its deposit has, for the bank statement.
pub(crate) fn payout_name(_seed: u64, made: &MadePayout) -> PayoutName {
    PayoutName::of(made, super::book::payout_id(made), trace_value)
}

pub(crate) fn payout_json(p: &NamedPayout, now: DateTime<Utc>, expand: &[String]) -> Value {
    let made = &p.made.payout;
    let currency = made.currency.code().to_ascii_lowercase();
    let status = status(p, now);
    let trace = if status == "paid" {
        json!({"status": "supported", "value": trace_value(&p.id)})
    } else {
        json!({"status": "pending", "value": null})
    };
    let wants = |field: &str| expand.iter().any(|e| e == field);
    let destination = if wants("destination") {
        bank_account(&currency)
    } else {
        json!(BANK_ACCOUNT)
    };
    json!({
        "id": p.id,
        "object": "payout",
        "amount": made.net,
        "application_fee": null,
        "application_fee_amount": null,
        "arrival_date": made.pay_date.timestamp(),
        "automatic": true,
        "balance_transaction": super::book::txn(&p.id),
        "created": made.cutoff.timestamp(),
        "currency": currency,
        "description": "STRIPE PAYOUT",
        "destination": destination,
        "failure_balance_transaction": null,
        "failure_code": null,
        "failure_message": null,
        "livemode": false,
        "metadata": {},
        "method": "standard",
        "original_payout": null,
        "payout_method": null,
        "reconciliation_status": "completed",
        "reversed_by": null,
        "source_type": "card",
        "statement_descriptor": null,
        "status": status,
        "trace_id": trace,
        "type": "bank_account",
    })
}

/// `(type, reporting_category, fee description)` of a balance transaction.
fn kind_of(t: &Txn) -> (&'static str, &'static str, &'static str) {
    match t.entry {
        Entry::Payout(_) => ("payout", "payout", ""),
        Entry::Movement(m) => match m.kind {
            MovementKind::Charge => ("charge", "charge", "Stripe processing fees"),
            MovementKind::Refund => ("refund", "refund", "Stripe processing fees"),
            MovementKind::Dispute => ("adjustment", "dispute", "Dispute fee"),
            MovementKind::DisputeReversal => ("adjustment", "dispute_reversal", "Dispute fee"),
            MovementKind::Fee => ("stripe_fee", "fee", "Stripe fee"),
            MovementKind::Adjustment => ("adjustment", "other_adjustment", "Stripe fee"),
        },
    }
}

pub(crate) fn txn_json(t: &Txn, now: DateTime<Utc>) -> Value {
    let (kind, category, fee_words) = kind_of(t);
    let (currency, gross, fee, fee_tax, net) = match t.entry {
        Entry::Payout(made) => {
            let p = &made.payout;
            (p.currency, -p.net, 0, 0, -p.net)
        }
        Entry::Movement(m) => (m.currency, m.gross, m.fee, m.fee_tax, m.net),
    };
    let currency = currency.code().to_ascii_lowercase();
    let mut details = Vec::new();
    if fee != 0 {
        details.push(
            json!({"amount": fee, "application": null, "currency": currency,
            "description": fee_words, "type": "stripe_fee"}),
        );
    }
    if fee_tax != 0 {
        details.push(
            json!({"amount": fee_tax, "application": null, "currency": currency,
            "description": "GST", "type": "tax"}),
        );
    }
    let description = match t.entry {
        Entry::Payout(_) => "STRIPE PAYOUT".to_string(),
        Entry::Movement(m) => match m.kind {
            MovementKind::Dispute => format!("Chargeback withdrawal for {}", m.source),
            MovementKind::DisputeReversal => format!("Chargeback reversal for {}", m.source),
            MovementKind::Refund => format!("REFUND FOR CHARGE ({})", m.source),
            _ => format!("Payment {}", m.source),
        },
    };
    json!({
        "id": t.id,
        "object": "balance_transaction",
        "amount": gross,
        "available_on": t.available_on.timestamp(),
        "balance_type": "payments",
        "created": t.created.timestamp(),
        "currency": currency,
        "description": description,
        "exchange_rate": null,
        "fee": fee.saturating_add(fee_tax),
        "fee_details": details,
        "net": net,
        "reporting_category": category,
        "source": t.source,
        "status": if t.available_on <= now { "available" } else { "pending" },
        "type": kind,
    })
}

/// The object a balance transaction is about, for `expand[]=source`.
fn source_object(l: &Ledger, book: &Book, t: &Txn) -> Option<Value> {
    let now = l.now();
    let id = t.source.as_str();
    match t.entry {
        Entry::Payout(_) => book.payout(id).map(|p| payout_json(p, now, &[])),
        Entry::Movement(_) => {
            if let Ok(c) = l.charge(id) {
                Some(render::charge(l, c, ChargeExpand::default()))
            } else if let Ok(r) = l.refunds().by_token(id) {
                Some(render::refund(r))
            } else {
                l.dispute(id).ok().map(|d| render::dispute(l, d))
            }
        }
    }
}

/// A balance transaction, its `source` expanded where `expand` asks.
fn txn_expanded(l: &Ledger, book: &Book, t: &Txn, expand: &[String]) -> Value {
    let mut v = txn_json(t, l.now());
    if expand.iter().any(|e| e == "source")
        && let (Value::Object(m), Some(source)) = (&mut v, source_object(l, book, t))
    {
        m.insert("source".into(), source);
    }
    v
}

/// `GET /v1/payouts`: newest first; `status`, `arrival_date`, `created` and
/// `destination` filters.
pub(crate) async fn list(
    State(s): State<Arc<StripeState>>,
    QueryParams(p): QueryParams,
) -> StripeResult {
    allow_list(&p, &["status", "arrival_date", "created", "destination"])?;
    let lq = ListQuery::parse(&p)?;
    let arrival = Range::parse(&p, "arrival_date")?;
    let wanted = p.text("status");
    if let Some(st) = &wanted
        && !STATUSES.contains(&st.as_str())
    {
        return Err(StripeError::invalid(format!(
            "Invalid status: must be one of {}",
            STATUSES.join(", ")
        ))
        .param("status"));
    }
    let destination = p.text("destination");
    let expand: Vec<String> = expands(&p)
        .iter()
        .filter_map(|e| e.strip_prefix("data.").map(str::to_string))
        .collect();
    let l = s.ledger();
    let now = l.now();
    let book = Book::of(&l);
    let keep = |n: &NamedPayout| {
        wanted.as_deref().is_none_or(|w| w == status(n, now))
            && arrival.contains(n.made.payout.pay_date.timestamp())
            && destination.as_deref().is_none_or(|d| d == BANK_ACCOUNT)
    };
    let how = Listing {
        id: &|n: &NamedPayout| n.id.as_str(),
        created: &|n: &NamedPayout| n.made.payout.cutoff,
        kind: "payout",
        url: "/v1/payouts",
    };
    listed_as(&book.payouts, &how, keep, &lq, |n| {
        payout_json(n, now, &expand)
    })
}

/// `GET /v1/payouts/{po}`.
pub(crate) fn retrieve(l: &Ledger, id: &str, p: &Params) -> StripeResult {
    let book = Book::of(l);
    let found = book
        .payout(id)
        .ok_or_else(|| StripeError::missing("payout", id, "id"))?;
    ok(payout_json(found, l.now(), &expands(p)))
}

/// A `type` or `source` value: a short word or id, or a 400 naming `param`.
fn word(p: &Params, param: &str) -> Result<Option<String>, StripeError> {
    match p.text(param) {
        Some(w)
            if w.is_empty()
                || w.len() > 64
                || !w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
        {
            Err(StripeError::invalid(format!("Invalid {param}: {w:?}")).param(param))
        }
        other => Ok(other),
    }
}

/// `GET /v1/balance_transactions`: newest first; `payout` (a payout that does
/// not exist is a 404), `type`, `source`, `currency` and `created` filters.
pub(crate) async fn list_txns(
    State(s): State<Arc<StripeState>>,
    QueryParams(p): QueryParams,
) -> StripeResult {
    allow_list(&p, &["payout", "type", "source", "currency", "created"])?;
    let lq = ListQuery::parse(&p)?;
    let kind = word(&p, "type")?;
    let source = word(&p, "source")?;
    let payout = word(&p, "payout")?;
    let currency = word(&p, "currency")?.map(|c| c.to_ascii_lowercase());
    let expand: Vec<String> = expands(&p)
        .iter()
        .filter_map(|e| e.strip_prefix("data.").map(str::to_string))
        .collect();
    let l = s.ledger();
    let book = Book::of(&l);
    if let Some(po) = &payout
        && book.payout(po).is_none()
    {
        return Err(StripeError::missing("payout", po, "payout"));
    }
    let keep = |t: &Txn| {
        let (k, _, _) = kind_of(t);
        let cur = match t.entry {
            Entry::Payout(m) => m.payout.currency,
            Entry::Movement(m) => m.currency,
        };
        kind.as_deref().is_none_or(|w| w == k)
            && source.as_deref().is_none_or(|w| w == t.source)
            && payout
                .as_deref()
                .is_none_or(|w| t.payout.as_deref() == Some(w))
            && currency
                .as_deref()
                .is_none_or(|w| w.eq_ignore_ascii_case(cur.code()))
    };
    let how = Listing {
        id: &|t: &Txn| t.id.as_str(),
        created: &|t: &Txn| t.created,
        kind: "balance transaction",
        url: "/v1/balance_transactions",
    };
    listed_as(&book.txns, &how, keep, &lq, |t| {
        txn_expanded(&l, &book, t, &expand)
    })
}

/// `GET /v1/balance_transactions/{txn}`.
pub(crate) fn retrieve_txn(l: &Ledger, id: &str, p: &Params) -> StripeResult {
    let book = Book::of(l);
    let found = book
        .txn(id)
        .ok_or_else(|| StripeError::missing("balance transaction", id, "id"))?;
    ok(txn_expanded(l, &book, found, &expands(p)))
}

/// `GET /v1/balance`: per currency, the net of movements in no payout yet,
/// `available` once their `available_on` has passed (only on a manual
/// schedule: automatic payouts sweep it at each cut-off), `pending` before.
/// Always at least the account's own currency.
pub(crate) async fn balance(
    State(s): State<Arc<StripeState>>,
    QueryParams(p): QueryParams,
) -> StripeResult {
    allow(&p, &[])?;
    let l = s.ledger();
    let now = l.now();
    let book = Book::of(&l);
    let mut per: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    per.insert("aud".into(), (0, 0));
    for n in &book.payouts {
        per.entry(n.made.payout.currency.code().to_ascii_lowercase())
            .or_default();
    }
    for t in book.txns.iter().filter(|t| t.payout.is_none()) {
        let Entry::Movement(m) = t.entry else {
            continue;
        };
        let entry = per
            .entry(m.currency.code().to_ascii_lowercase())
            .or_default();
        let side = if t.available_on <= now {
            &mut entry.0
        } else {
            &mut entry.1
        };
        *side = side
            .checked_add(m.net)
            .ok_or_else(|| StripeError::api("balance too large to add up"))?;
    }
    let side = |pick: fn(&(i64, i64)) -> i64| -> Vec<Value> {
        per.iter()
            .map(|(cur, v)| json!({"amount": pick(v), "currency": cur, "source_types": {"card": pick(v)}}))
            .collect()
    };
    ok(json!({
        "object": "balance",
        "available": side(|v| v.0),
        "livemode": false,
        "pending": side(|v| v.1),
    }))
}
