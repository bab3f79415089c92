//! Openpay's error object: `{category, error_code, description, http_code, request_id}`.
//! `category` is `request` (our data), `internal` (Openpay's fault) or `gateway` (the
//! card network); `error_code` is Openpay's number, which decides the mapping.

use serde::Deserialize;
use serde_json::Value;

use crate::gateway::GatewayError;

#[derive(Deserialize)]
struct ErrorBody {
    category: Option<String>,
    /// A number on the wire; read as whatever it is so a quoted one is not lost.
    error_code: Value,
    description: Option<String>,
    request_id: Option<String>,
}

/// The order id is already used by another transaction.
pub const DUPLICATE_ORDER: &str = "1006";
/// A customer with this `external_id` already exists.
pub const DUPLICATE_EXTERNAL_ID: &str = "2003";

/// Maps an Openpay error body to a typed error; `None` when the body is not Openpay's
/// (an HTML page from a proxy, say), which the HTTP layer then maps by status.
pub fn decode(status: u16, body: &str) -> Option<GatewayError> {
    let body: ErrorBody = serde_json::from_str(body).ok()?;
    let number = match &body.error_code {
        Value::Number(n) => n.as_u64()?,
        Value::String(s) => s.trim().parse::<u64>().ok()?,
        _ => return None,
    };
    let code = number.to_string();
    let description = body
        .description
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| format!("Openpay error {code}"));
    let internal = body.category.as_deref() == Some("internal");
    Some(match number {
        1002 | 1010 | 1014 => GatewayError::Unauthorised {
            message: description,
        },
        1005 | 1011 => GatewayError::NotFound {
            message: description,
        },
        // 3006 is "not allowed for this customer or transaction": capturing a
        // cancelled charge, say. It is Openpay's refusal, not the card's.
        3006 => GatewayError::Refused {
            code,
            message: description,
        },
        // The card, its bank or the network said no.
        1007 | 3000..=3999 => GatewayError::Declined {
            code,
            message: description,
            charge_id: None,
        },
        1001 | 1003 | 1009 | 1012 | 2004..=2009 | 2011 => GatewayError::invalid(description),
        1000 | 1004 | 1015 => unavailable(status, description, body.request_id),
        _ if internal || status >= 500 => unavailable(status, description, body.request_id),
        // 1006 (order id used), 2003 (external id used), 1008 (account deactivated),
        // 1013 (operation not allowed), and whatever else Openpay adds.
        _ => GatewayError::Refused {
            code,
            message: description,
        },
    })
}

fn unavailable(status: u16, description: String, request_id: Option<String>) -> GatewayError {
    // The request id is what Openpay's support asks for.
    let message = match request_id {
        Some(id) => format!("{description} (request {id})"),
        None => description,
    };
    GatewayError::Unavailable {
        // A 1004 sent with a 2xx-looking code is still an outage.
        status: if status >= 500 { status } else { 503 },
        message,
        retry_after: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: u64, http: u16, category: &str, description: &str) -> String {
        serde_json::json!({
            "category": category,
            "error_code": code,
            "description": description,
            "http_code": http,
            "request_id": "1981cdb8-19cb-4bad-8256-e95d58bc035c",
        })
        .to_string()
    }

    #[test]
    fn card_errors_are_declines_with_openpay_code_and_description() {
        for code in [3001, 3002, 3003, 3004, 3005, 3009, 1007] {
            match decode(402, &body(code, 402, "gateway", "The card was declined")) {
                Some(GatewayError::Declined {
                    code: c, message, ..
                }) => {
                    assert_eq!(c, code.to_string());
                    assert_eq!(message, "The card was declined");
                }
                other => panic!("{code}: {other:?}"),
            }
        }
    }

    #[test]
    fn general_codes_map_by_meaning() {
        let d = |code, http| decode(http, &body(code, http, "request", "text"));
        assert!(matches!(
            d(1003, 422),
            Some(GatewayError::Validation { .. })
        ));
        assert!(matches!(
            d(1001, 400),
            Some(GatewayError::Validation { .. })
        ));
        assert!(matches!(d(1005, 404), Some(GatewayError::NotFound { .. })));
        assert!(matches!(
            d(1002, 401),
            Some(GatewayError::Unauthorised { .. })
        ));
        match d(1006, 409) {
            Some(GatewayError::Refused { code, .. }) => assert_eq!(code, DUPLICATE_ORDER),
            other => panic!("{other:?}"),
        }
        match d(1004, 503) {
            Some(GatewayError::Unavailable {
                status, message, ..
            }) => {
                assert_eq!(status, 503);
                assert!(message.contains("1981cdb8"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(d(3006, 412), Some(GatewayError::Refused { .. })));
        assert!(matches!(
            d(1000, 500),
            Some(GatewayError::Unavailable { status: 500, .. })
        ));
        assert!(matches!(
            decode(500, &body(9999, 500, "internal", "boom")),
            Some(GatewayError::Unavailable { .. })
        ));
    }

    #[test]
    fn bodies_that_are_not_openpays_are_left_to_the_status() {
        assert!(decode(502, "<html><h1>502 Bad Gateway</h1></html>").is_none());
        assert!(decode(404, r#"{"message":"no route"}"#).is_none());
        assert!(matches!(
            decode(
                409,
                r#"{"category":"request","error_code":"1006","description":"The order_id has already been processed"}"#
            ),
            Some(GatewayError::Refused { .. })
        ));
    }
}
