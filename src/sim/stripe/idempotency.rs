//! `Idempotency-Key` on POST (reference §1, checklist 3).
//!
//! * The first request with a key runs; its status and body are stored once the
//!   endpoint has run, whatever the outcome (200, 402 decline, 400 from the state
//!   machine), and replayed to later requests with the same key, method, path and
//!   parameters, with `Idempotent-Replayed: true` and `Original-Request`.
//! * Not stored (a retry runs again): rejections before the endpoint ran —
//!   validation errors and missing objects (responses marked [`NoStore`]), 401 and
//!   injected 429/5xx (those layers sit outside this one).
//! * Same key, other parameters or another path → 400 `idempotency_error`.
//! * Same key while the first request is still running → 409 `idempotency_key_in_use`.
//! * Keys are kept for 24 hours of ledger time (`/_sim/clock/advance` ages them).
//! * Test hook: a `Paydeck-Sim-Delay-Ms: N` request header (≤ 10000) holds a keyed
//!   request for N ms after its key is taken, so a test can provoke the 409.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use super::error::NoStore;
use super::{RequestId, StripeError, StripeState};
use crate::sim::form::Params;

const RETENTION: TimeDelta = TimeDelta::hours(24);
const MAX_BODY: usize = 16 * 1024 * 1024;
const MAX_DELAY_MS: u64 = 10_000;

#[derive(Debug, Clone)]
enum Entry {
    InFlight,
    Done {
        path: String,
        params: Value,
        status: StatusCode,
        body: Bytes,
        original_request: String,
        at: DateTime<Utc>,
    },
}

/// Keys seen by one dialect.
#[derive(Debug, Default)]
pub(crate) struct Store {
    entries: Arc<Mutex<HashMap<String, Entry>>>,
}

/// Releases a key whose request never finished (client gone, panic).
struct Guard {
    entries: Arc<Mutex<HashMap<String, Entry>>>,
    key: String,
    armed: bool,
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.armed {
            let mut m = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            if matches!(m.get(&self.key), Some(Entry::InFlight)) {
                m.remove(&self.key);
            }
        }
    }
}

/// What the request is, for comparing with the first use of its key.
fn fingerprint(query: Option<&str>, content_type: Option<&str>, body: &[u8]) -> Value {
    let q = Params::from_urlencoded(query.unwrap_or("").as_bytes())
        .map_or_else(|_| json!(query), |p| p.0);
    let b = Params::from_body(content_type, body)
        .map_or_else(|_| json!(String::from_utf8_lossy(body)), |p| p.0);
    json!({"query": q, "body": b})
}

pub(crate) async fn layer(State(s): State<Arc<StripeState>>, req: Request, next: Next) -> Response {
    let key = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (Some(key), true) = (key, req.method() == Method::POST) else {
        return next.run(req).await;
    };
    if key.len() > 255 {
        return StripeError::invalid("Idempotency-Key must be at most 255 characters long.")
            .into_response();
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return StripeError::invalid("The request body could not be read.").into_response();
    };
    let ct = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let params = fingerprint(parts.uri.query(), ct, &bytes);
    let path = parts.uri.path().to_string();
    let request_id = parts
        .extensions
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let now = s.ledger().now();
    {
        let mut m = s
            .idempotency
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(Entry::Done { at, .. }) = m.get(&key)
            && now - *at >= RETENTION
        {
            m.remove(&key);
        }
        match m.get(&key) {
            Some(Entry::InFlight) => {
                return StripeError::in_flight(&key).into_response();
            }
            Some(Entry::Done {
                path: first_path,
                params: first_params,
                status,
                body,
                original_request,
                ..
            }) => {
                if *first_path != path {
                    return StripeError::idempotency(format!(
                        "Keys for idempotent requests can only be used for the same endpoint they were first used for ('{first_path}' vs '{path}'). Try using a key other than '{key}' if you meant to execute a different request."
                    ))
                    .into_response();
                }
                if *first_params != params {
                    return StripeError::idempotency(format!(
                        "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."
                    ))
                    .into_response();
                }
                let mut r = super::respond_json(StatusCode::OK, &Value::Null);
                *r.status_mut() = *status;
                *r.body_mut() = Body::from(body.clone());
                let h = r.headers_mut();
                h.insert("idempotent-replayed", HeaderValue::from_static("true"));
                if let Ok(v) = HeaderValue::from_str(original_request) {
                    h.insert("original-request", v);
                }
                return r;
            }
            None => {
                m.insert(key.clone(), Entry::InFlight);
            }
        }
    }
    let mut guard = Guard {
        entries: s.idempotency.entries.clone(),
        key: key.clone(),
        armed: true,
    };
    let delay = parts
        .headers
        .get("paydeck-sim-delay-ms")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|ms| ms.min(MAX_DELAY_MS));
    if let Some(ms) = delay {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let resp = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (mut rparts, rbody) = resp.into_parts();
    let body = to_bytes(rbody, MAX_BODY).await.unwrap_or_default();
    if rparts.extensions.get::<NoStore>().is_none() {
        let mut m = s
            .idempotency
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        m.insert(
            key,
            Entry::Done {
                path,
                params,
                status: rparts.status,
                body: body.clone(),
                original_request: request_id.clone(),
                at: now,
            },
        );
        guard.armed = false;
    }
    drop(guard);
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        rparts.headers.insert("original-request", v);
    }
    Response::from_parts(rparts, Body::from(body))
}
