//! The payout report (docs/openpay.md, "The summary's four totals"): `GET
//! /reports/payout/{id}` answers `in`, `out`, `charged_adjustments` and
//! `refunded_adjustments`; `GET /reports/payout/{id}/detail?detail_type=…`
//! lists the transactions behind one of them, newest first, each with its fee
//! and the IVA on it apart.
//!
//! How a payout's movements fill the four lists (a guess, written in the doc):
//! charges and won chargebacks are IN, refunds and chargebacks are OUT, a
//! chargeback's fee is a charged adjustment of its own. `out` also carries
//! every IN and OUT line's fee and tax, so that the payout's amount is `in −
//! out − charged_adjustments + refunded_adjustments`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use serde_json::json;

use super::list::{Page, Query};
use super::payouts::find;
use super::render::{self, Transaction, reply};
use super::{OpenpayError, OpenpayResult, OpenpayState};
use crate::sim::common::digest::fnv1a;
use crate::sim::common::major_units;
use crate::sim::ledger::settlement::{Fee, Movement, MovementKind};
use crate::sim::ledger::{Charge, Ledger, MadePayout, Refund};
use crate::sim::rng::Rng;

/// Which of the report's four lists a transaction is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Detail {
    In,
    Out,
    ChargedAdjustments,
    RefundedAdjustments,
}

impl Detail {
    const ALL: [(Detail, &'static str); 4] = [
        (Detail::In, "IN"),
        (Detail::Out, "OUT"),
        (Detail::ChargedAdjustments, "CHARGED_ADJUSTMENTS"),
        (Detail::RefundedAdjustments, "REFUNDED_ADJUSTMENTS"),
    ];

    /// `detail_type` in any case (the reference writes it in capitals, the
    /// Java client sends lower case); the reference's PHP example names it
    /// `payout_type`, which is taken too.
    fn parse(q: &Query) -> Result<Detail, OpenpayError> {
        let names = || Detail::ALL.map(|(_, n)| n).join(", ");
        let given = q
            .get("detail_type")
            .or_else(|| q.get("payout_type"))
            .ok_or_else(|| {
                OpenpayError::bad_request(format!("detail_type is required: one of {}", names()))
            })?;
        Detail::ALL
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(given))
            .map(|(d, _)| *d)
            .ok_or_else(|| {
                OpenpayError::bad_request(format!(
                    "detail_type '{given}' is not one of {}",
                    names()
                ))
            })
    }
}

/// What a report line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum What {
    Charge,
    Refund,
    Chargeback,
    ChargebackReversal,
    /// The fee Openpay charges for a chargeback.
    ChargebackFee,
    Adjustment,
}

/// One line of the report: a movement, or the part of one that one list shows.
struct Entry<'m> {
    detail: Detail,
    what: What,
    movement: &'m Movement,
    /// What the transaction's `amount` shows: never negative.
    amount: i64,
    fee: Fee,
}

/// The report lines a movement makes: one, or two for a chargeback with a fee.
fn entries(m: &Movement) -> Vec<Entry<'_>> {
    let fee = Fee {
        fee: m.fee,
        fee_tax: m.fee_tax,
    };
    let entry = |detail, what, amount, fee| Entry {
        detail,
        what,
        movement: m,
        amount,
        fee,
    };
    match m.kind {
        MovementKind::Charge => vec![entry(Detail::In, What::Charge, m.gross, fee)],
        MovementKind::DisputeReversal => {
            vec![entry(Detail::In, What::ChargebackReversal, m.gross, fee)]
        }
        MovementKind::Refund => vec![entry(Detail::Out, What::Refund, -m.gross, fee)],
        MovementKind::Dispute => {
            let debit = entry(Detail::Out, What::Chargeback, -m.gross, Fee::default());
            let charged = m.fee.saturating_add(m.fee_tax);
            let fee_line = (charged != 0).then(|| {
                entry(
                    Detail::ChargedAdjustments,
                    What::ChargebackFee,
                    charged,
                    fee,
                )
            });
            std::iter::once(debit).chain(fee_line).collect()
        }
        // The books make neither today; read like the doc's adjustments.
        MovementKind::Fee | MovementKind::Adjustment if m.net < 0 => vec![entry(
            Detail::ChargedAdjustments,
            What::Adjustment,
            -m.net,
            fee,
        )],
        MovementKind::Fee | MovementKind::Adjustment => vec![entry(
            Detail::RefundedAdjustments,
            What::Adjustment,
            m.net,
            fee,
        )],
    }
}

/// The four totals of a payout, in minor units.
#[derive(Default)]
struct Totals {
    inflow: i64,
    out: i64,
    charged: i64,
    refunded: i64,
}

