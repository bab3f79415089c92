//! A session's export files, the same from `paydeck recon export` and the screen's
//! `:export`: the exceptions, the per-payout clearing journal of the payouts the board
//! shows and, once signed off, the summary; one CSV file per table or one workbook.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{ExportError, exceptions_table, journal_table, summary_table, write_csv, write_xlsx};
use crate::recon::session::{Board, ProfileInputs};
use crate::store::sessions::{ItemKind, ItemRef};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

/// One file to write: its name in the directory, and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The session's name as a file name: letters, digits, `-` and `_` kept.
pub fn file_stem(name: &str) -> String {
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

/// `NAME-exceptions.csv`, `NAME-journal.csv` and `NAME-summary.csv` (the last once
/// signed off), or `NAME.xlsx` with a sheet each.
pub fn session_files(
    board: &Board,
    inputs: &[ProfileInputs],
    format: ExportFormat,
) -> Result<Vec<ExportFile>, ExportError> {
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
    let mut tables = vec![exceptions_table(board)?, journal_table(&payouts)?];
    if let Some(by) = &board.summary.signed_off {
        tables.push(summary_table(board, by)?);
    }
    let stem = file_stem(&board.summary.name);
    Ok(match format {
        ExportFormat::Xlsx => vec![ExportFile {
            name: format!("{stem}.xlsx"),
            bytes: write_xlsx(&tables, Vec::new())?,
        }],
        ExportFormat::Csv => tables
            .iter()
            .map(|t| {
                Ok(ExportFile {
                    name: format!("{stem}-{}.csv", t.name.to_lowercase()),
                    bytes: write_csv(t, Vec::new())?,
                })
            })
            .collect::<Result<_, ExportError>>()?,
    })
}

/// Writes `files` into `dir` (made if need be), each whole or not at all; the paths
/// written, in order.
pub fn write_into(dir: &Path, files: &[ExportFile]) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    files
        .iter()
        .map(|f| {
            let path = dir.join(&f.name);
            crate::atomic_file::write(&path, &f.bytes)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            Ok(path)
        })
        .collect()
}
