//! Two operators on one session from two processes at once, as `paydeck recon` runs
//! them on a shared PostgreSQL (and on one data directory's SQLite): both claiming one
//! exception gives one winner and tells the other who holds it; two hundred marks made
//! at once from the same view, one operator flagging and the other ignoring the same
//! exceptions, leave each in exactly one state, the winner's, and every refused mark
//! is reported to the process that sent it (exit code 3, saying who changed it).

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use common::pg_cluster;
use common::profile::{KEY_ENV, ProfileFile};
use common::ran::Ran;
use common::simulator::{self, Dialect, Sim, seeded};
use paydeck::sim::{BankNoise, SimConfig};
use serde_json::Value;
use tokio::runtime::Runtime;

const OPERATORS: [&str; 2] = ["ana", "ben"];

/// A Pin simulator with a noisy bank, its profile synced, and session `team` over the
/// bank's period with its statement imported; a config per operator, naming the store.
struct Team {
    runtime: Runtime,
    sim: Sim,
    _profile: ProfileFile,
    configs: BTreeMap<&'static str, PathBuf>,
    data_dir: PathBuf,
}

impl Team {
    fn new(store: Option<&str>) -> Team {
        let runtime = Runtime::new().expect("runtime");
        let config = SimConfig {
            seed: 21,
            bank_noise: "merge=0.2,fee=0.3,late=0.3,ref=0.2,lost=0.2,unrelated=0.4"
                .parse::<BankNoise>()
                .expect("noise"),
            ..seeded(400, 20)
        };
        let sim = runtime.block_on(simulator::start(Dialect::Pin, config));
        let profile = ProfileFile::write("pin", &sim);
        let file = std::fs::read_to_string(&profile.path).expect("the profile's config");
        let store = store.map_or(String::new(), |url| format!("[store]\nurl = \"{url}\"\n"));
        let configs = OPERATORS
            .into_iter()
            .map(|who| {
                let path = profile.path.with_extension(format!("{who}.toml"));
                std::fs::write(&path, format!("operator = \"{who}\"\n{file}{store}"))
                    .expect("a config");
                (who, path)
            })
            .collect();
        let data_dir =
            std::env::temp_dir().join(format!("paydeck-recon-team-{}", uuid::Uuid::new_v4()));
        let team = Team {
            runtime,
            sim,
            _profile: profile,
            configs,
            data_dir,
        };
        team.ok("ana", &["sync"]);
        let truth: Value = serde_json::from_str(&team.bank("truth?dialect=pin")).expect("JSON");
        let (from, to) = (
            truth["from"].as_str().unwrap(),
            truth["to"].as_str().unwrap(),
        );
        team.ok(
            "ana",
            &[
                "recon",
                "new",
                "team",
                "--profile",
                "pin",
                "--from",
                from,
                "--to",
                to,
            ],
        );
        let statement = team.data_dir.join("team.ofx");
        std::fs::write(&statement, team.bank("statement?dialect=pin&format=ofx")).expect("file");
        team.ok(
            "ana",
            &["recon", "import", "team", statement.to_str().unwrap()],
        );
        team
    }

