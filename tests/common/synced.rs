//! A simulator of one dialect synced once into a fresh store in a temp dir: what the
//! reconciliation tests read their payouts from.

use std::sync::Arc;

use paydeck::gateway::Gateway;
use paydeck::recon::PayoutWithLines;
use paydeck::sim::SimConfig;
use paydeck::store::{Store, StoreHandle};

use super::simulator::{Dialect, Sim, quick_http, start};

pub struct Synced {
    pub sim: Sim,
    pub gateway: Arc<dyn Gateway>,
    pub writer: StoreHandle,
    /// The temp dir the store is in, removed by `stop`.
    pub dir: std::path::PathBuf,
}

impl Synced {
    /// Starts the simulator and runs one `paydeck::sync::run` of it into a new store.
    pub async fn start(dialect: Dialect, config: SimConfig) -> Synced {
        let sim = start(dialect, config).await;
        let gateway: Arc<dyn Gateway> = Arc::from(sim.gateway(quick_http()));
        let dir = std::env::temp_dir().join(format!("paydeck-recon-{}", uuid::Uuid::new_v4()));
        let store = Store::open(&Store::path_for(&dir, "p")).expect("a store");
        let writer = StoreHandle::spawn(store, "store-writer").expect("its thread");
        super::sync_once(&gateway, &writer).await;
        Synced {
            sim,
            gateway,
            writer,
            dir,
        }
    }

    /// The payouts the sync stored, each with its lines.
    pub async fn payouts(&self) -> Vec<PayoutWithLines> {
        self.writer
            .call(|store: &mut Store| super::bank_truth::stored_payouts(store))
            .await
            .expect("the store's payouts")
    }

    /// Stops the simulator and removes the store.
    pub async fn stop(self) {
        drop(self.writer);
        self.sim.running.shutdown().await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
