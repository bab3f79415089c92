//! The figures behind `:stats`, added up one charge at a time: per bucket and per
//! currency, counts and minor-unit sums (never summed across currencies), decline codes,
//! and the open authorisations by the time they have left. Pure arithmetic: the store
//! feeds the rows, the screen draws the answer, and a test can do either without the
//! other.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;

use super::period::Period;
use crate::domain::ChargeStatus;
use crate::money::{Currency, Money};

/// Decline codes kept apart at most: a gateway inventing a code per charge cannot grow
/// the table without bound; the rest count as "other".
pub const DECLINE_CODES_MAX: usize = 256;
/// Decline codes the screen names; the rest are summed as "other".
pub const DECLINES_SHOWN: usize = 8;
/// Longest decline code kept, in characters.
const CODE_CHARS_MAX: usize = 48;

/// What the figures need of one charge.
#[derive(Debug, Clone, PartialEq)]
pub struct ChargeFacts {
    pub created: DateTime<Utc>,
    pub currency: Currency,
    pub status: ChargeStatus,
    pub amount: i64,
    pub captured: i64,
    pub refunded: i64,
    pub failure_code: Option<String>,
}

/// One currency's charges in a bucket or the whole period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Every charge made, approved or not.
    pub charges: u64,
    /// Approved: every status but declined and waiting for 3-D Secure.
    pub approved: u64,
    pub declined: u64,
    /// Approved charges' amounts, in minor units: the volume.
    pub approved_minor: i128,
    pub captured_minor: i128,
    pub refunded_minor: i128,
    /// Charges with money captured, and those of them with any refunded or disputed.
    pub captured_charges: u64,
    pub refunded_charges: u64,
    pub disputed: u64,
}

impl Tally {
    fn add(&mut self, c: &ChargeFacts) {
        self.charges += 1;
        match c.status {
            ChargeStatus::Declined => self.declined += 1,
            ChargeStatus::Pending3ds => {}
            _ => {
                self.approved += 1;
                self.approved_minor += i128::from(c.amount);
            }
        }
        self.captured_minor += i128::from(c.captured);
        self.refunded_minor += i128::from(c.refunded);
        if c.captured > 0 {
            self.captured_charges += 1;
            self.refunded_charges += u64::from(c.refunded > 0);
            self.disputed += u64::from(c.status == ChargeStatus::Disputed);
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.charges += other.charges;
        self.approved += other.approved;
        self.declined += other.declined;
        self.approved_minor += other.approved_minor;
        self.captured_minor += other.captured_minor;
        self.refunded_minor += other.refunded_minor;
        self.captured_charges += other.captured_charges;
        self.refunded_charges += other.refunded_charges;
        self.disputed += other.disputed;
    }

    /// Approved of those decided (declined or approved).
    pub fn approval(&self) -> Rate {
        Rate::of(self.approved, self.approved + self.declined)
    }

    /// Captured charges with a refund.
    pub fn refund_rate(&self) -> Rate {
        Rate::of(self.refunded_charges, self.captured_charges)
    }

    pub fn dispute_rate(&self) -> Rate {
        Rate::of(self.disputed, self.captured_charges)
    }
}

/// A share, kept as its two counts so it is exact until it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rate {
    pub part: u64,
    pub of: u64,
}

impl Rate {
    pub fn of(part: u64, of: u64) -> Rate {
        Rate { part, of }
    }

    /// In percent, to one decimal place (half away from zero); `None` when there is
    /// nothing to take a share of.
    pub fn percent(self) -> Option<Decimal> {
        if self.of == 0 {
            return None;
        }
        let share = Decimal::from(self.part) * Decimal::ONE_HUNDRED / Decimal::from(self.of);
        Some(share.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
    }

    /// `96.4 %`, or `—` when there is nothing to take a share of.
    pub fn text(self) -> String {
        self.percent()
            .map_or_else(|| "—".into(), |p| format!("{p:.1} %"))
    }

    /// Tenths of a percent, for a bar's height (exact: 0 to 1000).
    pub fn per_mille(self) -> u64 {
        if self.of == 0 {
            return 0;
        }
        ((u128::from(self.part) * 1000) / u128::from(self.of)) as u64
    }
}

/// Money from a minor-unit sum; a sum past what a `Decimal` holds (no store reaches it)
/// shows as the largest amount rather than wrapping.
pub fn money(minor: i128, currency: Currency) -> Money {
    let amount =
        Decimal::try_from_i128_with_scale(minor, currency.exponent()).unwrap_or(if minor < 0 {
            Decimal::MIN
        } else {
            Decimal::MAX
        });
    Money {
        amount: amount.normalize(),
        currency,
    }
}

/// How long an open authorisation has before it lapses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimeLeft {
    /// Past its expiry and still authorised: the gateway may refuse a capture now.
    Lapsed,
    Under6h,
    Under24h,
    Under3d,
    Under7d,
    Later,
    /// The gateway does not say when.
    Unknown,
}

