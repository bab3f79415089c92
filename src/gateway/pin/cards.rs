//! A Pin customer's saved cards: listing them, adding one from a card token and
//! deleting one, each write checked before a retry by listing the cards again.

use async_trait::async_trait;

use super::{PinGateway, wire};
use crate::domain::Card;
use crate::gateway::http::Request;
use crate::gateway::paths;
use crate::gateway::transport::Transport;
use crate::gateway::{Cards, OperationKey, Result, saved_cards};

#[async_trait]
impl Cards for PinGateway {
    async fn customer_cards(&self, id: &str) -> Result<Vec<Card>> {
        self.all(
            Request::get(paths::below("customers", id, "cards")?),
            wire::card,
        )
        .await
    }

    async fn add_card(
        &self,
        customer_id: &str,
        card_token: &str,
        _key: &OperationKey,
    ) -> Result<Card> {
        let request = Request::post(paths::below("customers", customer_id, "cards")?)
            .form(vec![("card_token".into(), card_token.into())]);
        self.write_checked("card addition", &request, wire::card, || async {
            let cards = self.customer_cards(customer_id).await?;
            Ok(cards.into_iter().find(|c| c.id == card_token).into())
        })
        .await
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
