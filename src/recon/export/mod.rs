//! The reconciliation's exports, as CSV and XLSX: neutral tables (`table`) built
//! from the reconciliation (the per-payout clearing journal, the exceptions queue and
//! the signed-off summary), and writers that stream them out with every text cell
//! guarded against formula injection.

mod crc32;
mod csv_out;
mod error;
mod guard;
mod journal;
mod session_files;
mod summary;
mod table;
mod xlsx;
mod zip;

pub use crc32::crc32;
pub use csv_out::{CsvRows, write_csv};
pub use error::ExportError;
pub use guard::{guarded, needs_guard};
pub use journal::{
    ADJUSTMENTS, BANK, CLEARING, FEES, JOURNAL_COLUMNS, REFUNDS, REVENUE, SUSPENSE, journal_table,
};
pub use session_files::{ExportFile, ExportFormat, file_stem, session_files, write_into};
pub use summary::{EXCEPTION_COLUMNS, SUMMARY_COLUMNS, exceptions_table, summary_table};
pub use table::{Cell, ExportTable, decimal_text};
pub use xlsx::write_xlsx;
