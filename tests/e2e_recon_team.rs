//! Two operators on one reconciliation session, each in a dashboard of their own in a
//! pseudo-terminal: a mark made in one appears on the other's screen by itself, and so
//! does a claim taken or given up. A dashboard started while the shared store is down
//! says so, and works live once the store is back.
//! Both share one data directory's `recon.sqlite` (two dashboards on one laptop), or
//! a PostgreSQL whose server is killed mid-session and started again; the latency from
//! the mark's key to the other screen is printed.

mod common;

use std::time::{Duration, Instant};

use common::pty::Pty;
use common::recon_bank::{Bank, bank};
use paydeck::store::sessions::{Event, PgSessions, SessionStore, StoreUrl};

const NOTE: &str = "asked the bank about it";

/// The count of open exceptions the tabs line shows: `exceptions 4 (3 open)`.
fn open_exceptions(screen: &str) -> usize {
    screen
        .split("exceptions ")
        .nth(1)
        .and_then(|rest| rest.split('(').nth(1))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no exceptions count on:\n{screen}"))
}

/// The session's exceptions tab, once its board is in and no mark is out.
fn on_exceptions(pty: &mut Pty) -> usize {
    pty.send("\t\t");
    let screen = pty.wait_for("the exceptions tab", |s| {
        s.contains("open)") && !s.contains("recording…") && !s.contains("working")
    });
    open_exceptions(&screen)
}

/// Ana's dashboard with session `nov` created and the statement imported, and Ben's
/// with it open, both on the exceptions tab (`extra`: more arguments for both, as
/// `--store URL`); and how many exceptions are open.
fn ana_and_ben(bank: &Bank, extra: &[&str]) -> (Pty, Pty, usize) {
    let file = bank.statement_file("nov.ofx");
    let mut ana = bank.with_new_session_on(extra);
    ana.send(&format!(":import {}\r", file.display()));
    ana.wait_for("the import and auto-match", |s| {
        s.contains("new lines, 0 already imported;") && s.contains("proposed")
    });
    let open = on_exceptions(&mut ana);
    assert!(open > 1, "the noise makes exceptions");
    let mut ben = bank.sim.open_in_with(&bank.data_dir, extra);
    ben.send(":recon nov\r");
    ben.wait_for("ben's board", |s| {
        s.contains("deposits") && s.contains("proposed")
    });
    assert_eq!(on_exceptions(&mut ben), open);
    (ana, ben, open)
}

/// `keys` (to the exception) then a flag with `note` in `marker`'s dashboard, until
/// `watcher`'s screen shows `open` exceptions left open; how long that took from the
/// flag's Enter.
fn flag_until_seen(
    marker: &mut Pty,
    keys: &str,
    note: &str,
    watcher: &Pty,
    open: usize,
) -> Duration {
    marker.send(keys);
    marker.wait_for("the flag dialog", |s| s.contains("Flag with a note"));
    marker.send(note);
    let sent = Instant::now();
    marker.send("\r");
    let left = format!("({open} open)");
    watcher.wait_for("the flag on the other screen", |s| s.contains(&left));
    let latency = sent.elapsed();
    marker.wait_for("the flag acknowledged", |s| {
        s.contains(&left) && !s.contains("recording…")
    });
    latency
}

/// `marker` claims the first exception, then gives it up: `watcher`'s screen shows it
/// held, then free, pressing nothing; how long the claim took to show there.
fn claim_and_release_seen(marker: &mut Pty, watcher: &Pty) -> Duration {
    assert!(!watcher.contents().contains("held by"));
    let sent = Instant::now();
    marker.send("gc");
    watcher.wait_for_text("held by");
    let latency = sent.elapsed();
    marker.wait_for_text("Claimed");
    marker.wait_for("the claim acknowledged", |s| !s.contains("claiming"));
    marker.send("c");
    marker.wait_for_text("Released");
    watcher.wait_for("the release on the other screen", |s| {
        !s.contains("held by")
    });
    latency
}

