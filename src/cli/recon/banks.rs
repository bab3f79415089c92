//! Each bank's CSV column mapping, chosen once and saved as
//! `<data dir>/banks/<BANK>.toml` (written whole or not at all).

use std::io::Read;
use std::path::{Path, PathBuf};

use super::ReconError;
use crate::recon::import::CsvMapping;

/// A mapping file is a few lines; anything bigger is not one.
const MAPPING_MAX_BYTES: u64 = 64 * 1024;
const BANK_NAME_MAX: usize = 64;

/// Where bank `bank`'s mapping is kept; the name is a file name, so it is letters,
/// digits, `-` and `_` only.
pub fn path_of(data_dir: &Path, bank: &str) -> Result<PathBuf, ReconError> {
    let fine = !bank.is_empty()
        && bank.len() <= BANK_NAME_MAX
        && bank
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !fine {
        return Err(ReconError::Failed(format!(
            "--bank {bank:?}: a bank's name is 1 to {BANK_NAME_MAX} letters, digits, - or _"
        )));
    }
    Ok(data_dir.join("banks").join(format!("{bank}.toml")))
}

/// The mapping in the TOML file at `path`, checked.
pub fn read(path: &Path) -> Result<CsvMapping, ReconError> {
    let failed = |why: String| ReconError::Failed(format!("{}: {why}", path.display()));
    let file = std::fs::File::open(path).map_err(|e| failed(format!("cannot read it: {e}")))?;
    let mut text = String::new();
    file.take(MAPPING_MAX_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| failed(format!("cannot read it as text: {e}")))?;
    if text.len() as u64 > MAPPING_MAX_BYTES {
        return Err(failed(
            "a column mapping is a few lines of TOML; this file is over 64 KiB".into(),
        ));
    }
    CsvMapping::from_toml(&text).map_err(|e| failed(format!("not a column mapping: {e}")))
}

/// Saves `mapping` as `bank`'s: a crash leaves the old mapping or the new, never half.
pub fn save(data_dir: &Path, bank: &str, mapping: &CsvMapping) -> Result<PathBuf, ReconError> {
    let path = path_of(data_dir, bank)?;
    let failed = |e: std::io::Error| {
        ReconError::Failed(format!("cannot save the mapping {}: {e}", path.display()))
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    crate::atomic_file::write(&path, mapping.to_toml().as_bytes()).map_err(failed)?;
    Ok(path)
}

/// Bank `bank`'s saved mapping.
pub fn load(data_dir: &Path, bank: &str) -> Result<CsvMapping, ReconError> {
    let path = path_of(data_dir, bank)?;
    if !path.exists() {
        return Err(ReconError::Failed(format!(
            "no mapping is saved for bank {bank:?} ({}): import once with --mapping FILE --bank {bank}",
            path.display()
        )));
    }
    read(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_mapping_loads_back_and_a_bad_bank_name_is_refused() {
        let dir = std::env::temp_dir().join(format!("paydeck-banks-{}", uuid::Uuid::new_v4()));
        let mapping = CsvMapping::from_toml(
            "date = 1\ndate_format = \"%Y-%m-%d\"\namount = 2\ntext = [3]\ncurrency = \"AUD\"\n",
        )
        .unwrap();
        assert!(
            load(&dir, "westpac")
                .unwrap_err()
                .to_string()
                .contains("--mapping FILE --bank westpac")
        );
        let path = save(&dir, "westpac", &mapping).unwrap();
        assert_eq!(path, dir.join("banks").join("westpac.toml"));
        assert_eq!(load(&dir, "westpac").unwrap(), mapping);
        for bad in ["", "../etc", "a b", "x.toml"] {
            assert!(path_of(&dir, bad).is_err(), "{bad}");
        }
        let entries = std::fs::read_dir(dir.join("banks")).unwrap().count();
        assert_eq!(entries, 1, "no temporary file left");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
