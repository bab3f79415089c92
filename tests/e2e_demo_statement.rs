//! `paydeck --demo` for a reconciliation walkthrough: at start it writes its bank
//! statement into the data directory (OFX, CSV with the mapping that reads it,
//! camt.053), its background sync puts the payouts with their lines in the demo's
//! store, and auto-match over the statement and what a session gathers from that
//! store finds exactly the anomalies the demo's simulator lists in its truth, with
//! one of each kind the walkthrough shows.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::bank_truth::{
    assert_found_exactly, auto_match_over, bank_id, day, expected, findings, stored_payouts,
};
use common::demo::{demo, get_json};
use common::pty::{PATIENCE, free_port};
use paydeck::cli::demo_statement::StatementFiles;
use paydeck::recon::Statement;
use paydeck::recon::import::{self, CsvMapping, Format};
use paydeck::recon::session::gather;
use paydeck::store::Store;
use serde_json::Value;

/// Each line as every format shows it: booked, amount, reference.
fn lines(statement: &Statement) -> Vec<(chrono::NaiveDate, String, String)> {
    statement
        .lines
        .iter()
        .map(|l| (l.booked, l.amount.to_string(), l.reference.clone()))
        .collect()
}

/// The demo's store, once the demo has made it.
fn demo_store(data_dir: &Path, pid: u32) -> PathBuf {
    Store::path_for(&data_dir.join(format!("demo-{pid}")), "pin")
}

/// The demo's store, once it holds every payout the truth names, each with its lines
/// (the dashboard's background sync puts them there).
fn synced(path: &Path, truth: &Value) -> Store {
    let named: Vec<&str> = truth["payouts"]
        .as_array()
        .expect("payouts")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert!(!named.is_empty(), "the demo's bank paid nothing: {truth}");
    let store = Store::open(path).expect("the demo's store opens beside the demo");
    let started = Instant::now();
    loop {
        let payouts = stored_payouts(&store).expect("the store's payouts");
        let synced = |id: &&str| {
            payouts
                .iter()
                .any(|p| p.payout.id == *id && !p.lines.is_empty())
        };
        if named.iter().all(synced) {
            return store;
        }
        let missing: Vec<&&str> = named.iter().filter(|id| !synced(id)).collect();
        assert!(
            started.elapsed() < PATIENCE,
            "the demo's store lacks these payouts or their lines: {missing:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_demo_writes_a_statement_whose_anomalies_auto_match_finds_and_nothing_else() {
    let port = free_port();
    let mut pty = demo(port, &[]);
    let pid = pty.pid().expect("the demo's pid");
    let files = StatementFiles::in_dir(&pty.data_dir);

    let ofx = import::import_file(&files.ofx, &Format::Ofx).expect("the OFX imports");
    let mapping = std::fs::read_to_string(&files.mapping).expect("the mapping is written");
    let mapping = CsvMapping::from_toml(&mapping).expect("the mapping reads");
    let csv = import::import_file(&files.csv, &Format::Csv(mapping)).expect("the CSV imports");
    let camt = import::import_file(&files.camt053, &Format::Camt053).expect("camt.053 imports");
    assert!(ofx.lines.len() >= 20, "{} lines", ofx.lines.len());
    assert_eq!(lines(&csv), lines(&ofx));
    assert_eq!(lines(&camt), lines(&ofx));

    let truth = get_json(port, "/_sim/bank/truth?dialect=pin&currency=AUD");
    let store = synced(&demo_store(&pty.data_dir, pid), &truth);
    let (from, to) = (day(&truth["from"]), day(&truth["to"]));
    let inputs = gather(&store, "pin", from, to).expect("the demo's inputs");
    let outcome = auto_match_over("pin", &truth, &ofx, &inputs.payouts, &inputs.unpaid);
    let found = findings(&outcome, &|d| bank_id(&ofx, d));
    let (expected, kinds) = expected(&truth, &outcome);
    assert_found_exactly(&found, &expected, "the demo");
    eprintln!("the demo's statement: {kinds:?}");
    for kind in ["merged", "bank_fee", "unrelated", "late", "lost"] {
        assert!(kinds.contains_key(kind), "no {kind} in {kinds:?}");
    }

    // The demo's store, and the sessions kept beside it, go when the demo does.
    pty.quit();
    assert!(!pty.data_dir.join(format!("demo-{pid}")).exists());
    assert!(files.ofx.exists());
}