fn totals(made: &MadePayout) -> Totals {
    let mut t = Totals::default();
    for e in made.lines.iter().flat_map(entries) {
        let fees = e.fee.fee.saturating_add(e.fee.fee_tax);
        let slot = match e.detail {
            Detail::In => {
                t.out = t.out.saturating_add(fees);
                &mut t.inflow
            }
            Detail::Out => {
                t.out = t.out.saturating_add(fees);
                &mut t.out
            }
            Detail::ChargedAdjustments => &mut t.charged,
            Detail::RefundedAdjustments => &mut t.refunded,
        };
        *slot = slot.saturating_add(e.amount);
    }
    t
}

/// The id of a line that is not a ledger object: a transaction id derived
/// from the seed, the movement and what the line is.
fn derived_id(seed: u64, e: &Entry<'_>) -> String {
    let m = e.movement;
    let at = u64::try_from(m.available_at.timestamp_millis()).unwrap_or(0);
    let stream = at ^ fnv1a(&format!("{:?}", e.what));
    Rng::derive(seed ^ fnv1a(&m.source), stream).lower_alnum("tr", 18)
}

/// The refund a refund movement settled, and its charge.
fn settled_refund<'l>(l: &'l Ledger, m: &Movement) -> Option<(&'l Charge, &'l Refund)> {
    let r = l.refund_by_token(&m.object).ok()?;
    Some((l.charge(&r.charge).ok()?, r))
}

/// The id a line is listed under.
fn line_id(seed: u64, l: &Ledger, e: &Entry<'_>) -> String {
    match e.what {
        What::Charge => e.movement.source.clone(),
        What::Refund => settled_refund(l, e.movement)
            .map_or_else(|| derived_id(seed, e), |(_, r)| r.token.clone()),
        _ => derived_id(seed, e),
    }
}

/// A line as Openpay's transaction object, with its fee.
fn line_json(l: &Ledger, id: String, e: &Entry<'_>) -> Transaction {
    let m = e.movement;
    let code = m.currency.code();
    let fee = Some(Some(render::fee(e.fee, code)));
    let charge = l.charge(&m.source).ok();
    match (e.what, charge) {
        (What::Charge, Some(c)) => Transaction {
            fee,
            ..render::charge(l, c)
        },
        (What::Refund, Some(c)) => match settled_refund(l, m) {
            Some((_, r)) => Transaction {
                fee,
                ..render::refund(c, r, Some(render::authorization(&c.token)))
            },
            None => other_line(id, e, fee),
        },
        _ => other_line(id, e, fee),
    }
}

/// A chargeback, its reversal, its fee or an adjustment: a transaction of
/// its own whose description names the charge.
fn other_line(id: String, e: &Entry<'_>, fee: Option<Option<render::FeeJson>>) -> Transaction {
    let m = e.movement;
    let (operation, kind, description) = match e.what {
        What::ChargebackReversal => ("in", "chargeback", "Chargeback reversed on"),
        What::ChargebackFee => ("out", "fee", "Chargeback fee on"),
        What::Adjustment if e.detail == Detail::RefundedAdjustments => {
            ("in", "adjustment", "Adjustment on")
        }
        What::Adjustment => ("out", "adjustment", "Adjustment on"),
        What::Charge => ("in", "charge", "Charge"),
        What::Refund => ("out", "refund", "Refund on"),
        What::Chargeback => ("out", "chargeback", "Chargeback on"),
    };
    Transaction {
        description: format!("{description} {}", m.source),
        fee,
        ..render::bare(
            id,
            operation,
            kind,
            e.amount,
            m.currency.code(),
            m.available_at,
        )
    }
}

/// `GET /reports/payout/{id}`: the four totals.
pub(super) async fn summary(
    State(s): State<Arc<OpenpayState>>,
    Path(id): Path<String>,
) -> OpenpayResult {
    let l = s.ledger();
    let made = find(s.seed, &l, &id)?;
    let t = totals(made);
    let code = made.payout.currency.code();
    let money = |minor| major_units::json(minor, code);
    Ok(reply(
        StatusCode::OK,
        &json!({
            "in": money(t.inflow),
            "out": money(t.out),
            "charged_adjustments": money(t.charged),
            "refunded_adjustments": money(t.refunded),
        }),
    ))
}

/// `GET /reports/payout/{id}/detail`: one list's transactions, newest first
/// (ties by id, descending), paged by offset and limit.
pub(super) async fn detail(
    State(s): State<Arc<OpenpayState>>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> OpenpayResult {
    let (q, page) = Page::read(q.as_deref())?;
    let detail = Detail::parse(&q)?;
    let l = s.ledger();
    let made = find(s.seed, &l, &id)?;
    let mut lines: Vec<(String, Entry<'_>)> = made
        .lines
        .iter()
        .flat_map(entries)
        .filter(|e| e.detail == detail)
        .map(|e| (line_id(s.seed, &l, &e), e))
        .collect();
    lines.sort_by(|(a_id, a), (b_id, b)| {
        (b.movement.available_at, b_id).cmp(&(a.movement.available_at, a_id))
    });
    let data: Vec<Transaction> = page
        .apply(lines.into_iter())
        .into_iter()
        .map(|(id, e)| line_json(&l, id, &e))
        .collect();
    Ok(reply(StatusCode::OK, &data))
}
