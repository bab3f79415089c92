//! Refund routes: `POST/GET /charges/{ch}/refunds`, `GET /refunds[/{rf}]`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::error::{Msg, PinError};
use super::{PinResult, PinState, render, reply};
use crate::sim::common::params::{BodyParams, QueryParams};
use crate::sim::form::ParamError;
use crate::sim::ledger::Source;

/// `POST /charges/{ch}/refunds` → 201 pending refund. Without `amount` it refunds
/// everything still refundable; more than that → 422.
pub(super) async fn create(
    State(s): State<Arc<PinState>>,
    Path(ch): Path<String>,
    BodyParams(p, _): BodyParams<PinError>,
) -> PinResult {
    let amount = match p.int("amount") {
        Ok(a) => a,
        Err(ParamError::Blank) => {
            return Err(PinError::Invalid(vec![
                Msg::new("amount", "Amount can't be blank"),
                Msg::new("amount", "Amount is not a number"),
            ]));
        }
        Err(_) => return Err(PinError::invalid("amount", "Amount is not a number")),
    };
    let mut l = s.ledger();
    let token = l.refund(&ch, amount, Source::Api)?;
    reply::one(
        StatusCode::CREATED,
        render::refund(l.refund_by_token(&token)?),
    )
}

pub(super) async fn for_charge(
    State(s): State<Arc<PinState>>,
    Path(ch): Path<String>,
    QueryParams(p, _): QueryParams<PinError>,
) -> PinResult {
    let l = s.ledger();
    reply::page(&l.refunds_for_charge(&ch)?, &p, |r| render::refund(r))
}

pub(super) async fn list(
    State(s): State<Arc<PinState>>,
    QueryParams(p, _): QueryParams<PinError>,
) -> PinResult {
    let l = s.ledger();
    reply::page(&l.refunds().newest_first(), &p, |r| render::refund(r))
}

pub(super) async fn show(State(s): State<Arc<PinState>>, Path(rf): Path<String>) -> PinResult {
    reply::one(
        StatusCode::OK,
        render::refund(s.ledger().refund_by_token(&rf)?),
    )
}
