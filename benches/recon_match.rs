//! Import and auto-match for a busy merchant's month (issue 15's goal: at most 1 s):
//! a statement of 1,000 bank lines read, parsed and de-duplicated, its import recorded
//! in a fresh session database, the profile's payouts, their lines and its unpaid
//! captured charges read from a store of 100,000 charges, auto-match run, and what it
//! found recorded as match and proposal events. The fixture (the store and the
//! statement) is built once and cached (`benches/common/recon_fixture.rs`); the
//! session database is new for each iteration, under the target directory (on the disk
//! a data directory would be on, so its fsyncs count).
//!
//! The path is the session's own (`recon::session`): `import_event` over the loaded
//! session, `gather` from the profile's store, `auto_match_events` over the session
//! loaded again, each event recorded. Besides the whole path, each step is timed
//! alone: `parse` (read, parse, dedupe: the import event), `gather` (the store's
//! side), `match` (auto-match and its events) and `persist` (the import recorded, the
//! session loaded again, the match and proposal events recorded).

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use common::recon_fixture::{self, PROFILE, ReconFixture};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use paydeck::recon::import::{self, Format};
use paydeck::recon::session::{ProfileInputs, auto_match_events, gather, import_event};
use paydeck::recon::{FeeBand, MatchConfig, Statement};
use paydeck::store::Store;
use paydeck::store::sessions::{
    Event, NewSession, SessionId, SessionStore, SessionView, SqliteSessions, Stamp,
};

fn stamp() -> Stamp {
    Stamp {
        who: "bench".into(),
        at: Utc::now(),
    }
}

/// The session's period: the statement's first to last booking.
fn period(statement: &Statement) -> (NaiveDate, NaiveDate) {
    let days = statement.lines.iter().map(|l| l.booked);
    let from = days.clone().min().expect("lines");
    (from, days.max().expect("lines"))
}

/// A new session database in a directory of its own under `root`, with the session
/// the operator made for the period, as it loads before anything is imported.
fn fresh_session(
    root: &Path,
    (from, to): (NaiveDate, NaiveDate),
) -> (SqliteSessions, SessionId, SessionView) {
    let dir = root.join(uuid::Uuid::new_v4().to_string());
    let mut sessions = SqliteSessions::open(&SqliteSessions::path_in(&dir)).expect("a database");
    let new = NewSession {
        name: "busy-month".into(),
        profiles: vec![PROFILE.into()],
        from,
        to,
    };
    let id = sessions.create(&new, &stamp()).expect("a session");
    let view = sessions.load(id).expect("the new session");
    (sessions, id, view)
}

/// Read and parse the file, and sort its lines into new ones and ones the session
/// holds: the import event.
fn parse(path: &Path, view: &SessionView) -> Event {
    let statement = import::import_file(path, &Format::Ofx).expect("the statement imports");
    import_event(&statement, view).expect("the lines").0
}

/// The profile's side, from its store.
fn gather_inputs(store: &Store, (from, to): (NaiveDate, NaiveDate)) -> Vec<ProfileInputs> {
    vec![gather(store, PROFILE, from, to).expect("the profile's inputs")]
}

fn match_config() -> MatchConfig {
    MatchConfig {
        fee_band: FeeBand::of("pin"),
        ..MatchConfig::default()
    }
}

/// The import recorded and the session loaded again, as auto-match reads it.
fn record_import(sessions: &mut SqliteSessions, id: SessionId, import: Event) -> SessionView {
    sessions.record(id, import, &stamp()).expect("the import");
    sessions.load(id).expect("the session")
}

/// Auto-match's events, in one durable write.
fn record_all(sessions: &mut SqliteSessions, id: SessionId, events: Vec<Event>) {
    sessions
        .record_all(id, events, &stamp())
        .expect("the matches and proposals");
}

fn bench_root() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("recon-match-{}", std::process::id()))
}

fn import_and_match(c: &mut Criterion) {
    let ReconFixture {
        store_dir,
        statement,
    } = recon_fixture::cached();
    let store = Store::open(&recon_fixture::store_path(&store_dir)).expect("the store");
    let root = bench_root();
    let config = match_config();
    let parsed = import::import_file(&statement, &Format::Ofx).expect("the statement imports");
    let days = period(&parsed);

    // One run, untimed, for what it finds and for the steps timed alone below.
    let (mut sessions, id, view) = fresh_session(&root, days);
    let import = parse(&statement, &view);
    let inputs = gather_inputs(&store, days);
    let view = record_import(&mut sessions, id, import.clone());
    let (events, outcome) = auto_match_events(&view, &inputs, &config, days.1);
    let lines_held: usize = inputs[0].payouts.iter().map(|p| p.lines.len()).sum();
    eprintln!(
        "{} bank lines, {} payouts with {lines_held} lines, {} unpaid charges: \
         {} matches, {} proposals, {} exceptions; {} events",
        view.lines.len(),
        inputs[0].payouts.len(),
        inputs[0].unpaid.len(),
        outcome.matches.len(),
        outcome.proposals.len(),
        outcome.exceptions.len(),
        events.len(),
    );

    let mut group = c.benchmark_group("recon");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("import_and_auto_match_100000_charges_1000_lines", |b| {
        b.iter_batched(
            || fresh_session(&root, days),
            |(mut sessions, id, view)| {
                let import = parse(&statement, &view);
                let view = record_import(&mut sessions, id, import);
                let inputs = gather_inputs(&store, days);
                let (events, _) = auto_match_events(&view, &inputs, &config, days.1);
                record_all(&mut sessions, id, events);
            },
            BatchSize::PerIteration,
        )
    });
    let empty = fresh_session(&root, days).2;
    group.bench_function("parse", |b| b.iter(|| parse(&statement, &empty)));
    group.bench_function("gather", |b| b.iter(|| gather_inputs(&store, days)));
    group.bench_function("match", |b| {
        b.iter(|| auto_match_events(&view, &inputs, &config, days.1))
    });
    group.bench_function("persist", |b| {
        b.iter_batched(
            || fresh_session(&root, days),
            |(mut sessions, id, _)| {
                record_import(&mut sessions, id, import.clone());
                record_all(&mut sessions, id, events.clone());
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&root);
}

criterion_group!(benches, import_and_match);
criterion_main!(benches);
