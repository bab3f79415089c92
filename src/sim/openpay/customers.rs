//! `/customers`: create, list (`external_id`, creation filters, offset
//! paging), get, update (`PUT`) and delete (`204`, no body).

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::Value;

use super::charges::no_customer;
use super::list::{Creation, Page};
use super::render::{self, ADDRESS, EXTERNAL_ID, reply};
use super::{OpenpayError, OpenpayResult, OpenpayState, PathParams, Write, required, text_field};
use crate::sim::form::Params;
use crate::sim::ledger::{CustomerUpdate, Ledger, NewCustomer, Source};
use crate::sim::respond;

/// The `address` object as stored text (`None` when not sent).
fn address(p: &Params) -> Result<Option<String>, OpenpayError> {
    match p.get("address") {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Object(_)) => Ok(Some(v.to_string())),
        Some(_) => Err(OpenpayError::bad_request("address must be an object")),
    }
}

fn email(p: &Params, needed: bool) -> Result<Option<String>, OpenpayError> {
    let e = if needed {
        Some(required(p, "email", 100)?)
    } else {
        text_field(p, "email", 100)?
    };
    match e {
        Some(e) if !e.contains('@') => Err(OpenpayError::bad_request(
            "email must be a well-formed email address",
        )),
        other => Ok(other),
    }
}

fn external_id_used(l: &Ledger, id: &str) -> bool {
    l.customers()
        .iter()
        .any(|c| !c.deleted && c.metadata.iter().any(|(k, v)| k == EXTERNAL_ID && v == id))
}

/// `POST /customers`: `name` and `email` required; `last_name`,
/// `phone_number`, `external_id` (unique, else 2003) and `address` optional.
pub(super) async fn create(
    State(s): State<Arc<OpenpayState>>,
    Write { p, .. }: Write,
) -> OpenpayResult {
    let name = required(&p, "name", 100)?;
    let email = email(&p, true)?.unwrap_or_default();
    let last_name = text_field(&p, "last_name", 100)?;
    let phone = text_field(&p, "phone_number", 100)?;
    let external_id = text_field(&p, "external_id", 100)?.filter(|e| !e.is_empty());
    let address = address(&p)?;
    let mut l = s.ledger();
    if let Some(e) = &external_id
        && external_id_used(&l, e)
    {
        return Err(OpenpayError::conflict(
            2003,
            format!("A customer with the external_id '{e}' already exists"),
        ));
    }
    let mut metadata = Vec::new();
    if let Some(e) = external_id {
        metadata.push((EXTERNAL_ID.to_string(), e));
    }
    if let Some(a) = address {
        metadata.push((ADDRESS.to_string(), a));
    }
    let token = l.create_customer_bare(
        NewCustomer {
            email,
            first_name: Some(name),
            last_name,
            phone_number: phone,
            company: None,
            notes: None,
        },
        metadata,
        Source::Api,
    );
    let c = l.customer(&token).map_err(|_| no_customer(&token))?;
    Ok(reply(StatusCode::OK, &render::customer(c)))
}

/// `GET /customers`: newest first.
pub(super) async fn list(
    State(s): State<Arc<OpenpayState>>,
    RawQuery(q): RawQuery,
) -> OpenpayResult {
    let (q, page) = Page::read(q.as_deref())?;
    let creation = Creation::parse(&q)?;
    let external_id = q.get("external_id");
    let l = s.ledger();
    let matching = l.customers_newest_first().into_iter().filter(|c| {
        creation.matches(c.created_at)
            && external_id
                .is_none_or(|e| c.metadata.iter().any(|(k, v)| k == EXTERNAL_ID && v == e))
    });
    let data: Vec<_> = page
        .apply(matching)
        .into_iter()
        .map(render::customer)
        .collect();
    Ok(reply(StatusCode::OK, &data))
}

fn cid(path: &PathParams) -> &str {
    path.get("cid").map_or("", String::as_str)
}

/// `GET /customers/{cid}`.
pub(super) async fn get(
    State(s): State<Arc<OpenpayState>>,
    Path(path): Path<PathParams>,
) -> OpenpayResult {
    let l = s.ledger();
    let c = l
        .customer(cid(&path))
        .map_err(|_| no_customer(cid(&path)))?;
    Ok(reply(StatusCode::OK, &render::customer(c)))
}

/// `PUT /customers/{cid}`: the fields sent replace the stored ones.
pub(super) async fn update(
    State(s): State<Arc<OpenpayState>>,
    Write { path, p, .. }: Write,
) -> OpenpayResult {
    let id = cid(&path).to_string();
    let name = text_field(&p, "name", 100)?.filter(|n| !n.is_empty());
    let email = email(&p, false)?;
    let last_name = text_field(&p, "last_name", 100)?;
    let phone = text_field(&p, "phone_number", 100)?;
    let address = address(&p)?;
    let mut l = s.ledger();
    let mut metadata = l
        .customer(&id)
        .map_err(|_| no_customer(&id))?
        .metadata
        .clone();
    l.update_customer(
        &id,
        CustomerUpdate {
            email,
            first_name: name,
            last_name,
            phone_number: phone,
            ..CustomerUpdate::default()
        },
        Source::Api,
    )
    .map_err(|_| no_customer(&id))?;
    if let Some(a) = address {
        metadata.retain(|(k, _)| k != ADDRESS);
        metadata.push((ADDRESS.to_string(), a));
        l.set_customer_metadata(&id, metadata)
            .map_err(|_| no_customer(&id))?;
    }
    let c = l.customer(&id).map_err(|_| no_customer(&id))?;
    Ok(reply(StatusCode::OK, &render::customer(c)))
}

/// `DELETE /customers/{cid}`: 204 with no body; the customer's cards go too.
pub(super) async fn remove(
    State(s): State<Arc<OpenpayState>>,
    Path(path): Path<PathParams>,
) -> OpenpayResult {
    let id = cid(&path).to_string();
    let mut l = s.ledger();
    l.delete_customer(&id, Source::Api)
        .map_err(|_| no_customer(&id))?;
    Ok(respond::no_content().into_response())
}
