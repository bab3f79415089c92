//! Movements of money and the payouts they are grouped into: at each cut-off one
//! payout per currency, with every movement that became available since the
//! previous cut-off. A payout's totals are the sums of its lines, and
//! `gross − fee − fee_tax = net` holds for every line and so for every payout.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use crate::money::Currency;

use super::SettlementError;
use super::fees::Fee;
use super::schedule::{Schedule, next_midnight};

/// The most days of cut-offs one call looks at (ten years), so that a wild
/// clock jump cannot make an unbounded loop or list.
pub const MAX_WINDOW_DAYS: i64 = 3_660;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MovementKind {
    Charge,
    Refund,
    Dispute,
    DisputeReversal,
    Fee,
    Adjustment,
}

/// One line of a payout, in the currency's minor units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Movement {
    pub kind: MovementKind,
    /// The id of the charge whose money it is.
    pub source: String,
    /// The id of the object it comes from: the charge itself for a charge line
    /// (as [`Movement::new`] makes it), the refund or the dispute otherwise.
    pub object: String,
    pub currency: Currency,
    /// Signed: what came in (+) or went out (−) before fees.
    pub gross: i64,
    pub fee: i64,
    pub fee_tax: i64,
    /// Always `gross − fee − fee_tax` (made so by [`Movement::new`]).
    pub net: i64,
    /// When it may enter a batch.
    pub available_at: DateTime<Utc>,
}

impl Movement {
    pub fn new(
        kind: MovementKind,
        source: impl Into<String>,
        currency: Currency,
        gross: i64,
        fee: Fee,
        available_at: DateTime<Utc>,
    ) -> Result<Movement, SettlementError> {
        let net = gross
            .checked_sub(fee.fee)
            .and_then(|n| n.checked_sub(fee.fee_tax))
            .ok_or(SettlementError::Overflow)?;
        let source = source.into();
        Ok(Movement {
            kind,
            object: source.clone(),
            source,
            currency,
            gross,
            fee: fee.fee,
            fee_tax: fee.fee_tax,
            net,
            available_at,
        })
    }

    /// The same movement, coming from `object` (a refund, a dispute).
    pub fn from_object(self, object: impl Into<String>) -> Movement {
        Movement {
            object: object.into(),
            ..self
        }
    }
}

/// One batch: a currency's movements at one cut-off. Its net may be negative (a
/// debit from the merchant's bank account on the pay date).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payout {
    pub currency: Currency,
    pub cutoff: DateTime<Utc>,
    pub pay_date: DateTime<Utc>,
    /// Indices into the movements given to [`make_payouts`], in their order.
    pub lines: Vec<usize>,
    pub gross: i64,
    pub fee: i64,
    pub fee_tax: i64,
    pub net: i64,
}

/// The schedule's cut-offs (00:00 UTC) in `(after, until]`, oldest first.
pub fn cutoffs(
    schedule: &Schedule,
    after: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, SettlementError> {
    if until - after > TimeDelta::days(MAX_WINDOW_DAYS) {
        return Err(SettlementError::WindowTooLong);
    }
    let mut found = Vec::new();
    let mut midnight = next_midnight(after);
    while midnight <= until {
        if schedule.cuts_at(midnight) {
            found.push(midnight);
        }
        midnight += TimeDelta::days(1);
    }
    Ok(found)
}

/// Groups `movements` (those in no payout yet) into the payouts cut in
/// `(after, until]`: the first cut-off takes every movement available by then
/// (so nothing older is lost), each later one those available since the one
/// before. Movements available after the last cut-off are left for a later
/// call. Payouts come ordered by cut-off, then currency; no payout is empty.
pub fn make_payouts(
    movements: &[Movement],
    schedule: &Schedule,
    after: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Payout>, SettlementError> {
    let cuts = cutoffs(schedule, after, until)?;
    let mut batches: BTreeMap<(usize, Currency), Vec<usize>> = BTreeMap::new();
    for (index, movement) in movements.iter().enumerate() {
        let first_cut = cuts.partition_point(|cut| *cut < movement.available_at);
        if first_cut < cuts.len() {
            batches
                .entry((first_cut, movement.currency))
                .or_default()
                .push(index);
        }
    }
    batches
        .into_iter()
        .map(|((cut, currency), lines)| {
            let cutoff = cuts[cut];
            let mut payout = Payout {
                currency,
                cutoff,
                pay_date: schedule.pay_date(cutoff),
                lines: Vec::new(),
                gross: 0,
                fee: 0,
                fee_tax: 0,
                net: 0,
            };
            for &index in &lines {
                let line = &movements[index];
                let add = |total: i64, part: i64| {
                    total.checked_add(part).ok_or(SettlementError::Overflow)
                };
                payout.gross = add(payout.gross, line.gross)?;
                payout.fee = add(payout.fee, line.fee)?;
                payout.fee_tax = add(payout.fee_tax, line.fee_tax)?;
                payout.net = add(payout.net, line.net)?;
            }
            payout.lines = lines;
            Ok(payout)
        })
        .collect()
}
