//! The local store: one SQLite file per profile in the data directory, holding the
//! account's charges, refunds, customers, payouts and balance lines as synced, so the
//! dashboard starts from disk and browses millions of charges in flat memory.
//!
//! A `Store` is one connection; it is `Send` but not `Sync`, so each lives on its own
//! thread (one writer for sync and polls, one reader for the screens).
//!
//! Reconciliation sessions are the operator's own work, not a copy: they live in a
//! database of their own ([`sessions`]).

mod bulk;
mod charge_row;
mod charges;
mod columns;
mod customers;
mod error;
mod handle;
mod identity;
mod maintenance;
mod owner;
mod payouts;
pub mod query;
#[cfg(test)]
mod rates;
mod raw_cache;
mod refunds;
#[cfg(test)]
mod rollup_prop;
mod schema;
pub mod sessions;
mod status_code;
mod sync_state;
mod unpaid;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

pub use bulk::BulkLoad;
pub use charges::UpsertCount;
pub use columns::Stored;
pub use error::StoreError;
pub use handle::{StoreHandle, StorePair};
pub use identity::{Opened, StoreIdentity};
pub use owner::{Owner, Stopped};
pub use payouts::PAYOUTS_MAX;
pub use raw_cache::{RAW_ROWS_MAX, RAW_TEXT_MAX};
pub use schema::LATEST as SCHEMA_VERSION;
pub use status_code::{status_code, status_from_code};
pub use sync_state::{CHARGES, SyncPhase, SyncState};
pub use unpaid::UNPAID_MAX;

pub type Result<T> = std::result::Result<T, StoreError>;

/// One connection to a profile's store.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
}

impl Drop for Store {
    fn drop(&mut self) {
        // Closing is not the moment to fail: a store that cannot optimise still closes.
        let _ = self.optimize_on_close();
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// Per-connection page cache: small, since the 150 MB budget covers two connections
/// and the process; no mmap, whose pages would count as resident too.
const CACHE_KIB: i64 = 16 * 1024;
/// How long a connection waits on another's write lock before saying so.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Distinct SQL texts kept prepared: filters compile to many shapes.
const STATEMENT_CACHE: usize = 64;

impl Store {
    /// Opens (creating if need be) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|e| StoreError::open(path, e))?;
        Store::prepare(conn, Some(path.to_path_buf()))
    }

    /// A store that lives in memory, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::prepare(Connection::open_in_memory()?, None)
    }

    fn prepare(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        let named = path.clone().unwrap_or_else(|| PathBuf::from(":memory:"));
        // A damaged or foreign file fails on its first read here: name it, say what to do.
        let unreadable = |source| StoreError::open(&named, source);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(unreadable)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // WAL lets the reader page through charges while the writer commits a sync page;
        // NORMAL survives a killed process (not a power cut), which is what a cache needs.
        for (pragma, value) in [
            ("journal_mode", "WAL".to_string()),
            ("synchronous", "NORMAL".to_string()),
            ("temp_store", "MEMORY".to_string()),
            ("cache_size", (-CACHE_KIB).to_string()),
            ("mmap_size", "0".to_string()),
        ] {
            conn.pragma_update(None, pragma, value)
                .map_err(unreadable)?;
        }
        schema::migrate(&mut conn).map_err(|e| StoreError::Migration {
            path: named.clone(),
            message: e.to_string(),
        })?;
        Ok(Store { conn, path })
    }

    /// Where a profile's store lives: `<data dir>/store/<profile>.sqlite`, with the
    /// profile name reduced to characters every filesystem accepts.
    pub fn path_for(data_dir: &Path, profile: &str) -> PathBuf {
        let name: String = profile
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(64)
            .collect();
        let name = if name.is_empty() {
            "default".into()
        } else {
            name
        };
        data_dir.join("store").join(format!("{name}.sqlite"))
    }

    /// The schema version of this store (`schema::LATEST` once open).
    pub fn schema_version(&self) -> Result<usize> {
        schema::version(&self.conn).map_err(|e| StoreError::Migration {
            path: self
                .path
                .clone()
                .unwrap_or_else(|| PathBuf::from(":memory:")),
            message: e.to_string(),
        })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The connection, for the query and sync modules of this crate.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_in_wal_with_the_latest_schema_and_reopens_without_migrating_again() {
        let dir = std::env::temp_dir().join(format!("paydeck-store-{}", uuid::Uuid::new_v4()));
        let path = Store::path_for(&dir, "live/au");
        assert!(path.ends_with("store/live_au.sqlite"));
        {
            let store = Store::open(&path).unwrap();
            let mode: String = store
                .conn()
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap();
            assert_eq!(mode, "wal");
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), schema::LATEST);
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
