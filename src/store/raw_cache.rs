//! The gateway's JSON for an object, kept deflated (`miniz_oxide`) as it is fetched, so
//! `J` can show it again without the network. Bounded twice: the oldest rows past
//! `RAW_ROWS_MAX` are evicted, and nothing inflates past `RAW_TEXT_MAX`.

use chrono::{DateTime, Utc};
use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;
use rusqlite::{OptionalExtension, params};

use super::charge_row::millis;
use super::{Result, Store, StoreError};
use crate::domain::RawJson;

/// Rows kept: about 60 MB of deflated gateway JSON at ~1.2 KB an object before deflate.
pub const RAW_ROWS_MAX: i64 = 50_000;
/// The largest JSON a row may inflate to; a larger (or damaged) one reads as absent.
pub const RAW_TEXT_MAX: usize = 1 << 20;
/// Deflate level: 6 is zlib's default, most of the ratio for a fraction of 9's time.
const LEVEL: u8 = 6;

impl Store {
    /// Keeps `raw` as the JSON of `kind` `id` (`"charge"`, `"ch_…"`), replacing any held.
    pub fn put_raw(
        &mut self,
        kind: &str,
        id: &str,
        raw: &RawJson,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.put_raws(&[(kind, id, raw)], now)
    }

    /// Keeps many at once (a poll's charges), evicting once for all of them.
    pub fn put_raws(&mut self, raws: &[(&str, &str, &RawJson)], now: DateTime<Utc>) -> Result<()> {
        self.in_transaction(|tx| {
            for (kind, id, raw) in raws {
                if raw.as_str().len() > RAW_TEXT_MAX {
                    continue;
                }
                let z = compress_to_vec(raw.as_str().as_bytes(), LEVEL);
                tx.prepare_cached(
                    "INSERT INTO raw_cache (kind, id, fetched_at, z) VALUES (?1, ?2, ?3, ?4) \
                     ON CONFLICT(kind, id) DO UPDATE SET fetched_at = excluded.fetched_at, \
                     z = excluded.z",
                )?
                .execute(params![kind, id, millis(now), z])?;
            }
            // Past RAW_ROWS_MAX, rows as old as the first one past it go (ties too).
            tx.prepare_cached(
                "DELETE FROM raw_cache WHERE fetched_at <= (SELECT fetched_at FROM raw_cache \
                 ORDER BY fetched_at DESC LIMIT 1 OFFSET ?1)",
            )?
            .execute([RAW_ROWS_MAX])?;
            Ok(())
        })
    }

    /// The JSON kept for `kind` `id`, if any. A row that does not inflate to text within
    /// `RAW_TEXT_MAX` is an error naming it.
    pub fn raw(&self, kind: &str, id: &str) -> Result<Option<RawJson>> {
        let z: Option<Vec<u8>> = self
            .conn()
            .prepare_cached("SELECT z FROM raw_cache WHERE kind = ?1 AND id = ?2")?
            .query_row([kind, id], |r| r.get(0))
            .optional()?;
        let Some(z) = z else { return Ok(None) };
        let bad = |problem: String| StoreError::BadRow {
            table: "raw_cache",
            id: format!("{kind}/{id}"),
            problem,
        };
        let bytes = decompress_to_vec_with_limit(&z, RAW_TEXT_MAX).map_err(|e| {
            bad(format!(
                "does not inflate within {RAW_TEXT_MAX} bytes: {e:?}"
            ))
        })?;
        let text = String::from_utf8(bytes).map_err(|_| bad("is not UTF-8".into()))?;
        Ok(Some(RawJson::new(&text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::t0;

    #[test]
    fn raw_json_reads_back_as_kept_and_smaller_on_disk() {
        let mut store = Store::open_in_memory().unwrap();
        let json = format!(
            r#"{{"id":"ch_1","description":"{}"}}"#,
            "Coffee beans ".repeat(50)
        );
        store
            .put_raw("charge", "ch_1", &RawJson::new(&json), t0())
            .unwrap();
        assert_eq!(store.raw("charge", "ch_1").unwrap().unwrap().as_str(), json);
        assert_eq!(store.raw("refund", "ch_1").unwrap(), None);
        let stored: i64 = store
            .conn()
            .query_row("SELECT length(z) FROM raw_cache", [], |r| r.get(0))
            .unwrap();
        assert!(
            (stored as usize) < json.len() / 4,
            "{stored} of {}",
            json.len()
        );
    }

    #[test]
    fn the_oldest_rows_past_the_cap_are_evicted() {
        let mut store = Store::open_in_memory().unwrap();
        let raw = RawJson::new("{}");
        let ids: Vec<String> = (0..RAW_ROWS_MAX + 3).map(|n| format!("ch_{n}")).collect();
        let old: Vec<(&str, &str, &RawJson)> = ids[..5]
            .iter()
            .map(|id| ("charge", id.as_str(), &raw))
            .collect();
        store.put_raws(&old, t0()).unwrap();
        let new: Vec<(&str, &str, &RawJson)> = ids[5..]
            .iter()
            .map(|id| ("charge", id.as_str(), &raw))
            .collect();
        store
            .put_raws(&new, t0() + chrono::TimeDelta::seconds(1))
            .unwrap();
        let held: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM raw_cache", [], |r| r.get(0))
            .unwrap();
        assert_eq!(held, RAW_ROWS_MAX - 2);
        assert_eq!(store.raw("charge", "ch_0").unwrap(), None);
        assert!(store.raw("charge", "ch_5").unwrap().is_some());
    }

    #[test]
    fn a_row_that_inflates_past_the_limit_is_an_error_naming_it() {
        let store = Store::open_in_memory().unwrap();
        let bomb = compress_to_vec(&vec![b' '; RAW_TEXT_MAX + 1], LEVEL);
        store
            .conn()
            .execute(
                "INSERT INTO raw_cache (kind, id, fetched_at, z) VALUES ('charge', 'ch_9', 0, ?1)",
                [bomb],
            )
            .unwrap();
        let error = store.raw("charge", "ch_9").unwrap_err().to_string();
        assert!(error.contains("charge/ch_9"), "{error}");
    }
}
