//! `paydeck recon push` and `pull` from outside: a session worked in a data directory's
//! SQLite (imported, auto-matched, a proposal accepted, a match undone and made again
//! by hand, exceptions flagged, a note, signed off) is pushed to a throwaway
//! PostgreSQL and pulled back into a fresh data directory; its status reads the same on
//! every side apart from event ids. Pushing a name the store holds is refused (exit 3)
//! and writes nothing; without a shared store both are usage errors (exit 2).

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::pg_cluster;
use common::profile::{KEY_ENV, ProfileFile};
use common::ran::Ran;
use common::simulator::{self, Dialect, Sim, seeded};
use paydeck::sim::{BankNoise, SimConfig};
use serde_json::Value;
use tokio::runtime::Runtime;

const HEAVY: &str = "merge=0.15,fee=0.2,late=0.2,ref=0.2,lost=0.1,unrelated=0.2";

/// A password in the store's URL: the test cluster trusts its connections and never
/// asks for it, and paydeck must never print it.
const PASSWORD: &str = "s3cret-pw";

/// A Pin simulator with a noisy bank and a profile on it; each data directory syncs it
/// for itself.
struct Desk {
    runtime: Runtime,
    sim: Sim,
    profile: ProfileFile,
    dirs: Vec<PathBuf>,
}

impl Desk {
    fn new() -> Desk {
        let config = SimConfig {
            seed: 12,
            bank_noise: HEAVY.parse::<BankNoise>().expect("noise"),
            ..seeded(600, 40)
        };
        let runtime = Runtime::new().expect("runtime");
        let sim = runtime.block_on(simulator::start(Dialect::Pin, config));
        let profile = ProfileFile::write("pin", &sim);
        Desk {
            runtime,
            sim,
            profile,
            dirs: Vec::new(),
        }
    }

    /// A new data directory with the profile synced into it.
    fn synced_dir(&mut self) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("paydeck-push-pull-{}", uuid::Uuid::new_v4()));
        self.dirs.push(dir.clone());
        self.ok(&dir, &["sync"]);
        dir
    }

    fn run(&self, dir: &Path, args: &[&str]) -> Ran {
        let out = Command::new(env!("CARGO_BIN_EXE_paydeck"))
            .arg("--config")
            .arg(&self.profile.path)
            .args(args)
            .env("PAYDECK_DATA_DIR", dir)
            .env(KEY_ENV, &self.sim.key)
            .env_remove("PGPASSWORD")
            .output()
            .expect("paydeck runs");
        let ran = Ran::from(out);
        assert!(
            !ran.stdout.contains(PASSWORD) && !ran.stderr.contains(PASSWORD),
            "{args:?} printed the password: {}{}",
            ran.stdout,
            ran.stderr
        );
        ran
    }

    fn ok(&self, dir: &Path, args: &[&str]) -> Ran {
        let ran = self.run(dir, args);
        assert_eq!(ran.code, 0, "{args:?}: {}{}", ran.stdout, ran.stderr);
        ran
    }

    fn fails(&self, dir: &Path, args: &[&str], code: i32, says: &[&str]) -> Ran {
        let ran = self.run(dir, args);
        assert_eq!(ran.code, code, "{args:?}: {}{}", ran.stdout, ran.stderr);
        for part in says {
            assert!(
                ran.stderr.contains(part),
                "{args:?}: {part:?} in {}",
                ran.stderr
            );
        }
        ran
    }

    /// `recon status nov --format json` in `dir`, on the store `store` names if any.
    fn status(&self, dir: &Path, store: Option<&str>) -> Value {
        let on = store.map_or(vec![], |url| vec!["--store", url]);
        let args = [&on[..], &["recon", "status", "nov", "--format", "json"]].concat();
        serde_json::from_str(&self.ok(dir, &args).stdout).expect("status is JSON")
    }

    fn bank(&self, path: &str) -> String {
        let (status, body) = self
            .runtime
            .block_on(self.sim.admin_get(&format!("bank/{path}")));
        assert_eq!(status, 200, "{path}: {body}");
        body
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        for dir in &self.dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn rows<'a>(status: &'a Value, list: &str) -> &'a Vec<Value> {
    status[list].as_array().expect("a list")
}

