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
    /// The answer started but came too slowly (drip-fed, or stalled part-way): the
    /// read timeout ended it.
    #[error(
        "the gateway sent its answer too slowly: the read timed out after {}",
        size_words(*received)
    )]
    SlowBody { received: u64 },
    /// The answer was longer than paydeck reads from that endpoint; reading stopped at
    /// the limit.
    #[error("the gateway sent more than {}", size_words(*limit))]
    TooLarge { limit: u64 },
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
        format!("; it asked for a wait of {}", wait_words(d))
    })
}

/// `45 s`, `12 min`, `3 h`, `11574 days`: a wait as people say it, rounded down.
pub fn wait_words(wait: Duration) -> String {
    let secs = wait.as_secs().max(1);
    match secs {
        0..120 => format!("{secs} s"),
        120..7_200 => format!("{} min", secs / 60),
        7_200..172_800 => format!("{} h", secs / 3_600),
        _ => format!("{} days", secs / 86_400),
    }
}

/// `512 bytes`, `64 KB`, `4 MB` (of 1024), rounded down.
pub fn size_words(bytes: u64) -> String {
    const KB: u64 = 1024;
    match bytes {
        0..KB => format!("{bytes} bytes"),
        KB..1_048_576 => format!("{} KB", bytes / KB),
        _ => format!("{} MB", bytes / (KB * KB)),
    }
}

/// Errors an adapter makes itself, about what the gateway answered.
impl GatewayError {
    /// A refusal with the gateway's `code`, or paydeck's own refusal to ask.
    pub fn refused(code: &str, message: String) -> GatewayError {
        GatewayError::Refused {
            code: code.into(),
            message,
        }
    }

    /// Input paydeck will not send, or the gateway refused, with no field named.
    pub fn invalid(message: impl Into<String>) -> GatewayError {
        GatewayError::Validation {
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// Whether this is the gateway's refusal with `code`.
    pub fn is_refusal(&self, code: &str) -> bool {
        matches!(self, GatewayError::Refused { code: c, .. } if c == code)
    }

    /// A write the gateway answered with success but whose result cannot be
    /// identified: it happened, so it must not be sent again, and the operator has to
    /// look.
    pub fn unidentified(operation: &str, detail: &str) -> GatewayError {
        GatewayError::Unconfirmed {
            operation: operation.to_string(),
            last: Box::new(GatewayError::Malformed {
                status: 200,
                detail: detail.to_string(),
                body: String::new(),
            }),
        }
    }
}

/// Field errors kept from one answer: enough to say what to fix.
const MAX_FIELD_ERRORS: usize = 20;

impl GatewayError {
    /// The same error with every text from the gateway [`clipped`] and at most
    /// [`MAX_FIELD_ERRORS`] field errors: what an error object decodes to is shown to
    /// the operator and logged, so it must stay short whatever the gateway sent.
    pub fn clipped(self) -> GatewayError {
        use GatewayError as E;
        match self {
            E::Unauthorised { message } => E::Unauthorised {
                message: clipped(message),
            },
            E::NotFound { message } => E::NotFound {
                message: clipped(message),
            },
            E::Declined {
                code,
                message,
                charge_id,
            } => E::Declined {
                code: clipped(code),
                message: clipped(message),
                charge_id: charge_id.map(clipped),
            },
            E::Validation { message, fields } => E::Validation {
                message: clipped(message),
                fields: fields
                    .into_iter()
                    .take(MAX_FIELD_ERRORS)
                    .map(|f| FieldError {
                        field: clipped(f.field),
                        message: clipped(f.message),
                    })
                    .collect(),
            },
            E::Refused { code, message } => E::Refused {
                code: clipped(code),
                message: clipped(message),
            },
            E::Unavailable {
                status,
                message,
                retry_after,
            } => E::Unavailable {
                status,
                message: clipped(message),
                retry_after,
            },
            E::Connection {
                message,
                before_send,
            } => E::Connection {
                message: clipped(message),
                before_send,
            },
            E::Malformed {
                status,
                detail,
                body,
            } => E::Malformed {
                status,
                detail: clipped(detail),
                body,
            },
            E::Http { status, message } => E::Http {
                status,
                message: clipped(message),
            },
            E::Unconfirmed { operation, last } => E::Unconfirmed {
                operation,
                last: Box::new(last.clipped()),
            },
            other @ (E::RateLimited { .. }
            | E::Timeout
            | E::SlowBody { .. }
            | E::TooLarge { .. }
            | E::Unsupported(_)
            | E::Money(_)) => other,
        }
    }

    /// Worth trying again later: the gateway or the network was unhappy, not the request.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            GatewayError::RateLimited { .. }
                | GatewayError::Unavailable { .. }
                | GatewayError::Timeout
                | GatewayError::SlowBody { .. }
                | GatewayError::Connection { .. }
                | GatewayError::Malformed { .. }
        )
    }

    /// A failed write that certainly did not change anything at the gateway.
    pub fn certainly_not_applied(&self) -> bool {
        match self {
            GatewayError::Connection { before_send, .. } => *before_send,
            GatewayError::RateLimited { .. } => true,
            // The gateway answered, at length: whatever it did, it did.
            GatewayError::TooLarge { .. } => false,
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

/// Text from a gateway's answer (a decoder's complaint quoting the body, an error
/// object's message) cut to a length an operator can read, whatever the body held.
pub fn clipped(text: impl std::fmt::Display) -> String {
    const MAX_CHARS: usize = 300;
    let text = text.to_string();
    match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}
