//! `/_sim/*` admin routes (any dialect's key, as Basic username or Bearer
//! token; never faulted): `GET /_sim/operations[?since=SEQ][&dialect=NAME]`,
//! `POST /_sim/clock/advance?seconds=N[&dialect=NAME]` and `GET /_sim/faults`
//! (how many faults of each kind were injected, over every dialect).
//!
//! Each dialect has its own ledger and so its own operations log (with its own
//! `seq` numbers); `dialect` (any served dialect's name, in any case; default
//! the first served, `pin`) chooses which one `operations` reports, and the
//! answer names it: `{"dialect": "stripe", "operations": [...]}`. The clock is
//! one clock: advancing moves every ledger; `now` is the chosen one's. Errors
//! are [`AdminError`]s.
//!
//! The bank's side of the payouts is `GET /_sim/bank/statement` and
//! `/_sim/bank/truth` ([`bank`]); pruning the change feed and opening a
//! dispute on any charge are in [`changes`].

mod bank;
mod changes;
mod error;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::TimeDelta;
use serde_json::json;

use super::bank::{BankNoise, NamePayout};
use super::common::SharedLedger;
use super::common::auth::authorised;
use super::common::params::QueryParams;
use super::faults::Faults;
use super::form::Params;
use super::ledger::fmt_time;
use super::respond;
pub(crate) use error::AdminError;

/// At most ten years per call, so the clock offset can never overflow.
const MAX_ADVANCE_S: i64 = 10 * 366 * 86_400;

#[derive(Debug)]
pub(crate) struct Admin {
    /// Every served dialect's books; the first is the default for `?dialect=`.
    pub ledgers: Vec<Books>,
    /// Any of these keys may use the admin routes.
    pub keys: Vec<String>,
    pub faults: Arc<Faults>,
    pub bank: Bank,
}

/// One dialect's ledger as the admin routes see it.
#[derive(Debug)]
pub(crate) struct Books {
    /// The dialect's name, lower case.
    pub name: String,
    pub ledger: SharedLedger,
    /// How the dialect names its payouts (for the bank statement).
    pub payout_name: NamePayout,
}

/// What the simulated bank draws its noise from.
#[derive(Debug)]
pub(crate) struct Bank {
    pub seed: u64,
    pub noise: BankNoise,
}

impl Admin {
    /// The ledger named by `?dialect=` (default the first) and its name.
    fn chosen(&self, p: &Params) -> Result<(&str, &Books), AdminError> {
        let wanted = p.text("dialect").map(|d| d.to_ascii_lowercase());
        let found = match wanted.as_deref() {
            None => self.ledgers.first(),
            Some(w) => self.ledgers.iter().find(|b| b.name == w),
        };
        found
            .map(|b| (b.name.as_str(), b))
            .ok_or_else(|| AdminError::invalid("dialect", self.dialect_must_be()))
    }

    /// `Dialect must be pin, stripe, openpay or trx`: every served name.
    fn dialect_must_be(&self) -> String {
        let names: Vec<&str> = self.ledgers.iter().map(|b| b.name.as_str()).collect();
        let list = match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => names.join(""),
        };
        format!("Dialect must be {list}")
    }
}

async fn auth(State(s): State<Arc<Admin>>, req: Request, next: Next) -> Response {
    if s.keys.iter().any(|k| authorised(req.headers(), k, true)) {
        next.run(req).await
    } else {
        AdminError::Unauthenticated.into_response()
    }
}

async fn operations(
    State(s): State<Arc<Admin>>,
    QueryParams(p, _): QueryParams<AdminError>,
) -> Result<Response, AdminError> {
    let since = match p.int("since") {
        Ok(v) => v.unwrap_or(0).max(0).unsigned_abs(),
        Err(_) => {
            return Err(AdminError::invalid(
                "since",
                "Since must be a sequence number",
            ));
        }
    };
    let (name, books) = s.chosen(&p)?;
    let l = books.ledger.lock();
    let ops = l.operations_since(since);
    Ok(respond::json(
        StatusCode::OK,
        &json!({ "dialect": name, "operations": ops }),
    ))
}

