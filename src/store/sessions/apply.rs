//! Applying one event to the derived tables, inside the transaction that appends it.
//! The same code replays the events in `rebuild`, so the derived tables are always
//! what the events say. Every refusal happens here, before anything is committed.
//! The rules are written once, against [`Tables`]; each backend says in its own SQL
//! how a derived table is read and written (`sqlite_tables.rs`, `pg_tables.rs`).

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::claims::{self, ClaimRow};
use super::error::refused;
use super::event::{
    Adjustment, Event, ItemKind, ItemRef, ItemState, LineRecord, Stamp, StoredEvent, Totals,
};
use super::{Recorded, Result, SessionError, SessionId, keep_new_lines};
use crate::recon::import::LineIdentity;

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

/// The last change to something: the event that made it (an item's version), by whom
/// and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Change {
    pub event: i64,
    pub who: String,
    pub at: DateTime<Utc>,
}

/// The derived tables as one transaction of one backend sees them.
pub(crate) trait Tables {
    /// Appends `event` to the event table; its id comes back.
    fn append(&mut self, session: SessionId, event: &Event, stamp: &Stamp) -> Result<i64>;
    /// The identities of the lines `session` holds among `lines`.
    fn held(&mut self, session: SessionId, lines: &[LineRecord]) -> Result<HashSet<LineIdentity>>;
    /// Who signed the session off and when (as RFC 3339 text), while it is.
    fn signed_off(&mut self, session: SessionId) -> Result<Option<(String, String)>>;
    /// `Some(true)` for a live proposal, `Some(false)` for a live match, `None` if neither.
    fn live_match(&mut self, session: SessionId, id: i64) -> Result<Option<bool>>;
    fn state_of(
        &mut self,
        session: SessionId,
        item: &ItemRef,
    ) -> Result<Option<(ItemState, Option<i64>)>>;
    fn has_line(&mut self, session: SessionId, identity: &str) -> Result<bool>;
    fn insert_line(&mut self, at: &At, line: &LineRecord) -> Result<()>;
    /// A match or proposal (`state` is "matched" or "proposed") whose id is the event's.
    fn insert_match(
        &mut self,
        at: &At,
        tier: u8,
        reason: &str,
        state: &str,
        adjustment: Option<&Adjustment>,
    ) -> Result<()>;
    fn accept_match(&mut self, match_id: i64) -> Result<()>;
    fn delete_match(&mut self, match_id: i64) -> Result<()>;
    /// Every item of `match_id` to `state`, in `new_match`.
    fn set_match_items(
        &mut self,
        at: &At,
        match_id: i64,
        state: ItemState,
        new_match: Option<i64>,
    ) -> Result<()>;
    /// Inserts or updates the item's row (its note is kept).
    fn set_item(
        &mut self,
        at: &At,
        item: &ItemRef,
        state: ItemState,
        match_id: Option<i64>,
    ) -> Result<()>;
    /// Keeps `text` among the session's notes and as the item's latest.
    fn insert_note(&mut self, at: &At, item: &ItemRef, text: &str) -> Result<()>;
    fn sign_off(&mut self, at: &At, totals: &[Totals]) -> Result<()>;
    /// Drops the sign-off and its frozen totals.
    fn reopen(&mut self, session: SessionId) -> Result<()>;
    /// The item's last change (its version is the event's id), if it has a row.
    fn changed(&mut self, session: SessionId, item: &ItemRef) -> Result<Option<Change>>;
    /// The items of the live match or proposal `match_id`.
    fn match_items(&mut self, session: SessionId, match_id: i64) -> Result<Vec<ItemRef>>;
    /// The newest event after `after` that someone other than `who` recorded.
    fn latest_by_other(
        &mut self,
        session: SessionId,
        after: i64,
        who: &str,
    ) -> Result<Option<Change>>;
    /// The claim on `item`, lapsed or not.
    fn claim_of(&mut self, session: SessionId, item: &ItemRef) -> Result<Option<ClaimRow>>;
    /// Its holder worked on `item` at `at`: the claim's idle time starts again.
    fn touch_claim(&mut self, session: SessionId, item: &ItemRef, at: &Stamp) -> Result<()>;
}

/// Appends `event` (an import without the lines the session holds already) and applies
/// it, in the caller's transaction. With `seen` (the newest event the operator had
/// read), a change that another operator's later event makes stale is a
/// [`SessionError::Conflict`]; an item another operator holds is refused either way.
pub(crate) fn record(
    tx: &mut dyn Tables,
    session: SessionId,
    event: Event,
    seen: Option<i64>,
    stamp: &Stamp,
) -> Result<Recorded> {
    let touched = touched_items(tx, session, &event)?;
    if let Some(seen) = seen {
        check_seen(tx, session, &event, &touched, seen, stamp)?;
    }
    for item in &touched {
        if let Some(claim) = claims::blocking(tx.claim_of(session, item)?, &stamp.who, stamp.at) {
            return Err(claims::item_held(&claim));
        }
        tx.touch_claim(session, item, stamp)?;
    }
    let (event, added, already) = keep_new_lines(event, |lines| tx.held(session, lines))?;
    let event_id = tx.append(session, &event, stamp)?;
    let at = At {
        session,
        event_id,
        stamp,
    };
    if let Err(e) = apply(tx, &at, &event) {
        // A rule the change breaks only because someone changed the session since the
        // operator read it (the proposal they accepted was undone, say): say so.
        return Err(match (e, seen) {
            (SessionError::Refused(why), Some(seen)) => {
                match tx.latest_by_other(session, seen, &stamp.who)? {
                    Some(change) => conflict("the session", change, Some(why)),
                    None => SessionError::Refused(why),
                }
            }
            (e, _) => e,
        });
    }
    Ok(Recorded {
        event_id,
        lines_added: added,
        lines_already: already,
    })
}

