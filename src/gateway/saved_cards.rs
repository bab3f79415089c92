//! Deleting a customer's saved card where the gateway keys no deletion and keeps the
//! card at `customers/{id}/cards/{card}` (Pin, Openpay): an attempt that may have gone
//! through is sent again only once the customer's cards, read back, still list it.

use super::http::Request;
use super::transport::Exchange;
use super::write_once::{Applied, write_with_check};
use super::{Cards, Result, paths};

pub(crate) async fn delete_listed<G: Exchange + Cards>(
    gateway: &G,
    customer_id: &str,
    card_id: &str,
) -> Result<()> {
    let path = paths::record_below("customers", customer_id, "cards", card_id)?;
    let request = Request::delete(path);
    let send = || gateway.send(&request);
    let gone = || async {
        let cards = gateway.customer_cards(customer_id).await?;
        Ok(Applied::when(!cards.iter().any(|c| c.id == card_id), ()))
    };
    write_with_check(gateway.retry_policy(), "card deletion", send, gone).await
}
