//! `/_sim/*` admin routes (either dialect's key, as Basic or Bearer; never faulted):
//! `GET /_sim/operations[?since=SEQ][&dialect=pin|stripe|openpay|trx]`,
//! `POST /_sim/clock/advance?seconds=N[&dialect=pin|stripe|openpay|trx]` and `GET /_sim/faults`
//! (how many faults of each kind were injected, over every dialect).
//!
//! Each dialect has its own ledger and so its own operations log (with its own
//! `seq` numbers); `dialect` (default `pin`) chooses which one `operations`
//! reports, and the answer names it: `{"dialect": "stripe", "operations": [...]}`.
//! The clock is one clock: advancing moves every ledger; `now` is the chosen one's.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{RawQuery, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::TimeDelta;
use serde_json::json;

use super::faults::Faults;
use super::form::Params;
use super::ledger::{Ledger, fmt_time};
use super::pin::authorised;
use super::pin::error::PinError;
use super::pin::query_params;
use super::respond;

/// At most ten years per call, so the clock offset can never overflow.
const MAX_ADVANCE_S: i64 = 10 * 366 * 86_400;

#[derive(Debug)]
pub(crate) struct Admin {
    pub pin: Arc<Mutex<Ledger>>,
    pub stripe: Arc<Mutex<Ledger>>,
    pub openpay: Arc<Mutex<Ledger>>,
    pub trx: Arc<Mutex<Ledger>>,
    /// Any of these keys may use the admin routes.
    pub keys: Vec<String>,
    pub faults: Arc<Faults>,
}

impl Admin {
    /// The ledger named by `?dialect=` (default `pin`) and its name.
    fn chosen(&self, p: &Params) -> Result<(&'static str, &Arc<Mutex<Ledger>>), PinError> {
        match p.text("dialect").map(|d| d.to_ascii_lowercase()).as_deref() {
            None | Some("pin") => Ok(("pin", &self.pin)),
            Some("stripe") => Ok(("stripe", &self.stripe)),
            Some("openpay") => Ok(("openpay", &self.openpay)),
            Some("trx") => Ok(("trx", &self.trx)),
            Some(_) => Err(PinError::invalid(
                "dialect",
                "Dialect must be pin, stripe, openpay or trx",
            )),
        }
    }
}

async fn auth(State(s): State<Arc<Admin>>, req: Request, next: Next) -> Response {
    if s.keys.iter().any(|k| authorised(req.headers(), k, true)) {
        next.run(req).await
    } else {
        PinError::Unauthenticated.into_response()
    }
}

async fn operations(
    State(s): State<Arc<Admin>>,
    RawQuery(q): RawQuery,
) -> Result<Response, PinError> {
    let p = query_params(q.as_deref())?;
    let since = match p.int("since") {
        Ok(v) => v.unwrap_or(0).max(0).unsigned_abs(),
        Err(_) => {
            return Err(PinError::invalid(
                "since",
                "Since must be a sequence number",
            ));
        }
    };
    let (name, ledger) = s.chosen(&p)?;
    let mut l = ledger.lock().unwrap_or_else(|e| e.into_inner());
    l.tick();
    let ops = l.operations_since(since);
    Ok(respond::json(
        StatusCode::OK,
        &json!({ "dialect": name, "operations": ops }),
    ))
}

async fn advance(State(s): State<Arc<Admin>>, RawQuery(q): RawQuery) -> Result<Response, PinError> {
    let p = query_params(q.as_deref())?;
    let seconds = match p.int("seconds") {
        Ok(Some(n)) if (0..=MAX_ADVANCE_S).contains(&n) => n,
        _ => {
            return Err(PinError::invalid(
                "seconds",
                format!("Seconds must be a whole number from 0 to {MAX_ADVANCE_S}"),
            ));
        }
    };
    let (name, _) = s.chosen(&p)?;
    let mut now = None;
    for (ledger_name, ledger) in [
        ("pin", &s.pin),
        ("stripe", &s.stripe),
        ("openpay", &s.openpay),
        ("trx", &s.trx),
    ] {
        let mut l = ledger.lock().unwrap_or_else(|e| e.into_inner());
        let t = l.advance(TimeDelta::seconds(seconds));
        if ledger_name == name {
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

async fn not_found() -> PinError {
    PinError::NotFound
}

pub(crate) fn router(state: Arc<Admin>) -> Router {
    Router::new()
        .route("/operations", get(operations))
        .route("/clock/advance", post(advance))
        .route("/faults", get(faults))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth))
        .with_state(state)
}
