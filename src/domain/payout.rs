//! Payouts: what a gateway sent to the merchant's bank, and the balance lines (charges,
//! refunds, fees, dispute debits...) it was made of, with the check that each line's
//! gross less its fee and the tax on that fee is its net, to the cent.

use std::collections::BTreeMap;

use super::raw::RawJson;
use chrono::{DateTime, NaiveDate, Utc};

use crate::money::{Currency, Money, MoneyError};

/// A payout's state, the same words whatever the gateway calls it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayoutStatus {
    Pending,
    InTransit,
    Paid,
    Failed,
    Canceled,
    /// A word the gateway used that we do not know, kept as it came.
    Other(String),
}

impl PayoutStatus {
    pub fn label(&self) -> &str {
        match self {
            PayoutStatus::Pending => "pending",
            PayoutStatus::InTransit => "in transit",
            PayoutStatus::Paid => "paid",
            PayoutStatus::Failed => "failed",
            PayoutStatus::Canceled => "canceled",
            PayoutStatus::Other(s) => s,
        }
    }
}

/// The bank account a payout went to, masked: never more than the last four digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankAccountSummary {
    pub bank_name: Option<String>,
    pub last4: String,
}

/// Money a gateway sent to (or, when negative, took from) the merchant's bank.
#[derive(Debug, Clone, PartialEq)]
pub struct Payout {
    pub id: String,
    pub status: PayoutStatus,
    /// What the bank receives; negative for a debit.
    pub amount: Money,
    pub created: DateTime<Utc>,
    /// When it reaches (or reached) the bank, where the gateway says.
    pub arrival: Option<NaiveDate>,
    /// What the bank statement shows to match the deposit: a trace id or reference.
    pub bank_reference: Option<String>,
    pub statement_descriptor: Option<String>,
    pub bank_account: Option<BankAccountSummary>,
    /// Made by the gateway's schedule rather than asked for, where the gateway says.
    pub automatic: Option<bool>,
    /// How many balance lines it was made of, where the gateway says.
    pub line_count: Option<u64>,
    pub raw: RawJson,
}

/// What moved money inside a payout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKind {
    Charge,
    Refund,
    /// Authorised money let go, where the gateway books it.
    Release,
    Dispute,
    DisputeReversal,
    Fee,
    Adjustment,
    Payout,
}

impl LineKind {
    pub fn label(self) -> &'static str {
        match self {
            LineKind::Charge => "charge",
            LineKind::Refund => "refund",
            LineKind::Release => "release",
            LineKind::Dispute => "dispute",
            LineKind::DisputeReversal => "dispute reversal",
            LineKind::Fee => "fee",
            LineKind::Adjustment => "adjustment",
            LineKind::Payout => "payout",
        }
    }
}

/// The four amounts of a balance line, or of many lines of one currency added up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineAmounts {
    pub gross: Money,
    pub fee: Money,
    /// Tax on the fee (GST, IVA), kept apart from the fee; zero where there is none.
    pub fee_tax: Money,
    pub net: Money,
}

/// Whether `gross − fee − fee_tax = net`: an answer to show, never a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetCheck {
    Holds,
    /// The stated net is not what the other three make.
    Off {
        stated: Money,
        computed: Money,
    },
    /// The amounts cannot be combined: mixed currencies, or too large.
    Unreadable(MoneyError),
}

impl LineAmounts {
    pub fn zero(currency: Currency) -> LineAmounts {
        let zero = Money::zero(currency);
        LineAmounts {
            gross: zero,
            fee: zero,
            fee_tax: zero,
            net: zero,
        }
    }

    pub fn currency(&self) -> Currency {
        self.gross.currency
    }

    pub fn net_check(&self) -> NetCheck {
        let computed = self
            .gross
            .checked_sub(self.fee)
            .and_then(|m| m.checked_sub(self.fee_tax));
        match computed {
            Err(error) => NetCheck::Unreadable(error),
            Ok(computed) if computed.currency != self.net.currency => NetCheck::Unreadable(
                MoneyError::CurrencyMismatch(computed.currency, self.net.currency),
            ),
            Ok(computed) if computed.amount == self.net.amount => NetCheck::Holds,
            Ok(computed) => NetCheck::Off {
                stated: self.net,
                computed,
            },
        }
    }

    pub fn checks(&self) -> bool {
        self.net_check() == NetCheck::Holds
    }

    /// Each amount added to its own; an error for mixed currencies or an overflow.
    pub fn checked_add(self, other: LineAmounts) -> Result<LineAmounts, MoneyError> {
        Ok(LineAmounts {
            gross: self.gross.checked_add(other.gross)?,
            fee: self.fee.checked_add(other.fee)?,
            fee_tax: self.fee_tax.checked_add(other.fee_tax)?,
            net: self.net.checked_add(other.net)?,
        })
    }
}

/// One movement inside a payout.
#[derive(Debug, Clone, PartialEq)]
pub struct BalanceLine {
    pub kind: LineKind,
    /// The object that moved the money (`ch_…`, `re_…`, `dp_…`), where the gateway says.
    pub source_id: Option<String>,
    /// The charge to jump to from this line, whatever its kind.
    pub charge_id: Option<String>,
    pub amounts: LineAmounts,
    pub occurred: DateTime<Utc>,
    pub raw: RawJson,
}

impl BalanceLine {
    pub fn net_check(&self) -> NetCheck {
        self.amounts.net_check()
    }
}