/// Session `nov` in `dir`: the statement imported and auto-matched, every proposal
/// accepted, a match undone and made again by hand, every open exception flagged, a
/// deposit noted, and signed off.
fn worked_session(desk: &Desk, dir: &Path) {
    let truth: Value = serde_json::from_str(&desk.bank("truth?dialect=pin")).expect("truth");
    let (from, to) = (
        truth["from"].as_str().unwrap(),
        truth["to"].as_str().unwrap(),
    );
    let new = [
        "recon",
        "new",
        "nov",
        "--profile",
        "pin",
        "--from",
        from,
        "--to",
        to,
    ];
    desk.ok(dir, &new);
    let statement = dir.join("nov.ofx");
    std::fs::write(&statement, desk.bank("statement?dialect=pin&format=ofx")).expect("a file");
    desk.ok(
        dir,
        &["recon", "import", "nov", statement.to_str().unwrap()],
    );
    let status = desk.status(dir, None);
    let proposals: Vec<String> = rows(&status, "matches")
        .iter()
        .filter(|m| m["proposed"] == true)
        .map(|m| m["id"].to_string())
        .collect();
    assert!(!proposals.is_empty(), "heavy noise makes proposals");
    for id in &proposals {
        desk.ok(dir, &["recon", "mark", "nov", "--accept", id]);
    }
    let single = rows(&status, "matches")
        .iter()
        .find(|m| m["tier"] == 1 && strs(&m["items"]).len() == 2 && m["adjustment"].is_null())
        .expect("a tier 1 match");
    let pair = strs(&single["items"]);
    let undo = single["id"].to_string();
    desk.ok(dir, &["recon", "mark", "nov", "--unmatch", &undo]);
    desk.ok(dir, &["recon", "mark", "nov", pair[0], pair[1]]);
    let status = desk.status(dir, None);
    for e in rows(&status, "exceptions")
        .iter()
        .filter(|e| e["state"] == "open")
    {
        let note = format!("looked at {}", e["kind"].as_str().unwrap());
        let flag = [
            "recon",
            "flag",
            "nov",
            e["ref"].as_str().unwrap(),
            "--note",
            &note,
        ];
        desk.ok(dir, &flag);
    }
    let deposit = status["deposits"][0]["ref"].as_str().unwrap();
    desk.ok(dir, &["recon", "note", "nov", deposit, "called the bank"]);
    desk.ok(dir, &["recon", "signoff", "nov"]);
}

/// `from`'s status with its event ids made `to`'s: each match's id (matches are listed
/// in the order they were made, on both sides), the match each deposit and payout is
/// in, and the session's latest event. Everything else must be equal as it is.
fn in_ids_of(from: &Value, to: &Value) -> Value {
    let ids: HashMap<i64, i64> = rows(from, "matches")
        .iter()
        .zip(rows(to, "matches"))
        .map(|(f, t)| (f["id"].as_i64().unwrap(), t["id"].as_i64().unwrap()))
        .collect();
    let mut out = from.clone();
    let id = |v: &Value| v.as_i64().map_or(Value::Null, |n| Value::from(ids[&n]));
    for list in ["deposits", "payouts"] {
        for row in out[list].as_array_mut().unwrap() {
            row["match"] = id(&row["match"]);
        }
    }
    for m in out["matches"].as_array_mut().unwrap() {
        m["id"] = id(&m["id"]);
    }
    out["session"]["latest_event"] = to["session"]["latest_event"].clone();
    out
}

fn assert_same_session(from: &Value, to: &Value, what: &str) {
    assert_eq!(
        rows(from, "matches").len(),
        rows(to, "matches").len(),
        "{what}"
    );
    assert_eq!(&in_ids_of(from, to), to, "{what}");
}

