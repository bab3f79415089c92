//! `/customers/{cid}/cards`: list (newest first, offset paging), create from
//! card data, get and delete (`204`). Tokens (`token_id`) are not simulated.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;

use super::charges::{card_from_request, no_customer};
use super::list::{Page, Query};
use super::render::{self, reply};
use super::{OpenpayError, OpenpayResult, OpenpayState, PathParams, Write, text_field};
use crate::sim::ledger::{CardRef, Ledger, Source};
use crate::sim::respond;

fn ids(path: &PathParams) -> (String, String) {
    let get = |k: &str| path.get(k).cloned().unwrap_or_default();
    (get("cid"), get("kid"))
}

fn no_card(id: &str) -> OpenpayError {
    OpenpayError::not_found(format!("The card with id '{id}' does not exist"))
}

/// The customer's card `kid` rendered, or 1005.
fn render_card(l: &Ledger, cid: &str, kid: &str) -> Result<render::CardJson, OpenpayError> {
    let cus = l.customer(cid).map_err(|_| no_customer(cid))?;
    let card = l
        .card(kid)
        .ok()
        .filter(|c| c.customer_token.as_deref() == Some(cid))
        .ok_or_else(|| no_card(kid))?;
    Ok(render::card(card, Some(cus.created_at), true))
}

/// `GET /customers/{cid}/cards`.
pub(super) async fn list(
    State(s): State<Arc<OpenpayState>>,
    Path(path): Path<PathParams>,
    RawQuery(q): RawQuery,
) -> OpenpayResult {
    let q = Query::parse(q.as_deref())?;
    let page = Page::parse(&q)?;
    let (cid, _) = ids(&path);
    let l = s.ledger();
    let created = l.customer(&cid).map_err(|_| no_customer(&cid))?.created_at;
    let cards = l.customer_cards(&cid).map_err(|_| no_customer(&cid))?;
    let data: Vec<_> = page
        .apply(cards.into_iter().rev())
        .into_iter()
        .map(|c| render::card(c, Some(created), true))
        .collect();
    Ok(reply(StatusCode::OK, &data))
}

/// `POST /customers/{cid}/cards` with `card_number`, `holder_name`,
/// `expiration_year`, `expiration_month`, `cvv2` and optional `address`.
pub(super) async fn create(
    State(s): State<Arc<OpenpayState>>,
    Write { path, p, .. }: Write,
) -> OpenpayResult {
    let (cid, _) = ids(&path);
    let mut l = s.ledger();
    l.customer(&cid).map_err(|_| no_customer(&cid))?;
    if let Some(t) = text_field(&p, "token_id", 45)?.filter(|t| !t.is_empty()) {
        return Err(OpenpayError::not_found(format!(
            "The token with id '{t}' does not exist"
        )));
    }
    text_field(&p, "device_session_id", 255)?;
    let (card, _) = card_from_request(&p, l.now(), true)?;
    let duplicate = l
        .customer_cards(&cid)
        .map_err(|_| no_customer(&cid))?
        .iter()
        .any(|c| {
            c.display_number == card.display_number
                && c.expiry_month == card.expiry_month
                && c.expiry_year == card.expiry_year
        });
    if duplicate {
        return Err(OpenpayError::conflict(
            2002,
            "The card is already registered for this customer",
        ));
    }
    let kid = l
        .add_card(&cid, CardRef::New(Box::new(card)), Source::Api)
        .map_err(|_| no_customer(&cid))?;
    Ok(reply(StatusCode::OK, &render_card(&l, &cid, &kid)?))
}

/// `GET /customers/{cid}/cards/{kid}`.
pub(super) async fn get(
    State(s): State<Arc<OpenpayState>>,
    Path(path): Path<PathParams>,
) -> OpenpayResult {
    let (cid, kid) = ids(&path);
    let l = s.ledger();
    Ok(reply(StatusCode::OK, &render_card(&l, &cid, &kid)?))
}

/// `DELETE /customers/{cid}/cards/{kid}`: 204 with no body.
pub(super) async fn remove(
    State(s): State<Arc<OpenpayState>>,
    Path(path): Path<PathParams>,
) -> OpenpayResult {
    let (cid, kid) = ids(&path);
    let mut l = s.ledger();
    l.customer(&cid).map_err(|_| no_customer(&cid))?;
    l.remove_any_card(&cid, &kid, Source::Api)
        .map_err(|_| no_card(&kid))?;
    Ok(respond::no_content().into_response())
}
