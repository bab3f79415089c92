//! Writing charges: an upsert by id that keeps the day/status/currency rollup right by
//! taking the old row's contribution out and putting the new one in, in the same
//! transaction.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::charge_row::{
    CHARGE_COLUMNS, brand_code, charge_from_row, meta_values, millis, minor, order_key,
};
use super::status_code::status_code;
use super::{Result, Store};
use crate::domain::Charge;

/// What an upsert did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertCount {
    pub inserted: usize,
    pub updated: usize,
    /// Charges left as held: the row came from an answer at least as new.
    pub older: usize,
}

/// One charge's share of the rollup.
struct RollupShare {
    day: i64,
    status: i64,
    currency: String,
    amount: i64,
    captured: i64,
    refunded: i64,
}

const MS_PER_DAY: i64 = 86_400_000;

/// The rollup as it should be, computed from the charges themselves: what a bulk load
/// writes once, and what the delta-kept rollup must always equal. The day is floored
/// (as `div_euclid` does) so a charge before 1970 lands in the same day either way.
pub(super) const ROLLUP_BY_GROUP_BY: &str = "SELECT \
     (created - ((created % 86400000) + 86400000) % 86400000) / 86400000, status, currency, \
     count(*), sum(amount), sum(captured), sum(refunded) FROM charge GROUP BY 1, 2, 3";

impl Store {
    /// Inserts new charges and overwrites known ones (by id), in one transaction, except
    /// those held from an answer newer than `as_of` (see `upsert_charges_in`).
    pub fn upsert_charges(
        &mut self,
        charges: &[Charge],
        as_of: DateTime<Utc>,
    ) -> Result<UpsertCount> {
        self.in_transaction(|tx| upsert_charges_in(tx, charges, as_of))
    }

    /// A stored charge by its gateway id.
    pub fn charge(&self, id: &str) -> Result<Option<Charge>> {
        let sql = format!("SELECT {CHARGE_COLUMNS} FROM charge WHERE id = ?1");
        let mut statement = self.conn().prepare_cached(&sql)?;
        let mut rows = statement.query([id])?;
        match rows.next()? {
            Some(row) => Ok(Some(charge_from_row(row)?)),
            None => Ok(None),
        }
    }

    /// How many charges the store holds.
    pub fn charge_count(&self) -> Result<u64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM charge", [], |r| r.get::<_, i64>(0))?
            .max(0) as u64)
    }
}

/// The upsert, inside a transaction the caller owns (so a sync can commit its cursor
/// with the page). `as_of` is when the answer held the charges as they are: a list's
/// request began then, or a capture's answer came then. A row held from an answer as
/// of a later time is kept: a poll asked before a capture finished must not put the
/// charge back to authorised after the capture's answer was written.
pub(crate) fn upsert_charges_in(
    conn: &Connection,
    charges: &[Charge],
    as_of: DateTime<Utc>,
) -> Result<UpsertCount> {
    let mut count = UpsertCount::default();
    let mut unindexed = Vec::new();
    for charge in charges {
        let existing = conn
            .prepare_cached(
                "SELECT k, created, status, currency, amount, captured, refunded, synced_at \
                 FROM charge WHERE id = ?1",
            )?
            .query_row([&charge.id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    RollupShare {
                        day: r.get::<_, i64>(1)?.div_euclid(MS_PER_DAY),
                        status: r.get(2)?,
                        currency: r.get(3)?,
                        amount: r.get(4)?,
                        captured: r.get(5)?,
                        refunded: r.get(6)?,
                    },
                    r.get::<_, i64>(7)?,
                ))
            })
            .optional()?;
        let k = match existing {
            Some((_, _, held_as_of)) if held_as_of > millis(as_of) => {
                count.older += 1;
                continue;
            }
            Some((k, old, _)) => {
                // The same charge twice in one batch: its first row must be searchable
                // before the update trigger takes its old text out of the index.
                if unindexed.contains(&k) {
                    index_text(conn, &mut unindexed)?;
                }
                add_to_rollup(conn, &old, -1)?;
                count.updated += 1;
                k
            }
            None => {
                count.inserted += 1;
                let k = free_key(conn, order_key(charge.created, &charge.id))?;
                unindexed.push(k);
                k
            }
        };
        write_row(conn, k, charge, as_of)?;
        let share = RollupShare {
            day: millis(charge.created).div_euclid(MS_PER_DAY),
            status: status_code(charge.status),
            currency: charge.currency().code().to_string(),
            amount: minor(charge.amount, "amount", &charge.id)?,
            captured: minor(charge.captured, "captured", &charge.id)?,
            refunded: minor(charge.refunded, "refunded", &charge.id)?,
        };
        add_to_rollup(conn, &share, 1)?;
    }
    index_text(conn, &mut unindexed)?;
    Ok(count)
}

