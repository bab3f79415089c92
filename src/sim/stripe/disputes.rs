//! Disputes: `/v1/disputes[/{id}[/close]]` and the legacy charge-scoped routes
//! `/v1/charges/{ch}/dispute[/close]`.
//!
//! Update: `evidence[<field>]` (an empty value removes a field), `metadata`,
//! `submit` (default true when evidence is sent; a metadata-only update never
//! submits). Submitted text containing `winning_evidence` / `losing_evidence`
//! decides the dispute at once (`won` / `lost`); otherwise it goes under review.
//! Close concedes (`lost`). Only `needs_response` / `warning_needs_response`
//! disputes accept evidence or closing.

use std::sync::Arc;

use axum::extract::State;
use serde_json::Value;

use super::charges;
use super::list;
use super::render::{self, EVIDENCE_FIELDS};
use super::{
    QueryParams, StripeError, StripeResult, StripeState, allow, boolean, metadata_update, ok,
};
use crate::sim::form::Params;
use crate::sim::ledger::{Dispute, Ledger, LedgerError, Source};

/// Total evidence text Stripe accepts across fields.
const MAX_EVIDENCE_CHARS: usize = 150_000;

fn dispute_error(e: LedgerError, id: &str) -> StripeError {
    match e {
        LedgerError::NotFound { .. } => StripeError::missing("dispute", id, "dispute"),
        LedgerError::DisputeNotOpen(status) => StripeError::invalid(format!(
            "This dispute is {status} and can no longer be updated or closed."
        ))
        .stored(),
        other => StripeError::invalid(other.to_string()).stored(),
    }
}

fn dispute_json(l: &Ledger, id: &str) -> StripeResult {
    let d = l
        .dispute(id)
        .map_err(|_| StripeError::missing("dispute", id, "dispute"))?;
    ok(render::dispute(l, d))
}

/// The dispute id behind a charge (legacy routes).
fn of_charge(l: &Ledger, ch: &str) -> Result<String, StripeError> {
    charges::find(l, ch)?;
    l.dispute_for_charge(ch)
        .map(|d| d.token.clone())
        .ok_or_else(|| {
            StripeError::invalid(format!("No dispute exists for charge: '{ch}'"))
                .code("resource_missing")
                .param("charge")
        })
}

fn evidence(p: &Params) -> Result<Vec<(String, String)>, StripeError> {
    let mut out = Vec::new();
    match p.get("evidence") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (k, v) in m {
                if !EVIDENCE_FIELDS.contains(&k.as_str()) {
                    return Err(StripeError::invalid(format!(
                        "Received unknown parameter: evidence[{k}]"
                    ))
                    .code("parameter_unknown")
                    .param(&format!("evidence[{k}]")));
                }
                let Some(text) = v.as_str() else {
                    return Err(StripeError::invalid(format!(
                        "Invalid string: evidence[{k}] must be a string"
                    ))
                    .param(&format!("evidence[{k}]")));
                };
                out.push((k.clone(), text.to_string()));
            }
        }
        Some(_) => return Err(StripeError::invalid("Invalid hash").param("evidence")),
    }
    let total: usize = out.iter().map(|(_, v)| v.chars().count()).sum();
    if total > MAX_EVIDENCE_CHARS {
        return Err(StripeError::invalid(format!(
            "The total text in evidence fields may be at most {MAX_EVIDENCE_CHARS} characters."
        ))
        .param("evidence"));
    }
    Ok(out)
}

/// `POST /v1/disputes/{dp}`.
pub(super) fn update(l: &mut Ledger, id: &str, p: &Params) -> StripeResult {
    allow(p, &["evidence", "metadata", "submit"])?;
    let ev = evidence(p)?;
    let submit = boolean(p, "submit")?.unwrap_or(!ev.is_empty());
    let current = l
        .dispute(id)
        .map_err(|_| StripeError::missing("dispute", id, "dispute"))?
        .metadata
        .clone();
    let metadata = metadata_update(p, &current)?;
    l.update_dispute(id, ev, metadata, submit, Source::Api)
        .map_err(|e| dispute_error(e, id))?;
    dispute_json(l, id)
}

/// `GET /v1/disputes`: `charge`, `created`, cursors.
pub(super) async fn list(
    State(s): State<Arc<StripeState>>,
    QueryParams(p): QueryParams,
) -> StripeResult {
    let l = s.ledger();
    let render = |d: &Dispute| render::dispute(&l, d);
    list::by_charge(l.disputes(), |d| &d.charge, &p, "/v1/disputes", render)
}

/// `GET /v1/disputes/{dp}`.
pub(super) fn retrieve(l: &Ledger, dp: &str, _: &Params) -> StripeResult {
    dispute_json(l, dp)
}

/// `POST /v1/disputes/{dp}/close`.
pub(super) fn close(l: &mut Ledger, dp: &str, p: &Params) -> StripeResult {
    allow(p, &[])?;
    l.close_dispute(dp, Source::Api)
        .map_err(|e| dispute_error(e, dp))?;
    dispute_json(l, dp)
}

/// Legacy `GET /v1/charges/{ch}/dispute`.
pub(super) fn for_charge(l: &Ledger, ch: &str, _: &Params) -> StripeResult {
    dispute_json(l, &of_charge(l, ch)?)
}

/// Legacy `POST /v1/charges/{ch}/dispute`.
pub(super) fn update_for_charge(l: &mut Ledger, ch: &str, p: &Params) -> StripeResult {
    let dp = of_charge(l, ch)?;
    update(l, &dp, p)
}

/// Legacy `POST /v1/charges/{ch}/dispute/close`.
pub(super) fn close_for_charge(l: &mut Ledger, ch: &str, p: &Params) -> StripeResult {
    allow(p, &[])?;
    let dp = of_charge(l, ch)?;
    close(l, &dp, p)
}
