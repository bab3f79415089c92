//! Pin refunds: a charge's, every refund, one refund, and refunding a charge, checked
//! before a retry by looking for a new refund of the amount.

use std::collections::HashSet;

use async_trait::async_trait;

use super::form::minor;
use super::{PinGateway, wire};
use crate::domain::{NewRefund, Page, PageRequest, Refund};
use crate::gateway::http::Request;
use crate::gateway::paths;
use crate::gateway::transport::Transport;
use crate::gateway::{OperationKey, Refunds, Result};

#[async_trait]
impl Refunds for PinGateway {
    async fn create_refund(&self, refund: &NewRefund<'_>, _key: &OperationKey) -> Result<Refund> {
        // Several partial refunds of one charge are allowed, so "did it happen" means
        // "is there a refund of this amount that was not there before we asked".
        let before: HashSet<String> = self
            .charge_refunds(refund.charge_id)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let request = Request::post(paths::below("charges", refund.charge_id, "refunds")?)
            .form(vec![("amount".into(), minor(refund.amount)?)]);
        self.write_checked("refund", &request, wire::refund, || async {
            let now = self.charge_refunds(refund.charge_id).await?;
            Ok(now
                .into_iter()
                .find(|r| !before.contains(&r.id) && r.amount == refund.amount)
                .into())
        })
        .await
    }

    async fn charge_refunds(&self, charge_id: &str) -> Result<Vec<Refund>> {
        self.all(
            Request::get(paths::below("charges", charge_id, "refunds")?),
            wire::refund,
        )
        .await
    }

    async fn list_refunds(&self, page: &PageRequest) -> Result<Page<Refund>> {
        self.page(Request::get("refunds"), page, wire::refund).await
    }

    async fn get_refund(&self, id: &str) -> Result<Refund> {
        self.one(Request::get(paths::record("refunds", id)?), wire::refund)
            .await
    }
}
