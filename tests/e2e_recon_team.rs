//! Two operators on one reconciliation session, each in a dashboard of their own in a
//! pseudo-terminal: a mark made in one appears on the other's screen by itself.
//! Here both share one data directory's `recon.sqlite` (two dashboards on one
//! laptop); the latency from the mark's key to the other screen is printed.

mod common;

use std::time::Instant;

use common::pty::Pty;
use common::recon_bank::bank;

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

#[test]
fn a_flag_in_one_dashboard_appears_in_the_other_on_the_same_data_directory() {
    let bank = bank("ofx");
    let file = bank.statement_file("nov.ofx");
    let mut ana = bank.with_new_session();
    ana.send(&format!(":import {}\r", file.display()));
    ana.wait_for("the import and auto-match", |s| {
        s.contains("new lines, 0 already imported;") && s.contains("proposed")
    });
    let open = on_exceptions(&mut ana);
    assert!(open > 0, "the noise makes exceptions");

    let mut ben = bank.sim.open_in(&bank.data_dir);
    ben.send(":recon nov\r");
    ben.wait_for("ben's board", |s| {
        s.contains("deposits") && s.contains("proposed")
    });
    assert_eq!(on_exceptions(&mut ben), open);

    // Ana flags the first exception; Ben presses nothing.
    ana.send("gf");
    ana.wait_for("the flag dialog", |s| s.contains("Flag with a note"));
    ana.send(NOTE);
    let sent = Instant::now();
    ana.send("\r");
    let flagged = format!("({} open)", open - 1);
    ben.wait_for("ana's flag on ben's screen", |s| s.contains(&flagged));
    let latency = sent.elapsed();
    ana.wait_for_text(&flagged);
    println!("a mark appeared on the other dashboard {latency:?} after its key");

    // And back: Ben's flag note on the same exception reaches Ana's screen.
    ben.send("gf");
    ben.wait_for("ben's flag dialog", |s| s.contains("Flag with a note"));
    ben.send("and again");
    ben.send("\r");
    ben.wait_for("ben's own mark done", |s| {
        !s.contains("recording…") && s.contains(&flagged)
    });
    let screen = ana.wait_for("ben's note on ana's screen", |s| s.contains("and again"));
    assert!(screen.contains(&flagged), "{screen}");

    ana.quit();
    ben.quit();
    let _ = std::fs::remove_dir_all(&bank.data_dir);
}