impl TimeLeft {
    pub const ALL: [TimeLeft; 7] = [
        TimeLeft::Lapsed,
        TimeLeft::Under6h,
        TimeLeft::Under24h,
        TimeLeft::Under3d,
        TimeLeft::Under7d,
        TimeLeft::Later,
        TimeLeft::Unknown,
    ];

    pub fn of(expires: Option<DateTime<Utc>>, now: DateTime<Utc>) -> TimeLeft {
        let Some(expires) = expires else {
            return TimeLeft::Unknown;
        };
        let left = expires - now;
        if left <= Duration::zero() {
            TimeLeft::Lapsed
        } else if left < Duration::hours(6) {
            TimeLeft::Under6h
        } else if left < Duration::hours(24) {
            TimeLeft::Under24h
        } else if left < Duration::days(3) {
            TimeLeft::Under3d
        } else if left < Duration::days(7) {
            TimeLeft::Under7d
        } else {
            TimeLeft::Later
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TimeLeft::Lapsed => "lapsed",
            TimeLeft::Under6h => "< 6 h",
            TimeLeft::Under24h => "6–24 h",
            TimeLeft::Under3d => "1–3 d",
            TimeLeft::Under7d => "3–7 d",
            TimeLeft::Later => "> 7 d",
            TimeLeft::Unknown => "no date",
        }
    }

    /// Whether it lapses within a day (the ones the jump key lists).
    pub fn within_a_day(self) -> bool {
        matches!(
            self,
            TimeLeft::Lapsed | TimeLeft::Under6h | TimeLeft::Under24h
        )
    }
}

/// The open authorisations with so long left: how many, and what they hold per currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiryBand {
    pub left: TimeLeft,
    pub count: u64,
    pub held: Vec<(Currency, i128)>,
}

impl ExpiryBand {
    /// What the band holds, each currency exactly: `A$12.50, US$3.00` (empty if none).
    pub fn held_text(&self) -> String {
        let amounts: Vec<String> = self
            .held
            .iter()
            .map(|(c, minor)| money(*minor, *c).to_string())
            .collect();
        amounts.join(", ")
    }
}

/// A decline code and how many charges it turned down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclineCount {
    pub code: String,
    pub count: u64,
}

/// Everything `:stats` shows for a filter over a period.
#[derive(Debug, Clone, PartialEq)]
pub struct ChargeStats {
    pub period: Period,
    /// When the figures were read: the authorisations' time left counts from here.
    pub as_of: DateTime<Utc>,
    /// Per bucket of the period, per currency (by code).
    pub buckets: Vec<Vec<(Currency, Tally)>>,
    /// The whole period, per currency, the most charges first.
    pub currencies: Vec<(Currency, Tally)>,
    /// The most frequent decline codes, most first; then `other` if there were more.
    pub declines: Vec<DeclineCount>,
    /// Open authorisations (made in the last 31 days, whatever the period) by time left, every band listed.
    pub expiring: Vec<ExpiryBand>,
}

impl ChargeStats {
    /// Every currency's tallies together: counts add across currencies, money does not
    /// (its sums in the result are left at zero).
    pub fn counts(&self) -> Tally {
        let mut all = Tally::default();
        for (_, tally) in &self.currencies {
            all.merge(&Tally {
                approved_minor: 0,
                captured_minor: 0,
                refunded_minor: 0,
                ..*tally
            });
        }
        all
    }

    /// A bucket's tally in `currency` (zero if it had none).
    pub fn in_bucket(&self, bucket: usize, currency: Currency) -> Tally {
        self.buckets
            .get(bucket)
            .and_then(|b| b.iter().find(|(c, _)| *c == currency))
            .map(|(_, t)| *t)
            .unwrap_or_default()
    }

    /// Open authorisations that lapse within a day, lapsed ones included.
    pub fn expiring_within_a_day(&self) -> u64 {
        self.expiring
            .iter()
            .filter(|band| band.left.within_a_day())
            .map(|band| band.count)
            .sum()
    }
}

/// Adds charges up into a [`ChargeStats`].
pub struct StatsBuilder {
    period: Period,
    as_of: DateTime<Utc>,
    buckets: Vec<BTreeMap<Currency, Tally>>,
    declines: HashMap<String, u64>,
    other_declines: u64,
    expiring: BTreeMap<TimeLeft, (u64, BTreeMap<Currency, i128>)>,
}