async fn advance(
    State(s): State<Arc<Admin>>,
    QueryParams(p, _): QueryParams<AdminError>,
) -> Result<Response, AdminError> {
    let seconds = match p.int("seconds") {
        Ok(Some(n)) if (0..=MAX_ADVANCE_S).contains(&n) => n,
        _ => {
            return Err(AdminError::invalid(
                "seconds",
                format!("Seconds must be a whole number from 0 to {MAX_ADVANCE_S}"),
            ));
        }
    };
    let (name, _) = s.chosen(&p)?;
    let mut now = None;
    for books in &s.ledgers {
        let mut l = books.ledger.lock_untimed();
        let t = l.advance(TimeDelta::seconds(seconds));
        if books.name == name {
            now = Some(t);
        }
    }
    let now = now.unwrap_or_else(chrono::Utc::now);
    Ok(respond::json(
        StatusCode::OK,
        &json!({ "now": fmt_time(now) }),
    ))
}

async fn faults(State(s): State<Arc<Admin>>) -> Response {
    respond::json(StatusCode::OK, &s.faults.injected())
}

async fn not_found() -> AdminError {
    AdminError::NotFound
}

pub(crate) fn router(state: Arc<Admin>) -> Router {
    Router::new()
        .route("/operations", get(operations))
        .route("/clock/advance", post(advance))
        .route("/faults", get(faults))
        .route("/events/prune", post(changes::prune))
        .route("/disputes", post(changes::open_dispute))
        .route("/bank/statement", get(bank::statement))
        .route("/bank/truth", get(bank::truth))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::sim::{SimConfig, start};

    /// Status and JSON body of `method` on `/_sim/{path}` with `key` as Basic user.
    async fn call(addr: std::net::SocketAddr, post: bool, path: &str, key: &str) -> (u16, Value) {
        // Fails only when a provider is installed already, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::new();
        let url = format!("http://{addr}/_sim/{path}");
        let req = if post {
            client.post(url)
        } else {
            client.get(url)
        };
        let resp = req.basic_auth(key, Some("")).send().await.unwrap();
        (resp.status().as_u16(), resp.json().await.unwrap())
    }

    #[tokio::test]
    async fn dialect_defaults_to_pin_and_errors_keep_their_shape() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let config = SimConfig {
            charges: 5,
            customers: 2,
            ..SimConfig::default()
        };
        let sim = start(listener, config).await.unwrap();
        let key = sim.dialect("STRIPE").unwrap().key.clone();
        let (status, body) = call(sim.addr, false, "operations", &key).await;
        assert_eq!((status, &body["dialect"]), (200, &json!("pin")));
        let (_, body) = call(sim.addr, false, "operations?dialect=TRX", &key).await;
        assert_eq!(body["dialect"], "trx");
        let (status, body) = call(sim.addr, false, "operations?dialect=adyen", &key).await;
        assert_eq!(status, 422);
        assert_eq!(
            body,
            json!({
                "error": "invalid_resource",
                "error_description": "One or more parameters were missing or invalid.",
                "messages": [{"param": "dialect", "code": "dialect_invalid",
                    "message": "Dialect must be pin, stripe, openpay or trx"}],
            })
        );
        let (status, body) = call(sim.addr, true, "clock/advance?seconds=-1", &key).await;
        assert_eq!(status, 422);
        assert_eq!(body["messages"][0]["code"], "seconds_invalid");
        let (status, body) = call(sim.addr, false, "operations", "sk_wrong").await;
        assert_eq!(
            (status, body),
            (
                401,
                json!({"error": "unauthenticated", "error_description": "Not authorised. (Check API Key)."})
            )
        );
        let (status, body) = call(sim.addr, false, "nothing", &key).await;
        assert_eq!((status, &body["error"]), (404, &json!("not_found")));
        sim.shutdown().await;
    }
}
