//! Which index drives a page. Every driver but the amount index yields rows in k order,
//! so a page stops after `limit` matches; the other parts of the filter are tested on
//! each row. The choice is the driver whose range holds the fewest rows, counted by a
//! bounded probe of each candidate index (at most `PROBE` entries each): a simple rule
//! that sees skew (a rare status, a rare currency) where sqlite_stat1's averages do not.

use rusqlite::Connection;

use super::sql::{Compiled, KeyRange, Params};
use super::text::{fts_phrase, indexable};
use crate::store::Result;

/// The most index entries a probe counts. The amount index is used only when its range
/// holds fewer (its rows come in amount order and must be sorted), which bounds that
/// sort; an ordered driver is bounded by the page itself.
pub(super) const PROBE: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Driver {
    /// The table itself, by k (`SCAN`/`SEARCH ... INTEGER PRIMARY KEY`).
    Key,
    /// `charge_status (status, k)`: one arm per status, merged.
    Status,
    /// `charge_currency (currency, k)`.
    Currency,
    /// `charge_amount (currency, amount)`: one arm per currency, each sorted.
    Amount,
    /// The trigram index, whose rowid is k.
    Text,
}

/// The drivers `compiled` allows.
pub(super) fn candidates(compiled: &Compiled) -> Vec<Driver> {
    let mut out = Vec::new();
    if compiled.text.as_deref().is_some_and(indexable) {
        out.push(Driver::Text);
    }
    if !compiled.statuses.is_empty() {
        out.push(Driver::Status);
    }
    if compiled.currency.is_some() {
        out.push(Driver::Currency);
    }
    if compiled.amounts.as_ref().is_some_and(|a| !a.is_empty()) {
        out.push(Driver::Amount);
    }
    out.push(Driver::Key);
    out
}

/// The driver for a page of `compiled` within `keys`. The structured indexes are
/// probed first (they are cheap to count); the trigram index last, and only up to the
/// best count so far, since counting a rare phrase made of common trigrams costs more.
/// With nothing smaller to beat, text drives unprobed.
pub(super) fn choose(conn: &Connection, compiled: &Compiled, keys: KeyRange) -> Result<Driver> {
    let candidates = candidates(compiled);
    let mut best = (
        Driver::Key,
        probe(conn, compiled, keys, Driver::Key, PROBE)?,
    );
    for driver in [Driver::Status, Driver::Currency, Driver::Amount] {
        if candidates.contains(&driver) && best.1 > 0 {
            let rows = probe(conn, compiled, keys, driver, best.1)?;
            if rows < best.1 {
                best = (driver, rows);
            }
        }
    }
    if candidates.contains(&Driver::Text)
        && (best.1 >= PROBE || probe(conn, compiled, keys, Driver::Text, best.1)? < best.1)
    {
        return Ok(Driver::Text);
    }
    Ok(best.0)
}

/// How many entries `driver`'s index holds for the filter, counting at most `cap`.
fn probe(
    conn: &Connection,
    compiled: &Compiled,
    keys: KeyRange,
    driver: Driver,
    cap: usize,
) -> Result<usize> {
    let mut params = Params::default();
    let k_range = |params: &mut Params, column: &str| {
        let mut parts = keys.predicates(column, params);
        parts.insert(0, String::new());
        parts.join(" AND ")
    };
    let arms: Vec<String> = match driver {
        Driver::Key => {
            if compiled.from_ms.is_none() && compiled.until_ms.is_none() {
                // The whole store: every first page has one in reach.
                return Ok(cap);
            }
            vec![format!(
                "SELECT 1 FROM charge c WHERE 1{}",
                k_range(&mut params, "c.k")
            )]
        }
        Driver::Status => compiled
            .statuses
            .iter()
            .map(|status| {
                let status = params.bind(*status);
                format!(
                    "SELECT 1 FROM charge c INDEXED BY charge_status WHERE c.status = {status}{}",
                    k_range(&mut params, "c.k")
                )
            })
            .collect(),
        Driver::Currency => {
            let currency = params.bind(compiled.currency.clone().unwrap_or_default());
            vec![format!(
                "SELECT 1 FROM charge c INDEXED BY charge_currency WHERE c.currency = {currency}{}",
                k_range(&mut params, "c.k")
            )]
        }
        Driver::Amount => compiled
            .amounts
            .iter()
            .flatten()
            .map(|range| {
                format!(
                    "SELECT 1 FROM charge c INDEXED BY charge_amount WHERE {}",
                    range.predicate(&mut params)
                )
            })
            .collect(),
        Driver::Text => {
            let phrase = params.bind(fts_phrase(compiled.text.as_deref().unwrap_or_default()));
            vec![format!(
                "SELECT 1 FROM charge_fts WHERE charge_fts MATCH {phrase}{}",
                k_range(&mut params, "rowid")
            )]
        }
    };
    let limit = params.bind(cap as i64);
    let mut total = 0;
    for arm in arms {
        let sql = format!("SELECT count(*) FROM ({arm} LIMIT {limit})");
        let count: i64 = conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(params.0.iter()), |r| r.get(0))?;
        total += count.max(0) as usize;
        if total >= cap {
            break;
        }
    }
    Ok(total.min(cap))
}