/// Lines added up per currency, for a payout's totals row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineTotals {
    per_currency: BTreeMap<Currency, LineAmounts>,
}

impl LineTotals {
    /// The sums, or why they cannot be made (a line mixing currencies, an overflow).
    pub fn of<'a>(lines: impl IntoIterator<Item = &'a BalanceLine>) -> Result<Self, MoneyError> {
        let mut per_currency = BTreeMap::new();
        for line in lines {
            let currency = line.amounts.currency();
            let sum = per_currency
                .get(&currency)
                .copied()
                .unwrap_or_else(|| LineAmounts::zero(currency));
            per_currency.insert(currency, sum.checked_add(line.amounts)?);
        }
        Ok(LineTotals { per_currency })
    }

    /// The sums of each currency, ordered by currency code.
    pub fn currencies(&self) -> impl Iterator<Item = &LineAmounts> {
        self.per_currency.values()
    }

    pub fn of_currency(&self, currency: Currency) -> Option<&LineAmounts> {
        self.per_currency.get(&currency)
    }

    /// Whether every currency's totals hold the net check.
    pub fn checks(&self) -> bool {
        self.currencies().all(LineAmounts::checks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amounts(gross: i64, fee: i64, fee_tax: i64, net: i64, currency: Currency) -> LineAmounts {
        LineAmounts {
            gross: Money::from_minor(gross, currency),
            fee: Money::from_minor(fee, currency),
            fee_tax: Money::from_minor(fee_tax, currency),
            net: Money::from_minor(net, currency),
        }
    }

    fn line(kind: LineKind, amounts: LineAmounts) -> BalanceLine {
        BalanceLine {
            kind,
            source_id: None,
            charge_id: None,
            amounts,
            occurred: DateTime::<Utc>::UNIX_EPOCH,
            raw: RawJson::default(),
        }
    }

    #[test]
    fn the_net_check_holds_to_the_cent_and_fails_by_one() {
        // AUD 100.00 with a fee of 1.75 and GST of 0.18 on it nets 98.07.
        assert_eq!(
            amounts(10000, 175, 18, 9807, Currency::AUD).net_check(),
            NetCheck::Holds
        );
        assert_eq!(
            amounts(10000, 175, 18, 9808, Currency::AUD).net_check(),
            NetCheck::Off {
                stated: Money::from_minor(9808, Currency::AUD),
                computed: Money::from_minor(9807, Currency::AUD),
            }
        );
    }

    #[test]
    fn mixed_currencies_are_an_answer_not_a_panic() {
        let mut mixed = amounts(10000, 175, 0, 9825, Currency::AUD);
        mixed.fee = Money::from_minor(175, Currency::USD);
        assert_eq!(
            mixed.net_check(),
            NetCheck::Unreadable(MoneyError::CurrencyMismatch(Currency::AUD, Currency::USD))
        );
        let mut net_elsewhere = amounts(10000, 175, 0, 9825, Currency::AUD);
        net_elsewhere.net = Money::from_minor(9825, Currency::USD);
        assert!(!net_elsewhere.checks());
    }

    #[test]
    fn zero_and_three_decimal_currencies_check_exactly() {
        // JPY has no minor unit: ¥10,000 less ¥360 fee and ¥36 tax is ¥9,604.
        assert!(amounts(10000, 360, 36, 9604, Currency::JPY).checks());
        assert!(!amounts(10000, 360, 36, 9605, Currency::JPY).checks());
        // KWD has three: 12.345 less 0.351 and 0.035 is 11.959.
        assert!(amounts(12345, 351, 35, 11959, Currency::KWD).checks());
        assert!(!amounts(12345, 351, 35, 11958, Currency::KWD).checks());
    }

    #[test]
    fn totals_sum_lines_per_currency_exactly() {
        // Ten lines of 0.10 gross: a float would make 0.9999999999999999.
        let mut lines: Vec<_> = (0..10)
            .map(|_| line(LineKind::Charge, amounts(10, 1, 0, 9, Currency::AUD)))
            .collect();
        lines.push(line(
            LineKind::Refund,
            amounts(-300, 0, 0, -300, Currency::AUD),
        ));
        lines.push(line(
            LineKind::Charge,
            amounts(12345, 351, 35, 11959, Currency::KWD),
        ));
        lines.push(line(LineKind::Fee, amounts(0, 1, 1, -2, Currency::KWD)));
        let totals = LineTotals::of(&lines).unwrap();
        assert_eq!(
            totals.of_currency(Currency::AUD),
            Some(&amounts(-200, 10, 0, -210, Currency::AUD))
        );
        assert_eq!(
            totals.of_currency(Currency::KWD),
            Some(&amounts(12345, 352, 36, 11957, Currency::KWD))
        );
        assert_eq!(totals.currencies().count(), 2);
        assert!(totals.checks());
    }

    #[test]
    fn totals_say_when_a_line_is_off_or_mixes_currencies() {
        let good = line(
            LineKind::Charge,
            amounts(10000, 175, 18, 9807, Currency::AUD),
        );
        let off = line(
            LineKind::Charge,
            amounts(5000, 100, 10, 4891, Currency::AUD),
        );
        assert!(!LineTotals::of([&good, &off]).unwrap().checks());
        let mut mixed = good.clone();
        mixed.amounts.fee = Money::from_minor(175, Currency::USD);
        assert_eq!(
            LineTotals::of([&good, &mixed]),
            Err(MoneyError::CurrencyMismatch(Currency::AUD, Currency::USD))
        );
    }
}
