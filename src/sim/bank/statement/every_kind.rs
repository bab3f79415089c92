//! `BankNoise::every_kind`: a kind of noise the draws left out of a statement
//! is put on a payout the bank left alone, so a demo always has one of each to
//! find. The forced payouts are the newest whose reconciliation window has
//! closed (paid [`SETTLED_DAYS`] or more before today), so each shows as the
//! exception it is, a lost payout included; the details (how late, which fee)
//! are that payout's own draws.

use chrono::{NaiveDate, TimeDelta};

use super::{AnomalyKind, BankNoise, Fate, Paid, groups, spoiled};

/// Older than the widest match window (+5 business days) with room to spare.
const SETTLED_DAYS: i64 = 10;

/// One kind of noise, as the flag names it.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Merge,
    Fee,
    Late,
    Reference,
    Lost,
    Unrelated,
}

const KINDS: [Kind; 6] = [
    Kind::Merge,
    Kind::Fee,
    Kind::Late,
    Kind::Reference,
    Kind::Lost,
    Kind::Unrelated,
];

impl Kind {
    /// Its rate in `noise`.
    fn slot(self, noise: &mut BankNoise) -> &mut u32 {
        match self {
            Kind::Merge => &mut noise.merge,
            Kind::Fee => &mut noise.fee,
            Kind::Late => &mut noise.late,
            Kind::Reference => &mut noise.reference,
            Kind::Lost => &mut noise.lost,
            Kind::Unrelated => &mut noise.unrelated,
        }
    }

    fn rate(self, noise: &BankNoise) -> u32 {
        *self.slot(&mut { *noise })
    }

    /// Noise of this kind alone, certain.
    fn certain(self) -> BankNoise {
        let mut noise = BankNoise::NONE;
        *self.slot(&mut noise) = 1_000_000;
        noise
    }

    fn shown_as(self, anomaly: AnomalyKind) -> bool {
        match self {
            Kind::Merge => anomaly == AnomalyKind::Merged,
            Kind::Fee => anomaly == AnomalyKind::BankFee,
            Kind::Late => anomaly == AnomalyKind::Late,
            Kind::Reference => matches!(
                anomaly,
                AnomalyKind::ReferenceTruncated | AnomalyKind::ReferenceChanged
            ),
            Kind::Lost => anomaly == AnomalyKind::Lost,
            Kind::Unrelated => anomaly == AnomalyKind::Unrelated,
        }
    }

    /// `fate` with this kind's part of `drawn` (the same payout's fate drawn
    /// with this kind certain).
    fn put(self, fate: &mut Fate, drawn: &Fate) {
        match self {
            Kind::Merge => fate.merge = true,
            Kind::Fee => fate.fee = drawn.fee,
            Kind::Late => fate.late_days = drawn.late_days,
            Kind::Reference => fate.reference = drawn.reference,
            Kind::Lost => fate.lost = true,
            Kind::Unrelated => fate.unrelated = drawn.unrelated,
        }
    }
}

/// Puts each kind of `noise` with a rate above 0 that `fates` do not show by
/// `today` on a payout of `payouts` (sorted) that they leave alone, if any is
/// old enough.
pub(super) fn force(
    seed: u64,
    account: &str,
    noise: &BankNoise,
    payouts: &[&Paid],
    fates: &mut [Fate],
    today: NaiveDate,
) {
    for kind in KINDS.into_iter().filter(|k| k.rate(noise) > 0) {
        let shown = spoiled(account, payouts, fates, today)
            .anomalies
            .iter()
            .any(|a| kind.shown_as(a.kind));
        if shown {
            continue;
        }
        if let Some(at) = newest_alone(kind, payouts, fates, today) {
            let drawn = Fate::draw(seed, account, &payouts[at].id, &kind.certain());
            kind.put(&mut fates[at], &drawn);
        }
    }
}

/// The newest payout that is a deposit of its own, left alone and settled (for a
/// merge, the one after it too; for a reference, it has one).
fn newest_alone(kind: Kind, payouts: &[&Paid], fates: &[Fate], today: NaiveDate) -> Option<usize> {
    let settled = today - TimeDelta::days(SETTLED_DAYS);
    let alone: Vec<usize> = groups(payouts, fates)
        .into_iter()
        .filter(|&(at, len)| len == 1 && fates[at].plain() && payouts[at].pay_date <= settled)
        .map(|(at, _)| at)
        .collect();
    alone.iter().rev().copied().find(|&at| match kind {
        Kind::Merge => {
            alone.contains(&(at + 1))
                && payouts[at]
                    .net
                    .checked_add(payouts[at + 1].net)
                    .is_some_and(|sum| sum != 0)
        }
        Kind::Reference => !payouts[at].reference.is_empty(),
        _ => true,
    })
}
