//! Access tokens: client credentials are exchanged for a JWT at `POST auth/token`, which
//! every other call carries as `Authorization: Bearer`.
//!
//! * A token is fetched on first use and renewed *before* it expires: once less than
//!   [`margin`] of its lifetime is left, the next call renews it, so no request is sent
//!   with a token we know to be stale.
//! * One renewal is shared by all concurrent calls: the slot is a `tokio` mutex held
//!   across the renewal, so callers that arrive meanwhile wait for it and use its result.
//! * Each token has a generation. A call whose token the gateway rejects (401) asks for a
//!   token newer than the one it used; the first such caller renews, the rest find the
//!   newer one already there. The clock that matters is the gateway's, and it may run
//!   ahead of ours (a simulator's clock can be advanced), so a rejection is always
//!   possible and always handled by exactly one renewal and one retry.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::json;
use tokio::sync::Mutex;

use crate::gateway::http::{Auth, Body, HttpClient, Request};
use crate::gateway::retry::retry_transient;
use crate::gateway::{GatewayError, Result};
use crate::secret::Secret;

/// Lifetime assumed when the gateway does not say (`expires_in` missing).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);

/// Longer lifetimes are not believed (and cannot overflow the clock).
const MAX_LIFETIME: Duration = Duration::from_secs(86_400);

/// How long before its end a token of this lifetime is renewed: 10% of it but at least
/// 30 s, and never more than half of it (so a short-lived token is still used).
pub fn margin(lifetime: Duration) -> Duration {
    (lifetime / 10)
        .max(Duration::from_secs(30))
        .min(lifetime / 2)
}

/// A client carrying the current token, and which token that is.
#[derive(Debug, Clone)]
pub struct Authed {
    pub http: HttpClient,
    pub generation: u64,
}

struct Held {
    http: HttpClient,
    generation: u64,
    renew_at: Instant,
}

impl Held {
    fn authed(&self) -> Authed {
        Authed {
            http: self.http.clone(),
            generation: self.generation,
        }
    }

    fn fresh(&self) -> bool {
        Instant::now() < self.renew_at
    }
}

/// The token endpoint's answer; the token goes straight into a `Secret`.
#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
    token_type: Option<String>,
    expires_in: Option<serde_json::Value>,
}

pub struct Tokens {
    /// Without credentials: the token endpoint's and the base of every bearer client.
    http: HttpClient,
    client_id: String,
    client_secret: Secret,
    slot: Mutex<Option<Held>>,
    /// Requests sent to the token endpoint, retries included.
    asked: AtomicU64,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl Tokens {
    /// `http` must use [`Auth::None`].
    pub fn new(http: HttpClient, client_id: String, client_secret: Secret) -> Tokens {
        Tokens {
            http,
            client_id,
            client_secret,
            slot: Mutex::new(None),
            asked: AtomicU64::new(0),
        }
    }

    /// How many token requests were sent so far.
    pub fn requests(&self) -> u64 {
        self.asked.load(Ordering::Relaxed)
    }

    /// The client without a token, for the token endpoint.
    pub fn anonymous(&self) -> &HttpClient {
        &self.http
    }

    /// A client with a token that is not about to expire.
    pub async fn current(&self) -> Result<Authed> {
        let mut slot = self.slot.lock().await;
        match slot.as_ref() {
            Some(held) if held.fresh() => Ok(held.authed()),
            _ => self.renew(&mut slot).await,
        }
    }

    /// A client with a token newer than `rejected`, which the gateway refused.
    pub async fn after_rejection(&self, rejected: u64) -> Result<Authed> {
        let mut slot = self.slot.lock().await;
        match slot.as_ref() {
            Some(held) if held.generation > rejected && held.fresh() => Ok(held.authed()),
            _ => self.renew(&mut slot).await,
        }
    }

    async fn renew(&self, slot: &mut Option<Held>) -> Result<Authed> {
        let generation = slot.as_ref().map_or(1, |h| h.generation + 1);
        let mut request = Request::post("auth/token");
        request.body = Body::Json(json!({
            "client_id": self.client_id,
            "client_secret": self.client_secret.expose(),
        }));
        // Asking for a token twice does no harm, so it is retried like a read.
        let asked = Instant::now();
        let response = retry_transient(self.http.retry_policy(), || {
            self.asked.fetch_add(1, Ordering::Relaxed);
            self.http.send(&request)
        })
        .await?;
        let body: TokenBody = serde_json::from_slice(&response.body).map_err(|e| {
            // The body holds a token: say what was wrong, never what it said.
            GatewayError::Malformed {
                status: response.status,
                detail: format!("token response: {}", e.classify_name()),
                body: String::new(),
            }
        })?;
        if let Some(kind) = &body.token_type
            && !kind.eq_ignore_ascii_case("bearer")
        {
            return Err(GatewayError::Malformed {
                status: response.status,
                detail: format!("token type {kind:?}, not Bearer"),
                body: String::new(),
            });
        }
        let lifetime = body
            .expires_in
            .as_ref()
            .and_then(seconds)
            .unwrap_or(DEFAULT_LIFETIME)
            .min(MAX_LIFETIME);
        let held = Held {
            http: self
                .http
                .with_auth(Auth::Bearer(Secret::new(body.access_token))),
            generation,
            // Counted from when we asked, so time spent on the way only shortens it.
            renew_at: asked + lifetime - margin(lifetime),
        };
        tracing::debug!(
            generation,
            lifetime_s = lifetime.as_secs(),
            "new access token"
        );
        let authed = held.authed();
        *slot = Some(held);
        Ok(authed)
    }
}

/// `3600` or `"3600"`.
fn seconds(value: &serde_json::Value) -> Option<Duration> {
    let n = match value {
        serde_json::Value::Number(n) => n.as_u64()?,
        serde_json::Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    Some(Duration::from_secs(n))
}

trait Classify {
    fn classify_name(&self) -> &'static str;
}

impl Classify for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "unreadable",
            serde_json::error::Category::Syntax => "not JSON",
            serde_json::error::Category::Data => "missing or wrong fields",
            serde_json::error::Category::Eof => "cut short",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_renewed_well_before_they_expire() {
        let s = Duration::from_secs;
        assert_eq!(margin(s(3600)), s(360));
        assert_eq!(margin(s(300)), s(30));
        assert_eq!(margin(s(40)), s(20));
        assert_eq!(margin(s(0)), s(0));
    }

    #[test]
    fn lifetimes_are_read_as_numbers_or_strings() {
        assert_eq!(seconds(&json!(3600)), Some(Duration::from_secs(3600)));
        assert_eq!(seconds(&json!("60")), Some(Duration::from_secs(60)));
        assert_eq!(seconds(&json!(-1)), None);
        assert_eq!(seconds(&json!(null)), None);
    }
}
