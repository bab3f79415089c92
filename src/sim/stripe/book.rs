//! The Stripe face of the ledger's settlement books: every movement and every
//! payout as the balance transaction Stripe would show for it, with ids that
//! stay the same however often they are read (so they can be retrieved).
//!
//! How a movement is named (the books record the object each movement comes
//! from: the charge, the refund or the dispute):
//! * a capture is the charge's own `balance_transaction`: `txn_` + the charge
//!   id's tail, as the charge has always rendered it;
//! * a refund is `txn_` + the refund id's tail (a release of uncaptured money
//!   moves nothing);
//! * a dispute's debit is `txn_` + the dispute id's tail, its reversal an id
//!   derived from the dispute's;
//! * a payout's own transaction (type `payout`, its net negated) is listed with
//!   its lines, so `Σ net` over `?payout=` is zero (facts §1.3, a guess).
//!
//! `available_on` is the cut-off that takes the movement into a payout (for a
//! movement in none yet, the next cut-off the schedule makes; on a manual
//! schedule, the settlement delay after it happened); a payout is `created` at
//! its cut-off and arrives on its pay date.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Timelike, Utc};

use crate::sim::common::digest::fnv1a;
use crate::sim::ledger::settlement::schedule::next_midnight;
use crate::sim::ledger::settlement::{Movement, MovementKind, Schedule};
use crate::sim::ledger::{Ledger, MadePayout};
use crate::sim::rng::Rng;

/// A stable `txn_` id for an object id: `txn_` and the id's tail.
pub(crate) fn txn(id: &str) -> String {
    let tail = id.split_once('_').map_or(id, |(_, t)| t);
    format!("txn_{tail}")
}

/// A stable id with `prefix` derived from `text` (FNV-1a of it seeds the draw).
fn derived(prefix: &str, text: &str) -> String {
    Rng::derive(fnv1a(text), 13).alnum_token(prefix, 24)
}

/// A payout's id: derived from its cut-off, currency and first line, all of
/// which follow from the seed, so it is the same for the same `--seed`.
pub(crate) fn payout_id(made: &MadePayout) -> String {
    let first = made.lines.first().map_or("", |m| m.source.as_str());
    let p = &made.payout;
    derived(
        "po",
        &format!("{}|{}|{first}", p.cutoff.timestamp(), p.currency.code()),
    )
}

/// What a balance transaction is the record of.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Entry<'l> {
    Movement(&'l Movement),
    /// The payout itself.
    Payout(&'l MadePayout),
}

/// One balance transaction.
#[derive(Clone, Debug)]
pub(crate) struct Txn<'l> {
    pub id: String,
    pub entry: Entry<'l>,
    /// The `ch_`, `re_`, `dp_` or `po_` it is about.
    pub source: String,
    /// The payout that paid it (or, for a payout's own, that payout).
    pub payout: Option<String>,
    pub created: DateTime<Utc>,
    pub available_on: DateTime<Utc>,
}

/// A payout with its id.
#[derive(Clone, Debug)]
pub(crate) struct NamedPayout<'l> {
    pub id: String,
    pub made: &'l MadePayout,
}

/// Every payout and balance transaction of a ledger, in the books' order
/// (payouts by cut-off, each one's lines then its own transaction, then the
/// movements in no payout yet), with lookups by id.
pub(crate) struct Book<'l> {
    pub payouts: Vec<NamedPayout<'l>>,
    pub txns: Vec<Txn<'l>>,
    txn_ix: HashMap<String, usize>,
    payout_ix: HashMap<String, usize>,
}

/// The cut-off that will take a movement in no payout yet, available at `at`:
/// the first at or after `at`, but after `now` (the books have closed every
/// cut-off up to now, and the next one takes what they left); where the
/// schedule makes none, the settlement delay after `at`.
fn next_cutoff(schedule: &Schedule, at: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    let midnight = at.num_seconds_from_midnight() == 0 && at.nanosecond() == 0;
    let mut cut = if at <= now {
        next_midnight(now)
    } else if midnight {
        at
    } else {
        next_midnight(at)
    };
    for _ in 0..7 {
        if schedule.cuts_at(cut) {
            return cut;
        }
        cut += TimeDelta::days(1);
    }
    at + TimeDelta::days(i64::from(schedule.delay_days))
}

/// The `(txn id, source id)` of a movement, from the object the ledger
/// recorded it for (see the module doc).
fn name(m: &Movement) -> (String, String) {
    let object = m.object.as_str();
    match m.kind {
        MovementKind::Charge | MovementKind::Refund | MovementKind::Dispute => {
            (txn(object), object.to_string())
        }
        MovementKind::DisputeReversal => (
            derived("txn", &format!("reversal|{object}")),
            object.to_string(),
        ),
        MovementKind::Fee | MovementKind::Adjustment => (
            derived(
                "txn",
                &format!("{:?}|{}|{}", m.kind, m.source, m.available_at),
            ),
            m.source.clone(),
        ),
    }
}

