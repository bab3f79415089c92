//! Openpay customers. An Openpay customer holds no card of its own: a new customer's
//! card is saved on it in a second call (`cards`). A customer carries its operation key
//! as `external_id`, unique per merchant, so an ambiguous create is found again by it
//! (and a duplicate is 2003).

use serde_json::value::RawValue;
use serde_json::{Value, json};

use super::request::{self, card_fields};
use super::{OpenpayGateway, cards, errors, wire};
use crate::domain::{Charge, Customer, CustomerUpdate, NewCustomer, PaymentSource};
use crate::gateway::contact;
use crate::gateway::customer_records::CustomerRecords;
use crate::gateway::http::Request;
use crate::gateway::paths;
use crate::gateway::transport::{Convert, Transport};
use crate::gateway::write_once::{Applied, write_idempotent};
use crate::gateway::{Cards, Customers, GatewayError, OperationKey, Result};

impl CustomerRecords for OpenpayGateway {
    const CUSTOMER: Convert<Customer> = wire::customer;
    const CHARGE: Convert<Charge> = wire::charge;

    async fn create(&self, customer: &NewCustomer, key: &OperationKey) -> Result<Customer> {
        let card_body = match &customer.card {
            PaymentSource::CardToken(token) => json!({ "token_id": token }),
            PaymentSource::Card(card) => card_fields(card),
            PaymentSource::Customer(_) => {
                return Err(GatewayError::invalid(
                    "a new customer needs a card token or card",
                ));
            }
        };
        let mut body = request::contact_body(&contact::as_update(customer))?;
        body.insert("external_id".into(), key.as_str().into());
        body.insert("requires_account".into(), false.into());
        let request = Request::post("customers").json(Value::Object(body));
        let created = self
            .create_unique(
                "customer creation",
                &request,
                wire::customer,
                errors::DUPLICATE_EXTERNAL_ID,
                || find_created(self, key),
            )
            .await?;
        // Openpay saves the card in a second call. An earlier call with this key may
        // have saved it already; then it is not saved twice.
        let cards = self.customer_cards(&created.id).await?;
        if let Some(card) = cards.iter().find(|c| c.primary) {
            return Ok(Customer {
                primary_card: Some(card.clone()),
                ..created
            });
        }
        // A customer without the card the operator gave is not what was asked for, so
        // it is taken back.
        match cards::save(self, &created.id, card_body, &cards).await {
            Ok(mut card) => {
                card.primary = true;
                Ok(Customer {
                    primary_card: Some(card),
                    ..created
                })
            }
            Err(error) => {
                if let Err(undo) = self.delete_customer(&created.id, key).await {
                    tracing::warn!(customer = %created.id, %undo, "could not remove a customer whose card was refused");
                }
                Err(error)
            }
        }
    }

    async fn update(&self, id: &str, update: &CustomerUpdate) -> Result<Customer> {
        if update.primary_card_id.is_some() {
            return Err(GatewayError::Unsupported(
                "choosing a customer's primary card",
            ));
        }
        // Openpay replaces the customer's contact fields as a whole.
        let current = self.customer_record(id).await?;
        let contact = CustomerUpdate {
            email: update.email.clone().or(Some(current.email)),
            first_name: update.first_name.clone().or(current.first_name),
            last_name: update.last_name.clone().or(current.last_name),
            phone: update.phone.clone().or(current.phone),
            ..CustomerUpdate::default()
        };
        let body = request::contact_body(&contact)?;
        let request = Request::put(paths::record("customers", id)?).json(Value::Object(body));
        // Setting fields to given values cannot apply twice.
        let customer = write_idempotent(self.http.retry_policy(), || {
            self.write(&request, wire::customer)
        })
        .await?;
        self.complete(customer).await
    }

    /// Openpay has no primary card: the one paydeck calls primary (`cards`).
    async fn complete(&self, mut customer: Customer) -> Result<Customer> {
        customer.primary_card = self
            .customer_cards(&customer.id)
            .await?
            .into_iter()
            .find(|c| c.primary);
        Ok(customer)
    }
}

/// The customer a create with this key made, looked up by its `external_id`.
async fn find_created(openpay: &OpenpayGateway, key: &OperationKey) -> Result<Applied<Customer>> {
    let request = Request::get("customers")
        .list()
        .query("external_id", key.as_str());
    let items: Vec<Box<RawValue>> = openpay.http.read_json(&request).await?;
    let found = items
        .iter()
        .find(|raw| wire::external_id(raw).as_deref() == Some(key.as_str()));
    Ok(found.map(|raw| wire::customer(raw)).transpose()?.into())
}
