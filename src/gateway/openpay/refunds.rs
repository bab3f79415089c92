//! Openpay refunds, which live inside their charge: Openpay has no list of them and no
//! endpoint of their own, so they are read from the charge and a new one is told from
//! those that were there before.

use std::collections::HashSet;

use async_trait::async_trait;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::{OpenpayGateway, wire};
use crate::domain::{NewRefund, Refund};
use crate::gateway::charge_rules::{refundable, same_currency};
use crate::gateway::decimal_amount::to_json_number;
use crate::gateway::http::Request;
use crate::gateway::paths;
use crate::gateway::transport::Exchange;
use crate::gateway::write_once::write_with_check;
use crate::gateway::{GatewayError, OperationKey, Refunds, Result};
use crate::money::Money;

#[async_trait]
impl Refunds for OpenpayGateway {
    async fn create_refund(&self, refund: &NewRefund<'_>, _key: &OperationKey) -> Result<Refund> {
        let raw = self.charge_raw(refund.charge_id).await?;
        let charge = wire::charge(&raw)?;
        // A refund of an authorised charge would cancel it instead.
        refundable(&charge)?;
        same_currency(&charge, refund.amount)?;
        // Several partial refunds of one charge are allowed, so "did it happen" means
        // "is there a refund that was not there before we asked".
        let before: HashSet<String> = wire::refunds(&raw)?.into_iter().map(|r| r.id).collect();
        let mut body = Map::new();
        body.insert("amount".into(), to_json_number(refund.amount)?);
        if let Some(reason) = refund.reason.map(str::trim).filter(|r| !r.is_empty()) {
            body.insert("description".into(), reason.into());
        }
        let request = Request::post(paths::below("charges", refund.charge_id, "refund")?)
            .json(Value::Object(body));
        write_with_check(
            self.http.retry_policy(),
            "refund",
            || async {
                let raw = self.write_record(&request).await?;
                new_refund(&raw, &before, refund.amount)?.ok_or_else(|| {
                    GatewayError::unidentified("refund", "Openpay's answer shows no new refund")
                })
            },
            || async {
                let raw = self.charge_raw(refund.charge_id).await?;
                Ok(new_refund(&raw, &before, refund.amount)?.into())
            },
        )
        .await
    }

    async fn charge_refunds(&self, charge_id: &str) -> Result<Vec<Refund>> {
        wire::refunds(&self.charge_raw(charge_id).await?)
    }
}

/// The refund a refund call added: one that was not there before, of the amount asked
/// for where there is one.
fn new_refund(raw: &RawValue, before: &HashSet<String>, amount: Money) -> Result<Option<Refund>> {
    let fresh: Vec<Refund> = wire::refunds(raw)?
        .into_iter()
        .filter(|r| !before.contains(&r.id))
        .collect();
    let exact = fresh.iter().position(|r| r.amount == amount);
    Ok(match exact {
        Some(i) => fresh.into_iter().nth(i),
        None => fresh.into_iter().last(),
    })
}
