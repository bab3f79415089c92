//! Customers and their cards: `/v1/customers[/{id}]`, legacy card sources
//! (`/v1/customers/{id}/sources[/{card}]`) and `/v1/customers/{id}/payment_methods`.
//! `name` is kept as the ledger's first name (last name cleared); `description`
//! is the ledger's notes. Cards list in the order added, newest first.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::charges::{card_digits, masked_card};
use super::list::{ListQuery, allow_list, envelope, listed, paginate};
use super::test_cards;
use super::{
    QueryParams, RequestParams, StripeError, StripeResult, StripeState, allow, expands,
    metadata_update, ok, render,
};
use crate::sim::form::Params;
use crate::sim::ledger::{
    Card, CardChange, CardRef, Customer, CustomerUpdate, Ledger, NewCustomer, Source,
};

fn missing(id: &str) -> StripeError {
    StripeError::missing("customer", id, "id")
}

fn deleted(id: &str) -> Value {
    json!({"id": id, "object": "customer", "deleted": true})
}

/// A new card from `source` (`tok_*` / `pm_card_*` shortcut or a raw card hash).
fn new_card(p: &Params, now: chrono::DateTime<chrono::Utc>) -> Result<Option<Card>, StripeError> {
    let digits = match p.get("source") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => test_cards::by_shortcut(s.trim())
            .map(|(n, _)| n.to_string())
            .ok_or_else(|| {
                StripeError::invalid(format!("No such token: '{s}'"))
                    .code("resource_missing")
                    .param("source")
            })?,
        Some(Value::Object(_)) => card_digits(&p.text("source.number").unwrap_or_default())?,
        Some(_) => return Err(StripeError::invalid("Invalid source").param("source")),
    };
    let mut card = masked_card(&digits, &p.sub("source"), now);
    if let test_cards::Behaviour::Decline(code) = test_cards::by_number(&digits) {
        card.decline_code = Some(code.to_string());
    }
    Ok(Some(card))
}

fn customer_json(l: &Ledger, id: &str, p: &Params) -> StripeResult {
    let c = l.customer(id).map_err(|_| missing(id))?;
    ok(render::customer(l, c, &expands(p)))
}

const FIELDS: [&str; 12] = [
    "email",
    "name",
    "phone",
    "description",
    "metadata",
    "source",
    "address",
    "shipping",
    "preferred_locales",
    "tax_exempt",
    "invoice_settings",
    "default_source",
];

/// `GET /v1/customers`: `email` (exact, case-sensitive), `created`, cursors.
pub(super) async fn list(
    State(s): State<Arc<StripeState>>,
    QueryParams(p): QueryParams,
) -> StripeResult {
    allow_list(&p, &["email", "created", "test_clock"])?;
    let lq = ListQuery::parse(&p)?;
    let email = p.str("email");
    let l = s.ledger();
    let keep = |c: &Customer| !c.deleted && email.as_ref().is_none_or(|e| &c.email == e);
    // `data.default_source` expands each listed customer's `default_source`.
    let expand: Vec<String> = expands(&p)
        .iter()
        .filter_map(|e| e.strip_prefix("data.").map(String::from))
        .collect();
    let render = |c: &Customer| render::customer(&l, c, &expand);
    listed(l.customers(), keep, &lq, "/v1/customers", render)
}

pub(super) async fn create(
    State(s): State<Arc<StripeState>>,
    RequestParams(p): RequestParams,
) -> StripeResult {
    allow(&p, &FIELDS[..11])?;
    let metadata = metadata_update(&p, &[])?.unwrap_or_default();
    let mut l = s.ledger();
    let card = new_card(&p, l.now())?;
    let id = l.create_customer_bare(
        NewCustomer {
            email: p.str("email").unwrap_or_default(),
            first_name: p.str("name"),
            last_name: None,
            phone_number: p.str("phone"),
            company: None,
            notes: p.str("description"),
        },
        metadata,
        Source::Api,
    );
    if let Some(card) = card {
        l.add_card(&id, CardRef::New(Box::new(card)), Source::Api)
            .map_err(|e| StripeError::invalid(e.to_string()).stored())?;
    }
    customer_json(&l, &id, &p)
}

/// `GET /v1/customers/{id}`; a deleted customer answers `{id, object, deleted: true}`.
pub(super) fn retrieve(l: &Ledger, id: &str, p: &Params) -> StripeResult {
    if l.customers().iter().any(|c| c.token == id && c.deleted) {
        return ok(deleted(id));
    }
    customer_json(l, id, p)
}

