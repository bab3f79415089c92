//! Claims: an operator working an item of a shared session (an exception, usually)
//! holds it, so that two people do not explain the same thing two ways; and an
//! operator's capture, void or refund holds its charge, so that two people never act
//! on one charge at once. A claim is not an event: it is who works on what now, not
//! what was decided, so it is kept beside the events and never replayed.

use chrono::{DateTime, TimeDelta, Utc};

use super::SessionError;
use super::event::ItemRef;

/// A claim on an item lapses after this long without its holder touching the item.
pub const CLAIM_IDLE: TimeDelta = TimeDelta::minutes(5);
/// A claim on a charge lapses after this long: a capture, void or refund with every
/// retry ends well within it, and a dashboard that died mid-action frees it by then.
pub const CHARGE_CLAIM_TTL: TimeDelta = TimeDelta::minutes(2);

/// Who holds an item of a session, since when, and when they last touched it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimRow {
    pub item: ItemRef,
    pub holder: String,
    pub taken: DateTime<Utc>,
    pub touched: DateTime<Utc>,
}

impl ClaimRow {
    /// Whether the claim still holds at `now`.
    pub fn live_at(&self, now: DateTime<Utc>) -> bool {
        now - self.touched < CLAIM_IDLE
    }
}

/// A claim that stops `who` at `now`: held by someone else and not lapsed.
pub(crate) fn blocking(claim: Option<ClaimRow>, who: &str, now: DateTime<Utc>) -> Option<ClaimRow> {
    claim.filter(|c| c.holder != who && c.live_at(now))
}

/// The refusal for an item someone else holds.
pub(crate) fn item_held(claim: &ClaimRow) -> SessionError {
    SessionError::Held {
        what: claim.item.to_string(),
        by: claim.holder.clone(),
        since: claim.taken,
        lapses: format!(
            "a claim lapses after {} idle minutes",
            CLAIM_IDLE.num_minutes()
        ),
    }
}

/// The refusal for a charge someone else is acting on.
pub(crate) fn charge_held(
    profile: &str,
    charge: &str,
    by: String,
    action: &str,
    since: DateTime<Utc>,
) -> SessionError {
    SessionError::Held {
        what: format!("charge {profile}/{charge}"),
        by: format!("{by} ({action})"),
        since,
        lapses: format!(
            "wait for it to finish and reload the charge; a claim lapses after {} minutes",
            CHARGE_CLAIM_TTL.num_minutes()
        ),
    }
}
