//! A Pin simulator that answers every request after a fixed delay, and a config file
//! with a profile on it: a write stays in flight long enough to quit, signal or kill
//! paydeck in the middle of it.

use std::path::{Path, PathBuf};

use paydeck::sim::{self, DialectInfo, FaultSpec, RunningSim, SimConfig};
use serde_json::Value;
use tokio::runtime::Runtime;

use super::pty::Pty;

pub const KEY_ENV: &str = "PAYDECK_TEST_PIN_KEY";

pub struct SlowPin {
    /// The simulator runs on this runtime's threads while the test drives the terminal.
    pub runtime: Runtime,
    sim: Option<RunningSim>,
    pub pin: DialectInfo,
    pub config: PathBuf,
}

impl SlowPin {
    pub fn start(latency_ms: u64) -> SlowPin {
        paydeck::gateway::http::install_crypto_provider();
        let runtime = Runtime::new().expect("runtime");
        let sim = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let config = SimConfig {
                charges: 200,
                customers: 10,
                faults: FaultSpec::parse(&format!("latency_ms={latency_ms}")).expect("faults"),
                ..SimConfig::default()
            };
            sim::start(listener, config).await.expect("sim")
        });
        let pin = sim.dialect("PIN").expect("pin dialect").clone();
        let config =
            std::env::temp_dir().join(format!("paydeck-slow-{}.toml", uuid::Uuid::new_v4()));
        std::fs::write(
            &config,
            format!(
                "[[profile]]\nname = \"slow-pin\"\ngateway = \"pin\"\nenvironment = \"test\"\n\
                 base_url = \"{}\"\nkey_env = \"{KEY_ENV}\"\n",
                pin.url
            ),
        )
        .expect("config");
        SlowPin {
            runtime,
            sim: Some(sim),
            pin,
            config,
        }
    }

    /// paydeck on the slow profile, with `data_dir` kept across runs; waits for charges.
    pub fn paydeck(&self, data_dir: &Path) -> Pty {
        let config = self.config.display().to_string();
        let pty = Pty::spawn_in(
            data_dir,
            &["--config", &config],
            &[(KEY_ENV, self.pin.key.as_str())],
        );
        pty.wait_for("the charges table", |s| {
            s.contains("ch_") && s.contains("captured")
        });
        pty
    }

    fn get(&self, path: &str) -> Value {
        self.runtime.block_on(async {
            reqwest::Client::new()
                .get(path)
                .basic_auth(&self.pin.key, Some(""))
                .send()
                .await
                .expect("a simulator answer")
                .json()
                .await
                .expect("JSON")
        })
    }

    /// The simulator's record of what the API changed.
    pub fn operations(&self) -> Vec<Value> {
        let root = self
            .pin
            .url
            .split("/pin/")
            .next()
            .expect("a root")
            .to_string();
        let body = self.get(&format!("{root}/_sim/operations"));
        body["operations"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|op| op["source"] == "api")
            .collect()
    }

    /// A charge as the simulator's Pin dialect gives it.
    pub fn charge(&self, id: &str) -> Value {
        self.get(&format!("{}/charges/{id}", self.pin.url))["response"].clone()
    }
}

impl Drop for SlowPin {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.config);
        if let Some(sim) = self.sim.take() {
            self.runtime.block_on(sim.shutdown());
        }
    }
}
