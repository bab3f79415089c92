//! `paydeck export KIND`: a profile's charges, refunds, customers, payouts or disputes
//! as CSV, JSON, NDJSON or XLSX, for scripts. It reads the local store where the sync
//! state says the store holds all of the kind, and the gateway otherwise, every page
//! (or `--limit` rows), filtered with the dashboard's `/` grammar. Rows go to stdout
//! (or `--output FILE`, put in place whole) as they are read; messages go to stderr.

mod error;
mod kinds;
mod output;
mod pages;
mod progress;
mod rows;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

pub use error::{EXIT_CODES, ExportFailure};
pub use writer::{Format, XLSX_MAX_ROWS};

use super::connect::connect;
use crate::app::filter_query;
use crate::config::{Config, Profile};
use crate::domain::{Charge, Customer, Dispute, Payout, Refund};
use crate::gateway::Gateway;
use crate::store::{Store, SyncPhase};
use kinds::Kind;
use output::Out;
use pages::{Rows, output};
use progress::Progress;
use writer::RowWriter;

#[derive(clap::Args, Debug)]
#[command(after_help = EXIT_CODES)]
pub struct ExportArgs {
    /// What to export.
    #[arg(value_enum)]
    pub kind: KindName,
    /// The profile (default: the config's default_profile, else its first).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The dashboard's `/` filter, e.g. 'status:captured from:7d cur:AUD coffee'
    /// (refunds: status, from, to, on; customers: text; payouts and disputes: from,
    /// to, on and text).
    #[arg(long, value_name = "QUERY")]
    pub filter: Option<String>,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Write at most this many rows (and read no further pages).
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Write to FILE (whole or not at all) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Where to read: the local store if its sync read all of the kind, else the
    /// gateway (auto); or always one of them.
    #[arg(long, value_enum, default_value = "auto")]
    pub source: Source,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum KindName {
    Charges,
    Refunds,
    Customers,
    Payouts,
    Disputes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Source {
    Auto,
    Store,
    Gateway,
}

/// What an export wrote, for the closing message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub kind: &'static str,
    pub written: u64,
    pub from: String,
}

/// Runs `paydeck export` for the profile `args` (or `default_profile`) names, whose
/// store is in `data_dir`.
pub async fn run(
    config: &Config,
    default_profile: Option<&str>,
    args: &ExportArgs,
    data_dir: &Path,
) -> Result<Exported, ExportFailure> {
    let profile = config
        .profile(args.profile.as_deref().or(default_profile))
        .map_err(|e| ExportFailure::Setup(e.to_string()))?;
    let on = Export {
        config,
        profile,
        args,
        data_dir,
    };
    match args.kind {
        KindName::Charges => on.export::<Charge>().await,
        KindName::Refunds => on.export::<Refund>().await,
        KindName::Customers => on.export::<Customer>().await,
        KindName::Payouts => on.export::<Payout>().await,
        KindName::Disputes => on.export::<Dispute>().await,
    }
}

struct Export<'a> {
    config: &'a Config,
    profile: &'a Profile,
    args: &'a ExportArgs,
    data_dir: &'a Path,
}

/// Where the rows are read.
enum Reader {
    Store(Store),
    Gateway(Arc<dyn Gateway>),
}

