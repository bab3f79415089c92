//! Response helpers shared by dialects, the admin routes and the fault layer.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::Value;

/// `application/json; charset=utf-8`, as Pin sends it.
pub const JSON_UTF8: &str = "application/json; charset=utf-8";

/// A JSON response with the exact content type real gateways send.
pub fn json(status: StatusCode, body: &Value) -> Response {
    let mut resp = Response::new(Body::from(body.to_string()));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
    resp
}

/// 204 with an empty body.
pub fn no_content() -> Response {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    resp
}

/// A response that makes hyper close the connection before writing anything:
/// an unparseable `Content-Length` on a body of unknown length is rejected by
/// hyper's encoder, which then drops the connection. The client sees a
/// connection closed mid-request, as with a real reset.
pub fn dropped_connection() -> Response {
    let body = Body::from_stream(Body::empty().into_data_stream());
    let mut resp = Response::new(body);
    resp.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from_static("dropped"));
    resp
}
