//! Keeping a store quick as it grows: planner statistics and a compact trigram index
//! after a backfill, and SQLite's own light `optimize` whenever a connection closes.

use super::{Result, Store};

/// Rows `PRAGMA optimize` may read per index at close: enough for the planner, and a
/// close on ten million charges stays a few milliseconds.
const ANALYSIS_LIMIT: i64 = 400;

impl Store {
    /// Once a backfill has completed: full statistics for the planner (STAT4, which
    /// chooses between the status, currency, customer and text indexes), and the
    /// trigram index merged into one segment. On millions of charges this takes
    /// seconds to minutes, so it runs once per completed backfill on the writer, not
    /// per page.
    pub fn after_backfill(&mut self) -> Result<()> {
        self.conn()
            .execute_batch("ANALYZE; INSERT INTO charge_fts(charge_fts) VALUES ('optimize');")?;
        Ok(())
    }

    /// What SQLite recommends as a connection closes; bounded by `ANALYSIS_LIMIT`.
    pub(super) fn optimize_on_close(&self) -> Result<()> {
        self.conn()
            .pragma_update(None, "analysis_limit", ANALYSIS_LIMIT)?;
        self.conn().execute_batch("PRAGMA optimize")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::{charge, t0};
    use crate::domain::ChargeStatus;
    use crate::store::rates::synthetic;
    use crate::store::rollup_prop::column;

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    const ANALYSED: &str = "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'";
    // FTS5 keeps a row per leaf page of each segment: fewer once merged into one.
    const FTS_PAGES: &str = "SELECT count(*) FROM charge_fts_data";

    #[test]
    fn after_a_backfill_the_planner_has_statistics_and_the_text_index_is_merged() {
        let mut store = Store::open_in_memory().unwrap();
        for n in 1..=40 {
            store
                .upsert_charges(&[charge(n, ChargeStatus::ALL[(n % 9) as usize])], t0())
                .unwrap();
        }
        assert_eq!(count(&store, ANALYSED), 0);
        let before = count(&store, FTS_PAGES);
        store.after_backfill().unwrap();
        let stats = count(
            &store,
            "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'charge'",
        );
        assert!(stats >= 4, "one row per charge index: {stats}");
        assert!(count(&store, FTS_PAGES) < before);
        let found = count(
            &store,
            "SELECT count(*) FROM charge_fts WHERE charge_fts MATCH '\"buyer3\"'",
        );
        assert_eq!(found, 11, "buyer3, buyer30..39");
    }

    /// The trigram index's segments, by id: FTS5 keys each page of segment `s` from
    /// `s << 37` up (its `%_data` rows below that hold the structure and averages), and
    /// a merge replaces some segments with a new one.
    fn text_segments(store: &Store) -> std::collections::BTreeSet<i64> {
        column(
            store.conn(),
            "SELECT DISTINCT id >> 37 FROM charge_fts_data WHERE id >= 1 << 37",
        )
    }

    #[test]
    fn a_poll_writes_one_text_segment_and_merges_none_the_store_already_held() {
        let mut store = Store::open_in_memory().unwrap();
        let start = t0();
        let mut held = text_segments(&store);
        // 15 polls stay under the crisis merge's 16 segments; their pages are enough that
        // automatic merging, were it on, would have merged earlier segments on the way.
        for poll in 0..15u64 {
            // Newest first, as the poller reads them.
            let charges: Vec<_> = (poll * 100..poll * 100 + 100)
                .rev()
                .map(|i| synthetic(i, start))
                .collect();
            store.upsert_charges(&charges, start).unwrap();
            let now = text_segments(&store);
            assert!(
                now.is_superset(&held) && now.len() == held.len() + 1,
                "poll {poll}: {held:?} -> {now:?}"
            );
            held = now;
        }
        // The crisis merge still bounds what a search reads: single-charge writes past 16
        // segments on a level are merged at once.
        for i in 1500..1540 {
            store.upsert_charges(&[synthetic(i, start)], start).unwrap();
        }
        let segments = text_segments(&store).len();
        assert!(segments < 32, "{segments} segments");
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM charge_fts WHERE charge_fts MATCH '\"ORD-1539\"'"
            ),
            1
        );
    }

    #[test]
    fn closing_a_store_that_filtered_by_an_index_leaves_statistics_for_the_next_open() {
        let dir = std::env::temp_dir().join(format!("paydeck-close-{}", uuid::Uuid::new_v4()));
        let path = Store::path_for(&dir, "p");
        let mut store = Store::open(&path).unwrap();
        let charges: Vec<_> = (1..=300)
            .map(|n| charge(n, ChargeStatus::ALL[(n % 9) as usize]))
            .collect();
        store.upsert_charges(&charges, t0()).unwrap();
        assert_eq!(
            count(&store, "SELECT count(*) FROM charge WHERE status = 9"),
            33
        );
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(count(&store, ANALYSED), 1);
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
