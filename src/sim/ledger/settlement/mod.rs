//! The settlement engine, gateway-neutral like the rest of the ledger: what each
//! gateway keeps as fees ([`fees`]), when batches are cut and paid
//! ([`schedule`], the `--payout-schedule` flag), and how movements of money
//! (charges, refunds, disputes...) are grouped into payouts ([`payouts`]). It is
//! pure: nothing here reads the clock or the ledger; the ledger's books use it
//! to record movements and close batches (issue 13; the design is in
//! docs/trx-gateway.md, "Settlement batches, fees and the balance").

pub mod fees;
pub mod payouts;
pub mod schedule;

use std::fmt;

pub use fees::{CardClass, Fee, FeeModel, FeeRule, FeeTax};
pub use payouts::{MAX_WINDOW_DAYS, Movement, MovementKind, Payout, cutoffs, make_payouts};
pub use schedule::{Cadence, Schedule, ScheduleError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettlementError {
    /// An amount or a total does not fit in an `i64` of minor units.
    Overflow,
    /// More days of cut-offs asked for at once than [`MAX_WINDOW_DAYS`].
    WindowTooLong,
}

impl fmt::Display for SettlementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettlementError::Overflow => f.write_str("amount too large to settle"),
            SettlementError::WindowTooLong => write!(
                f,
                "settlement window longer than {MAX_WINDOW_DAYS} days; advance the clock in smaller steps"
            ),
        }
    }
}

impl std::error::Error for SettlementError {}

#[cfg(test)]
mod tests;
