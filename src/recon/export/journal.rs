//! The per-payout clearing-account journal: what each payout did to the books, as
//! double entries an accountant can import. The gateway holds the merchant's money
//! in a "Gateway clearing" account between a sale and the payout that empties it:
//!
//! - charges' gross: debit clearing, credit "Sales revenue";
//! - releases (part of a capture given back before settlement): against
//!   "Sales revenue" too, since they undo part of a sale;
//! - refunds, dispute debits and dispute reversals: against "Refunds and disputes",
//!   a contra-revenue account, so that revenue stays the gross sold and what went
//!   back is visible on its own (a reversal credits it back);
//! - adjustments, of either sign: "Gateway adjustments", for the accountant to
//!   look at (they are the gateway's own corrections, with no sale behind them);
//! - fee lines' gross and every line's fee and tax on the fee: "Payment fees"
//!   (the memo gives the tax apart, for whoever claims it back);
//! - the payout itself: debit "Bank", credit clearing (a negative payout, money the
//!   gateway took from the bank, the other way round).
//!
//! A kind's lines are one entry per payout and currency (its memo counts them), an
//! entry is a debit row and a credit row of one amount, and a gross of the other
//! sign swaps the two sides. So each payout's entries balance by construction, and
//! clearing nets to zero when the lines add up to the payout. When they do not (or
//! the gateway lists no lines), what is left in clearing goes to "Suspense" with a
//! memo saying why: never a journal that silently does not clear. The gateway's own
//! "payout" lines are not posted: the payout is. Amounts are integer minor units.

use std::collections::BTreeMap;

use super::error::ExportError;
use super::table::{Cell, ExportTable, decimal_text};
use crate::domain::{LineKind, PayoutStatus};
use crate::money::{Currency, Money, MoneyError};
use crate::recon::matching::PayoutWithLines;

pub const CLEARING: &str = "Gateway clearing";
pub const REVENUE: &str = "Sales revenue";
pub const REFUNDS: &str = "Refunds and disputes";
pub const ADJUSTMENTS: &str = "Gateway adjustments";
pub const FEES: &str = "Payment fees";
pub const BANK: &str = "Bank";
pub const SUSPENSE: &str = "Suspense";

pub const JOURNAL_COLUMNS: [&str; 8] = [
    "date", "profile", "payout", "account", "debit", "credit", "currency", "memo",
];

/// A kind's account, and where its entry comes in a payout's.
fn account(kind: LineKind) -> (&'static str, u8) {
    match kind {
        LineKind::Charge => (REVENUE, 0),
        LineKind::Release => (REVENUE, 1),
        LineKind::Refund => (REFUNDS, 2),
        LineKind::Dispute => (REFUNDS, 3),
        LineKind::DisputeReversal => (REFUNDS, 4),
        LineKind::Adjustment => (ADJUSTMENTS, 5),
        LineKind::Fee | LineKind::Payout => (FEES, 6),
    }
}

/// One currency's lines of one payout, added up in minor units.
#[derive(Default)]
struct Sums {
    /// Per kind, in posting order: the kind, its gross and how many lines.
    gross: BTreeMap<u8, (LineKind, i128, usize)>,
    fee: i128,
    fee_tax: i128,
    fee_lines: usize,
}

/// The journal of `payouts` (each with the profile it was synced from), in the
/// order given; an error only for an amount with no exact minor units.
pub fn journal_table(payouts: &[(String, PayoutWithLines)]) -> Result<ExportTable, ExportError> {
    let mut rows = Vec::new();
    for (profile, with) in payouts {
        PayoutEntries::new(profile, with).post(with, &mut rows)?;
    }
    Ok(ExportTable {
        name: "Journal".into(),
        header: JOURNAL_COLUMNS.iter().map(|c| c.to_string()).collect(),
        rows,
    })
}

/// One payout's entries being made.
struct PayoutEntries<'a> {
    profile: &'a str,
    id: &'a str,
    date: chrono::NaiveDate,
}

impl<'a> PayoutEntries<'a> {
    fn new(profile: &'a str, with: &'a PayoutWithLines) -> Self {
        let p = &with.payout;
        PayoutEntries {
            profile,
            id: &p.id,
            date: p.arrival.unwrap_or_else(|| p.created.date_naive()),
        }
    }

    fn minor(&self, money: Money) -> Result<i128, ExportError> {
        money
            .to_minor()
            .map(i128::from)
            .map_err(|why| self.error(why))
    }

    fn error(&self, why: MoneyError) -> ExportError {
        ExportError::Amount {
            about: format!("payout {}", self.id),
            why,
        }
    }

