//! What the object tables (refunds, customers, payouts) share: an upsert by id that
//! counts what it added, a read by id, and stored values read back into domain values,
//! each failure naming the row it came from.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Params, Row};

use super::charge_row::from_millis;
use super::{Result, Store, StoreError, UpsertCount};
use crate::money::Currency;

/// The row being read, for errors: `refund/re_123: time 9e18 is out of range`.
pub(super) struct RowOf {
    pub table: &'static str,
    pub id: String,
}

impl RowOf {
    /// A row of `table` whose first column is its id.
    pub fn at(row: &Row<'_>, table: &'static str) -> Result<RowOf> {
        Ok(RowOf {
            table,
            id: row.get(0)?,
        })
    }

    pub fn bad(&self, problem: String) -> StoreError {
        StoreError::BadRow {
            table: self.table,
            id: self.id.clone(),
            problem,
        }
    }

    pub fn time(&self, ms: i64) -> Result<DateTime<Utc>> {
        from_millis(ms).ok_or_else(|| self.bad(format!("time {ms} is out of range")))
    }

    pub fn currency(&self, code: &str) -> Result<Currency> {
        Currency::from_code(code).map_err(|e| self.bad(e.to_string()))
    }
}

/// An object kept in its own table, keyed by the gateway's id.
pub trait Stored: Sized {
    const TABLE: &'static str;
    /// What `read` reads, in order: `SELECT {COLUMNS} FROM {TABLE}`.
    const COLUMNS: &'static str;
    fn id(&self) -> &str;
    /// Inserts the object, or overwrites the row with its id.
    fn write(&self, conn: &Connection, synced_at: DateTime<Utc>) -> Result<()>;
    fn read(row: &Row<'_>) -> Result<Self>;
}

impl Store {
    /// Inserts new objects and overwrites known ones (by id), in one transaction.
    pub fn upsert<T: Stored>(&mut self, objects: &[T], now: DateTime<Utc>) -> Result<UpsertCount> {
        self.in_transaction(|tx| upsert_in(tx, objects, now))
    }

    /// Up to `limit` of `T`'s objects, newest first (by creation, then id), those
    /// older than `before` (the last of the page before) when it is given.
    pub fn newest_objects<T: Stored>(
        &self,
        before: Option<(DateTime<Utc>, &str)>,
        limit: usize,
    ) -> Result<Vec<T>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let order = "ORDER BY COALESCE(created, 0) DESC, id DESC LIMIT";
        match before {
            None => {
                let sql = format!("SELECT {} FROM {} {order} ?1", T::COLUMNS, T::TABLE);
                rows_of(self.conn(), &sql, [limit], T::read)
            }
            Some((created, id)) => {
                let sql = format!(
                    "SELECT {} FROM {} WHERE (COALESCE(created, 0), id) < (?1, ?2) {order} ?3",
                    T::COLUMNS,
                    T::TABLE
                );
                let params = rusqlite::params![super::charge_row::millis(created), id, limit];
                rows_of(self.conn(), &sql, params, T::read)
            }
        }
    }

    /// A stored object by its gateway id: `store.get::<Refund>("re_1")`.
    pub fn get<T: Stored>(&self, id: &str) -> Result<Option<T>> {
        let sql = format!("SELECT {} FROM {} WHERE id = ?1", T::COLUMNS, T::TABLE);
        Ok(rows_of(self.conn(), &sql, [id], T::read)?
            .into_iter()
            .next())
    }
}

/// The upsert, inside a transaction the caller owns (a sync page and its cursor).
pub(crate) fn upsert_in<T: Stored>(
    conn: &Connection,
    objects: &[T],
    now: DateTime<Utc>,
) -> Result<UpsertCount> {
    let mut count = UpsertCount::default();
    let sql = format!("SELECT 1 FROM {} WHERE id = ?1", T::TABLE);
    for object in objects {
        count.add(conn.prepare_cached(&sql)?.exists([object.id()])?);
        object.write(conn, now)?;
    }
    Ok(count)
}

/// A domain value's stored word, from a table of both that is fixed for files on disk.
pub(super) fn word_of<T: PartialEq>(words: &[(&'static str, T)], value: &T) -> &'static str {
    words
        .iter()
        .find(|(_, v)| v == value)
        .map_or("", |(word, _)| word)
}

/// The domain value a stored word stands for.
pub(super) fn value_of<'a, T>(words: &'a [(&'static str, T)], word: &str) -> Option<&'a T> {
    words.iter().find(|(w, _)| *w == word).map(|(_, v)| v)
}

impl UpsertCount {
    fn add(&mut self, was_held: bool) {
        if was_held {
            self.updated += 1;
        } else {
            self.inserted += 1;
        }
    }
}

/// Every row `sql` selects with `params`, each read by `read`.
pub(super) fn rows_of<T>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    read: fn(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query(params)?;
    let mut read_rows = Vec::new();
    while let Some(row) = rows.next()? {
        read_rows.push(read(row)?);
    }
    Ok(read_rows)
}

impl Store {
    /// Runs `write` in one transaction, committed only if it succeeds.
    pub(super) fn in_transaction<T>(
        &mut self,
        write: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        let tx = self.conn_mut().transaction()?;
        let answer = write(&tx)?;
        tx.commit()?;
        Ok(answer)
    }
}
