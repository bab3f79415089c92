//! The one HTTP layer every adapter uses: authentication, timeouts, retries of reads,
//! and turning transport failures and error statuses into `GatewayError`s. Adapters
//! describe requests and decode their own error bodies; nothing else.

use std::sync::Once;
use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::error::GatewayError;
use super::retry::{RetryPolicy, retry_transient};
use crate::secret::Secret;

/// How an adapter's requests are authenticated.
#[derive(Debug, Clone)]
pub enum Auth {
    /// HTTP Basic with the key as user and an empty password (Pin, Openpay).
    BasicKey(Secret),
    Bearer(Secret),
    /// Nothing added: for token endpoints, whose credentials travel in the body.
    None,
}

/// Reads the gateway's own error body; `None` leaves the status to the generic mapping.
pub type ErrorDecoder = fn(status: u16, body: &str) -> Option<GatewayError>;

#[derive(Debug, Clone, Copy)]
pub struct HttpConfig {
    pub connect_timeout: Duration,
    /// The whole request, body included.
    pub timeout: Duration,
    /// The longest silence while the body arrives; a stalled body ends here rather
    /// than at `timeout`.
    pub read_timeout: Duration,
    /// The most read of one object's answer; reading stops there.
    pub max_body: usize,
    /// The most read of a page of a list ([`Request::list`]), whose answers are larger.
    pub max_list_body: usize,
    pub retry: RetryPolicy,
}

/// The most of an error answer read: enough for any gateway's error object or a
/// proxy's HTML page, and the rest is not worth waiting for.
const MAX_ERROR_BODY: usize = 64 * 1024;

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            read_timeout: Duration::from_secs(10),
            max_body: 4 * 1024 * 1024,
            max_list_body: 16 * 1024 * 1024,
            retry: RetryPolicy::default(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Body {
    Empty,
    Form(Vec<(String, String)>),
    Json(serde_json::Value),
}

/// One request, relative to the adapter's base URL.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Body,
    pub headers: Vec<(&'static str, String)>,
    /// A page of a list: its answer may be as large as `HttpConfig::max_list_body`.
    pub list: bool,
}

impl Request {
    pub fn new(method: Method, path: impl Into<String>) -> Request {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            body: Body::Empty,
            headers: Vec::new(),
            list: false,
        }
    }

    /// Marks a request for a page of a list, whose answer may be larger.
    pub fn list(mut self) -> Request {
        self.list = true;
        self
    }

    pub fn get(path: impl Into<String>) -> Request {
        Request::new(Method::GET, path)
    }

    pub fn post(path: impl Into<String>) -> Request {
        Request::new(Method::POST, path)
    }

    pub fn put(path: impl Into<String>) -> Request {
        Request::new(Method::PUT, path)
    }

    pub fn delete(path: impl Into<String>) -> Request {
        Request::new(Method::DELETE, path)
    }

    pub fn query(mut self, key: &str, value: impl ToString) -> Request {
        self.query.push((key.to_string(), value.to_string()));
        self
    }

    pub fn form(mut self, fields: Vec<(String, String)>) -> Request {
        self.body = Body::Form(fields);
        self
    }

    pub fn json(mut self, body: serde_json::Value) -> Request {
        self.body = Body::Json(body);
        self
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Request {
        self.headers.push((name, value.into()));
        self
    }
}

#[cfg(test)]
impl Request {
    /// The value of a query parameter, for tests of what a request asks.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An id as one segment of a request's path: every byte but `A-Z a-z 0-9 - . _ ~`
/// percent-encoded, so an id holding `/`, `?`, `#` or `%` cannot name another endpoint.
/// An id that is empty or only dots would still move along the path (`..`): it is no
/// id at all.
pub fn segment(id: &str) -> Result<String, GatewayError> {
    if id.bytes().all(|b| b == b'.') {
        return Err(GatewayError::NotFound {
            message: super::error::clipped(format_args!("{id:?} is not an id")),
        });
    }
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(out)
}

/// A successful (2xx) response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub body: bytes::Bytes,
}

impl Response {
    /// The body as `T`, or a typed error that keeps the body for the log.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, GatewayError> {
        serde_json::from_slice(&self.body).map_err(|e| GatewayError::Malformed {
            status: self.status,
            detail: super::error::clipped(&e),
            body: body_for_log(&self.body),
        })
    }
}

