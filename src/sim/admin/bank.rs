//! `GET /_sim/bank/statement?dialect=D&format=csv|ofx|camt053[&currency=C][&from=YYYY-MM-DD&to=YYYY-MM-DD]`
//! and `GET /_sim/bank/truth` (the same parameters but `format`): the merchant's
//! bank statement for one dialect's payouts, and every anomaly the bank put in
//! it (see `crate::sim::bank`). The account is one currency: by default the
//! one most of the dialect's payouts are in. The range is inclusive, by booking
//! date: by default the 92 days to the ledger's today, at most 366 days and
//! [`MAX_LINES`] lines. Anything unusable is a 400 that names the parameter.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, TimeDelta};
use serde_json::{Value, json};

use super::{Admin, AdminError};
use crate::money::Currency;
use crate::sim::bank::{
    self, Account, Anomaly, Line, LineKind, Paid, Statement, camt053, csv, ofx,
};
use crate::sim::common::major_units;
use crate::sim::common::params::QueryParams;
use crate::sim::form::Params;
use crate::sim::respond;

/// The most lines one statement holds; a longer one asks for a shorter range.
/// A backstop: with at most one payout a day per currency and at most three
/// lines per payout, 366 days stay far below it.
pub const MAX_LINES: usize = 5_000;
/// The longest range, in days.
pub const MAX_DAYS: i64 = 366;
/// The range when `from` is not given: this many days before `to`.
const DEFAULT_DAYS: i64 = 92;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Csv,
    Ofx,
    Camt053,
}

/// One account's statement over a range, with what is needed to answer it.
struct Asked {
    dialect: String,
    currency: Currency,
    from: NaiveDate,
    to: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
    /// The balance before the range.
    opening: i64,
    statement: Statement,
    paid: BTreeMap<String, Paid>,
}

fn bad(param: &'static str, message: impl Into<String>) -> AdminError {
    AdminError::refused(param, message)
}

fn date(p: &Params, param: &'static str) -> Result<Option<NaiveDate>, AdminError> {
    p.text(param)
        .map(|text| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                bad(
                    param,
                    format!("{param} must be a date written YYYY-MM-DD, e.g. 2026-11-30"),
                )
            })
        })
        .transpose()
}

/// The statement `p` asks for, built from the dialect's ledger.
fn asked(s: &Admin, p: &Params) -> Result<Asked, AdminError> {
    let (name, book) = s.chosen(p).map_err(AdminError::refused_as_is)?;
    let l = book.ledger.lock();
    let now = l.now();
    let paid: Vec<Paid> = l
        .payouts()
        .filter(|m| m.payout.pay_date <= now)
        .map(|m| {
            let named = (book.payout_name)(s.bank.seed, m);
            Paid {
                id: named.id,
                reference: named.reference,
                currency: m.payout.currency,
                net: m.payout.net,
                pay_date: named.pay_day,
            }
        })
        .collect();
    drop(l);
    let currency = match p.text("currency") {
        Some(code) => Currency::from_code(code.trim())
            .map_err(|_| bad("currency", "currency must be an ISO 4217 code, e.g. AUD"))?,
        None => most_paid_in(&paid),
    };
    let today = now.date_naive();
    let to = date(p, "to")?.unwrap_or(today);
    let from = date(p, "from")?.unwrap_or(to - TimeDelta::days(DEFAULT_DAYS));
    if from > to {
        return Err(bad("from", "from must be on or before to"));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(bad(
            "to",
            format!("from and to must be at most {MAX_DAYS} days apart"),
        ));
    }
    let paid: Vec<Paid> = paid
        .into_iter()
        .filter(|p| p.currency == currency)
        .collect();
    let mut statement = bank::statement::statement(s.bank.seed, name, &s.bank.noise, &paid, today);
    let opening = opening_balance(currency)
        + statement
            .lines
            .iter()
            .filter(|l| l.booked < from)
            .map(|l| l.amount)
            .sum::<i64>();
    statement.lines.retain(|l| (from..=to).contains(&l.booked));
    statement.anomalies.retain(|a| (from..=to).contains(&a.on));
    if statement.lines.len() > MAX_LINES {
        return Err(bad(
            "from",
            format!(
                "the statement would have more than {MAX_LINES} lines: ask for fewer days with from and to"
            ),
        ));
    }
    Ok(Asked {
        opening,
        dialect: name.to_string(),
        currency,
        from,
        to,
        now,
        statement,
        paid: paid.into_iter().map(|p| (p.id.clone(), p)).collect(),
    })
}

