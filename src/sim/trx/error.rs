//! The TRX error object: `{"error": {"code", "message", "field"?}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::sim::faults::FaultReplies;
use crate::sim::form::FormError;
use crate::sim::ledger::LedgerError;
use crate::sim::respond;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TrxError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
}

pub(crate) type TrxResult<T> = Result<T, TrxError>;

impl TrxError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        TrxError {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        TrxError {
            field: Some(field.to_string()),
            ..Self::new(StatusCode::BAD_REQUEST, "invalid_request", message)
        }
    }

    pub fn bad_body(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", message)
    }

    pub fn invalid_client() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Unknown client_id or wrong client_secret",
        )
    }

    pub fn invalid_token(message: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_token", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn duplicate_order(order_id: &str) -> Self {
        TrxError {
            field: Some("order_id".to_string()),
            ..Self::new(
                StatusCode::CONFLICT,
                "duplicate_order_id",
                format!("A transaction with order_id {order_id} already exists"),
            )
        }
    }

    pub fn invalid_state(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_state", message)
    }

    /// 500 `server_error`: the simulator cannot answer truthfully.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "server_error", message)
    }

    pub fn amount_exceeds(message: impl Into<String>) -> Self {
        TrxError {
            field: Some("amount".to_string()),
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "amount_exceeds", message)
        }
    }
}

impl From<FormError> for TrxError {
    fn from(e: FormError) -> Self {
        TrxError::bad_body(e.to_string())
    }
}

impl From<LedgerError> for TrxError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::NotFound { .. } => TrxError::not_found(e.to_string()),
            LedgerError::CaptureExceedsAuthorised { .. }
            | LedgerError::RefundExceedsCaptured { .. } => TrxError::amount_exceeds(e.to_string()),
            LedgerError::NonPositiveAmount => TrxError::invalid("amount", e.to_string()),
            _ => TrxError::invalid_state(e.to_string()),
        }
    }
}

impl IntoResponse for TrxError {
    fn into_response(self) -> Response {
        let mut err = json!({"code": self.code, "message": self.message});
        if let Some(f) = self.field {
            err["field"] = json!(f);
        }
        respond::json(self.status, &json!({ "error": err }))
    }
}

/// The TRX error object for injected faults: 429 `rate_limited`, 500/503
/// `server_error`.
pub(crate) static FAULT_REPLIES: FaultReplies = FaultReplies {
    rate_limited: |retry_after| json!({"error": {"code": "rate_limited", "message": format!("Too many requests. Please retry after {retry_after} seconds.")}}),
    rate_limited_headers: &[],
    internal: server_error,
    unavailable: server_error,
};

fn server_error() -> serde_json::Value {
    json!({"error": {"code": "server_error", "message": "An internal error occurred. Please try again."}})
}
