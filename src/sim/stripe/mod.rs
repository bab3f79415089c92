//! The Stripe dialect, mounted at `/stripe` (routes under `/stripe/v1/...`), over a
//! ledger of its own: charges (create, list, search, retrieve, update, capture),
//! refunds, disputes, customers with their cards; Stripe's auth, error objects,
//! cursor lists and Idempotency-Key semantics (`reference/stripe.md`).
//!
//! Layers, outermost first: response headers (`Request-Id`, `Stripe-Version`,
//! `Idempotency-Key` echo) → fault injection → auth → idempotency → handler. So
//! injected 429s and 401s are never stored under an idempotency key, and a
//! `commit_then_fail` fault leaves the real result stored for the retry.

mod charges;
mod customers;
mod disputes;
mod error;
mod idempotency;
mod list;
mod refunds;
mod render;
mod search;
mod test_cards;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;

use super::common::SharedLedger;
use super::common::auth::{Presented, authorised};
use super::common::params::{body_params, query_params};
use super::faults::{self, Faults};
use super::form::{ParamError, Params};
use super::ledger::Ledger;
use super::rng::Rng;
pub(crate) use error::{StripeError, StripeResult};

/// The version named in `Stripe-Version` when the request sends none.
pub const DEFAULT_VERSION: &str = "2026-09-30.endive";

