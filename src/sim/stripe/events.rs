//! Events: `GET /v1/events` and `GET /v1/events/{id}`, from the ledger's
//! change log (reference §2 lists; Stripe's "List all events").
//!
//! * Newest first; `limit` 1..=100; `starting_after` / `ending_before` take
//!   any event id still listed (one pruned or past the 30 days is a 404
//!   `resource_missing` naming the cursor, which tells a client its gap is
//!   longer than the feed keeps); `created[gt|gte|lt|lte]`; `type` (with `*`
//!   as a wildcard, `charge.dispute.*`) or `types[]` (up to 20), not both;
//!   `delivery_success` (the simulator delivers no webhooks, so every event
//!   counts as delivered).
//! * Only the last 30 days of ledger time are listed or retrievable.
//! * `data.object` is the object as it is NOW, not a snapshot at the event's
//!   time as Stripe keeps: the ledger stores no history of its objects. A
//!   client syncing from the feed gets the current state either way.
//! * `request` is `{id: null, idempotency_key: null}`: the ledger does not
//!   keep which request made a change.
//! * Types: charge created → `charge.succeeded` (`charge.failed` if declined,
//!   `charge.pending` while awaiting 3-D Secure, `charge.succeeded` once it
//!   completes), captured → `charge.captured`, an authorisation refunded
//!   (released) → `charge.refunded`, expired → `charge.expired`, edited →
//!   `charge.updated`, refund created → `charge.refunded` (the charge),
//!   refund succeeded → `charge.refund.updated` (the refund), dispute
//!   created/updated/closed → `charge.dispute.created/updated/closed` (the
//!   dispute).

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::list::{Cursor, ListQuery, allow_list, envelope};
use super::params::strings;
use super::render::{self, ChargeExpand};
use super::{
    DEFAULT_VERSION, QueryParams, StripeError, StripeResult, StripeState, allow, boolean, ok,
};
use crate::sim::common::event_ids::{event_id, event_seq};
use crate::sim::form::Params;
use crate::sim::ledger::{Change, ChangeKind, Ledger};

/// Characters after `evt_` in a Stripe event id.
const ID_LEN: usize = 24;
/// Stripe takes at most this many `types[]`.
const MAX_TYPES: usize = 20;

/// The Stripe type of a change.
fn type_of(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::ChargeCreated | ChangeKind::ChargeAuthenticated => "charge.succeeded",
        ChangeKind::ChargeFailed => "charge.failed",
        ChangeKind::ChargePending => "charge.pending",
        ChangeKind::ChargeCaptured => "charge.captured",
        ChangeKind::ChargeVoided | ChangeKind::RefundCreated => "charge.refunded",
        ChangeKind::ChargeExpired => "charge.expired",
        ChangeKind::ChargeUpdated => "charge.updated",
        ChangeKind::RefundSucceeded => "charge.refund.updated",
        ChangeKind::DisputeCreated => "charge.dispute.created",
        ChangeKind::DisputeUpdated => "charge.dispute.updated",
        ChangeKind::DisputeClosed => "charge.dispute.closed",
    }
}

/// The object a change's event carries (a refund's creation carries its
/// charge); `None` for one the ledger no longer has (it never removes one).
fn object_of(l: &Ledger, c: &Change) -> Option<Value> {
    let charge = |token: &str| {
        l.charge(token)
            .ok()
            .map(|ch| render::charge(l, ch, ChargeExpand::default()))
    };
    match c.kind {
        ChangeKind::RefundCreated => l
            .refund_by_token(&c.object)
            .ok()
            .and_then(|r| charge(&r.charge)),
        ChangeKind::RefundSucceeded => l.refund_by_token(&c.object).ok().map(render::refund),
        ChangeKind::DisputeCreated | ChangeKind::DisputeUpdated | ChangeKind::DisputeClosed => {
            l.dispute(&c.object).ok().map(|d| render::dispute(l, d))
        }
        _ => charge(&c.object),
    }
}

/// The event of change `c`, if its object is still there.
fn event_of(l: &Ledger, c: &Change) -> Option<Value> {
    object_of(l, c).map(|object| event(c, type_of(c.kind), object))
}

/// The event object for change `c`, of type `ty` carrying `object`.
fn event(c: &Change, ty: &str, object: Value) -> Value {
    json!({
        "id": event_id(c.seq, ID_LEN),
        "object": "event",
        "api_version": DEFAULT_VERSION,
        "created": c.at.timestamp(),
        "data": {"object": object},
        "livemode": false,
        "pending_webhooks": 0,
        "request": {"id": null, "idempotency_key": null},
        "type": ty,
    })
}

