//! Building a new store from a stream of charges, fast: the benchmark fixture and any
//! first import of a large history.
//!
//! While it loads, the file is throwaway: no journal, no fsync, no secondary indexes
//! and no FTS triggers, one prepared INSERT and a commit every `COMMIT_EVERY` rows.
//! `finish` then builds the indexes, the trigram index and the rollup in one pass each,
//! runs ANALYZE and only then gives the file its real name, opened as any store is.
//! The indexes and triggers are recreated from the SQL the migrations left in
//! `sqlite_master`, so the schema keeps one source.
//!
//! Any order of charges gives the same store; oldest first is the fast one, since the
//! order key then only grows and every row lands at the right edge of the table.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::charge_row::order_key;
use super::charges::{ROLLUP_BY_GROUP_BY, free_key, write_row};
use super::{Result, Store, StoreError};
use crate::domain::Charge;

/// Rows per transaction while loading: large enough that commits cost nothing, small
/// enough that the page cache is not asked to hold a whole load.
const COMMIT_EVERY: usize = 50_000;
/// Page cache while loading and indexing, in KiB (the store's own is far smaller): the
/// index sorts and the id index's random inserts run in it.
const LOAD_CACHE_KIB: i64 = 256 * 1024;

/// FTS5's own default for 'automerge', which the rebuild of the trigram index runs with.
const FTS5_AUTOMERGE: i64 = 4;

/// A store being built. Dropping it without `finish` leaves only the `.loading` file.
#[derive(Debug)]
pub struct BulkLoad {
    store: Store,
    loading: PathBuf,
    path: PathBuf,
    synced_at: DateTime<Utc>,
    /// The `CREATE INDEX` / `CREATE TRIGGER` statements of the charge table, dropped
    /// for the load and run again at `finish`.
    deferred: Vec<String>,
    in_transaction: usize,
    loaded: u64,
}

impl BulkLoad {
    /// Starts a new store that will live at `path`, which must not exist yet. Rows are
    /// marked as synced at `synced_at`. The load writes `<path>.loading` (a stale one
    /// from a killed load is replaced) and renames it at `finish`.
    pub fn create(path: &Path, synced_at: DateTime<Utc>) -> Result<BulkLoad> {
        if path.exists() {
            return Err(StoreError::Exists {
                path: path.to_path_buf(),
            });
        }
        let mut loading = path.as_os_str().to_owned();
        loading.push(".loading");
        let loading = PathBuf::from(loading);
        if loading.exists() {
            std::fs::remove_file(&loading).map_err(|source| StoreError::Io {
                path: loading.clone(),
                source,
            })?;
        }
        // Opened as a store so the migrations build the schema, then switched to loading.
        let store = Store::open(&loading)?;
        let conn = store.conn();
        conn.pragma_update(None, "journal_mode", "OFF")?;
        conn.pragma_update(None, "synchronous", "OFF")?;
        conn.pragma_update(None, "cache_size", -LOAD_CACHE_KIB)?;
        let deferred = charge_indexes_and_triggers(conn)?;
        for (kind, name) in charge_index_and_trigger_names(conn)? {
            conn.execute_batch(&format!("DROP {kind} \"{name}\""))?;
        }
        Ok(BulkLoad {
            store,
            loading,
            path: path.to_path_buf(),
            synced_at,
            deferred,
            in_transaction: 0,
            loaded: 0,
        })
    }

