//! Request parameters from a query string or a body. Each dialect's error type
//! converts [`FormError`] into its own wire shape, so `?` gives the right body.

use axum::body::Bytes;
use axum::http::{HeaderMap, header};

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
