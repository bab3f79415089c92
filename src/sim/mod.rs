//! The gateway simulator: an axum server over in-memory [`ledger`]s, one
//! dialect per gateway, each in its own folder (Pin at `/pin/1/`, Stripe at
//! `/stripe/v1/`, Openpay at `/openpay/v1/{merchant_id}/`, the transactions
//! gateway at `/trx/v1/`), each with a ledger and key of its own, seeded by the
//! same generators; deterministic seed data, optional live traffic and fault
//! injection, plus `/_sim/*` admin routes. `start` serves every dialect in the
//! registry (`dialect::DIALECTS`); code that more than one dialect uses lives
//! in `common/`.

mod admin;
pub mod bank;
pub mod card_number;
mod common;
mod dialect;
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
pub mod seed_stream;
pub(crate) mod stripe;
pub(crate) mod trx;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use common::SharedLedger;
use dialect::{DIALECTS, Served};
use ledger::settlement::Schedule;
use seed_data::Seeding;

pub use bank::{BankNoise, BankNoiseError};
pub use faults::{FaultSpec, FaultSpecError};
pub use openpay::{openpay_key, openpay_merchant_id};
pub use pin::pin_key;
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
    /// When the ledgers cut and pay payout batches (`--payout-schedule`).
    pub payout_schedule: Schedule,
    /// How often the simulated bank spoils its statements (`--bank-noise`).
    pub bank_noise: BankNoise,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 42,
            charges: 3000,
            customers: 300,
            live_per_minute: 0,
            faults: FaultSpec::default(),
            payout_schedule: Schedule::default(),
            bank_noise: BankNoise::default(),
        }
    }
}

/// Where one dialect is served and the key it accepts. `name` is the
/// dialect's upper-case name (`PIN`, `STRIPE`, `OPENPAY`, `TRX`); `url` is the
/// base URL a client of that gateway is configured with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialectInfo {
    pub name: &'static str,
    pub url: String,
    pub key: String,
    merchant_id: Option<String>,
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
    /// The merchant id clients name in `url`, for a dialect that has one
    /// (Openpay: `http://127.0.0.1:PORT/openpay/v1/<merchant_id>`); `None`
    /// for the others.
    pub fn merchant_id(&self) -> Option<&str> {
        self.merchant_id.as_deref()
    }
}

impl RunningSim {
    /// The dialect called `name` (any case), if served.
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

/// Seed one ledger per dialect, bind the routes to `listener` and serve on
/// the current tokio runtime; returns at once. Every dialect in the registry
/// is served, each under its own mount with its own ledger and key.
pub async fn start(
    listener: tokio::net::TcpListener,
    config: SimConfig,
) -> std::io::Result<RunningSim> {
    let addr = listener.local_addr()?;
    let start = seed_data::start_instant();
    let faults = faults::Faults::new(config.faults.clone(), config.seed);
    let mut app = Router::new();
    let mut dialects = Vec::new();
    let mut ledgers = Vec::new();
    for dialect in DIALECTS {
        let seeding = Seeding::new(config.seed, config.customers, config.charges)
            .at(start)
            .ids(dialect.ids)
            .market(dialect.market)
            .settle(dialect.fees, config.payout_schedule);
        let served = Served {
            seed: config.seed,
            start,
            ledger: SharedLedger::new(seeding.ledger()),
            key: dialect.key(config.seed),
            url: format!("http://{addr}{}", dialect.base_path(config.seed)),
            faults: faults.clone(),
        };
        dialects.push(DialectInfo {
            name: dialect.name,
            url: served.url.clone(),
            key: served.key.clone(),
            merchant_id: dialect.merchant_id(config.seed),
        });
        ledgers.push((dialect, served.ledger.clone()));
        app = app.nest(dialect.mount, dialect.router(served));
    }
    let admin = Arc::new(admin::Admin {
        ledgers: ledgers
            .iter()
            .map(|(d, l)| admin::Books {
                name: d.name.to_ascii_lowercase(),
                ledger: l.clone(),
                payout_name: d.payout_name,
            })
            .collect(),
        keys: dialects.iter().map(|d| d.key.clone()).collect(),
        faults,
        bank: admin::Bank {
            seed: config.seed,
            noise: config.bank_noise,
        },
    });
    let app = app.nest("/_sim", admin::router(admin));
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
        ledgers
            .into_iter()
            .map(|(d, ledger)| {
                tokio::spawn(live::run(
                    ledger,
                    config.seed,
                    d.live_stream,
                    config.live_per_minute,
                    d.market,
                ))
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(RunningSim {
        addr,
        dialects,
        shutdown: tx,
        server,
        live,
    })
}
