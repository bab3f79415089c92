//! `paydeck recon import` (a statement file, then auto-match) and `paydeck recon
//! match` (auto-match alone).

use std::path::PathBuf;

use super::context::Worked;
use super::{Recon, ReconError, banks};
use crate::money::Currency;
use crate::recon::import::{self, Detected, Format, guess_mapping};
use crate::recon::session::{ProfileInputs, auto_match_events, import_event};
use crate::store::sessions::{Event, SessionSummary};

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The session's name.
    pub name: String,
    /// The statement: OFX, camt.053 or CSV (told apart by their content).
    pub file: PathBuf,
    /// The bank a CSV comes from: its saved column mapping is used; with --mapping,
    /// that mapping is saved as this bank's first.
    #[arg(long, value_name = "BANK")]
    pub bank: Option<String>,
    /// A CSV column mapping (TOML). Without it or --bank, a CSV is not imported: the
    /// mapping paydeck guesses is printed on stdout, to check and save.
    #[arg(long, value_name = "MAPPING.toml")]
    pub mapping: Option<PathBuf>,
    /// The currency a guessed mapping gives a CSV without a currency column
    /// (default: the session's first payout's).
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
}

pub fn import(recon: &mut Recon, args: &ImportArgs) -> Result<(), ReconError> {
    let summary = recon.session(&args.name)?;
    // Before anything is written: the stores must be there to match against.
    let inputs = recon.inputs(&summary)?;
    let name = args.file.display().to_string();
    let bytes = import::read_bounded(&args.file)?;
    let format = match import::detect(&bytes) {
        Detected::Ofx => Format::Ofx,
        Detected::Camt053 => Format::Camt053,
        Detected::Csv => Format::Csv(csv_mapping(recon, args, &bytes, &inputs)?),
    };
    let statement = import::parse(&name, &bytes, &format)?;
    let view = recon.load(&summary)?;
    let (event, sorted) =
        import_event(&statement, &view).map_err(|e| ReconError::Failed(format!("{name}: {e}")))?;
    recon.record(&summary, event)?;
    eprintln!("paydeck recon: {name}: {sorted}");
    auto_match(recon, &summary, inputs)
}

pub fn rematch(recon: &mut Recon, name: &str) -> Result<(), ReconError> {
    let summary = recon.session(name)?;
    let inputs = recon.inputs(&summary)?;
    auto_match(recon, &summary, inputs)
}

/// Records auto-match's matches and proposals over the session as it stands, and
/// prints what it did and what is left on one line.
fn auto_match(
    recon: &mut Recon,
    summary: &SessionSummary,
    inputs: Vec<ProfileInputs>,
) -> Result<(), ReconError> {
    let view = recon.load(summary)?;
    let config = recon.match_config(summary);
    let (events, _) = auto_match_events(&view, &inputs, &config, Recon::as_of());
    let proposed = events
        .iter()
        .filter(|e| matches!(e, Event::Match { proposed: true, .. }))
        .count();
    let matched = events.len() - proposed;
    recon.record_all(summary, events)?;
    let Worked { board, .. } = recon.work_with(summary, inputs)?;
    let open = board
        .exceptions
        .iter()
        .filter(|e| e.state == crate::recon::session::ExceptionState::Open)
        .count();
    let awaiting = board.payouts.iter().filter(|p| p.awaiting).count();
    super::out(&format!(
        "auto-match: {matched} matched, {proposed} proposed; {open} exception(s) open, {awaiting} payout(s) awaiting their deposit"
    ))
}

/// The CSV's mapping: given (and saved as the bank's, with --bank), or the bank's
/// saved one; with neither, the guess goes to stdout and the import stops.
fn csv_mapping(
    recon: &Recon,
    args: &ImportArgs,
    bytes: &[u8],
    inputs: &[ProfileInputs],
) -> Result<import::CsvMapping, ReconError> {
    match (&args.mapping, &args.bank) {
        (Some(file), bank) => {
            let mapping = banks::read(file)?;
            if let Some(bank) = bank {
                let saved = banks::save(&recon.data_dir, bank, &mapping)?;
                eprintln!(
                    "paydeck recon: saved as bank {bank:?}'s mapping ({}): next time --bank {bank} is enough",
                    saved.display()
                );
            }
            Ok(mapping)
        }
        (None, Some(bank)) => banks::load(&recon.data_dir, bank),
        (None, None) => {
            let currency = match &args.currency {
                Some(code) => Currency::from_code(code)
                    .map_err(|e| ReconError::Failed(format!("--currency: {e}")))?,
                None => inputs
                    .iter()
                    .flat_map(|p| &p.payouts)
                    .map(|w| w.payout.amount.currency)
                    .next()
                    .unwrap_or(Currency::AUD),
            };
            let name = args.file.display().to_string();
            let guess = guess_mapping(&name, bytes, currency)?;
            super::out(guess.mapping.to_toml().trim_end())?;
            for doubt in &guess.doubts {
                eprintln!("paydeck recon: check: {doubt}");
            }
            Err(ReconError::Failed(format!(
                "{name} is a CSV and needs its bank's column mapping: the guess above is on \
                 stdout; check it, save it to a file and import again with --mapping FILE --bank BANK"
            )))
        }
    }
}
