//! The Openpay dialect, mounted at `/openpay` (routes under
//! `/openpay/v1/{merchant_id}/...`), over a ledger of its own: charges at
//! merchant and customer level (create, get, list with Openpay's filters and
//! offset paging, capture, refund, which cancels an uncaptured
//! pre-authorisation), customers and their cards. Money is decimal major units
//! on the wire; errors are Openpay's error object. See `docs/openpay.md`.
//!
//! Layers, outermost first: fault injection (Openpay-shaped bodies) → merchant
//! id (any other id is 401 / 1002) → HTTP Basic auth (private key as user, empty
//! password) → handler.

pub(crate) mod amount;
mod cards;
mod charges;
mod customers;
pub(crate) mod error;
mod list;
pub(crate) mod merchant;
mod payouts;
mod render;
mod reports;
pub(crate) mod test_cards;

use std::collections::HashMap;
use std::sync::{Arc, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::HeaderMap;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::common::SharedLedger;
use super::common::auth::Presented;
use super::common::major_units;
use super::common::params::body_params;
use super::dialect::{Dialect, Served};
use super::faults::{self, Faults};
use super::form::Params;
use super::ledger::Ledger;
use super::ledger::settlement::fees::OPENPAY_FEES;
use super::rng::Rng;
use chrono::{DateTime, Utc};
pub(crate) use error::{OpenpayError, OpenpayResult};

/// The Openpay private key for a seed: `sk_` + 32 lowercase hex digits (never `sk_live_`).
pub fn openpay_key(seed: u64) -> String {
    let mut rng = Rng::derive(seed, 10);
    format!("sk_{:016x}{:016x}", rng.next_u64(), rng.next_u64())
}

/// The Openpay merchant id for a seed: `m` + 19 lowercase alphanumerics.
pub fn openpay_merchant_id(seed: u64) -> String {
    Rng::derive(seed, 11).lower_alnum("m", 19)
}

/// The Openpay dialect in the registry: clients are given the merchant's URL,
/// `/openpay/v1/{merchant_id}`.
pub(crate) static DIALECT: Dialect = Dialect::new("OPENPAY", "/openpay", openpay_key, 97, serve)
    .with_ids(openpay_ids)
    .with_market(mexico)
    .with_fees(OPENPAY_FEES)
    .with_merchant_id(openpay_merchant_id)
    .with_payout_name(payouts::payout_name);

fn serve(served: Served) -> Router {
    let state = Arc::new(OpenpayState {
        ledger: served.ledger,
        key: served.key,
        merchant: merchant::Profile::for_seed(served.seed, served.start),
        merchant_id: openpay_merchant_id(served.seed),
        seed: served.seed,
    });
    router(state, served.faults)
}

/// Openpay ids, 20 lowercase alphanumerics: charges and refunds are
/// transactions, `tr` + 18; customers `a` + 19; cards `k` + 19; anything else
/// its first letter + 19.
fn openpay_ids(rng: &mut Rng, prefix: &str, _now: DateTime<Utc>) -> String {
    match prefix {
        "ch" | "rf" => rng.lower_alnum("tr", 18),
        "cus" => rng.lower_alnum("a", 19),
        "card" => rng.lower_alnum("k", 19),
        other => {
            let first = other.get(..1).unwrap_or("x").to_ascii_lowercase();
            rng.lower_alnum(&first, 19)
        }
    }
}

/// Openpay Mexico: USD stays USD; every other draw becomes MXN at about ten
/// pesos to the Australian dollar (JPY amounts are roughly cents already).
fn mexico(currency: String, amount: i64) -> (String, i64) {
    if currency == "USD" {
        (currency, amount)
    } else {
        ("MXN".to_string(), amount.saturating_mul(10))
    }
}

/// Shared state of the Openpay dialect.
#[derive(Debug)]
pub(crate) struct OpenpayState {
    pub ledger: SharedLedger,
    pub key: String,
    pub merchant_id: String,
    /// Who the merchant is, for `GET /v1/{merchant_id}`.
    pub merchant: merchant::Profile,
    /// `--seed`, from which payout ids are derived.
    pub seed: u64,
}

impl OpenpayState {
    /// Lock the ledger and apply due time rules. Never hold across `.await`.
    pub fn ledger(&self) -> MutexGuard<'_, Ledger> {
        self.ledger.lock()
    }
}

/// Path parameters by name (`cid`, `tid`, `kid`), for routes at both levels.
pub(crate) type PathParams = HashMap<String, String>;

/// The path parameters of a route at either level (none at merchant level).
pub(crate) fn path_of(path: Option<Path<PathParams>>) -> PathParams {
    path.map(|Path(p)| p).unwrap_or_default()
}

