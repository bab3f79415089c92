//! Pin's error bodies: `{"error", "error_description", "messages", "charge_token"}`.

use serde::Deserialize;
use serde_json::Value;

use crate::gateway::{FieldError, GatewayError};

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
    error_description: Option<String>,
    messages: Option<Value>,
    charge_token: Option<String>,
}

/// Maps a Pin error body to a typed error; `None` when the body is not Pin's (an HTML
/// page from a proxy, say), which the HTTP layer then maps by status.
pub fn decode(status: u16, body: &str) -> Option<GatewayError> {
    let body: ErrorBody = serde_json::from_str(body).ok()?;
    let message = body
        .error_description
        .clone()
        .unwrap_or_else(|| body.error.replace('_', " "));
    let code = body.error;
    Some(match status {
        401 => GatewayError::Unauthorised { message },
        404 => GatewayError::NotFound { message },
        422 => GatewayError::Validation {
            message,
            fields: field_errors(body.messages.as_ref()),
        },
        // A failed charge attempt: Pin stored it and names it, so it is final.
        400 | 502 if body.charge_token.is_some() => GatewayError::Declined {
            code,
            message,
            charge_id: body.charge_token,
        },
        500..=599 => GatewayError::Unavailable {
            status,
            message,
            retry_after: None,
        },
        _ => GatewayError::Refused { code, message },
    })
}

/// `messages` is usually `[{param, code, message}]`, but Pin has also sent
/// `{"charge": ["..."]}`; both are read.
fn field_errors(messages: Option<&Value>) -> Vec<FieldError> {
    match messages {
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| FieldError {
                field: item["param"].as_str().unwrap_or("").to_string(),
                message: item["message"].as_str().unwrap_or("is invalid").to_string(),
            })
            .collect(),
        Some(Value::Object(fields)) => fields
            .iter()
            .flat_map(|(field, texts)| {
                let texts: Vec<String> = match texts {
                    Value::Array(list) => list
                        .iter()
                        .filter_map(|t| t.as_str().map(String::from))
                        .collect(),
                    Value::String(text) => vec![text.clone()],
                    _ => Vec::new(),
                };
                texts.into_iter().map(move |message| FieldError {
                    field: field.clone(),
                    message,
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_forms_of_messages() {
        let array = r#"{"error":"invalid_resource","error_description":"One or more parameters were missing or invalid.","messages":[{"param":"amount","code":"amount_invalid","message":"Amount is not a number"}]}"#;
        match decode(422, array) {
            Some(GatewayError::Validation { fields, .. }) => {
                assert_eq!(fields[0].field, "amount");
                assert_eq!(fields[0].message, "Amount is not a number");
            }
            other => panic!("unexpected {other:?}"),
        }
        let object = r#"{"error":"invalid_resource","messages":{"charge":["You have tried to refund more than the original charge"]}}"#;
        match decode(422, object) {
            Some(GatewayError::Validation { fields, .. }) => assert_eq!(fields[0].field, "charge"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn declines_name_the_stored_charge_and_html_is_left_alone() {
        let declined = r#"{"error":"card_declined","error_description":"The card was declined","charge_token":"ch_x"}"#;
        assert!(matches!(
            decode(400, declined),
            Some(GatewayError::Declined {
                charge_id: Some(_),
                ..
            })
        ));
        assert!(decode(502, "<html><h1>502 Bad Gateway</h1></html>").is_none());
        assert!(matches!(
            decode(
                400,
                r#"{"error":"cannot_delete_primary_card","error_description":"You cannot delete a customer's primary card token"}"#
            ),
            Some(GatewayError::Refused { .. })
        ));
    }
}
