//! A bank's CSV mapping, chosen once and kept in `<data dir>/banks/<bank>.toml`, where
//! the dashboard's `:import` and the `paydeck recon import` command both look for it.

use std::path::{Path, PathBuf};

use super::mapping::CsvMapping;

/// Longest bank name: it becomes a file name.
pub const BANK_NAME_MAX: usize = 64;

/// Where `bank`'s mapping is kept; the name is letters, digits, `-` and `_` only, so
/// that it can name nothing but a file of that directory.
pub fn mapping_path(data_dir: &Path, bank: &str) -> Result<PathBuf, String> {
    let fits = !bank.is_empty()
        && bank.chars().count() <= BANK_NAME_MAX
        && bank
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !fits {
        return Err(format!(
            "{bank:?} cannot name a bank: use up to {BANK_NAME_MAX} letters, digits, - or _"
        ));
    }
    Ok(data_dir.join("banks").join(format!("{bank}.toml")))
}

/// `bank`'s saved mapping, `None` when none is saved yet.
pub fn load_mapping(data_dir: &Path, bank: &str) -> Result<Option<CsvMapping>, String> {
    let path = mapping_path(data_dir, bank)?;
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    CsvMapping::from_toml(&text).map(Some).map_err(|e| {
        format!(
            "{}: {e}; correct it or delete it to choose again",
            path.display()
        )
    })
}

/// Saves `mapping` as `bank`'s, whole or not at all (written aside, then renamed).
pub fn save_mapping(data_dir: &Path, bank: &str, mapping: &CsvMapping) -> Result<PathBuf, String> {
    mapping.check()?;
    let path = mapping_path(data_dir, bank)?;
    let failed = |e: std::io::Error| format!("cannot save {}: {e}", path.display());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let aside = path.with_extension("toml.new");
    std::fs::write(&aside, mapping.to_toml()).map_err(failed)?;
    std::fs::rename(&aside, &path).map_err(failed)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    #[test]
    fn a_mapping_saved_reads_back_and_a_bad_bank_name_is_refused() {
        let dir = std::env::temp_dir().join(format!("paydeck-banks-{}", uuid::Uuid::new_v4()));
        assert_eq!(load_mapping(&dir, "westpac").unwrap(), None);
        let mapping = CsvMapping {
            delimiter: ',',
            header: true,
            skip_lines: 0,
            date: 1,
            date_format: "%Y-%m-%d".into(),
            value_date: None,
            amount: Some(2),
            debit: None,
            credit: None,
            decimal: '.',
            thousands: None,
            text: vec![3],
            reference: None,
            bank_id: None,
            currency: Some(Currency::AUD),
            currency_column: None,
        };
        let path = save_mapping(&dir, "westpac", &mapping).unwrap();
        assert_eq!(path, dir.join("banks").join("westpac.toml"));
        assert_eq!(load_mapping(&dir, "westpac").unwrap(), Some(mapping));
        for bad in ["", "../etc", "a b", "x/y"] {
            assert!(mapping_path(&dir, bad).is_err(), "{bad:?}");
        }
        std::fs::write(dir.join("banks").join("broken.toml"), "date = ").unwrap();
        let err = load_mapping(&dir, "broken").unwrap_err();
        assert!(err.contains("broken.toml"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
