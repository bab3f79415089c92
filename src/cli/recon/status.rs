//! `paydeck recon status`: the board as text (aligned columns) or JSON.
//!
//! The JSON (`"version": 1`; fields are only ever added) is one object:
//! - `session`: `name`, `profiles`, `from`, `to`, `signed_off` (`{who, at}` or null),
//!   `latest_event` (what a mark's `--seen` takes);
//! - `as_of`: the day the queue was judged on (today, UTC);
//! - `counts`: `deposits`, `payouts`, `exceptions`, each `{matched, proposed,
//!   flagged, ignored, open}`;
//! - `totals` (live) and `frozen` (at sign-off; empty while open): per currency,
//!   `statement`, `matched`, `unmatched`, `difference` as exact decimals with the
//!   currency's exponent, and the same as integers in `*_minor`;
//! - `signoff`: `{allowed, refusal}`;
//! - `deposits`, `payouts`, `exceptions`, `matches`: every row, each item under
//!   `ref` in the form the other commands take (`deposit:…`, `payout:P/ID`,
//!   `exception:…`), a match under its `id`; an exception another operator holds has
//!   `held_by` `{who, since}` (else null).

use serde_json::{Value, json};

use super::context::Worked;
use super::{Recon, ReconError};
use crate::money::{Currency, Money};
use crate::recon::session::{Board, ExceptionState};
use crate::store::sessions::{Adjustment, ItemRef, Stamp, Totals};

/// The JSON's shape, for `paydeck recon status --help`.
const JSON_SHAPE: &str = "JSON (version 1; fields are only ever added): session {name, profiles, \
from, to, signed_off: {who, at} or null, latest_event (for a mark's --seen)}; as_of (today, UTC); counts {deposits, payouts, \
exceptions} each {matched, proposed, flagged, ignored, open}; totals and frozen (at sign-off), \
per currency: statement, matched, unmatched, difference as exact decimals and as integers in \
*_minor; signoff {allowed, refusal}; deposits, payouts, exceptions (each with its ref, as mark, \
flag and note take it, and held_by {who, since} or null) and matches (each with its id, tier, proposed, items, adjustment).";

