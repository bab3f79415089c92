//! The merchant's payouts (docs/openpay.md, "Payouts, fees and the balance"):
//! `GET /payouts` and `/payouts/{id}`, read from the ledger's settlement books.
//! A payout is a transaction of type `payout`, made automatically at each
//! cut-off of `--payout-schedule`: `in_progress` until its pay date, then
//! `completed`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::list::{Amount, Creation, Page, Query};
use super::merchant::Profile;
use super::render::{self, Transaction, reply};
use super::{OpenpayError, OpenpayResult, OpenpayState};
use crate::sim::bank::PayoutName;
use crate::sim::common::major_units;
use crate::sim::ledger::{Ledger, MadePayout};
use crate::sim::rng::Rng;

/// Told apart from the other dialects' ids of the same batch.
const ID_STREAM: u64 = 0x006f_7065_6e70_6179;

/// A payout's id, a 20-character transaction id (`tr` + 18) derived from the
/// seed, its cut-off and its currency: the same for the same `--seed` however
/// often it is read.
pub(super) fn payout_id(seed: u64, made: &MadePayout) -> String {
    let p = &made.payout;
    let code = p
        .currency
        .code()
        .bytes()
        .fold(ID_STREAM, |h, b| (h << 8) ^ u64::from(b));
    let ms = u64::try_from(p.cutoff.timestamp_millis()).unwrap_or(0);
    Rng::derive(seed ^ code, ms).lower_alnum("tr", 18)
}

/// What the bank statement shows for a payout: its id in capitals, which is
/// its `authorization` too (a guess: Openpay has no trace number).
fn bank_reference(id: &str) -> String {
    id.to_ascii_uppercase()
}

/// A payout's id and bank reference, for the bank statement.
pub(crate) fn payout_name(seed: u64, made: &MadePayout) -> PayoutName {
    // Its operation date is Mexico City's day, and so is the bank's.
    PayoutName {
        pay_day: super::render::local_date(made.payout.pay_date),
        ..PayoutName::of(made, payout_id(seed, made), bank_reference)
    }
}

/// Paid once its pay date has come.
fn paid(made: &MadePayout, now: DateTime<Utc>) -> bool {
    made.payout.pay_date <= now
}

/// The merchant's CLABE masked as the reference's example is
/// (`012XXXXXXXXXX24616`: the bank's three digits, ten `X`, the last five).
fn masked_clabe(clabe: &str) -> String {
    let bank = clabe.get(..3).unwrap_or("");
    let tail = clabe.get(clabe.len().saturating_sub(5)..).unwrap_or("");
    format!("{bank}{}{tail}", "X".repeat(10))
}

/// The payout as Openpay's transaction object.
fn payout_json(
    id: String,
    made: &MadePayout,
    merchant: &Profile,
    now: DateTime<Utc>,
) -> Transaction {
    let p = &made.payout;
    let code = p.currency.code();
    Transaction {
        authorization: Some(bank_reference(&id)),
        method: "bank_account",
        bank_account: Some(json!({
            "clabe": masked_clabe(&merchant.clabe),
            "bank_code": merchant.clabe.get(..3),
            "bank_name": "STP",
            "alias": null,
            "holder_name": merchant.name,
        })),
        status: if paid(made, now) {
            "completed"
        } else {
            "in_progress"
        },
        conciliated: paid(made, now),
        operation_date: render::time(p.pay_date),
        description: format!("Pago automático {}", render::local_date(p.cutoff)),
        fee: Some(None),
        ..render::bare(id, "out", "payout", p.net, code, p.cutoff)
    }
}

/// Every payout with its id, newest cut-off first (ties by id, descending).
pub(super) fn payouts(seed: u64, l: &Ledger) -> Vec<(String, &MadePayout)> {
    let mut all: Vec<_> = l.payouts().map(|m| (payout_id(seed, m), m)).collect();
    all.sort_by(|(a_id, a), (b_id, b)| (b.payout.cutoff, b_id).cmp(&(a.payout.cutoff, a_id)));
    all
}

/// The payout `id`, or Openpay's 404 (1005).
pub(super) fn find<'l>(seed: u64, l: &'l Ledger, id: &str) -> Result<&'l MadePayout, OpenpayError> {
    l.payouts()
        .find(|m| payout_id(seed, m) == id)
        .ok_or_else(|| OpenpayError::not_found(format!("The payout with id '{id}' does not exist")))
}

/// `payout_type`: every simulated payout is automatic, so `MANUAL` finds none.
fn automatic_wanted(q: &Query) -> Result<bool, OpenpayError> {
    match q.get("payout_type").map(str::to_ascii_uppercase).as_deref() {
        None | Some("ALL" | "AUTOMATIC") => Ok(true),
        Some("MANUAL") => Ok(false),
        Some(other) => Err(OpenpayError::bad_request(format!(
            "payout_type '{other}' is not one of ALL, AUTOMATIC, MANUAL"
        ))),
    }
}

/// `GET /payouts`: newest first, filtered by creation date and amount like
/// the charges list, and by `payout_type`, paged by offset and limit.
pub(super) async fn list(
    State(s): State<Arc<OpenpayState>>,
    RawQuery(q): RawQuery,
) -> OpenpayResult {
    let (q, page) = Page::read(q.as_deref())?;
    let creation = Creation::parse(&q)?;
    let amounts = Amount::parse(&q)?;
    let automatic = automatic_wanted(&q)?;
    let l = s.ledger();
    let now = l.now();
    let matching = payouts(s.seed, &l).into_iter().filter(|(_, m)| {
        let p = &m.payout;
        automatic
            && creation.matches(p.cutoff)
            && amounts.contains(&major_units::major(p.net, p.currency.code()))
    });
    let data: Vec<_> = page
        .apply(matching)
        .into_iter()
        .map(|(id, m)| payout_json(id, m, &s.merchant, now))
        .collect();
    Ok(reply(StatusCode::OK, &data))
}

/// `GET /payouts/{id}`.
pub(super) async fn get(
    State(s): State<Arc<OpenpayState>>,
    Path(id): Path<String>,
) -> OpenpayResult {
    let l = s.ledger();
    let made = find(s.seed, &l, &id)?;
    let payout = payout_json(id, made, &s.merchant, l.now());
    Ok(reply(StatusCode::OK, &payout))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clabe_is_masked_as_the_reference_example() {
        // The reference's example: `012XXXXXXXXXX24616`.
        assert_eq!(masked_clabe("012180001234524616"), "012XXXXXXXXXX24616");
        assert_eq!(masked_clabe("12"), "XXXXXXXXXX12");
    }
}
