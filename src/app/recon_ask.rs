//! What the reconciliation screens ask the runner for, and its answers. Every call to
//! the session database goes through one of these, so the UI loop never waits on it;
//! the board is worked out on the runner's side and comes back whole.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::gateway::OperationKey;
use crate::recon::export::ExportFormat;
use crate::recon::import::CsvMapping;
use crate::recon::session::Board;
use crate::store::sessions::{Event, ItemRef, NewSession, SessionSummary};

#[derive(Debug, Clone, PartialEq)]
pub enum ReconAsk {
    /// Every session, for `:recon`.
    List,
    /// The session named `name`, worked out as of `today`; when there is none by that
    /// name and `create` is given, it is created first.
    Open {
        name: String,
        create: Option<NewSession>,
        today: NaiveDate,
    },
    /// An operator's mark, recorded between two audit lines, then the board again.
    Mark(Box<Mark>),
    /// The operator claims `item` (or gives it up, if theirs), between two audit
    /// lines, then the board again.
    Claim {
        session: String,
        key: OperationKey,
        item: ItemRef,
        today: NaiveDate,
    },
    /// A statement file imported, then auto-matched, then the board again.
    Import(Box<Import>),
    /// The session's export files written into `dir`, then the board again.
    Export {
        session: String,
        dir: PathBuf,
        format: ExportFormat,
        today: NaiveDate,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub session: String,
    pub key: OperationKey,
    /// The audit log's action: `recon_flag`, `recon_signoff`…
    pub action: &'static str,
    /// What the audit line says it is about.
    pub target: String,
    /// A note or reason, for the audit line.
    pub reason: Option<String>,
    pub event: Event,
    /// The newest event of the board the operator decided on: another operator's
    /// change since to what the mark touches refuses it ([`ReconAnswer::Conflict`]).
    pub seen: Option<i64>,
    pub today: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub session: String,
    pub key: OperationKey,
    pub path: PathBuf,
    /// The bank whose saved CSV mapping reads the file (CSV only).
    pub bank: Option<String>,
    /// A mapping the operator has just confirmed, saved as the bank's before use.
    pub mapping: Option<CsvMapping>,
    pub today: NaiveDate,
}

#[derive(Debug)]
pub enum ReconAnswer {
    Listed(Result<Vec<SessionSummary>, String>),
    /// The session worked out, with what to tell the operator (created, imported).
    Board {
        session: String,
        board: Box<Board>,
        told: Option<String>,
    },
    /// What was asked about `session` did not happen, and why.
    Failed {
        session: String,
        why: String,
    },
    /// A mark was refused because another operator changed what it touches since the
    /// board shown was read: `why` names them and when; the operator may reload.
    Conflict {
        session: String,
        why: String,
    },
    /// A CSV from a bank with no saved mapping: the guess, for the operator to confirm.
    NeedsMapping {
        session: String,
        path: PathBuf,
        bank: String,
        mapping: Box<CsvMapping>,
        doubts: Vec<String>,
    },
}