/// The account's balance before its first line: 10 000 in major units.
fn opening_balance(currency: Currency) -> i64 {
    10_000 * 10_i64.pow(currency.exponent())
}

/// The currency most payouts are in (the first code on a tie; AUD if none).
fn most_paid_in(paid: &[Paid]) -> Currency {
    let mut count: BTreeMap<&str, (usize, Currency)> = BTreeMap::new();
    for p in paid {
        count.entry(p.currency.code()).or_insert((0, p.currency)).0 += 1;
    }
    count
        .values()
        .rev()
        .max_by_key(|(n, _)| *n)
        .map_or(Currency::AUD, |(_, c)| *c)
}

impl Asked {
    fn account(&self) -> Account<'_> {
        Account {
            dialect: &self.dialect,
            currency: self.currency,
            from: self.from,
            to: self.to,
            now: self.now,
            opening: self.opening,
            lines: &self.statement.lines,
        }
    }

    fn money(&self, minor: i64) -> String {
        major_units::text(minor, self.currency.code())
    }

    /// Every payout the range's lines pay or that never arrived in it, with
    /// the line it is on.
    fn payouts_json(&self) -> Vec<Value> {
        let on_lines = self
            .statement
            .lines
            .iter()
            .filter(|l| l.kind == LineKind::Deposit);
        let on_lines = on_lines.flat_map(|l| l.payouts.iter().map(move |p| (p, Some(&l.id))));
        let lost = self
            .statement
            .anomalies
            .iter()
            .filter(|a| a.kind == bank::AnomalyKind::Lost);
        let lost = lost.flat_map(|a| a.payouts.iter().map(|p| (p, None)));
        on_lines
            .chain(lost)
            .filter_map(|(id, line)| {
                let p = self.paid.get(id)?;
                Some(json!({
                    "id": p.id,
                    "reference": p.reference,
                    "amount": self.money(p.net),
                    "pay_date": p.pay_date.to_string(),
                    "line": line,
                }))
            })
            .collect()
    }

    /// `a` with the reference and amount of its line (`lines` by id).
    fn anomaly_json(&self, a: &Anomaly, lines: &HashMap<&str, &Line>) -> Value {
        let line = a.line.as_deref().and_then(|id| lines.get(id));
        json!({
            "kind": a.kind.name(),
            "payouts": a.payouts,
            "line": a.line,
            "reference": line.map(|l| l.reference.as_str()),
            "amount": line.map(|l| self.money(l.amount)),
            "date": a.on.to_string(),
            "days": a.days,
        })
    }
}

fn format_of(p: &Params) -> Result<Format, AdminError> {
    let must = "format must be csv, ofx or camt053";
    match p
        .text("format")
        .map(|f| f.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("csv") => Ok(Format::Csv),
        Some("ofx") => Ok(Format::Ofx),
        Some("camt053" | "camt.053") => Ok(Format::Camt053),
        _ => Err(bad("format", must)),
    }
}

pub(super) async fn statement(
    State(s): State<Arc<Admin>>,
    QueryParams(p, _): QueryParams<AdminError>,
) -> Result<Response, AdminError> {
    let format = format_of(&p)?;
    let asked = asked(&s, &p)?;
    let account = asked.account();
    let (body, kind) = match format {
        Format::Csv => (csv::render(&account), "text/csv; charset=utf-8"),
        Format::Ofx => (ofx::render(&account), "application/x-ofx"),
        Format::Camt053 => (camt053::render(&account), "application/xml"),
    };
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, kind)], body).into_response())
}

pub(super) async fn truth(
    State(s): State<Arc<Admin>>,
    QueryParams(p, _): QueryParams<AdminError>,
) -> Result<Response, AdminError> {
    let asked = asked(&s, &p)?;
    let lines: HashMap<&str, &Line> = asked
        .statement
        .lines
        .iter()
        .map(|l| (l.id.as_str(), l))
        .collect();
    let anomalies: Vec<Value> = asked
        .statement
        .anomalies
        .iter()
        .map(|a| asked.anomaly_json(a, &lines))
        .collect();
    let body = json!({
        "dialect": asked.dialect,
        "currency": asked.currency.code(),
        "from": asked.from.to_string(),
        "to": asked.to.to_string(),
        "payouts": asked.payouts_json(),
        "anomalies": anomalies,
    });
    Ok(respond::json(StatusCode::OK, &body))
}
