//! Every way a gateway call can fail, in terms the UI can phrase precisely.

use std::time::Duration;

use crate::money::MoneyError;

/// One field the gateway rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum GatewayError {
    #[error("the gateway did not accept the API key: {message}")]
    Unauthorised { message: String },
    #[error("not found: {message}")]
    NotFound { message: String },
    #[error("declined: {message} ({code})")]
    Declined {
        code: String,
        message: String,
        /// Gateways that store failed charges say which one.
        charge_id: Option<String>,
    },
    #[error("{}", validation_text(message, fields))]
    Validation {
        message: String,
        fields: Vec<FieldError>,
    },
    /// The request was understood and refused, e.g. capturing a voided charge.
    #[error("{message}")]
    Refused { code: String, message: String },
    #[error("rate limited by the gateway{}", wait_text(retry_after))]
    RateLimited { retry_after: Option<Duration> },
    #[error("the gateway is unavailable (HTTP {status}): {message}")]
    Unavailable {
        status: u16,
        message: String,
        retry_after: Option<Duration>,
    },
    #[error("the gateway did not answer in time")]
    Timeout,
    #[error("could not reach the gateway: {message}")]
    Connection {
        message: String,
        /// True when the request certainly never reached the gateway.
        before_send: bool,
    },
    /// The body is kept for the log; it never holds our key.
    #[error("the gateway sent a response paydeck cannot read (HTTP {status}): {detail}")]
    Malformed {
        status: u16,
        detail: String,
        body: String,
    },
    #[error("HTTP {status} from the gateway: {message}")]
    Http { status: u16, message: String },
    /// A write may or may not have happened and the gateway could not be asked.
    #[error(
        "could not confirm whether the {operation} happened: {last}; check the gateway before trying again"
    )]
    Unconfirmed {
        operation: String,
        last: Box<GatewayError>,
    },
    #[error("this gateway does not support {0}")]
    Unsupported(&'static str),
    #[error(transparent)]
    Money(#[from] MoneyError),
}

fn validation_text(message: &str, fields: &[FieldError]) -> String {
    if fields.is_empty() {
        return message.to_string();
    }
    let detail: Vec<String> = fields
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect();
    format!("{message} ({})", detail.join("; "))
}

fn wait_text(retry_after: &Option<Duration>) -> String {
    retry_after.map_or_else(String::new, |d| {
        format!("; retry in {}s", d.as_secs().max(1))
    })
}

impl GatewayError {
    /// Worth trying again later: the gateway or the network was unhappy, not the request.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            GatewayError::RateLimited { .. }
                | GatewayError::Unavailable { .. }
                | GatewayError::Timeout
                | GatewayError::Connection { .. }
                | GatewayError::Malformed { .. }
        )
    }

    /// A failed write that certainly did not change anything at the gateway.
    pub fn certainly_not_applied(&self) -> bool {
        match self {
            GatewayError::Connection { before_send, .. } => *before_send,
            GatewayError::RateLimited { .. } => true,
            other => !other.is_transient(),
        }
    }

    /// How long the gateway asked us to wait, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            GatewayError::RateLimited { retry_after }
            | GatewayError::Unavailable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}
