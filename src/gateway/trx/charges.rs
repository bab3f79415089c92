//! Payments as charges: listing and reading them, and the writes on them (create,
//! capture, void, partial void), each checked before a retry. A payment carries its
//! operation key as `order_id`, which the gateway keeps unique and looks up.

use async_trait::async_trait;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

use super::request::newest;
use super::wire::Kind;
use super::{TrxGateway, errors, plain_id, request, wire};
use crate::domain::{
    CardDetails, Charge, ChargeFilter, ChargeStatus, NewCharge, Page, PageRequest, PaymentSource,
};
use crate::gateway::charge_rules::{approved, same_currency};
use crate::gateway::decimal_amount::to_json_string;
use crate::gateway::http::Request;
use crate::gateway::transport::Transport;
use crate::gateway::write_once::{Applied, capture_applied, charge_shows, void_applied};
use crate::gateway::{Charges, GatewayError, OperationKey, Result};
use crate::money::Money;

#[async_trait]
impl Charges for TrxGateway {
    async fn list_charges(
        &self,
        page: &PageRequest,
        filter: &ChargeFilter,
    ) -> Result<Page<Charge>> {
        let request = request::filter_query(newest(Kind::Payment), filter);
        self.page(request, page, wire::charge).await
    }

    async fn get_charge(&self, id: &str) -> Result<Charge> {
        wire::charge(&self.transaction_raw(id).await?)
    }

    async fn create_charge(&self, charge: &NewCharge, key: &OperationKey) -> Result<Charge> {
        let card_token = match &charge.source {
            PaymentSource::CardToken(token) => token.clone(),
            PaymentSource::Card(card) => tokenize(self, card).await?,
            PaymentSource::Customer(_) => {
                return Err(GatewayError::Unsupported("charging a saved customer"));
            }
        };
        let mut body = Map::new();
        let operation = if charge.capture {
            "authcap"
        } else {
            "authorize"
        };
        body.insert("operation".into(), operation.into());
        body.insert("card_token".into(), card_token.into());
        body.insert("amount".into(), to_json_string(charge.amount)?);
        body.insert("currency".into(), charge.amount.currency.code().into());
        body.insert("order_id".into(), key.as_str().into());
        if !charge.description.trim().is_empty() {
            body.insert("description".into(), charge.description.clone().into());
        }
        let request = Request::post("transactions").json(Value::Object(body));
        // A declined payment is still created (201), so "did it happen" finds it too;
        // only then does the decline become an error.
        let payment = self
            .create_unique(
                "charge",
                &request,
                wire::charge,
                errors::DUPLICATE_ORDER_ID,
                || find_created(self, key),
            )
            .await?;
        approved(payment)
    }

    async fn capture(&self, id: &str, amount: Money, _key: &OperationKey) -> Result<Charge> {
        let charge = self.get_charge(id).await?;
        same_currency(&charge, amount)?;
        let request = Request::post(format!("transactions/{}/capture", charge.id))
            .json(json!({ "amount": to_json_string(amount)? }));
        self.write_checked("capture", &request, wire::charge, || {
            charge_shows(self.get_charge(id), capture_applied)
        })
        .await
    }

    /// Voids the whole remaining authorisation.
    async fn void(&self, id: &str, _key: &OperationKey) -> Result<Charge> {
        let id = plain_id(id, "transaction")?;
        let request = Request::post(format!("transactions/{id}/void")).json(json!({}));
        self.write_checked("void", &request, wire::charge, || {
            charge_shows(self.get_charge(id), void_applied)
        })
        .await
    }

    /// Releases part of the authorisation: the payment stays authorised for the rest.
    async fn void_part(&self, id: &str, amount: Money, _key: &OperationKey) -> Result<Charge> {
        let before = self.get_charge(id).await?;
        same_currency(&before, amount)?;
        let request = Request::post(format!("transactions/{}/void", before.id))
            .json(json!({ "amount": to_json_string(amount)? }));
        let expected = before.held().checked_sub(amount)?;
        self.write_checked("partial void", &request, wire::charge, || async {
            // Applied once the authorisation has shrunk by the amount.
            let now = self.get_charge(id).await?;
            let shrunk = now.held() == expected || now.status == ChargeStatus::Voided;
            Ok(Applied::when(shrunk, now))
        })
        .await
    }
}

/// The payment a create with this key made, looked up by its `order_id`, declined
/// or not.
async fn find_created(trx: &TrxGateway, key: &OperationKey) -> Result<Applied<Charge>> {
    let request = Request::get("transactions/lookup")
        .query("id_type", "order_id")
        .query("id", key.as_str());
    match trx.read::<Box<RawValue>>(&request).await {
        Ok(raw) => wire::charge(&raw).map(Applied::Yes),
        Err(GatewayError::NotFound { .. }) => Ok(Applied::No),
        Err(e) => Err(e),
    }
}

/// A card token for card details (the API's test cards): asking twice only makes
/// a second token, so it is retried like a read.
async fn tokenize(trx: &TrxGateway, card: &CardDetails) -> Result<String> {
    #[derive(serde::Deserialize)]
    struct Tokenized {
        card_token: String,
    }
    let mut body = json!({
        "card_number": card.number.expose(),
        "expiry_month": card.expiry_month,
        "expiry_year": card.expiry_year,
        "cvv": card.cvc.expose(),
    });
    if !card.name.trim().is_empty() {
        body["holder_name"] = card.name.clone().into();
    }
    let request = Request::post("intents/tokenization").json(body);
    let tokenized: Tokenized = trx.read(&request).await?;
    Ok(tokenized.card_token)
}
