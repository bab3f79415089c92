//! A page of a filter: keyset on k in either direction, driven by the index `plan`
//! chooses, the rest of the filter tested on each row.

use rusqlite::Connection;

use super::plan::{self, Driver};
use super::sql::{Compiled, KeyRange, Params, columns};
use super::text::{SHORT_TEXT_BUDGET, ShortTextScan, fts_phrase};
use super::{PageFrom, StoreKey, StorePage};
use crate::domain::ChargeFilter;
use crate::store::charge_row::charge_from_row;
use crate::store::{Result, Store};

/// Rows reserved up front: a page is a screenful or three, whatever `limit` says.
const MAX_RESERVED: usize = 256;

/// A page and, for a needle too short for the trigram index, how far its search looked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchedPage {
    pub page: StorePage,
    pub short_text: Option<ShortTextScan>,
}

impl Store {
    /// Up to `limit` charges matching `filter`, from `from`, newest first. A free text
    /// under three characters is searched over the `SHORT_TEXT_BUDGET` charges from
    /// `from` only: `charge_page_searched` says how far that reached.
    pub fn charge_page(
        &self,
        filter: &ChargeFilter,
        from: PageFrom,
        limit: usize,
    ) -> Result<StorePage> {
        Ok(self.charge_page_searched(filter, from, limit)?.page)
    }

    /// `charge_page`, saying how far a short needle's search looked.
    pub fn charge_page_searched(
        &self,
        filter: &ChargeFilter,
        from: PageFrom,
        limit: usize,
    ) -> Result<SearchedPage> {
        page(self.conn(), filter, from, limit, None, SHORT_TEXT_BUDGET)
    }
}

/// Which way a page reads k.
#[derive(Debug, Clone, Copy)]
pub(super) struct Walk {
    pub keys: KeyRange,
    pub ascending: bool,
}

impl Walk {
    pub fn of(from: PageFrom) -> Walk {
        let (lo, hi, ascending) = match from {
            PageFrom::Newest => (None, None, false),
            PageFrom::Older(k) => (None, Some(k.0), false),
            PageFrom::Newer(k) => (Some(k.0.saturating_add(1)), None, true),
            PageFrom::Through(k) => (None, Some(k.0.saturating_add(1)), false),
            PageFrom::Oldest => (None, None, true),
        };
        Walk {
            keys: KeyRange { lo, hi },
            ascending,
        }
    }

    /// The walk, kept inside `keys` as well (a filter's dates).
    pub fn within(self, keys: KeyRange) -> Walk {
        Walk {
            keys: self.keys.and(keys),
            ..self
        }
    }

    fn order(&self) -> &'static str {
        if self.ascending { "ASC" } else { "DESC" }
    }
}

/// The page, with `driver` forced (tests walk every driver) or chosen by `plan`.
pub(super) fn page(
    conn: &Connection,
    filter: &ChargeFilter,
    from: PageFrom,
    limit: usize,
    driver: Option<Driver>,
    budget: usize,
) -> Result<SearchedPage> {
    let compiled = Compiled::new(conn, filter)?;
    let walk = Walk::of(from).within(compiled.time_keys());
    if limit == 0 || walk.keys.is_empty() {
        return Ok(SearchedPage::default());
    }
    if compiled.has_short_text() {
        return short_text_page(conn, &compiled, walk, limit, budget);
    }
    let driver = match driver {
        Some(driver) => driver,
        None => plan::choose(conn, &compiled, walk.keys)?,
    };
    let (sql, params) = page_sql(&compiled, driver, walk, limit);
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(rusqlite::params_from_iter(params.0.iter()))?;
    let mut page = Vec::with_capacity(limit.min(MAX_RESERVED));
    while let Some(row) = rows.next()? {
        page.push((StoreKey(row.get(0)?), charge_from_row(row)?));
    }
    if walk.ascending {
        page.reverse();
    }
    Ok(SearchedPage {
        page: StorePage { rows: page },
        short_text: None,
    })
}