#[derive(clap::Args, Debug)]
#[command(after_help = JSON_SHAPE)]
pub struct StatusArgs {
    /// The session's name.
    pub name: String,
    /// text: aligned columns; json: every row, for scripts (its shape below).
    #[arg(long, value_enum, default_value = "text")]
    pub format: StatusFormat,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFormat {
    Text,
    Json,
}

pub fn status(recon: &mut Recon, args: &StatusArgs) -> Result<(), ReconError> {
    let (_, Worked { board, .. }) = recon.work(&args.name)?;
    match args.format {
        StatusFormat::Json => {
            let text = serde_json::to_string_pretty(&as_json(&board))
                .map_err(|e| ReconError::Failed(e.to_string()))?;
            super::out(&text)
        }
        StatusFormat::Text => super::out(as_text(&board).trim_end()),
    }
}

/// `amount` minor units of `currency` as an exact decimal, or the bare integer for a
/// currency paydeck does not know.
fn decimal(minor: i64, currency: &str) -> String {
    Currency::from_code(currency).map_or_else(
        |_| minor.to_string(),
        |c| Money::from_minor(minor, c).plain(),
    )
}

fn money(minor: i64, currency: &str) -> Value {
    json!({ "amount": decimal(minor, currency), "amount_minor": minor, "currency": currency })
}

fn totals_json(totals: &[Totals]) -> Value {
    let one = |t: &Totals| {
        let c = t.currency.as_str();
        json!({
            "currency": c,
            "statement": decimal(t.statement, c), "statement_minor": t.statement,
            "matched": decimal(t.matched, c), "matched_minor": t.matched,
            "unmatched": decimal(t.unmatched, c), "unmatched_minor": t.unmatched,
            "difference": decimal(t.difference, c), "difference_minor": t.difference,
        })
    };
    Value::Array(totals.iter().map(one).collect())
}

fn refs(items: &[ItemRef]) -> Value {
    Value::Array(items.iter().map(|i| Value::String(i.token())).collect())
}

fn stamp(s: &Option<Stamp>) -> Value {
    s.as_ref().map_or(
        Value::Null,
        |s| json!({ "who": s.who, "at": s.at.to_rfc3339() }),
    )
}

fn adjustment(a: &Option<Adjustment>) -> Value {
    a.as_ref().map_or(Value::Null, |a| {
        let mut m = money(a.amount_minor, &a.currency);
        m["reason"] = Value::String(a.reason.clone());
        m
    })
}

fn with(mut base: Value, more: Value) -> Value {
    if let (Some(b), Value::Object(m)) = (base.as_object_mut(), more) {
        b.extend(m);
    }
    base
}

pub fn as_json(board: &Board) -> Value {
    let s = &board.summary;
    let now = chrono::Utc::now();
    let mut counts = json!({ "deposits": {}, "payouts": {}, "exceptions": {} });
    for (state, deposits, payouts, exceptions) in board.counts() {
        counts["deposits"][state] = deposits.into();
        counts["payouts"][state] = payouts.into();
        counts["exceptions"][state] = exceptions.into();
    }
    let deposits: Vec<Value> = board
        .deposits
        .iter()
        .map(|d| {
            let l = &d.line;
            with(
                money(l.amount_minor, &l.currency),
                json!({
                    "ref": d.item.token(), "booked": l.booked.to_string(), "text": l.text,
                    "reference": l.reference, "state": d.state.as_str(), "match": d.match_id,
                    "note": d.note, "changed": stamp(&d.changed),
                }),
            )
        })
        .collect();
    let payouts: Vec<Value> = board
        .payouts
        .iter()
        .map(|p| {
            let minor = p.payout.amount.to_minor().unwrap_or_default();
            with(
                money(minor, p.payout.amount.currency.code()),
                json!({
                    "ref": p.item.token(), "created": p.payout.created.to_rfc3339(),
                    "arrival": p.payout.arrival.map(|d| d.to_string()),
                    "lines": p.lines, "state": p.state.as_str(), "match": p.match_id,
                    "awaiting": p.awaiting, "note": p.note, "changed": stamp(&p.changed),
                }),
            )
        })
        .collect();
    let exceptions: Vec<Value> = board
        .exceptions
        .iter()
        .map(|e| {
            let minor = e.amount.to_minor().unwrap_or_default();
            with(
                money(minor, e.amount.currency.code()),
                json!({
                    "ref": e.item.token(), "kind": e.kind.name(), "state": e.state.as_str(),
                    "why": e.why, "note": e.note, "deposits": refs(&e.deposits),
                    "payouts": refs(&e.payouts), "charges": refs(&e.charges),
                    "held_by": board.holder_of(&e.item, now).map(|c| json!({
                        "who": c.holder, "since": c.taken.to_rfc3339(),
                    })),
                }),
            )
        })
        .collect();
    let matches: Vec<Value> = board
        .matches
        .iter()
        .map(|m| {
            json!({
                "id": m.id, "tier": m.tier, "proposed": m.proposed, "reason": m.reason,
                "items": refs(&m.items), "adjustment": adjustment(&m.adjustment),
            })
        })
        .collect();
    let refusal = board.signoff_refusal();
    json!({
        "version": 1,
        "session": {
            "name": s.name, "profiles": s.profiles, "from": s.from.to_string(),
            "to": s.to.to_string(), "signed_off": stamp(&s.signed_off),
            "latest_event": board.latest,
        },
        "as_of": Recon::as_of().to_string(),
        "counts": counts,
        "totals": totals_json(&board.totals),
        "frozen": totals_json(&board.frozen),
        "signoff": { "allowed": refusal.is_none(), "refusal": refusal },
        "deposits": deposits,
        "payouts": payouts,
        "exceptions": exceptions,
        "matches": matches,
    })
}

/// Pads each column of `rows` to its widest cell: numbers right, the columns in
/// `left` (words) left.
fn aligned(rows: &[Vec<String>], left: &[usize]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| match left.contains(&c) {
                true => format!("{cell:<w$}", w = widths[c]),
                false => format!("{cell:>w$}", w = widths[c]),
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

pub fn as_text(board: &Board) -> String {
    let s = &board.summary;
    let mut out = format!(
        "session {}: profiles {}, {}..{}, {}\n\n",
        s.name,
        s.profiles.join(","),
        s.from,
        s.to,
        super::sessions::state(s)
    );
    let counts = board.counts();
    let mut rows = vec![
        std::iter::once(String::new())
            .chain(counts.iter().map(|c| c.0.to_string()))
            .collect::<Vec<_>>(),
    ];
    let column = |pick: fn(&(&str, usize, usize, usize)) -> usize| {
        counts.iter().map(move |c| pick(c).to_string())
    };
    rows.push(
        std::iter::once("deposits".into())
            .chain(column(|c| c.1))
            .collect(),
    );
    rows.push(
        std::iter::once("payouts".into())
            .chain(column(|c| c.2))
            .collect(),
    );
    rows.push(
        std::iter::once("exceptions".into())
            .chain(column(|c| c.3))
            .collect(),
    );
    out.push_str(&aligned(&rows, &[0]));
    out.push('\n');
    let mut rows = vec![
        [
            "currency",
            "statement",
            "matched",
            "unmatched",
            "difference",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for t in &board.totals {
        let c = t.currency.as_str();
        rows.push(vec![
            c.to_string(),
            decimal(t.statement, c),
            decimal(t.matched, c),
            decimal(t.unmatched, c),
            decimal(t.difference, c),
        ]);
    }
    out.push_str(&aligned(&rows, &[0]));
    let open: Vec<Vec<String>> = board
        .exceptions
        .iter()
        .filter(|e| e.state == ExceptionState::Open)
        .map(|e| {
            vec![
                e.item.token(),
                e.amount.plain(),
                e.amount.currency.code().into(),
                e.why.clone(),
            ]
        })
        .collect();
    if !open.is_empty() {
        out.push_str(&format!("\n{} exception(s) open:\n", open.len()));
        out.push_str(&aligned(&open, &[0, 2, 3]));
    }
    out.push('\n');
    if s.signed_off.is_none() {
        let refusal = board.signoff_refusal();
        out.push_str(refusal.as_deref().unwrap_or("ready to sign off"));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_numbers_right_and_words_left() {
        let rows: Vec<Vec<String>> = [
            ["currency", "statement", "why"],
            ["AUD", "45880.69", "a deposit"],
            ["KWD", "-1.250", "no payout explains it"],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        assert_eq!(
            aligned(&rows, &[0, 2]),
            "currency  statement  why\n\
             AUD        45880.69  a deposit\n\
             KWD          -1.250  no payout explains it\n"
        );
        assert_eq!(decimal(-1250, "KWD"), "-1.250");
        assert_eq!(decimal(1200, "JPY"), "1200");
        assert_eq!(
            decimal(7, "XYZ"),
            "7",
            "an unknown currency keeps its integer"
        );
    }
}
