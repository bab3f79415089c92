//! `paydeck recon` on a shared PostgreSQL, as a team runs it: the built binary, a
//! profile synced from the simulator, and the sessions in a throwaway cluster's
//! database named by `--store` or by the config's `[store]` (its password from
//! `password_env`). Every event names the operator; a store that cannot be reached
//! ends the command with exit 1 and what to check; the dashboard keeps running and
//! `:recon` says why there are no sessions.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::pg_cluster;
use common::profile::{KEY_ENV, ProfileFile};
use common::pty::{Pty, free_port};
use common::ran::Ran;
use common::simulator::{self, Dialect, Sim, seeded};
use paydeck::store::sessions::{PgSessions, SessionStore, StoreUrl};
use serde_json::Value;
use tokio::runtime::Runtime;

/// The variable the `[store]` of the test's config names.
const PASSWORD_ENV: &str = "PAYDECK_TEST_STORE_PASSWORD";

/// A Pin simulator, a profile on it synced into a data directory of its own, and a
/// second config with the same profile, an operator and a `[store]`.
struct Team {
    _runtime: Runtime,
    sim: Sim,
    profile: ProfileFile,
    with_store: PathBuf,
    data_dir: PathBuf,
}

impl Team {
    fn synced(store: &str) -> Team {
        let runtime = Runtime::new().expect("runtime");
        let sim = runtime.block_on(simulator::start(Dialect::Pin, seeded(200, 20)));
        let profile = ProfileFile::write("pin", &sim);
        let with_store = profile.path.with_extension("store.toml");
        let file = std::fs::read_to_string(&profile.path).expect("the profile's config");
        std::fs::write(
            &with_store,
            format!(
                "operator = \"Ana Lima\"\n{file}[store]\nurl = \"{store}\"\npassword_env = \"{PASSWORD_ENV}\"\n"
            ),
        )
        .expect("a config with a store");
        let data_dir =
            std::env::temp_dir().join(format!("paydeck-shared-store-{}", uuid::Uuid::new_v4()));
        let team = Team {
            _runtime: runtime,
            sim,
            profile,
            with_store,
            data_dir,
        };
        team.ok(&team.profile.path, &["sync"]);
        team
    }

    fn run(&self, config: &PathBuf, args: &[&str]) -> Ran {
        let out = Command::new(env!("CARGO_BIN_EXE_paydeck"))
            .arg("--config")
            .arg(config)
            .args(args)
            .env("PAYDECK_DATA_DIR", &self.data_dir)
            .env(KEY_ENV, &self.sim.key)
            .env(PASSWORD_ENV, "not-checked-by-a-trusting-server")
            .env_remove("PGPASSWORD")
            .output()
            .expect("paydeck runs");
        Ran::from(out)
    }

    fn ok(&self, config: &PathBuf, args: &[&str]) -> Ran {
        let ran = self.run(config, args);
        assert_eq!(ran.code, 0, "{args:?}: {}{}", ran.stdout, ran.stderr);
        ran
    }

    /// A payout of the session, as `recon status` names it.
    fn a_payout(&self, config: &PathBuf, store_args: &[&str], session: &str) -> String {
        let args = [
            store_args,
            &["recon", "status", session, "--format", "json"],
        ]
        .concat();
        let status: Value = serde_json::from_str(&self.ok(config, &args).stdout).expect("JSON");
        status["payouts"][0]["ref"]
            .as_str()
            .unwrap_or_else(|| panic!("a payout in {status}"))
            .to_string()
    }
}

impl Drop for Team {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
        let _ = std::fs::remove_file(&self.with_store);
    }
}

/// Each event of the session `name` in the store at `url`: its kind and who made it.
fn events_in(url: &str, name: &str) -> Vec<(String, String)> {
    let mut store = PgSessions::connect(&StoreUrl::parse(url).expect("a URL")).expect("connects");
    let id = store.find(name).expect("the session").id;
    store
        .events(id)
        .expect("its events")
        .into_iter()
        .map(|e| (e.event.kind().to_string(), e.stamp.who))
        .collect()
}

