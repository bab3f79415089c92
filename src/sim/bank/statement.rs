//! The bank's lines for one account (one currency): a deposit per payout paid,
//! spoiled by the [`BankNoise`] the seed draws for each payout, and the truth
//! about every spoiling, so that a reconciliation can be scored. Pure: the
//! caller gives the payouts and the date; nothing is stored, so the statement
//! of a day never changes once that day has come.

use std::collections::HashMap;

use chrono::{NaiveDate, TimeDelta};

use crate::money::Currency;
use crate::sim::rng::Rng;

use super::noise::BankNoise;

/// The random stream of the bank's draws (distinct from every other stream).
const STREAM: u64 = 71;

/// What the bank charges for a noisy inward payment, in minor units scaled
/// like fee amounts (2.50, 5.00 or 10.00 in a two-decimal currency).
const BANK_FEES: [i64; 3] = [250, 500, 1_000];

/// Who pays the lines that have nothing to do with the gateway.
const UNRELATED: [(&str, &str); 4] = [
    ("TRANSFER FROM J CITIZEN", "INV 4821"),
    ("ATO BPAY", "551234567890"),
    ("OFFICEWORKS 0412", "CARD 4417"),
    ("INTEREST", ""),
];

/// A payout as the bank should see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paid {
    /// The gateway's id for it.
    pub id: String,
    /// What the gateway says the bank statement shows.
    pub reference: String,
    pub currency: Currency,
    /// Minor units, signed: a negative payout is a debit.
    pub net: i64,
    pub pay_date: NaiveDate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Money from the gateway: one payout, or two merged.
    Deposit,
    BankFee,
    Unrelated,
}

/// One line of the statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// `YYYYMMDD-CUR-NNNN`: the OFX `FITID` and the camt.053 `AcctSvcrRef`,
    /// the same on every download.
    pub id: String,
    pub kind: LineKind,
    pub booked: NaiveDate,
    /// Minor units, signed.
    pub amount: i64,
    /// Who paid or what it is (the OFX `NAME`): `PIN PAYMENTS` for a deposit
    /// from the pin dialect.
    pub payer: String,
    /// The reference as the bank shows it (may be empty).
    pub reference: String,
    /// The payouts it pays (none for a fee or an unrelated line).
    pub payouts: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnomalyKind {
    Merged,
    BankFee,
    Late,
    ReferenceTruncated,
    ReferenceChanged,
    Lost,
    Unrelated,
}

impl AnomalyKind {
    pub fn name(self) -> &'static str {
        match self {
            AnomalyKind::Merged => "merged",
            AnomalyKind::BankFee => "bank_fee",
            AnomalyKind::Late => "late",
            AnomalyKind::ReferenceTruncated => "reference_truncated",
            AnomalyKind::ReferenceChanged => "reference_changed",
            AnomalyKind::Lost => "lost",
            AnomalyKind::Unrelated => "unrelated",
        }
    }
}

/// One spoiling the bank did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anomaly {
    pub kind: AnomalyKind,
    pub payouts: Vec<String>,
    /// The line it shows on (`None` for a payout that never arrived).
    pub line: Option<String>,
    /// When it happened: the line's booking date, or a lost payout's pay date.
    pub on: NaiveDate,
    /// Late: how many days.
    pub days: Option<i64>,
}

/// The account's lines booked by `today`, oldest first, and what was spoiled.
#[derive(Debug, Default)]
pub struct Statement {
    pub lines: Vec<Line>,
    pub anomalies: Vec<Anomaly>,
}

/// What the seed decides for one payout; every draw is made, used or not, so
/// one rate never shifts another's choices.
#[derive(Clone, Copy, Debug)]
struct Fate {
    lost: bool,
    merge: bool,
    late_days: Option<i64>,
    reference: Option<bool>,
    fee: Option<i64>,
    unrelated: Option<(usize, i64)>,
}

