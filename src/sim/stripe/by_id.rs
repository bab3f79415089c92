//! The handler shapes most Stripe object routes share: read one object, list
//! what belongs to one object, and change one object, each named by the id in
//! the path, under the ledger's lock. A route names a plain function of the ledger, the id and the
//! parameters; the extracting and locking are written once, here.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::{MethodRouter, get, post};

use super::list::allow_list;
use super::{QueryParams, RequestParams, StripeResult, StripeState, allow};
use crate::sim::form::Params;
use crate::sim::ledger::Ledger;

/// Renders the object `id` (only `expand` is in the parameters).
pub(crate) type Read = fn(&Ledger, &str, &Params) -> StripeResult;

/// Changes the object `id` as the parameters say (it checks them itself) and
/// renders it.
pub(crate) type Change = fn(&mut Ledger, &str, &Params) -> StripeResult;

/// `GET` of one object: any query parameter but `expand` is refused.
pub(crate) fn read(read: Read) -> MethodRouter<Arc<StripeState>> {
    get(
        move |State(s): State<Arc<StripeState>>,
              Path(id): Path<String>,
              QueryParams(p): QueryParams| async move {
            allow(&p, &[])?;
            read(&s.ledger(), &id, &p)
        },
    )
}

/// `GET` of a list under one object: the cursors and the list's `own`
/// parameters are allowed, any other is refused.
pub(crate) fn list_of(own: &'static [&'static str], read: Read) -> MethodRouter<Arc<StripeState>> {
    get(
        move |State(s): State<Arc<StripeState>>,
              Path(id): Path<String>,
              QueryParams(p): QueryParams| async move {
            allow_list(&p, own)?;
            read(&s.ledger(), &id, &p)
        },
    )
}

/// `POST` to one object, with the query string and body as parameters.
pub(crate) fn change(change: Change) -> MethodRouter<Arc<StripeState>> {
    post(
        move |State(s): State<Arc<StripeState>>,
              Path(id): Path<String>,
              RequestParams(p): RequestParams| async move { change(&mut s.ledger(), &id, &p) },
    )
}
