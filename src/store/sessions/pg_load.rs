//! Reading a whole session from PostgreSQL as the screen opens it ([`SessionView`]):
//! its lines, items, matches, notes, frozen totals, claims and where its events and
//! claims stand, all in one read-only repeatable-read transaction, so that the view is
//! of one moment however many operators write meanwhile.

use std::collections::BTreeMap;

use postgres::Client;

use super::claims::ClaimRow;
use super::event::{Adjustment, ItemRef, ItemState, LineRecord, Stamp, Totals};
use super::pg::{bad, item};
use super::{ItemRow, MatchRow, NoteRow, Result, SessionSummary, SessionView};
use crate::recon::import::LineIdentity;

/// The session `summary` names, as of one moment.
pub(crate) fn view(client: &mut Client, summary: SessionSummary) -> Result<SessionView> {
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let id = summary.id.0;
    let s = &id;
    let mut lines = Vec::new();
    for r in tx.query(
        "SELECT identity, booked, amount_minor, currency, text, reference, other_refs::text FROM lines
         WHERE session_id = $1 ORDER BY booked, identity COLLATE \"C\"",
        &[s],
    )? {
        lines.push(LineRecord {
            other_refs: serde_json::from_str(r.get(6))
                .map_err(|e| bad("a line's other references", e))?,
            identity: LineIdentity::from_stored(r.get(0)),
            booked: r.get(1),
            amount_minor: r.get(2),
            currency: r.get(3),
            text: r.get(4),
            reference: r.get(5),
        });
    }
    let mut items = Vec::new();
    for r in tx.query(
        "SELECT kind, profile, ref, state, match_id, note, changed_by, changed_at, changed_event FROM items
         WHERE session_id = $1 ORDER BY kind COLLATE \"C\", profile COLLATE \"C\", ref COLLATE \"C\"",
        &[s],
    )? {
        let state: String = r.get(3);
        items.push(ItemRow {
            item: item(r.get(0), r.get(1), r.get(2))?,
            state: ItemState::parse(&state).ok_or_else(|| bad("item state", &state))?,
            match_id: r.get(4),
            note: r.get(5),
            changed: Stamp {
                who: r.get(6),
                at: r.get(7),
            },
            version: r.try_get(8)?,
        });
    }
    let mut members: BTreeMap<i64, Vec<ItemRef>> = BTreeMap::new();
    for row in &items {
        if let Some(m) = row.match_id {
            members.entry(m).or_default().push(row.item.clone());
        }
    }
    let mut matches = Vec::new();
    for r in tx.query(
        "SELECT id, tier, reason, state, adjustment_minor, adjustment_currency, adjustment_reason
         FROM matches WHERE session_id = $1 ORDER BY id",
        &[s],
    )? {
        let id: i64 = r.get(0);
        let tier: i16 = r.get(1);
        let adjustment = match (r.get(4), r.get(5), r.get(6)) {
            (Some(amount_minor), Some(currency), Some(reason)) => Some(Adjustment {
                amount_minor,
                currency,
                reason,
            }),
            _ => None,
        };
        matches.push(MatchRow {
            id,
            tier: u8::try_from(tier).map_err(|e| bad("match tier", e))?,
            reason: r.get(2),
            proposed: r.get::<_, &str>(3) == "proposed",
            items: members.remove(&id).unwrap_or_default(),
            adjustment,
        });
    }
    let mut notes = Vec::new();
    for r in tx.query(
        "SELECT event_id, kind, profile, ref, text, by_user, at FROM notes
         WHERE session_id = $1 ORDER BY event_id",
        &[s],
    )? {
        notes.push(NoteRow {
            event_id: r.get(0),
            item: item(r.get(1), r.get(2), r.get(3))?,
            text: r.get(4),
            stamp: Stamp {
                who: r.get(5),
                at: r.get(6),
            },
        });
    }
    let frozen = tx
        .query(
            "SELECT currency, statement_minor, matched_minor, unmatched_minor, difference_minor
             FROM frozen_totals WHERE session_id = $1 ORDER BY currency COLLATE \"C\"",
            &[s],
        )?
        .iter()
        .map(|r| Totals {
            currency: r.get(0),
            statement: r.get(1),
            matched: r.get(2),
            unmatched: r.get(3),
            difference: r.get(4),
        })
        .collect();
    let mut claims = Vec::new();
    for r in tx.query(
        "SELECT kind, profile, ref, holder, taken_at, touched_at FROM item_claims
         WHERE session_id = $1 ORDER BY kind COLLATE \"C\", profile COLLATE \"C\", ref COLLATE \"C\"",
        &[s],
    )? {
        claims.push(ClaimRow {
            item: item(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)?,
            holder: r.try_get(3)?,
            taken: r.try_get(4)?,
            touched: r.try_get(5)?,
        });
    }
    let latest: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(id), 0) FROM events WHERE session_id = $1",
            &[s],
        )?
        .try_get(0)?;
    let claims_version: i64 = tx
        .query_one("SELECT claims_version FROM sessions WHERE id = $1", &[s])?
        .try_get(0)?;
    tx.commit()?;
    Ok(SessionView {
        summary,
        lines,
        items,
        matches,
        notes,
        frozen,
        claims,
        latest,
        claims_version,
    })
}
