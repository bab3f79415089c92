//! Reconciliation sessions (issue 15), saved: an append-only event table plus the
//! tables derived from it, behind [`SessionStore`] so that a second backend (a shared
//! PostgreSQL for teams) can pass the same conformance suite.
//!
//! The SQLite backend keeps every session in one file, `<data dir>/recon.sqlite`, not
//! in a profile's charge store: a session may span several profiles (each store is
//! its own file), a charge store is a disposable copy of the gateway (its errors say
//! "delete it to start afresh") while a session is the operator's own work, and the
//! two want different durability (a store commits with `synchronous=NORMAL`, each
//! mark here with `FULL`). Payouts and charges are read from the profiles' stores
//! through their `StorePair`; this file holds only their ids.

mod apply;
pub mod claims;
#[cfg(test)]
pub(crate) mod conformance;
#[cfg(test)]
mod conformance_copy;
#[cfg(test)]
mod conformance_team;
mod copy;
mod error;
mod event;
mod handle;
mod pg;
mod pg_claims;
#[cfg(test)]
pub(crate) mod pg_cluster;
mod pg_listen;
mod pg_load;
mod pg_notify;
mod pg_tables;
#[cfg(test)]
pub(crate) mod pg_test_store;
mod pg_tls;
mod pg_url;
#[cfg(test)]
mod replay_prop;
mod schema;
pub mod signoff;
mod sqlite;
mod sqlite_poll;
mod sqlite_tables;
pub mod watch;

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::recon::import::LineIdentity;

pub use apply::{MATCH_ITEMS_MAX, TEXT_MAX};
pub use claims::{CHARGE_CLAIM_TTL, CLAIM_IDLE, ClaimRow};
pub use copy::COPY_EVENTS_MAX;
pub use error::SessionError;
pub use event::{
    Adjustment, Event, ItemKind, ItemRef, ItemState, LineRecord, Stamp, StoredEvent, Tier, Totals,
};
pub use handle::SessionHandle;
pub use pg::{PG_LATEST, PgSessions};
pub use pg_url::StoreUrl;
pub use schema::LATEST as SCHEMA_VERSION;
pub use sqlite::SqliteSessions;

pub type Result<T> = std::result::Result<T, SessionError>;

/// A session's key in its database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(pub i64);

/// Longest session name: it goes in a title bar and after `:recon`.
pub const NAME_MAX: usize = 64;

/// What a new session is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSession {
    pub name: String,
    pub profiles: Vec<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A session as `:recon` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionSummary {
    pub id: SessionId,
    pub name: String,
    pub profiles: Vec<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub created: Stamp,
    pub signed_off: Option<Stamp>,
}

/// An item with a state other than the default (an item with no row is open).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRow {
    pub item: ItemRef,
    pub state: ItemState,
    pub match_id: Option<i64>,
    /// The latest note, flag note or ignore reason.
    pub note: Option<String>,
    pub changed: Stamp,
    /// The id of the event that last changed it: a later change has a higher one.
    pub version: i64,
}

/// A live match or proposal; its id is the event that made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchRow {
    pub id: i64,
    pub tier: Tier,
    pub reason: String,
    pub proposed: bool,
    pub items: Vec<ItemRef>,
    pub adjustment: Option<Adjustment>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteRow {
    pub event_id: i64,
    pub item: ItemRef,
    pub text: String,
    pub stamp: Stamp,
}

/// Everything a saved session holds, as the screen opens it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionView {
    pub summary: SessionSummary,
    pub lines: Vec<LineRecord>,
    pub items: Vec<ItemRow>,
    pub matches: Vec<MatchRow>,
    pub notes: Vec<NoteRow>,
    /// The totals frozen at sign-off; empty while the session is open.
    pub frozen: Vec<Totals>,
    /// Who holds which item (lapsed claims included: [`ClaimRow::live_at`] says).
    pub claims: Vec<ClaimRow>,
    /// The newest event the view was built from: what a change decided on it has seen.
    pub latest: i64,
    /// How many times the session's claims had changed when the view was built: news
    /// of a higher number means the claims shown are old.
    pub claims_version: i64,
}

impl SessionView {
    pub fn state_of(&self, item: &ItemRef) -> ItemState {
        self.items
            .iter()
            .find(|row| &row.item == item)
            .map_or(ItemState::Open, |row| row.state)
    }
}

/// What recording an event did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// The event's id: a match's id is the id of the event that made it.
    pub event_id: i64,
    /// For an import: the lines added, and those held already (left out).
    pub lines_added: usize,
    pub lines_already: usize,
}

