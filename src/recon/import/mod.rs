//! Reading a bank statement file: CSV through a column mapping, OFX (1 and 2)
//! and camt.053, each into the same [`Statement`]. Bounded: files over
//! [`MAX_FILE_BYTES`] and lines over [`MAX_LINE_BYTES`] are refused, XML is
//! read without DTDs or custom entities and at most [`xml::MAX_DEPTH`] deep.
//! Every refusal is an [`ImportError`] naming the file, the line (or element)
//! and what to do.

pub mod camt053;
pub mod csv;
pub mod dedupe;
pub mod error;
pub mod guess;
pub mod mapping;
pub mod ofx;
pub mod text;
mod xml;

use std::io::Read;
use std::path::Path;

pub use dedupe::{LineIdentity, Sorted, identities, sort_new};
pub use error::{ImportError, Location, Problem};
pub use guess::{MappingGuess, guess_mapping};
pub use mapping::CsvMapping;

use crate::recon::statement::Statement;

/// Larger than a year of a busy account's statement; anything bigger is
/// refused before it is read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Longer than any statement line (or XML text) a bank writes.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// How to read a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    Csv(CsvMapping),
    Ofx,
    Camt053,
}

/// What a file looks like it is, from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detected {
    Csv,
    Ofx,
    Camt053,
}

/// A guess of the format from the start of the file: OFX has `OFXHEADER` or
/// `<OFX>`, camt.053 has `BkToCstmrStmt`; anything else is taken for CSV.
pub fn detect(bytes: &[u8]) -> Detected {
    let head = text::decode(&bytes[..bytes.len().min(4096)]).into_owned();
    if head.contains("OFXHEADER") || head.contains("<OFX>") {
        Detected::Ofx
    } else if head.contains("BkToCstmrStmt") || head.contains("camt.053") {
        Detected::Camt053
    } else {
        Detected::Csv
    }
}

fn too_large(file: &str, size: u64) -> ImportError {
    ImportError::new(
        file,
        Location::File,
        Problem::TooLarge,
        format!(
            "the file is {} MiB; statements over {} MiB are refused: export a shorter period",
            size.div_ceil(1024 * 1024),
            MAX_FILE_BYTES / 1024 / 1024
        ),
    )
}

/// The statement in `bytes`, the content of the file named `file` (the name
/// is only for messages).
pub fn parse(file: &str, bytes: &[u8], format: &Format) -> Result<Statement, ImportError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(file, bytes.len() as u64));
    }
    let text = text::decode(bytes);
    match format {
        Format::Csv(mapping) => csv::parse(file, &text, mapping),
        Format::Ofx => ofx::parse(file, &text),
        Format::Camt053 => camt053::parse(file, &text),
    }
}

/// The bytes of the file at `path`, refused past [`MAX_FILE_BYTES`] without
/// reading more than that.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, ImportError> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| {
        ImportError::new(
            &name,
            Location::File,
            Problem::Io,
            format!("cannot read it: {e}"),
        )
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(too_large(&name, size));
    }
    Ok(bytes)
}

/// The statement in the file at `path`.
pub fn import_file(path: &Path, format: &Format) -> Result<Statement, ImportError> {
    let bytes = read_bounded(path)?;
    parse(&path.display().to_string(), &bytes, format)
}
