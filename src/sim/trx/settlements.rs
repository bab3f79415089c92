//! Settlement batches and the balance (docs/trx-gateway.md, "Settlement batches,
//! fees and the balance"), read from the ledger's settlement books: `GET
//! /settlements`, `/settlements/{id}`, `/settlements/{id}/lines` and `/balance`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};

use super::routes::{ListQuery, one_of};
use super::{TrxError, TrxResult, TrxState};
use crate::sim::bank::PayoutName;
use crate::sim::common::major_units::text;
use crate::sim::ledger::settlement::{Movement, MovementKind};
use crate::sim::ledger::{Ledger, MadePayout};
use crate::sim::respond;
use crate::sim::rng::Rng;

/// A batch's id: `stl_` + ULID whose time part is its cut-off and whose rest
/// derives from the seed, the cut-off and the currency, so it is the same for
/// the same `--seed` however often it is read.
fn batch_id(seed: u64, made: &MadePayout) -> String {
    let ms = made.payout.cutoff.timestamp_millis();
    let code = made
        .payout
        .currency
        .code()
        .bytes()
        .fold(0u64, |h, b| (h << 8) | u64::from(b));
    let mut rng = Rng::derive(seed ^ code, u64::try_from(ms).unwrap_or(0));
    rng.ulid("stl", u64::try_from(ms).unwrap_or(0))
}

/// What the bank statement shows: `TRX STL ` and 8 characters of the id after
/// its time part (`stl_` + 10).
fn bank_reference(id: &str) -> String {
    format!("TRX STL {}", id.get(14..22).unwrap_or(""))
}

/// A batch's id and bank reference, for the bank statement.
pub(crate) fn payout_name(seed: u64, made: &MadePayout) -> PayoutName {
    PayoutName::of(made, batch_id(seed, made), bank_reference)
}

fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn paid(made: &MadePayout, now: DateTime<Utc>) -> bool {
    made.payout.pay_date <= now
}

fn batch_json(id: &str, made: &MadePayout, now: DateTime<Utc>) -> Value {
    let p = &made.payout;
    let cur = p.currency.code();
    json!({
        "id": id,
        "status": if paid(made, now) { "PAID" } else { "PENDING" },
        "currency": cur,
        "cutoff_at": time(p.cutoff),
        "pay_date": p.pay_date.date_naive().to_string(),
        "created_at": time(p.cutoff),
        "gross_amount": text(p.gross, cur),
        "fee_amount": text(p.fee, cur),
        "fee_tax_amount": text(p.fee_tax, cur),
        "net_amount": text(p.net, cur),
        "line_count": made.lines.len(),
        "bank_reference": bank_reference(id),
        "bank_account": {"bank_name": "Example Bank", "last4": "6789"},
    })
}

fn line_type(kind: MovementKind) -> &'static str {
    match kind {
        MovementKind::Charge => "PAYMENT",
        MovementKind::Refund => "REFUND",
        MovementKind::Dispute => "CHARGEBACK",
        MovementKind::DisputeReversal => "CHARGEBACK_REVERSAL",
        MovementKind::Fee => "FEE",
        MovementKind::Adjustment => "ADJUSTMENT",
    }
}

/// A line: `transaction_id` is the transaction it comes from (the PAYMENT,
/// the REFUND, or the CHARGEBACK for both a chargeback and its reversal),
/// `payment_id` the PAYMENT whose money it is.
fn line_json(m: &Movement) -> Value {
    let cur = m.currency.code();
    json!({
        "transaction_id": m.object,
        "payment_id": m.source,
        "type": line_type(m.kind),
        "currency": cur,
        "gross": text(m.gross, cur),
        "fee": text(m.fee, cur),
        "fee_tax": text(m.fee_tax, cur),
        "net": text(m.net, cur),
        "occurred_at": time(m.available_at),
    })
}

/// Every batch with its id, newest cut-off first (ties by id, descending).
fn batches(seed: u64, l: &Ledger) -> Vec<(String, &MadePayout)> {
    let mut all: Vec<_> = l.payouts().map(|m| (batch_id(seed, m), m)).collect();
    all.sort_by(|(a_id, a), (b_id, b)| (b.payout.cutoff, b_id).cmp(&(a.payout.cutoff, a_id)));
    all
}

pub(crate) async fn list(State(s): State<Arc<TrxState>>, list: ListQuery) -> TrxResult<Response> {
    let q = &list.pairs;
    let status = one_of(q, "status", &["PENDING", "PAID"])?;
    let currency = match q.iter().find(|(k, _)| k == "currency") {
        None => None,
        Some((_, v)) => Some(
            Some(v.trim())
                .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()))
                .map(str::to_ascii_uppercase)
                .ok_or_else(|| TrxError::invalid("currency", "currency must be three letters"))?,
        ),
    };
    let (l, e) = s.lock();
    let now = l.now();
    let rows: Vec<_> = batches(e.seed, &l)
        .into_iter()
        .filter(|(_, m)| {
            let p = &m.payout;
            list.dated(p.cutoff)
                && currency.as_deref().is_none_or(|c| p.currency.code() == c)
                && status.is_none_or(|st| (st == "PAID") == paid(m, now))
        })
        .map(|(id, m)| batch_json(&id, m, now))
        .collect();
    Ok(list.answer(rows.into_iter()))
}

