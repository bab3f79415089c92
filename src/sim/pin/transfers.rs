//! Transfers (Pin's payouts) and the balance, read from the ledger's settlement
//! books: `GET /transfers`, `/transfers/{tfer}`, `/transfers/{tfer}/line_items`
//! and `/balance` (notes: issue 13 facts §2; reference §10 "Balance").
//!
//! What follows Pin's docs and real traffic: the transfer object's fields, its
//! `amount = total_credits − total_debits`, the masked bank account, the line
//! item's `type`/`amount`/`currency`/`created_at`, the balance's `available`
//! and `pending` arrays. What is guessed (the docs do not say): a transfer is
//! `pending` (with `paid_at` null) until its pay date, then `succeeded`; a line
//! item's `amount` is what it moved the balance by (the charge's
//! `merchant_entitlement`, a refund or a dispute negative), and its `record`
//! (a summary of the charge, as client libraries model it) has the gross as
//! `amount` and the fee as `total_fees`, and the `charge` whose money it is
//! (as a refund names its charge); `object`/`token` name the charge, refund or
//! dispute the line comes from. Real transfers are AUD only; the simulator
//! makes one per currency per cut-off.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::error::PinError;
use super::render::{self, Paging};
use super::{PinResult, PinState, reply};
use crate::sim::bank::PayoutName;
use crate::sim::common::params::QueryParams;
use crate::sim::ledger::settlement::{Movement, MovementKind};
use crate::sim::ledger::{Ledger, MadePayout, fmt_time};
use crate::sim::respond;
use crate::sim::rng::Rng;

/// A transfer's token: `tfer_` + 22 characters from the seed, the cut-off and
/// the currency, the same however often it is read.
pub(crate) fn transfer_token(seed: u64, made: &MadePayout) -> String {
    let p = &made.payout;
    let cut = u64::try_from(p.cutoff.timestamp()).unwrap_or(0);
    // Each letter in its own byte: a sum would give NZD and USD (both 236) one token.
    let currency = p
        .currency
        .code()
        .bytes()
        .fold(0u64, |h, b| (h << 8) | u64::from(b))
        << 40;
    Rng::derive(seed ^ 0x7466_6572, cut ^ currency).token("tfer")
}

/// What the bank statement shows for a transfer: `PIN TFER ` and 8 characters
/// of its token.
fn bank_reference(token: &str) -> String {
    format!("PIN TFER {}", token.get(5..13).unwrap_or(""))
}

/// A transfer's token and bank reference, for the bank statement.
pub(crate) fn payout_name(seed: u64, made: &MadePayout) -> PayoutName {
    PayoutName::of(made, transfer_token(seed, made), bank_reference)
}

/// Paid once its pay date has come.
fn paid(made: &MadePayout, now: DateTime<Utc>) -> bool {
    made.payout.pay_date <= now
}

/// `transfer[]` of a charge: the transfer its capture went into, `paid` with
/// its `paid_at` once paid, `pending` before; empty until a cut-off takes it.
pub(crate) fn of_charge(seed: u64, l: &Ledger, charge: &str) -> Value {
    let Some(captured) = l.charge(charge).ok().and_then(|c| c.captured_at) else {
        return json!([]);
    };
    // A capture is cut at the first cut-off at or after it: no older payout
    // can hold it, so those are passed over without reading their lines.
    let made = l
        .payouts()
        .skip_while(|m| m.payout.cutoff < captured)
        .find(|m| {
            m.lines
                .iter()
                .any(|line| line.kind == MovementKind::Charge && line.source == charge)
        });
    let Some(made) = made else {
        return json!([]);
    };
    let now = l.now();
    let (state, paid_at) = if paid(made, now) {
        ("paid", json!(fmt_time(made.payout.pay_date)))
    } else {
        ("pending", Value::Null)
    };
    json!([{"state": state, "paid_at": paid_at, "token": transfer_token(seed, made)}])
}

fn transfer_json(token: &str, made: &MadePayout, now: DateTime<Utc>) -> Value {
    let p = &made.payout;
    let sum = |keep: fn(i64) -> bool| {
        made.lines
            .iter()
            .map(|m| m.net)
            .filter(|n| keep(*n))
            .map(i128::from)
            .sum::<i128>()
            .unsigned_abs()
    };
    let paid_at = if paid(made, now) {
        json!(fmt_time(p.pay_date))
    } else {
        Value::Null
    };
    json!({
        "token": token,
        "status": if paid(made, now) { "succeeded" } else { "pending" },
        "currency": p.currency.code(),
        "description": format!("Settlement {}", p.cutoff.date_naive()),
        "amount": p.net,
        "total_debits": sum(|n| n < 0),
        "total_credits": sum(|n| n > 0),
        "created_at": fmt_time(p.cutoff),
        "paid_at": paid_at,
        "reference": bank_reference(token),
        "line_items_count": made.lines.len(),
        "bank_account": {
            "token": "ba_paydeckSimMerchant000",
            "name": "Paydeck Sim Merchant",
            "bsb": "123456",
            "number": "XXXXX6789",
            "bank_name": "Example Bank",
            "branch": "",
        },
        "recipient": "rp_paydeckSimMerchant000",
    })
}

fn line_type(kind: MovementKind) -> &'static str {
    match kind {
        MovementKind::Charge => "charge",
        MovementKind::Refund => "refund",
        MovementKind::Dispute => "dispute",
        MovementKind::DisputeReversal => "dispute_reversal",
        MovementKind::Fee => "fee",
        MovementKind::Adjustment => "adjustment",
    }
}

