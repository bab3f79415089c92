//! Changed charges from Pin's events (`GET /events`, newest first, kept 30 days): a
//! charge's events carry the charge; a refund's or a dispute's name it in `charge`,
//! and the sync reads it. Pin has no event for an authorisation expiring, so the sync
//! also reads the authorisation window again (`expiry_days` of `ChangeFeed::Events`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{PinGateway, wire};
use crate::domain::{Page, PageRequest};
use crate::gateway::http::Request;
use crate::gateway::record::malformed;
use crate::gateway::transport::Transport;
use crate::gateway::{Changed, Changes, ChargeChange, GatewayError, Result, ending_at};

#[derive(Deserialize)]
struct Event {
    #[serde(rename = "type")]
    kind: String,
    created_at: DateTime<Utc>,
    data: Box<RawValue>,
}

#[derive(Deserialize)]
struct Named {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    charge: Option<String>,
}

fn change(raw: &RawValue) -> std::result::Result<ChargeChange, GatewayError> {
    let event: Event =
        serde_json::from_str(raw.get()).map_err(|e| malformed("an event", e, raw))?;
    let named: Named =
        serde_json::from_str(event.data.get()).map_err(|e| malformed("an event's data", e, raw))?;
    let charge = if event.kind.starts_with("charge.") {
        match wire::charge(&event.data) {
            Ok(charge) => Changed::Charge(Box::new(charge)),
            Err(_) => Changed::Id(named.token.unwrap_or_default()),
        }
    } else {
        Changed::Id(named.charge.unwrap_or_default())
    };
    if matches!(&charge, Changed::Id(id) if id.is_empty()) {
        return Err(malformed("an event", "it names no charge", raw));
    }
    Ok(ChargeChange {
        at: event.created_at,
        charge,
    })
}

#[async_trait]
impl Changes for PinGateway {
    async fn charge_changes(
        &self,
        since: DateTime<Utc>,
        page: &PageRequest,
    ) -> Result<Page<ChargeChange>> {
        let page = self.page(Request::get("events"), page, change).await?;
        // Newest first: the feed ends at the first event before `since`.
        Ok(ending_at(page, since))
    }
}
