//! Error answers in Pin's shape (`error`, `error_description`, `messages[]`),
//! which the Pin dialect and the admin routes both give, worded once.

use axum::http::StatusCode;
use serde_json::{Value, json};

/// 404 `not_found`.
pub(crate) fn not_found() -> (StatusCode, Value) {
    let body = json!({"error": "not_found", "error_description": "The requested resource could not be found."});
    (StatusCode::NOT_FOUND, body)
}

/// 401 `unauthenticated`.
pub(crate) fn unauthenticated() -> (StatusCode, Value) {
    let body = json!({"error": "unauthenticated", "error_description": "Not authorised. (Check API Key)."});
    (StatusCode::UNAUTHORIZED, body)
}

/// 422 `invalid_resource` with one `{param, code, message}` per unusable
/// parameter.
pub(crate) fn invalid(messages: Vec<Value>) -> (StatusCode, Value) {
    let body = json!({
        "error": "invalid_resource",
        "error_description": "One or more parameters were missing or invalid.",
        "messages": messages,
    });
    (StatusCode::UNPROCESSABLE_ENTITY, body)
}

/// `status` with just an `error` and its description.
pub(crate) fn plain(status: StatusCode, error: &str, description: &str) -> (StatusCode, Value) {
    let body = json!({"error": error, "error_description": description});
    (status, body)
}
