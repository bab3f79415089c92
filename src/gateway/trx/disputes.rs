//! `CHARGEBACK` transactions as disputes of their payment (`parent_id`): read only;
//! there is no evidence to submit and nothing to accept.

use async_trait::async_trait;

use super::request::newest;
use super::wire::Kind;
use super::{TrxGateway, wire};
use crate::domain::{Dispute, Page, PageRequest};
use crate::gateway::transport::Transport;
use crate::gateway::{Charges, Disputes, Result};

#[async_trait]
impl Disputes for TrxGateway {
    async fn list_disputes(&self, page: &PageRequest) -> Result<Page<Dispute>> {
        self.page(newest(Kind::Chargeback), page, wire::dispute)
            .await
    }

    async fn get_dispute(&self, id: &str) -> Result<Dispute> {
        wire::dispute(&self.transaction_raw(id).await?)
    }

    /// The newest `CHARGEBACK` whose `parent_id` is the charge.
    async fn charge_dispute(&self, charge_id: &str) -> Result<Option<Dispute>> {
        let payment = self.get_charge(charge_id).await?;
        if !payment.captured.is_positive() {
            return Ok(None);
        }
        let mut found = None;
        self.walk(
            TrxGateway::related(Kind::Chargeback, &payment, "DESC"),
            |raw| {
                let dispute = wire::dispute(raw)?;
                let ours = dispute.charge_id == payment.id;
                if ours {
                    found = Some(dispute);
                }
                Ok(ours)
            },
        )
        .await?;
        Ok(found)
    }
}