/// `POST /v1/customers/{id}`.
pub(super) fn update(l: &mut Ledger, id: &str, p: &Params) -> StripeResult {
    allow(p, &FIELDS)?;
    let current = l.customer(id).map_err(|_| missing(id))?.metadata.clone();
    let metadata = metadata_update(p, &current)?;
    let cards = match (new_card(p, l.now())?, p.text("default_source")) {
        (Some(card), _) => Some(CardChange::MakePrimary(CardRef::New(Box::new(card)))),
        (None, Some(card)) => {
            if l.card(&card).ok().and_then(|c| c.customer_token.clone()) != Some(id.to_string()) {
                return Err(StripeError::invalid(format!("No such source: '{card}'"))
                    .code("resource_missing")
                    .param("default_source"));
            }
            Some(CardChange::MakePrimary(CardRef::Token(card)))
        }
        (None, None) => None,
    };
    let name = p.str("name");
    l.update_customer(
        id,
        CustomerUpdate {
            email: p.str("email"),
            last_name: name.as_ref().map(|_| String::new()),
            first_name: name,
            phone_number: p.str("phone"),
            company: None,
            notes: p.str("description"),
            cards,
        },
        Source::Api,
    )
    .map_err(|e| StripeError::invalid(e.to_string()).stored())?;
    if let Some(m) = metadata {
        l.set_customer_metadata(id, m).map_err(|_| missing(id))?;
    }
    customer_json(l, id, p)
}

pub(super) async fn remove(
    State(s): State<Arc<StripeState>>,
    Path(id): Path<String>,
) -> StripeResult {
    let mut l = s.ledger();
    l.delete_customer(&id, Source::Api)
        .map_err(|_| missing(&id))?;
    ok(deleted(&id))
}

/// The customer's cards, oldest first (paginate orders them newest first).
fn cards_of(l: &Ledger, id: &str) -> Result<Vec<Card>, StripeError> {
    Ok(l.customer_cards(id)
        .map_err(|_| missing(id))?
        .into_iter()
        .cloned()
        .collect())
}

fn card_page(
    l: &Ledger,
    id: &str,
    p: &Params,
    render: impl Fn(&Card, i64) -> Value,
    url: &str,
) -> StripeResult {
    let lq = ListQuery::parse(p)?;
    let created = l.customer(id).map_err(|_| missing(id))?.created_at;
    let cards = cards_of(l, id)?;
    let (page, more) = paginate(
        &cards,
        |c| c.token.as_str(),
        |_| created,
        |_| true,
        &lq,
        "card",
    )?;
    let data = page
        .into_iter()
        .map(|c| render(c, created.timestamp()))
        .collect();
    ok(envelope(url, data, more))
}

/// `GET /v1/customers/{id}/sources[?object=card]`.
pub(super) fn sources(l: &Ledger, id: &str, p: &Params) -> StripeResult {
    let url = format!("/v1/customers/{id}/sources");
    card_page(l, id, p, |c, _| render::card(c), &url)
}

/// `GET /v1/customers/{id}/payment_methods[?type=card]`.
pub(super) fn payment_methods(l: &Ledger, id: &str, p: &Params) -> StripeResult {
    let url = format!("/v1/customers/{id}/payment_methods");
    if p.text("type").is_some_and(|t| t != "card") {
        l.customer(id).map_err(|_| missing(id))?;
        return ok(envelope(&url, Vec::new(), false));
    }
    card_page(l, id, p, render::payment_method, &url)
}

/// `POST /v1/customers/{id}/sources` with `source`: attach a card.
pub(super) async fn add_source(
    State(s): State<Arc<StripeState>>,
    Path(id): Path<String>,
    RequestParams(p): RequestParams,
) -> StripeResult {
    allow(&p, &["source", "metadata", "validate"])?;
    let mut l = s.ledger();
    l.customer(&id).map_err(|_| missing(&id))?;
    let card = new_card(&p, l.now())?.ok_or_else(|| super::missing_param("source"))?;
    let token = l
        .add_card(&id, CardRef::New(Box::new(card)), Source::Api)
        .map_err(|e| StripeError::invalid(e.to_string()).stored())?;
    let card = l
        .card(&token)
        .map_err(|_| StripeError::missing("card", &token, "id"))?;
    ok(render::card(card))
}

fn owned_card<'a>(l: &'a Ledger, id: &str, card: &str) -> Result<&'a Card, StripeError> {
    l.customer(id).map_err(|_| missing(id))?;
    l.card(card)
        .ok()
        .filter(|c| c.customer_token.as_deref() == Some(id))
        .ok_or_else(|| StripeError::missing("source", card, "id"))
}

pub(super) async fn source(
    State(s): State<Arc<StripeState>>,
    Path((id, card)): Path<(String, String)>,
) -> StripeResult {
    let l = s.ledger();
    ok(render::card(owned_card(&l, &id, &card)?))
}

/// `DELETE /v1/customers/{id}/sources/{card}` → `{id, object: "card", deleted: true}`.
pub(super) async fn remove_source(
    State(s): State<Arc<StripeState>>,
    Path((id, card)): Path<(String, String)>,
) -> StripeResult {
    let mut l = s.ledger();
    owned_card(&l, &id, &card)?;
    l.remove_any_card(&id, &card, Source::Api)
        .map_err(|_| StripeError::missing("source", &card, "id"))?;
    ok(json!({"id": card, "object": "card", "deleted": true}))
}
