//! The ledger's settlement books: the movements of money its state machine
//! records (a capture, a settled refund, a dispute's debit and its reversal),
//! each with its gateway's fee, and the payouts the clock closes from them at
//! each cut-off of the payout schedule. Nothing here draws from the random
//! stream or writes the operations log, so seeded history stays as it was.

use std::collections::VecDeque;

use chrono::{DateTime, TimeDelta, Utc};

use crate::money::Currency;

use super::settlement::fees::PIN_FEES;
use super::settlement::schedule::next_midnight;
use super::settlement::{
    Fee, FeeModel, Movement, MovementKind, Payout, Schedule, SettlementError, cutoffs, make_payouts,
};
use super::{Charge, Ledger};

/// The most payouts a ledger keeps; the oldest go first (a simulator that runs
/// for years must not grow without bound).
pub const MAX_PAYOUTS: usize = 10_000;

/// A payout as the ledger keeps it: its totals and its own lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MadePayout {
    pub payout: Payout,
    /// The movements it pays, in the order `payout.lines` named them.
    pub lines: Vec<Movement>,
}

/// What a ledger settles with and what it has settled.
#[derive(Debug)]
pub(super) struct Books {
    fees: FeeModel,
    schedule: Schedule,
    /// Movements in no payout yet, in the order they happened.
    pending: Vec<Movement>,
    payouts: VecDeque<MadePayout>,
    /// The cut-offs up to this instant have been closed; `None` until the
    /// first tick.
    closed_until: Option<DateTime<Utc>>,
    /// While seeding: no batch is closed, so that history recorded out of
    /// time order (disputes opened after later charges) is cut at once in
    /// the end, each movement in the first cut-off after it.
    held: bool,
}

impl Default for Books {
    fn default() -> Self {
        Books {
            fees: PIN_FEES,
            schedule: Schedule::default(),
            pending: Vec::new(),
            payouts: VecDeque::new(),
            closed_until: None,
            held: false,
        }
    }
}

impl Ledger {
    /// Settle with `fees` on `schedule` from now on (a dialect's model and the
    /// `--payout-schedule` flag); a new ledger has Pin's fees, daily:2.
    pub fn settle_with(&mut self, fees: FeeModel, schedule: Schedule) {
        self.books.fees = fees;
        self.books.schedule = schedule;
    }

    /// Close no batch until `held` is false again (seeding holds them while
    /// it writes history, then one tick cuts all of it).
    pub(crate) fn hold_batches(&mut self, held: bool) {
        self.books.held = held;
    }

    /// The fee model this ledger charges.
    pub fn fee_model(&self) -> &FeeModel {
        &self.books.fees
    }

    /// The payout schedule.
    pub fn payout_schedule(&self) -> Schedule {
        self.books.schedule
    }

    /// Movements in no payout yet, oldest first.
    pub fn unpaid_movements(&self) -> &[Movement] {
        &self.books.pending
    }

    /// The payouts made (the newest [`MAX_PAYOUTS`]), oldest cut-off first.
    pub fn payouts(&self) -> impl Iterator<Item = &MadePayout> {
        self.books.payouts.iter()
    }

    /// The fee (and tax on it) a capture of `amount` on `c` pays, as its
    /// capture's movement is priced; `None` for a currency code the
    /// settlement does not know or an amount too large.
    pub fn capture_fee(&self, c: &Charge, amount: i64) -> Option<Fee> {
        let fees = &self.books.fees;
        let class = fees.card_class(&c.card.scheme, &c.card.issuing_country);
        let currency = Currency::from_code(&c.currency).ok()?;
        fees.charge_fee(amount, currency, class).ok()
    }

    /// A movement of `amount` of the charge `charge`, coming from `object`
    /// (the charge itself, a refund or a dispute), that the state machine made
    /// at `at`:
    /// - `Charge`, a capture: credited less the fee its card pays, and
    ///   batched once the gateway settles captures
    ///   ([`FeeModel::capture_settles_after`]);
    /// - `Refund`, settled: debited, and no fee comes back;
    /// - `Dispute`, opened: debited at once (so from the next batch), with the
    ///   gateway's dispute fee;
    /// - `DisputeReversal`, a dispute won: credited back, the fee is not.
    ///
    /// A charge the settlement cannot price (unknown currency code, an amount
    /// too large) moves nothing; it is never a panic.
    pub(super) fn record(
        &mut self,
        kind: MovementKind,
        (charge, object): (&str, &str),
        amount: i64,
        at: DateTime<Utc>,
    ) {
        let Ok(c) = self.charges.by_token(charge) else {
            return;
        };
        let Ok(currency) = Currency::from_code(&c.currency) else {
            return;
        };
        let fees = &self.books.fees;
        let (gross, fee, at) = match kind {
            MovementKind::Charge => {
                let fee = self.capture_fee(c, amount);
                let fee = fee.ok_or(SettlementError::Overflow);
                (amount, fee, at + fees.capture_settles_after)
            }
            MovementKind::Dispute => (-amount, fees.dispute_fee(currency), at),
            MovementKind::Refund => (-amount, Ok(Fee::default()), at),
            _ => (amount, Ok(Fee::default()), at),
        };
        let movement = fee.and_then(|fee| Movement::new(kind, charge, currency, gross, fee, at));
        if let Ok(movement) = movement {
            self.books.pending.push(movement.from_object(object));
        }
    }