    /// Adds charges. Ids must be new to the load: a repeated id is an error naming it.
    pub fn append(&mut self, charges: &[Charge]) -> Result<()> {
        for charge in charges {
            if self.in_transaction == 0 {
                self.store.conn().execute_batch("BEGIN")?;
            }
            let k = free_key(self.store.conn(), order_key(charge.created, &charge.id))?;
            write_row(self.store.conn(), k, charge, self.synced_at).map_err(|e| match e {
                StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    StoreError::Unstorable {
                        what: format!("charge {}", charge.id),
                        problem: "its id is already in the load".into(),
                    }
                }
                other => other,
            })?;
            self.in_transaction += 1;
            self.loaded += 1;
            if self.in_transaction >= COMMIT_EVERY {
                self.commit()?;
            }
        }
        Ok(())
    }

    /// Charges loaded so far.
    pub fn loaded(&self) -> u64 {
        self.loaded
    }

    fn commit(&mut self) -> Result<()> {
        if self.in_transaction > 0 {
            self.store.conn().execute_batch("COMMIT")?;
            self.in_transaction = 0;
        }
        Ok(())
    }

    /// Builds the indexes, the free-text index and the rollup, analyses the tables,
    /// and opens the finished store at its real path (WAL, NORMAL, as every store).
    pub fn finish(mut self) -> Result<Store> {
        self.commit()?;
        let tx = self.store.conn_mut().transaction()?;
        for sql in &self.deferred {
            tx.execute_batch(sql)?;
        }
        // A poll leaves the trigram index's older segments alone (migration 003), but a
        // rebuild writes the whole index as thousands of segments: merging them as it
        // goes, as FTS5 does by default, leaves a few large ones for searches to read.
        let automerge: i64 = tx
            .query_row(
                "SELECT v FROM charge_fts_config WHERE k = 'automerge'",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(FTS5_AUTOMERGE);
        let set_automerge = |value: i64| {
            tx.execute(
                "INSERT INTO charge_fts(charge_fts, rank) VALUES ('automerge', ?1)",
                [value],
            )
        };
        set_automerge(FTS5_AUTOMERGE)?;
        tx.execute_batch("INSERT INTO charge_fts(charge_fts) VALUES ('rebuild')")?;
        set_automerge(automerge)?;
        tx.execute_batch(&format!(
            "DELETE FROM charge_rollup; \
             INSERT INTO charge_rollup (day, status, currency, n, amount, captured, refunded) \
             {ROLLUP_BY_GROUP_BY}"
        ))?;
        tx.commit()?;
        self.store.conn().execute_batch("ANALYZE")?;
        drop(self.store);
        std::fs::rename(&self.loading, &self.path).map_err(|source| StoreError::Io {
            path: self.path.clone(),
            source,
        })?;
        Store::open(&self.path)
    }
}

/// The SQL of the charge table's secondary indexes and triggers, as the migrations
/// wrote it (automatic indexes, such as the one behind `UNIQUE`, have none and stay).
fn charge_indexes_and_triggers(conn: &Connection) -> Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'charge' \
         AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name",
    )?;
    let sql = statement
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(sql)
}

