//! The runner's work on reconciliation sessions: the session database is called
//! through its own thread (`SessionHandle`), each profile's payouts are read from its
//! store, and the board is worked out off the UI loop and sent back whole. Every mark is
//! in the audit log before and after it is recorded.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::msg::Msg;
use super::recon_ask::{Import, Mark, ReconAnswer, ReconAsk};
use super::runner::Runner;
use crate::cli::recon::ReconError;
use crate::cli::recon::audit as cli_audit;
use crate::cli::recon::banks;
use crate::recon::import::{self, Detected, Format};
use crate::recon::session::{Board, ProfileInputs, auto_match_events, gather, import_event};
use crate::recon::{FeeBand, MatchConfig};
use crate::store::Store;
use crate::store::sessions::{
    CLAIM_IDLE, Event, ItemRef, SessionError, SessionHandle, SessionSummary, Stamp,
};

/// The session database and the data directory it and the profiles' stores are in.
#[derive(Clone, Debug)]
pub struct SessionLink {
    pub handle: SessionHandle,
    pub data_dir: PathBuf,
    /// Where other operators' writes are heard of.
    pub watched: crate::store::sessions::watch::Watched,
}

type Answered<T> = Result<T, String>;

/// Why `:recon` has no sessions when paydeck keeps no local store.
pub const NO_STORE: &str =
    "reconciliation reads the profiles' local stores, and paydeck was started with --no-store";

/// What a mark's audit lines say: the action, the session, what it is about and the
/// operator's words.
#[derive(Clone, Debug)]
struct Noted {
    action: &'static str,
    session: String,
    target: String,
    reason: Option<String>,
}

fn words(e: SessionError) -> String {
    e.to_string()
}

/// Why a session write did not happen: another operator changed what it touches since
/// the operator read it (they are asked to reload), or anything else.
enum NotRecorded {
    Conflict(String),
    Failed(String),
}

impl From<String> for NotRecorded {
    fn from(why: String) -> NotRecorded {
        NotRecorded::Failed(why)
    }
}

impl From<NotRecorded> for String {
    fn from(not: NotRecorded) -> String {
        match not {
            NotRecorded::Conflict(why) | NotRecorded::Failed(why) => why,
        }
    }
}

impl Runner {
    /// Answers a reconciliation ask with one message.
    pub(super) async fn recon(&self, ask: ReconAsk) -> Msg {
        let answer = match ask {
            ReconAsk::List => ReconAnswer::Listed(self.list_sessions().await),
            ReconAsk::Open {
                name,
                create,
                today,
            } => {
                let opened = self.open_session(&name, create).await;
                self.answer_board(name, today, opened).await
            }
            ReconAsk::Mark(mark) => {
                let Mark { session, today, .. } = (*mark).clone();
                match self.mark(*mark).await {
                    Err(NotRecorded::Conflict(why)) => ReconAnswer::Conflict { session, why },
                    marked => {
                        let marked = marked.map(|()| None).map_err(String::from);
                        self.answer_board(session, today, marked).await
                    }
                }
            }
            ReconAsk::Claim {
                session,
                key,
                item,
                today,
            } => {
                let claimed = self.claim(&session, &key, item).await.map(Some);
                self.answer_board(session, today, claimed).await
            }
            ReconAsk::Import(import) => {
                let (session, today) = (import.session.clone(), import.today);
                match self.import(*import).await {
                    Ok(Imported::Told(told)) => {
                        self.answer_board(session, today, Ok(Some(told))).await
                    }
                    Ok(Imported::NeedsMapping(answer)) => answer,
                    Err(why) => ReconAnswer::Failed { session, why },
                }
            }
            ReconAsk::Export {
                session,
                dir,
                format,
                today,
            } => {
                // The board the files were written from is the one shown.
                match self.export(&session, dir, format, today).await {
                    Ok((board, told)) => ReconAnswer::Board {
                        session,
                        board: Box::new(board),
                        told: Some(told),
                    },
                    Err(why) => ReconAnswer::Failed { session, why },
                }
            }
        };
        Msg::Recon(answer)
    }

    fn link(&self) -> Answered<&SessionLink> {
        self.sessions.as_ref().map_err(Clone::clone)
    }

    async fn list_sessions(&self) -> Answered<Vec<SessionSummary>> {
        let link = self.link()?;
        link.handle.call(|s| s.list()).await.map_err(words)
    }

