//! `kill -9` at random moments of a scripted reconciliation session in a
//! pseudo-terminal: the dashboard opens a saved session and notes deposits, one after
//! another, as an operator would (`n`, the note, Enter); a note counts as acknowledged
//! once the screen shows it, which it does only after the session database has
//! committed it. After a random number of acknowledged notes, the next one is sent and
//! the dashboard is killed with SIGKILL a random moment later (mid-dialog,
//! mid-transaction or mid-fsync). Then the database must pass `PRAGMA integrity_check`
//! and hold every acknowledged note. 50 rounds on the same database.

mod common;

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use common::Dialect;
use common::profile::SimProfile;
use common::simulator::{quick_http, seeded};
use paydeck::gateway::Gateway;
use paydeck::recon::import::ofx;
use paydeck::recon::session::import_event;
use paydeck::sim::{BankNoise, SimConfig};
use paydeck::store::sessions::{NewSession, SessionStore, SqliteSessions, Stamp};
use paydeck::store::{Store, StoreHandle};
use serde_json::Value;

const ROUNDS: u64 = 50;
const SESSION: &str = "kill9";

/// A small random number generator (xorshift), seeded afresh each run.
struct Dice(u64);

impl Dice {
    fn new() -> Dice {
        Dice(RandomState::new().hash_one(std::process::id()) | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// The session, created and imported through the library: the rounds are about the
/// marks, not the import (which the other session tests cover).
fn saved_session(sim: &SimProfile, data_dir: &Path) -> usize {
    let gateway: Arc<dyn Gateway> = Arc::from(sim.sim().gateway(quick_http()));
    let store = Store::open(&Store::path_for(data_dir, "recon-sim")).expect("a store");
    let writer = StoreHandle::spawn(store, "store-writer").expect("its thread");
    sim.block_on(common::sync_once(&gateway, &writer));
    drop(writer);
    let (status, truth) = sim.block_on(sim.sim().admin_get("bank/truth?dialect=pin"));
    assert_eq!(status, 200);
    let truth: Value = serde_json::from_str(&truth).expect("JSON");
    let day = |v: &Value| NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap();
    let (_, text) = sim.block_on(sim.sim().admin_get("bank/statement?dialect=pin&format=ofx"));
    let statement = ofx::parse("nov.ofx", &text).expect("the OFX reads");
    let mut sessions = SqliteSessions::open(&SqliteSessions::path_in(data_dir)).expect("db");
    let new = NewSession {
        name: SESSION.into(),
        profiles: vec!["recon-sim".into()],
        from: day(&truth["from"]),
        to: day(&truth["to"]),
    };
    let id = sessions.create(&new, &Stamp::now()).expect("created");
    let view = sessions.load(id).unwrap();
    let (event, _) = import_event(&statement, &view).expect("lines");
    sessions.record(id, event, &Stamp::now()).expect("imported");
    statement.lines.len()
}

/// Every note the database holds, and whether it passes its integrity check.
fn stored_notes(data_dir: &Path) -> (String, Vec<String>) {
    let conn = rusqlite::Connection::open(SqliteSessions::path_in(data_dir)).expect("opens");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check runs");
    let mut stmt = conn.prepare("SELECT text FROM notes").expect("notes");
    let notes = stmt
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<Vec<String>, _>>()
        .expect("rows");
    (check, notes)
}

#[test]
fn kill_9_during_a_scripted_session_loses_no_acknowledged_mark() {
    let config = SimConfig {
        seed: 12,
        bank_noise: "unrelated=0.2".parse::<BankNoise>().expect("noise"),
        ..seeded(200, 10)
    };
    let sim = SimProfile::start(Dialect::Pin, config, "recon-sim");
    let data_dir = std::env::temp_dir().join(format!("paydeck-kill9-{}", uuid::Uuid::new_v4()));
    let lines = saved_session(&sim, &data_dir) as u64;
    let mut dice = Dice::new();
    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..ROUNDS {
        let mut pty = sim.open_in(&data_dir);
        pty.send(&format!(":recon {SESSION}\r"));
        pty.wait_for("the session", |s| {
            s.contains("deposits ") && s.contains(" │ payouts")
        });
        let marks = 1 + dice.below(4);
        for n in 0..marks {
            let note = format!("k9 {round}.{n}");
            let row = dice.below(lines);
            pty.send(&format!("g{}n", "j".repeat(row as usize)));
            pty.wait_for("the note dialog", |s| s.contains("Add a note"));
            pty.send(&note);
            pty.send("\r");
            if n + 1 == marks {
                // The last note is killed at a random moment after its Enter.
                std::thread::sleep(Duration::from_millis(dice.below(40)));
                break;
            }
            pty.wait_for("the note on screen", |s| {
                s.contains(&note) && !s.contains("Add a note") && !s.contains("recording")
            });
            acknowledged.push(note);
        }
        pty.signal("KILL");
        let _ = pty.wait_status();
        drop(pty);
        let (check, stored) = stored_notes(&data_dir);
        assert_eq!(check, "ok", "round {round}");
        for note in &acknowledged {
            assert!(
                stored.contains(note),
                "round {round}: {note:?} was acknowledged and lost"
            );
        }
    }
    eprintln!(
        "{ROUNDS} kills: {} acknowledged notes all kept",
        acknowledged.len()
    );
    let _ = std::fs::remove_dir_all(&data_dir);
}
