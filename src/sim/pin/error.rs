//! Pin error bodies (reference §3) and the mapping from ledger errors.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::sim::common::pin_shaped;
use crate::sim::faults::FaultReplies;
use crate::sim::form::FormError;
use crate::sim::ledger::LedgerError;
use crate::sim::respond;

/// One validation message: `{param, code, message}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub param: String,
    pub code: String,
    pub message: String,
}

impl Msg {
    /// `code` is derived from `param` as Pin does: dots become underscores + `_invalid`.
    pub fn new(param: &str, message: impl Into<String>) -> Self {
        Msg {
            param: param.to_string(),
            code: format!("{}_invalid", param.replace('.', "_")),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PinError {
    #[error("not found")]
    NotFound,
    #[error("unauthenticated")]
    Unauthenticated,
    #[error("invalid resource")]
    Invalid(Vec<Msg>),
    /// A 4xx with a plain `error`/`error_description` pair.
    #[error("{error}: {description}")]
    Plain {
        status: StatusCode,
        error: &'static str,
        description: String,
    },
    /// A stored but failed charge (400, or 502 for `gateway_error`).
    #[error("charge failed: {code}")]
    ChargeFailed {
        code: String,
        message: String,
        charge_token: String,
    },
}

impl PinError {
    pub fn invalid(param: &str, message: impl Into<String>) -> Self {
        PinError::Invalid(vec![Msg::new(param, message)])
    }
}

impl From<FormError> for PinError {
    fn from(e: FormError) -> Self {
        PinError::Plain {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_request",
            description: e.to_string(),
        }
    }
}

impl From<LedgerError> for PinError {
    fn from(e: LedgerError) -> Self {
        let state = |e: &LedgerError| PinError::Plain {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_state",
            description: e.to_string(),
        };
        match e {
            LedgerError::NotFound { .. } => PinError::NotFound,
            LedgerError::AlreadyCaptured
            | LedgerError::Voided
            | LedgerError::Expired
            | LedgerError::Declined
            | LedgerError::PendingAuthentication
            | LedgerError::NotCaptured => state(&e),
            LedgerError::AmountMismatch { expected, .. }
            | LedgerError::CaptureExceedsAuthorised {
                authorised: expected,
                ..
            } => PinError::invalid(
                "amount",
                format!("Amount must equal the authorised amount of {expected}"),
            ),
            LedgerError::RefundExceedsCaptured { .. } => PinError::invalid(
                "amount",
                "You have tried to refund more than the original charge",
            ),
            LedgerError::NonPositiveAmount => {
                PinError::invalid("amount", "Amount must be greater than 0")
            }
            LedgerError::CardTokenUsed => {
                PinError::invalid("card_token", "Card token has already been used")
            }
            LedgerError::CardNotOwned => PinError::invalid("card_token", "Invalid card token"),
            LedgerError::PrimaryCard => PinError::Plain {
                status: StatusCode::BAD_REQUEST,
                error: "cannot_delete_primary_card",
                description: e.to_string(),
            },
            LedgerError::NotCancellable(_) | LedgerError::DisputeNotOpen(_) => PinError::Plain {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                error: "invalid_request",
                description: e.to_string(),
            },
        }
    }
}

impl IntoResponse for PinError {
    fn into_response(self) -> Response {
        let (status, body): (StatusCode, Value) = match self {
            PinError::NotFound => pin_shaped::not_found(),
            PinError::Unauthenticated => pin_shaped::unauthenticated(),
            PinError::Invalid(msgs) => pin_shaped::invalid(
                msgs.iter()
                    .map(|m| json!({"param": m.param, "code": m.code, "message": m.message}))
                    .collect(),
            ),
            PinError::Plain {
                status,
                error,
                description,
            } => pin_shaped::plain(status, error, &description),
            PinError::ChargeFailed {
                code,
                message,
                charge_token,
            } => (
                if code == "gateway_error" {
                    StatusCode::BAD_GATEWAY
                } else {
                    StatusCode::BAD_REQUEST
                },
                json!({"error": code, "error_description": message, "charge_token": charge_token}),
            ),
        };
        respond::json(status, &body)
    }
}

/// Pin-shaped injected faults: 429 `too_many_requests`, 500
/// `internal_server_error`, 503 `service_unavailable`.
pub(crate) static FAULT_REPLIES: FaultReplies = FaultReplies {
    rate_limited: |retry_after| json!({"error": "too_many_requests", "error_description": format!("Too many requests. Please retry after {retry_after} seconds.")}),
    rate_limited_headers: &[],
    internal: || json!({"error": "internal_server_error", "error_description": "Sorry, an unknown error has occurred. This is being investigated"}),
    unavailable: || json!({"error": "service_unavailable", "error_description": "The service is temporarily unavailable. Please try again."}),
};