#[test]
fn a_session_pushed_and_pulled_back_reads_the_same_and_a_held_name_is_refused() {
    let Some(url) = pg_cluster::fresh_url() else {
        return;
    };
    let url = url.replacen("paydeck@", &format!("paydeck:{PASSWORD}@"), 1);
    let mut desk = Desk::new();
    let here = desk.synced_dir();
    worked_session(&desk, &here);
    let local = desk.status(&here, None);
    assert!(local["session"]["signed_off"]["who"].is_string());

    // No shared store: a usage error, before anything is opened.
    for way in ["push", "pull"] {
        desk.fails(
            &here,
            &["recon", way, "nov"],
            2,
            &["--store", "[store] url"],
        );
    }

    // The store holds a session of its own already, so its event ids are not ours.
    let store = ["--store", url.as_str()];
    let other = ["recon", "new", "other", "--profile", "pin"];
    desk.ok(&here, &[&store[..], &other].concat());
    let pushed = desk.ok(&here, &[&store[..], &["recon", "push", "nov"]].concat());
    assert!(
        pushed.stdout.starts_with("pushed nov (")
            && pushed.stdout.contains("postgres://paydeck:***@")
            && pushed.stdout.contains("the local copy is unchanged"),
        "{}",
        pushed.stdout
    );
    let shared = desk.status(&here, Some(&url));
    assert_ne!(
        shared["session"]["latest_event"], local["session"]["latest_event"],
        "the store's event ids are its own"
    );
    assert_same_session(&local, &shared, "pushed");
    assert_eq!(
        desk.status(&here, None),
        local,
        "the local copy is unchanged"
    );

    // Twice: refused, saying where the name is, and nothing is written.
    let again = desk.fails(
        &here,
        &[&store[..], &["recon", "push", "nov"]].concat(),
        3,
        &[
            "the shared store postgres://paydeck:***@",
            "already holds a session named \"nov\"",
            "nothing was written",
        ],
    );
    assert!(again.stdout.is_empty(), "{}", again.stdout);
    assert_eq!(desk.status(&here, Some(&url)), shared);

    // Pulled into a data directory of its own: the same session again.
    let there = desk.synced_dir();
    let pulled = desk.ok(&there, &[&store[..], &["recon", "pull", "nov"]].concat());
    assert!(
        pulled.stdout.starts_with("pulled nov (")
            && pulled.stdout.contains("the shared copy is unchanged"),
        "{}",
        pulled.stdout
    );
    let back = desk.status(&there, None);
    assert_same_session(&shared, &back, "pulled");
    assert_same_session(&local, &back, "pushed and pulled");
    assert_eq!(
        desk.status(&there, Some(&url)),
        shared,
        "the shared copy is unchanged"
    );
    desk.fails(
        &there,
        &[&store[..], &["recon", "pull", "nov"]].concat(),
        3,
        &[
            "recon.sqlite already holds a session named \"nov\"",
            "nothing was written",
        ],
    );
    desk.fails(
        &there,
        &[&store[..], &["recon", "pull", "dec"]].concat(),
        1,
        &["holds no session named \"dec\""],
    );

    // Each push and pull is in the audit log of the data directory it ran in.
    let audit = std::fs::read_to_string(here.join("audit.jsonl")).expect("the audit log");
    let pushes: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON"))
        .filter(|l| l["action"] == "recon_push")
        .collect();
    let ends: Vec<&str> = pushes
        .iter()
        .map(|l| l["result"].as_str().unwrap_or(l["phase"].as_str().unwrap()))
        .collect();
    assert_eq!(ends.len(), 4, "{ends:?}");
    assert_eq!(ends[..2], ["before", "ok"]);
    assert!(ends[3].starts_with("refused: "), "{ends:?}");
    assert!(pushes.iter().all(|l| l["profile"] == "recon:nov"));
    assert!(!audit.contains(PASSWORD));
    let audit = std::fs::read_to_string(there.join("audit.jsonl")).expect("the audit log");
    assert_eq!(audit.matches("\"recon_pull\"").count(), 6, "{audit}");
}
