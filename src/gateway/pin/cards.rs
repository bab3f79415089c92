//! A Pin customer's saved cards: listing them, adding one from a card token and
//! deleting one, each write checked before a retry by listing the cards again.

use async_trait::async_trait;
use reqwest::Method;

use super::{PinGateway, wire};
use crate::domain::Card;
use crate::gateway::http::Request;
use crate::gateway::http::segment;
use crate::gateway::transport::Transport;
use crate::gateway::write_once::Applied;
use crate::gateway::{Cards, OperationKey, Result};

#[async_trait]
impl Cards for PinGateway {
    async fn customer_cards(&self, id: &str) -> Result<Vec<Card>> {
        self.all(
            Request::get(format!("customers/{}/cards", segment(id)?)),
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
        let request = Request::new(
            Method::POST,
            format!("customers/{}/cards", segment(customer_id)?),
        )
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
        let request = Request::new(
            Method::DELETE,
            format!(
                "customers/{}/cards/{}",
                segment(customer_id)?,
                segment(card_id)?
            ),
        );
        self.delete_checked("card deletion", &request, || async {
            let cards = self.customer_cards(customer_id).await?;
            Ok(Applied::when(!cards.iter().any(|c| c.id == card_id), ()))
        })
        .await
    }
}
