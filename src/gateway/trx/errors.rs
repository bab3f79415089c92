//! The transactions gateway's error body: `{"error": {code, message, field?}}`, with
//! the HTTP status deciding the kind and the code the detail.

use serde::Deserialize;

use crate::gateway::{FieldError, GatewayError};

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorObject,
}

#[derive(Deserialize)]
struct ErrorObject {
    code: String,
    message: Option<String>,
    field: Option<String>,
}

/// `POST /transactions` with an `order_id` a payment already has.
pub const DUPLICATE_ORDER_ID: &str = "duplicate_order_id";

/// Maps an error body to a typed error; `None` when the body is not the gateway's (an
/// HTML page from a proxy, say), which the HTTP layer then maps by status.
///
/// Every 401 becomes `Unauthorised`: at the token endpoint it is the credentials
/// (`invalid_client`), anywhere else the token (`invalid_token`), which the adapter
/// answers by renewing the token once.
pub fn decode(status: u16, body: &str) -> Option<GatewayError> {
    let body: ErrorBody = serde_json::from_str(body).ok()?;
    let ErrorObject {
        code,
        message,
        field,
    } = body.error;
    let message = message
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| code.replace('_', " "));
    Some(match status {
        400 => GatewayError::Validation {
            fields: field
                .map(|field| FieldError {
                    field,
                    message: message.clone(),
                })
                .into_iter()
                .collect(),
            message,
        },
        401 | 403 => GatewayError::Unauthorised { message },
        404 => GatewayError::NotFound { message },
        500..=599 => GatewayError::Unavailable {
            status,
            message,
            retry_after: None,
        },
        // 409 duplicate_order_id, 422 invalid_state / amount_exceeds, and anything new.
        _ => GatewayError::Refused { code, message },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: &str, message: &str, field: Option<&str>) -> String {
        let mut error = serde_json::json!({ "code": code, "message": message });
        if let Some(field) = field {
            error["field"] = field.into();
        }
        serde_json::json!({ "error": error }).to_string()
    }

    #[test]
    fn errors_map_by_status_and_keep_code_and_field() {
        match decode(
            400,
            &body("invalid_request", "limit must be an integer", Some("limit")),
        ) {
            Some(GatewayError::Validation { message, fields }) => {
                assert_eq!(message, "limit must be an integer");
                assert_eq!(fields[0].field, "limit");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            decode(401, &body("invalid_token", "expired", None)),
            Some(GatewayError::Unauthorised { .. })
        ));
        assert!(matches!(
            decode(404, &body("not_found", "no such transaction", None)),
            Some(GatewayError::NotFound { .. })
        ));
        match decode(409, &body(DUPLICATE_ORDER_ID, "order id used", None)) {
            Some(GatewayError::Refused { code, .. }) => assert_eq!(code, DUPLICATE_ORDER_ID),
            other => panic!("{other:?}"),
        }
        match decode(422, &body("amount_exceeds", "too much", None)) {
            Some(GatewayError::Refused { code, message }) => {
                assert_eq!(
                    (code.as_str(), message.as_str()),
                    ("amount_exceeds", "too much")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            decode(503, &body("server_error", "", None)),
            Some(GatewayError::Unavailable { status: 503, message, .. }) if message == "server error"
        ));
    }

    #[test]
    fn bodies_that_are_not_the_gateways_are_left_to_the_status() {
        assert!(decode(502, "<html><h1>502 Bad Gateway</h1></html>").is_none());
        assert!(decode(404, r#"{"message":"no route"}"#).is_none());
    }
}
