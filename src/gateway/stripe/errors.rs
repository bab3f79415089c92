//! Stripe's error object: `{"error": {type, code, decline_code, message, param, charge}}`.

use serde::Deserialize;

use crate::gateway::{FieldError, GatewayError};

#[derive(Deserialize)]
struct Envelope {
    error: StripeError,
}

#[derive(Deserialize)]
struct StripeError {
    #[serde(rename = "type")]
    kind: Option<String>,
    code: Option<String>,
    decline_code: Option<String>,
    message: Option<String>,
    param: Option<String>,
    /// A declined charge is stored, and named here.
    charge: Option<String>,
}

/// Maps a Stripe error body to a typed error; `None` when the body is not Stripe's (an
/// HTML page from a proxy, say), which the HTTP layer then maps by status. 429 never
/// reaches here: the HTTP layer answers it.
pub fn decode(status: u16, body: &str) -> Option<GatewayError> {
    let error = serde_json::from_str::<Envelope>(body).ok()?.error;
    let kind = error.kind.unwrap_or_default();
    let code = error.code.clone().unwrap_or_else(|| {
        if kind.is_empty() {
            "error".into()
        } else {
            kind.clone()
        }
    });
    let message = error
        .message
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| code.replace('_', " "));
    Some(match (status, kind.as_str()) {
        (401 | 403, _) => GatewayError::Unauthorised { message },
        (_, "card_error") => GatewayError::Declined {
            code: error.decline_code.unwrap_or(code),
            message,
            charge_id: error.charge,
        },
        // Another request with the same key is still running (`idempotency_key_in_use`),
        // or an object is locked: worth sending again, with the same key.
        (409, _) => GatewayError::Unavailable {
            status,
            message,
            retry_after: None,
        },
        _ if code == "rate_limit" || code == "lock_timeout" => {
            GatewayError::RateLimited { retry_after: None }
        }
        (_, "idempotency_error") => GatewayError::Refused { code, message },
        (404, _) => GatewayError::NotFound { message },
        (_, "api_error") | (500..=599, _) => GatewayError::Unavailable {
            status,
            message,
            retry_after: None,
        },
        (_, "invalid_request_error") if error.param.as_deref().is_some_and(|p| !p.is_empty()) => {
            GatewayError::Validation {
                fields: vec![FieldError {
                    field: error.param.unwrap_or_default(),
                    message: message.clone(),
                }],
                message,
            }
        }
        _ => GatewayError::Refused { code, message },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declines_name_the_decline_reason_and_the_stored_charge() {
        let body = r#"{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds.","param":null,"charge":"ch_1"}}"#;
        match decode(402, body) {
            Some(GatewayError::Declined {
                code,
                message,
                charge_id,
            }) => {
                assert_eq!(code, "insufficient_funds");
                assert_eq!(message, "Your card has insufficient funds.");
                assert_eq!(charge_id.as_deref(), Some("ch_1"));
            }
            other => panic!("unexpected {other:?}"),
        }
        let cvc = r#"{"error":{"type":"card_error","code":"incorrect_cvc","message":"Your card's security code is incorrect.","charge":"ch_2"}}"#;
        assert!(matches!(
            decode(402, cvc),
            Some(GatewayError::Declined { code, .. }) if code == "incorrect_cvc"
        ));
    }

    #[test]
    fn request_errors_by_param_status_and_type() {
        let over = r#"{"error":{"type":"invalid_request_error","code":"amount_too_large","param":"amount","message":"Refund amount ($25.00) is greater than unrefunded amount on charge ($21.45)"}}"#;
        match decode(400, over) {
            Some(GatewayError::Validation { fields, .. }) => assert_eq!(fields[0].field, "amount"),
            other => panic!("unexpected {other:?}"),
        }
        let missing = r#"{"error":{"type":"invalid_request_error","code":"resource_missing","param":"id","message":"No such charge: 'ch_123'"}}"#;
        assert!(matches!(
            decode(404, missing),
            Some(GatewayError::NotFound { .. })
        ));
        let twice = r#"{"error":{"type":"invalid_request_error","code":"charge_already_captured","message":"Charge ch_1 has already been captured."}}"#;
        assert!(matches!(
            decode(400, twice),
            Some(GatewayError::Refused { code, .. }) if code == "charge_already_captured"
        ));
        let key = r#"{"error":{"type":"idempotency_error","message":"Keys for idempotent requests can only be used with the same parameters they were first used with."}}"#;
        assert!(matches!(
            decode(400, key),
            Some(GatewayError::Refused { code, .. }) if code == "idempotency_error"
        ));
        let in_use = r#"{"error":{"type":"invalid_request_error","code":"idempotency_key_in_use","message":"There is currently another in-progress request using this Idempotent Key."}}"#;
        assert!(decode(409, in_use).is_some_and(|e| e.is_transient()));
        let api =
            r#"{"error":{"type":"api_error","message":"Something went wrong on Stripe's end."}}"#;
        assert!(matches!(
            decode(500, api),
            Some(GatewayError::Unavailable { status: 500, .. })
        ));
        let key401 = r#"{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_****1234"}}"#;
        assert!(matches!(
            decode(401, key401),
            Some(GatewayError::Unauthorised { .. })
        ));
        assert!(decode(502, "<html><h1>502 Bad Gateway</h1></html>").is_none());
    }
}
