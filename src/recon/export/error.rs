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
    /// currency has, or too large); `about` names what it belongs to.
    #[error("{about}: {why}")]
    Amount { about: String, why: MoneyError },
    #[error("{about}: its amounts add up to more than an export can hold")]
    TooLarge { about: String },
}
