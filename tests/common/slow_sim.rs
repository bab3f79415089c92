//! A Pin simulator that answers every request after a fixed delay, and a config file
//! with a profile on it: a write stays in flight long enough to quit, signal or kill
//! paydeck in the middle of it.

use std::path::Path;

use paydeck::sim::SimConfig;
use serde_json::Value;
use tokio::runtime::Runtime;

use super::profile::{KEY_ENV, ProfileFile, start_sim};
use super::pty::Pty;
use super::simulator::{Dialect, Sim, faults};

pub struct SlowPin {
    /// The simulator runs on this runtime's threads while the test drives the terminal.
    pub runtime: Runtime,
    sim: Option<Sim>,
    pub config: ProfileFile,
    pub key: String,
}

impl SlowPin {
    pub fn start(latency_ms: u64) -> SlowPin {
        let runtime = Runtime::new().expect("runtime");
        let config = SimConfig {
            charges: 200,
            customers: 10,
            faults: faults(&format!("latency_ms={latency_ms}")),
            ..SimConfig::default()
        };
        let sim = start_sim(&runtime, "127.0.0.1:0", Dialect::Pin, config);
        SlowPin {
            config: ProfileFile::write("slow-pin", &sim),
            key: sim.key.clone(),
            runtime,
            sim: Some(sim),
        }
    }

    fn sim(&self) -> &Sim {
        self.sim.as_ref().expect("the simulator runs until dropped")
    }

    /// paydeck on the slow profile, with `data_dir` kept across runs; waits for charges.
    pub fn paydeck(&self, data_dir: &Path) -> Pty {
        let config = self.config.path.display().to_string();
        let pty = Pty::spawn_in(
            data_dir,
            &["--config", &config],
            &[(KEY_ENV, self.key.as_str())],
        );
        pty.wait_for("the charges table", |s| {
            s.contains("ch_") && s.contains("captured")
        });
        pty
    }

    /// The simulator's record of what the API changed.
    pub fn operations(&self) -> Vec<Value> {
        self.runtime
            .block_on(self.sim().operations())
            .into_iter()
            .filter(|op| op["source"] == "api")
            .collect()
    }

    /// A charge as the simulator's Pin dialect gives it.
    pub fn charge(&self, id: &str) -> Value {
        let (_, body) = self
            .runtime
            .block_on(self.sim().get_json(&format!("charges/{id}")));
        body["response"].clone()
    }
}

impl Drop for SlowPin {
    fn drop(&mut self) {
        if let Some(sim) = self.sim.take() {
            self.runtime.block_on(sim.shutdown());
        }
    }
}