/// Adds new rows to the trigram index, in one statement and in key order. FTS5 writes
/// its pending terms out as a new segment at every statement savepoint and at every key
/// lower than the last, so a trigger per row made a segment per charge, and merging
/// those was most of what a poll cost; one statement makes one segment per batch.
fn index_text(conn: &Connection, keys: &mut Vec<i64>) -> Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    keys.sort_unstable();
    let list = serde_json::to_string(keys).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached(
        "INSERT INTO charge_fts (rowid, id, email, description, customer_id, last4, meta_values) \
         SELECT c.k, c.id, c.email, c.description, c.customer_id, c.last4, c.meta_values \
         FROM json_each(?1) AS new JOIN charge c ON c.k = new.value ORDER BY c.k",
    )?
    .execute([list])?;
    keys.clear();
    Ok(())
}

/// The first key from `k` upwards that no charge holds.
pub(super) fn free_key(conn: &Connection, mut k: i64) -> Result<i64> {
    let mut taken = conn.prepare_cached("SELECT 1 FROM charge WHERE k = ?1")?;
    while taken.exists([k])? {
        k += 1;
    }
    Ok(k)
}

pub(super) fn write_row(conn: &Connection, k: i64, c: &Charge, now: DateTime<Utc>) -> Result<()> {
    let metadata = serde_json::to_string(&c.metadata).unwrap_or_else(|_| "{}".into());
    conn.prepare_cached(
        "INSERT INTO charge (k, id, created, currency, amount, captured, released, refunded, \
         status, refund_pending, captured_at, auth_expires, email, description, customer_id, ip, \
         card_brand, last4, exp_month, exp_year, metadata, meta_values, failure_code, \
         failure_message, tds_session, synced_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
         ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26) \
         ON CONFLICT(k) DO UPDATE SET created = excluded.created, currency = excluded.currency, \
         amount = excluded.amount, \
         captured = excluded.captured, released = excluded.released, refunded = excluded.refunded, \
         status = excluded.status, refund_pending = excluded.refund_pending, \
         captured_at = excluded.captured_at, auth_expires = excluded.auth_expires, \
         email = excluded.email, description = excluded.description, \
         customer_id = excluded.customer_id, ip = excluded.ip, card_brand = excluded.card_brand, \
         last4 = excluded.last4, exp_month = excluded.exp_month, exp_year = excluded.exp_year, \
         metadata = excluded.metadata, meta_values = excluded.meta_values, \
         failure_code = excluded.failure_code, failure_message = excluded.failure_message, \
         tds_session = excluded.tds_session, synced_at = excluded.synced_at",
    )?
    .execute(params![
        k,
        c.id,
        millis(c.created),
        c.currency().code(),
        minor(c.amount, "amount", &c.id)?,
        minor(c.captured, "captured", &c.id)?,
        minor(c.released, "released", &c.id)?,
        minor(c.refunded, "refunded", &c.id)?,
        status_code(c.status),
        c.refund_pending,
        c.captured_at.map(millis),
        c.authorisation_expires.map(millis),
        c.email,
        c.description,
        c.customer_id,
        c.ip,
        c.card.as_ref().map(|card| brand_code(card.brand)),
        c.card.as_ref().map(|card| card.last4.as_str()),
        c.card.as_ref().map(|card| i64::from(card.expiry_month)),
        c.card.as_ref().map(|card| i64::from(card.expiry_year)),
        metadata,
        meta_values(&c.metadata),
        c.failure.as_ref().map(|f| f.code.as_str()),
        c.failure.as_ref().map(|f| f.message.as_str()),
        c.three_d_secure_session,
        millis(now),
    ])?;
    Ok(())
}

