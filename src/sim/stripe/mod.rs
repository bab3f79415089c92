//! The Stripe dialect, mounted at `/stripe` (routes under `/stripe/v1/...`), over a
//! ledger of its own: charges (create, list, search, retrieve, update, capture),
//! refunds, disputes, customers with their cards, payouts, balance transactions,
//! the balance and the events of the last 30 days; Stripe's auth, error objects,
//! cursor lists and Idempotency-Key semantics (`reference/stripe.md`).
//!
//! Layers, outermost first: response headers (`Request-Id`, `Stripe-Version`,
//! `Idempotency-Key` echo) → fault injection → auth → idempotency → handler. So
//! injected 429s and 401s are never stored under an idempotency key, and a
//! `commit_then_fail` fault leaves the real result stored for the retry.

mod book;
mod by_id;
mod charges;
mod customers;
mod disputes;
mod error;
mod events;
mod idempotency;
mod list;
mod params;
mod payouts;
mod refunds;
mod render;
mod search;
mod test_cards;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;

use by_id::{change, list_of, read};

use super::common::SharedLedger;
use super::common::auth::{Presented, authorised};
use super::dialect::{Dialect, Served};
use super::faults::{self, Faults};
use super::ledger::Ledger;
use super::ledger::settlement::fees::STRIPE_FEES;
use super::rng::Rng;
use chrono::{DateTime, Utc};
pub(crate) use error::{StripeError, StripeResult};
pub(crate) use params::{
    QueryParams, RequestParams, allow, boolean, empty, expands, int, metadata_update, missing_param,
};

/// The version named in `Stripe-Version` when the request sends none.
pub const DEFAULT_VERSION: &str = "2026-09-30.endive";

/// The Stripe key for a seed: `sk_test_sim_` + 24 alphanumerics (never `sk_live_`).
pub fn stripe_key(seed: u64) -> String {
    Rng::derive(seed, 5).alnum_token("sk_test_sim", 24)
}

/// The Stripe dialect in the registry.
pub(crate) static DIALECT: Dialect = Dialect::new("STRIPE", "/stripe", stripe_key, 98, serve)
    .with_ids(stripe_ids)
    .with_fees(STRIPE_FEES)
    .with_payout_name(payouts::payout_name);

fn serve(served: Served) -> Router {
    let state = Arc::new(StripeState::new(served.ledger, served.key, served.seed));
    router(state, served.faults)
}

/// Stripe ids: the prefix (`re` for refunds), `_` and 24 alphanumerics.
fn stripe_ids(rng: &mut Rng, prefix: &str, _now: DateTime<Utc>) -> String {
    let prefix = if prefix == "rf" { "re" } else { prefix };
    rng.alnum_token(prefix, 24)
}

/// Shared state of the Stripe dialect.
#[derive(Debug)]
pub(crate) struct StripeState {
    pub ledger: SharedLedger,
    pub key: String,
    pub idempotency: idempotency::Store,
    request_ids: Mutex<Rng>,
}

impl StripeState {
    pub fn new(ledger: SharedLedger, key: String, seed: u64) -> Self {
        StripeState {
            ledger,
            key,
            idempotency: idempotency::Store::default(),
            request_ids: Mutex::new(Rng::derive(seed, 6)),
        }
    }

    /// Lock the ledger and apply due time rules. Never hold across `.await`.
    pub fn ledger(&self) -> MutexGuard<'_, Ledger> {
        self.ledger.lock()
    }

    fn request_id(&self) -> String {
        let mut rng = self.request_ids.lock().unwrap_or_else(|e| e.into_inner());
        rng.alnum_token("req", 14)
    }
}

/// The request id of the current request (set by the outermost layer).
#[derive(Clone, Debug)]
pub(crate) struct RequestId(pub String);

/// A JSON response as Stripe sends it.
pub(crate) fn respond_json(status: StatusCode, body: &Value) -> Response {
    let mut resp = Response::new(Body::from(body.to_string()));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-store"),
    );
    resp
}

pub(crate) fn ok(body: Value) -> StripeResult {
    Ok(respond_json(StatusCode::OK, &body))
}

/// `sk_test_****abcd`: what an error may say about a presented key.
fn mask(key: &str) -> String {
    let prefix_len = key
        .match_indices('_')
        .nth(1)
        .map_or(0, |(i, _)| i + 1)
        .min(key.len());
    let tail: String = key
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{}****{}", &key[..prefix_len], tail)
}