#[test]
fn a_flag_in_one_dashboard_appears_in_the_other_on_the_same_data_directory() {
    let bank = bank("ofx");
    let (mut ana, mut ben, open) = ana_and_ben(&bank, &[]);
    // Ana flags the first exception; Ben presses nothing.
    let latency = flag_until_seen(&mut ana, "gf", NOTE, &ben, open - 1);
    println!("a mark appeared on the other dashboard {latency:?} after its key");
    // And back: Ben's flag note on the same exception reaches Ana's screen.
    flag_until_seen(&mut ben, "gf", "and again", &ana, open - 1);
    ana.wait_for("ben's note on ana's screen", |s| s.contains("and again"));
    let latency = claim_and_release_seen(&mut ana, &ben);
    println!("a claim appeared on the other dashboard {latency:?} after its key");
    ana.quit();
    ben.quit();
    let _ = std::fs::remove_dir_all(&bank.data_dir);
}

/// Every flag note recorded in session `nov` of the store at `url`.
fn flag_notes(url: &str) -> Vec<String> {
    let url = StoreUrl::parse(url).expect("the cluster's URL");
    let mut store = PgSessions::connect(&url).expect("the store");
    let id = store.find("nov").expect("the session").id;
    store
        .events(id)
        .expect("its events")
        .into_iter()
        .filter_map(|e| match e.event {
            Event::Flag { note, .. } => Some(note),
            _ => None,
        })
        .collect()
}

#[test]
fn on_postgresql_a_flag_crosses_over_and_a_killed_server_is_unreachable_until_it_returns() {
    let Some(cluster) = common::pg_cluster::own_cluster() else {
        return;
    };
    let url = cluster.new_database();
    let bank = bank("ofx");
    let (mut ana, mut ben, open) = ana_and_ben(&bank, &["--store", url.as_str()]);
    let latency = flag_until_seen(&mut ana, "gf", NOTE, &ben, open - 1);
    println!("on PostgreSQL a mark appeared on the other dashboard {latency:?} after its key");

    // The server dies: both screens say so, and a mark is refused, not queued.
    cluster.kill_server().expect("the server stops");
    for pty in [&ana, &ben] {
        pty.wait_for_text("store unreachable");
    }
    ben.send("jf");
    ben.wait_for_text("Not recorded: the session store is unreachable");
    assert!(!ben.contents().contains("Flag with a note"));

    // It returns: the message clears, and marks cross over again.
    cluster.start_server().expect("the server starts again");
    for pty in [&ana, &ben] {
        pty.wait_for("the store back", |s| !s.contains("store unreachable"));
    }
    flag_until_seen(&mut ben, "f", "after the restart", &ana, open - 2);
    let latency = claim_and_release_seen(&mut ana, &ben);
    println!("on PostgreSQL a claim appeared on the other dashboard {latency:?} after its key");

    // Every acknowledged mark is in the store, the refused one is not.
    assert_eq!(flag_notes(&url), [NOTE, "after the restart"]);
    ana.quit();
    ben.quit();
    let _ = std::fs::remove_dir_all(&bank.data_dir);
}

#[test]
fn a_dashboard_started_while_postgresql_is_down_goes_live_once_it_is_back() {
    let Some(cluster) = common::pg_cluster::own_cluster() else {
        return;
    };
    let url = cluster.new_database();
    let bank = bank("ofx");
    let store = ["--store", url.as_str()];
    let file = bank.statement_file("nov.ofx");
    let mut ana = bank.with_new_session_on(&store);
    ana.send(&format!(":import {}\r", file.display()));
    ana.wait_for("the import and auto-match", |s| {
        s.contains("new lines, 0 already imported;") && s.contains("proposed")
    });
    let open = on_exceptions(&mut ana);

    // Ben starts while the server is down: his session screen says it is unreachable.
    cluster.kill_server().expect("the server stops");
    ana.wait_for_text("store unreachable");
    let mut ben = bank.sim.open_in_with(&bank.data_dir, &store);
    ben.send(":recon nov\r");
    ben.wait_for_text("store unreachable");

    // The server returns: Ben's screen reads the session by itself, and Ana's flag
    // reaches it with nothing pressed.
    cluster.start_server().expect("the server starts again");
    ben.wait_for("ben's board, the store back", |s| {
        s.contains("deposits") && s.contains("proposed") && !s.contains("store unreachable")
    });
    assert_eq!(on_exceptions(&mut ben), open);
    ana.wait_for("the store back", |s| !s.contains("store unreachable"));
    let latency = flag_until_seen(&mut ana, "gf", NOTE, &ben, open - 1);
    println!("after starting while the store was down, a mark appeared {latency:?} after its key");
    assert_eq!(flag_notes(&url), [NOTE]);
    ana.quit();
    ben.quit();
    let _ = std::fs::remove_dir_all(&bank.data_dir);
}
