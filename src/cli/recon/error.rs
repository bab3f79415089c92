//! How a `paydeck recon` command ends badly, and its exit code.

use crate::recon::import::ImportError;
use crate::store::sessions::SessionError;

#[derive(Debug, thiserror::Error)]
pub enum ReconError {
    /// Exit 1: a bad file, no such session, a store missing.
    #[error("{0}")]
    Failed(String),
    /// Exit 3: the session's rules refuse it; nothing was written.
    #[error("{0}")]
    Refused(String),
    /// Exit 2: the command cannot run as asked (as clap's own usage errors).
    #[error("{0}")]
    Usage(String),
}

impl ReconError {
    pub fn exit_code(&self) -> i32 {
        match self {
            ReconError::Failed(_) => 1,
            ReconError::Refused(_) => 3,
            ReconError::Usage(_) => 2,
        }
    }
}

impl From<SessionError> for ReconError {
    fn from(e: SessionError) -> ReconError {
        match e {
            SessionError::Refused(why) => ReconError::Refused(why),
            // Another operator's work: refused like a rule, nothing written.
            e @ (SessionError::Conflict { .. } | SessionError::Held { .. }) => {
                ReconError::Refused(e.to_string())
            }
            SessionError::NoSuchSession(name) => ReconError::Failed(format!(
                "no reconciliation session is named {name:?} (`paydeck recon list` lists them)"
            )),
            other => ReconError::Failed(other.to_string()),
        }
    }
}

impl From<ImportError> for ReconError {
    fn from(e: ImportError) -> ReconError {
        ReconError::Failed(e.to_string())
    }
}
