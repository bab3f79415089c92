//! Openpay customers and their cards. An Openpay customer holds no card of its own:
//! cards are saved on it in calls of their own, and paydeck calls the newest chargeable
//! one primary. A customer carries its operation key as `external_id`, unique per
//! merchant, so an ambiguous create is found again by it (and a duplicate is 2003).

use std::collections::HashSet;

use reqwest::Method;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

use super::request::{self, card_fields};
use super::{OpenpayGateway, errors, wire};
use crate::domain::{Card, Customer, CustomerUpdate, NewCustomer, PaymentSource};
use crate::gateway::http::Request;
use crate::gateway::write_once::{Applied, deleted, write_idempotent, write_with_check};
use crate::gateway::{GatewayError, OperationKey, Result};

impl OpenpayGateway {
    /// The customer a create with this key made, looked up by its `external_id`.
    pub(super) async fn find_by_external_id(
        &self,
        key: &OperationKey,
    ) -> Result<Applied<Customer>> {
        let request = Request::get("customers")
            .list()
            .query("external_id", key.as_str());
        let items: Vec<Box<RawValue>> = self.http.read_json(&request).await?;
        let found = items
            .iter()
            .find(|raw| wire::external_id(raw).as_deref() == Some(key.as_str()));
        Ok(found.map(|raw| wire::customer(raw)).transpose()?.into())
    }

