//! What every `paydeck recon` command stands on: the session database (the data
//! directory's SQLite, or the shared PostgreSQL `--store` or `[store]` names), the
//! profiles' stores (read, never synced), the match settings and the board as of today.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};

use super::ReconError;
use crate::audit::AuditLog;
use crate::config::Config;
use crate::recon::session::{Board, ProfileInputs, gather};
use crate::recon::{FeeBand, MatchConfig};
use crate::store::Store;
use crate::store::sessions::{
    Event, PgSessions, Recorded, SessionStore, SessionSummary, SessionView, SqliteSessions, Stamp,
    StoreUrl,
};

pub struct Recon<'a> {
    pub data_dir: PathBuf,
    pub config: Option<&'a Config>,
    pub sessions: Box<dyn SessionStore>,
}

/// A session worked out as of today: what it holds, what its profiles' stores hold,
/// and the board of both.
pub struct Worked {
    pub view: SessionView,
    pub inputs: Vec<ProfileInputs>,
    pub board: Board,
}

impl<'a> Recon<'a> {
    /// The sessions in `store`, else in the data directory's SQLite. A store that
    /// cannot be reached is an error saying what to check.
    pub fn open(
        data_dir: &Path,
        config: Option<&'a Config>,
        store: Option<&StoreUrl>,
    ) -> Result<Recon<'a>, ReconError> {
        let sessions: Box<dyn SessionStore> = match store {
            Some(url) => Box::new(PgSessions::connect(url)?),
            None => Box::new(SqliteSessions::open(&SqliteSessions::path_in(data_dir))?),
        };
        Ok(Recon {
            data_dir: data_dir.to_path_buf(),
            config,
            sessions,
        })
    }

    /// The day the queue is judged on: today, in UTC.
    pub fn as_of() -> NaiveDate {
        Utc::now().date_naive()
    }

    pub fn session(&mut self, name: &str) -> Result<SessionSummary, ReconError> {
        Ok(self.sessions.find(name)?)
    }

    /// What the session holds now.
    pub fn load(&mut self, summary: &SessionSummary) -> Result<SessionView, ReconError> {
        Ok(self.sessions.load(summary.id)?)
    }

    /// Each profile's payouts and unpaid charges for the session's period, read from
    /// its store; a profile never synced is an error saying to sync it.
    pub fn inputs(&self, summary: &SessionSummary) -> Result<Vec<ProfileInputs>, ReconError> {
        summary
            .profiles
            .iter()
            .map(|profile| {
                let path = Store::path_for(&self.data_dir, profile);
                if !path.exists() {
                    return Err(ReconError::Failed(format!(
                        "profile {profile:?} has no local store ({}): run `paydeck sync --profile {profile}` first",
                        path.display()
                    )));
                }
                let failed = |e: crate::store::StoreError| ReconError::Failed(e.to_string());
                let store = Store::open(&path).map_err(failed)?;
                gather(&store, profile, summary.from, summary.to).map_err(failed)
            })
            .collect()
    }

    /// The default settings, with the fee band of the first profile whose gateway the
    /// config names (without a config, fees are not checked).
    pub fn match_config(&self, summary: &SessionSummary) -> MatchConfig {
        let fee_band = self.config.and_then(|config| {
            summary
                .profiles
                .iter()
                .find_map(|name| config.profile(Some(name)).ok())
                .and_then(|p| FeeBand::of(p.gateway.config_name))
        });
        MatchConfig {
            fee_band,
            ..MatchConfig::default()
        }
    }

    /// The session named `name`, worked out as of today.
    pub fn work(&mut self, name: &str) -> Result<(SessionSummary, Worked), ReconError> {
        let summary = self.session(name)?;
        let inputs = self.inputs(&summary)?;
        let worked = self.work_with(&summary, inputs)?;
        Ok((summary, worked))
    }

    /// The session as it stands now, over `inputs` already read.
    pub fn work_with(
        &mut self,
        summary: &SessionSummary,
        inputs: Vec<ProfileInputs>,
    ) -> Result<Worked, ReconError> {
        let view = self.load(summary)?;
        let board = Board::build(&view, &inputs, &self.match_config(summary), Self::as_of());
        Ok(Worked {
            view,
            inputs,
            board,
        })
    }

    pub fn record(
        &mut self,
        summary: &SessionSummary,
        event: Event,
    ) -> Result<Recorded, ReconError> {
        let stamp = self.stamp();
        Ok(self.sessions.record(summary.id, event, &stamp)?)
    }

    /// `event`, decided on the session as of event `seen`: refused if another operator
    /// changed what it marks since.
    pub fn record_seen(
        &mut self,
        summary: &SessionSummary,
        event: Event,
        seen: i64,
    ) -> Result<Recorded, ReconError> {
        let stamp = self.stamp();
        self.sessions
            .record_seen(summary.id, vec![event], Some(seen), &stamp)?
            .pop()
            .ok_or_else(|| ReconError::Failed("the store recorded nothing".into()))
    }

    /// `events` in one durable write, all or none (auto-match's answer).
    pub fn record_all(
        &mut self,
        summary: &SessionSummary,
        events: Vec<Event>,
    ) -> Result<Vec<Recorded>, ReconError> {
        let stamp = self.stamp();
        Ok(self.sessions.record_all(summary.id, events, &stamp)?)
    }

    /// The operator the config names, else the OS user, as the audit log names them.
    fn operator(&self) -> Option<&str> {
        self.config.and_then(|c| c.operator.as_deref())
    }

    /// Who acts, now: what every event of this command is stamped with.
    pub fn stamp(&self) -> Stamp {
        Stamp::by(self.operator())
    }

    /// The audit log of the data directory, naming the config's operator.
    pub fn audit_log(&self) -> Result<AuditLog, ReconError> {
        let path = AuditLog::path_in(&self.data_dir);
        AuditLog::open(&path)
            .map(|log| log.with_operator(self.operator()))
            .map_err(|e| {
                ReconError::Failed(format!("cannot open the audit log {}: {e}", path.display()))
            })
    }
}
