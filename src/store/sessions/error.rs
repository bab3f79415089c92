//! What can go wrong with reconciliation sessions, worded for the operator. Unlike the
//! charge store, a session database is the operator's own work: never "delete it".

use std::path::PathBuf;

use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("cannot create {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the reconciliation sessions in {}: {source}", path.display())]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("cannot bring the reconciliation sessions in {} up to date: {message}", path.display())]
    Migration { path: PathBuf, message: String },
    #[error("reconciliation sessions: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("reconciliation sessions (PostgreSQL): {}", describe(.0))]
    Postgres(#[from] postgres::Error),
    #[error(
        "cannot reach the reconciliation store at {target} ({url}): {message}. Check that PostgreSQL runs there and listens on that address and port (listen_addresses, port), and that pg_hba.conf lets this user in"
    )]
    Unreachable {
        target: String,
        url: String,
        message: String,
    },
    /// The server was reached, but not over TLS that paydeck trusts.
    #[error("cannot talk to the reconciliation store at {target} over TLS: {message}")]
    StoreTls { target: String, message: String },
    /// The connection dropped while a write was committed: it may or may not be kept.
    #[error(
        "the reconciliation store did not confirm the write before its connection dropped ({0}): reload to see whether it was kept"
    )]
    Unconfirmed(String),
    #[error("{0}")]
    BadStoreUrl(String),
    /// An action the session's rules do not allow; nothing was written.
    #[error("{0}")]
    Refused(String),
    /// Another operator changed what this change was decided on, after the operator
    /// last read it; nothing was written.
    #[error("{what}: changed by {by} at {} — reload?{}", hhmm(.at), detail.as_ref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Conflict {
        what: String,
        by: String,
        at: DateTime<Utc>,
        /// The rule the change now breaks, if it does.
        detail: Option<String>,
    },
    /// Another operator holds it (`claims.rs`); nothing was written.
    #[error("{what} is held by {by} since {}: ask them, or wait ({lapses})", hhmm(.since))]
    Held {
        what: String,
        by: String,
        since: DateTime<Utc>,
        lapses: String,
    },
    #[error("no reconciliation session is named {0:?} (`:recon` lists them)")]
    NoSuchSession(String),
    /// A stored row this build cannot read back: written by a newer paydeck, or damaged.
    #[error("reconciliation sessions: {what}: {problem}")]
    BadRow { what: String, problem: String },
    /// The database's thread is gone (it panicked, or the program is stopping).
    #[error("reconciliation sessions unavailable: the database thread stopped")]
    Closed,
}

/// `14:02 UTC`: what an operator reads in a message (the stored stamp is exact).
fn hhmm(at: &DateTime<Utc>) -> String {
    at.format("%H:%M UTC").to_string()
}

pub(crate) fn refused(message: impl Into<String>) -> SessionError {
    SessionError::Refused(message.into())
}

/// The server's own words for a database error (the client's `Display` says only
/// "db error"), else the client's error and its cause.
pub(crate) fn describe(e: &postgres::Error) -> String {
    if e.is_closed() {
        return "the connection to the server dropped (paydeck connects again on the next call)"
            .into();
    }
    if let Some(db) = e.as_db_error() {
        return format!("{} ({})", db.message(), db.code().code());
    }
    match std::error::Error::source(e) {
        Some(cause) if !e.to_string().contains(&cause.to_string()) => format!("{e}: {cause}"),
        _ => e.to_string(),
    }
}
