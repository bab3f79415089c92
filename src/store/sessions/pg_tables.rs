//! How the PostgreSQL backend reads and writes the derived tables for `apply`'s rules.

use std::collections::HashSet;

use postgres::Transaction;

use super::apply::{At, Change, Tables};
use super::claims::ClaimRow;
use super::event::{Adjustment, Event, ItemRef, ItemState, LineRecord, Stamp, Totals};
use super::pg::bad;
use super::{Result, SessionId};
use crate::recon::import::LineIdentity;

impl Tables for Transaction<'_> {
    fn append(&mut self, session: SessionId, event: &Event, stamp: &Stamp) -> Result<i64> {
        super::pg::append(self, session, event, stamp)
    }

    fn held(&mut self, session: SessionId, lines: &[LineRecord]) -> Result<HashSet<LineIdentity>> {
        let wanted: Vec<&str> = lines.iter().map(|l| l.identity.as_str()).collect();
        let rows = self.query(
            "SELECT identity FROM lines WHERE session_id = $1 AND identity = ANY($2)",
            &[&session.0, &wanted],
        )?;
        Ok(rows
            .iter()
            .map(|r| LineIdentity::from_stored(r.get(0)))
            .collect())
    }

    fn signed_off(&mut self, session: SessionId) -> Result<Option<(String, String)>> {
        let row = self.query_opt(
            "SELECT by_user, at FROM signoffs WHERE session_id = $1",
            &[&session.0],
        )?;
        Ok(row.map(|r| {
            let stamp = Stamp {
                who: r.get(0),
                at: r.get(1),
            };
            let at = stamp.at_text();
            (stamp.who, at)
        }))
    }

    fn live_match(&mut self, session: SessionId, id: i64) -> Result<Option<bool>> {
        let row = self.query_opt(
            "SELECT state = 'proposed' FROM matches WHERE id = $1 AND session_id = $2",
            &[&id, &session.0],
        )?;
        Ok(row.map(|r| r.get(0)))
    }

    fn state_of(
        &mut self,
        session: SessionId,
        item: &ItemRef,
    ) -> Result<Option<(ItemState, Option<i64>)>> {
        let row = self.query_opt(
            "SELECT state, match_id FROM items WHERE session_id = $1 AND kind = $2 AND profile = $3 AND ref = $4",
            &[&session.0, &item.kind.as_str(), &item.profile, &item.id],
        )?;
        row.map(|r| {
            let state: String = r.get(0);
            let state = ItemState::parse(&state).ok_or_else(|| bad("item state", &state))?;
            Ok((state, r.get(1)))
        })
        .transpose()
    }

    fn has_line(&mut self, session: SessionId, identity: &str) -> Result<bool> {
        Ok(self
            .query_one(
                "SELECT EXISTS(SELECT 1 FROM lines WHERE session_id = $1 AND identity = $2)",
                &[&session.0, &identity],
            )?
            .get(0))
    }

    fn insert_line(&mut self, at: &At, line: &LineRecord) -> Result<()> {
        let refs = serde_json::to_string(&line.other_refs).map_err(|e| bad("a line", e))?;
        self.execute(
            "INSERT INTO lines (session_id, identity, event_id, booked, amount_minor, currency, text, reference, other_refs)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb)",
            &[
                &at.session.0,
                &line.identity.as_str(),
                &at.event_id,
                &line.booked,
                &line.amount_minor,
                &line.currency,
                &line.text,
                &line.reference,
                &refs,
            ],
        )?;
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
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &at.event_id,
                &at.session.0,
                &i16::from(tier),
                &reason,
                &state,
                &adjustment.map(|a| a.amount_minor),
                &adjustment.map(|a| a.currency.as_str()),
                &adjustment.map(|a| a.reason.as_str()),
            ],
        )?;
        Ok(())
    }

    fn accept_match(&mut self, match_id: i64) -> Result<()> {
        self.execute(
            "UPDATE matches SET state = 'matched' WHERE id = $1",
            &[&match_id],
        )?;
        Ok(())
    }

    fn delete_match(&mut self, match_id: i64) -> Result<()> {
        self.execute("DELETE FROM matches WHERE id = $1", &[&match_id])?;
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
            "UPDATE items SET state = $1, match_id = $2, changed_by = $3, changed_at = $4, changed_event = $5
             WHERE session_id = $6 AND match_id = $7",
            &[
                &state.as_str(),
                &new_match,
                &at.stamp.who,
                &at.stamp.at,
                &at.event_id,
                &at.session.0,
                &match_id,
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
        self.execute(
            "INSERT INTO items (session_id, kind, profile, ref, state, match_id, note, changed_by, changed_at, changed_event)
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9)
             ON CONFLICT (session_id, kind, profile, ref) DO UPDATE SET
                 state = excluded.state, match_id = excluded.match_id, changed_by = excluded.changed_by,
                 changed_at = excluded.changed_at, changed_event = excluded.changed_event",
            &[
                &at.session.0,
                &item.kind.as_str(),
                &item.profile,
                &item.id,
                &state.as_str(),
                &match_id,
                &at.stamp.who,
                &at.stamp.at,
                &at.event_id,
            ],
        )?;
        Ok(())
    }

    fn insert_note(&mut self, at: &At, item: &ItemRef, text: &str) -> Result<()> {
        let key: [&(dyn postgres::types::ToSql + Sync); 4] =
            [&at.session.0, &item.kind.as_str(), &item.profile, &item.id];
        self.execute(
            "INSERT INTO notes (event_id, session_id, kind, profile, ref, text, by_user, at)
             VALUES ($5, $1, $2, $3, $4, $6, $7, $8)",
            &[
                key[0],
                key[1],
                key[2],
                key[3],
                &at.event_id,
                &text,
                &at.stamp.who,
                &at.stamp.at,
            ],
        )?;
        self.execute(
            "UPDATE items SET note = $5 WHERE session_id = $1 AND kind = $2 AND profile = $3 AND ref = $4",
            &[key[0], key[1], key[2], key[3], &text],
        )?;
        Ok(())
    }

    fn sign_off(&mut self, at: &At, totals: &[Totals]) -> Result<()> {
        self.execute(
            "INSERT INTO signoffs (session_id, event_id, by_user, at) VALUES ($1, $2, $3, $4)",
            &[&at.session.0, &at.event_id, &at.stamp.who, &at.stamp.at],
        )?;
        for t in totals {
            self.execute(
                "INSERT INTO frozen_totals (session_id, currency, statement_minor, matched_minor, unmatched_minor, difference_minor)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &at.session.0,
                    &t.currency,
                    &t.statement,
                    &t.matched,
                    &t.unmatched,
                    &t.difference,
                ],
            )?;
        }
        Ok(())
    }

    fn reopen(&mut self, session: SessionId) -> Result<()> {
        self.execute(
            "DELETE FROM frozen_totals WHERE session_id = $1",
            &[&session.0],
        )?;
        self.execute("DELETE FROM signoffs WHERE session_id = $1", &[&session.0])?;
        Ok(())
    }

    fn changed(&mut self, session: SessionId, item: &ItemRef) -> Result<Option<Change>> {
        let row = self.query_opt(
            "SELECT changed_event, changed_by, changed_at FROM items
             WHERE session_id = $1 AND kind = $2 AND profile = $3 AND ref = $4",
            &[&session.0, &item.kind.as_str(), &item.profile, &item.id],
        )?;
        row.as_ref().map(change).transpose()
    }

    fn match_items(&mut self, session: SessionId, match_id: i64) -> Result<Vec<ItemRef>> {
        self.query(
            "SELECT kind, profile, ref FROM items WHERE session_id = $1 AND match_id = $2
             ORDER BY kind COLLATE \"C\", profile COLLATE \"C\", ref COLLATE \"C\"",
            &[&session.0, &match_id],
        )?
        .iter()
        .map(|r| super::pg::item(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))
        .collect()
    }

    fn latest_by_other(
        &mut self,
        session: SessionId,
        after: i64,
        who: &str,
    ) -> Result<Option<Change>> {
        let row = self.query_opt(
            "SELECT id, by_user, at FROM events WHERE session_id = $1 AND id > $2 AND by_user <> $3
             ORDER BY id DESC LIMIT 1",
            &[&session.0, &after, &who],
        )?;
        row.as_ref().map(change).transpose()
    }

    fn claim_of(&mut self, session: SessionId, item: &ItemRef) -> Result<Option<ClaimRow>> {
        let row = self.query_opt(
            "SELECT holder, taken_at, touched_at FROM item_claims
             WHERE session_id = $1 AND kind = $2 AND profile = $3 AND ref = $4",
            &[&session.0, &item.kind.as_str(), &item.profile, &item.id],
        )?;
        row.map(|r| {
            Ok(ClaimRow {
                item: item.clone(),
                holder: r.try_get(0)?,
                taken: r.try_get(1)?,
                touched: r.try_get(2)?,
            })
        })
        .transpose()
    }

    fn touch_claim(&mut self, session: SessionId, item: &ItemRef, at: &Stamp) -> Result<()> {
        self.execute(
            "UPDATE item_claims SET touched_at = $1
             WHERE session_id = $2 AND kind = $3 AND profile = $4 AND ref = $5 AND holder = $6",
            &[
                &at.at,
                &session.0,
                &item.kind.as_str(),
                &item.profile,
                &item.id,
                &at.who,
            ],
        )?;
        Ok(())
    }
}

/// A row of (event id, who, when) as the change it names.
fn change(r: &postgres::Row) -> Result<Change> {
    Ok(Change {
        event: r.try_get(0)?,
        who: r.try_get(1)?,
        at: r.try_get(2)?,
    })
}
