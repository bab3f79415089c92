//! A mark, once acknowledged, survives `kill -9`: this test re-runs its own binary as a
//! child that marks items in a reconciliation session as fast as it can, printing each
//! mark as the store acknowledges it; it kills the child with SIGKILL after a random
//! number of acknowledgements (the child is mid-transaction, mid-fsync or between
//! marks), then checks that the database passes `PRAGMA integrity_check` and holds
//! every acknowledged mark. It does this 60 times on the same database.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::NaiveDate;
use paydeck::recon::import::LineIdentity;
use paydeck::store::sessions::{
    Event, ItemRef, LineRecord, NewSession, SessionError, SessionHandle, SessionStore,
    SqliteSessions, Stamp,
};

const ROUNDS: u64 = 60;
/// Set in the child: the data directory to mark in.
const CHILD_DATA_DIR: &str = "PAYDECK_TEST_MARKING_DATA_DIR";
const SESSION: &str = "kill9";
const LINES: u32 = 20;
/// The child stops by itself after this many marks if nobody kills it.
const MARKS_MAX: u32 = 100_000;

fn identity(n: u32) -> LineIdentity {
    LineIdentity::from_stored(format!("bank:acct:{n}"))
}

fn open_or_create(
    store: &mut dyn SessionStore,
) -> Result<paydeck::store::sessions::SessionId, SessionError> {
    match store.find(SESSION) {
        Ok(found) => Ok(found.id),
        Err(SessionError::NoSuchSession(_)) => {
            let new = NewSession {
                name: SESSION.into(),
                profiles: vec!["p".into()],
                from: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            };
            let id = store.create(&new, &Stamp::now())?;
            let lines = (0..LINES)
                .map(|n| LineRecord {
                    identity: identity(n),
                    booked: new.from,
                    amount_minor: 1_000 + i64::from(n),
                    currency: "AUD".into(),
                    text: format!("DEPOSIT {n}"),
                    reference: String::new(),
                    other_refs: Vec::new(),
                })
                .collect();
            let import = Event::Import {
                file: "nov.csv".into(),
                lines,
                already: 0,
            };
            store.record(id, import, &Stamp::now())?;
            Ok(id)
        }
        Err(e) => Err(e),
    }
}

/// The child's side: mark until killed, printing `ack EVENT_ID TEXT` after each
/// mark the store has acknowledged.
#[test]
fn marking_child() {
    let Ok(dir) = std::env::var(CHILD_DATA_DIR) else {
        return; // run as part of the suite: only the parent test does something
    };
    let handle = SessionHandle::open_sqlite(Path::new(&dir)).unwrap();
    let session = handle.call_blocking(open_or_create).unwrap();
    let mut out = std::io::stdout().lock();
    for i in 0..MARKS_MAX {
        let text = format!("mark {}-{i}", std::process::id());
        let item = ItemRef::deposit(&identity(i % LINES));
        let event = if i % 2 == 0 {
            Event::Note {
                item,
                text: text.clone(),
            }
        } else {
            Event::Flag {
                item,
                note: text.clone(),
            }
        };
        let recorded = handle
            .call_blocking(move |store| store.record(session, event, &Stamp::now()))
            .unwrap();
        writeln!(out, "ack {} {text}", recorded.event_id).unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn kill_9_while_marking_loses_no_acknowledged_mark() {
    let dir = std::env::temp_dir().join(format!("paydeck-kill9-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let random = RandomState::new();
    let mut acknowledged: Vec<(i64, String)> = Vec::new();
    let mut killed_mid_marking = 0;
    for round in 0..ROUNDS {
        let wait_for = random.hash_one(round) % 40;
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "marking_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DATA_DIR, &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut acks = Vec::new();
        while (acks.len() as u64) < wait_for {
            match lines.next() {
                Some(line) => acks.extend(ack(&line.unwrap())),
                None => break,
            }
        }
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        if status.code().is_none() {
            killed_mid_marking += 1;
        }
        // What the child printed before it died was acknowledged too.
        for line in lines {
            acks.extend(ack(&line.unwrap()));
        }
        acknowledged.extend(acks);
        check(&dir, &acknowledged, round);
    }
    eprintln!(
        "{ROUNDS} kills ({killed_mid_marking} while marking), {} acknowledged marks, none lost",
        acknowledged.len()
    );
    assert!(
        killed_mid_marking >= ROUNDS * 9 / 10,
        "the child exited by itself"
    );
    assert!(
        acknowledged.len() as u64 >= ROUNDS,
        "too few marks to prove anything"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn ack(line: &str) -> Option<(i64, String)> {
    let rest = line.strip_prefix("ack ")?;
    let (id, text) = rest.split_once(' ')?;
    Some((id.parse().ok()?, text.to_string()))
}

fn check(dir: &Path, acknowledged: &[(i64, String)], round: u64) {
    let path = SqliteSessions::path_in(dir);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let verdict: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(verdict, "ok", "after kill {round}");
    }
    if acknowledged.is_empty() {
        return;
    }
    let mut store = SqliteSessions::open(&path).unwrap();
    let session = store.find(SESSION).unwrap().id;
    let held: std::collections::HashMap<i64, Event> = store
        .events(session)
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e.event))
        .collect();
    for (id, text) in acknowledged {
        let kept = match held.get(id) {
            Some(Event::Note { text: t, .. }) | Some(Event::Flag { note: t, .. }) => t == text,
            _ => false,
        };
        assert!(
            kept,
            "after kill {round}: acknowledged mark {id} ({text}) is lost"
        );
    }
}
