//! Refund routes: `POST/GET /charges/{ch}/refunds`, `GET /refunds[/{rf}]`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::error::{Msg, PinError};
use super::{PinResult, PinState, render, reply};
use crate::sim::common::params::QueryParams;
use crate::sim::form::{ParamError, Params};
use crate::sim::ledger::{Ledger, Source};

/// `POST /charges/{ch}/refunds` → 201 pending refund. Without `amount` it refunds
/// everything still refundable; more than that → 422.
pub(super) fn create(_: &PinState, l: &mut Ledger, ch: &str, p: &Params) -> PinResult {
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
    let token = l.refund(ch, amount, Source::Api)?;
    reply::one(
        StatusCode::CREATED,
        render::refund(l.refund_by_token(&token)?),
    )
}

pub(super) fn for_charge(_: &PinState, l: &Ledger, ch: &str, p: &Params) -> PinResult {
    reply::page(&l.refunds_for_charge(ch)?, p, |r| render::refund(r))
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