    /// Finds the session, creating it from `create` when there is none by that name;
    /// says so when it did.
    async fn open_session(
        &self,
        name: &str,
        create: Option<crate::store::sessions::NewSession>,
    ) -> Answered<Option<String>> {
        let link = self.link()?;
        let wanted = name.to_string();
        let found = link.handle.call(move |s| s.find(&wanted)).await;
        match (found, create) {
            (Ok(_), _) => Ok(None),
            (Err(SessionError::NoSuchSession(_)), Some(new)) => {
                let stamp = self.stamp();
                let told = format!(
                    "Created session {} for {}, {} to {}",
                    new.name,
                    new.profiles.join(", "),
                    new.from,
                    new.to
                );
                link.handle
                    .call(move |s| s.create(&new, &stamp))
                    .await
                    .map_err(words)?;
                Ok(Some(told))
            }
            (Err(e), _) => Err(words(e)),
        }
    }

    /// The board after `done` (what to tell), or why there is none.
    async fn answer_board(
        &self,
        session: String,
        today: NaiveDate,
        done: Answered<Option<String>>,
    ) -> ReconAnswer {
        let built = match done {
            Ok(told) => self.board(&session, today).await.map(|b| (b, told)),
            Err(why) => Err(why),
        };
        match built {
            Ok((board, told)) => ReconAnswer::Board {
                session,
                board: Box::new(board),
                told,
            },
            Err(why) => ReconAnswer::Failed { session, why },
        }
    }

    /// Who marks: the operator the config names, else the OS user (as the audit log).
    fn stamp(&self) -> Stamp {
        Stamp::by(self.audit.who().1)
    }

    fn match_config(&self) -> MatchConfig {
        MatchConfig {
            fee_band: FeeBand::of(self.gateway.name()),
            ..MatchConfig::default()
        }
    }

    /// The session's summary and what each of its profiles' stores holds for it.
    async fn inputs(&self, session: &str) -> Answered<(SessionSummary, Vec<ProfileInputs>)> {
        let link = self.link()?;
        let wanted = session.to_string();
        let summary = link
            .handle
            .call(move |s| s.find(&wanted))
            .await
            .map_err(words)?;
        let mut inputs = Vec::new();
        for profile in &summary.profiles {
            inputs.push(
                self.profile_inputs(&link.data_dir, &summary, profile)
                    .await?,
            );
        }
        Ok((summary, inputs))
    }

