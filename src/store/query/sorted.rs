//! A page of a filter in an order other than the store's own (the operator sorted the
//! charges list by a column): keyset on the sort column with k as the tie-breaker, the
//! boundary row's values read from the row itself, so a window pages through a sorted
//! list exactly as it does through the newest-first one. No index holds these orders:
//! each page reads the filter's matches once and keeps the best `limit` (a bounded
//! sort), which is fine for a page a screen asks for and is why the store's own order
//! keeps its indexed path.

use super::page::Walk;
use super::sql::{Compiled, Params, columns};
use super::{PageFrom, StoreKey, StorePage};
use crate::domain::ChargeFilter;
use crate::store::charge_row::charge_from_row;
use crate::store::{Result, Store};

/// The column a charges page is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChargeSortKey {
    /// The store's own order (k: creation time).
    Created,
    /// Per currency, then the amount in that currency's minor units: amounts of two
    /// currencies are never compared with each other.
    Amount,
    /// By status, grouped (the stored code's order).
    Status,
    Email,
}

/// The order of a charges page: a column, and which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChargeOrder {
    pub key: ChargeSortKey,
    pub descending: bool,
}

impl Default for ChargeOrder {
    /// Newest first, the store's own order.
    fn default() -> Self {
        ChargeOrder {
            key: ChargeSortKey::Created,
            descending: true,
        }
    }
}

impl ChargeSortKey {
    /// The SQL the rows are ordered by, k last so that no two rows tie.
    fn terms(self) -> &'static [&'static str] {
        match self {
            ChargeSortKey::Created => &["c.k"],
            ChargeSortKey::Amount => &["c.currency", "c.amount", "c.k"],
            ChargeSortKey::Status => &["c.status", "c.k"],
            ChargeSortKey::Email => &["ifnull(c.email, '')", "c.k"],
        }
    }
}

impl Store {
    /// `charge_page` in `order`: "newest" and "older" mean first and further down in
    /// that order. The store's own order takes the indexed path.
    pub fn charge_page_ordered(
        &self,
        filter: &ChargeFilter,
        order: ChargeOrder,
        from: PageFrom,
        limit: usize,
    ) -> Result<StorePage> {
        if order == ChargeOrder::default() {
            return self.charge_page(filter, from, limit);
        }
        sorted_page(self, filter, order, from, limit)
    }
}

fn sorted_page(
    store: &Store,
    filter: &ChargeFilter,
    order: ChargeOrder,
    from: PageFrom,
    limit: usize,
) -> Result<StorePage> {
    let conn = store.conn();
    let compiled = Compiled::new(conn, filter)?;
    let times = compiled.time_keys();
    if limit == 0 || times.is_empty() {
        return Ok(StorePage::default());
    }
    let mut params = Params::default();
    let mut conditions = vec![compiled.predicates(&mut params)];
    conditions.extend(times.predicates("c.k", &mut params));
    // Read against the list's order: the rows above a boundary, or the last page.
    let backwards = Walk::of(from).ascending;
    let descending = order.descending != backwards;
    let terms = order.key.terms();
    let bound = match from {
        PageFrom::Newest | PageFrom::Oldest => None,
        PageFrom::Older(k) | PageFrom::Newer(k) => Some((k, "")),
        PageFrom::Through(k) => Some((k, "=")),
    };
    if let Some((StoreKey(k), or_equal)) = bound {
        let below = if descending { "<" } else { ">" };
        let own = terms.join(", ");
        conditions.push(format!(
            "({own}) {below}{or_equal} (SELECT {own} FROM charge c WHERE c.k = {})",
            params.bind(k)
        ));
    }
    let direction = if descending { "DESC" } else { "ASC" };
    let ordering: Vec<String> = terms.iter().map(|t| format!("{t} {direction}")).collect();
    let sql = format!(
        "SELECT {} FROM charge c WHERE {} ORDER BY {} LIMIT {}",
        columns(),
        conditions.join(" AND "),
        ordering.join(", "),
        params.bind(limit as i64)
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(rusqlite::params_from_iter(params.0.iter()))?;
    let mut page = Vec::new();
    while let Some(row) = rows.next()? {
        page.push((StoreKey(row.get(0)?), charge_from_row(row)?));
    }
    if backwards {
        page.reverse();
    }
    Ok(StorePage { rows: page })
}

#[cfg(test)]
#[path = "sorted_tests.rs"]
mod tests;
