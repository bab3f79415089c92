//! What can go wrong with the local store, worded for the operator.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the local store {}: {source} (delete the file to start it afresh; it is only a copy of the gateway's data)", path.display())]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("cannot bring the local store {} up to date: {message} (delete the file to start it afresh)", path.display())]
    Migration { path: PathBuf, message: String },
    #[error("{} already exists: a bulk load only builds a new store (delete it first to rebuild)", path.display())]
    Exists { path: PathBuf },
    #[error("local store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A row this build cannot read back: written by a newer paydeck, or damaged.
    #[error("local store row {table}/{id}: {problem}")]
    BadRow {
        table: &'static str,
        id: String,
        problem: String,
    },
    /// The store's thread is gone (it panicked, or the program is stopping).
    #[error("local store unavailable: {0}")]
    Closed(String),
    /// A value the store cannot hold exactly (money beyond i64 minor units).
    #[error("cannot store {what}: {problem}")]
    Unstorable { what: String, problem: String },
}

impl StoreError {
    pub(crate) fn open(path: &std::path::Path, source: rusqlite::Error) -> StoreError {
        StoreError::Open {
            path: path.to_path_buf(),
            source,
        }
    }
}
