//! A filter's totals. Status, date and currency filters read the day rollup for the
//! whole UTC days of their range and scan charges (by k) only for the partial days at
//! its edges; text, amount and expiry filters are summed by a scan of their rows (the
//! trigram index's hits for a needle of three or more characters), which
//! `StoreHandle::interrupt` cancels when the filter changes under it. Sums stay integer
//! minor units until the last step.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension};

use super::sql::{Compiled, KeyRange, Params, scan_from};
use super::text::{SHORT_TEXT_BUDGET, ShortTextScan};
use super::{CurrencyTotals, StoreKey, Totals};
use crate::domain::ChargeFilter;
use crate::money::{Currency, Money};
use crate::store::{Result, Store, StoreError};

const MS_PER_DAY: i64 = 86_400_000;

impl Store {
    /// The count and per-currency sums of every charge matching `filter`.
    pub fn charge_totals(&self, filter: &ChargeFilter) -> Result<Totals> {
        totals(self.conn(), filter, None)
    }

    /// `charge_totals`, except that a needle under three characters is summed over the
    /// same newest `SHORT_TEXT_BUDGET` charges its first page searches, and says so:
    /// the figure to show at once, marked partial, while the full sum runs.
    pub fn charge_totals_searched(&self, filter: &ChargeFilter) -> Result<SearchedTotals> {
        searched_totals(self.conn(), filter, SHORT_TEXT_BUDGET)
    }

    /// How many charges matching `filter` are newer than `key`: the charge at `key`
    /// is row (that + 1) of `charge_totals(filter).count`.
    pub fn charge_count_newer(&self, filter: &ChargeFilter, key: StoreKey) -> Result<u64> {
        Ok(totals(self.conn(), filter, Some(key))?.count)
    }
}

/// Totals and, for a short needle, how far they reached.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchedTotals {
    pub totals: Totals,
    pub short_text: Option<ShortTextScan>,
}

/// Per currency code: count, captured, refunded, in minor units.
#[derive(Default)]
struct Sums(BTreeMap<String, [i64; 3]>);

impl Sums {
    /// Adds the rows of `SELECT currency, count, captured, refunded ... GROUP BY currency`.
    fn add(&mut self, conn: &Connection, sql: &str, params: &Params) -> Result<()> {
        let mut statement = conn.prepare_cached(sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(params.0.iter()))?;
        while let Some(row) = rows.next()? {
            let code: String = row.get(0)?;
            let entry = self.0.entry(code.clone()).or_default();
            for (index, slot) in entry.iter_mut().enumerate() {
                let value: i64 = row.get::<_, Option<i64>>(index + 1)?.unwrap_or(0);
                *slot = slot.checked_add(value).ok_or_else(|| overflow(&code))?;
            }
        }
        Ok(())
    }

    fn into_totals(self) -> Result<Totals> {
        let mut totals = Totals::default();
        for (code, [count, captured, refunded]) in self.0 {
            if count == 0 {
                continue;
            }
            let currency = Currency::from_code(&code).map_err(|e| StoreError::BadRow {
                table: "charge",
                id: format!("currency {code}"),
                problem: e.to_string(),
            })?;
            let net = captured
                .checked_sub(refunded)
                .ok_or_else(|| overflow(&code))?;
            let count = count.max(0) as u64;
            totals.count += count;
            totals.by_currency.push(CurrencyTotals {
                currency,
                count,
                gross: Money::from_minor(captured, currency),
                refunded: Money::from_minor(refunded, currency),
                net: Money::from_minor(net, currency),
            });
        }
        Ok(totals)
    }
}

fn overflow(code: &str) -> StoreError {
    StoreError::Unstorable {
        what: format!("the {code} totals"),
        problem: "they exceed the largest sum of minor units the store can hold".into(),
    }
}

fn totals(conn: &Connection, filter: &ChargeFilter, newer: Option<StoreKey>) -> Result<Totals> {
    let compiled = Compiled::new(conn, filter)?;
    let newer_keys = KeyRange {
        lo: newer.map(|k| k.0.saturating_add(1)),
        hi: None,
    };
    let mut sums = Sums::default();
    if compiled.rollup_answers() {
        rollup_totals(conn, &compiled, newer, newer_keys, &mut sums)?;
    } else {
        scan_totals(conn, &compiled, newer_keys, &mut sums)?;
    }
    sums.into_totals()
}