impl StatsBuilder {
    pub fn new(period: Period, as_of: DateTime<Utc>) -> StatsBuilder {
        StatsBuilder {
            buckets: vec![BTreeMap::new(); period.buckets.len()],
            period,
            as_of,
            declines: HashMap::new(),
            other_declines: 0,
            expiring: BTreeMap::new(),
        }
    }

    /// A charge created in the period (one outside it is left out).
    pub fn add(&mut self, charge: &ChargeFacts) {
        let Some(bucket) = self.period.bucket_of(charge.created) else {
            return;
        };
        self.buckets[bucket]
            .entry(charge.currency)
            .or_default()
            .add(charge);
        if charge.status == ChargeStatus::Declined {
            let code: String = charge
                .failure_code
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .unwrap_or("no code given")
                .chars()
                .filter(|c| !c.is_control())
                .take(CODE_CHARS_MAX)
                .collect();
            let room = self.declines.len() < DECLINE_CODES_MAX;
            match self.declines.get_mut(&code) {
                Some(n) => *n += 1,
                None if room => {
                    self.declines.insert(code, 1);
                }
                None => self.other_declines += 1,
            }
        }
    }

    /// An open authorisation holding `held_minor`, lapsing at `expires`.
    pub fn add_authorisation(
        &mut self,
        currency: Currency,
        held_minor: i64,
        expires: Option<DateTime<Utc>>,
    ) {
        let band = self
            .expiring
            .entry(TimeLeft::of(expires, self.as_of))
            .or_default();
        band.0 += 1;
        *band.1.entry(currency).or_default() += i128::from(held_minor);
    }

    pub fn finish(self) -> ChargeStats {
        let mut totals: BTreeMap<Currency, Tally> = BTreeMap::new();
        for bucket in &self.buckets {
            for (currency, tally) in bucket {
                totals.entry(*currency).or_default().merge(tally);
            }
        }
        let mut currencies: Vec<(Currency, Tally)> = totals.into_iter().collect();
        currencies.sort_by(|a, b| b.1.charges.cmp(&a.1.charges).then(a.0.cmp(&b.0)));
        let mut declines: Vec<DeclineCount> = self
            .declines
            .into_iter()
            .map(|(code, count)| DeclineCount { code, count })
            .collect();
        declines.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
        let rest: u64 = declines
            .iter()
            .skip(DECLINES_SHOWN)
            .map(|d| d.count)
            .sum::<u64>()
            + self.other_declines;
        declines.truncate(DECLINES_SHOWN);
        if rest > 0 {
            declines.push(DeclineCount {
                code: "other".into(),
                count: rest,
            });
        }
        let mut expiring = self.expiring;
        let expiring = TimeLeft::ALL
            .into_iter()
            .map(|left| {
                let (count, held) = expiring.remove(&left).unwrap_or_default();
                ExpiryBand {
                    left,
                    count,
                    held: held.into_iter().collect(),
                }
            })
            .collect();
        ChargeStats {
            buckets: self
                .buckets
                .into_iter()
                .map(|b| b.into_iter().collect())
                .collect(),
            period: self.period,
            as_of: self.as_of,
            currencies,
            declines,
            expiring,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::period::Zoom;
    use crate::timezone::Zone;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, h, m, 0).unwrap()
    }

    fn facts(h: u32, currency: Currency, status: ChargeStatus, amount: i64) -> ChargeFacts {
        let captured = match status {
            ChargeStatus::Captured
            | ChargeStatus::PartiallyRefunded
            | ChargeStatus::Refunded
            | ChargeStatus::Disputed => amount,
            _ => 0,
        };
        let refunded = match status {
            ChargeStatus::Refunded => amount,
            ChargeStatus::PartiallyRefunded => amount / 2,
            _ => 0,
        };
        ChargeFacts {
            created: at(h, 10),
            currency,
            status,
            amount,
            captured,
            refunded,
            failure_code: (status == ChargeStatus::Declined).then(|| "card_declined".into()),
        }
    }

    fn day() -> Period {
        Period::containing(Zoom::Day, at(12, 0), Zone::Utc)
    }

