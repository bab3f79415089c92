//! Logs go to a file in the data directory, never to the terminal the UI draws on.

use std::fs::{self, OpenOptions};
use std::path::PathBuf;

use tracing_subscriber::EnvFilter;

/// Where paydeck keeps what it writes: logs, and later the audit log and sessions.
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PAYDECK_DATA_DIR") {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("", "", "paydeck")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| std::env::temp_dir().join("paydeck"))
}

/// Sends `tracing` output to `<data dir>/paydeck.log`; `PAYDECK_LOG` sets the filter
/// (default `info`). Returns the file's path, or why logging is off.
pub fn init() -> Result<PathBuf, String> {
    let dir = data_dir();
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join("paydeck.log");
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let filter = EnvFilter::try_from_env("PAYDECK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init()
        .map_err(|e| e.to_string())?;
    Ok(path)
}