/// The batch `id` names: only the batches cut at the time its ULID encodes
/// are looked at.
fn find<'l>(seed: u64, l: &'l Ledger, id: &str) -> TrxResult<&'l MadePayout> {
    let cutoff = id
        .strip_prefix("stl_")
        .and_then(Rng::ulid_ms)
        .and_then(|ms| i64::try_from(ms).ok())
        .and_then(DateTime::from_timestamp_millis);
    cutoff
        .into_iter()
        .flat_map(|cut| l.payouts_cut_at(cut))
        .find(|m| batch_id(seed, m) == id)
        .ok_or_else(|| TrxError::not_found(format!("Settlement {id} not found")))
}

pub(crate) async fn get(
    State(s): State<Arc<TrxState>>,
    Path(id): Path<String>,
) -> TrxResult<Response> {
    let (l, e) = s.lock();
    let made = find(e.seed, &l, &id)?;
    Ok(respond::json(
        StatusCode::OK,
        &batch_json(&id, made, l.now()),
    ))
}

pub(crate) async fn lines(
    State(s): State<Arc<TrxState>>,
    Path(id): Path<String>,
    list: ListQuery,
) -> TrxResult<Response> {
    let (l, e) = s.lock();
    let made = find(e.seed, &l, &id)?;
    let mut lines: Vec<&Movement> = made.lines.iter().collect();
    lines.sort_by(|a, b| (a.available_at, &a.source).cmp(&(b.available_at, &b.source)));
    Ok(list.answer(lines.into_iter().map(line_json)))
}

/// `pending`: the net of movements in no batch yet; `available`: the net of
/// batches closed but not yet paid. One entry per currency, by code. A sum
/// that does not fit is a server error, never a wrong balance.
pub(crate) async fn balance(State(s): State<Arc<TrxState>>) -> TrxResult<Response> {
    let (l, _e) = s.lock();
    let now = l.now();
    let mut per: BTreeMap<&'static str, (i64, i64)> = BTreeMap::new();
    let add = |total: &mut i64, net: i64| -> TrxResult<()> {
        *total = total
            .checked_add(net)
            .ok_or_else(|| TrxError::internal("The balance is too large to show"))?;
        Ok(())
    };
    for m in l.payouts() {
        let entry = per.entry(m.payout.currency.code()).or_default();
        if !paid(m, now) {
            add(&mut entry.0, m.payout.net)?;
        }
    }
    for m in l.unpaid_movements() {
        add(&mut per.entry(m.currency.code()).or_default().1, m.net)?;
    }
    let data: Vec<Value> = per
        .into_iter()
        .map(|(cur, (available, pending))| {
            json!({"currency": cur, "available": text(available, cur), "pending": text(pending, cur)})
        })
        .collect();
    Ok(respond::json(StatusCode::OK, &json!({"data": data})))
}

/// Where a transaction's money is in the books.
#[derive(Debug, Clone)]
pub(crate) struct Settlement {
    fee: i64,
    fee_tax: i64,
    /// The batch that carries it, or (in none yet) the day its batch is
    /// expected to be paid, if the schedule will cut one.
    place: Result<String, Option<NaiveDate>>,
}

/// Every transaction's settlement, by transaction id: a PAYMENT's capture, a
/// REFUND, a CHARGEBACK's debit (its reversal adds nothing to the
/// CHARGEBACK's own fields).
#[derive(Debug, Default)]
pub(crate) struct Settled<'l>(HashMap<&'l str, Settlement>);

impl<'l> Settled<'l> {
    /// The settlements of every transaction in `l`.
    pub fn all(seed: u64, l: &'l Ledger) -> Self {
        Self::of(seed, l, |_| true)
    }

    /// The settlement of the transaction `id` alone (no batch id is made for
    /// the others).
    pub fn one(seed: u64, l: &'l Ledger, id: &str) -> Self {
        Self::of(seed, l, |m| m.object == id)
    }

    fn of(seed: u64, l: &'l Ledger, wanted: impl Fn(&Movement) -> bool) -> Self {
        let wanted = |m: &&Movement| m.kind != MovementKind::DisputeReversal && wanted(m);
        let mut found = HashMap::new();
        for made in l.payouts() {
            let mut lines = made.lines.iter().filter(wanted).peekable();
            if lines.peek().is_none() {
                continue;
            }
            let id = batch_id(seed, made);
            for m in lines {
                let place = Ok(id.clone());
                found.insert(m.object.as_str(), Settlement::new(m, place));
            }
        }
        for m in l.unpaid_movements().iter().filter(wanted) {
            let expected = l.expected_pay_date(m).map(|d| d.date_naive());
            found.insert(m.object.as_str(), Settlement::new(m, Err(expected)));
        }
        Settled(found)
    }

    /// The transaction object's `fee`, `fee_tax`, `settlement_id` and
    /// `expected_settlement_date`, all null while its money is not in the
    /// books (not captured, a refund not yet settled).
    pub fn fields(&self, id: &str, currency: &str) -> [(&'static str, Value); 4] {
        let s = self.0.get(id);
        let money = |part: fn(&Settlement) -> i64| s.map(|s| text(part(s), currency));
        let place = s.map(|s| &s.place);
        [
            ("fee", json!(money(|s| s.fee))),
            ("fee_tax", json!(money(|s| s.fee_tax))),
            ("settlement_id", json!(place.and_then(|p| p.as_ref().ok()))),
            (
                "expected_settlement_date",
                json!(place.and_then(|p| p.clone().err().flatten().map(|d| d.to_string()))),
            ),
        ]
    }
}

impl Settlement {
    fn new(m: &Movement, place: Result<String, Option<NaiveDate>>) -> Self {
        Settlement {
            fee: m.fee,
            fee_tax: m.fee_tax,
            place,
        }
    }
}
