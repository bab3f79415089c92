//! `CHARGEBACK` transactions as disputes of their payment (`parent_id`): read only;
//! there is no evidence to submit and nothing to accept.

use super::request::newest;
use super::wire::Kind;
use super::{TrxGateway, charges, wire};
use crate::domain::{Dispute, Page, PageRequest};
use crate::gateway::Result;

pub(super) async fn list(trx: &TrxGateway, page: &PageRequest) -> Result<Page<Dispute>> {
    trx.page(newest(Kind::Chargeback), page, wire::dispute)
        .await
}

pub(super) async fn get(trx: &TrxGateway, id: &str) -> Result<Dispute> {
    wire::dispute(&trx.transaction_raw(id).await?)
}

/// The newest `CHARGEBACK` whose `parent_id` is the charge.
pub(super) async fn of_charge(trx: &TrxGateway, charge_id: &str) -> Result<Option<Dispute>> {
    let payment = charges::get(trx, charge_id).await?;
    if !payment.captured.is_positive() {
        return Ok(None);
    }
    let mut found = None;
    trx.walk(
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
