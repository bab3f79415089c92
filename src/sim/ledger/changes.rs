//! The change log: an append-only record of what happened to charges, refunds
//! and disputes (seq, time, kind, object), from which each dialect serves its
//! events list. Bounded: at most [`CHANGE_LOG_CAP`] entries, the oldest
//! dropped first; [`Ledger::prune_changes`] drops everything before a time.
//!
//! Times never go backwards along `seq`: a clock rule logs the time it fell
//! due (an expiry at `created + 7 days`), a tick logs its rules in time order,
//! and a time earlier than the last one logged is raised to it. So newest by
//! `seq` is newest by time, and a client paging by `seq` or filtering by time
//! sees the same order. Seeding (the pinned clock) logs nothing.

use std::collections::VecDeque;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::Ledger;

/// At most this many changes are kept per ledger (about 80 bytes each).
pub const CHANGE_LOG_CAP: usize = 100_000;

/// How far back the events lists reach (Stripe: 30 days; Pin: at least 30).
pub const FEED_RETENTION: TimeDelta = TimeDelta::days(30);

/// What happened. The object is a charge for `Charge*`, a refund for
/// `Refund*` and a dispute for `Dispute*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Approved at creation (captured or authorised, as it asked).
    ChargeCreated,
    /// Declined at creation.
    ChargeFailed,
    /// Created waiting for 3-D Secure.
    ChargePending,
    /// 3-D Secure completed: captured or authorised, as it asked.
    ChargeAuthenticated,
    /// An authorisation captured.
    ChargeCaptured,
    /// An authorisation released by the merchant.
    ChargeVoided,
    /// An authorisation that reached the end of its lifetime uncaptured.
    ChargeExpired,
    /// Description, email or metadata edited.
    ChargeUpdated,
    RefundCreated,
    RefundSucceeded,
    DisputeCreated,
    /// Evidence staged or submitted (still open or under review), or metadata.
    DisputeUpdated,
    /// Won or lost (conceded, decided, or lost by the clock).
    DisputeClosed,
}

/// One entry of the change log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub kind: ChangeKind,
    /// The token of the charge, refund or dispute (see [`ChangeKind`]).
    pub object: String,
}

/// The entries, oldest first, with contiguous `seq`s from `first_seq`.
#[derive(Debug)]
pub(super) struct ChangeLog {
    entries: VecDeque<Change>,
    next_seq: u64,
    cap: usize,
}

impl Default for ChangeLog {
    fn default() -> Self {
        ChangeLog {
            entries: VecDeque::new(),
            next_seq: 1,
            cap: CHANGE_LOG_CAP,
        }
    }
}

impl ChangeLog {
    /// Append; `at` as given (a tick orders its own afterwards), or raised
    /// to the last time logged when `monotonic`.
    fn push(&mut self, kind: ChangeKind, object: &str, at: DateTime<Utc>, monotonic: bool) {
        let at = match self.entries.back() {
            Some(last) if monotonic => at.max(last.at),
            _ => at,
        };
        self.entries.push_back(Change {
            seq: self.next_seq,
            at,
            kind,
            object: object.to_string(),
        });
        self.next_seq += 1;
        while self.entries.len() > self.cap {
            self.entries.pop_front();
        }
    }

    /// Put the entries from `seq` on into time order (stable), renumbering
    /// them and raising any time below the last one before them: what one
    /// tick's clock rules logged, rule by rule.
    fn order_from(&mut self, seq: u64) {
        let start = self.entries.partition_point(|c| c.seq < seq);
        let all = self.entries.make_contiguous();
        let floor = start.checked_sub(1).map(|i| all[i].at);
        let tail = &mut all[start..];
        tail.sort_by_key(|c| c.at);
        for (c, s) in tail.iter_mut().zip(seq..) {
            c.seq = s;
            c.at = floor.map_or(c.at, |f| c.at.max(f));
        }
    }
}

impl Ledger {
    /// Append a change made now (nothing while seeding).
    pub(super) fn changed(&mut self, kind: ChangeKind, object: &str, at: DateTime<Utc>) {
        if !self.quiet {
            self.changes.push(kind, object, at, true);
        }
    }

    /// Append a change a clock rule made at `at`, in the past; the tick
    /// orders them (see [`Ledger::order_changes_from`]).
    pub(super) fn changed_by_clock(&mut self, kind: ChangeKind, object: &str, at: DateTime<Utc>) {
        if !self.quiet {
            self.changes.push(kind, object, at, false);
        }
    }

    /// The `seq` the next change will get: where a tick's changes start.
    pub(super) fn next_change_seq(&self) -> u64 {
        self.changes.next_seq
    }

    /// Order the changes logged from `seq` on by time (see [`ChangeLog`]).
    pub(super) fn order_changes_from(&mut self, seq: u64) {
        self.changes.order_from(seq);
    }

    /// Every change kept, oldest first.
    pub fn changes(&self) -> &VecDeque<Change> {
        &self.changes.entries
    }

    /// The change `seq`, if it is still kept.
    pub fn change(&self, seq: u64) -> Option<&Change> {
        let first = self.changes.entries.front()?.seq;
        let i = usize::try_from(seq.checked_sub(first)?).ok()?;
        self.changes.entries.get(i)
    }

    /// The changes an events list shows: those kept and younger than
    /// [`FEED_RETENTION`], newest first.
    pub fn feed(&self) -> impl Iterator<Item = &Change> {
        let since = self.now() - FEED_RETENTION;
        let start = self.changes.entries.partition_point(|c| c.at < since);
        self.changes.entries.range(start..).rev()
    }

    /// The change `seq` if an events list still shows it.
    pub fn in_feed(&self, seq: u64) -> Option<&Change> {
        self.change(seq)
            .filter(|c| c.at >= self.now() - FEED_RETENTION)
    }

    /// Drop every change before `before`; returns how many went.
    pub fn prune_changes(&mut self, before: DateTime<Utc>) -> usize {
        let n = self.changes.entries.partition_point(|c| c.at < before);
        self.changes.entries.drain(..n);
        n
    }

    /// Keep at most `cap` changes from now on (tests use a small one).
    pub fn set_change_cap(&mut self, cap: usize) {
        self.changes.cap = cap.max(1);
        while self.changes.entries.len() > self.changes.cap {
            self.changes.entries.pop_front();
        }
    }
}