fn add_to_rollup(conn: &Connection, share: &RollupShare, sign: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO charge_rollup (day, status, currency, n, amount, captured, refunded) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT(day, status, currency) DO UPDATE SET n = n + excluded.n, \
         amount = amount + excluded.amount, captured = captured + excluded.captured, \
         refunded = refunded + excluded.refunded",
    )?
    .execute(params![
        share.day,
        share.status,
        share.currency,
        sign,
        sign * share.amount,
        sign * share.captured,
        sign * share.refunded,
    ])?;
    if sign < 0 {
        conn.prepare_cached(
            "DELETE FROM charge_rollup WHERE day = ?1 AND status = ?2 AND currency = ?3 AND n = 0",
        )?
        .execute(params![share.day, share.status, share.currency])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::{charge, t0};
    use crate::domain::ChargeStatus;
    use crate::money::{Currency, Money};
    use crate::store::rollup_prop::table;

    fn rollup(store: &Store) -> Vec<(i64, i64, String, i64, i64, i64, i64)> {
        table(
            store,
            "SELECT day, status, currency, n, amount, captured, refunded FROM charge_rollup ORDER BY 1, 2, 3",
        )
    }

    fn by_group_by(store: &Store) -> Vec<(i64, i64, String, i64, i64, i64, i64)> {
        table(
            store,
            "SELECT created / 86400000, status, currency, count(*), sum(amount), sum(captured), \
             sum(refunded) FROM charge GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        )
    }

    #[test]
    fn a_charge_reads_back_as_written_and_an_update_moves_its_rollup_share() {
        let mut store = Store::open_in_memory().unwrap();
        let mut first = charge(1, ChargeStatus::Authorised);
        first.metadata.insert("order".into(), "A-17".into());
        let second = charge(2, ChargeStatus::Captured);
        let count = store
            .upsert_charges(&[first.clone(), second.clone()], t0())
            .unwrap();
        assert_eq!(
            count,
            UpsertCount {
                inserted: 2,
                updated: 0,
                older: 0
            }
        );
        assert_eq!(store.charge("ch_0001").unwrap(), Some(first.clone()));
        assert_eq!(store.charge("ch_0002").unwrap(), Some(second));
        assert_eq!(rollup(&store), by_group_by(&store));

        // Captured, then part refunded: the authorised share leaves, the new one arrives.
        let mut captured = first.clone();
        captured.status = ChargeStatus::PartiallyRefunded;
        captured.captured = captured.amount;
        captured.refunded = Money::from_minor(250, Currency::AUD);
        let count = store.upsert_charges(&[captured.clone()], t0()).unwrap();
        assert_eq!(
            count,
            UpsertCount {
                inserted: 0,
                updated: 1,
                older: 0
            }
        );
        assert_eq!(store.charge_count().unwrap(), 2);
        assert_eq!(store.charge("ch_0001").unwrap(), Some(captured));
        let shares = rollup(&store);
        assert_eq!(shares, by_group_by(&store));
        assert!(
            shares.iter().all(|share| share.1 != 1),
            "no authorised share left: {shares:?}"
        );
    }

    #[test]
    fn an_answer_older_than_the_row_held_leaves_it_and_its_rollup_share() {
        let mut store = Store::open_in_memory().unwrap();
        let later = t0() + chrono::TimeDelta::seconds(10);
        let mut captured = charge(1, ChargeStatus::Captured);
        captured.captured = captured.amount;
        // A capture's answer, written as of when it came.
        store.upsert_charges(&[captured.clone()], later).unwrap();
        let shares = rollup(&store);
        // A poll asked before the capture ended answers with the authorisation.
        let stale = charge(1, ChargeStatus::Authorised);
        let count = store.upsert_charges(&[stale], t0()).unwrap();
        assert_eq!(
            count,
            UpsertCount {
                inserted: 0,
                updated: 0,
                older: 1
            }
        );
        assert_eq!(store.charge("ch_0001").unwrap(), Some(captured.clone()));
        assert_eq!(rollup(&store), shares);
        // An answer as of the same time or later is written.
        let mut refunded = captured.clone();
        refunded.status = ChargeStatus::Refunded;
        refunded.refunded = refunded.captured;
        let count = store.upsert_charges(&[refunded.clone()], later).unwrap();
        assert_eq!(count.updated, 1);
        assert_eq!(store.charge("ch_0001").unwrap(), Some(refunded));
        assert_eq!(rollup(&store), by_group_by(&store));
    }

    #[test]
    fn a_charge_twice_in_one_batch_is_found_by_its_last_text_only() {
        let mut store = Store::open_in_memory().unwrap();
        let first = charge(1, ChargeStatus::Authorised);
        let mut renamed = first.clone();
        renamed.description = Some("Grinder burrs".into());
        let count = store
            .upsert_charges(&[first, charge(2, ChargeStatus::Captured), renamed], t0())
            .unwrap();
        assert_eq!(
            count,
            UpsertCount {
                inserted: 2,
                updated: 1,
                older: 0
            }
        );
        let hits = |needle: &str| -> i64 {
            store
                .conn()
                .query_row(
                    "SELECT count(*) FROM charge_fts WHERE charge_fts MATCH ?1",
                    [format!("\"{needle}\"")],
                    |r| r.get(0),
                )
                .unwrap()
        };
        assert_eq!(hits("grinder"), 1);
        assert_eq!(hits("coffee"), 1, "only ch_0002 still says coffee");
        assert_eq!(hits("ch_000"), 2);
        store
            .conn()
            .execute_batch("INSERT INTO charge_fts(charge_fts, rank) VALUES ('integrity-check', 1)")
            .unwrap();
    }

    #[test]
    fn free_text_finds_a_substring_of_any_searched_field_in_any_case() {
        let mut store = Store::open_in_memory().unwrap();
        let mut tagged = charge(3, ChargeStatus::Captured);
        tagged
            .metadata
            .insert("order".into(), "Pour-Over kettle".into());
        store
            .upsert_charges(&[charge(1, ChargeStatus::Captured), tagged], t0())
            .unwrap();
        let hits = |needle: &str| -> Vec<String> {
            let mut statement = store
                .conn()
                .prepare(
                    "SELECT c.id FROM charge_fts JOIN charge c ON c.k = charge_fts.rowid \
                     WHERE charge_fts MATCH ?1 ORDER BY charge_fts.rowid DESC",
                )
                .unwrap();
            let quoted = format!("\"{}\"", needle.replace('"', "\"\""));
            statement
                .query_map([quoted], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        assert_eq!(hits("pour-over"), vec!["ch_0003"]);
        assert_eq!(hits("BUYER1@"), vec!["ch_0001"]);
        assert_eq!(hits("coffee"), vec!["ch_0003", "ch_0001"]);
    }
}
