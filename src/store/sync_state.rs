//! Where each sync of a resource stands, one `sync_state` row per (resource, phase),
//! and the one way a sync writes: a page's charges and the cursor past that page in
//! ONE transaction. A kill then loses at most the page in flight; the page is read
//! again on resume, and the upsert by id doubles nothing.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::charge_row::{from_millis, millis, minor};
use super::charges::upsert_charges_in;
use super::columns::{Stored, upsert_in};
use super::status_code::status_code;
use super::{Result, Store, UpsertCount};
use crate::domain::Charge;

/// The resource a sync state is about.
pub const CHARGES: &str = "charges";

/// A sync's phases, as stored in `sync_state.phase`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncPhase {
    /// New charges, newest first, down to the first page already held.
    Recent,
    /// Older pages, from where the first sync started, down to the oldest.
    Backfill,
    /// Changes to charges already held (events, `updated_at`, a window re-read).
    Changes,
}

impl SyncPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncPhase::Recent => "recent",
            SyncPhase::Backfill => "backfill",
            SyncPhase::Changes => "changes",
        }
    }
}

/// One `sync_state` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    pub resource: String,
    pub phase: SyncPhase,
    /// The gateway's cursor for the next page to read, in the sync's own spelling.
    pub cursor: Option<String>,
    pub oldest_created: Option<DateTime<Utc>>,
    pub newest_created: Option<DateTime<Utc>>,
    /// Changes are held up to here (an event's time, an `updated_at`).
    pub watermark: Option<DateTime<Utc>>,
    pub done: bool,
    pub estimated_total: Option<u64>,
    /// Objects read in this phase, over every run.
    pub fetched: u64,
    pub updated_at: DateTime<Utc>,
}

impl SyncState {
    /// A phase not begun.
    pub fn new(resource: &str, phase: SyncPhase, now: DateTime<Utc>) -> SyncState {
        SyncState {
            resource: resource.to_string(),
            phase,
            cursor: None,
            oldest_created: None,
            newest_created: None,
            watermark: None,
            done: false,
            estimated_total: None,
            fetched: 0,
            updated_at: now,
        }
    }

    /// Widens the created range with a page's charges.
    pub fn cover(&mut self, charges: &[Charge]) {
        self.cover_created(charges.iter().map(|c| c.created));
    }

    /// Widens the created range with the creation times of a page's objects.
    pub fn cover_created(&mut self, created: impl IntoIterator<Item = DateTime<Utc>>) {
        for created in created {
            let created = Some(created);
            if self.oldest_created.is_none() || created < self.oldest_created {
                self.oldest_created = created;
            }
            if created > self.newest_created {
                self.newest_created = created;
            }
        }
    }
}

impl Store {
    /// Where `resource`'s `phase` stands, if it ever began.
    pub fn sync_state(&self, resource: &str, phase: SyncPhase) -> Result<Option<SyncState>> {
        let row = self
            .conn()
            .prepare_cached(
                "SELECT cursor, oldest_created, newest_created, watermark, done, \
                 estimated_total, fetched, updated_at \
                 FROM sync_state WHERE resource = ?1 AND phase = ?2",
            )?
            .query_row(params![resource, phase.as_str()], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, i64>(7)?,
                ))
            })
            .optional()?;
        Ok(row.map(
            |(cursor, oldest, newest, watermark, done, estimated, fetched, updated)| SyncState {
                resource: resource.to_string(),
                phase,
                cursor,
                oldest_created: oldest.and_then(from_millis),
                newest_created: newest.and_then(from_millis),
                watermark: watermark.and_then(from_millis),
                done,
                estimated_total: estimated.and_then(|n| u64::try_from(n).ok()),
                fetched: u64::try_from(fetched).unwrap_or(0),
                updated_at: from_millis(updated).unwrap_or_default(),
            },
        ))
    }

    /// Writes `state` alone (a phase begun or finished with no rows to add).
    pub fn put_sync_state(&mut self, state: &SyncState) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        put_in(&tx, state)?;
        tx.commit()?;
        Ok(())
    }

    /// A page's charges and the state past that page, in one transaction: both land
    /// or neither does.
    pub fn commit_sync_page(
        &mut self,
        charges: &[Charge],
        state: &SyncState,
        as_of: DateTime<Utc>,
    ) -> Result<UpsertCount> {
        let tx = self.conn_mut().transaction()?;
        let count = upsert_charges_in(&tx, charges, as_of)?;
        put_in(&tx, state)?;
        tx.commit()?;
        Ok(count)
    }

    /// A page of refunds, customers or payouts and the state past that page, in one
    /// transaction, as `commit_sync_page` does for charges.
    pub fn commit_sync_objects<T: Stored>(
        &mut self,
        objects: &[T],
        state: &SyncState,
        now: DateTime<Utc>,
    ) -> Result<UpsertCount> {
        let tx = self.conn_mut().transaction()?;
        let count = upsert_in(&tx, objects, now)?;
        put_in(&tx, state)?;
        tx.commit()?;
        Ok(count)
    }

    /// How many of `charges` the store already holds as they are (same status and
    /// amounts): a page of only those is where the new charges end.
    pub fn held_unchanged(&self, charges: &[Charge]) -> Result<usize> {
        let mut statement = self.conn().prepare_cached(
            "SELECT 1 FROM charge WHERE id = ?1 AND status = ?2 AND captured = ?3 \
             AND released = ?4 AND refunded = ?5 AND refund_pending = ?6",
        )?;
        let mut held = 0;
        for c in charges {
            let found = statement.exists(params![
                c.id,
                status_code(c.status),
                minor(c.captured, "captured", &c.id)?,
                minor(c.released, "released", &c.id)?,
                minor(c.refunded, "refunded", &c.id)?,
                c.refund_pending,
            ])?;
            held += usize::from(found);
        }
        Ok(held)
    }
}

