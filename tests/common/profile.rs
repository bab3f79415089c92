//! A gateway profile from a config file, opened in a pseudo-terminal against a
//! simulator the test runs (and may stop and start again, as an outage would).

use std::future::Future;
use std::path::{Path, PathBuf};

use paydeck::sim::SimConfig;
use serde_json::Value;
use tokio::runtime::Runtime;

use super::pty::Pty;
use super::simulator::{self, Dialect, Sim};

/// The environment variable the profile's key is read from.
pub const KEY_ENV: &str = "PAYDECK_TEST_PROFILE_KEY";

/// A config file with one profile on a simulator's dialect, removed when dropped.
pub struct ProfileFile {
    pub path: PathBuf,
}

impl ProfileFile {
    /// A profile named `name` on `sim`'s dialect, its key read from [`KEY_ENV`].
    pub fn write(name: &str, sim: &Sim) -> ProfileFile {
        let gateway = sim.dialect.name();
        let place = match sim.dialect {
            Dialect::Openpay => {
                let (api, merchant) = sim.openpay_base_and_merchant();
                format!("base_url = \"{api}\"\nmerchant_id = \"{merchant}\"\ncountry = \"mx\"\n")
            }
            _ => format!("base_url = \"{}\"\n", sim.url),
        };
        let path =
            std::env::temp_dir().join(format!("paydeck-{gateway}-{}.toml", uuid::Uuid::new_v4()));
        std::fs::write(
            &path,
            format!(
                "[[profile]]\nname = \"{name}\"\ngateway = \"{gateway}\"\nenvironment = \"test\"\n\
                 {place}key_env = \"{KEY_ENV}\"\n"
            ),
        )
        .expect("config");
        ProfileFile { path }
    }
}

/// A simulator with one profile on it and a data directory of its own (removed when
/// dropped), for the tests that run the built binary as a script would.
pub struct SimCli {
    pub runtime: Runtime,
    pub sim: Sim,
    pub profile: ProfileFile,
    pub data_dir: PathBuf,
}

impl SimCli {
    /// `config`'s simulator of `dialect` and a profile named `name` on it.
    pub fn start(dialect: Dialect, config: SimConfig, name: &str) -> SimCli {
        let runtime = Runtime::new().expect("runtime");
        let sim = runtime.block_on(simulator::start(dialect, config));
        let profile = ProfileFile::write(name, &sim);
        let data_dir = std::env::temp_dir().join(format!("paydeck-cli-{}", uuid::Uuid::new_v4()));
        SimCli {
            runtime,
            sim,
            profile,
            data_dir,
        }
    }

    /// The built `paydeck --config <the profile's file> ARGS`, with the profile's key,
    /// run to its end.
    pub fn output(&self, args: &[&str]) -> std::process::Output {
        let config = self.profile.path.to_str().expect("a UTF-8 path");
        std::process::Command::new(env!("CARGO_BIN_EXE_paydeck"))
            .args(["--config", config])
            .args(args)
            .env("PAYDECK_DATA_DIR", &self.data_dir)
            .env(KEY_ENV, &self.sim.key)
            .output()
            .expect("paydeck runs")
    }
}

impl Drop for SimCli {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

impl Drop for ProfileFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A simulator of one dialect served from a runtime of its own while the test drives
/// the terminal, and a config file with one profile on it. The simulator stops when
/// this is dropped.
pub struct SimProfile {
    pub runtime: Runtime,
    sim: Option<Sim>,
    dialect: Dialect,
    addr: String,
    file: ProfileFile,
}

impl SimProfile {
    /// `config`'s simulator on any loopback port, and a profile named `name` on it.
    pub fn start(dialect: Dialect, config: SimConfig, name: &str) -> SimProfile {
        SimProfile::start_on("127.0.0.1:0", dialect, config, name)
    }

    /// [`SimProfile::start`] on `addr`, where [`SimProfile::start_again`] can find it.
    pub fn start_on(addr: &str, dialect: Dialect, config: SimConfig, name: &str) -> SimProfile {
        let runtime = Runtime::new().expect("runtime");
        let sim = runtime.block_on(simulator::start_on(addr, dialect, config));
        SimProfile {
            addr: sim.running.addr.to_string(),
            file: ProfileFile::write(name, &sim),
            dialect,
            runtime,
            sim: Some(sim),
        }
    }

    /// The running simulator.
    pub fn sim(&self) -> &Sim {
        self.sim.as_ref().expect("the simulator runs until stopped")
    }

    /// Runs `work` (a call to the simulator or an adapter) to its end.
    pub fn block_on<F: Future>(&self, work: F) -> F::Output {
        self.runtime.block_on(work)
    }

    /// paydeck on the profile, in a fresh data directory, once the first charges show.
    pub fn open(&self) -> Pty {
        self.open_with(&[])
    }

    /// [`SimProfile::open`] with more arguments (`--no-store`, `--read-only`).
    pub fn open_with(&self, extra: &[&str]) -> Pty {
        let mut args = self.args().to_vec();
        args.extend_from_slice(extra);
        let pty = Pty::spawn_with_env(&args, &self.env());
        pty.wait_for("the first charges", |s| s.contains("updated"));
        pty
    }

    /// paydeck on the profile with `data_dir` kept across runs, once the charges show.
    pub fn open_in(&self, data_dir: &Path) -> Pty {
        self.open_in_with(data_dir, &[])
    }

    /// As [`open_in`](Self::open_in), with more arguments (as `--store URL`).
    pub fn open_in_with(&self, data_dir: &Path, extra: &[&str]) -> Pty {
        let args: Vec<&str> = self
            .args()
            .into_iter()
            .chain(extra.iter().copied())
            .collect();
        let pty = Pty::spawn_in(data_dir, &args, &self.env());
        pty.wait_for("the charges table", |s| {
            s.contains("ch_") && s.contains("captured")
        });
        pty
    }

    fn args(&self) -> [&str; 2] {
        let config = self.file.path.to_str().expect("a UTF-8 temporary path");
        ["--config", config]
    }

    fn env(&self) -> [(&str, &str); 1] {
        [(KEY_ENV, self.sim().key.as_str())]
    }

    /// The simulator's record of what the API changed, oldest first.
    pub fn api_operations(&self) -> Vec<Value> {
        self.block_on(self.sim().operations())
            .into_iter()
            .filter(|op| op["source"] == "api")
            .collect()
    }

    /// The name of each operation in [`SimProfile::api_operations`].
    pub fn api_operation_names(&self) -> Vec<String> {
        self.api_operations()
            .iter()
            .filter_map(|op| op["operation"].as_str().map(String::from))
            .collect()
    }

    /// Stops the simulator, as an outage would.
    pub fn stop(&mut self) {
        if let Some(sim) = self.sim.take() {
            self.runtime.block_on(sim.shutdown());
        }
    }

    /// Starts the simulator again where it was, afresh from `config`.
    pub fn start_again(&mut self, config: SimConfig) {
        self.stop();
        let sim = self
            .runtime
            .block_on(simulator::start_on(&self.addr, self.dialect, config));
        self.sim = Some(sim);
    }
}

impl Drop for SimProfile {
    fn drop(&mut self) {
        self.stop();
    }
}
