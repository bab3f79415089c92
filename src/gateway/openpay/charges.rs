//! Openpay charges: listing and reading them, and the writes on them (create, capture,
//! cancel), each checked before a retry. A charge carries its operation key as
//! `order_id`, which Openpay keeps unique: an ambiguous create is found again by it.

use async_trait::async_trait;
use serde_json::json;
use serde_json::value::RawValue;

use super::request::{ChargeSource, charge_body};
use super::{OpenpayGateway, errors, request, wire};
use crate::domain::{
    Charge, ChargeFilter, ChargeStatus, NewCharge, Page, PageRequest, PaymentSource,
};
use crate::gateway::charge_rules::{INVALID_STATE, approved, same_currency};
use crate::gateway::decimal_amount::to_json_number;
use crate::gateway::http::Request;
use crate::gateway::paths;
use crate::gateway::transport::Transport;
use crate::gateway::write_once::{
    Applied, capture_applied, charge_shows, void_applied, write_with_check,
};
use crate::gateway::{Cards, Charges, GatewayError, OperationKey, Result};
use crate::money::Money;

#[async_trait]
impl Charges for OpenpayGateway {
    async fn list_charges(
        &self,
        page: &PageRequest,
        filter: &ChargeFilter,
    ) -> Result<Page<Charge>> {
        let request = request::filter_query(Request::get("charges"), filter);
        self.page(request, page, wire::charge).await
    }

    async fn get_charge(&self, id: &str) -> Result<Charge> {
        self.one(Request::get(paths::record("charges", id)?), wire::charge)
            .await
    }

    async fn create_charge(&self, charge: &NewCharge, key: &OperationKey) -> Result<Charge> {
        let (path, source) = match &charge.source {
            PaymentSource::CardToken(token) => {
                ("charges".to_string(), ChargeSource::SourceId(token))
            }
            PaymentSource::Card(card) => ("charges".to_string(), ChargeSource::Card(card)),
            PaymentSource::Customer(customer_id) => {
                let card = self
                    .customer_cards(customer_id)
                    .await?
                    .into_iter()
                    .find(|c| c.primary)
                    .ok_or_else(|| {
                        GatewayError::invalid(format!(
                            "customer {customer_id} has no card that can be charged"
                        ))
                    })?;
                (
                    paths::below("customers", customer_id, "charges")?,
                    ChargeSource::CustomerCard { card_id: card.id },
                )
            }
        };
        let body = charge_body(charge, &source, key)?;
        let request = Request::post(path.clone()).json(body);
        self.create_unique(
            "charge",
            &request,
            wire::charge,
            errors::DUPLICATE_ORDER,
            || find_created(self, &path, key),
        )
        .await
    }

    async fn capture(&self, id: &str, amount: Money, _key: &OperationKey) -> Result<Charge> {
        // Openpay's amount has no currency: make sure it is the charge's own first.
        let charge = self.get_charge(id).await?;
        same_currency(&charge, amount)?;
        let request = Request::post(paths::below("charges", id, "capture")?)
            .json(json!({ "amount": to_json_number(amount)? }));
        self.write_checked("capture", &request, wire::charge, || {
            charge_shows(self.get_charge(id), capture_applied)
        })
        .await
    }

    async fn void(&self, id: &str, _key: &OperationKey) -> Result<Charge> {
        // Openpay's cancel is a refund of the pre-authorisation, and the same call on a
        // captured charge would move money back: every attempt first makes sure the
        // charge is still only authorised.
        let request = Request::post(paths::below("charges", id, "refund")?).json(json!({}));
        write_with_check(
            self.http.retry_policy(),
            "cancellation",
            || async {
                let charge = self.get_charge(id).await?;
                if charge.status != ChargeStatus::Authorised {
                    return Err(GatewayError::refused(
                        INVALID_STATE,
                        format!(
                            "only an authorised charge can be cancelled; this one is {}",
                            charge.status
                        ),
                    ));
                }
                self.write(&request, wire::charge).await
            },
            || charge_shows(self.get_charge(id), void_applied),
        )
        .await
    }
}

/// The charge a create with this key made, looked up by its `order_id`.
async fn find_created(
    openpay: &OpenpayGateway,
    list_path: &str,
    key: &OperationKey,
) -> Result<Applied<Charge>> {
    let request = Request::get(list_path)
        .list()
        .query("order_id", key.as_str());
    let items: Vec<Box<RawValue>> = openpay.http.read_json(&request).await?;
    let Some(raw) = items
        .iter()
        .find(|raw| wire::order_id(raw).as_deref() == Some(key.as_str()))
    else {
        return Ok(Applied::No);
    };
    // A declined charge was made, and is the answer: the decline.
    approved(wire::charge(raw)?).map(Applied::Yes)
}
