//! The handler shapes Pin's routes under one object share: a page of what
//! belongs to it, and a write to it, each named by the id in the path, under
//! the ledger's lock. A route names a plain function of the ledger, the id
//! and the parameters; the extracting and locking are written once, here.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::{MethodFilter, MethodRouter, get, on};

use super::error::PinError;
use super::{PinResult, PinState};
use crate::sim::common::params::{BodyParams, QueryParams};
use crate::sim::form::Params;
use crate::sim::ledger::Ledger;

/// `GET` of a page under one object; the query holds `page` and `per_page`.
pub(crate) fn page_under(
    list: fn(&PinState, &Ledger, &str, &Params) -> PinResult,
) -> MethodRouter<Arc<PinState>> {
    get(
        move |State(s): State<Arc<PinState>>,
              Path(id): Path<String>,
              QueryParams(p, _): QueryParams<PinError>| async move {
            list(&s, &s.ledger(), &id, &p)
        },
    )
}

/// A `method` (`PUT`, `POST`) that changes one object as its body says.
pub(crate) fn change(
    method: MethodFilter,
    change: fn(&PinState, &mut Ledger, &str, &Params) -> PinResult,
) -> MethodRouter<Arc<PinState>> {
    on(
        method,
        move |State(s): State<Arc<PinState>>,
              Path(id): Path<String>,
              BodyParams(p, _): BodyParams<PinError>| async move {
            change(&s, &mut s.ledger(), &id, &p)
        },
    )
}