/// The SQL of a page driven by `driver`.
pub(super) fn page_sql(
    compiled: &Compiled,
    driver: Driver,
    walk: Walk,
    limit: usize,
) -> (String, Params) {
    let keys = walk.keys;
    let mut params = Params::default();
    let rest = compiled.predicates(&mut params);
    let order = walk.order();
    let limit = params.bind(limit as i64);
    let cols = columns();
    let ranged = |params: &mut Params, column: &str, first: String| {
        let mut parts = vec![first];
        parts.extend(keys.predicates(column, params));
        parts.push(rest.clone());
        parts.join(" AND ")
    };
    let arm = |index: &str, condition: String| {
        format!("SELECT {cols} FROM charge c INDEXED BY {index} WHERE {condition}")
    };
    let arms: Vec<String> = match driver {
        Driver::Key => {
            let condition = ranged(&mut params, "c.k", "1".into());
            vec![format!("SELECT {cols} FROM charge c WHERE {condition}")]
        }
        Driver::Status => compiled
            .statuses
            .iter()
            .map(|status| {
                let first = format!("c.status = {}", params.bind(*status));
                arm("charge_status", ranged(&mut params, "c.k", first))
            })
            .collect(),
        Driver::Currency => {
            let currency = params.bind(compiled.currency.clone().unwrap_or_default());
            let first = format!("c.currency = {currency}");
            vec![arm("charge_currency", ranged(&mut params, "c.k", first))]
        }
        Driver::Amount => compiled
            .amounts
            .iter()
            .flatten()
            .map(|range| {
                let first = range.predicate(&mut params);
                arm("charge_amount", ranged(&mut params, "c.k", first))
            })
            .collect(),
        Driver::Text => {
            let phrase = params.bind(fts_phrase(compiled.text.as_deref().unwrap_or_default()));
            let condition = ranged(
                &mut params,
                "charge_fts.rowid",
                format!("charge_fts MATCH {phrase}"),
            );
            // CROSS JOIN keeps the FTS table outside, so its rowid order is the page's.
            return (
                format!(
                    "SELECT {cols} FROM charge_fts CROSS JOIN charge c \
                     ON c.k = charge_fts.rowid WHERE {condition} \
                     ORDER BY charge_fts.rowid {order} LIMIT {limit}"
                ),
                params,
            );
        }
    };
    let sql = match arms.as_slice() {
        [] => format!("SELECT {cols} FROM charge c WHERE 0"),
        [one] => format!("{one} ORDER BY c.k {order} LIMIT {limit}"),
        // Each arm reads its index in k order: SQLite merges them lazily, so the LIMIT
        // bounds every arm too.
        many => format!(
            "{} ORDER BY 1 {order} LIMIT {limit}",
            many.join(" UNION ALL ")
        ),
    };
    (sql, params)
}

/// The SQL of a short needle's search: each of up to `budget` rows in k order, with
/// whether it matches as a last column.
pub(super) fn short_text_sql(compiled: &Compiled, walk: Walk, budget: usize) -> (String, Params) {
    let mut params = Params::default();
    let test = compiled.predicates(&mut params);
    let mut range = walk.keys.predicates("c.k", &mut params);
    range.insert(0, "1".into());
    let sql = format!(
        "SELECT {}, ifnull(({test}), 0) FROM charge c WHERE {} ORDER BY c.k {} LIMIT {}",
        columns(),
        range.join(" AND "),
        walk.order(),
        params.bind(budget as i64)
    );
    (sql, params)
}

/// A needle under three characters: every row from the page's start, up to `budget`
/// of them, tested in SQL, the matches kept.
fn short_text_page(
    conn: &Connection,
    compiled: &Compiled,
    walk: Walk,
    limit: usize,
    budget: usize,
) -> Result<SearchedPage> {
    let (sql, params) = short_text_sql(compiled, walk, budget);
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(rusqlite::params_from_iter(params.0.iter()))?;
    let mut page = Vec::with_capacity(limit.min(MAX_RESERVED));
    let mut scan = ShortTextScan {
        looked_at: 0,
        reached: None,
        complete: false,
    };
    let hit_column = super::sql::column_count();
    loop {
        let Some(row) = rows.next()? else {
            scan.complete = (scan.looked_at as usize) < budget;
            break;
        };
        let k = StoreKey(row.get(0)?);
        scan.looked_at += 1;
        scan.reached = Some(k);
        if row.get::<_, bool>(hit_column)? {
            page.push((k, charge_from_row(row)?));
            if page.len() == limit {
                break;
            }
        }
    }
    if walk.ascending {
        page.reverse();
    }
    Ok(SearchedPage {
        page: StorePage { rows: page },
        short_text: Some(scan),
    })
}
