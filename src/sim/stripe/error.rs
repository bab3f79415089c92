//! Stripe's error object (reference §7): `{"error": {type, code, message, param, ...}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::respond_json;
use crate::sim::faults::FaultReplies;
use crate::sim::form::FormError;

/// Marks a response the idempotency layer must not store (the request was
/// rejected before the endpoint executed: validation, missing objects).
#[derive(Clone, Copy, Debug)]
pub(crate) struct NoStore;

/// A Stripe error (boxed: results stay small).
#[derive(Debug, Clone)]
pub(crate) struct StripeError(Box<Detail>);

#[derive(Debug, Clone)]
pub(crate) struct Detail {
    pub status: StatusCode,
    pub kind: &'static str,
    pub code: Option<String>,
    pub message: String,
    pub param: Option<String>,
    pub decline_code: Option<String>,
    pub charge: Option<String>,
    /// Whether an idempotency key keeps this result (endpoint logic ran).
    pub store: bool,
}

pub(crate) type StripeResult = Result<Response, StripeError>;

impl StripeError {
    fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        StripeError(Box::new(Detail {
            status,
            kind,
            code: None,
            message: message.into(),
            param: None,
            decline_code: None,
            charge: None,
            store: false,
        }))
    }

    /// Replace the message.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.0.message = message.into();
        self
    }

    /// 400 `invalid_request_error` from validation (not stored).
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request_error", message)
    }

    pub fn code(mut self, code: &str) -> Self {
        self.0.code = Some(code.to_string());
        self
    }

    pub fn param(mut self, param: &str) -> Self {
        self.0.param = Some(param.to_string());
        self
    }

    /// The endpoint ran: an idempotency key keeps this result.
    pub fn stored(mut self) -> Self {
        self.0.store = true;
        self
    }

    /// 500 `api_error`: the simulator cannot answer (a total too large).
    pub fn api(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "api_error", message)
    }

    /// 400 from the state machine (already captured, over-refund...): stored.
    pub fn state(code: &str, message: impl Into<String>) -> Self {
        Self::invalid(message).code(code).stored()
    }

    /// 404 `resource_missing`: "No such charge: 'ch_x'".
    pub fn missing(kind: &str, id: &str, param: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            format!("No such {kind}: '{id}'"),
        )
        .code("resource_missing")
        .param(param)
    }

    /// 402 `card_error` for a declined charge that was stored. Errors about one
    /// card field name it in `param`, as Stripe does (`cvc`, `exp_month`).
    pub fn card(code: &str, decline_code: Option<&str>, message: &str, charge: &str) -> Self {
        let mut e = Self::new(StatusCode::PAYMENT_REQUIRED, "card_error", message)
            .code(code)
            .stored();
        match code {
            "incorrect_cvc" | "invalid_cvc" => e = e.param("cvc"),
            "expired_card" => e = e.param("exp_month"),
            _ => {}
        }
        e.0.decline_code = decline_code.map(str::to_string);
        e.0.charge = Some(charge.to_string());
        e
    }

    /// 402 `card_error` rejected before any charge exists (bad number).
    pub fn card_rejected(code: &str, message: &str, param: &str) -> Self {
        Self::new(StatusCode::PAYMENT_REQUIRED, "card_error", message)
            .code(code)
            .param(param)
    }

    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_request_error", message)
    }

    pub fn idempotency(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "idempotency_error", message)
    }

    pub fn in_flight(key: &str) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "invalid_request_error",
            format!(
                "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): {key}. Please try again later."
            ),
        )
        .code("idempotency_key_in_use")
    }

    pub fn unrecognized(method: &str, path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            format!(
                "Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/."
            ),
        )
    }

    pub fn body(&self) -> Value {
        let d = &self.0;
        let mut e = Map::new();
        e.insert("type".into(), json!(d.kind));
        e.insert("message".into(), json!(d.message));
        if let Some(code) = &d.code {
            e.insert("code".into(), json!(code));
            e.insert(
                "doc_url".into(),
                json!(format!(
                    "https://stripe.com/docs/error-codes/{}",
                    code.replace('_', "-")
                )),
            );
        }
        if let Some(p) = &d.param {
            e.insert("param".into(), json!(p));
        }
        if let Some(dc) = &d.decline_code {
            e.insert("decline_code".into(), json!(dc));
        }
        if let Some(c) = &d.charge {
            e.insert("charge".into(), json!(c));
        }
        json!({ "error": e })
    }
}

impl From<FormError> for StripeError {
    fn from(e: FormError) -> Self {
        StripeError::invalid(format!("Invalid request: {e}"))
    }
}

impl IntoResponse for StripeError {
    fn into_response(self) -> Response {
        let mut r = respond_json(self.0.status, &self.body());
        if !self.0.store {
            r.extensions_mut().insert(NoStore);
        }
        r
    }
}

/// Stripe-shaped injected faults: 429 `rate_limit` with
/// `Stripe-Rate-Limited-Reason` (and `Retry-After`, which real Stripe does not
/// document but which costs a client nothing), 500/503 `api_error`.
pub(crate) static FAULT_REPLIES: FaultReplies = FaultReplies {
    rate_limited: |_| json!({"error": {"type": "invalid_request_error", "code": "rate_limit", "message": "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.", "doc_url": "https://stripe.com/docs/error-codes/rate-limit"}}),
    rate_limited_headers: &[("stripe-rate-limited-reason", "global-rate")],
    internal: api_error,
    unavailable: api_error,
};

fn api_error() -> Value {
    json!({"error": {"type": "api_error", "message": "An unknown error occurred while processing your request. Please try again."}})
}
