//! `paydeck recon`: reconciliation sessions without the screen, for scripts and tests.
//! Each command is a thin shell over `recon::session` and the session database; data
//! goes to stdout, messages to stderr, and the exit code says how it ended.

pub(crate) mod audit;
pub mod banks;
mod claims;
mod context;
mod error;
mod export;
mod import;
mod marks;
mod push_pull;
mod sessions;
mod status;

use std::io::Write;
use std::path::Path;

pub use claims::ClaimArgs;
pub use context::Recon;
pub use error::ReconError;
pub use export::ExportArgs;
pub use import::ImportArgs;
pub use marks::{FlagArgs, MarkArgs, NoteArgs, SignoffArgs};
use push_pull::Way;
pub use sessions::NewArgs;
pub use status::StatusArgs;

use crate::config::Config;
use crate::store::sessions::StoreUrl;

/// The exit codes, as `paydeck recon --help` lists them.
pub const EXIT_CODES: &str = "Exit codes: 0 done; 1 error (a bad file, no such session, a \
profile's store missing: the message says what to do); 2 usage (a wrong argument; push or pull \
without a shared store); 3 refused \
(the session's rules do not allow it, another operator changed what it marks since it was read, \
or holds it, or push or pull finds the name taken: nothing was written, the message says why).\n\
Items are named deposit:<identity>, payout:<profile>/<id>, charge:<profile>/<id> or \
exception:<ref>, as `paydeck recon status NAME --format json` lists them.";

#[derive(clap::Args, Debug)]
#[command(after_help = EXIT_CODES)]
pub struct ReconArgs {
    #[command(subcommand)]
    pub command: ReconCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum ReconCommand {
    /// Start a session over profiles' payouts for a period (default: last calendar month).
    New(NewArgs),
    /// One line per session: name, profiles, period, open or signed off.
    List,
    /// Import a bank statement (OFX, camt.053 or CSV), then auto-match.
    Import(ImportArgs),
    /// Auto-match again (after a sync brought new payouts, say).
    Match(NameArg),
    /// Counts per state, totals per currency, open exceptions, sign-off.
    Status(StatusArgs),
    /// Accept a proposal, undo a match, match items by hand, or ignore an item.
    Mark(MarkArgs),
    /// Flag an item (an exception, usually) with a note explaining it.
    Flag(FlagArgs),
    /// Add a note to an item.
    Note(NoteArgs),
    /// Sign the session off (freezing its totals), or reopen it with a reason.
    Signoff(SignoffArgs),
    /// Claim an item (an exception, usually) so that other operators leave it to you
    /// until you release it or leave it idle; --release gives it up.
    Claim(ClaimArgs),
    /// Write the exceptions, the clearing journal and the signed-off summary (CSV or XLSX).
    Export(ExportArgs),
    /// Copy a session from the data directory's SQLite to the shared PostgreSQL that
    /// --store URL or the config's [store] url names: its events with their original
    /// stamps, so its matches, notes, sign-off and history come along (claims do not).
    /// The local copy is left as it is; a name the store holds already is refused.
    Push(NameArg),
    /// Copy a session from the shared PostgreSQL (--store URL or [store] url) to the data
    /// directory's SQLite, as push does the other way; the shared copy is left as it is.
    Pull(NameArg),
}

#[derive(clap::Args, Debug)]
pub struct NameArg {
    /// The session's name.
    pub name: String,
}

/// Runs one `paydeck recon` command over the sessions in `store` (a shared
/// PostgreSQL), else in `data_dir`; `config` (if there is one) gives each profile's
/// gateway and the operator's name.
pub fn run(
    args: &ReconArgs,
    config: Option<&Config>,
    data_dir: &Path,
    store: Option<&StoreUrl>,
) -> Result<(), ReconError> {
    // Opened by each command that reads or writes one store; push and pull open two.
    let open = || Recon::open(data_dir, config, store);
    match &args.command {
        ReconCommand::New(a) => sessions::new(&mut open()?, a),
        ReconCommand::List => sessions::list(&mut open()?),
        ReconCommand::Import(a) => import::import(&mut open()?, a),
        ReconCommand::Match(a) => import::rematch(&mut open()?, &a.name),
        ReconCommand::Status(a) => status::status(&mut open()?, a),
        ReconCommand::Mark(a) => marks::mark(&mut open()?, a),
        ReconCommand::Flag(a) => marks::flag(&mut open()?, a),
        ReconCommand::Note(a) => marks::note(&mut open()?, a),
        ReconCommand::Signoff(a) => marks::signoff(&mut open()?, a),
        ReconCommand::Claim(a) => claims::claim(&mut open()?, a),
        ReconCommand::Export(a) => export::export(&mut open()?, a),
        ReconCommand::Push(a) => push_pull::run(data_dir, config, store, &a.name, Way::Push),
        ReconCommand::Pull(a) => push_pull::run(data_dir, config, store, &a.name, Way::Pull),
    }
}

/// Writes `text` and a newline to stdout. A reader that went away (`| head`) is not
/// an error; any other failure to write is.
pub fn out(text: &str) -> Result<(), ReconError> {
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(ReconError::Failed(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}
