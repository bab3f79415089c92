//! Customer routes, with the customer's charges, cards and subscriptions.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;

use super::cards::parse_card;
use super::charges::charge_page;
use super::error::{Msg, PinError};
use super::{PinResult, PinState, render, reply};
use crate::sim::common::params::{BodyParams, QueryParams};
use crate::sim::form::Params;
use crate::sim::ledger::{CardChange, CardRef, CustomerUpdate, Ledger, NewCustomer, Source};
use crate::sim::respond;

fn customer_response(l: &Ledger, token: &str, status: StatusCode) -> PinResult {
    reply::one(status, render::customer(l, l.customer(token)?))
}

/// `card[...]` (full, validated) or `card_token`; `None` when neither was sent.
fn card_ref(p: &Params, l: &Ledger) -> Result<Option<CardRef>, PinError> {
    match (p.has("card"), p.text("card_token")) {
        (true, Some(_)) => Err(PinError::invalid(
            "card",
            "Only one of card or card_token may be given",
        )),
        (true, None) => Ok(Some(CardRef::New(Box::new(parse_card(
            p,
            "card.",
            l.now(),
        )?)))),
        (false, Some(t)) => Ok(Some(CardRef::Token(t))),
        (false, None) => Ok(None),
    }
}

/// Map "unknown card token" to a 422 on the parameter rather than a 404.
fn token_error(e: crate::sim::ledger::LedgerError) -> PinError {
    match e {
        crate::sim::ledger::LedgerError::NotFound { kind: "card", .. } => {
            PinError::invalid("card_token", "Invalid card token")
        }
        other => other.into(),
    }
}

fn contact(p: &Params) -> NewCustomer {
    NewCustomer {
        email: p.text("email").unwrap_or_default(),
        first_name: p.str("first_name"),
        last_name: p.str("last_name"),
        phone_number: p.str("phone_number"),
        company: p.str("company"),
        notes: p.str("notes"),
    }
}

/// `POST /customers` → 201.
pub(super) async fn create(
    State(s): State<Arc<PinState>>,
    BodyParams(p, _): BodyParams<PinError>,
) -> PinResult {
    let mut msgs = Vec::new();
    let new = contact(&p);
    if new.email.is_empty() {
        msgs.push(Msg::new("email", "Email can't be blank"));
    } else if !new.email.contains('@') {
        msgs.push(Msg::new("email", "Email is not a valid email address"));
    }
    let mut l = s.ledger();
    let card = match card_ref(&p, &l) {
        Ok(Some(c)) => Some(c),
        Ok(None) => {
            msgs.push(Msg::new("card", "Card can't be blank"));
            None
        }
        Err(PinError::Invalid(m)) => {
            msgs.extend(m);
            None
        }
        Err(e) => return Err(e),
    };
    let (Some(card), true) = (card, msgs.is_empty()) else {
        return Err(PinError::Invalid(msgs));
    };
    let token = l
        .create_customer(new, card, Source::Api)
        .map_err(token_error)?;
    customer_response(&l, &token, StatusCode::CREATED)
}

pub(super) async fn list(
    State(s): State<Arc<PinState>>,
    QueryParams(p, _): QueryParams<PinError>,
) -> PinResult {
    let l = s.ledger();
    reply::page(&l.customers_newest_first(), &p, |c| render::customer(&l, c))
}

pub(super) async fn show(State(s): State<Arc<PinState>>, Path(cus): Path<String>) -> PinResult {
    let l = s.ledger();
    customer_response(&l, &cus, StatusCode::OK)
}

/// `PUT /customers/{cus}`: contact fields, plus at most one of `card[...]` /
/// `card_token` (replace the primary) or `primary_card_token` (switch primary).
pub(super) fn update(_: &PinState, l: &mut Ledger, cus: &str, p: &Params) -> PinResult {
    l.customer(cus)?;
    let c = contact(p);
    if p.has("email") && !c.email.contains('@') {
        return Err(PinError::invalid(
            "email",
            "Email is not a valid email address",
        ));
    }
    let replace = card_ref(p, l)?;
    let cards = match (replace, p.text("primary_card_token")) {
        (Some(_), Some(_)) => {
            return Err(PinError::invalid(
                "primary_card_token",
                "Only one of card, card_token or primary_card_token may be given",
            ));
        }
        (Some(r), None) => Some(CardChange::Replace(r)),
        (None, Some(t)) => Some(CardChange::MakePrimary(CardRef::Token(t))),
        (None, None) => None,
    };
    let update = CustomerUpdate {
        email: p.has("email").then_some(c.email),
        first_name: c.first_name,
        last_name: c.last_name,
        phone_number: c.phone_number,
        company: c.company,
        notes: c.notes,
        cards,
    };
    l.update_customer(cus, update, Source::Api)
        .map_err(token_error)?;
    customer_response(l, cus, StatusCode::OK)
}

/// `DELETE /customers/{cus}` → 204, cards go too.
pub(super) async fn remove(State(s): State<Arc<PinState>>, Path(cus): Path<String>) -> PinResult {
    s.ledger().delete_customer(&cus, Source::Api)?;
    Ok(respond::no_content())
}

pub(super) fn charges(s: &PinState, l: &Ledger, cus: &str, p: &Params) -> PinResult {
    charge_page(s, l, &l.customer_charges(cus)?, p)
}

pub(super) fn cards(_: &PinState, l: &Ledger, cus: &str, p: &Params) -> PinResult {
    reply::page(&l.customer_cards(cus)?, p, |c| render::card(c))
}

/// `POST /customers/{cus}/cards` (flat card fields or `card_token`) → 201 + `ip_address`.
pub(super) async fn add_card(
    State(s): State<Arc<PinState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(cus): Path<String>,
    BodyParams(p, _): BodyParams<PinError>,
) -> PinResult {
    let mut l = s.ledger();
    l.customer(&cus)?;
    let card = match p.text("card_token") {
        Some(t) => CardRef::Token(t),
        None => CardRef::New(Box::new(parse_card(&p, "", l.now())?)),
    };
    let token = l.add_card(&cus, card, Source::Api).map_err(token_error)?;
    reply::new_card(l.card(&token)?, peer)
}

/// `DELETE /customers/{cus}/cards/{card}` → 204; the primary card → 400.
pub(super) async fn delete_card(
    State(s): State<Arc<PinState>>,
    Path((cus, card)): Path<(String, String)>,
) -> PinResult {
    s.ledger().delete_card(&cus, &card, Source::Api)?;
    Ok(respond::no_content())
}

pub(super) fn subscriptions(_: &PinState, l: &Ledger, cus: &str, p: &Params) -> PinResult {
    reply::page(&l.customer_subscriptions(cus)?, p, |x| {
        render::subscription(x)
    })
}

/// `GET /plans/{plan}`: what a subscription's `plan_token` names.
pub(super) async fn plan(State(s): State<Arc<PinState>>, Path(plan): Path<String>) -> PinResult {
    reply::one(StatusCode::OK, render::plan(s.ledger().plan(&plan)?))
}

/// `DELETE /customers/{cus}/subscriptions/{sub}` → 200 with state `cancelling`.
pub(super) async fn cancel_subscription(
    State(s): State<Arc<PinState>>,
    Path((cus, sub)): Path<(String, String)>,
) -> PinResult {
    let mut l = s.ledger();
    l.cancel_subscription(&cus, &sub, Source::Api)?;
    reply::one(StatusCode::OK, render::subscription(l.subscription(&sub)?))
}