/// The items an event marks: those whose versions and claims it must respect.
fn touched_items(tx: &mut dyn Tables, session: SessionId, event: &Event) -> Result<Vec<ItemRef>> {
    Ok(match event {
        Event::Match { items, .. } => items.clone(),
        Event::Accept { match_id } | Event::Unmatch { match_id } => {
            tx.match_items(session, *match_id)?
        }
        Event::Flag { item, .. } | Event::Ignore { item, .. } | Event::Note { item, .. } => {
            vec![item.clone()]
        }
        Event::Created | Event::Import { .. } | Event::SignOff { .. } | Event::Reopen { .. } => {
            Vec::new()
        }
    })
}

/// Refuses a change decided on an older view: an item it marks was changed after
/// `seen` by another operator, or (for a sign-off or reopen, which are decided on the
/// whole session) anything was.
fn check_seen(
    tx: &mut dyn Tables,
    session: SessionId,
    event: &Event,
    touched: &[ItemRef],
    seen: i64,
    stamp: &Stamp,
) -> Result<()> {
    if matches!(event, Event::SignOff { .. } | Event::Reopen { .. }) {
        if let Some(change) = tx.latest_by_other(session, seen, &stamp.who)? {
            return Err(conflict("the session", change, None));
        }
        return Ok(());
    }
    for item in touched {
        if let Some(change) = tx.changed(session, item)?
            && change.event > seen
            && change.who != stamp.who
        {
            return Err(conflict(&item.to_string(), change, None));
        }
    }
    Ok(())
}

fn conflict(what: &str, change: Change, detail: Option<String>) -> SessionError {
    SessionError::Conflict {
        what: what.to_string(),
        by: change.who,
        at: change.at,
        detail,
    }
}

/// Applies stored events again, oldest first, into emptied derived tables (a rebuild).
pub(crate) fn replay(tx: &mut dyn Tables, events: &[(SessionId, StoredEvent)]) -> Result<()> {
    for (session, stored) in events {
        let at = At {
            session: *session,
            event_id: stored.id,
            stamp: &stored.stamp,
        };
        apply(tx, &at, &stored.event)?;
    }
    Ok(())
}

/// Refuses any change to a signed-off session: its period is frozen for everyone.
pub(crate) fn not_signed_off(tx: &mut dyn Tables, session: SessionId) -> Result<()> {
    match tx.signed_off(session)? {
        Some((by, when)) => Err(refused(format!(
            "the session was signed off by {by} at {when}: reopen it (with a reason) to change it"
        ))),
        None => Ok(()),
    }
}

pub(crate) fn apply(tx: &mut dyn Tables, at: &At, event: &Event) -> Result<()> {
    if !matches!(event, Event::Reopen { .. }) {
        not_signed_off(tx, at.session)?;
    }
    match event {
        Event::Created => Ok(()),
        Event::Import { lines, .. } => {
            for line in lines {
                tx.insert_line(at, line)?;
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
            if tx.live_match(at.session, *match_id)? != Some(true) {
                return Err(refused(format!(
                    "there is no proposal {match_id} to accept"
                )));
            }
            tx.accept_match(*match_id)?;
            tx.set_match_items(at, *match_id, ItemState::Matched, Some(*match_id))
        }
        Event::Unmatch { match_id } => {
            if tx.live_match(at.session, *match_id)?.is_none() {
                return Err(refused(format!("there is no match {match_id} to undo")));
            }
            tx.set_match_items(at, *match_id, ItemState::Open, None)?;
            tx.delete_match(*match_id)
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
            let (state, match_id) = tx
                .state_of(at.session, item)?
                .unwrap_or((ItemState::Open, None));
            tx.set_item(at, item, state, match_id)?;
            add_note(tx, at, item, text)
        }
        Event::SignOff { totals } => tx.sign_off(at, totals),
        Event::Reopen { reason } => {
            bounded_text("the reason to reopen", reason)?;
            if tx.signed_off(at.session)?.is_none() {
                return Err(refused("the session is not signed off: nothing to reopen"));
            }
            tx.reopen(at.session)
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

/// A deposit must be a line the session imported; the other kinds live in the
/// profiles' stores, which this database does not hold.
fn known_item(tx: &mut dyn Tables, session: SessionId, item: &ItemRef) -> Result<()> {
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
    if tx.has_line(session, &item.id)? {
        Ok(())
    } else {
        Err(refused(format!(
            "the session has no statement line {}: import it first",
            item.id
        )))
    }
}

/// Refuses an item the session does not know, or one in a match or proposal.
fn known_and_free(tx: &mut dyn Tables, session: SessionId, item: &ItemRef) -> Result<()> {
    known_item(tx, session, item)?;
    match tx.state_of(session, item)? {
        Some((_, Some(m))) => Err(refused(format!(
            "{item} is already in match {m}: unmatch it first"
        ))),
        _ => Ok(()),
    }
}

/// Flag or ignore an item that is in no match or proposal.
fn mark_unmatched(tx: &mut dyn Tables, at: &At, item: &ItemRef, state: ItemState) -> Result<()> {
    known_and_free(tx, at.session, item)?;
    tx.set_item(at, item, state, None)
}

fn make_match(
    tx: &mut dyn Tables,
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
    tx.insert_match(at, tier, reason, label, adjustment)?;
    for item in items {
        tx.set_item(at, item, state, Some(at.event_id))?;
    }
    Ok(())
}

fn add_note(tx: &mut dyn Tables, at: &At, item: &ItemRef, text: &str) -> Result<()> {
    bounded_text("the note", text)?;
    tx.insert_note(at, item, text)
}
