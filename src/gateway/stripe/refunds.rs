//! Stripe refunds. A refund that released an uncaptured charge is how Stripe voids,
//! so it is left out of the lists: it moved no money.

use async_trait::async_trait;

use super::request::{Form, METADATA_VALUE_MAX, minor, stripe_reason, truncated};
use super::{StripeGateway, request, wire};
use crate::domain::{NewRefund, Page, PageRequest, Refund};
use crate::gateway::paths;
use crate::gateway::transport::Transport;
use crate::gateway::{OperationKey, Refunds, Result};

#[async_trait]
impl Refunds for StripeGateway {
    async fn create_refund(&self, refund: &NewRefund<'_>, key: &OperationKey) -> Result<Refund> {
        let mut form = Form::default();
        form.put("charge", refund.charge_id)
            .put("amount", minor(refund.amount)?);
        if let Some(text) = refund.reason.map(str::trim).filter(|t| !t.is_empty()) {
            if let Some(code) = stripe_reason(text) {
                form.put("reason", code);
            }
            form.put(
                format!("metadata[{}]", wire::REASON_METADATA),
                truncated(text, METADATA_VALUE_MAX),
            );
        }
        self.post("refund", "refunds", form, key, wire::refund)
            .await
    }

    async fn charge_refunds(&self, charge_id: &str) -> Result<Vec<Refund>> {
        let found = self
            .all(
                request::get("refunds").query("charge", charge_id),
                wire::refund_unless_release,
            )
            .await?;
        Ok(found.into_iter().flatten().collect())
    }

    async fn list_refunds(&self, page: &PageRequest) -> Result<Page<Refund>> {
        let found = self
            .page(request::get("refunds"), page, wire::refund_unless_release)
            .await?;
        Ok(Page {
            items: found.items.into_iter().flatten().collect(),
            next: found.next,
            total: found.total,
            skipped: found.skipped,
        })
    }

    async fn get_refund(&self, id: &str) -> Result<Refund> {
        self.one(request::get(paths::record("refunds", id)?), wire::refund)
            .await
    }
}
