//! The merchant's bank, as the simulator plays it for reconciliation tests and
//! demos (issue 13): the deposits each dialect's payouts made, as a statement in
//! CSV, OFX 2 or camt.053 ([`statement`], [`csv`], [`ofx`], [`camt053`]), with
//! the noise real statements have at the rates of `--bank-noise` ([`noise`]),
//! and the truth about every bit of noise. The admin routes serve them
//! (`/_sim/bank/statement`, `/_sim/bank/truth`).

pub mod camt053;
pub mod csv;
pub mod noise;
pub mod ofx;
pub mod statement;
mod text;

use chrono::{DateTime, Utc};

pub use noise::{BankNoise, BankNoiseError};
pub use statement::{Anomaly, AnomalyKind, Line, LineKind, Paid, Statement};

use super::ledger::MadePayout;

/// What a statement is about: one dialect's account in one currency, the
/// lines from `from` to `to` (inclusive) and the balance around them.
#[derive(Debug)]
pub struct Account<'a> {
    /// The dialect's name, lower case (`trx`).
    pub dialect: &'a str,
    pub currency: crate::money::Currency,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    /// When the statement is made (the ledger's clock).
    pub now: DateTime<Utc>,
    /// The balance before the first line of the range.
    pub opening: i64,
    /// The lines in the range, oldest first.
    pub lines: &'a [Line],
}

impl Account<'_> {
    /// The balance after the last line of the range.
    pub fn closing(&self) -> i64 {
        self.lines
            .iter()
            .fold(self.opening, |b, l| b.saturating_add(l.amount))
    }
}

/// How a dialect names a payout to its clients: its id, the reference the
/// gateway says the bank statement shows, and the day it says the money arrives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayoutName {
    pub id: String,
    pub reference: String,
    /// The pay date in the dialect's own zone, which is the merchant's bank's
    /// (Openpay's Mexico City): the day the bank books the deposit.
    pub pay_day: chrono::NaiveDate,
}

impl PayoutName {
    /// `made`'s `id` with the reference `reference` makes of it, paid on its UTC date.
    pub fn of(made: &MadePayout, id: String, reference: impl Fn(&str) -> String) -> PayoutName {
        PayoutName {
            reference: reference(&id),
            pay_day: made.payout.pay_date.date_naive(),
            id,
        }
    }
}

/// A dialect's [`PayoutName`] for a payout of its ledger, for a seed.
pub type NamePayout = fn(u64, &MadePayout) -> PayoutName;

/// The names of a dialect that does not serve its payouts yet: the currency
/// and the cut-off date (`po_AUD_20261130`, `PAYOUT AUD 20261130`).
pub fn plain_payout_name(_seed: u64, made: &MadePayout) -> PayoutName {
    let p = &made.payout;
    let day = p.cutoff.format("%Y%m%d");
    let cur = p.currency.code();
    PayoutName {
        id: format!("po_{cur}_{day}"),
        reference: format!("PAYOUT {cur} {day}"),
        pay_day: p.pay_date.date_naive(),
    }
}