/// Which types a list keeps: `type` (a `*` matches any run of characters)
/// or any of `types[]`.
enum Types {
    All,
    Pattern(String),
    AnyOf(Vec<String>),
}

impl Types {
    fn parse(p: &Params) -> Result<Types, StripeError> {
        let one = p.text("type");
        let many = strings(p, "types");
        match (one, many) {
            (Some(_), Some(_)) => Err(StripeError::invalid(
                "You may pass either `type` or `types`, but not both.",
            )
            .param("types")),
            (Some(t), None) => Ok(Types::Pattern(t)),
            (None, Some(ts)) if ts.len() > MAX_TYPES => Err(StripeError::invalid(format!(
                "You may pass at most {MAX_TYPES} `types` (you passed {}).",
                ts.len()
            ))
            .param("types")),
            (None, Some(ts)) => Ok(Types::AnyOf(ts)),
            (None, None) => Ok(Types::All),
        }
    }

    fn keeps(&self, ty: &str) -> bool {
        match self {
            Types::All => true,
            Types::Pattern(p) => wildcard(p, ty),
            Types::AnyOf(ts) => ts.iter().any(|t| t == ty),
        }
    }
}

/// `pattern` with `*` matching any run of characters, against all of `text`.
fn wildcard(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// The `seq` of a cursor id still in the feed, or a 404 naming `param`.
fn cursor_seq(l: &Ledger, id: &str, param: &str) -> Result<u64, StripeError> {
    event_seq(id, ID_LEN)
        .filter(|&s| l.in_feed(s).is_some())
        .ok_or_else(|| StripeError::missing("event", id, param))
}

/// `GET /v1/events`.
pub(crate) async fn list(
    State(s): State<Arc<StripeState>>,
    QueryParams(p): QueryParams,
) -> StripeResult {
    allow_list(&p, &["created", "type", "types", "delivery_success"])?;
    let q = ListQuery::parse(&p)?;
    let types = Types::parse(&p)?;
    let delivered = boolean(&p, "delivery_success")?.unwrap_or(true);
    let l = s.ledger();
    let (newer_than, older_than) = match &q.cursor {
        Cursor::None => (None, None),
        Cursor::After(id) => (None, Some(cursor_seq(&l, id, "starting_after")?)),
        Cursor::Before(id) => (Some(cursor_seq(&l, id, "ending_before")?), None),
    };
    let mut kept = l.feed().filter(|c| {
        delivered
            && older_than.is_none_or(|s| c.seq < s)
            && newer_than.is_none_or(|s| c.seq > s)
            && q.created.contains(c.at.timestamp())
            && types.keeps(type_of(c.kind))
    });
    let (page, more): (Vec<&Change>, bool) = if newer_than.is_some() {
        // The page next to the cursor: the oldest of the newer ones.
        let newer: Vec<&Change> = kept.collect();
        let more = newer.len() > q.limit;
        let skip = newer.len().saturating_sub(q.limit);
        (newer.into_iter().skip(skip).collect(), more)
    } else {
        let page: Vec<&Change> = kept.by_ref().take(q.limit).collect();
        (page, kept.next().is_some())
    };
    let data = page.into_iter().filter_map(|c| event_of(&l, c)).collect();
    ok(envelope("/v1/events", data, more))
}

/// `GET /v1/events/{id}`.
pub(crate) async fn retrieve(
    State(s): State<Arc<StripeState>>,
    Path(id): Path<String>,
    QueryParams(p): QueryParams,
) -> StripeResult {
    allow(&p, &[])?;
    let l = s.ledger();
    let missing = || StripeError::missing("event", &id, "id");
    let c = event_seq(&id, ID_LEN)
        .and_then(|s| l.in_feed(s))
        .ok_or_else(missing)?;
    ok(event_of(&l, c).ok_or_else(missing)?)
}

#[cfg(test)]
mod tests {
    use super::wildcard;

    #[test]
    fn a_star_matches_any_run() {
        assert!(wildcard("charge.*", "charge.dispute.created"));
        assert!(wildcard("charge.dispute.*", "charge.dispute.closed"));
        assert!(wildcard("*.created", "charge.dispute.created"));
        assert!(wildcard("charge.*.created", "charge.dispute.created"));
        assert!(wildcard("charge.captured", "charge.captured"));
        assert!(!wildcard("charge.captured", "charge.captured.x"));
        assert!(!wildcard("charge.dispute.*", "charge.refunded"));
        assert!(!wildcard("*.closed", "charge.dispute.created"));
        assert!(wildcard("*", "anything"));
    }
}
