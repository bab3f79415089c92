//! The TRX dialect (the transactions gateway of seed 002), mounted at
//! `/trx/v1`, over a ledger of its own with `trx_` + ULID ids: JWT (HS256)
//! client-credentials auth whose tokens expire by ledger time, transactions
//! (PAYMENT/REFUND/CHARGEBACK) with clamped offset paging, lookup, authorize /
//! authcap, partial capture and void, refunds, tokenization and authorization
//! intents. The contract is `docs/trx-gateway.md`.

mod error;
mod jwt;
mod routes;
mod settlements;
mod view;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};

use routes::on_payment;

use super::common::SharedLedger;
use super::dialect::{Dialect, Served};
use super::faults::{self, Faults};
use super::ledger::Ledger;
use super::ledger::settlement::fees::TRX_FEES;
use super::rng::Rng;
pub(crate) use error::{TrxError, TrxResult};

/// Access tokens live this many seconds of ledger time.
pub(crate) const TOKEN_TTL_S: i64 = 300;

/// The TRX key for a seed: `<client_id>:<client_secret>` (`cli_` + 20 and
/// `sec_` + 32 lowercase alphanumerics).
pub fn trx_key(seed: u64) -> String {
    let mut rng = Rng::derive(seed, 12);
    format!(
        "{}:{}",
        rng.lower_alnum("cli_", 20),
        rng.lower_alnum("sec_", 32)
    )
}

/// The TRX dialect in the registry.
pub(crate) static DIALECT: Dialect = Dialect::new("TRX", "/trx/v1", trx_key, 96, serve)
    .with_ids(trx_ids)
    .with_fees(TRX_FEES)
    .with_payout_name(settlements::payout_name);

fn serve(served: Served) -> Router {
    router(
        Arc::new(TrxState::new(served.ledger, served.seed)),
        served.faults,
    )
}

/// TRX ids: `trx_` + ULID (time of creation in ledger time) for charges,
/// refunds and disputes (all are transactions); `tok_` + ULID for cards;
/// anything else `prefix_` + ULID.
fn trx_ids(rng: &mut Rng, prefix: &str, now: DateTime<Utc>) -> String {
    let ms = u64::try_from(now.timestamp_millis()).unwrap_or(0);
    let prefix = match prefix {
        "ch" | "rf" | "dp" => "trx",
        "card" => "tok",
        other => other,
    };
    rng.ulid(prefix, ms)
}

/// An authorization intent (`POST /intents/authorization`).
#[derive(Debug, Clone)]
pub(crate) struct AuthIntent {
    pub amount: i64,
    pub currency: String,
    pub order_id: String,
    pub external_id: Option<String>,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub used: bool,
}

/// What the TRX dialect keeps beside the ledger.
#[derive(Debug, Default)]
pub(crate) struct Extra {
    /// Minor units released by partial voids, per payment.
    pub partial_void: HashMap<String, i64>,
    /// Last API change per payment.
    pub updated: HashMap<String, DateTime<Utc>>,
    pub intents: HashMap<String, AuthIntent>,
    /// Settlement batch ids derive from it.
    pub seed: u64,
}

/// Shared state of the TRX dialect.
#[derive(Debug)]
pub(crate) struct TrxState {
    pub ledger: SharedLedger,
    pub client_id: String,
    pub client_secret: String,
    pub jwt_key: Vec<u8>,
    pub extra: Mutex<Extra>,
}

impl TrxState {
    pub fn new(ledger: SharedLedger, seed: u64) -> Self {
        let key = trx_key(seed);
        let (id, secret) = key.split_once(':').unwrap_or((&key, ""));
        let mut rng = Rng::derive(seed, 13);
        let jwt_key = (0..4).flat_map(|_| rng.next_u64().to_le_bytes()).collect();
        TrxState {
            ledger,
            client_id: id.to_string(),
            client_secret: secret.to_string(),
            jwt_key,
            extra: Mutex::new(Extra {
                seed,
                ..Extra::default()
            }),
        }
    }

    /// Lock the ledger (time rules applied) and the side table, in that order.
    /// Never hold across `.await`.
    pub fn lock(&self) -> (MutexGuard<'_, Ledger>, MutexGuard<'_, Extra>) {
        let l = self.ledger.lock();
        let e = self.extra.lock().unwrap_or_else(|e| e.into_inner());
        (l, e)
    }

    fn now_s(&self) -> i64 {
        self.ledger.lock_untimed().now().timestamp()
    }
}

async fn auth(State(s): State<Arc<TrxState>>, req: Request, next: Next) -> Response {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (scheme, token) = value.trim().split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return TrxError::invalid_token("A bearer access token is required").into_response();
    }
    match jwt::verify(&s.jwt_key, token.trim(), s.now_s()) {
        Ok(sub) if sub == s.client_id => next.run(req).await,
        Ok(_) | Err(jwt::Invalid::Signature) => {
            TrxError::invalid_token("The access token signature is invalid").into_response()
        }
        Err(jwt::Invalid::Expired) => {
            TrxError::invalid_token("The access token has expired").into_response()
        }
        Err(jwt::Invalid::Malformed) => {
            TrxError::invalid_token("The access token is malformed").into_response()
        }
    }
}

async fn not_found() -> TrxError {
    TrxError::not_found("The requested resource does not exist")
}

/// The TRX router (to be nested at `/trx/v1`), with every layer.
fn router(state: Arc<TrxState>, faults: Arc<Faults>) -> Router {
    let protected = Router::new()
        .route("/transactions", get(routes::list).post(routes::create))
        .route("/transactions/lookup", get(routes::lookup))
        .route("/transactions/{id}", get(routes::get))
        .route("/transactions/{id}/capture", on_payment(routes::capture))
        .route("/transactions/{id}/void", on_payment(routes::void))
        .route("/transactions/{id}/refunds", on_payment(routes::refund))
        .route("/intents/tokenization", post(routes::tokenize))
        .route("/intents/authorization", post(routes::authorization_intent))
        .route("/settlements", get(settlements::list))
        .route("/settlements/{id}", get(settlements::get))
        .route("/settlements/{id}/lines", get(settlements::lines))
        .route("/balance", get(settlements::balance))
        .route_layer(middleware::from_fn_with_state(state.clone(), auth));
    let routes = Router::new()
        .route("/auth/token", post(routes::token))
        .merge(protected)
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .with_state(state);
    faults::injected(routes, faults, &error::FAULT_REPLIES)
}
