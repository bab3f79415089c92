//! The admin routes' error bodies, whichever dialect's key was used. They have
//! the shape of Pin's (`error`, `error_description`, `messages[]`), as they
//! always had, and must keep it: clients and tests read those fields.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::sim::common::pin_shaped;
use crate::sim::form::FormError;
use crate::sim::respond;

#[derive(Debug, thiserror::Error)]
pub(crate) enum AdminError {
    /// 404: no such admin route.
    #[error("not found")]
    NotFound,
    /// 401: no key of any dialect.
    #[error("unauthenticated")]
    Unauthenticated,
    /// 422: one parameter is unusable.
    #[error("{param}: {message}")]
    Invalid {
        param: &'static str,
        message: String,
    },
    /// 400: one parameter is unusable, where the route says 400 (the bank's).
    #[error("{param}: {message}")]
    Refused {
        param: &'static str,
        message: String,
    },
    /// 400: the query string could not be read.
    #[error(transparent)]
    Form(#[from] FormError),
}

impl AdminError {
    pub fn invalid(param: &'static str, message: impl Into<String>) -> Self {
        AdminError::Invalid {
            param,
            message: message.into(),
        }
    }

    pub fn refused(param: &'static str, message: impl Into<String>) -> Self {
        AdminError::Refused {
            param,
            message: message.into(),
        }
    }

    /// The same error, but a 400 where it was a 422.
    pub fn refused_as_is(self) -> Self {
        match self {
            AdminError::Invalid { param, message } => AdminError::Refused { param, message },
            other => other,
        }
    }
}

fn message_of(param: &str, message: String) -> serde_json::Value {
    json!({"param": param, "code": format!("{param}_invalid"), "message": message})
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            AdminError::NotFound => pin_shaped::not_found(),
            AdminError::Unauthenticated => pin_shaped::unauthenticated(),
            AdminError::Invalid { param, message } => {
                pin_shaped::invalid(vec![message_of(param, message)])
            }
            AdminError::Refused { param, message } => {
                let (_, body) = pin_shaped::invalid(vec![message_of(param, message)]);
                (StatusCode::BAD_REQUEST, body)
            }
            AdminError::Form(e) => {
                pin_shaped::plain(StatusCode::BAD_REQUEST, "invalid_request", &e.to_string())
            }
        };
        respond::json(status, &body)
    }
}
