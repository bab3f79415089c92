//! What tests do to a ledger's change feed from outside the gateway's API:
//! `POST /_sim/events/prune?before=T[&dialect=NAME]` drops every change
//! before `T` (Unix seconds or `2026-01-31T00:00:00Z`) from every served
//! ledger, or from the one named, so a client's "gap longer than the feed
//! keeps" can be tested without moving the clock; and
//! `POST /_sim/disputes?charge=ID[&reason=R][&dialect=NAME]`, the card
//! network opening a dispute on a captured charge of any age (the gateways'
//! APIs cannot).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::{Admin, AdminError};
use crate::sim::common::params::QueryParams;
use crate::sim::form::Params;
use crate::sim::ledger::{DisputeStatus, LedgerError, NewDispute, Source};
use crate::sim::respond;

/// `before` as Unix seconds or an RFC 3339 time.
fn before(p: &Params) -> Result<DateTime<Utc>, AdminError> {
    let bad = || {
        AdminError::invalid(
            "before",
            "Before must be Unix seconds or a time like 2026-01-31T00:00:00Z",
        )
    };
    let raw = p.text("before").ok_or_else(bad)?;
    if let Ok(secs) = raw.parse::<i64>() {
        return DateTime::from_timestamp(secs, 0).ok_or_else(bad);
    }
    DateTime::parse_from_rfc3339(&raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| bad())
}

pub(super) async fn prune(
    State(s): State<Arc<Admin>>,
    QueryParams(p, _): QueryParams<AdminError>,
) -> Result<Response, AdminError> {
    let before = before(&p)?;
    let only = if p.has("dialect") {
        Some(s.chosen(&p)?.0.to_string())
    } else {
        None
    };
    let mut pruned = Map::new();
    for books in &s.ledgers {
        if only.as_ref().is_some_and(|o| *o != books.name) {
            continue;
        }
        let n = books.ledger.lock().prune_changes(before);
        pruned.insert(books.name.clone(), json!(n));
    }
    Ok(respond::json(StatusCode::OK, &json!({ "pruned": pruned })))
}

pub(super) async fn open_dispute(
    State(s): State<Arc<Admin>>,
    QueryParams(p, _): QueryParams<AdminError>,
) -> Result<Response, AdminError> {
    let charge = p
        .text("charge")
        .ok_or_else(|| AdminError::invalid("charge", "Charge must name a captured charge"))?;
    let reason = p.text("reason").unwrap_or_else(|| "fraudulent".to_string());
    let (name, books) = s.chosen(&p)?;
    let mut l = books.ledger.lock();
    let new = NewDispute {
        charge: charge.clone(),
        reason,
        status: DisputeStatus::NeedsResponse,
        evidence: Vec::new(),
        submission_count: 0,
    };
    let token = l.open_dispute(new, Source::Api).map_err(|e| match e {
        LedgerError::NotFound { .. } => AdminError::invalid("charge", "No such charge"),
        other => AdminError::invalid("charge", other.to_string()),
    })?;
    let body: Value = json!({ "dialect": name, "dispute": token, "charge": charge });
    Ok(respond::json(StatusCode::CREATED, &body))
}