    fn post(&self, with: &PayoutWithLines, rows: &mut Vec<Vec<Cell>>) -> Result<(), ExportError> {
        let payout = &with.payout;
        let mut per_currency: BTreeMap<Currency, Sums> = BTreeMap::new();
        per_currency.entry(payout.amount.currency).or_default();
        let posted = with.lines.iter().filter(|l| l.kind != LineKind::Payout);
        for line in posted {
            let a = &line.amounts;
            // A line's fee in another currency than its gross is its own currency's.
            let sums = per_currency.entry(a.gross.currency).or_default();
            let order = account(line.kind).1;
            let (_, gross, count) = sums.gross.entry(order).or_insert((line.kind, 0, 0));
            *gross += self.minor(a.gross)?;
            *count += 1;
            let (fee, fee_tax) = (self.minor(a.fee)?, self.minor(a.fee_tax)?);
            let sums = per_currency.entry(a.fee.currency).or_default();
            sums.fee += fee;
            sums.fee_lines += usize::from(fee != 0 || fee_tax != 0);
            per_currency.entry(a.fee_tax.currency).or_default().fee_tax += fee_tax;
        }
        for (currency, sums) in &per_currency {
            let mut clearing: i128 = 0;
            for (kind, gross, count) in sums.gross.values() {
                let memo = format!("{count} {}", plural(kind.label(), *count));
                self.entry(
                    rows,
                    *currency,
                    account(*kind).0,
                    *gross,
                    memo,
                    &mut clearing,
                )?;
            }
            let fees = sums.fee + sums.fee_tax;
            let mut memo = format!(
                "fees on {} {}",
                sums.fee_lines,
                plural("line", sums.fee_lines)
            );
            if sums.fee_tax != 0 {
                memo += &format!(
                    ": fee {}, tax on fees {}",
                    self.text(sums.fee, *currency)?,
                    self.text(sums.fee_tax, *currency)?
                );
            }
            self.entry(rows, *currency, FEES, -fees, memo, &mut clearing)?;
            let paid = if *currency == payout.amount.currency {
                self.minor(payout.amount)?
            } else {
                0
            };
            let memo = match &payout.status {
                PayoutStatus::Paid => "payout to the bank".to_string(),
                other => format!("payout to the bank ({})", other.label()),
            };
            self.entry(rows, *currency, BANK, -paid, memo, &mut clearing)?;
            if clearing != 0 {
                let memo = if *currency != payout.amount.currency {
                    format!(
                        "lines in {currency} in a payout in {}: they are in suspense",
                        payout.amount.currency
                    )
                } else if with.lines.is_empty() {
                    "the gateway lists no lines for this payout: all of it is in suspense"
                        .to_string()
                } else {
                    format!(
                        "the lines add up to {} but the payout is {}: the difference is in suspense",
                        self.text(clearing + paid, *currency)?,
                        self.text(paid, *currency)?
                    )
                };
                let left = clearing;
                self.entry(rows, *currency, SUSPENSE, -left, memo, &mut clearing)?;
            }
        }
        Ok(())
    }

    /// An entry moving `into_clearing` from `account` into clearing (out of it when
    /// negative): a debit row and a credit row; nothing for zero.
    fn entry(
        &self,
        rows: &mut Vec<Vec<Cell>>,
        currency: Currency,
        account: &str,
        into_clearing: i128,
        memo: String,
        clearing: &mut i128,
    ) -> Result<(), ExportError> {
        if into_clearing == 0 {
            return Ok(());
        }
        *clearing += into_clearing;
        let (debit, credit) = if into_clearing > 0 {
            (CLEARING, account)
        } else {
            (account, CLEARING)
        };
        let minor = self.fit(into_clearing.abs())?;
        let amount = Cell::Money { minor, currency };
        let row = |account: &str, debit: Cell, credit: Cell| {
            vec![
                Cell::Date(self.date),
                Cell::text(self.profile),
                Cell::text(self.id),
                Cell::text(account),
                debit,
                credit,
                Cell::text(currency.code()),
                Cell::text(memo.clone()),
            ]
        };
        rows.push(row(debit, amount.clone(), Cell::Empty));
        rows.push(row(credit, Cell::Empty, amount));
        Ok(())
    }

    /// A sum back in an `i64` of minor units, or the error that it is too large.
    fn fit(&self, minor: i128) -> Result<i64, ExportError> {
        i64::try_from(minor).map_err(|_| ExportError::TooLarge {
            about: format!("payout {}", self.id),
        })
    }

    fn text(&self, minor: i128, currency: Currency) -> Result<String, ExportError> {
        Ok(decimal_text(self.fit(minor)?, currency))
    }
}

fn plural(word: &str, count: usize) -> String {
    if count == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
#[path = "journal_tests.rs"]
mod tests;