impl Fate {
    fn draw(seed: u64, account: &str, payout: &str, noise: &BankNoise) -> Fate {
        let key = format!("{account}/{payout}")
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        let mut rng = Rng::derive(seed ^ key, STREAM);
        let lost = rng.chance_ppm(noise.lost);
        let merge = rng.chance_ppm(noise.merge);
        let late = rng.chance_ppm(noise.late);
        let late_days = rng.range_i64(1..3);
        let reference = rng.chance_ppm(noise.reference);
        let truncate = rng.chance(1, 2);
        let fee = rng.chance_ppm(noise.fee);
        let fee_amount = *rng.pick(&BANK_FEES);
        let unrelated = rng.chance_ppm(noise.unrelated);
        let which = rng.range(0..UNRELATED.len() as u64) as usize;
        let amount = rng.range_i64(500..50_000) * if rng.chance(1, 3) { 1 } else { -1 };
        Fate {
            lost,
            merge,
            late_days: late.then_some(late_days),
            reference: reference.then_some(truncate),
            fee: fee.then_some(fee_amount),
            unrelated: unrelated.then_some((which, amount)),
        }
    }

    /// Whether the bank leaves this payout alone.
    fn plain(&self) -> bool {
        !self.lost
            && !self.merge
            && self.late_days.is_none()
            && self.reference.is_none()
            && self.fee.is_none()
            && self.unrelated.is_none()
    }
}

/// The reference cut to two thirds, or with its spaces gone and its last two
/// characters swapped; never the same text.
fn spoil(reference: &str, truncate: bool) -> String {
    let chars: Vec<char> = reference.chars().collect();
    if truncate {
        let keep = (chars.len() * 2 / 3)
            .max(1)
            .min(chars.len().saturating_sub(1));
        return chars[..keep].iter().collect();
    }
    let mut changed: Vec<char> = chars.into_iter().filter(|c| *c != ' ').collect();
    let n = changed.len();
    if n >= 2 {
        changed.swap(n - 1, n - 2);
    }
    // Where the swap changes nothing (`…55`), the last character is replaced: a
    // changed reference must never hold the payout's whole, or it reads as unchanged.
    if changed.iter().collect::<String>() == reference
        && let Some(last) = changed.last_mut()
    {
        *last = if *last == 'X' { 'Y' } else { 'X' };
    }
    changed.into_iter().collect()
}

/// A fixed amount scaled to the currency's decimals as fee amounts are.
fn scaled(minor: i64, currency: Currency) -> i64 {
    let exp = currency.exponent();
    match exp {
        0..=2 => minor,
        _ => minor.saturating_mul(10_i64.saturating_pow(exp - 2)),
    }
}

/// The statement of one account: `payouts` (all in its currency, any order)
/// as `seed` and `noise` spoil them, lines booked by `today` only. `account`
/// names the dialect, so two dialects' payouts are spoiled independently.
pub fn statement(
    seed: u64,
    account: &str,
    noise: &BankNoise,
    payouts: &[Paid],
    today: NaiveDate,
) -> Statement {
    let mut payouts: Vec<&Paid> = payouts.iter().filter(|p| p.net != 0).collect();
    payouts.sort_by(|a, b| (a.pay_date, &a.id).cmp(&(b.pay_date, &b.id)));
    let mut fates: Vec<Fate> = payouts
        .iter()
        .map(|p| Fate::draw(seed, account, &p.id, noise))
        .collect();
    if noise.every_kind {
        every_kind::force(seed, account, noise, &payouts, &mut fates, today);
    }
    spoiled(account, &payouts, &fates, today)
}

/// Where each deposit starts among `payouts` (sorted) and how many payouts it
/// pays: one, or two merged; a lost payout is a group of one that pays nothing.
fn groups(payouts: &[&Paid], fates: &[Fate]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let (Some(first), Some(fate)) = (payouts.get(i), fates.get(i)) {
        // Two payouts that would cancel out make no deposit: they stay apart.
        let next = payouts
            .get(i + 1)
            .filter(|next| first.net.checked_add(next.net).is_some_and(|sum| sum != 0));
        let len = if !fate.lost && fate.merge && next.is_some() {
            2
        } else {
            1
        };
        out.push((i, len));
        i += len;
    }
    out
}

/// The statement of `payouts` (sorted) with the fates drawn for them.
fn spoiled(account: &str, payouts: &[&Paid], fates: &[Fate], today: NaiveDate) -> Statement {
    let mut out = Statement::default();
    for (start, len) in groups(payouts, fates) {
        let (first, fate) = (payouts[start], &fates[start]);
        if fate.lost {
            out.anomalies.push(Anomaly {
                kind: AnomalyKind::Lost,
                payouts: vec![first.id.clone()],
                line: None,
                on: first.pay_date,
                days: None,
            });
            continue;
        }
        add_deposit(&mut out, account, &payouts[start..start + len], fate);
    }
    out.lines.retain(|l| l.booked <= today);
    out.anomalies.retain(|a| a.on <= today);
    number(&mut out, payouts.first().map(|p| p.currency));
    out
}

