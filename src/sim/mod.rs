//! The gateway simulator: an axum server over in-memory [`ledger`]s, one
//! dialect per gateway (Pin at `/pin/1/`, Stripe at `/stripe/v1/`, Openpay at
//! `/openpay/v1/{merchant_id}/`, each with a ledger and key of its own, seeded by
//! the same generators), deterministic seed
//! data, optional live traffic and fault injection, plus `/_sim/*` admin routes.

mod admin;
pub mod card_number;
mod common;
pub mod faults;
pub mod form;
pub mod ledger;
mod live;
pub(crate) mod openpay;
mod paths;
pub(crate) mod pin;
pub mod respond;
pub mod rng;
pub mod seed_data;
pub(crate) mod stripe;
pub(crate) mod trx;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::sync::oneshot;

use common::SharedLedger;
use tokio::task::JoinHandle;

pub use faults::{FaultSpec, FaultSpecError};
pub use openpay::{openpay_key, openpay_merchant_id};
pub use stripe::stripe_key;
pub use trx::trx_key;

/// How to start the simulator.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub seed: u64,
    pub charges: usize,
    pub customers: usize,
    /// New charges per minute from the live-traffic task (0 = none).
    pub live_per_minute: u32,
    pub faults: FaultSpec,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 42,
            charges: 3000,
            customers: 300,
            live_per_minute: 0,
            faults: FaultSpec::default(),
        }
    }
}

/// Where one dialect is served and the key it accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialectInfo {
    pub name: &'static str,
    pub url: String,
    pub key: String,
}

/// A running simulator; call [`RunningSim::shutdown`] to stop it.
#[derive(Debug)]
pub struct RunningSim {
    pub addr: SocketAddr,
    pub dialects: Vec<DialectInfo>,
    shutdown: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
    live: Vec<JoinHandle<()>>,
}

impl DialectInfo {
    /// Openpay's merchant id: the last path segment of the OPENPAY dialect's
    /// `url` (`http://127.0.0.1:PORT/openpay/v1/<merchant_id>`); `None` for
    /// the other dialects.
    pub fn merchant_id(&self) -> Option<&str> {
        (self.name == "OPENPAY")
            .then(|| self.url.rsplit('/').next())
            .flatten()
    }
}

impl RunningSim {
    pub fn dialect(&self, name: &str) -> Option<&DialectInfo> {
        self.dialects
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(name))
    }

    /// Stop accepting, let in-flight requests finish (briefly), stop live traffic.
    pub async fn shutdown(self) {
        for live in self.live {
            live.abort();
        }
        let _ = self.shutdown.send(());
        let mut server = self.server;
        if tokio::time::timeout(Duration::from_secs(3), &mut server)
            .await
            .is_err()
        {
            server.abort();
        }
    }
}

/// The Pin key for a seed: `pin_sim_` + 22 token characters (never `sk_live_`).
pub fn pin_key(seed: u64) -> String {
    rng::Rng::derive(seed, 3).token("pin_sim")
}

