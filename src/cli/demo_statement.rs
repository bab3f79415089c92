//! The demo's bank statement, as files a reconciliation walkthrough imports: when
//! `paydeck --demo` starts, its simulator's statement for the demo's Pin account
//! (with the demo's noise, one of each kind at least) is written beside the data
//! directory's other files, at paths a user can type:
//! `<data dir>/demo-statement.ofx`, `.csv` with the column mapping that reads it
//! (`demo-statement.mapping.toml`), and `demo-statement.camt053.xml`. Each is
//! replaced whole (written aside, then renamed), so a second demo never leaves a
//! half-written one; each run writes its own, since each run's payouts are its own.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::money::Currency;
use crate::sim::bank::csv;

/// The demo's account: Pin's payouts are mostly in AUD.
pub const CURRENCY: Currency = Currency::AUD;

/// How long the simulator, in the same process, may take to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The files one demo run writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementFiles {
    pub ofx: PathBuf,
    pub csv: PathBuf,
    /// The CSV's column mapping, as TOML.
    pub mapping: PathBuf,
    pub camt053: PathBuf,
}

impl StatementFiles {
    /// Where they go in `data_dir`.
    pub fn in_dir(data_dir: &Path) -> StatementFiles {
        let at = |name: &str| data_dir.join(format!("demo-statement.{name}"));
        StatementFiles {
            ofx: at("ofx"),
            csv: at("csv"),
            mapping: at("mapping.toml"),
            camt053: at("camt053.xml"),
        }
    }
}

/// Asks the simulator at `root` (`http://127.0.0.1:PORT`, admin key `key`) for the
/// statement in each format and writes the files into `data_dir`.
pub async fn write(data_dir: &Path, root: &str, key: &str) -> Result<StatementFiles, String> {
    let files = StatementFiles::in_dir(data_dir);
    crate::gateway::http::install_crypto_provider();
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .map_err(|e| format!("cannot ask the demo's simulator: {e}"))?;
    for (format, path) in [
        ("ofx", &files.ofx),
        ("csv", &files.csv),
        ("camt053", &files.camt053),
    ] {
        let url = format!(
            "{root}/_sim/bank/statement?dialect=pin&currency={}&format={format}",
            CURRENCY.code()
        );
        let body = fetch(&client, &url, key)
            .await
            .map_err(|e| format!("the demo's {format} statement: {e}"))?;
        replace(path, body.as_bytes())?;
    }
    replace(&files.mapping, csv::mapping(CURRENCY).to_toml().as_bytes())?;
    Ok(files)
}

async fn fetch(client: &reqwest::Client, url: &str, key: &str) -> Result<String, String> {
    let response = client
        .get(url)
        .bearer_auth(key)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.text().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(body)
    } else {
        Err(format!("the simulator answered {status}"))
    }
}

/// Writes `bytes` to `path` whole: beside it first, then renamed over it.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let aside = path.with_extension(format!("{}.part", std::process::id()));
    let failed = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    std::fs::write(&aside, bytes).map_err(failed)?;
    std::fs::rename(&aside, path).map_err(|e| {
        let _ = std::fs::remove_file(&aside);
        failed(e)
    })
}
