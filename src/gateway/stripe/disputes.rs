//! Stripe disputes: listing and reading them, the one of a charge, and the keyed
//! writes of evidence and closing.

use async_trait::async_trait;

use super::request::Form;
use super::{StripeGateway, request, wire};
use crate::domain::{Dispute, Page, PageRequest};
use crate::gateway::list_records::whole;
use crate::gateway::paths;
use crate::gateway::transport::Transport;
use crate::gateway::{Disputes, OperationKey, Result};

#[async_trait]
impl Disputes for StripeGateway {
    async fn list_disputes(&self, page: &PageRequest) -> Result<Page<Dispute>> {
        self.page(request::get("disputes"), page, wire::dispute)
            .await
    }

    async fn get_dispute(&self, id: &str) -> Result<Dispute> {
        self.one(request::get(paths::record("disputes", id)?), wire::dispute)
            .await
    }

    async fn charge_dispute(&self, charge_id: &str) -> Result<Option<Dispute>> {
        let request = request::get("disputes").query("charge", charge_id);
        // A dispute left out could be the one that stands.
        let page = whole(
            self.page(request, &PageRequest::first(10), wire::dispute)
                .await?,
        )?;
        // Newest first: the one that stands.
        Ok(page.items.into_iter().next())
    }

    async fn submit_dispute_evidence(
        &self,
        id: &str,
        text: &str,
        key: &OperationKey,
    ) -> Result<Dispute> {
        let mut form = Form::default();
        form.put("evidence[uncategorized_text]", text)
            .put("submit", "true");
        self.post(
            "evidence submission",
            paths::record("disputes", id)?,
            form,
            key,
            wire::dispute,
        )
        .await
    }

    async fn close_dispute(&self, id: &str, key: &OperationKey) -> Result<Dispute> {
        self.post(
            "dispute closure",
            paths::below("disputes", id, "close")?,
            Form::default(),
            key,
            wire::dispute,
        )
        .await
    }
}
