//! The dashboard killed (SIGKILL) while its background sync backfills the store, and
//! started again: the backfill goes on from where the first one stopped (its progress
//! counts on from there), the status line then counts every charge the simulator holds,
//! and the store holds each of them once.

mod common;

use common::profile::{KEY_ENV, ProfileFile};
use common::pty::Pty;
use common::simulator::{self, Dialect, faults, quick_http, seeded};
use paydeck::sim::SimConfig;
use paydeck::store::{CHARGES, Store, SyncPhase};

/// Enough that, with each page slowed down, the backfill takes seconds.
const HELD: usize = 3_000;

/// The count of the `backfill N of ~M` progress in the status line, if it shows.
fn backfilled(screen: &str) -> Option<u64> {
    let status = screen.lines().rev().find(|l| !l.trim().is_empty())?;
    let (_, after) = status.split_once("backfill ")?;
    let number = after.split_whitespace().next()?;
    number.replace(',', "").parse().ok()
}

#[test]
fn a_dashboard_killed_during_its_backfill_resumes_it_and_holds_every_charge_once() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let config = SimConfig {
        faults: faults("latency_ms=60"),
        ..seeded(HELD, 100)
    };
    let sim = runtime.block_on(simulator::start(Dialect::Pin, config));
    let profile = ProfileFile::write("resume", &sim);
    let data_dir = std::env::temp_dir().join(format!("paydeck-resume-{}", uuid::Uuid::new_v4()));
    let config = profile.path.to_str().expect("a UTF-8 path");
    let args = ["--config", config, "--profile", "resume"];
    let env = [(KEY_ENV, sim.key.as_str())];

    let first = Pty::spawn_in(&data_dir, &args, &env);
    first.wait_for("part of the backfill", |s| {
        backfilled(s).is_some_and(|n| n >= 500)
    });
    first.signal("KILL");
    let mut first = first;
    assert!(!first.wait_status().success(), "killed");

    let path = Store::path_for(&data_dir, "resume");
    let stopped = {
        let store = Store::open(&path).expect("the store");
        let stopped = store
            .sync_state(CHARGES, SyncPhase::Backfill)
            .unwrap()
            .expect("a backfill began");
        let held = store.charge_count().unwrap();
        assert!(held < HELD as u64, "killed mid-way: {held}");
        stopped
    };
    assert!(
        !stopped.done && stopped.cursor.is_some() && stopped.fetched >= 500,
        "{stopped:?}"
    );

    // Started again, the backfill's progress counts on from what the first committed:
    // begun afresh, it would count up from its first page.
    let mut second = Pty::spawn_in(&data_dir, &args, &env);
    let screen = second.wait_for("the backfill again", |s| backfilled(s).is_some());
    let resumed_at = backfilled(&screen).expect("a count");
    assert!(
        resumed_at >= stopped.fetched,
        "resumed at {resumed_at}, stopped at {}:\n{screen}",
        stopped.fetched
    );
    // Done: the progress is gone and the selection's place counts every charge.
    let every = format!("1 of {}", paydeck::ui::format::count(HELD as u64));
    second.wait_for("the backfill's end", |s| {
        backfilled(s).is_none() && s.contains(&every)
    });
    second.quit();

    let store = Store::open(&path).expect("the store");
    common::resumed::holds_every_charge_once(&runtime, &sim.pin(quick_http()), &store, HELD);

    drop(store);
    runtime.block_on(sim.running.shutdown());
    let _ = std::fs::remove_dir_all(&data_dir);
}