    #[test]
    fn buckets_and_currencies_count_apart_and_money_never_mixes() {
        let mut b = StatsBuilder::new(day(), at(23, 0));
        b.add(&facts(9, Currency::AUD, ChargeStatus::Captured, 1050));
        b.add(&facts(9, Currency::AUD, ChargeStatus::Declined, 999));
        b.add(&facts(9, Currency::USD, ChargeStatus::Refunded, 2000));
        b.add(&facts(14, Currency::AUD, ChargeStatus::Authorised, 500));
        b.add(&facts(14, Currency::AUD, ChargeStatus::Pending3ds, 700));
        let s = b.finish();
        let aud9 = s.in_bucket(9, Currency::AUD);
        assert_eq!((aud9.charges, aud9.approved, aud9.declined), (2, 1, 1));
        assert_eq!(aud9.approved_minor, 1050);
        assert_eq!(s.in_bucket(9, Currency::USD).approved_minor, 2000);
        assert_eq!(s.in_bucket(10, Currency::AUD), Tally::default());
        let (cur, aud) = s.currencies[0];
        assert_eq!(cur, Currency::AUD);
        assert_eq!((aud.charges, aud.approved, aud.declined), (4, 2, 1));
        assert_eq!(money(aud.approved_minor, cur).to_string(), "A$15.50");
        assert_eq!(aud.approval().text(), "66.7 %");
        let all = s.counts();
        assert_eq!(
            (all.charges, all.captured_charges, all.refunded_charges),
            (5, 2, 1)
        );
        assert_eq!(
            all.approved_minor, 0,
            "money is never summed across currencies"
        );
        assert_eq!(all.refund_rate().text(), "50.0 %");
    }

    #[test]
    fn a_charge_outside_the_period_is_left_out() {
        let mut b = StatsBuilder::new(day(), at(23, 0));
        let mut early = facts(9, Currency::AUD, ChargeStatus::Captured, 100);
        early.created = at(0, 0) - Duration::seconds(1);
        b.add(&early);
        assert!(b.finish().currencies.is_empty());
    }

    #[test]
    fn decline_codes_rank_by_count_and_the_tail_is_other() {
        let mut b = StatsBuilder::new(day(), at(23, 0));
        for _ in 0..3 {
            b.add(&facts(3, Currency::AUD, ChargeStatus::Declined, 100));
        }
        for i in 0..(DECLINE_CODES_MAX + 20) {
            let mut c = facts(3, Currency::AUD, ChargeStatus::Declined, 100);
            c.failure_code = Some(format!("code_{i:04}"));
            b.add(&c);
        }
        let mut blank = facts(3, Currency::AUD, ChargeStatus::Declined, 100);
        blank.failure_code = Some("  ".into());
        b.add(&blank);
        let s = b.finish();
        assert_eq!(s.declines[0].code, "card_declined");
        assert_eq!(s.declines[0].count, 3);
        assert_eq!(s.declines.len(), DECLINES_SHOWN + 1);
        let other = s.declines.last().unwrap();
        assert_eq!(other.code, "other");
        let named: u64 = s.declines.iter().map(|d| d.count).sum();
        assert_eq!(
            named,
            (DECLINE_CODES_MAX + 20 + 4) as u64,
            "no decline is lost"
        );
    }

    #[test]
    fn authorisations_fall_in_bands_by_time_left() {
        let now = at(12, 0);
        let mut b = StatsBuilder::new(day(), now);
        b.add_authorisation(Currency::AUD, 100, Some(now - Duration::minutes(1)));
        b.add_authorisation(Currency::AUD, 200, Some(now + Duration::hours(5)));
        b.add_authorisation(Currency::USD, 300, Some(now + Duration::hours(23)));
        b.add_authorisation(Currency::AUD, 400, Some(now + Duration::days(6)));
        b.add_authorisation(Currency::AUD, 500, None);
        let s = b.finish();
        assert_eq!(s.expiring.len(), TimeLeft::ALL.len());
        let band = |left| s.expiring.iter().find(|b| b.left == left).unwrap().clone();
        assert_eq!(band(TimeLeft::Lapsed).count, 1);
        assert_eq!(band(TimeLeft::Under24h).held, vec![(Currency::USD, 300)]);
        assert_eq!(band(TimeLeft::Under3d).count, 0);
        assert_eq!(band(TimeLeft::Unknown).count, 1);
        assert_eq!(s.expiring_within_a_day(), 3);
    }

    #[test]
    fn rates_round_half_away_and_say_when_there_is_nothing() {
        assert_eq!(Rate::of(1, 3).text(), "33.3 %");
        assert_eq!(Rate::of(2, 3).text(), "66.7 %");
        assert_eq!(Rate::of(1, 8).text(), "12.5 %");
        assert_eq!(Rate::of(1, 16).text(), "6.3 %");
        assert_eq!(Rate::of(0, 0).text(), "—");
        assert_eq!(Rate::of(1, 3).per_mille(), 333);
        assert_eq!(
            money(i128::from(i64::MAX) * 4, Currency::JPY).amount,
            Decimal::from(i128::from(i64::MAX) * 4)
        );
    }
}