pub(super) fn searched_totals(
    conn: &Connection,
    filter: &ChargeFilter,
    budget: usize,
) -> Result<SearchedTotals> {
    let compiled = Compiled::new(conn, filter)?;
    if !compiled.has_short_text() {
        return Ok(SearchedTotals {
            totals: totals(conn, filter, None)?,
            short_text: None,
        });
    }
    // The oldest of the newest `budget` charges in the filter's dates, if there are that many.
    let keys = compiled.time_keys();
    let mut params = Params::default();
    let mut range = keys.predicates("c.k", &mut params);
    range.insert(0, "1".into());
    let sql = format!(
        "SELECT c.k FROM charge c WHERE {} ORDER BY c.k DESC LIMIT 1 OFFSET {}",
        range.join(" AND "),
        params.bind(budget.saturating_sub(1) as i64)
    );
    let last: Option<i64> = conn
        .prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(params.0.iter()), |r| r.get(0))
        .optional()?;
    let extra = KeyRange { lo: last, hi: None };
    let mut sums = Sums::default();
    scan_totals(conn, &compiled, extra, &mut sums)?;
    let short_text = Some(match last {
        Some(k) => ShortTextScan {
            looked_at: budget as u64,
            reached: Some(StoreKey(k)),
            complete: false,
        },
        None => {
            let sql = format!(
                "SELECT count(*), min(c.k) FROM charge c WHERE {}",
                range.join(" AND ")
            );
            let (count, oldest): (i64, Option<i64>) = conn.prepare_cached(&sql)?.query_row(
                rusqlite::params_from_iter(&params.0[..params.0.len() - 1]),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            ShortTextScan {
                looked_at: count.max(0) as u64,
                reached: oldest.map(StoreKey),
                complete: true,
            }
        }
    });
    Ok(SearchedTotals {
        totals: sums.into_totals()?,
        short_text,
    })
}

/// Sums the rows of `compiled` within `extra` by reading them.
fn scan_totals(
    conn: &Connection,
    compiled: &Compiled,
    extra: KeyRange,
    sums: &mut Sums,
) -> Result<()> {
    let keys = compiled.time_keys().and(extra);
    if keys.is_empty() {
        return Ok(());
    }
    let mut params = Params::default();
    let from = scan_from(compiled, keys, &mut params);
    let sql = format!(
        "SELECT c.currency, count(*), sum(c.captured), sum(c.refunded) {from} GROUP BY c.currency"
    );
    sums.add(conn, &sql, &params)
}

/// The whole UTC days of the range from the rollup, the partial days at its edges
/// (and, with `newer`, the part of a day after that charge) by scanning them.
fn rollup_totals(
    conn: &Connection,
    compiled: &Compiled,
    newer: Option<StoreKey>,
    newer_keys: KeyRange,
    sums: &mut Sums,
) -> Result<()> {
    // A whole day counts only if every charge in it is newer than `newer`: it starts
    // after that charge's second.
    let after_newer = newer.map(|k| ((k.0 >> 20).saturating_add(1)).saturating_mul(1000));
    let lower = match (compiled.from_ms, after_newer) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let first_day =
        lower.map(|ms| ms.div_euclid(MS_PER_DAY) + i64::from(ms.rem_euclid(MS_PER_DAY) > 0));
    let end_day = compiled.until_ms.map(|ms| ms.div_euclid(MS_PER_DAY));
    let has_whole_days = match (first_day, end_day) {
        (Some(first), Some(end)) => first < end,
        _ => true,
    };
    if !has_whole_days {
        return scan_totals(conn, compiled, newer_keys, sums);
    }
    let mut params = Params::default();
    let mut parts = Vec::new();
    if let Some(first) = first_day {
        parts.push(format!("day >= {}", params.bind(first)));
    }
    if let Some(end) = end_day {
        parts.push(format!("day < {}", params.bind(end)));
    }
    if !compiled.statuses.is_empty() {
        let codes: Vec<String> = compiled.statuses.iter().map(|s| params.bind(*s)).collect();
        parts.push(format!("status IN ({})", codes.join(", ")));
    }
    if let Some(currency) = &compiled.currency {
        parts.push(format!("currency = {}", params.bind(currency.clone())));
    }
    let sql = format!(
        "SELECT currency, sum(n), sum(captured), sum(refunded) FROM charge_rollup \
         WHERE {} GROUP BY currency",
        super::sql::join_and(parts)
    );
    sums.add(conn, &sql, &params)?;
    if let Some(first) = first_day {
        let before = Compiled {
            until_ms: Some(first.saturating_mul(MS_PER_DAY)),
            ..compiled.clone()
        };
        scan_totals(conn, &before, newer_keys, sums)?;
    }
    if let Some(end) = end_day {
        let after = Compiled {
            from_ms: Some(end.saturating_mul(MS_PER_DAY)),
            ..compiled.clone()
        };
        scan_totals(conn, &after, newer_keys, sums)?;
    }
    Ok(())
}
