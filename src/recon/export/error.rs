//! Why an export could not be written.

use crate::money::MoneyError;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not write the export: {0}")]
    Io(#[from] std::io::Error),
    /// The table does not fit the format, or its rows do not fit its header.
    #[error("{0}")]
    Shape(String),
    /// An amount with no exact integer of minor units (more decimals than its
    /// currency has, or too large).
    #[error("payout {payout}: {why}")]
    Amount { payout: String, why: MoneyError },
    #[error("payout {payout}: its amounts add up to more than an export can hold")]
    TooLarge { payout: String },
}
