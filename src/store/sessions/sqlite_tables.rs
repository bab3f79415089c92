//! How the SQLite backend reads and writes the derived tables for `apply`'s rules.

use std::collections::HashSet;

use rusqlite::{OptionalExtension, Transaction, params};

use super::apply::{At, Change, Tables};
use super::claims::ClaimRow;
use super::error::refused;
use super::event::{Adjustment, Event, ItemRef, ItemState, LineRecord, Stamp, Totals};
use super::sqlite::{item, stamp};
use super::{Result, SessionId};
use crate::recon::import::LineIdentity;

impl Tables for Transaction<'_> {
    fn append(&mut self, session: SessionId, event: &Event, stamp: &Stamp) -> Result<i64> {
        super::sqlite::append(self, session, event, stamp)
    }

    fn held(&mut self, session: SessionId, lines: &[LineRecord]) -> Result<HashSet<LineIdentity>> {
        let mut stmt = self.prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM lines WHERE session_id = ?1 AND identity = ?2)",
        )?;
        let mut held = HashSet::new();
        for line in lines {
            if stmt.query_row(params![session.0, line.identity.as_str()], |r| {
                r.get::<_, bool>(0)
            })? {
                held.insert(line.identity.clone());
            }
        }
        Ok(held)
    }

    fn signed_off(&mut self, session: SessionId) -> Result<Option<(String, String)>> {
        Ok(self
            .query_row(
                "SELECT by_user, at FROM signoffs WHERE session_id = ?1",
                [session.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    fn live_match(&mut self, session: SessionId, id: i64) -> Result<Option<bool>> {
        Ok(self
            .query_row(
                "SELECT state = 'proposed' FROM matches WHERE id = ?1 AND session_id = ?2",
                params![id, session.0],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn state_of(
        &mut self,
        session: SessionId,
        item: &ItemRef,
    ) -> Result<Option<(ItemState, Option<i64>)>> {
        let row: Option<(String, Option<i64>)> = self
            .prepare_cached(
                "SELECT state, match_id FROM items WHERE session_id = ?1 AND kind = ?2 AND profile = ?3 AND ref = ?4",
            )?
            .query_row(
                params![session.0, item.kind.as_str(), item.profile, item.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(s, m)| ItemState::parse(&s).map(|s| (s, m))))
    }

    fn has_line(&mut self, session: SessionId, identity: &str) -> Result<bool> {
        Ok(self
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM lines WHERE session_id = ?1 AND identity = ?2)",
            )?
            .query_row(params![session.0, identity], |r| r.get(0))?)
    }

    fn insert_line(&mut self, at: &At, line: &LineRecord) -> Result<()> {
        self.prepare_cached(
            "INSERT INTO lines (session_id, identity, event_id, booked, amount_minor, currency, text, reference, other_refs)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            at.session.0,
            line.identity.as_str(),
            at.event_id,
            line.booked.to_string(),
            line.amount_minor,
            line.currency,
            line.text,
            line.reference,
            serde_json::to_string(&line.other_refs).map_err(|e| refused(e.to_string()))?,
        ])?;
        Ok(())
    }

    fn insert_match(
        &mut self,
        at: &At,
        tier: u8,
        reason: &str,
        state: &str,
        adjustment: Option<&Adjustment>,
    ) -> Result<()> {
        self.execute(
            "INSERT INTO matches (id, session_id, tier, reason, state, adjustment_minor, adjustment_currency, adjustment_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                at.event_id,
                at.session.0,
                tier,
                reason,
                state,
                adjustment.map(|a| a.amount_minor),
                adjustment.map(|a| a.currency.as_str()),
                adjustment.map(|a| a.reason.as_str())
            ],
        )?;
        Ok(())
    }

    fn accept_match(&mut self, match_id: i64) -> Result<()> {
        self.execute(
            "UPDATE matches SET state = 'matched' WHERE id = ?1",
            [match_id],
        )?;
        Ok(())
    }

    fn delete_match(&mut self, match_id: i64) -> Result<()> {
        self.execute("DELETE FROM matches WHERE id = ?1", [match_id])?;
        Ok(())
    }

    fn set_match_items(
        &mut self,
        at: &At,
        match_id: i64,
        state: ItemState,
        new_match: Option<i64>,
    ) -> Result<()> {
        self.execute(
            "UPDATE items SET state = ?1, match_id = ?2, changed_by = ?3, changed_at = ?4, changed_event = ?5
             WHERE session_id = ?6 AND match_id = ?7",
            params![
                state.as_str(),
                new_match,
                at.stamp.who,
                at.stamp.at_text(),
                at.event_id,
                at.session.0,
                match_id
            ],
        )?;
        Ok(())
    }

    fn set_item(
        &mut self,
        at: &At,
        item: &ItemRef,
        state: ItemState,
        match_id: Option<i64>,
    ) -> Result<()> {
        self.prepare_cached(
            "INSERT INTO items (session_id, kind, profile, ref, state, match_id, note, changed_by, changed_at, changed_event)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?9)
             ON CONFLICT (session_id, kind, profile, ref) DO UPDATE SET
                 state = excluded.state, match_id = excluded.match_id, changed_by = excluded.changed_by,
                 changed_at = excluded.changed_at, changed_event = excluded.changed_event",
        )?
        .execute(params![
            at.session.0,
            item.kind.as_str(),
            item.profile,
            item.id,
            state.as_str(),
            match_id,
            at.stamp.who,
            at.stamp.at_text(),
            at.event_id
        ])?;
        Ok(())
    }

    fn insert_note(&mut self, at: &At, item: &ItemRef, text: &str) -> Result<()> {
        self.prepare_cached(
            "INSERT INTO notes (event_id, session_id, kind, profile, ref, text, by_user, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            at.event_id,
            at.session.0,
            item.kind.as_str(),
            item.profile,
            item.id,
            text,
            at.stamp.who,
            at.stamp.at_text()
        ])?;
        self.prepare_cached(
            "UPDATE items SET note = ?1 WHERE session_id = ?2 AND kind = ?3 AND profile = ?4 AND ref = ?5",
        )?
        .execute(params![
            text,
            at.session.0,
            item.kind.as_str(),
            item.profile,
            item.id
        ])?;
        Ok(())
    }

    fn sign_off(&mut self, at: &At, totals: &[Totals]) -> Result<()> {
        self.execute(
            "INSERT INTO signoffs (session_id, event_id, by_user, at) VALUES (?1, ?2, ?3, ?4)",
            params![at.session.0, at.event_id, at.stamp.who, at.stamp.at_text()],
        )?;
        let mut insert = self.prepare_cached(
            "INSERT INTO frozen_totals (session_id, currency, statement_minor, matched_minor, unmatched_minor, difference_minor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for t in totals {
            insert.execute(params![
                at.session.0,
                t.currency,
                t.statement,
                t.matched,
                t.unmatched,
                t.difference
            ])?;
        }
        Ok(())
    }

    fn reopen(&mut self, session: SessionId) -> Result<()> {
        self.execute(
            "DELETE FROM frozen_totals WHERE session_id = ?1",
            [session.0],
        )?;
        self.execute("DELETE FROM signoffs WHERE session_id = ?1", [session.0])?;
        Ok(())
    }

    fn changed(&mut self, session: SessionId, item: &ItemRef) -> Result<Option<Change>> {
        let row: Option<(i64, String, String)> = self
            .prepare_cached(
                "SELECT changed_event, changed_by, changed_at FROM items
                 WHERE session_id = ?1 AND kind = ?2 AND profile = ?3 AND ref = ?4",
            )?
            .query_row(
                params![session.0, item.kind.as_str(), item.profile, item.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        row.map(change).transpose()
    }

    fn match_items(&mut self, session: SessionId, match_id: i64) -> Result<Vec<ItemRef>> {
        let mut stmt = self.prepare_cached(
            "SELECT kind, profile, ref FROM items WHERE session_id = ?1 AND match_id = ?2
             ORDER BY kind, profile, ref",
        )?;
        let rows = stmt.query_map(params![session.0, match_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?))
        })?;
        rows.map(|r| {
            let (kind, profile, id) = r?;
            item(&kind, profile, id)
        })
        .collect()
    }

    fn latest_by_other(
        &mut self,
        session: SessionId,
        after: i64,
        who: &str,
    ) -> Result<Option<Change>> {
        let row: Option<(i64, String, String)> = self
            .prepare_cached(
                "SELECT id, by_user, at FROM events WHERE session_id = ?1 AND id > ?2 AND by_user <> ?3
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![session.0, after, who], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        row.map(change).transpose()
    }

    fn claim_of(&mut self, session: SessionId, item: &ItemRef) -> Result<Option<ClaimRow>> {
        claim_row(self, session, item)
    }

    fn touch_claim(&mut self, session: SessionId, item: &ItemRef, at: &Stamp) -> Result<()> {
        self.prepare_cached(
            "UPDATE item_claims SET touched_at = ?1
             WHERE session_id = ?2 AND kind = ?3 AND profile = ?4 AND ref = ?5 AND holder = ?6",
        )?
        .execute(params![
            at.at_text(),
            session.0,
            item.kind.as_str(),
            item.profile,
            item.id,
            at.who
        ])?;
        Ok(())
    }
}

/// Numbers a change to `session`'s claims: one past the highest of any session, so
/// that the watcher finds every change since the last it saw (writers take turns).
pub(crate) fn claims_changed(conn: &rusqlite::Connection, session: SessionId) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET claims_version = (SELECT MAX(claims_version) FROM sessions) + 1
         WHERE id = ?1",
        [session.0],
    )?;
    Ok(())
}

/// The claim on `item`, lapsed or not.
pub(crate) fn claim_row(
    conn: &rusqlite::Connection,
    session: SessionId,
    item: &ItemRef,
) -> Result<Option<ClaimRow>> {
    let row: Option<(String, String, String)> = conn
        .prepare_cached(
            "SELECT holder, taken_at, touched_at FROM item_claims
             WHERE session_id = ?1 AND kind = ?2 AND profile = ?3 AND ref = ?4",
        )?
        .query_row(
            params![session.0, item.kind.as_str(), item.profile, item.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    row.map(|(holder, taken, touched)| {
        Ok(ClaimRow {
            item: item.clone(),
            taken: stamp(holder.clone(), &taken)?.at,
            touched: stamp(holder.clone(), &touched)?.at,
            holder,
        })
    })
    .transpose()
}

/// A row of (event id, who, when as text) as the change it names.
fn change((event, who, at): (i64, String, String)) -> Result<Change> {
    let stamp = stamp(who, &at)?;
    Ok(Change {
        event,
        who: stamp.who,
        at: stamp.at,
    })
}
