//! Events: `GET /events` and `GET /events/{token}` (reference §10), from the
//! ledger's change log: `{token, type, data, created_at}`, newest first,
//! paged like Pin's other lists (`page`, `per_page`), the last 30 days of
//! ledger time.
//!
//! * `data` is the object as it is NOW (the ledger keeps no history of its
//!   objects), as on the Stripe dialect.
//! * Types, from Pin's list: a charge approved at creation or after 3-D
//!   Secure → `charge.captured` or `charge.authorised` (as it asked),
//!   declined → `charge.failed`, captured → `charge.captured`, voided →
//!   `charge.voided`; refunds → `refund.created`, `refund.succeeded`;
//!   disputes → `dispute.evidence_required` (opened),
//!   `dispute.evidence_under_review`, `dispute.won` / `dispute.lost`.
//! * Pin's list has no type for an authorisation expiring, a charge edited or
//!   a charge waiting for 3-D Secure, so those changes have no Pin event: a
//!   client learns of an expiry by reading authorisations older than the
//!   7-day lifetime again.
//! * The reference gives no dispute object; `data` of a dispute event is
//!   `{token, category, status, amount, currency, charge, received_at,
//!   evidence_required_by}`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::error::PinError;
use super::render;
use super::{PinResult, PinState, reply};
use crate::sim::common::event_ids::{event_id, event_seq};
use crate::sim::common::params::QueryParams;
use crate::sim::ledger::{Change, ChangeKind, Dispute, DisputeStatus, Ledger, fmt_time};

/// Characters after `evt_` in a Pin event token.
const ID_LEN: usize = 22;

/// Pin's dispute statuses.
fn dispute_status(s: DisputeStatus) -> &'static str {
    match s {
        DisputeStatus::WarningNeedsResponse | DisputeStatus::NeedsResponse => "evidence_required",
        DisputeStatus::WarningUnderReview | DisputeStatus::UnderReview => "evidence_under_review",
        DisputeStatus::Won => "won",
        DisputeStatus::Lost => "lost",
    }
}

fn dispute(d: &Dispute) -> Value {
    json!({
        "token": d.token,
        "category": d.reason,
        "status": dispute_status(d.status),
        "amount": d.amount,
        "currency": d.currency,
        "charge": d.charge,
        "received_at": fmt_time(d.created_at),
        "evidence_required_by": fmt_time(d.evidence_due_by),
    })
}

/// The Pin type of change `c`; `None` for a change Pin has no type for, or
/// whose object is gone (the ledger never removes one).
fn type_of(l: &Ledger, c: &Change) -> Option<&'static str> {
    let as_asked = || match l.charge(&c.object).ok()?.capture_requested {
        true => Some("charge.captured"),
        false => Some("charge.authorised"),
    };
    let closed = || match l.dispute(&c.object).ok()?.status {
        DisputeStatus::Won => Some("dispute.won"),
        _ => Some("dispute.lost"),
    };
    match c.kind {
        ChangeKind::ChargeCreated | ChangeKind::ChargeAuthenticated => as_asked(),
        ChangeKind::ChargeFailed => Some("charge.failed"),
        ChangeKind::ChargeCaptured => Some("charge.captured"),
        ChangeKind::ChargeVoided => Some("charge.voided"),
        ChangeKind::ChargePending | ChangeKind::ChargeExpired | ChangeKind::ChargeUpdated => None,
        ChangeKind::RefundCreated => Some("refund.created"),
        ChangeKind::RefundSucceeded => Some("refund.succeeded"),
        ChangeKind::DisputeCreated => Some("dispute.evidence_required"),
        ChangeKind::DisputeUpdated => Some("dispute.evidence_under_review"),
        ChangeKind::DisputeClosed => closed(),
    }
}

/// The event of change `c`, if Pin has a type for it.
fn event_of(s: &PinState, l: &Ledger, c: &Change) -> Option<Value> {
    let ty = type_of(l, c)?;
    let data = match c.kind {
        ChangeKind::RefundCreated | ChangeKind::RefundSucceeded => {
            render::refund(l.refund_by_token(&c.object).ok()?)
        }
        ChangeKind::DisputeCreated | ChangeKind::DisputeUpdated | ChangeKind::DisputeClosed => {
            dispute(l.dispute(&c.object).ok()?)
        }
        _ => render::charge(s, l, l.charge(&c.object).ok()?),
    };
    Some(event(c, ty, data))
}

fn event(c: &Change, ty: &str, data: Value) -> Value {
    json!({
        "token": event_id(c.seq, ID_LEN),
        "type": ty,
        "data": data,
        "created_at": fmt_time(c.at),
    })
}

/// `GET /events`.
pub(super) async fn list(
    State(s): State<Arc<PinState>>,
    QueryParams(p, _): QueryParams<PinError>,
) -> PinResult {
    let l = s.ledger();
    let kept: Vec<&Change> = l.feed().filter(|c| type_of(&l, c).is_some()).collect();
    reply::page(&kept, &p, |c| event_of(&s, &l, c).unwrap_or(Value::Null))
}

/// `GET /events/{token}`.
pub(super) async fn show(State(s): State<Arc<PinState>>, Path(token): Path<String>) -> PinResult {
    let l = s.ledger();
    let event = event_seq(&token, ID_LEN)
        .and_then(|seq| l.in_feed(seq))
        .and_then(|c| event_of(&s, &l, c))
        .ok_or(PinError::NotFound)?;
    reply::one(StatusCode::OK, event)
}
