//! Request parameters from a query string or a body, as functions and as
//! extractors. Each dialect's error type converts [`FormError`] into its own
//! wire shape, so `?` (or the extractor's rejection) gives the right body.

use std::marker::PhantomData;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

use super::super::form::{FormError, Params};

/// Parameters from a request body (JSON or form, by `Content-Type`).
pub(crate) fn body_params(headers: &HeaderMap, body: &Bytes) -> Result<Params, FormError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    Params::from_body(ct, body)
}

/// Parameters from a query string (bracket notation allowed; none when absent).
pub(crate) fn query_params(query: Option<&str>) -> Result<Params, FormError> {
    Params::from_urlencoded(query.unwrap_or("").as_bytes())
}

/// A handler's body parameters; a body that cannot be read is answered with
/// the dialect's error `E` (through its `From<FormError>`).
pub(crate) struct BodyParams<E>(pub Params, pub PhantomData<fn() -> E>);

impl<S: Send + Sync, E: From<FormError> + IntoResponse> FromRequest<S> for BodyParams<E> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match body_params(&headers, &body) {
            Ok(p) => Ok(BodyParams(p, PhantomData)),
            Err(e) => Err(E::from(e).into_response()),
        }
    }
}

/// A handler's query-string parameters, rejected as [`BodyParams`] is.
pub(crate) struct QueryParams<E>(pub Params, pub PhantomData<fn() -> E>);

impl<S: Send + Sync, E: From<FormError> + IntoResponse> FromRequestParts<S> for QueryParams<E> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        match query_params(parts.uri.query()) {
            Ok(p) => Ok(QueryParams(p, PhantomData)),
            Err(e) => Err(E::from(e).into_response()),
        }
    }
}
