//! A reconciliation session's bank for the pseudo-terminal tests: the simulator's Pin
//! dialect with bank noise, the profile's payouts synced into its store in a fresh
//! data directory, and the bank's period and statement.

use std::sync::Arc;

use chrono::NaiveDate;
use paydeck::gateway::Gateway;
use paydeck::sim::{BankNoise, SimConfig};
use paydeck::store::{Store, StoreHandle};
use serde_json::Value;

use super::Dialect;
use super::profile::SimProfile;
use super::simulator::{quick_http, seeded};

const NOISE: &str = "merge=0.3,fee=0.3,unrelated=0.2";

/// The simulator's Pin dialect with bank noise, the profile's payouts synced into its
/// store in a fresh data directory, and the bank's period and statement in `format`.
pub struct Bank {
    pub sim: SimProfile,
    pub data_dir: std::path::PathBuf,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub statement: String,
}

pub fn bank(format: &str) -> Bank {
    let config = SimConfig {
        seed: 12,
        bank_noise: NOISE.parse::<BankNoise>().expect("noise"),
        ..seeded(300, 20)
    };
    let sim = SimProfile::start(Dialect::Pin, config, "recon-sim");
    let data_dir = std::env::temp_dir().join(format!("paydeck-recon-{}", uuid::Uuid::new_v4()));
    // The profile's payouts in its store, as `paydeck sync` leaves them.
    {
        let gateway: Arc<dyn Gateway> = Arc::from(sim.sim().gateway(quick_http()));
        let store = Store::open(&Store::path_for(&data_dir, "recon-sim")).expect("a store");
        let writer = StoreHandle::spawn(store, "store-writer").expect("its thread");
        sim.block_on(super::sync_once(&gateway, &writer));
    }
    let (status, truth) = sim.block_on(sim.sim().admin_get("bank/truth?dialect=pin"));
    assert_eq!(status, 200);
    let truth: Value = serde_json::from_str(&truth).expect("JSON");
    let day = |v: &Value| NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap();
    let (from, to) = (day(&truth["from"]), day(&truth["to"]));
    let path = format!("bank/statement?dialect=pin&format={format}");
    let (status, statement) = sim.block_on(sim.sim().admin_get(&path));
    assert_eq!(status, 200);
    Bank {
        sim,
        data_dir,
        from,
        to,
        statement,
    }
}

impl Bank {
    /// The statement written into the data directory as `name`.
    pub fn statement_file(&self, name: &str) -> std::path::PathBuf {
        let file = self.data_dir.join(name);
        std::fs::write(&file, &self.statement).expect("the statement file");
        file
    }

    /// A dashboard on the data directory with session `nov` created for the period.
    pub fn with_new_session(&self) -> super::pty::Pty {
        self.with_new_session_on(&[])
    }

    /// As [`with_new_session`](Self::with_new_session), with more arguments (as
    /// `--store URL`).
    pub fn with_new_session_on(&self, extra: &[&str]) -> super::pty::Pty {
        let mut pty = self.sim.open_in_with(&self.data_dir, extra);
        pty.send(&format!(":recon nov {}..{}\r", self.from, self.to));
        pty.wait_for_text("Created session nov");
        pty
    }
}