#[derive(Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    base: String,
    auth: Auth,
    config: HttpConfig,
    decode: ErrorDecoder,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("base", &self.base)
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

static CRYPTO: Once = Once::new();

/// Installs the TLS crypto provider (ring) for every `reqwest` client in the process.
/// `HttpClient::new` calls it; code that builds a bare `reqwest::Client` calls it first.
pub fn install_crypto_provider() {
    CRYPTO.call_once(|| {
        // Only fails when another provider is already installed, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl HttpClient {
    pub fn new(
        base: &str,
        auth: Auth,
        config: HttpConfig,
        decode: ErrorDecoder,
    ) -> Result<HttpClient, GatewayError> {
        install_crypto_provider();
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(concat!("paydeck/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| GatewayError::Connection {
                message: format!("cannot set up HTTP: {e}"),
                before_send: true,
            })?;
        Ok(HttpClient {
            client,
            base: base.trim_end_matches('/').to_string(),
            auth,
            config,
            decode,
        })
    }

    /// The same client (and connection pool) with other credentials: a fresh token.
    pub fn with_auth(&self, auth: Auth) -> HttpClient {
        HttpClient {
            auth,
            ..self.clone()
        }
    }

    pub fn retry_policy(&self) -> RetryPolicy {
        self.config.retry
    }

    /// One attempt, no retries: what writes use, under `write_once`.
    pub async fn send(&self, request: &Request) -> Result<Response, GatewayError> {
        let url = format!("{}/{}", self.base, request.path.trim_start_matches('/'));
        let mut builder = self.client.request(request.method.clone(), &url);
        builder = match &self.auth {
            Auth::BasicKey(key) => builder.basic_auth(key.expose(), Some("")),
            Auth::Bearer(token) => builder.bearer_auth(token.expose()),
            Auth::None => builder,
        };
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        builder = match &request.body {
            Body::Empty => builder,
            Body::Form(fields) => builder.form(fields),
            Body::Json(value) => builder.json(value),
        };
        let response = builder.send().await.map_err(transport_error)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = if status.is_success() {
            let limit = if request.list {
                self.config.max_list_body
            } else {
                self.config.max_body
            };
            self.read_body(response, limit, true).await
        } else {
            self.read_body(response, MAX_ERROR_BODY, false).await
        }
        .inspect_err(|e| {
            tracing::warn!(method = %request.method, path = %request.path, status = status.as_u16(), error = %e, "gateway answer not read");
        })?;
        if status.is_success() {
            tracing::debug!(method = %request.method, path = %request.path, status = status.as_u16(), "gateway call");
            return Ok(Response {
                status: status.as_u16(),
                body,
            });
        }
        let error = self.status_error(status, &headers, &body);
        tracing::warn!(method = %request.method, path = %request.path, status = status.as_u16(), body = %body_for_log(&body), "gateway error");
        Err(error)
    }

    /// The body, read piece by piece up to `limit` bytes: past it, an error when the
    /// whole body is needed (`strict`), else the first `limit` bytes. A body that
    /// stalls for `read_timeout`, or is still arriving at the request's `timeout`, is
    /// abandoned.
    async fn read_body(
        &self,
        mut response: reqwest::Response,
        limit: usize,
        strict: bool,
    ) -> Result<bytes::Bytes, GatewayError> {
        let too_large = GatewayError::TooLarge {
            limit: limit as u64,
        };
        // A declared length past the limit is refused before a byte is read.
        if strict && response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large);
        }
        let mut body = bytes::BytesMut::new();
        loop {
            let slow = || GatewayError::SlowBody {
                received: body.len() as u64,
            };
            let chunk = match tokio::time::timeout(self.config.read_timeout, response.chunk()).await
            {
                Err(_) => return Err(slow()),
                Ok(Err(e)) if e.is_timeout() => return Err(slow()),
                Ok(Err(e)) => return Err(transport_error(e)),
                Ok(Ok(None)) => return Ok(body.freeze()),
                Ok(Ok(Some(chunk))) => chunk,
            };
            if body.len() + chunk.len() > limit {
                if strict {
                    return Err(too_large);
                }
                let room = limit - body.len();
                body.extend_from_slice(&chunk[..room]);
                return Ok(body.freeze());
            }
            body.extend_from_slice(&chunk);
        }
    }

    /// A read, retried with backoff while the failure is transient.
    pub async fn read(&self, request: &Request) -> Result<Response, GatewayError> {
        retry_transient(self.config.retry, || self.send(request)).await
    }

    /// A read decoded as JSON; a body that does not parse is retried like any other
    /// transient failure, since proxies do truncate responses.
    pub async fn read_json<T: DeserializeOwned>(
        &self,
        request: &Request,
    ) -> Result<T, GatewayError> {
        retry_transient(self.config.retry, || async {
            self.send(request).await?.json::<T>()
        })
        .await
    }

    fn status_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> GatewayError {
        let code = status.as_u16();
        let retry_after = retry_after(headers);
        if code == 429 {
            return GatewayError::RateLimited { retry_after };
        }
        let text = String::from_utf8_lossy(body);
        if let Some(error) = (self.decode)(code, &text) {
            return match error.clipped() {
                GatewayError::Unavailable {
                    status, message, ..
                } => GatewayError::Unavailable {
                    status,
                    message,
                    retry_after,
                },
                other => other,
            };
        }
        let message = summarise_body(&text, status);
        match code {
            401 | 403 => GatewayError::Unauthorised { message },
            404 => GatewayError::NotFound { message },
            500..=599 => GatewayError::Unavailable {
                status: code,
                message,
                retry_after,
            },
            _ => GatewayError::Http {
                status: code,
                message,
            },
        }
    }
}