/// The deposit for `group` (one payout, or two merged), and the lines and
/// anomalies its fate adds; ids are given later by [`number`].
fn add_deposit(out: &mut Statement, account: &str, group: &[&Paid], fate: &Fate) {
    let currency = group[0].currency;
    let ids: Vec<String> = group.iter().map(|p| p.id.clone()).collect();
    let last_paid = group.iter().map(|p| p.pay_date).max().unwrap_or_default();
    let booked = last_paid + TimeDelta::days(fate.late_days.unwrap_or(0));
    let at = out.lines.len().to_string();
    let mut anomaly = |kind, days| {
        out.anomalies.push(Anomaly {
            kind,
            payouts: ids.clone(),
            line: Some(at.clone()),
            on: booked,
            days,
        })
    };
    if group.len() > 1 {
        anomaly(AnomalyKind::Merged, None);
    }
    if let Some(days) = fate.late_days {
        anomaly(AnomalyKind::Late, Some(days));
    }
    let mut reference = group[0].reference.clone();
    if let Some(truncate) = fate.reference.filter(|_| !reference.is_empty()) {
        reference = spoil(&reference, truncate);
        let kind = if truncate {
            AnomalyKind::ReferenceTruncated
        } else {
            AnomalyKind::ReferenceChanged
        };
        anomaly(kind, None);
    }
    out.lines.push(Line {
        id: at,
        kind: LineKind::Deposit,
        booked,
        amount: group.iter().map(|p| p.net).sum(),
        payer: format!("{} PAYMENTS", account.to_ascii_uppercase()),
        reference,
        payouts: ids.clone(),
    });
    if let Some(fee) = fate.fee {
        push_extra(
            out,
            LineKind::BankFee,
            booked,
            -scaled(fee, currency),
            ("BANK FEE INWARD PAYMENT", ""),
            &ids,
        );
    }
    if let Some((which, amount)) = fate.unrelated {
        push_extra(
            out,
            LineKind::Unrelated,
            booked,
            scaled(amount, currency),
            UNRELATED[which],
            &[],
        );
    }
}

/// A bank fee or an unrelated line, with its anomaly.
fn push_extra(
    out: &mut Statement,
    kind: LineKind,
    booked: NaiveDate,
    amount: i64,
    (payer, reference): (&str, &str),
    payouts: &[String],
) {
    let at = out.lines.len().to_string();
    out.anomalies.push(Anomaly {
        kind: if kind == LineKind::BankFee {
            AnomalyKind::BankFee
        } else {
            AnomalyKind::Unrelated
        },
        payouts: payouts.to_vec(),
        line: Some(at.clone()),
        on: booked,
        days: None,
    });
    out.lines.push(Line {
        id: at,
        kind,
        booked,
        amount,
        payer: payer.to_string(),
        reference: reference.to_string(),
        payouts: payouts.to_vec(),
    });
}

/// Orders the lines by booking date (then as made) and gives each its id,
/// numbered per day, and the anomalies the same ids.
fn number(out: &mut Statement, currency: Option<Currency>) {
    let code = currency.map_or("XXX", Currency::code);
    out.lines.sort_by_key(|l| l.booked);
    let mut renamed = HashMap::with_capacity(out.lines.len());
    let mut day = None;
    let mut n = 0;
    for line in &mut out.lines {
        if day != Some(line.booked) {
            (day, n) = (Some(line.booked), 0);
        }
        n += 1;
        let id = format!("{}-{code}-{n:04}", line.booked.format("%Y%m%d"));
        renamed.insert(std::mem::replace(&mut line.id, id.clone()), id);
    }
    for line in out.anomalies.iter_mut().filter_map(|a| a.line.as_mut()) {
        if let Some(id) = renamed.get(line.as_str()) {
            line.clone_from(id);
        }
    }
    out.anomalies.sort_by_key(|a| a.on);
}

mod every_kind;
#[cfg(test)]
mod tests;
