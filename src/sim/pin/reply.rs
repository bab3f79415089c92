//! Pin's successful answers, written once: one object under `response`, a
//! page of objects, and a card just stored with the caller's address.

use std::net::SocketAddr;

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::PinResult;
use super::render::{self, Paging};
use crate::sim::form::Params;
use crate::sim::ledger::Card;
use crate::sim::respond;

/// `status` with `{"response": object}`.
pub(crate) fn one(status: StatusCode, object: Value) -> PinResult {
    Ok(respond::json(status, &render::one(object)))
}

/// 200 with the page of `items` that `p` asks for (`page`, `per_page`), each
/// rendered by `render`.
pub(crate) fn page<T>(items: &[T], p: &Params, render: impl Fn(&T) -> Value) -> PinResult {
    paged(items, Paging::from_params(p), render)
}

/// 200 with the page `paging` names of `items`, each rendered by `render`.
pub(crate) fn paged<T>(items: &[T], paging: Paging, render: impl Fn(&T) -> Value) -> PinResult {
    Ok(respond::json(
        StatusCode::OK,
        &render::page(items, paging, render),
    ))
}

/// 201 with a card just stored and, beside it, the address it came from.
pub(crate) fn new_card(card: &Card, peer: SocketAddr) -> PinResult {
    let body = json!({"response": render::card(card), "ip_address": peer.ip().to_string()});
    Ok(respond::json(StatusCode::CREATED, &body))
}
