//! `paydeck recon export`: the session's exceptions, its per-payout clearing journal
//! and (once signed off) its summary, as CSV files or one XLSX workbook in a directory.

use std::path::PathBuf;

use super::context::Worked;
use super::{Recon, ReconError};
use crate::recon::export::{ExportFormat, session_files, write_into};

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The session's name.
    pub name: String,
    /// The directory to write into (made if need be); files of the same name are
    /// replaced whole.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// csv: NAME-exceptions.csv, NAME-journal.csv, NAME-summary.csv; xlsx: NAME.xlsx
    /// with a sheet each. The summary is written once the session is signed off.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

pub fn export(recon: &mut Recon, args: &ExportArgs) -> Result<(), ReconError> {
    let (summary, Worked { board, inputs, .. }) = recon.work(&args.name)?;
    if summary.signed_off.is_none() {
        eprintln!(
            "paydeck recon: {:?} is not signed off: no summary is written until it is",
            summary.name
        );
    }
    let format = match args.format {
        Format::Csv => ExportFormat::Csv,
        Format::Xlsx => ExportFormat::Xlsx,
    };
    let files =
        session_files(&board, &inputs, format).map_err(|e| ReconError::Failed(e.to_string()))?;
    for path in write_into(&args.out, &files).map_err(ReconError::Failed)? {
        super::out(&path.display().to_string())?;
    }
    Ok(())
}
