//! What became of a captured charge's money: the fee the gateway kept (and the tax on
//! it), what was left for the merchant, and the payout that carried it to the bank.

use chrono::NaiveDate;

use super::payout::LineAmounts;

/// Where a charge's money is on its way to the bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayoutPlace {
    /// In this payout (its id, to open it).
    PaidOut { payout_id: String },
    /// Not in a payout yet; `expected_by` where the gateway says when it will be.
    NotYet { expected_by: Option<NaiveDate> },
    /// The gateway does not say (or the charge was never captured).
    Unknown,
}

/// A charge's fee, net and payout, as far as its gateway tells.
#[derive(Debug, Clone, PartialEq)]
pub struct ChargeSettlement {
    /// Gross, fee, tax on the fee and net; `None` until the gateway has charged its fee.
    pub amounts: Option<LineAmounts>,
    pub payout: PayoutPlace,
}
