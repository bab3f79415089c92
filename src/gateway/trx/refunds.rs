//! `REFUND` transactions as refunds of their payment (`parent_id`): a payment's refunds
//! are found by walking the list since it was made, and a refund's reason is told from
//! a copy of its payment's description.

use async_trait::async_trait;
use futures_util::StreamExt;
use serde_json::{Map, Value};

use super::request::newest;
use super::wire::Kind;
use super::{TrxGateway, wire};
use crate::domain::{Charge, NewRefund, Page, PageRequest, Refund};
use crate::gateway::charge_rules::{refundable, same_currency};
use crate::gateway::decimal_amount::to_json_string;
use crate::gateway::http::Request;
use crate::gateway::transport::Transport;
use crate::gateway::write_once::Applied;
use crate::gateway::{Charges, GatewayError, OperationKey, Refunds, Result};
use crate::money::Money;

/// Payments read at once to tell a refund's reason from its payment's description.
const PARENT_READS: usize = 8;

#[async_trait]
impl Refunds for TrxGateway {
    async fn create_refund(&self, refund: &NewRefund<'_>, _key: &OperationKey) -> Result<Refund> {
        let before = self.get_charge(refund.charge_id).await?;
        refundable(&before)?;
        same_currency(&before, refund.amount)?;
        let mut body = Map::new();
        body.insert("amount".into(), to_json_string(refund.amount)?);
        if let Some(reason) = refund.reason.map(str::trim).filter(|r| !r.is_empty()) {
            body.insert("reason".into(), reason.into());
        }
        let request =
            Request::post(format!("transactions/{}/refunds", before.id)).json(Value::Object(body));
        self.write_checked(
            "refund",
            &request,
            wire::refund, // The payment's refunded amount grows with each refund at once: if it has
            // not, nothing happened; if it has, ours is the newest refund of it.
            || async {
                let now = self.get_charge(&before.id).await?;
                if now.refunded.amount <= before.refunded.amount {
                    return Ok(Applied::No);
                }
                match newest_refund(self, &now, refund.amount).await? {
                    Some(found) => Ok(Applied::Yes(found)),
                    None => Err(GatewayError::unidentified(
                        "refund",
                        "the charge's refunded amount grew but no new refund is listed",
                    )),
                }
            },
        )
        .await
    }

    /// The refunds of a payment, oldest first: `REFUND`s since the payment was made
    /// whose `parent_id` is it, until they add up to its `refunded_amount`.
    async fn charge_refunds(&self, charge_id: &str) -> Result<Vec<Refund>> {
        let payment = self.get_charge(charge_id).await?;
        let mut refunds: Vec<Refund> = Vec::new();
        if !payment.refunded.is_positive() {
            return Ok(refunds);
        }
        let mut total = Money::zero(payment.currency());
        self.walk(TrxGateway::related(Kind::Refund, &payment, "ASC"), |raw| {
            let refund = wire::refund(raw)?;
            if refund.charge_id != payment.id || refunds.iter().any(|r| r.id == refund.id) {
                return Ok(false);
            }
            total = total.checked_add(refund.amount)?;
            refunds.push(refund);
            Ok(total.amount >= payment.refunded.amount)
        })
        .await?;
        drop_echoes(&mut refunds, &[(payment.id, payment.description)]);
        Ok(refunds)
    }

    async fn list_refunds(&self, page: &PageRequest) -> Result<Page<Refund>> {
        let mut found = self.page(newest(Kind::Refund), page, wire::refund).await?;
        reasons_only(self, &mut found.items).await?;
        Ok(found)
    }

    async fn get_refund(&self, id: &str) -> Result<Refund> {
        let mut refund = [wire::refund(&self.transaction_raw(id).await?)?];
        reasons_only(self, &mut refund).await?;
        let [refund] = refund;
        Ok(refund)
    }
}

/// A `REFUND`'s `description` is the reason given for it, or, when none was, a copy
/// of its payment's description: the product, not a reason. Such copies are dropped.
async fn reasons_only(trx: &TrxGateway, refunds: &mut [Refund]) -> Result<()> {
    let mut parents: Vec<String> = refunds
        .iter()
        .filter(|r| r.reason.is_some())
        .map(|r| r.charge_id.clone())
        .collect();
    parents.sort();
    parents.dedup();
    let described: Vec<(String, Option<String>)> =
        futures_util::stream::iter(parents.into_iter().map(|id| async move {
            let payment = trx.get_charge(&id).await?;
            Ok::<_, GatewayError>((id, payment.description))
        }))
        .buffer_unordered(PARENT_READS)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_>>()?;
    drop_echoes(refunds, &described);
    Ok(())
}

fn drop_echoes(refunds: &mut [Refund], described: &[(String, Option<String>)]) {
    for refund in refunds {
        let echoed = described
            .iter()
            .any(|(id, d)| *id == refund.charge_id && d.is_some() && *d == refund.reason);
        if echoed {
            refund.reason = None;
        }
    }
}

/// The newest refund of `payment`, preferring one of `amount`.
async fn newest_refund(
    trx: &TrxGateway,
    payment: &Charge,
    amount: Money,
) -> Result<Option<Refund>> {
    let mut found: Option<Refund> = None;
    trx.walk(TrxGateway::related(Kind::Refund, payment, "DESC"), |raw| {
        let refund = wire::refund(raw)?;
        if refund.charge_id != payment.id {
            return Ok(false);
        }
        let exact = refund.amount == amount;
        if exact || found.is_none() {
            found = Some(refund);
        }
        Ok(exact)
    })
    .await?;
    Ok(found)
}
