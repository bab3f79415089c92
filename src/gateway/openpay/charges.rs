//! Openpay charges: listing and reading them, and the writes on them (create, capture,
//! cancel), each checked before a retry. A charge carries its operation key as
//! `order_id`, which Openpay keeps unique: an ambiguous create is found again by it.

use reqwest::Method;
use serde_json::json;
use serde_json::value::RawValue;

use super::request::{ChargeSource, charge_body};
use super::{OpenpayGateway, cards, errors, request, wire};
use crate::domain::{
    Charge, ChargeFilter, ChargeStatus, NewCharge, Page, PageRequest, PaymentSource,
};
use crate::gateway::charge_rules::{INVALID_STATE, approved, same_currency};
use crate::gateway::decimal_amount::to_json_number;
use crate::gateway::http::Request;
use crate::gateway::http::segment;
use crate::gateway::write_once::{
    Applied, capture_applied, charge_shows, void_applied, write_with_check,
};
use crate::gateway::{GatewayError, OperationKey, Result};
use crate::money::Money;

pub(super) async fn list(
    openpay: &OpenpayGateway,
    page: &PageRequest,
    filter: &ChargeFilter,
) -> Result<Page<Charge>> {
    let request = request::filter_query(Request::get("charges"), filter);
    openpay.page(request, page, wire::charge).await
}

pub(super) async fn get(openpay: &OpenpayGateway, id: &str) -> Result<Charge> {
    openpay
        .one(
            Request::get(format!("charges/{}", segment(id)?)),
            wire::charge,
        )
        .await
}

pub(super) async fn create(
    openpay: &OpenpayGateway,
    charge: &NewCharge,
    key: &OperationKey,
) -> Result<Charge> {
    let (path, source) = match &charge.source {
        PaymentSource::CardToken(token) => ("charges".to_string(), ChargeSource::SourceId(token)),
        PaymentSource::Card(card) => ("charges".to_string(), ChargeSource::Card(card)),
        PaymentSource::Customer(customer_id) => {
            let card = cards::of_customer(openpay, customer_id)
                .await?
                .into_iter()
                .find(|c| c.primary)
                .ok_or_else(|| GatewayError::Validation {
                    message: format!("customer {customer_id} has no card that can be charged"),
                    fields: Vec::new(),
                })?;
            (
                format!("customers/{}/charges", segment(customer_id)?),
                ChargeSource::CustomerCard { card_id: card.id },
            )
        }
    };
    let body = charge_body(charge, &source, key)?;
    let request = Request::new(Method::POST, path.clone()).json(body);
    write_with_check(
        openpay.http.retry_policy(),
        "charge",
        || async {
            match openpay.write(&request, wire::charge).await {
                // Another attempt with this order id got there first.
                Err(e) if e.is_refusal(errors::DUPLICATE_ORDER) => {
                    match find_created(openpay, &path, key).await? {
                        Applied::Yes(found) => Ok(found),
                        Applied::No => Err(e),
                    }
                }
                other => other,
            }
        },
        || find_created(openpay, &path, key),
    )
    .await
}

pub(super) async fn capture(
    openpay: &OpenpayGateway,
    id: &str,
    amount: Money,
    _key: &OperationKey,
) -> Result<Charge> {
    // Openpay's amount has no currency: make sure it is the charge's own first.
    let charge = get(openpay, id).await?;
    same_currency(&charge, amount)?;
    let request = Request::new(Method::POST, format!("charges/{}/capture", segment(id)?))
        .json(json!({ "amount": to_json_number(amount)? }));
    write_with_check(
        openpay.http.retry_policy(),
        "capture",
        || openpay.write(&request, wire::charge),
        || charge_shows(get(openpay, id), capture_applied),
    )
    .await
}

pub(super) async fn void(
    openpay: &OpenpayGateway,
    id: &str,
    _key: &OperationKey,
) -> Result<Charge> {
    // Openpay's cancel is a refund of the pre-authorisation, and the same call on a
    // captured charge would move money back: every attempt first makes sure the
    // charge is still only authorised.
    let request =
        Request::new(Method::POST, format!("charges/{}/refund", segment(id)?)).json(json!({}));
    write_with_check(
        openpay.http.retry_policy(),
        "cancellation",
        || async {
            let charge = get(openpay, id).await?;
            if charge.status != ChargeStatus::Authorised {
                return Err(GatewayError::refused(
                    INVALID_STATE,
                    format!(
                        "only an authorised charge can be cancelled; this one is {}",
                        charge.status
                    ),
                ));
            }
            openpay.write(&request, wire::charge).await
        },
        || charge_shows(get(openpay, id), void_applied),
    )
    .await
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
