//! Stored values read back into domain values, each failure naming the row it came from,
//! and the count of an upsert by id that every object table shares.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::charge_row::from_millis;
use super::{Result, StoreError, UpsertCount};
use crate::money::Currency;

/// The row being read, for errors: `refund/re_123: time 9e18 is out of range`.
pub(super) struct RowOf<'a> {
    pub table: &'static str,
    pub id: &'a str,
}

impl RowOf<'_> {
    pub fn bad(&self, problem: String) -> StoreError {
        StoreError::BadRow {
            table: self.table,
            id: self.id.to_string(),
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

/// Whether `table` holds `id` (before an upsert, to count it as an update).
pub(super) fn holds(conn: &Connection, table: &'static str, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?
        .exists([id])?)
}

impl UpsertCount {
    pub(super) fn add(&mut self, was_held: bool) {
        if was_held {
            self.updated += 1;
        } else {
            self.inserted += 1;
        }
    }
}