#[test]
fn sessions_live_in_the_store_named_by_the_flag_or_the_config() {
    let Some(url) = pg_cluster::fresh_url() else {
        return;
    };
    let team = Team::synced(&url);
    let (plain, with_store) = (&team.profile.path, &team.with_store);
    let flag = ["--store", url.as_str()];
    let period = ["--from", "2020-01-01", "--to", "2035-12-31"];

    // Through --store, with a config that names no operator: the OS user.
    let new = [
        &flag[..],
        &["recon", "new", "shared", "--profile", "pin"],
        &period,
    ]
    .concat();
    team.ok(plain, &new);
    let payout = team.a_payout(plain, &flag, "shared");
    let flagged = [
        &flag[..],
        &[
            "recon",
            "flag",
            "shared",
            &payout,
            "--note",
            "short by a fee",
        ],
    ]
    .concat();
    team.ok(plain, &flagged);
    let listed = team.ok(plain, &[&flag[..], &["recon", "list"]].concat());
    assert!(listed.stdout.contains("shared"), "{}", listed.stdout);
    // The data directory's own sessions are another place: the session is not there.
    let local = team.ok(plain, &["recon", "list"]);
    assert!(!local.stdout.contains("shared"), "{}", local.stdout);

    // Through the config's [store]: the same sessions; its events name the operator.
    let listed = team.ok(with_store, &["recon", "list"]);
    assert!(listed.stdout.contains("shared"), "{}", listed.stdout);
    let new = [&["recon", "new", "second", "--profile", "pin"][..], &period].concat();
    team.ok(with_store, &new);
    let payout = team.a_payout(with_store, &[], "second");
    team.ok(
        with_store,
        &["recon", "flag", "second", &payout, "--note", "late"],
    );
    let os_user = paydeck::audit::os_user();
    let by = |who: &str| ["created", "flag"].map(|kind| (kind.to_string(), who.to_string()));
    assert_eq!(events_in(&url, "shared"), by(&os_user));
    assert_eq!(events_in(&url, "second"), by("Ana Lima"));
    // --store overrides the config's [store]: a database with no sessions yet.
    let Some(other) = pg_cluster::fresh_url() else {
        return;
    };
    let listed = team.ok(with_store, &["--store", &other, "recon", "list"]);
    assert!(!listed.stdout.contains("shared"), "{}", listed.stdout);
}

#[test]
fn a_store_that_cannot_be_reached_or_has_no_password_ends_recon_with_exit_1() {
    let Some(_) = pg_cluster::fresh_url() else {
        return;
    };
    let team = Team::synced("postgres://paydeck@127.0.0.1:1/paydeck");
    let dead = format!(
        "postgres://paydeck:s3cret-pw@127.0.0.1:{}/paydeck",
        free_port()
    );
    let ran = team.run(&team.profile.path, &["--store", &dead, "recon", "list"]);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains("cannot reach the reconciliation store at 127.0.0.1:")
            && ran.stderr.contains("Check that PostgreSQL runs there"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains("s3cret"), "{}", ran.stderr);
    // The config's password_env names a variable that is not set.
    let out = Command::new(env!("CARGO_BIN_EXE_paydeck"))
        .arg("--config")
        .arg(&team.with_store)
        .args(["recon", "list"])
        .env("PAYDECK_DATA_DIR", &team.data_dir)
        .env_remove(PASSWORD_ENV)
        .output()
        .expect("paydeck runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("{PASSWORD_ENV} (password_env) is not set")),
        "{stderr}"
    );
}

#[test]
fn the_dashboard_runs_on_when_the_store_cannot_be_reached_and_recon_says_why() {
    let data_dir =
        std::env::temp_dir().join(format!("paydeck-shared-store-{}", uuid::Uuid::new_v4()));
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let dead = format!("postgres://paydeck@127.0.0.1:{}/paydeck", free_port());
    let mut pty = Pty::spawn_in(
        &data_dir,
        &["--demo", "--demo-listen", &listen, "--store", &dead],
        &[],
    );
    pty.wait_for("the charges table", |s| {
        s.contains("ch_") && s.contains("captured")
    });
    pty.send(":recon\r");
    pty.wait_for_text("cannot reach the reconciliation store");
    // The rest of the dashboard is still there.
    pty.send("\x1b");
    pty.wait_for("the charges table again", |s| s.contains("captured"));
    pty.quit();
    let _ = std::fs::remove_dir_all(&data_dir);
}
