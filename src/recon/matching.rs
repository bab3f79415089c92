//! What auto-match reads and what it answers: pure data, so that a session store can
//! persist the answer and a screen can show it. Deposits are named by their index in
//! the statement lines given; payouts and charges by the gateway's id.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::business_days::Window;
use super::fee_band::FeeBand;
use super::statement::StatementLine;
use crate::domain::{BalanceLine, Payout};
use crate::money::Money;

/// What auto-match may assume; every bound it uses is here.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchConfig {
    /// Where a deposit may be booked around its payout's arrival date.
    pub window: Window,
    /// How long after its capture a charge may stay out of every payout.
    pub settlement_delay: TimeDelta,
    /// The largest fee a bank takes on an incoming payment, in major units of the
    /// payout's currency (a payout less more than this is not proposed).
    pub max_bank_fee: Decimal,
    /// The most payouts one deposit is proposed as the sum of.
    pub max_merged: usize,
    /// The gateway's fees, for the fee outliers; none checks no fee.
    pub fee_band: Option<FeeBand>,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            window: Window::default(),
            settlement_delay: TimeDelta::days(7),
            max_bank_fee: Decimal::new(25, 0),
            max_merged: 3,
            fee_band: None,
        }
    }
}

/// A payout with the balance lines it was made of (empty where the gateway does
/// not list them).
#[derive(Clone, Debug, PartialEq)]
pub struct PayoutWithLines {
    pub payout: Payout,
    pub lines: Vec<BalanceLine>,
}

/// A captured charge that no payout holds yet.
#[derive(Clone, Debug, PartialEq)]
pub struct UnpaidCharge {
    pub id: String,
    pub amount: Money,
    pub captured: DateTime<Utc>,
}

/// Everything one auto-match reads.
#[derive(Clone, Copy, Debug)]
pub struct MatchInput<'a> {
    pub lines: &'a [StatementLine],
    pub payouts: &'a [PayoutWithLines],
    pub unpaid: &'a [UnpaidCharge],
    /// The first day the statement covers: payouts whose window ends before it are
    /// not looked for on it.
    pub from: NaiveDate,
    /// The day the statement was made: a payout is missing only once its window
    /// has closed by then.
    pub as_of: NaiveDate,
}

/// How a match was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// 1: the bank's text names the payout, and the amounts are equal.
    Reference,
    /// 2: the only payout of that exact amount within the date window.
    Amount,
}

impl Tier {
    pub fn number(self) -> u8 {
        match self {
            Tier::Reference => 1,
            Tier::Amount => 2,
        }
    }
}

/// A deposit matched to one payout, accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub deposit: usize,
    pub payout: String,
    pub tier: Tier,
    pub why: String,
}

/// What a proposal (tier 3) says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProposalKind {
    /// The deposit is the sum of several payouts.
    Merged,
    /// The deposit is one payout less a bank fee taken from it.
    LessFee { fee: Money },
    /// The line is a fee the bank charged for the deposit `deposit`.
    BankFeeLine { fee_line: usize },
}

/// A match auto-match suggests and never accepts: the operator accepts it (state
/// `proposed`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub kind: ProposalKind,
    pub deposit: usize,
    /// Sorted.
    pub payouts: Vec<String>,
    pub why: String,
}

impl Proposal {
    /// The statement line the proposal is about: the fee line for a bank fee.
    pub fn line(&self) -> usize {
        match self.kind {
            ProposalKind::BankFeeLine { fee_line } => fee_line,
            _ => self.deposit,
        }
    }
}

/// What an exception is about; the order is the queue's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExceptionKind {
    /// A bank line that no payout explains.
    DepositWithoutPayout,
    /// A payout whose deposit window closed with no deposit.
    PayoutWithoutDeposit,
    /// A deposit booked after its payout's arrival date.
    LateDeposit,
    /// The bank cut the payout's reference short.
    ReferenceTruncated,
    /// The bank's reference is not the payout's.
    ReferenceChanged,
    /// A payout whose lines do not add up to it, or a line whose net does not hold.
    LinesDoNotAddUp,
    /// A captured charge in no payout after the settlement delay.
    ChargeNotPaidOut,
    /// A charge's fee outside the gateway's fee band.
    FeeOutlier,
    DisputeDebit,
    /// A charge refunded by more than was captured.
    RefundOverCapture,
}

impl ExceptionKind {
    pub fn name(self) -> &'static str {
        match self {
            ExceptionKind::DepositWithoutPayout => "deposit_without_payout",
            ExceptionKind::PayoutWithoutDeposit => "payout_without_deposit",
            ExceptionKind::LateDeposit => "late_deposit",
            ExceptionKind::ReferenceTruncated => "reference_truncated",
            ExceptionKind::ReferenceChanged => "reference_changed",
            ExceptionKind::LinesDoNotAddUp => "lines_do_not_add_up",
            ExceptionKind::ChargeNotPaidOut => "charge_not_paid_out",
            ExceptionKind::FeeOutlier => "fee_outlier",
            ExceptionKind::DisputeDebit => "dispute_debit",
            ExceptionKind::RefundOverCapture => "refund_over_capture",
        }
    }
}

/// One item of the exceptions queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    pub kind: ExceptionKind,
    /// Statement lines, by index.
    pub deposits: Vec<usize>,
    /// Sorted.
    pub payouts: Vec<String>,
    pub charges: Vec<String>,
    pub amount: Money,
    pub why: String,
}

/// Auto-match's answer, each list in a fixed order (by deposit, then payout).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatchOutcome {
    pub matches: Vec<Match>,
    pub proposals: Vec<Proposal>,
    pub exceptions: Vec<Exception>,
    /// Payouts with no deposit yet whose window is still open, oldest first.
    pub awaiting: Vec<String>,
}
