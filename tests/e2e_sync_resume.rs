//! `paydeck sync` killed (SIGKILL) during its backfill and started again: the second
//! run goes on from the cursor the first committed, and the store ends with every
//! charge the simulator lists, once.

mod common;

use common::profile::{KEY_ENV, ProfileFile};
use common::pty::Pty;
use common::simulator::{self, Dialect, faults, quick_http, seeded};
use paydeck::sim::SimConfig;
use paydeck::store::{CHARGES, Store, SyncPhase};

/// Enough that, with each page slowed down, the backfill takes seconds.
const HELD: usize = 5_000;

/// The count in the last `paydeck sync: backfill N…` line on the screen.
fn backfilled(screen: &str) -> Option<u64> {
    let line = screen
        .lines()
        .rev()
        .find(|l| l.starts_with("paydeck sync: backfill "))?;
    let number = line
        .trim_start_matches("paydeck sync: backfill ")
        .split_whitespace()
        .next()?;
    number.replace(',', "").parse().ok()
}

/// The `N in the backfill` of the summary line.
fn backfilled_in_run(screen: &str) -> Option<u64> {
    let joined = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    let before = joined.split(" in the backfill").next()?;
    let number = before.rsplit(' ').next()?;
    number.replace(',', "").parse().ok()
}

#[test]
fn a_killed_sync_resumes_its_backfill_and_ends_with_every_charge_once() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let config = SimConfig {
        faults: faults("latency_ms=80"),
        ..seeded(HELD, 200)
    };
    let sim = runtime.block_on(simulator::start(Dialect::Stripe, config));
    let profile = ProfileFile::write("resume", &sim);
    let data_dir = std::env::temp_dir().join(format!("paydeck-sync-{}", uuid::Uuid::new_v4()));
    let config = profile.path.to_str().expect("a UTF-8 path");
    let args = ["--config", config, "sync"];
    let env = [(KEY_ENV, sim.key.as_str())];

    let first = Pty::spawn_in(&data_dir, &args, &env);
    first.wait_for("part of the backfill", |s| {
        backfilled(s).is_some_and(|n| n >= 1_000)
    });
    first.signal("KILL");
    let mut first = first;
    assert!(!first.wait_status().success(), "killed");

    let path = Store::path_for(&data_dir, "resume");
    let (held, stopped) = {
        let store = Store::open(&path).expect("the store");
        let state = store.sync_state(CHARGES, SyncPhase::Backfill).unwrap();
        (
            store.charge_count().unwrap(),
            state.expect("a backfill began"),
        )
    };
    assert!(
        held >= 1_000 && held < HELD as u64,
        "killed mid-way: {held}"
    );
    assert!(!stopped.done && stopped.cursor.is_some(), "{stopped:?}");
    // Each committed page came with its cursor and count: they agree with the rows.
    assert_eq!(stopped.fetched, held);

    let mut second = Pty::spawn_in(&data_dir, &args, &env);
    assert!(
        second.wait_exit(),
        "the second run ends: {}",
        second.contents()
    );
    let summary = second.contents();
    assert!(summary.contains("backfill complete"), "{summary}");
    // The second run went on from the cursor: its backfill read only what the first
    // had not committed; starting again would have read all of it.
    let left = HELD as u64 - stopped.fetched;
    assert_eq!(backfilled_in_run(&summary), Some(left), "{summary}");

    let store = Store::open(&path).expect("the store");
    common::resumed::holds_every_charge_once(&runtime, &sim.stripe(quick_http()), &store, HELD);

    drop(store);
    runtime.block_on(sim.running.shutdown());
    let _ = std::fs::remove_dir_all(&data_dir);
}