fn put_in(conn: &rusqlite::Connection, s: &SyncState) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_state (resource, phase, cursor, oldest_created, newest_created, \
         watermark, done, estimated_total, fetched, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
         ON CONFLICT(resource, phase) DO UPDATE SET cursor = excluded.cursor, \
         oldest_created = excluded.oldest_created, newest_created = excluded.newest_created, \
         watermark = excluded.watermark, done = excluded.done, \
         estimated_total = excluded.estimated_total, fetched = excluded.fetched, \
         updated_at = excluded.updated_at",
    )?
    .execute(params![
        s.resource,
        s.phase.as_str(),
        s.cursor,
        s.oldest_created.map(millis),
        s.newest_created.map(millis),
        s.watermark.map(millis),
        s.done,
        s.estimated_total
            .map(|n| i64::try_from(n).unwrap_or(i64::MAX)),
        i64::try_from(s.fetched).unwrap_or(i64::MAX),
        millis(s.updated_at),
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::{charge, t0};
    use crate::domain::ChargeStatus;

    fn backfill_at(cursor: &str, fetched: u64) -> SyncState {
        SyncState {
            cursor: Some(cursor.into()),
            fetched,
            ..SyncState::new(CHARGES, SyncPhase::Backfill, t0())
        }
    }

    #[test]
    fn a_page_and_its_cursor_land_together_and_read_back() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(
            store.sync_state(CHARGES, SyncPhase::Backfill).unwrap(),
            None
        );
        let page = [
            charge(1, ChargeStatus::Captured),
            charge(2, ChargeStatus::Voided),
        ];
        let mut state = backfill_at("offset:100", 2);
        state.cover(&page);
        let written = store.commit_sync_page(&page, &state, t0()).unwrap();
        assert_eq!(written.inserted, 2);
        assert_eq!(
            store.sync_state(CHARGES, SyncPhase::Backfill).unwrap(),
            Some(state.clone())
        );
        // The same page again (a resume after a kill before the next cursor) doubles nothing.
        let again = store.commit_sync_page(&page, &state, t0()).unwrap();
        assert_eq!((again.inserted, again.updated), (0, 2));
        assert_eq!(store.charge_count().unwrap(), 2);
    }

    #[test]
    fn a_page_that_fails_to_write_leaves_the_cursor_where_it_was() {
        let mut store = Store::open_in_memory().unwrap();
        store.put_sync_state(&backfill_at("offset:0", 0)).unwrap();
        let mut bad = charge(3, ChargeStatus::Captured);
        // More minor units than an i64 holds: the upsert fails part-way through the page.
        bad.amount.amount = rust_decimal::Decimal::MAX;
        let page = [charge(4, ChargeStatus::Captured), bad];
        assert!(
            store
                .commit_sync_page(&page, &backfill_at("offset:100", 2), t0())
                .is_err()
        );
        let state = store
            .sync_state(CHARGES, SyncPhase::Backfill)
            .unwrap()
            .unwrap();
        assert_eq!(state.cursor.as_deref(), Some("offset:0"));
        assert_eq!(store.charge_count().unwrap(), 0);
    }

    #[test]
    fn held_unchanged_counts_only_charges_stored_as_they_are() {
        let mut store = Store::open_in_memory().unwrap();
        let held = charge(1, ChargeStatus::Authorised);
        store
            .upsert_charges(std::slice::from_ref(&held), t0())
            .unwrap();
        let mut captured = held.clone();
        captured.status = ChargeStatus::Captured;
        captured.captured = captured.amount;
        let new = charge(2, ChargeStatus::Captured);
        assert_eq!(
            store.held_unchanged(&[held.clone(), new.clone()]).unwrap(),
            1
        );
        assert_eq!(store.held_unchanged(&[captured, new]).unwrap(), 0);
    }
}