impl<'l> Book<'l> {
    /// Every payout and balance transaction.
    pub fn of(ledger: &'l Ledger) -> Book<'l> {
        Book::build(ledger, None)
    }

    /// Only the balance transactions of one charge's movements (its capture,
    /// refunds and dispute), named as in the whole book, without its payouts'
    /// own: what a charge or dispute renders, at the cost of one scan.
    pub fn of_charge(ledger: &'l Ledger, charge: &str) -> Book<'l> {
        Book::build(ledger, Some(charge))
    }

    fn build(ledger: &'l Ledger, charge: Option<&str>) -> Book<'l> {
        let schedule = ledger.payout_schedule();
        let now = ledger.now();
        let mut book = Book {
            payouts: Vec::new(),
            txns: Vec::new(),
            txn_ix: HashMap::new(),
            payout_ix: HashMap::new(),
        };
        let wanted = |m: &Movement| charge.is_none_or(|c| m.source == c);
        for made in ledger.payouts() {
            if charge.is_some() && !made.lines.iter().any(wanted) {
                continue;
            }
            let id = payout_id(made);
            for m in made.lines.iter().filter(|m| wanted(m)) {
                let (txn_id, source) = name(m);
                book.push(Txn {
                    id: txn_id,
                    entry: Entry::Movement(m),
                    source,
                    payout: Some(id.clone()),
                    created: m.available_at,
                    available_on: made.payout.cutoff,
                });
            }
            if charge.is_none() {
                book.push(Txn {
                    id: txn(&id),
                    entry: Entry::Payout(made),
                    source: id.clone(),
                    payout: Some(id.clone()),
                    created: made.payout.cutoff,
                    available_on: made.payout.cutoff,
                });
            }
            book.payout_ix.insert(id.clone(), book.payouts.len());
            book.payouts.push(NamedPayout { id, made });
        }
        for m in ledger.unpaid_movements().iter().filter(|m| wanted(m)) {
            let (txn_id, source) = name(m);
            book.push(Txn {
                id: txn_id,
                entry: Entry::Movement(m),
                source,
                payout: None,
                created: m.available_at,
                available_on: next_cutoff(&schedule, m.available_at, now),
            });
        }
        book
    }

    fn push(&mut self, t: Txn<'l>) {
        self.txn_ix.insert(t.id.clone(), self.txns.len());
        self.txns.push(t);
    }

    pub fn txn(&self, id: &str) -> Option<&Txn<'l>> {
        self.txn_ix.get(id).map(|&i| &self.txns[i])
    }

    pub fn payout(&self, id: &str) -> Option<&NamedPayout<'l>> {
        self.payout_ix.get(id).map(|&i| &self.payouts[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ledger::settlement::fees::STRIPE_FEES;
    use crate::sim::seed_data::Seeding;

    #[test]
    fn one_charges_transactions_are_named_as_in_the_whole_book() {
        let start = "2026-01-15T10:00:00Z".parse().unwrap();
        let mut l = Seeding::new(42, 30, 400)
            .at(start)
            .settle(STRIPE_FEES, Schedule::default())
            .ledger();
        l.pin_clock(Some(start + TimeDelta::days(3)));
        l.tick();
        let whole = Book::of(&l);
        let mut compared = 0;
        for c in l.charges().iter() {
            let mine: Vec<_> = Book::of_charge(&l, &c.token)
                .txns
                .into_iter()
                .map(|t| (t.id, t.source, t.payout, t.available_on))
                .collect();
            let theirs: Vec<_> = whole
                .txns
                .iter()
                .filter(|t| matches!(t.entry, Entry::Movement(m) if m.source == c.token))
                .map(|t| {
                    (
                        t.id.clone(),
                        t.source.clone(),
                        t.payout.clone(),
                        t.available_on,
                    )
                })
                .collect();
            assert_eq!(mine, theirs, "{}", c.token);
            compared += usize::from(mine.len() > 1);
        }
        assert!(compared > 10, "{compared} charges with more than a capture");
        let ids: std::collections::HashSet<_> = whole.txns.iter().map(|t| &t.id).collect();
        assert_eq!(
            ids.len(),
            whole.txns.len(),
            "a balance transaction id twice"
        );
    }

    #[test]
    fn the_next_cutoff_is_at_or_after_the_movement() {
        let daily = Schedule::default();
        let noon: DateTime<Utc> = "2026-01-15T12:00:00Z".parse().unwrap();
        let before = noon - TimeDelta::hours(1);
        let midnight: DateTime<Utc> = "2026-01-16T00:00:00Z".parse().unwrap();
        assert_eq!(next_cutoff(&daily, noon, before), midnight);
        assert_eq!(next_cutoff(&daily, midnight, before), midnight);
        // Left behind by a closed cut-off: the next one after now takes it.
        let later = midnight + TimeDelta::hours(3);
        let next = midnight + TimeDelta::days(1);
        assert_eq!(next_cutoff(&daily, noon, later), next);
        let manual: Schedule = "manual".parse().unwrap();
        assert_eq!(next_cutoff(&manual, noon, later), noon + TimeDelta::days(2));
        // 2026-01-15 is a Thursday: the next Monday is the 19th.
        let monday: Schedule = "weekly:mon".parse().unwrap();
        assert_eq!(
            next_cutoff(&monday, noon, before),
            "2026-01-19T00:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }
}