async fn auth(State(s): State<Arc<StripeState>>, req: Request, next: Next) -> Response {
    if authorised(req.headers(), &s.key, true) {
        return next.run(req).await;
    }
    let presented = Presented::from_headers(req.headers());
    let msg = match presented.as_ref().map(Presented::key).filter(|k| !k.is_empty()) {
        Some(k) => format!("Invalid API Key provided: {}", mask(k)),
        None => "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.".to_string(),
    };
    StripeError::unauthenticated(msg).into_response()
}

/// Outermost layer: a request id for every request, `Stripe-Version` and the
/// `Idempotency-Key` echo on every response.
async fn headers(State(s): State<Arc<StripeState>>, mut req: Request, next: Next) -> Response {
    let id = s.request_id();
    let version = req
        .headers()
        .get("stripe-version")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty())
        .map_or_else(|| DEFAULT_VERSION.to_string(), |v| v.trim().to_string());
    let key = req.headers().get("idempotency-key").cloned();
    req.extensions_mut().insert(RequestId(id.clone()));
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&id) {
        h.insert("request-id", v);
    }
    if let Ok(v) = HeaderValue::from_str(&version) {
        h.insert("stripe-version", v);
    }
    if let Some(k) = key {
        h.insert("idempotency-key", k);
    }
    resp
}

async fn unrecognized(method: Method, uri: axum::http::Uri) -> StripeError {
    let path = uri.path();
    let path = path.strip_prefix("/stripe").unwrap_or(path);
    StripeError::unrecognized(method.as_str(), path)
}

/// The Stripe router (to be nested at `/stripe`), with every layer.
fn router(state: Arc<StripeState>, faults: Arc<Faults>) -> Router {
    let routes = Router::new()
        .route("/v1/charges", post(charges::create).get(charges::list))
        .route("/v1/charges/search", get(search::charges))
        .route(
            "/v1/charges/{ch}",
            read(charges::retrieve).merge(change(charges::update)),
        )
        .route("/v1/charges/{ch}/capture", change(charges::capture))
        .route("/v1/charges/{ch}/refund", change(refunds::legacy_refund))
        .route(
            "/v1/charges/{ch}/refunds",
            list_of(&["created"], refunds::for_charge).merge(change(refunds::create_for_charge)),
        )
        .route(
            "/v1/charges/{ch}/refunds/{re}",
            get(refunds::retrieve_for_charge).post(refunds::update_for_charge),
        )
        .route(
            "/v1/charges/{ch}/dispute",
            read(disputes::for_charge).merge(change(disputes::update_for_charge)),
        )
        .route(
            "/v1/charges/{ch}/dispute/close",
            change(disputes::close_for_charge),
        )
        .route("/v1/refunds", get(refunds::list).post(refunds::create))
        .route(
            "/v1/refunds/{re}",
            read(refunds::retrieve).merge(change(refunds::update)),
        )
        .route("/v1/disputes", get(disputes::list))
        .route("/v1/payouts", get(payouts::list))
        .route("/v1/payouts/{po}", read(payouts::retrieve))
        .route("/v1/balance_transactions", get(payouts::list_txns))
        .route(
            "/v1/balance_transactions/{txn}",
            read(payouts::retrieve_txn),
        )
        .route("/v1/balance", get(payouts::balance))
        .route("/v1/events", get(events::list))
        .route("/v1/events/{evt}", get(events::retrieve))
        .route(
            "/v1/disputes/{dp}",
            read(disputes::retrieve).merge(change(disputes::update)),
        )
        .route("/v1/disputes/{dp}/close", change(disputes::close))
        .route(
            "/v1/customers",
            get(customers::list).post(customers::create),
        )
        .route("/v1/customers/search", get(search::customers))
        .route(
            "/v1/customers/{cus}",
            read(customers::retrieve)
                .merge(change(customers::update))
                .delete(customers::remove),
        )
        .route(
            "/v1/customers/{cus}/sources",
            list_of(&["object"], customers::sources).post(customers::add_source),
        )
        .route(
            "/v1/customers/{cus}/sources/{card}",
            get(customers::source).delete(customers::remove_source),
        )
        .route(
            "/v1/customers/{cus}/payment_methods",
            list_of(&["type", "allow_redisplay"], customers::payment_methods),
        )
        .fallback(unrecognized)
        .method_not_allowed_fallback(unrecognized)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            idempotency::layer,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), auth));
    faults::injected(routes, faults, &error::FAULT_REPLIES)
        .layer(middleware::from_fn_with_state(state.clone(), headers))
        .with_state(state)
}
