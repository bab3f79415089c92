//! A customer's cards: PaymentMethods (`pm_`), attached and detached, and legacy card
//! sources (`card_`), added and deleted.

use async_trait::async_trait;
use reqwest::Method;
use serde_json::value::RawValue;

use super::request::{Form, write_request};
use super::{StripeGateway, request, wire};
use crate::domain::Card;
use crate::gateway::http::segment;
use crate::gateway::transport::Transport;
use crate::gateway::{Cards, OperationKey, Result};

#[async_trait]
impl Cards for StripeGateway {
    async fn customer_cards(&self, id: &str) -> Result<Vec<Card>> {
        let customer: Box<RawValue> = self
            .http
            .read_json(&request::get(format!("customers/{}", segment(id)?)))
            .await?;
        let defaults = wire::customer_defaults(&customer)?;
        let request = request::get(format!("customers/{}/payment_methods", segment(id)?))
            .query("type", "card");
        let mut cards = self.all(request, wire::card).await?;
        for card in &mut cards {
            card.primary = defaults.contains(&card.id);
        }
        Ok(cards)
    }

    async fn add_card(
        &self,
        customer_id: &str,
        card_token: &str,
        key: &OperationKey,
    ) -> Result<Card> {
        let mut form = Form::default();
        let request = if card_token.starts_with("pm_") {
            form.put("customer", customer_id);
            write_request(
                Method::POST,
                format!("payment_methods/{}/attach", segment(card_token)?),
                form,
                key,
            )
        } else {
            form.put("source", card_token);
            write_request(
                Method::POST,
                format!("customers/{}/sources", segment(customer_id)?),
                form,
                key,
            )
        };
        self.keyed_write("card addition", &request, wire::card)
            .await
    }

    async fn delete_card(
        &self,
        customer_id: &str,
        card_id: &str,
        key: &OperationKey,
    ) -> Result<()> {
        let request = if card_id.starts_with("pm_") {
            write_request(
                Method::POST,
                format!("payment_methods/{}/detach", segment(card_id)?),
                Form::default(),
                key,
            )
        } else {
            return self
                .delete(
                    "card deletion",
                    format!(
                        "customers/{}/sources/{}",
                        segment(customer_id)?,
                        segment(card_id)?
                    ),
                    key,
                )
                .await;
        };
        self.keyed_write("card deletion", &request, |_| Ok(()))
            .await
    }
}
