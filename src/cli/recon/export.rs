//! `paydeck recon export`: the session's exceptions, its per-payout clearing journal
//! and (once signed off) its summary, as CSV files or one XLSX workbook in a directory.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::context::Worked;
use super::{Recon, ReconError, atomic};
use crate::recon::export::{
    ExportError, ExportTable, exceptions_table, journal_table, summary_table, write_csv, write_xlsx,
};
use crate::store::sessions::{ItemKind, ItemRef};

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
    pub format: ExportFormat,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

fn failed(e: ExportError) -> ReconError {
    ReconError::Failed(e.to_string())
}

/// The session's name as a file name: letters, digits, `-` and `_` kept.
fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

pub fn export(recon: &mut Recon, args: &ExportArgs) -> Result<(), ReconError> {
    let (summary, Worked { board, inputs, .. }) = recon.work(&args.name)?;
    // The journal covers the payouts the board shows, from the store that holds each.
    let shown: BTreeSet<&ItemRef> = board.payouts.iter().map(|p| &p.item).collect();
    let payouts: Vec<_> = inputs
        .iter()
        .flat_map(|p| p.payouts.iter().map(move |w| (p.profile.clone(), w)))
        .filter(|(profile, w)| {
            shown.contains(&ItemRef::of(ItemKind::Payout, profile, &w.payout.id))
        })
        .map(|(profile, w)| (profile, w.clone()))
        .collect();
    let mut tables = vec![
        exceptions_table(&board).map_err(failed)?,
        journal_table(&payouts).map_err(failed)?,
    ];
    match &summary.signed_off {
        Some(by) => tables.push(summary_table(&board, by).map_err(failed)?),
        None => eprintln!(
            "paydeck recon: {:?} is not signed off: no summary is written until it is",
            summary.name
        ),
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| ReconError::Failed(format!("cannot create {}: {e}", args.out.display())))?;
    let stem = file_stem(&summary.name);
    let files: Vec<(PathBuf, Vec<u8>)> = match args.format {
        ExportFormat::Xlsx => {
            let bytes = write_xlsx(&tables, Vec::new()).map_err(failed)?;
            vec![(args.out.join(format!("{stem}.xlsx")), bytes)]
        }
        ExportFormat::Csv => tables
            .iter()
            .map(|t: &ExportTable| {
                let bytes = write_csv(t, Vec::new()).map_err(failed)?;
                let name = format!("{stem}-{}.csv", t.name.to_lowercase());
                Ok((args.out.join(name), bytes))
            })
            .collect::<Result<_, ReconError>>()?,
    };
    for (path, bytes) in &files {
        write(path, bytes)?;
        super::out(&path.display().to_string())?;
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ReconError> {
    atomic::write(path, bytes)
        .map_err(|e| ReconError::Failed(format!("cannot write {}: {e}", path.display())))
}