    /// The payouts cut at `cutoff` (one per currency at most), found without
    /// reading the others.
    pub fn payouts_cut_at(&self, cutoff: DateTime<Utc>) -> impl Iterator<Item = &MadePayout> {
        let payouts = &self.books.payouts;
        let first = payouts.partition_point(|m| m.payout.cutoff < cutoff);
        payouts
            .range(first..)
            .take_while(move |m| m.payout.cutoff == cutoff)
    }

    /// When the batch that will take `movement` (one in no payout yet) is to
    /// be paid: the pay date of the first cut-off at or after both the
    /// movement's available time and the last batches closed. `None` when the
    /// schedule cuts none within a week (manual).
    pub fn expected_pay_date(&self, movement: &Movement) -> Option<DateTime<Utc>> {
        let books = &self.books;
        let just_before = movement.available_at - TimeDelta::nanoseconds(1);
        let after = books
            .closed_until
            .map_or(just_before, |c| c.max(just_before));
        let cuts = cutoffs(&books.schedule, after, after + TimeDelta::days(8)).ok()?;
        cuts.first().map(|cut| books.schedule.pay_date(*cut))
    }

    /// Close every batch whose cut-off has passed by `now`: the clock's rule
    /// for payouts, run by [`Ledger::tick`].
    pub(super) fn close_batches(&mut self, now: DateTime<Utc>) {
        let books = &mut self.books;
        let Some(after) = books.closed_until else {
            books.closed_until = Some(now);
            return;
        };
        if books.held || next_midnight(after) > now {
            return;
        }
        books.closed_until = Some(now);
        // On an error (a total too large, a clock jump past the window) the
        // movements stay unpaid and the next cut-off takes them: none is lost.
        let Ok(made) = make_payouts(&books.pending, &books.schedule, after, now) else {
            return;
        };
        let mut paid = vec![false; books.pending.len()];
        for payout in made {
            let lines = payout
                .lines
                .iter()
                .map(|&i| {
                    paid[i] = true;
                    books.pending[i].clone()
                })
                .collect();
            if books.payouts.len() == MAX_PAYOUTS {
                books.payouts.pop_front();
            }
            books.payouts.push_back(MadePayout { payout, lines });
        }
        let mut index = 0;
        books.pending.retain(|_| {
            index += 1;
            !paid[index - 1]
        });
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use chrono::TimeDelta;

    use super::*;
    use crate::sim::ledger::settlement::fees::TRX_FEES;
    use crate::sim::ledger::{Card, DisputeStatus, NewCharge, NewDispute, Outcome, Source};
    use crate::sim::seed_data::Seeding;

    /// A seeded ledger on daily:2, its clock pinned three days past the seeding
    /// instant (past the delay) with the clock's rules applied.
    fn settled(seed: u64) -> (Ledger, DateTime<Utc>) {
        let start = "2026-01-15T10:00:00Z".parse().unwrap();
        let mut l = Seeding::new(seed, 30, 400)
            .at(start)
            .settle(TRX_FEES, Schedule::default())
            .ledger();
        let now = start + TimeDelta::days(3);
        l.pin_clock(Some(now));
        l.tick();
        (l, now)
    }

    #[test]
    fn every_capture_before_the_cutoff_less_the_delay_is_paid_once() {
        let (l, now) = settled(42);
        let schedule = l.payout_schedule();
        let first = l.charges().first().unwrap().created_at;
        let last_cut = *cutoffs(&schedule, first, now).unwrap().last().unwrap();
        let due_by = last_cut - TimeDelta::days(i64::from(schedule.delay_days));
        let mut paid: HashMap<&str, usize> = HashMap::new();
        for made in l.payouts() {
            let p = &made.payout;
            assert_eq!(p.lines.len(), made.lines.len());
            let sum = |part: fn(&Movement) -> i64| made.lines.iter().map(part).sum::<i64>();
            assert_eq!(p.gross, sum(|m| m.gross));
            assert_eq!(p.fee, sum(|m| m.fee));
            assert_eq!(p.fee_tax, sum(|m| m.fee_tax));
            assert_eq!(p.net, sum(|m| m.net));
            assert_eq!(p.gross - p.fee - p.fee_tax, p.net, "{p:?}");
            for line in &made.lines {
                assert_eq!(line.gross - line.fee - line.fee_tax, line.net);
                assert_eq!(line.currency, p.currency);
                assert!(line.available_at <= p.cutoff);
                // Daily: each movement (a seeded dispute opened after later
                // charges too) is in the first cut-off after it.
                assert!(
                    p.cutoff - line.available_at <= TimeDelta::days(1),
                    "{line:?}"
                );
                if line.kind == MovementKind::Charge {
                    *paid.entry(line.source.as_str()).or_default() += 1;
                }
            }
        }
        let captured: Vec<_> = l
            .charges()
            .iter()
            .filter(|c| c.captured_at.is_some_and(|at| at <= due_by))
            .collect();
        assert!(captured.len() > 100, "{} captures", captured.len());
        for c in captured {
            assert_eq!(paid.get(c.token.as_str()), Some(&1), "{}", c.token);
        }
        assert!(
            l.unpaid_movements()
                .iter()
                .all(|m| m.available_at > last_cut)
        );
        let kinds: Vec<_> = l.payouts().flat_map(|p| &p.lines).map(|m| m.kind).collect();
        for kind in [MovementKind::Refund, MovementKind::Dispute] {
            assert!(kinds.contains(&kind), "no {kind:?} line");
        }
    }

    /// A charge of A$100.00 on `card`, captured, in a ledger on trx's fees.
    fn captured_on(scheme: &str, country: &str) -> (Ledger, String) {
        let mut l = Ledger::new(1);
        l.settle_with(TRX_FEES, Schedule::default());
        let card = Card {
            scheme: scheme.into(),
            issuing_country: country.into(),
            ..Card::default()
        };
        let charge = l.create_charge(
            NewCharge {
                amount: 10_000,
                currency: "AUD".into(),
                description: "beans".into(),
                email: "a@example.com".into(),
                ip_address: "192.0.2.1".into(),
                card,
                customer_token: None,
                capture: true,
                metadata: Vec::new(),
                outcome: Outcome::Approved,
                callback_url: None,
                reference: None,
            },
            Source::Api,
        );
        (l, charge)
    }

    fn moved(l: &Ledger) -> Vec<(MovementKind, i64, i64)> {
        let all = l.payouts().flat_map(|p| &p.lines);
        all.chain(l.unpaid_movements())
            .map(|m| (m.kind, m.gross, m.fee))
            .collect()
    }

    #[test]
    fn a_capture_pays_the_fee_of_its_card_class() {
        for (scheme, country, fee) in [
            ("visa", "AU", 270),
            ("american_express", "AU", 350),
            ("visa", "US", 370),
            ("american_express", "NZ", 450),
        ] {
            let (l, _) = captured_on(scheme, country);
            assert_eq!(
                moved(&l),
                [(MovementKind::Charge, 10_000, fee)],
                "{scheme} {country}"
            );
        }
    }

    #[test]
    fn refunds_and_disputes_move_money_when_the_state_machine_acts() {
        let (mut l, charge) = captured_on("visa", "AU");
        l.refund(&charge, Some(2_500), Source::Api).unwrap();
        assert_eq!(moved(&l).len(), 1, "a pending refund moves nothing");
        l.advance(super::super::REFUND_SETTLEMENT);
        let dispute = NewDispute {
            charge: charge.clone(),
            reason: "fraudulent".into(),
            status: DisputeStatus::NeedsResponse,
            evidence: Vec::new(),
            submission_count: 0,
        };
        let dispute = l.open_dispute(dispute, Source::Api).unwrap();
        let evidence = vec![("text".to_string(), "winning_evidence".to_string())];
        l.update_dispute(&dispute, evidence, None, true, Source::Api)
            .unwrap();
        assert_eq!(
            moved(&l),
            [
                (MovementKind::Charge, 10_000, 270),
                (MovementKind::Refund, -2_500, 0),
                (MovementKind::Dispute, -10_000, 1_500),
                (MovementKind::DisputeReversal, 10_000, 0),
            ]
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_payouts() {
        let payouts = |seed| {
            let (l, _) = settled(seed);
            l.payouts().cloned().collect::<Vec<_>>()
        };
        let a = payouts(42);
        assert!(!a.is_empty());
        assert_eq!(a, payouts(42));
        assert_ne!(a, payouts(43));
    }
}
