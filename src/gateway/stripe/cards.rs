//! A customer's cards: PaymentMethods (`pm_`), attached and detached, and legacy card
//! sources (`card_`), added and deleted.

use async_trait::async_trait;
use serde_json::value::RawValue;

use super::request::Form;
use super::{StripeGateway, request, wire};
use crate::domain::Card;
use crate::gateway::paths;
use crate::gateway::transport::Transport;
use crate::gateway::{Cards, OperationKey, Result};

#[async_trait]
impl Cards for StripeGateway {
    async fn customer_cards(&self, id: &str) -> Result<Vec<Card>> {
        let customer: Box<RawValue> = self
            .http
            .read_json(&request::get(paths::record("customers", id)?))
            .await?;
        let defaults = wire::customer_defaults(&customer)?;
        let request =
            request::get(paths::below("customers", id, "payment_methods")?).query("type", "card");
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
        // A PaymentMethod is attached to the customer; anything else is a source.
        let mut form = Form::default();
        let path = if card_token.starts_with("pm_") {
            form.put("customer", customer_id);
            paths::below("payment_methods", card_token, "attach")?
        } else {
            form.put("source", card_token);
            paths::below("customers", customer_id, "sources")?
        };
        self.post("card addition", path, form, key, wire::card)
            .await
    }

    async fn delete_card(
        &self,
        customer_id: &str,
        card_id: &str,
        key: &OperationKey,
    ) -> Result<()> {
        if card_id.starts_with("pm_") {
            let path = paths::below("payment_methods", card_id, "detach")?;
            return self
                .post("card deletion", path, Form::default(), key, |_| Ok(()))
                .await;
        }
        let path = paths::record_below("customers", customer_id, "sources", card_id)?;
        self.delete("card deletion", path, key).await
    }
}