fn transport_error(e: reqwest::Error) -> GatewayError {
    if e.is_timeout() {
        GatewayError::Timeout
    } else {
        GatewayError::Connection {
            message: error_chain(&e),
            before_send: e.is_connect(),
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `Retry-After` in seconds; the HTTP-date form is rare from APIs and treated as absent.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// A line for the operator from a body we could not decode: an HTML page's title or
/// heading, else the status's reason phrase.
fn summarise_body(text: &str, status: StatusCode) -> String {
    let lower = text.to_ascii_lowercase();
    for tag in ["title", "h1"] {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        if let (Some(start), Some(end)) = (lower.find(&open), lower.find(&close)) {
            let start = start + open.len();
            if start <= end
                && let Some(inner) = text.get(start..end)
            {
                let inner = inner.trim();
                if !inner.is_empty() {
                    return inner.to_string();
                }
            }
        }
    }
    status.canonical_reason().unwrap_or("error").to_string()
}

/// At most 2 KiB of a body, for logs and error reports.
pub fn body_for_log(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(2048) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_error_pages_are_summarised_by_their_heading() {
        let page = "<html><head><title>502 Bad Gateway</title></head><body>…</body></html>";
        assert_eq!(
            summarise_body(page, StatusCode::BAD_GATEWAY),
            "502 Bad Gateway"
        );
        assert_eq!(
            summarise_body("", StatusCode::SERVICE_UNAVAILABLE),
            "Service Unavailable"
        );
        assert_eq!(
            summarise_body("<h1></h1>", StatusCode::BAD_GATEWAY),
            "Bad Gateway"
        );
    }

    #[test]
    fn long_bodies_are_cut_for_the_log() {
        let long = "x".repeat(5000);
        assert_eq!(body_for_log(long.as_bytes()).chars().count(), 2049);
    }

    #[test]
    fn ids_are_one_path_segment() {
        assert_eq!(segment("ch_1a-B.c~").unwrap(), "ch_1a-B.c~");
        assert_eq!(segment("a/b?c#d").unwrap(), "a%2Fb%3Fc%23d");
        assert_eq!(segment("50%").unwrap(), "50%25");
        assert_eq!(segment("é").unwrap(), "%C3%A9");
        for bad in ["", ".", ".."] {
            assert!(
                matches!(segment(bad), Err(GatewayError::NotFound { .. })),
                "{bad:?}"
            );
        }
    }
}