    fn bank(&self, path: &str) -> String {
        let (status, body) = self
            .runtime
            .block_on(self.sim.admin_get(&format!("bank/{path}")));
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    fn command(&self, who: &str, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_paydeck"));
        command
            .arg("--config")
            .arg(&self.configs[who])
            .args(args)
            .env("PAYDECK_DATA_DIR", &self.data_dir)
            .env(KEY_ENV, &self.sim.key)
            .env_remove("PGPASSWORD");
        command
    }

    fn ok(&self, who: &str, args: &[&str]) -> Ran {
        let ran = Ran::from(self.command(who, args).output().expect("paydeck runs"));
        assert_eq!(ran.code, 0, "{args:?}: {}{}", ran.stdout, ran.stderr);
        ran
    }

    fn status(&self) -> Value {
        let ran = self.ok("ana", &["recon", "status", "team", "--format", "json"]);
        serde_json::from_str(&ran.stdout).expect("status is JSON")
    }

    /// `who` running `script` in one shell: one process making many marks.
    fn shell(&self, who: &str, script: &str) -> Child {
        let mut command = Command::new("sh");
        command
            .args(["-c", script])
            .env("PAYDECK", env!("CARGO_BIN_EXE_paydeck"))
            .env("CONFIG", &self.configs[who])
            .env("PAYDECK_DATA_DIR", &self.data_dir)
            .env(KEY_ENV, &self.sim.key)
            .env_remove("PGPASSWORD")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command.spawn().expect("sh runs")
    }
}

impl Drop for Team {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
        for path in self.configs.values() {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn exceptions(status: &Value) -> Vec<String> {
    status["exceptions"]
        .as_array()
        .expect("exceptions")
        .iter()
        .map(|e| e["ref"].as_str().expect("a ref").to_string())
        .collect()
}

fn both_claim_one_exception(team: &Team) {
    let exception = exceptions(&team.status())
        .into_iter()
        .next()
        .expect("an exception");
    let claims: Vec<(&str, Child)> = OPERATORS
        .into_iter()
        .map(|who| {
            let mut command = team.command(who, &["recon", "claim", "team", &exception]);
            command.stdout(Stdio::piped()).stderr(Stdio::piped());
            (who, command.spawn().expect("paydeck runs"))
        })
        .collect();
    let ended: Vec<(&str, Ran)> = claims
        .into_iter()
        .map(|(who, child)| (who, Ran::from(child.wait_with_output().expect("it ends"))))
        .collect();
    let winners: Vec<&str> = ended
        .iter()
        .filter(|(_, r)| r.code == 0)
        .map(|(w, _)| *w)
        .collect();
    assert_eq!(
        winners.len(),
        1,
        "one claim wins: {:?}",
        ended
            .iter()
            .map(|(w, r)| (w, r.code, &r.stderr))
            .collect::<Vec<_>>()
    );
    let (loser, lost) = ended.iter().find(|(_, r)| r.code != 0).expect("a loser");
    assert_eq!(lost.code, 3, "{loser}: {}", lost.stderr);
    assert!(
        lost.stderr.contains(&format!("held by {}", winners[0])),
        "{loser} is told who holds it: {}",
        lost.stderr
    );
    let held = team.status();
    let row = held["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["ref"] == exception.as_str())
        .expect("the exception");
    assert_eq!(row["held_by"]["who"], winners[0]);
}

#[test]
fn two_operators_claiming_one_exception_get_one_winner() {
    if let Some(url) = pg_cluster::fresh_url() {
        both_claim_one_exception(&Team::new(Some(&url)));
    }
    both_claim_one_exception(&Team::new(None));
}

/// What each mark of one operator's shell ended with, by exception: its exit code
/// and what it said.
fn outcomes(out: std::process::Output) -> BTreeMap<String, Vec<(i32, String)>> {
    let mut by_item: BTreeMap<String, Vec<(i32, String)>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Some(rest) = line.strip_prefix("ENDED ") else {
            continue;
        };
        let (code, rest) = rest.split_once(' ').expect("a code");
        let (item, said) = rest.split_once('\t').expect("an item and what it said");
        let code = code.parse().expect("a number");
        by_item
            .entry(item.to_string())
            .or_default()
            .push((code, said.to_string()));
    }
    by_item
}

#[test]
fn two_hundred_conflicting_marks_from_two_processes_leave_each_item_in_one_state() {
    let Some(url) = pg_cluster::fresh_url() else {
        return;
    };
    let team = Team::new(Some(&url));
    let status = team.status();
    let seen = status["session"]["latest_event"]
        .as_i64()
        .expect("latest_event");
    let items = exceptions(&status);
    assert!(
        items.len() >= 5,
        "enough exceptions to mark: {}",
        items.len()
    );
    // 100 marks each, round the exceptions, both from the same view.
    // Quoted for the shell: a ref holds `|` and `:`.
    let quoted: Vec<String> = (0..100)
        .map(|n| format!("'{}'", items[n % items.len()].replace('\'', "'\\''")))
        .collect();
    let script = |mark: &str| {
        format!(
            "for item in {}; do \
             said=$(\"$PAYDECK\" --config \"$CONFIG\" recon {mark} --seen {seen} 2>&1); \
             code=$?; printf 'ENDED %s %s\\t%s\\n' \"$code\" \"$item\" \"$(printf %s \"$said\" | tr '\\n' ' ')\"; done",
            quoted.join(" ")
        )
    };
    let ana = team.shell("ana", &script("flag team \"$item\" --note ana-says"));
    let ben = team.shell(
        "ben",
        &script("mark team --ignore \"$item\" --reason ben-says"),
    );
    let ana = outcomes(ana.wait_with_output().expect("ana's marks end"));
    let ben = outcomes(ben.wait_with_output().expect("ben's marks end"));
    let marks: usize = ana.values().chain(ben.values()).map(Vec::len).sum();
    assert_eq!(marks, 200);

    let after = team.status();
    let mut refused = 0;
    for item in &items {
        let (mine, theirs) = (&ana[item], &ben[item]);
        let ana_won = mine.iter().all(|(code, _)| *code == 0);
        let ben_won = theirs.iter().all(|(code, _)| *code == 0);
        assert!(ana_won != ben_won, "{item}: ana {mine:?} ben {theirs:?}");
        let (winner, losers) = if ana_won {
            ("ana", theirs)
        } else {
            ("ben", mine)
        };
        for (code, said) in losers {
            assert_eq!(*code, 3, "{item}: {said}");
            assert!(
                said.contains(&format!("changed by {winner}")),
                "{item}: {said}"
            );
            refused += 1;
        }
        let row = after["exceptions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["ref"] == item.as_str())
            .expect("the exception");
        let expected = if ana_won { "flagged" } else { "ignored" };
        assert_eq!(row["state"], expected, "{item}");
    }
    eprintln!(
        "200 marks: {} kept, {refused} refused and reported",
        200 - refused
    );
}