/// Seed the ledger, bind the routes to `listener` and serve on the current
/// tokio runtime; returns at once.
pub async fn start(
    listener: tokio::net::TcpListener,
    config: SimConfig,
) -> std::io::Result<RunningSim> {
    let addr = listener.local_addr()?;
    let key = pin_key(config.seed);
    let url = format!("http://{addr}/pin/1");
    let ledger = SharedLedger::new(seed_data::seeded_ledger(
        config.seed,
        config.customers,
        config.charges,
    ));
    let stripe_key = stripe::stripe_key(config.seed);
    let stripe_url = format!("http://{addr}/stripe");
    let stripe_ledger = SharedLedger::new(seed_data::seeded_ledger_styled(
        config.seed,
        config.customers,
        config.charges,
        seed_data::start_instant(),
        ledger::IdStyle::Stripe,
    ));
    let openpay_key = openpay::openpay_key(config.seed);
    let merchant_id = openpay::openpay_merchant_id(config.seed);
    let openpay_url = format!("http://{addr}/openpay/v1/{merchant_id}");
    let openpay_ledger = SharedLedger::new(seed_data::seeded_ledger_market(
        config.seed,
        config.customers,
        config.charges,
        seed_data::start_instant(),
        ledger::IdStyle::Openpay,
        seed_data::Market::Openpay,
    ));
    let trx_key = trx::trx_key(config.seed);
    let trx_url = format!("http://{addr}/trx/v1");
    let trx_ledger = SharedLedger::new(seed_data::seeded_ledger_market(
        config.seed,
        config.customers,
        config.charges,
        seed_data::start_instant(),
        ledger::IdStyle::Trx,
        seed_data::Market::Default,
    ));
    let trx_state = Arc::new(trx::TrxState::new(trx_ledger.clone(), config.seed));
    let faults = faults::Faults::new(config.faults.clone(), config.seed);
    let pin_state = Arc::new(pin::PinState {
        ledger: ledger.clone(),
        key: key.clone(),
        base_url: url.clone(),
    });
    let stripe_state = Arc::new(stripe::StripeState::new(
        stripe_ledger.clone(),
        stripe_key.clone(),
        config.seed,
    ));
    let openpay_state = Arc::new(openpay::OpenpayState {
        ledger: openpay_ledger.clone(),
        key: openpay_key.clone(),
        merchant: openpay::merchant::Profile::for_seed(config.seed, seed_data::start_instant()),
        merchant_id,
    });
    let admin = Arc::new(admin::Admin {
        ledgers: vec![
            ("pin".to_string(), ledger.clone()),
            ("stripe".to_string(), stripe_ledger.clone()),
            ("openpay".to_string(), openpay_ledger.clone()),
            ("trx".to_string(), trx_ledger.clone()),
        ],
        keys: vec![
            key.clone(),
            stripe_key.clone(),
            openpay_key.clone(),
            trx_key.clone(),
        ],
        faults: faults.clone(),
    });
    let app = Router::new()
        .nest("/pin/1", pin::router(pin_state, faults.clone()))
        .nest("/stripe", stripe::router(stripe_state, faults.clone()))
        .nest("/openpay", openpay::router(openpay_state, faults.clone()))
        .nest("/trx/v1", trx::router(trx_state, faults))
        .nest("/_sim", admin::router(admin));
    // Paths are made clean before any dialect routes them: a layer on `app` itself
    // would run only after routing had already missed.
    let app = Router::new()
        .fallback_service(app)
        .layer(axum::middleware::map_request(paths::normalise));
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = rx.await;
        })
        .await
    });
    let live = if config.live_per_minute > 0 {
        vec![
            tokio::spawn(live::run(
                ledger,
                config.seed,
                99,
                config.live_per_minute,
                seed_data::Market::Default,
            )),
            tokio::spawn(live::run(
                stripe_ledger,
                config.seed,
                98,
                config.live_per_minute,
                seed_data::Market::Default,
            )),
            tokio::spawn(live::run(
                openpay_ledger,
                config.seed,
                97,
                config.live_per_minute,
                seed_data::Market::Openpay,
            )),
            tokio::spawn(live::run(
                trx_ledger,
                config.seed,
                96,
                config.live_per_minute,
                seed_data::Market::Default,
            )),
        ]
    } else {
        Vec::new()
    };
    Ok(RunningSim {
        addr,
        dialects: vec![
            DialectInfo {
                name: "PIN",
                url,
                key,
            },
            DialectInfo {
                name: "STRIPE",
                url: stripe_url,
                key: stripe_key,
            },
            DialectInfo {
                name: "OPENPAY",
                url: openpay_url,
                key: openpay_key,
            },
            DialectInfo {
                name: "TRX",
                url: trx_url,
                key: trx_key,
            },
        ],
        shutdown: tx,
        server,
        live,
    })
}
