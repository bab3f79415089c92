//! Changed charges from Stripe's events (`GET /v1/events`), newest first since a
//! time: a charge's own events carry it as it is now; a refund's or a dispute's carry
//! that object, so only the charge's id is taken and the sync reads it. Stripe keeps
//! events for 30 days (`ChangeFeed::Events`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::{StripeGateway, request, wire};
use crate::domain::{Page, PageRequest};
use crate::gateway::record::malformed;
use crate::gateway::transport::Transport;
use crate::gateway::{Changed, Changes, ChargeChange, GatewayError, Result};

/// The events that change a charge after it was created.
const TYPES: [&str; 8] = [
    "charge.captured",
    "charge.expired",
    "charge.refunded",
    "charge.updated",
    "charge.refund.updated",
    "charge.dispute.created",
    "charge.dispute.updated",
    "charge.dispute.closed",
];

#[derive(Deserialize)]
struct Event {
    created: i64,
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    object: Box<RawValue>,
}

#[derive(Deserialize)]
struct Object {
    id: String,
    object: String,
    /// A refund's or a dispute's charge: its id, or the charge expanded.
    #[serde(default)]
    charge: Value,
}

fn change(raw: &RawValue) -> std::result::Result<ChargeChange, GatewayError> {
    let event: Event =
        serde_json::from_str(raw.get()).map_err(|e| malformed("an event", e, raw))?;
    let at = DateTime::from_timestamp(event.created, 0)
        .ok_or_else(|| malformed("an event", "its time is out of range", raw))?;
    let object = &event.data.object;
    let head: Object =
        serde_json::from_str(object.get()).map_err(|e| malformed("an event's object", e, raw))?;
    let charge = if head.object == "charge" {
        match wire::charge(object) {
            Ok(charge) => Changed::Charge(Box::new(charge)),
            Err(_) => Changed::Id(head.id),
        }
    } else {
        let id = match &head.charge {
            Value::String(id) => Some(id.clone()),
            Value::Object(charge) => charge.get("id").and_then(Value::as_str).map(String::from),
            _ => None,
        };
        Changed::Id(id.ok_or_else(|| malformed("an event's object", "it names no charge", raw))?)
    };
    Ok(ChargeChange { at, charge })
}

#[async_trait]
impl Changes for StripeGateway {
    async fn charge_changes(
        &self,
        since: DateTime<Utc>,
        page: &PageRequest,
    ) -> Result<Page<ChargeChange>> {
        let mut request = request::get("events").query("created[gte]", since.timestamp());
        for ty in TYPES {
            request = request.query("types[]", ty);
        }
        self.page(request, page, change).await
    }
}