    /// A customer's saved cards, with the one paydeck treats as primary marked.
    pub(super) async fn cards(&self, customer_id: &str) -> Result<Vec<Card>> {
        let mut saved = self
            .all(&format!("customers/{customer_id}/cards"), wire::saved_card)
            .await?;
        // Openpay has no primary card: paydeck calls the newest chargeable card primary,
        // and charges that one when asked to charge the customer.
        let primary = saved
            .iter()
            .enumerate()
            .filter(|(_, s)| s.allows_charges)
            .max_by_key(|(i, s)| (s.created, std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        if let Some(i) = primary {
            saved[i].card.primary = true;
        }
        Ok(saved.into_iter().map(|s| s.card).collect())
    }

    pub(super) async fn with_primary_card(&self, mut customer: Customer) -> Result<Customer> {
        customer.primary_card = self
            .cards(&customer.id)
            .await?
            .into_iter()
            .find(|c| c.primary);
        Ok(customer)
    }

    /// Saves a card (a token, or card data for the API's test cards) on a customer who
    /// has the cards `before`.
    pub(super) async fn save_card(
        &self,
        customer_id: &str,
        body: Value,
        before: &[Card],
    ) -> Result<Card> {
        let before: HashSet<&str> = before.iter().map(|c| c.id.as_str()).collect();
        let request =
            Request::new(Method::POST, format!("customers/{customer_id}/cards")).json(body);
        write_with_check(
            self.http.retry_policy(),
            "card addition",
            || self.write(&request, wire::card),
            || async {
                let cards = self.cards(customer_id).await?;
                Ok(cards
                    .into_iter()
                    .find(|c| !before.contains(c.id.as_str()))
                    .into())
            },
        )
        .await
    }

    pub(super) async fn create_customer_with_card(
        &self,
        customer: &NewCustomer,
        key: &OperationKey,
    ) -> Result<Customer> {
        let card_body = match &customer.card {
            PaymentSource::CardToken(token) => json!({ "token_id": token }),
            PaymentSource::Card(card) => card_fields(card),
            PaymentSource::Customer(_) => {
                return Err(GatewayError::Validation {
                    message: "a new customer needs a card token or card".into(),
                    fields: Vec::new(),
                });
            }
        };
        let mut body = Map::new();
        let name = request::customer_name(customer.first_name.as_deref(), &customer.email)?;
        body.insert("name".into(), name.into());
        body.insert("email".into(), customer.email.clone().into());
        if let Some(last) = &customer.last_name {
            body.insert("last_name".into(), last.clone().into());
        }
        if let Some(phone) = &customer.phone {
            body.insert("phone_number".into(), phone.clone().into());
        }
        body.insert("external_id".into(), key.as_str().into());
        body.insert("requires_account".into(), false.into());
        let request = Request::new(Method::POST, "customers").json(Value::Object(body));
        let created = write_with_check(
            self.http.retry_policy(),
            "customer creation",
            || async {
                match self.write(&request, wire::customer).await {
                    Err(e) if e.is_refusal(errors::DUPLICATE_EXTERNAL_ID) => {
                        match self.find_by_external_id(key).await? {
                            Applied::Yes(found) => Ok(found),
                            Applied::No => Err(e),
                        }
                    }
                    other => other,
                }
            },
            || self.find_by_external_id(key),
        )
        .await?;
        // Openpay saves the card in a second call. An earlier call with this key may
        // have saved it already; then it is not saved twice.
        let cards = self.cards(&created.id).await?;
        if let Some(card) = cards.iter().find(|c| c.primary) {
            return Ok(Customer {
                primary_card: Some(card.clone()),
                ..created
            });
        }
        // A customer without the card the operator gave is not what was asked for, so
        // it is taken back.
        match self.save_card(&created.id, card_body, &cards).await {
            Ok(mut card) => {
                card.primary = true;
                Ok(Customer {
                    primary_card: Some(card),
                    ..created
                })
            }
            Err(error) => {
                if let Err(undo) = self.remove_customer(&created.id, key).await {
                    tracing::warn!(customer = %created.id, %undo, "could not remove a customer whose card was refused");
                }
                Err(error)
            }
        }
    }

    pub(super) async fn replace_customer(
        &self,
        id: &str,
        update: &CustomerUpdate,
        _key: &OperationKey,
    ) -> Result<Customer> {
        if update.primary_card_id.is_some() {
            return Err(GatewayError::Unsupported(
                "choosing a customer's primary card",
            ));
        }
        // Openpay replaces the customer's contact fields as a whole.
        let current = self
            .one(Request::get(format!("customers/{id}")), wire::customer)
            .await?;
        let email = update.email.clone().unwrap_or(current.email);
        let first = update.first_name.clone().or(current.first_name);
        let mut body = Map::new();
        body.insert(
            "name".into(),
            request::customer_name(first.as_deref(), &email)?.into(),
        );
        body.insert("email".into(), email.into());
        if let Some(last) = update.last_name.clone().or(current.last_name) {
            body.insert("last_name".into(), last.into());
        }
        if let Some(phone) = update.phone.clone().or(current.phone) {
            body.insert("phone_number".into(), phone.into());
        }
        let request =
            Request::new(Method::PUT, format!("customers/{id}")).json(Value::Object(body));
        // Setting fields to given values cannot apply twice.
        let customer = write_idempotent(self.http.retry_policy(), || {
            self.write(&request, wire::customer)
        })
        .await?;
        self.with_primary_card(customer).await
    }

    pub(super) async fn remove_customer(&self, id: &str, _key: &OperationKey) -> Result<()> {
        let request = Request::new(Method::DELETE, format!("customers/{id}"));
        write_with_check(
            self.http.retry_policy(),
            "customer deletion",
            || async { self.http.send(&request).await.map(drop) },
            || async {
                deleted(
                    self.one(Request::get(format!("customers/{id}")), wire::customer)
                        .await,
                )
            },
        )
        .await
    }

    pub(super) async fn remove_card(
        &self,
        customer_id: &str,
        card_id: &str,
        _key: &OperationKey,
    ) -> Result<()> {
        let request = Request::new(
            Method::DELETE,
            format!("customers/{customer_id}/cards/{card_id}"),
        );
        write_with_check(
            self.http.retry_policy(),
            "card deletion",
            || async { self.http.send(&request).await.map(drop) },
            || async {
                let cards = self.cards(customer_id).await?;
                Ok(Applied::when(!cards.iter().any(|c| c.id == card_id), ()))
            },
        )
        .await
    }
}