/// The object a line comes from, as Pin names objects: its charge, refund or
/// dispute (a won dispute's reversal comes from the dispute).
fn line_object(kind: MovementKind) -> &'static str {
    match kind {
        MovementKind::Refund => "refund",
        MovementKind::Dispute | MovementKind::DisputeReversal => "dispute",
        _ => "charge",
    }
}

fn line_json(l: &Ledger, m: &Movement) -> Value {
    let description = l.charge(&m.source).map_or("", |c| c.description.as_str());
    json!({
        "type": line_type(m.kind),
        "object": line_object(m.kind),
        "token": m.object,
        "amount": m.net,
        "currency": m.currency.code(),
        "created_at": fmt_time(m.available_at),
        "record": {
            "description": description,
            "amount": m.gross,
            // Pin has no field for tax on its fee (GST is in the rate).
            "total_fees": m.fee.saturating_add(m.fee_tax),
            "merchant_entitlement": m.net,
            "charge": m.source,
        },
    })
}

/// Every transfer with its token, newest cut-off first (ties by token).
fn transfers(seed: u64, l: &Ledger) -> Vec<(String, &MadePayout)> {
    let mut all: Vec<_> = l.payouts().map(|m| (transfer_token(seed, m), m)).collect();
    all.sort_by(|(a_id, a), (b_id, b)| (b.payout.cutoff, b_id).cmp(&(a.payout.cutoff, a_id)));
    all
}

fn find<'l>(seed: u64, l: &'l Ledger, token: &str) -> Result<&'l MadePayout, PinError> {
    l.payouts()
        .find(|m| transfer_token(seed, m) == token)
        .ok_or(PinError::NotFound)
}

/// `GET /transfers`: newest first, paged like the charges list.
pub(super) async fn list(
    State(s): State<Arc<PinState>>,
    QueryParams(p, _): QueryParams<PinError>,
) -> PinResult {
    let paging = Paging::strict(&p)?;
    let l = s.ledger();
    let now = l.now();
    let all = transfers(s.seed, &l);
    reply::paged(&all, paging, |(token, m)| transfer_json(token, m, now))
}

/// The token in the path; one that is not even text (`%FF`) names no
/// transfer, and is Pin's 404 like any other unknown token.
fn token(path: Result<Path<String>, PathRejection>) -> Result<String, PinError> {
    path.map(|Path(token)| token)
        .map_err(|_| PinError::NotFound)
}

/// `GET /transfers/{tfer}`.
pub(super) async fn show(
    State(s): State<Arc<PinState>>,
    path: Result<Path<String>, PathRejection>,
) -> PinResult {
    let token = token(path)?;
    let l = s.ledger();
    let made = find(s.seed, &l, &token)?;
    reply::one(StatusCode::OK, transfer_json(&token, made, l.now()))
}

/// `GET /transfers/{tfer}/line_items`: oldest first, paged.
pub(super) async fn line_items(
    State(s): State<Arc<PinState>>,
    path: Result<Path<String>, PathRejection>,
    QueryParams(p, _): QueryParams<PinError>,
) -> PinResult {
    let token = token(path)?;
    let paging = Paging::strict(&p)?;
    let l = s.ledger();
    let made = find(s.seed, &l, &token)?;
    let mut lines: Vec<&Movement> = made.lines.iter().collect();
    lines.sort_by(|a, b| (a.available_at, &a.object).cmp(&(b.available_at, &b.object)));
    reply::paged(&lines, paging, |m| line_json(&l, m))
}

/// `GET /balance`: `pending` is the net of movements in no transfer yet,
/// `available` the net of transfers made but not yet paid; one entry per
/// currency, by code. Sums are exact; one that does not fit Pin's integers is
/// an error, never a wrong balance.
pub(super) async fn balance(State(s): State<Arc<PinState>>) -> PinResult {
    let l = s.ledger();
    let now = l.now();
    let mut per: BTreeMap<&'static str, (i128, i128)> = BTreeMap::new();
    for m in l.payouts().filter(|m| !paid(m, now)) {
        per.entry(m.payout.currency.code()).or_default().0 += i128::from(m.payout.net);
    }
    for m in l.unpaid_movements() {
        per.entry(m.currency.code()).or_default().1 += i128::from(m.net);
    }
    let entry = |currency: &str, amount: i128| {
        i64::try_from(amount)
            .map(|amount| json!({"amount": amount, "currency": currency}))
            .map_err(|_| PinError::Plain {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                error: "internal_server_error",
                description: "The balance is too large to answer".into(),
            })
    };
    let mut available = Vec::new();
    let mut pending = Vec::new();
    for (currency, (a, p)) in per {
        available.push(entry(currency, a)?);
        pending.push(entry(currency, p)?);
    }
    Ok(respond::json(
        StatusCode::OK,
        &render::one(json!({"available": available, "pending": pending})),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use crate::sim::ledger::settlement::Payout;

    fn made(code: &str) -> MadePayout {
        let cutoff = DateTime::parse_from_rfc3339("2026-11-30T00:00:00Z")
            .expect("a time")
            .with_timezone(&Utc);
        MadePayout {
            payout: Payout {
                currency: Currency::from_code(code).expect("a currency"),
                cutoff,
                pay_date: cutoff,
                lines: Vec::new(),
                gross: 0,
                fee: 0,
                fee_tax: 0,
                net: 0,
            },
            lines: Vec::new(),
        }
    }

    #[test]
    fn each_currency_of_a_cutoff_has_its_own_token() {
        // NZD and USD add up to the same sum of letters.
        let tokens: std::collections::HashSet<String> = ["NZD", "USD", "AUD", "CAD", "GBP"]
            .into_iter()
            .map(|code| transfer_token(7, &made(code)))
            .collect();
        assert_eq!(tokens.len(), 5, "{tokens:?}");
    }
}