/// What an Openpay write reads: the path's ids (none at merchant level), the
/// body's parameters, and the body's bytes (amounts are read from them
/// exactly). A body that cannot be read is Openpay's 400.
pub(crate) struct Write {
    pub path: PathParams,
    pub p: Params,
    pub body: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for Write {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let path = Option::<Path<PathParams>>::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let headers = parts.headers.clone();
        let body = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let p = body_params(&headers, &body).map_err(|e| OpenpayError::from(e).into_response())?;
        Ok(Write {
            path: path_of(path),
            p,
            body,
        })
    }
}

/// A money field's exact text: from the raw JSON (never through a float), or
/// from a form body's string.
pub(crate) fn amount_text(p: &Params, body: &Bytes, name: &str) -> Option<String> {
    major_units::raw_field(body, name).or_else(|| match p.get(name) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        _ => None,
    })
}

/// An optional string field of at most `max` characters (1001 otherwise).
pub(crate) fn text_field(
    p: &Params,
    name: &str,
    max: usize,
) -> Result<Option<String>, OpenpayError> {
    match p.get(name) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) if s.chars().count() > max => Err(
            OpenpayError::bad_request(format!("{name} length must be at most {max}")),
        ),
        Some(serde_json::Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(serde_json::Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(OpenpayError::bad_request(format!(
            "{name} must be a string"
        ))),
    }
}

/// A required, non-blank string field (1001 when missing).
pub(crate) fn required(p: &Params, name: &str, max: usize) -> Result<String, OpenpayError> {
    text_field(p, name, max)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| OpenpayError::bad_request(format!("{name} is required")))
}

/// True when `Authorization` is HTTP Basic with `key` as user and an empty password.
fn authorised(headers: &HeaderMap, key: &str) -> bool {
    match Presented::from_headers(headers) {
        Some(Presented::Basic { user, password }) => {
            user == key && password.is_none_or(|p| p.is_empty())
        }
        _ => false,
    }
}

async fn auth(State(s): State<Arc<OpenpayState>>, req: Request, next: Next) -> Response {
    if authorised(req.headers(), &s.key) {
        next.run(req).await
    } else {
        OpenpayError::unauthorized().into_response()
    }
}

async fn not_found() -> OpenpayError {
    OpenpayError::not_found("The requested resource doesn't exist")
}

/// Requests under `/openpay` that are not for this merchant: a wrong merchant
/// id is 401 / 1002 (the key and merchant id do not match), anything else 404.
async fn wrong_merchant(uri: axum::http::Uri) -> OpenpayError {
    let path = uri.path();
    let path = path.strip_prefix("/openpay").unwrap_or(path);
    let rest = path.strip_prefix("/v1/").unwrap_or("");
    if rest.split('/').next().is_some_and(|m| !m.is_empty()) {
        OpenpayError::unauthorized()
    } else {
        OpenpayError::not_found("The requested resource doesn't exist")
    }
}

/// The charge routes of `owner`, the merchant (`""`) or a customer
/// (`/customers/{cid}`): Openpay serves charges alike under both.
fn charge_routes(router: Router<Arc<OpenpayState>>, owner: &str) -> Router<Arc<OpenpayState>> {
    router
        .route(
            &format!("{owner}/charges"),
            post(charges::create).get(charges::list),
        )
        .route(&format!("{owner}/charges/{{tid}}"), get(charges::get))
        .route(
            &format!("{owner}/charges/{{tid}}/capture"),
            post(charges::capture),
        )
        .route(
            &format!("{owner}/charges/{{tid}}/refund"),
            post(charges::refund),
        )
}

/// The Openpay router (to be nested at `/openpay`), with every layer.
fn router(state: Arc<OpenpayState>, faults: Arc<Faults>) -> Router {
    let merchant = Router::new()
        .route("/", get(merchant::get))
        .route("/customers", post(customers::create).get(customers::list))
        .route(
            "/customers/{cid}",
            get(customers::get)
                .put(customers::update)
                .delete(customers::remove),
        )
        .route(
            "/customers/{cid}/cards",
            get(cards::list).post(cards::create),
        )
        .route(
            "/customers/{cid}/cards/{kid}",
            get(cards::get).delete(cards::remove),
        )
        .route("/payouts", get(payouts::list))
        .route("/payouts/{pid}", get(payouts::get))
        .route("/reports/payout/{pid}", get(reports::summary))
        .route("/reports/payout/{pid}/detail", get(reports::detail));
    let merchant = ["", "/customers/{cid}"]
        .into_iter()
        .fold(merchant, charge_routes)
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth))
        .with_state(state.clone());
    let routes = Router::new()
        .nest(&format!("/v1/{}", state.merchant_id), merchant)
        .fallback(wrong_merchant);
    faults::injected(routes, faults, &error::FAULT_REPLIES)
}