impl Export<'_> {
    async fn export<T: Kind>(&self) -> Result<Exported, ExportFailure> {
        let today = filter_query::today(Utc::now(), self.config.timezone);
        let text = self.args.filter.as_deref().unwrap_or("");
        let filter =
            T::filter(text, today).map_err(|e| ExportFailure::Setup(format!("--filter: {e}")))?;
        let (reader, from) = self.reader::<T>()?;
        let out = Out::open(self.args.output.as_deref()).map_err(|e| {
            ExportFailure::Output(format!("cannot write {}: {e}", self.output_name()))
        })?;
        let reader_gone = out.reader_gone();
        let writer =
            RowWriter::start(self.args.format, T::NAME, T::COLUMNS, out).map_err(output)?;
        let mut rows = Rows {
            writer,
            limit: self.args.limit,
            written: 0,
            skipped: Vec::new(),
            progress: Progress::new(format!("{} from {from}", T::NAME)),
        };
        let read = match &reader {
            Reader::Store(store) => pages::from_store::<T, _>(store, &filter, &mut rows),
            Reader::Gateway(gateway) => {
                pages::from_gateway::<T, _>(gateway, &filter, &mut rows).await
            }
        };
        let Rows {
            writer,
            written,
            skipped,
            progress,
            ..
        } = rows;
        drop(progress);
        let ended = read.and_then(|()| writer.finish().map_err(output));
        let exported = Exported {
            kind: T::NAME,
            written,
            from,
        };
        if reader_gone.get() {
            // The reader of stdout went away: it has what it wanted.
            return Ok(exported);
        }
        ended?.commit().map_err(|e| {
            ExportFailure::Output(format!("cannot write {}: {e}", self.output_name()))
        })?;
        if let Some(first) = skipped.first() {
            return Err(ExportFailure::Unreadable {
                kind: T::NAME,
                skipped: skipped.len() as u64,
                written,
                first: format!("{}: {}", first.name(), first.why),
            });
        }
        Ok(exported)
    }

    fn output_name(&self) -> String {
        self.args
            .output
            .as_ref()
            .map_or_else(|| "stdout".into(), |p| p.display().to_string())
    }

    /// The store, where it holds all of `T` (or `--source` says so), else the gateway;
    /// and what to call it in messages.
    fn reader<T: Kind>(&self) -> Result<(Reader, String), ExportFailure> {
        let path = Store::path_for(self.data_dir, &self.profile.name);
        let wanted = self.args.source;
        if wanted != Source::Gateway {
            match complete_store::<T>(&path, wanted == Source::Store)? {
                Some((store, synced)) => {
                    let when = synced.map_or_else(String::new, |at| {
                        format!(", synced {}", at.format("%Y-%m-%d %H:%M UTC"))
                    });
                    eprintln!(
                        "paydeck export: {} from the local store{when} (`paydeck sync` brings newer; --source gateway reads the gateway)",
                        T::NAME
                    );
                    return Ok((Reader::Store(store), "the local store".into()));
                }
                None if wanted == Source::Store => {
                    return Err(ExportFailure::Setup(format!(
                        "profile {:?} has no local store of {} at {} (run `paydeck sync --profile {}`)",
                        self.profile.name,
                        T::NAME,
                        path.display(),
                        self.profile.name
                    )));
                }
                None => {}
            }
        }
        let gateway = connect(self.profile, &mut |waited| {
            let secs = waited.as_secs();
            if secs == 1 || secs.is_multiple_of(10) {
                eprintln!("paydeck export: waiting for key_command ({secs} s)…");
            }
        })
        .map_err(ExportFailure::Setup)?;
        if !T::listed(&gateway.capabilities()) {
            return Err(ExportFailure::Setup(format!(
                "{} does not list {}, and the local store holds none",
                gateway.name(),
                T::NAME
            )));
        }
        let name = gateway.name().to_string();
        Ok((Reader::Gateway(gateway), name))
    }
}

/// A store, and when it was last synced.
type SyncedStore = (Store, Option<DateTime<Utc>>);

/// The profile's store at `path` where its sync read all of `T` (or `any`: whatever it
/// holds), and when it was last synced. A store file is never made here.
fn complete_store<T: Kind>(path: &Path, any: bool) -> Result<Option<SyncedStore>, ExportFailure> {
    let Some(resource) = T::RESOURCE else {
        return Ok(None);
    };
    if !path.exists() {
        return Ok(None);
    }
    let failed = |e: crate::store::StoreError| {
        ExportFailure::Store(format!("the local store {}: {e}", path.display()))
    };
    let store = Store::open(path).map_err(failed)?;
    let mut done = false;
    let mut synced: Option<DateTime<Utc>> = None;
    for phase in [SyncPhase::Recent, SyncPhase::Backfill, SyncPhase::Changes] {
        if let Some(state) = store.sync_state(resource, phase).map_err(failed)? {
            done |= phase == SyncPhase::Backfill && state.done;
            synced = synced.max(Some(state.updated_at));
        }
    }
    Ok((done || any).then_some((store, synced)))
}
