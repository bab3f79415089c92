//! Openpay's error object: `{category, error_code, description, http_code,
//! request_id}` with the documented numeric codes (see `docs/openpay.md`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::sim::faults::FaultReplies;
use crate::sim::form::FormError;
use crate::sim::respond;

/// One Openpay error (boxed so results stay small).
#[derive(Debug, Clone)]
pub(crate) struct OpenpayError(Box<Detail>);

#[derive(Debug, Clone)]
pub(crate) struct Detail {
    pub status: StatusCode,
    pub code: u16,
    pub category: &'static str,
    pub description: String,
}

pub(crate) type OpenpayResult = Result<Response, OpenpayError>;

impl OpenpayError {
    fn new(status: StatusCode, code: u16, category: &'static str, description: String) -> Self {
        OpenpayError(Box::new(Detail {
            status,
            code,
            category,
            description,
        }))
    }

    /// 1000, 500: something went wrong inside the simulator.
    pub fn internal(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            1000,
            "internal",
            description.into(),
        )
    }

    /// 1001, 400: not JSON, a field of the wrong format, or a required field missing.
    pub fn bad_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, 1001, "request", description.into())
    }

    /// 1002, 401: no key, a wrong key or a wrong merchant id.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            1002,
            "request",
            "The api key or merchant id are invalid".to_string(),
        )
    }

    /// 1003, 422: well-formed parameters whose values cannot be processed.
    pub fn unprocessable(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            1003,
            "request",
            description.into(),
        )
    }

    /// 1005, 404: a resource that does not exist.
    pub fn not_found(description: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, 1005, "request", description.into())
    }

    /// 1006, 409: the `order_id` was already used by another transaction.
    pub fn duplicate_order(order_id: &str) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            1006,
            "request",
            format!("The order_id '{order_id}' has already been processed"),
        )
    }

    /// 409 with a storage code: 2002 (card already stored on the customer),
    /// 2003 (customer `external_id` already used).
    pub fn conflict(code: u16, description: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, "request", description.into())
    }

    /// 2004, 422: the card number fails the Luhn check.
    pub fn luhn() -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            2004,
            "request",
            "The card number verification digit is invalid".to_string(),
        )
    }

    /// 2005, 400: the expiry date is in the past.
    pub fn expired_date() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            2005,
            "request",
            "The expiration date has expired".to_string(),
        )
    }

    /// 2006, 400: `cvv2` was not given with a card.
    pub fn cvv_missing() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            2006,
            "request",
            "The CVV2 security code is required".to_string(),
        )
    }

    /// 3001..3005 (402) and 3006 (412): the card network's answer, or an
    /// operation the transaction's state does not allow.
    pub fn card(code: u16, description: impl Into<String>) -> Self {
        let status = if code == 3006 || code == 3008 || code == 3012 {
            StatusCode::PRECONDITION_FAILED
        } else {
            StatusCode::PAYMENT_REQUIRED
        };
        let category = if code == 3006 { "request" } else { "gateway" };
        Self::new(status, code, category, description.into())
    }

    /// 3006, 412: the operation is not allowed for this transaction.
    pub fn not_allowed(description: impl Into<String>) -> Self {
        Self::card(3006, description)
    }

    pub fn body(&self, request_id: &str) -> serde_json::Value {
        let d = &self.0;
        json!({
            "category": d.category,
            "description": d.description,
            "http_code": d.status.as_u16(),
            "error_code": d.code,
            "request_id": request_id,
        })
    }
}

impl From<FormError> for OpenpayError {
    fn from(e: FormError) -> Self {
        OpenpayError::bad_request(format!("Bad Request: {e}"))
    }
}

impl IntoResponse for OpenpayError {
    fn into_response(self) -> Response {
        let id = uuid::Uuid::new_v4().to_string();
        respond::json(self.0.status, &self.body(&id))
    }
}

/// Openpay's error object for injected faults: 429 (Openpay documents none;
/// the body says 1004, service unavailable), 500 / 1000 and 503 / 1004.
pub(crate) static FAULT_REPLIES: FaultReplies = FaultReplies {
    rate_limited: |retry_after| {
        fault(
            StatusCode::TOO_MANY_REQUESTS,
            1004,
            "gateway",
            &format!("Too many requests. Please retry after {retry_after} seconds."),
        )
    },
    rate_limited_headers: &[],
    internal: || {
        fault(
            StatusCode::INTERNAL_SERVER_ERROR,
            1000,
            "internal",
            "Internal server error, contact support",
        )
    },
    unavailable: || {
        fault(
            StatusCode::SERVICE_UNAVAILABLE,
            1004,
            "internal",
            "The resource is unavailable at this moment. Please try again later",
        )
    },
};

fn fault(status: StatusCode, code: u16, category: &str, description: &str) -> serde_json::Value {
    json!({
        "category": category,
        "description": description,
        "http_code": status.as_u16(),
        "error_code": code,
        "request_id": uuid::Uuid::new_v4().to_string(),
    })
}
