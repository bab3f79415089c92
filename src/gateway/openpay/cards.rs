//! A customer's saved cards. Openpay has no primary card: paydeck calls the newest
//! chargeable one primary, and charges that one when asked to charge the customer.

use std::collections::HashSet;

use async_trait::async_trait;
use serde_json::{Value, json};

use super::{OpenpayGateway, wire};
use crate::domain::Card;
use crate::gateway::http::Request;
use crate::gateway::paths;
use crate::gateway::transport::Transport;
use crate::gateway::{Cards, OperationKey, Result, saved_cards};

#[async_trait]
impl Cards for OpenpayGateway {
    async fn add_card(
        &self,
        customer_id: &str,
        card_token: &str,
        _key: &OperationKey,
    ) -> Result<Card> {
        let before = self.customer_cards(customer_id).await?;
        save(
            self,
            customer_id,
            json!({ "token_id": card_token }),
            &before,
        )
        .await
    }

    /// A customer's saved cards, with the one paydeck treats as primary marked.
    async fn customer_cards(&self, customer_id: &str) -> Result<Vec<Card>> {
        let mut saved = self
            .all(
                Request::get(paths::below("customers", customer_id, "cards")?),
                wire::saved_card,
            )
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

    async fn delete_card(
        &self,
        customer_id: &str,
        card_id: &str,
        _key: &OperationKey,
    ) -> Result<()> {
        saved_cards::delete_listed(self, customer_id, card_id).await
    }
}

/// Saves a card (a token, or card data for the API's test cards) on a customer who
/// has the cards `before`.
pub(super) async fn save(
    openpay: &OpenpayGateway,
    customer_id: &str,
    body: Value,
    before: &[Card],
) -> Result<Card> {
    let before: HashSet<&str> = before.iter().map(|c| c.id.as_str()).collect();
    let request = Request::post(paths::below("customers", customer_id, "cards")?).json(body);
    openpay
        .write_checked("card addition", &request, wire::card, || async {
            let cards = openpay.customer_cards(customer_id).await?;
            Ok(cards
                .into_iter()
                .find(|c| !before.contains(c.id.as_str()))
                .into())
        })
        .await
}