/// The Stripe key for a seed: `sk_test_sim_` + 24 alphanumerics (never `sk_live_`).
pub fn stripe_key(seed: u64) -> String {
    Rng::derive(seed, 5).alnum_token("sk_test_sim", 24)
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

/// Query string and body merged into one bag (body wins), as Stripe does.
pub(crate) fn params(
    query: Option<&str>,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Params, StripeError> {
    let mut p = query_params(query)?;
    let b = body_params(headers, body)?;
    if let (Value::Object(into), Value::Object(from)) = (&mut p.0, b.0) {
        into.extend(from);
    }
    Ok(p)
}

pub(crate) fn query(query: Option<&str>) -> Result<Params, StripeError> {
    Ok(query_params(query)?)
}

/// 400 `parameter_unknown` for the first top-level parameter not in `known`
/// (`expand` is always allowed).
pub(crate) fn allow(p: &Params, known: &[&str]) -> Result<(), StripeError> {
    if let Value::Object(m) = &p.0 {
        if let Some(k) = m
            .keys()
            .find(|k| k.as_str() != "expand" && !known.contains(&k.as_str()))
        {
            return Err(
                StripeError::invalid(format!("Received unknown parameter: {k}"))
                    .code("parameter_unknown")
                    .param(k),
            );
        }
    }
    Ok(())
}

fn raw(p: &Params, name: &str) -> String {
    p.str(name).unwrap_or_default()
}

/// Bracketed name for error messages: `created.gte` → `created[gte]`.
pub(crate) fn bracket(name: &str) -> String {
    let mut parts = name.split('.');
    let mut out = parts.next().unwrap_or("").to_string();
    for p in parts {
        out.push('[');
        out.push_str(p);
        out.push(']');
    }
    out
}

/// An integer parameter: `parameter_invalid_integer` / `parameter_invalid_empty`.
pub(crate) fn int(p: &Params, name: &str) -> Result<Option<i64>, StripeError> {
    match p.int(name) {
        Ok(v) => Ok(v),
        Err(ParamError::Blank) => Err(empty(name)),
        Err(_) => Err(
            StripeError::invalid(format!("Invalid integer: {}", raw(p, name)))
                .code("parameter_invalid_integer")
                .param(&bracket(name)),
        ),
    }
}

pub(crate) fn boolean(p: &Params, name: &str) -> Result<Option<bool>, StripeError> {
    match p.bool(name) {
        Ok(v) => Ok(v),
        Err(ParamError::Blank) => Err(empty(name)),
        Err(_) => Err(
            StripeError::invalid(format!("Invalid boolean: {}", raw(p, name)))
                .param(&bracket(name)),
        ),
    }
}

pub(crate) fn empty(name: &str) -> StripeError {
    let b = bracket(name);
    StripeError::invalid(format!(
        "You passed an empty string for '{b}'. We assume empty values are an attempt to unset a parameter; however '{b}' cannot be unset. You should remove '{b}' from your request or supply a non-empty value."
    ))
    .code("parameter_invalid_empty")
    .param(&b)
}

pub(crate) fn missing_param(name: &str) -> StripeError {
    StripeError::invalid(format!("Missing required param: {name}."))
        .code("parameter_missing")
        .param(name)
}

/// The new metadata after applying `metadata[...]` from the request to `current`:
/// `None` when not sent; `metadata=` clears; `metadata[k]=` removes `k`.
pub(crate) fn metadata_update(
    p: &Params,
    current: &[(String, String)],
) -> Result<Option<Vec<(String, String)>>, StripeError> {
    match p.get("metadata") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(Some(Vec::new())),
        Some(Value::Object(m)) => {
            let mut out = current.to_vec();
            for (k, v) in m {
                let v = match v {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => {
                        return Err(StripeError::invalid(format!(
                            "Invalid value for metadata[{k}]: metadata values must be strings."
                        ))
                        .param(&format!("metadata[{k}]")));
                    }
                };
                if k.len() > 40 || k.contains(['[', ']']) || k.is_empty() {
                    return Err(StripeError::invalid(format!(
                        "Metadata keys must be 1 to 40 characters without square brackets: {k}"
                    ))
                    .param(&format!("metadata[{k}]")));
                }
                if v.chars().count() > 500 {
                    return Err(StripeError::invalid(
                        "Metadata values can have up to 500 characters.",
                    )
                    .param(&format!("metadata[{k}]")));
                }
                match out.iter().position(|(ek, _)| ek == k) {
                    Some(i) if v.is_empty() => {
                        out.remove(i);
                    }
                    Some(i) => out[i].1 = v,
                    None if v.is_empty() => {}
                    None => out.push((k.clone(), v)),
                }
            }
            if out.len() > 50 {
                return Err(
                    StripeError::invalid("You can have at most 50 metadata keys.")
                        .param("metadata"),
                );
            }
            Ok(Some(out))
        }
        Some(_) => Err(StripeError::invalid("Invalid hash").param("metadata")),
    }
}

/// The `expand[]` paths of a request (`expand[]=a`, `expand[0]=a` or `expand=a`).
pub(crate) fn expands(p: &Params) -> Vec<String> {
    match p.get("expand") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Value::Object(m)) => m
            .values()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
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
pub(crate) fn router(state: Arc<StripeState>, faults: Arc<Faults>) -> Router {
    Router::new()
        .route("/v1/charges", post(charges::create).get(charges::list))
        .route("/v1/charges/search", get(search::charges))
        .route(
            "/v1/charges/{ch}",
            get(charges::retrieve).post(charges::update),
        )
        .route("/v1/charges/{ch}/capture", post(charges::capture))
        .route("/v1/charges/{ch}/refund", post(refunds::legacy_refund))
        .route(
            "/v1/charges/{ch}/refunds",
            get(refunds::for_charge).post(refunds::create_for_charge),
        )
        .route(
            "/v1/charges/{ch}/refunds/{re}",
            get(refunds::retrieve_for_charge).post(refunds::update_for_charge),
        )
        .route(
            "/v1/charges/{ch}/dispute",
            get(disputes::for_charge).post(disputes::update_for_charge),
        )
        .route(
            "/v1/charges/{ch}/dispute/close",
            post(disputes::close_for_charge),
        )
        .route("/v1/refunds", get(refunds::list).post(refunds::create))
        .route(
            "/v1/refunds/{re}",
            get(refunds::retrieve).post(refunds::update),
        )
        .route("/v1/disputes", get(disputes::list))
        .route(
            "/v1/disputes/{dp}",
            get(disputes::retrieve).post(disputes::update),
        )
        .route("/v1/disputes/{dp}/close", post(disputes::close))
        .route(
            "/v1/customers",
            get(customers::list).post(customers::create),
        )
        .route("/v1/customers/search", get(search::customers))
        .route(
            "/v1/customers/{cus}",
            get(customers::retrieve)
                .post(customers::update)
                .delete(customers::remove),
        )
        .route(
            "/v1/customers/{cus}/sources",
            get(customers::sources).post(customers::add_source),
        )
        .route(
            "/v1/customers/{cus}/sources/{card}",
            get(customers::source).delete(customers::remove_source),
        )
        .route(
            "/v1/customers/{cus}/payment_methods",
            get(customers::payment_methods),
        )
        .fallback(unrecognized)
        .method_not_allowed_fallback(unrecognized)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            idempotency::layer,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), auth))
        .layer(middleware::from_fn_with_state(
            faults,
            faults::inject_stripe,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), headers))
        .with_state(state)
}