fn charge_index_and_trigger_names(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut statement = conn.prepare(
        "SELECT upper(type), name FROM sqlite_master WHERE tbl_name = 'charge' \
         AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name",
    )?;
    let names = statement
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::{charge, t0};
    use crate::domain::ChargeStatus;
    use crate::money::{Currency, Money};
    use crate::store::rates::synthetic;

    /// A mix the rollup and the free text both have something to say about.
    fn charges(n: i64) -> Vec<Charge> {
        (1..=n)
            .map(|i| {
                let mut c = charge(i, ChargeStatus::ALL[(i % 9) as usize]);
                if i % 3 == 0 {
                    c.amount = Money::from_minor(i * 7, Currency::JPY);
                    c.captured = Money::zero(Currency::JPY);
                    c.released = Money::zero(Currency::JPY);
                    c.refunded = Money::zero(Currency::JPY);
                }
                if i % 4 == 0 {
                    c.metadata.insert("order".into(), format!("Pour-Over {i}"));
                    c.customer_id = Some(format!("cus_{}", i % 5));
                }
                // Some share a second, so the order key's probing runs.
                c.created =
                    t0() - chrono::TimeDelta::days(i % 40) + chrono::TimeDelta::seconds(i % 7);
                c
            })
            .collect()
    }

    fn dump(store: &Store, sql: &str) -> Vec<Vec<String>> {
        let mut statement = store.conn().prepare(sql).unwrap();
        let width = statement.column_count();
        statement
            .query_map([], |r| {
                (0..width)
                    .map(|i| {
                        Ok(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => "NULL".to_string(),
                            rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                            rusqlite::types::ValueRef::Real(x) => x.to_string(),
                            rusqlite::types::ValueRef::Text(t)
                            | rusqlite::types::ValueRef::Blob(t) => {
                                String::from_utf8_lossy(t).into_owned()
                            }
                        })
                    })
                    .collect()
            })
            .unwrap()
            .map(|row| row.unwrap())
            .collect()
    }

    fn fts(store: &Store, needle: &str) -> Vec<Vec<String>> {
        let quoted = needle.replace('\'', "''");
        dump(
            store,
            &format!(
                "SELECT rowid FROM charge_fts WHERE charge_fts MATCH '\"{quoted}\"' ORDER BY rowid DESC"
            ),
        )
    }

    #[test]
    fn a_bulk_load_leaves_the_store_an_upsert_of_the_same_charges_leaves() {
        let dir = std::env::temp_dir().join(format!("paydeck-bulk-{}", uuid::Uuid::new_v4()));
        let all = charges(600);
        let mut upserted = Store::open(&dir.join("upserted.sqlite")).unwrap();
        upserted.upsert_charges(&all, t0()).unwrap();

        let path = dir.join("bulk.sqlite");
        let mut load = BulkLoad::create(&path, t0()).unwrap();
        for chunk in all.chunks(97) {
            load.append(chunk).unwrap();
        }
        assert_eq!(load.loaded(), 600);
        let bulk = load.finish().unwrap();
        assert!(!dir.join("bulk.sqlite.loading").exists());

        for sql in [
            "SELECT * FROM charge ORDER BY k",
            "SELECT * FROM charge_rollup ORDER BY 1, 2, 3",
            "SELECT * FROM charge_fts_config ORDER BY 1",
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name",
            "PRAGMA journal_mode",
        ] {
            assert_eq!(dump(&bulk, sql), dump(&upserted, sql), "{sql}");
        }
        for needle in ["pour-over", "BUYER12", "cus_3", "4242", "ch_05"] {
            let found = fts(&bulk, needle);
            assert!(!found.is_empty(), "{needle}");
            assert_eq!(found, fts(&upserted, needle), "{needle}");
        }
        assert_eq!(
            bulk.charge("ch_0044").unwrap(),
            upserted.charge("ch_0044").unwrap()
        );
        drop(bulk);

        // It opens as any store does, and its triggers are back: a later upsert is searchable
        // and moves the rollup.
        let mut reopened = Store::open(&path).unwrap();
        let mut late = charge(601, ChargeStatus::Captured);
        late.description = Some("Late grinder".into());
        reopened.upsert_charges(&[late], t0()).unwrap();
        assert_eq!(fts(&reopened, "grinder").len(), 1);
        assert_eq!(
            dump(&reopened, "SELECT * FROM charge_rollup ORDER BY 1, 2, 3"),
            dump(&reopened, &format!("{ROLLUP_BY_GROUP_BY} ORDER BY 1, 2, 3"))
        );
        drop(reopened);
        drop(upserted);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_bulk_load_merges_its_text_index_while_building_it_and_leaves_polls_unmerging() {
        let dir = std::env::temp_dir().join(format!("paydeck-bulk-{}", uuid::Uuid::new_v4()));
        let mut load = BulkLoad::create(&dir.join("bulk.sqlite"), t0()).unwrap();
        let all: Vec<_> = (0..20_000).map(|i| synthetic(i, t0())).collect();
        load.append(&all).unwrap();
        let bulk = load.finish().unwrap();
        // Built without merging, these 20,000 charges leave 14 segments.
        let segments: i64 = bulk
            .conn()
            .query_row(
                "SELECT count(DISTINCT id >> 37) FROM charge_fts_data WHERE id >= 1 << 37",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(segments <= 6, "{segments} segments");
        assert_eq!(
            dump(
                &bulk,
                "SELECT v FROM charge_fts_config WHERE k = 'automerge'"
            ),
            vec![vec!["0".to_string()]]
        );
        drop(bulk);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_bulk_load_refuses_an_existing_store_and_a_repeated_id() {
        let dir = std::env::temp_dir().join(format!("paydeck-bulk-{}", uuid::Uuid::new_v4()));
        let path = dir.join("held.sqlite");
        drop(Store::open(&path).unwrap());
        let refused = BulkLoad::create(&path, t0()).unwrap_err().to_string();
        assert!(refused.contains("held.sqlite"), "{refused}");

        let mut load = BulkLoad::create(&dir.join("new.sqlite"), t0()).unwrap();
        let twice = load
            .append(&[
                charge(1, ChargeStatus::Captured),
                charge(1, ChargeStatus::Captured),
            ])
            .unwrap_err()
            .to_string();
        assert!(twice.contains("ch_0001"), "{twice}");
        drop(load);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