/// Where sessions are kept. Every method either does all it says, durably, or
/// nothing (a refusal is [`SessionError::Refused`]).
pub trait SessionStore: Send {
    /// Creates a session; a name already used is refused.
    fn create(&mut self, new: &NewSession, stamp: &Stamp) -> Result<SessionId>;
    /// Every session, by name.
    fn list(&mut self) -> Result<Vec<SessionSummary>>;
    /// The session named `name`, or [`SessionError::NoSuchSession`].
    fn find(&mut self, name: &str) -> Result<SessionSummary>;
    /// Appends `event` and updates the derived state with it, in one transaction.
    /// An import keeps only lines whose identity the session does not hold yet.
    /// A batch of one: each backend writes the one way.
    fn record(&mut self, session: SessionId, event: Event, stamp: &Stamp) -> Result<Recorded> {
        self.record_seen(session, vec![event], None, stamp)?
            .pop()
            .ok_or_else(|| error::refused("the store recorded nothing for the event"))
    }
    /// Records `events` in order, all or none: one durable write for a batch such as
    /// auto-match's answer. A refused event refuses the whole batch.
    fn record_all(
        &mut self,
        session: SessionId,
        events: Vec<Event>,
        stamp: &Stamp,
    ) -> Result<Vec<Recorded>> {
        self.record_seen(session, events, None, stamp)
    }
    /// [`SessionStore::record_all`] for an operator who decided on the session as of
    /// event `seen` ([`SessionView::latest`]): an item another operator changed since
    /// (or, for a sign-off, anything) refuses the batch with
    /// [`SessionError::Conflict`]. Every write takes this one way.
    fn record_seen(
        &mut self,
        session: SessionId,
        events: Vec<Event>,
        seen: Option<i64>,
        stamp: &Stamp,
    ) -> Result<Vec<Recorded>>;
    /// `stamp.who` takes `item` of `session` (or keeps it: a new claim by its holder
    /// touches it). Held by someone else, and not lapsed, it is [`SessionError::Held`].
    fn claim(&mut self, session: SessionId, item: &ItemRef, stamp: &Stamp) -> Result<()>;
    /// Gives `item` up, if `stamp.who` holds it; whether they did.
    fn release(&mut self, session: SessionId, item: &ItemRef, stamp: &Stamp) -> Result<bool>;
    /// `stamp.who` takes charge `charge` of `profile` for `action` (capture, void,
    /// refund), for at most [`CHARGE_CLAIM_TTL`]; held by someone else it is
    /// [`SessionError::Held`].
    fn claim_charge(
        &mut self,
        profile: &str,
        charge: &str,
        action: &str,
        stamp: &Stamp,
    ) -> Result<()>;
    /// Gives the charge up, if `stamp.who` holds it.
    fn release_charge(&mut self, profile: &str, charge: &str, stamp: &Stamp) -> Result<()>;
    /// The session's derived state.
    fn load(&mut self, session: SessionId) -> Result<SessionView>;
    /// The session's events, oldest first.
    fn events(&mut self, session: SessionId) -> Result<Vec<StoredEvent>>;
    /// Makes a copy of a session another store holds: `new` created as `created` says,
    /// then `events` (that store's, oldest first) recorded with their own stamps
    /// through the same rules as every write, each reference to one of their ids
    /// turned into the copy's (`copy.rs`). Claims are not events: none is copied. One
    /// transaction: a name this store holds already, or any event refused, leaves
    /// nothing written.
    fn copy_in(
        &mut self,
        new: &NewSession,
        created: &Stamp,
        events: &[StoredEvent],
    ) -> Result<SessionId>;
}

/// Checks a new session's fields, the same for every backend.
pub(crate) fn check_new(new: &NewSession) -> Result<()> {
    let name = new.name.trim();
    if name.is_empty() || name != new.name {
        return Err(error::refused(
            "a session name is needed, without spaces at either end",
        ));
    }
    if name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
        return Err(error::refused(format!(
            "a session name is at most {NAME_MAX} printable characters"
        )));
    }
    if new.profiles.is_empty() {
        return Err(error::refused("a session needs at least one profile"));
    }
    if new.from > new.to {
        return Err(error::refused(format!(
            "the period ends ({}) before it starts ({})",
            new.to, new.from
        )));
    }
    Ok(())
}

/// Leaves out of an import the lines the session holds already (`held` says which of
/// them it holds) and those repeated within it; other events pass as they are. Gives
/// the event to record, the lines it adds and those it left out.
pub(crate) fn keep_new_lines(
    event: Event,
    held: impl FnOnce(&[LineRecord]) -> Result<HashSet<LineIdentity>>,
) -> Result<(Event, usize, usize)> {
    let Event::Import {
        file,
        lines,
        already,
    } = event
    else {
        return Ok((event, 0, 0));
    };
    let held = held(&lines)?;
    let mut seen = HashSet::new();
    let (new, old): (Vec<_>, Vec<_>) = lines
        .into_iter()
        .partition(|l| !held.contains(&l.identity) && seen.insert(l.identity.clone()));
    let (added, already) = (new.len(), already + old.len());
    Ok((
        Event::Import {
            file,
            lines: new,
            already,
        },
        added,
        already,
    ))
}
