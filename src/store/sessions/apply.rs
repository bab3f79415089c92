//! Applying one event to the derived tables, inside the transaction that appends it.
//! The same code replays the events in `rebuild`, so the derived tables are always
//! what the events say. Every refusal happens here, before anything is committed.

use rusqlite::{OptionalExtension, Transaction, params};

use super::error::refused;
use super::event::{Adjustment, Event, ItemKind, ItemRef, ItemState, Stamp};
use super::{Result, SessionId};

/// Longest note, flag note or reason kept; an operator writes a sentence, not a file.
pub const TEXT_MAX: usize = 2_000;
/// Most items one match may join (a deposit of many payouts is still far below this).
pub const MATCH_ITEMS_MAX: usize = 10_000;

/// The derived tables, children first: the order to empty them in.
pub(crate) const DERIVED: &[&str] = &[
    "frozen_totals",
    "signoffs",
    "notes",
    "items",
    "matches",
    "lines",
];

pub(crate) struct At<'a> {
    pub session: SessionId,
    pub event_id: i64,
    pub stamp: &'a Stamp,
}

pub(crate) fn apply(tx: &Transaction, at: &At, event: &Event) -> Result<()> {
    if !matches!(event, Event::Reopen { .. })
        && let Some((by, when)) = signed_off(tx, at.session)?
    {
        return Err(refused(format!(
            "the session was signed off by {by} at {when}: reopen it (with a reason) to change it"
        )));
    }
    match event {
        Event::Created => Ok(()),
        Event::Import { lines, .. } => {
            let mut insert = tx.prepare_cached(
                "INSERT INTO lines (session_id, identity, event_id, booked, amount_minor, currency, text, reference, other_refs)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for line in lines {
                insert.execute(params![
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
            }
            Ok(())
        }
        Event::Match {
            items,
            tier,
            reason,
            proposed,
            adjustment,
        } => make_match(tx, at, items, *tier, reason, *proposed, adjustment.as_ref()),
        Event::Accept { match_id } => {
            if live_match(tx, at.session, *match_id)? != Some(true) {
                return Err(refused(format!(
                    "there is no proposal {match_id} to accept"
                )));
            }
            tx.execute(
                "UPDATE matches SET state = 'matched' WHERE id = ?1",
                [match_id],
            )?;
            set_match_items(tx, at, *match_id, ItemState::Matched, Some(*match_id))
        }
        Event::Unmatch { match_id } => {
            if live_match(tx, at.session, *match_id)?.is_none() {
                return Err(refused(format!("there is no match {match_id} to undo")));
            }
            set_match_items(tx, at, *match_id, ItemState::Open, None)?;
            tx.execute("DELETE FROM matches WHERE id = ?1", [match_id])?;
            Ok(())
        }
        Event::Flag { item, note } => {
            mark_unmatched(tx, at, item, ItemState::Flagged)?;
            if !note.trim().is_empty() {
                add_note(tx, at, item, note)?;
            }
            Ok(())
        }
        Event::Ignore { item, reason } => {
            bounded_text("the reason to ignore it", reason)?;
            mark_unmatched(tx, at, item, ItemState::Ignored)?;
            add_note(tx, at, item, reason)
        }
        Event::Note { item, text } => {
            bounded_text("the note", text)?;
            known_item(tx, at.session, item)?;
            let (state, match_id) =
                state_of(tx, at.session, item)?.unwrap_or((ItemState::Open, None));
            set_item(tx, at, item, state, match_id)?;
            add_note(tx, at, item, text)
        }
        Event::SignOff { totals } => {
            tx.execute(
                "INSERT INTO signoffs (session_id, event_id, by_user, at) VALUES (?1, ?2, ?3, ?4)",
                params![at.session.0, at.event_id, at.stamp.who, at.stamp.at_text()],
            )?;
            let mut insert = tx.prepare_cached(
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
        Event::Reopen { reason } => {
            bounded_text("the reason to reopen", reason)?;
            if signed_off(tx, at.session)?.is_none() {
                return Err(refused("the session is not signed off: nothing to reopen"));
            }
            tx.execute(
                "DELETE FROM frozen_totals WHERE session_id = ?1",
                [at.session.0],
            )?;
            tx.execute("DELETE FROM signoffs WHERE session_id = ?1", [at.session.0])?;
            Ok(())
        }
    }
}

fn bounded_text(what: &str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(refused(format!("{what} is empty: write one")));
    }
    if text.chars().count() > TEXT_MAX {
        return Err(refused(format!(
            "{what} is longer than {TEXT_MAX} characters: shorten it"
        )));
    }
    Ok(())
}

fn signed_off(tx: &Transaction, session: SessionId) -> Result<Option<(String, String)>> {
    Ok(tx
        .query_row(
            "SELECT by_user, at FROM signoffs WHERE session_id = ?1",
            [session.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// `Some(true)` for a live proposal, `Some(false)` for a live match, `None` if neither.
fn live_match(tx: &Transaction, session: SessionId, id: i64) -> Result<Option<bool>> {
    Ok(tx
        .query_row(
            "SELECT state = 'proposed' FROM matches WHERE id = ?1 AND session_id = ?2",
            params![id, session.0],
            |r| r.get(0),
        )
        .optional()?)
}

fn state_of(
    tx: &Transaction,
    session: SessionId,
    item: &ItemRef,
) -> Result<Option<(ItemState, Option<i64>)>> {
    let row: Option<(String, Option<i64>)> = tx
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

/// A deposit must be a line the session imported; the other kinds live in the
/// profiles' stores, which this database does not hold.
fn known_item(tx: &Transaction, session: SessionId, item: &ItemRef) -> Result<()> {
    if item.kind == ItemKind::Exception {
        return if item.id.is_empty() || item.id.chars().count() > TEXT_MAX {
            Err(refused("an exception is named by 1 to 2000 characters"))
        } else {
            Ok(())
        };
    }
    if item.kind != ItemKind::Deposit {
        return if item.profile.is_empty() || item.id.is_empty() {
            Err(refused(format!(
                "{item}: a {} needs its profile and id",
                item.kind.as_str()
            )))
        } else {
            Ok(())
        };
    }
    let held: bool = tx
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM lines WHERE session_id = ?1 AND identity = ?2)",
        )?
        .query_row(params![session.0, item.id], |r| r.get(0))?;
    if held {
        Ok(())
    } else {
        Err(refused(format!(
            "the session has no statement line {}: import it first",
            item.id
        )))
    }
}

/// Refuses an item the session does not know, or one in a match or proposal.
fn known_and_free(tx: &Transaction, session: SessionId, item: &ItemRef) -> Result<()> {
    known_item(tx, session, item)?;
    match state_of(tx, session, item)? {
        Some((_, Some(m))) => Err(refused(format!(
            "{item} is already in match {m}: unmatch it first"
        ))),
        _ => Ok(()),
    }
}

/// Flag or ignore an item that is in no match or proposal.
fn mark_unmatched(tx: &Transaction, at: &At, item: &ItemRef, state: ItemState) -> Result<()> {
    known_and_free(tx, at.session, item)?;
    set_item(tx, at, item, state, None)
}

fn make_match(
    tx: &Transaction,
    at: &At,
    items: &[ItemRef],
    tier: u8,
    reason: &str,
    proposed: bool,
    adjustment: Option<&Adjustment>,
) -> Result<()> {
    if let Some(a) = adjustment {
        bounded_text("the adjustment's reason", &a.reason)?;
        if a.amount_minor == 0 {
            return Err(refused(
                "an adjustment of zero adjusts nothing: leave it out",
            ));
        }
    }
    if items.iter().any(|i| i.kind == ItemKind::Exception) {
        return Err(refused("an exception is flagged or ignored, never matched"));
    }
    if items.is_empty() || items.len() > MATCH_ITEMS_MAX {
        return Err(refused(format!(
            "a match joins 1 to {MATCH_ITEMS_MAX} items, not {}",
            items.len()
        )));
    }
    if tier > 3 {
        return Err(refused(format!("there is no match tier {tier}")));
    }
    let mut seen = std::collections::HashSet::new();
    for item in items {
        if !seen.insert(item) {
            return Err(refused(format!("{item} is in the match twice")));
        }
        known_and_free(tx, at.session, item)?;
    }
    let (state, label) = if proposed {
        (ItemState::Proposed, "proposed")
    } else {
        (ItemState::Matched, "matched")
    };
    tx.execute(
        "INSERT INTO matches (id, session_id, tier, reason, state, adjustment_minor, adjustment_currency, adjustment_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            at.event_id,
            at.session.0,
            tier,
            reason,
            label,
            adjustment.map(|a| a.amount_minor),
            adjustment.map(|a| a.currency.as_str()),
            adjustment.map(|a| a.reason.as_str())
        ],
    )?;
    for item in items {
        set_item(tx, at, item, state, Some(at.event_id))?;
    }
    Ok(())
}

fn set_match_items(
    tx: &Transaction,
    at: &At,
    match_id: i64,
    state: ItemState,
    new_match: Option<i64>,
) -> Result<()> {
    tx.execute(
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
    tx: &Transaction,
    at: &At,
    item: &ItemRef,
    state: ItemState,
    match_id: Option<i64>,
) -> Result<()> {
    tx.prepare_cached(
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

/// Keeps `text` among the session's notes and as the item's latest.
fn add_note(tx: &Transaction, at: &At, item: &ItemRef, text: &str) -> Result<()> {
    bounded_text("the note", text)?;
    tx.prepare_cached(
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
    tx.prepare_cached(
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