    /// One profile's payouts and unpaid charges: the open profile's from its store's
    /// reader, another's from its store opened for the while.
    async fn profile_inputs(
        &self,
        data_dir: &Path,
        summary: &SessionSummary,
        profile: &str,
    ) -> Answered<ProfileInputs> {
        let (from, to, name) = (summary.from, summary.to, profile.to_string());
        if profile == self.profile {
            let store = self.store.as_ref().ok_or_else(|| {
                format!(
                    "profile {profile}'s local store is not open, so its payouts cannot be read"
                )
            })?;
            return store
                .pair
                .reader
                .call(move |s| gather(s, &name, from, to))
                .await
                .map_err(|e| e.to_string());
        }
        let path = Store::path_for(data_dir, profile);
        if !path.exists() {
            return Err(format!(
                "session {} covers profile {profile} too, which has no local store here; run `paydeck sync --profile {profile}` first",
                summary.name
            ));
        }
        tokio::task::spawn_blocking(move || {
            let store = Store::open(&path).map_err(|e| e.to_string())?;
            gather(&store, &name, from, to).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())?
    }

    /// The session worked out as of `today`, off the UI loop.
    async fn board(&self, session: &str, today: NaiveDate) -> Answered<Board> {
        Ok(self.worked(session, today).await?.0)
    }

    /// The board, with the profiles' inputs it was worked out from.
    async fn worked(
        &self,
        session: &str,
        today: NaiveDate,
    ) -> Answered<(Board, Vec<ProfileInputs>)> {
        let (summary, inputs) = self.inputs(session).await?;
        let link = self.link()?;
        let id = summary.id;
        let mut view = link.handle.call(move |s| s.load(id)).await.map_err(words)?;
        // The screen shows who holds what now: a lapsed claim holds nothing.
        let now = chrono::Utc::now();
        view.claims.retain(|c| c.live_at(now));
        let config = self.match_config();
        tokio::task::spawn_blocking(move || {
            let board = Board::build(&view, &inputs, &config, today);
            (board, inputs)
        })
        .await
        .map_err(|e| e.to_string())
    }

    /// Writes the session's export files into `dir`; the board they were written from,
    /// and which files.
    async fn export(
        &self,
        session: &str,
        dir: std::path::PathBuf,
        format: crate::recon::export::ExportFormat,
        today: NaiveDate,
    ) -> Answered<(Board, String)> {
        let (board, inputs) = self.worked(session, today).await?;
        let shown = dir.display().to_string();
        let write = move || {
            let files = crate::recon::export::session_files(&board, &inputs, format)
                .map_err(|e| e.to_string())?;
            crate::recon::export::write_into(&dir, &files).map(|written| (board, written))
        };
        let (board, written) = tokio::task::spawn_blocking(write)
            .await
            .map_err(|e| e.to_string())??;
        let names: Vec<String> = written
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        Ok((board, format!("Exported {} into {shown}", names.join(", "))))
    }

    /// One audit line of a session's mark, as `paydeck recon` writes them (profile
    /// `recon:<session>`, so no start takes it for an unfinished gateway action).
    async fn audit_line(
        &self,
        noted: &Noted,
        key: &str,
        phase: &'static str,
        result: Option<String>,
    ) -> Answered<()> {
        let (log, noted, key) = (self.audit.clone(), noted.clone(), key.to_string());
        tokio::task::spawn_blocking(move || {
            let action = cli_audit::Action {
                action: noted.action,
                session: &noted.session,
                target: noted.target.clone(),
                reason: noted.reason.as_deref(),
            };
            cli_audit::write(&log, &action, &key, phase, result).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())?
    }

    /// Records events of `session` between a `before` and an `after` audit line;
    /// nothing is recorded unless the `before` line is on disk. With `seen`, a change
    /// another operator made since to what the events touch refuses them.
    async fn record_audited(
        &self,
        noted: Noted,
        key: &crate::gateway::OperationKey,
        events: Vec<Event>,
        seen: Option<i64>,
    ) -> Result<Vec<crate::store::sessions::Recorded>, NotRecorded> {
        let link = self.link()?;
        let session = noted.session.clone();
        let key = key.to_string();
        self.audit_line(&noted, &key, "before", None).await?;
        let wanted = session;
        let stamp = self.stamp();
        let result = link
            .handle
            .call(move |s| {
                let id = s.find(&wanted)?.id;
                // One transaction: an action's events are kept all or none.
                s.record_seen(id, events, seen, &stamp)
            })
            .await
            .map_err(|e| match e {
                e @ SessionError::Conflict { .. } => NotRecorded::Conflict(e.to_string()),
                e => NotRecorded::Failed(e.to_string()),
            });
        let outcome = match &result {
            Ok(_) => "ok".to_string(),
            Err(NotRecorded::Conflict(why)) => format!("refused: {why}"),
            Err(NotRecorded::Failed(why)) => format!("failed: {why}"),
        };
        if let Err(e) = self.audit_line(&noted, &key, "after", Some(outcome)).await {
            tracing::error!(error = %e, %key, "could not write the audit log after a mark");
        }
        result
    }

    async fn mark(&self, mark: Mark) -> Result<(), NotRecorded> {
        let noted = Noted {
            action: mark.action,
            session: mark.session,
            target: mark.target,
            reason: mark.reason,
        };
        self.record_audited(noted, &mark.key, vec![mark.event], mark.seen)
            .await
            .map(drop)
    }

    /// Claims `item` for the operator, or gives it up if they hold it, between two
    /// audit lines; what to tell them.
    async fn claim(
        &self,
        session: &str,
        key: &crate::gateway::OperationKey,
        item: ItemRef,
    ) -> Answered<String> {
        let link = self.link()?;
        let noted = Noted {
            action: "recon_claim",
            session: session.to_string(),
            target: item.token(),
            reason: None,
        };
        let key = key.to_string();
        self.audit_line(&noted, &key, "before", None).await?;
        let (wanted, stamp) = (session.to_string(), self.stamp());
        let shown = item.to_string();
        let result = link
            .handle
            .call(move |s| {
                let id = s.find(&wanted)?.id;
                if s.release(id, &item, &stamp)? {
                    return Ok(format!("Released {shown}"));
                }
                s.claim(id, &item, &stamp)?;
                Ok(format!(
                    "Claimed {shown}: the others are refused it until you press c again \
                     or leave it {} minutes",
                    CLAIM_IDLE.num_minutes()
                ))
            })
            .await
            .map_err(words);
        let outcome = match &result {
            Ok(told) => format!("ok: {told}"),
            Err(why) => format!("refused: {why}"),
        };
        if let Err(e) = self.audit_line(&noted, &key, "after", Some(outcome)).await {
            tracing::error!(error = %e, %key, "could not write the audit log after a claim");
        }
        result
    }

    /// Reads the file, records its new lines, then auto-matches and records what the
    /// matcher found; a CSV of a bank without a saved mapping comes back as a guess.
    async fn import(&self, ask: Import) -> Answered<Imported> {
        let data_dir = self.link()?.data_dir.clone();
        let (session, today) = (ask.session.clone(), ask.today);
        let (summary, inputs) = self.inputs(&session).await?;
        let currency = main_currency(&inputs);
        let asked = ask.clone();
        let read = move || read_statement(data_dir, asked, currency);
        let statement = match tokio::task::spawn_blocking(read)
            .await
            .map_err(|e| e.to_string())??
        {
            Read::Statement(statement) => statement,
            Read::Guess {
                bank,
                mapping,
                doubts,
            } => {
                return Ok(Imported::NeedsMapping(ReconAnswer::NeedsMapping {
                    session,
                    path: ask.path,
                    bank,
                    mapping,
                    doubts,
                }));
            }
        };
        let link = self.link()?;
        let id = summary.id;
        let view = link.handle.call(move |s| s.load(id)).await.map_err(words)?;
        let (event, sorted) = import_event(&statement, &view).map_err(|e| e.to_string())?;
        let file = ask.path.display().to_string();
        let noted = Noted {
            action: "recon_import",
            session: session.clone(),
            target: format!("file {file}"),
            reason: None,
        };
        self.record_audited(noted, &ask.key, vec![event], None)
            .await?;
        let view = link.handle.call(move |s| s.load(id)).await.map_err(words)?;
        let config = self.match_config();
        let (events, _) = auto_match_events(&view, &inputs, &config, today);
        let proposed = events
            .iter()
            .filter(|e| matches!(e, Event::Match { proposed: true, .. }))
            .count();
        let matched = events.len() - proposed;
        if !events.is_empty() {
            let noted = Noted {
                action: "recon_auto_match",
                session: session.clone(),
                target: format!("session {session}"),
                reason: None,
            };
            self.record_audited(noted, &ask.key, events, None).await?;
        }
        Ok(Imported::Told(format!(
            "{sorted}; {matched} matched, {proposed} proposed"
        )))
    }
}

/// The currency most of the session's payouts are in: the account a CSV without a
/// currency column is most likely from (the guess says it, for the operator to check).
fn main_currency(inputs: &[ProfileInputs]) -> crate::money::Currency {
    let mut counts: std::collections::BTreeMap<&str, (usize, crate::money::Currency)> =
        std::collections::BTreeMap::new();
    for w in inputs.iter().flat_map(|p| &p.payouts) {
        let currency = w.payout.amount.currency;
        counts.entry(currency.code()).or_insert((0, currency)).0 += 1;
    }
    counts
        .into_values()
        .max_by_key(|(n, _)| *n)
        .map_or(crate::money::Currency::AUD, |(_, c)| c)
}

enum Imported {
    Told(String),
    NeedsMapping(ReconAnswer),
}

enum Read {
    Statement(crate::recon::Statement),
    Guess {
        bank: String,
        mapping: Box<import::CsvMapping>,
        doubts: Vec<String>,
    },
}

/// The statement in the file, by what it looks like; a CSV through the mapping just
/// confirmed (saved first as the bank's), the bank's saved one, or else a guess.
fn read_statement(
    data_dir: PathBuf,
    ask: Import,
    currency: crate::money::Currency,
) -> Answered<Read> {
    let bytes = import::read_bounded(&ask.path).map_err(|e| e.to_string())?;
    let file = ask.path.display().to_string();
    let format = match import::detect(&bytes) {
        Detected::Ofx => Format::Ofx,
        Detected::Camt053 => Format::Camt053,
        Detected::Csv => {
            let bank = ask.bank.ok_or_else(|| {
                format!("{file} reads as CSV, which needs its bank's name: :import PATH BANK")
            })?;
            let words = |e: ReconError| e.to_string();
            let saved = match ask.mapping {
                Some(confirmed) => {
                    banks::save(&data_dir, &bank, &confirmed).map_err(words)?;
                    Some(confirmed)
                }
                None if banks::path_of(&data_dir, &bank).map_err(words)?.exists() => {
                    Some(banks::load(&data_dir, &bank).map_err(words)?)
                }
                None => None,
            };
            match saved {
                Some(mapping) => Format::Csv(mapping),
                None => {
                    let guess = import::guess_mapping(&file, &bytes, currency)
                        .map_err(|e| e.to_string())?;
                    return Ok(Read::Guess {
                        bank,
                        mapping: Box::new(guess.mapping),
                        doubts: guess.doubts,
                    });
                }
            }
        }
    };
    import::parse(&file, &bytes, &format)
        .map(Read::Statement)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{Currency, Money};
    use crate::recon::PayoutWithLines;

    #[test]
    fn a_csv_is_guessed_in_the_currency_most_payouts_are_in_not_the_first_ones() {
        let payout = |n, currency| {
            let mut payout = crate::app::fixtures::payout(n);
            payout.amount = Money::from_minor(100, currency);
            PayoutWithLines {
                payout,
                lines: Vec::new(),
            }
        };
        let inputs = [ProfileInputs {
            profile: "p".into(),
            payouts: vec![
                payout(1, Currency::JPY),
                payout(2, Currency::AUD),
                payout(3, Currency::AUD),
            ],
            unpaid: Vec::new(),
        }];
        assert_eq!(main_currency(&inputs), Currency::AUD);
        assert_eq!(main_currency(&[]), Currency::AUD);
    }
}
