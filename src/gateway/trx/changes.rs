//! Changed payments: the list sorted by `updated_at`, newest first, read down to the
//! time asked for. The gateway moves `updated_at` for every change, including those
//! time makes (expiry, settlement) and a refund or chargeback of the payment.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::wire::Kind;
use super::{TrxGateway, wire};
use crate::domain::{Page, PageRequest};
use crate::gateway::http::Request;
use crate::gateway::record::malformed;
use crate::gateway::transport::Transport;
use crate::gateway::{Changed, Changes, ChargeChange, GatewayError, Result, ending_at};

#[derive(Deserialize)]
struct Updated {
    updated_at: DateTime<Utc>,
}

fn change(raw: &RawValue) -> std::result::Result<ChargeChange, GatewayError> {
    let updated: Updated =
        serde_json::from_str(raw.get()).map_err(|e| malformed("a payment's updated_at", e, raw))?;
    Ok(ChargeChange {
        at: updated.updated_at,
        charge: Changed::Charge(Box::new(wire::charge(raw)?)),
    })
}

#[async_trait]
impl Changes for TrxGateway {
    async fn charge_changes(
        &self,
        since: DateTime<Utc>,
        page: &PageRequest,
    ) -> Result<Page<ChargeChange>> {
        let request = Request::get("transactions")
            .query("type", Kind::Payment.wire())
            .query("sort", "updated_at")
            .query("direction", "DESC");
        let page = self.page(request, page, change).await?;
        // Offset paging while payments change can only show one again, never skip one.
        Ok(ending_at(page, since))
    }
}
