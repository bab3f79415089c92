//! Fault injection: the [`FaultSpec`] syntax and the axum middleware that
//! applies it to dialect routes (never to `/_sim/*`), in the words of each
//! dialect's [`FaultReplies`].

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use serde_json::{Value, json};

use super::respond;
use super::rng::Rng;

/// One million: probabilities are held in parts per million, never as floats.
const PPM: u32 = 1_000_000;

/// Faults to inject, per request, on dialect routes.
///
/// Syntax: comma-separated `key=value` items in any order, each at most once;
/// an empty spec means no faults. Probabilities are decimals in `[0, 1]` with
/// at most six decimal places (`0`, `1`, `0.2`, `0.05`).
///
/// | item | effect |
/// |---|---|
/// | `latency_ms=N` or `latency_ms=LO..HI` | sleep N (or uniformly LO..=HI) ms before handling |
/// | `rate_limit=P` | 429 with `Retry-After` and a JSON error; the request is **not** applied |
/// | `reset_rate=P` | connection dropped before any response; **not** applied |
/// | `error_rate=P` | 500 (JSON), 502 (HTML page) or 503 (JSON, `Retry-After`); **not** applied |
/// | `commit_then_fail=P` | POST/PUT/DELETE only: applied, then a 500 or a dropped connection |
/// | `malformed_rate=P` | applied, but the body is truncated JSON with status 200 |
/// | `retry_after_s=N` | seconds in `Retry-After` (default 1) |
///
/// Example: `error_rate=0.2,latency_ms=50..800,reset_rate=0.05,rate_limit=0.05,malformed_rate=0.01,commit_then_fail=0.05,retry_after_s=1`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultSpec {
    /// Probabilities in parts per million.
    pub error_rate: u32,
    pub reset_rate: u32,
    pub rate_limit: u32,
    pub malformed_rate: u32,
    pub commit_then_fail: u32,
    /// Inclusive latency range in milliseconds.
    pub latency_ms: Option<(u64, u64)>,
    pub retry_after_s: u32,
}

impl Default for FaultSpec {
    fn default() -> Self {
        FaultSpec {
            error_rate: 0,
            reset_rate: 0,
            rate_limit: 0,
            malformed_rate: 0,
            commit_then_fail: 0,
            latency_ms: None,
            retry_after_s: 1,
        }
    }
}

/// A fault spec item that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fault spec item `{item}`: expected {expected}")]
pub struct FaultSpecError {
    pub item: String,
    pub expected: &'static str,
}

const KEYS: &str = "one of error_rate, latency_ms, reset_rate, rate_limit, malformed_rate, commit_then_fail, retry_after_s as key=value";
const PROBABILITY: &str = "a probability from 0 to 1 with at most 6 decimals, e.g. 0.05";
const LATENCY: &str = "milliseconds N or a range LO..HI with LO <= HI <= 600000";
const SECONDS: &str = "whole seconds from 0 to 3600";

impl FaultSpec {
    /// Parse the syntax documented on [`FaultSpec`].
    pub fn parse(spec: &str) -> Result<FaultSpec, FaultSpecError> {
        let mut out = FaultSpec::default();
        let mut seen: Vec<&str> = Vec::new();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let err = |expected| FaultSpecError {
                item: item.to_string(),
                expected,
            };
            let (key, value) = item.split_once('=').ok_or_else(|| err(KEYS))?;
            let (key, value) = (key.trim(), value.trim());
            if seen.contains(&key) {
                return Err(err("each key at most once"));
            }
            seen.push(key);
            let prob = || parse_ppm(value).ok_or_else(|| err(PROBABILITY));
            match key {
                "error_rate" => out.error_rate = prob()?,
                "reset_rate" => out.reset_rate = prob()?,
                "rate_limit" => out.rate_limit = prob()?,
                "malformed_rate" => out.malformed_rate = prob()?,
                "commit_then_fail" => out.commit_then_fail = prob()?,
                "latency_ms" => {
                    out.latency_ms = Some(parse_latency(value).ok_or_else(|| err(LATENCY))?)
                }
                "retry_after_s" => {
                    out.retry_after_s = value
                        .parse()
                        .ok()
                        .filter(|s| *s <= 3600)
                        .ok_or_else(|| err(SECONDS))?;
                }
                _ => return Err(err(KEYS)),
            }
        }
        Ok(out)
    }

    /// True when no fault can ever fire.
    pub fn is_none(&self) -> bool {
        self.error_rate == 0
            && self.reset_rate == 0
            && self.rate_limit == 0
            && self.malformed_rate == 0
            && self.commit_then_fail == 0
            && self.latency_ms.is_none()
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = |v: u32| {
            let s = format!("{}.{:06}", v / PPM, v % PPM);
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        write!(
            f,
            "error_rate={},reset_rate={},rate_limit={},malformed_rate={},commit_then_fail={},retry_after_s={}",
            p(self.error_rate),
            p(self.reset_rate),
            p(self.rate_limit),
            p(self.malformed_rate),
            p(self.commit_then_fail),
            self.retry_after_s
        )?;
        if let Some((lo, hi)) = self.latency_ms {
            write!(f, ",latency_ms={lo}..{hi}")?;
        }
        Ok(())
    }
}

/// `"0.05"` → 50_000 ppm, by integer arithmetic only.
pub(crate) fn parse_ppm(s: &str) -> Option<u32> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) || frac.len() > 6 {
        return None;
    }
    let whole: u32 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut f: u32 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    for _ in frac.len()..6 {
        f *= 10;
    }
    let v = whole.checked_mul(PPM)?.checked_add(f)?;
    (v <= PPM).then_some(v)
}

fn parse_latency(s: &str) -> Option<(u64, u64)> {
    let (lo, hi) = match s.split_once("..") {
        Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
        None => {
            let v = s.parse().ok()?;
            (v, v)
        }
    };
    (lo <= hi && hi <= 600_000).then_some((lo, hi))
}

/// The spec plus its seeded dice, shared by every request.
#[derive(Debug)]
pub(crate) struct Faults {
    spec: FaultSpec,
    rng: Mutex<Rng>,
    injected: Injected,
}

/// How many faults of each kind were injected, for `GET /_sim/faults`: a fault test
/// proves with it that the faults it relies on really happened.
#[derive(Debug, Default)]
struct Injected {
    rate_limited: AtomicU64,
    reset: AtomicU64,
    error: AtomicU64,
    commit_then_fail: AtomicU64,
    malformed: AtomicU64,
}

fn count(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// What will happen to one request, rolled up front so the lock is brief.
#[derive(Debug, Default)]
struct Plan {
    latency_ms: u64,
    rate_limited: bool,
    reset: bool,
    error: Option<u64>,
    commit_fail: Option<bool>,
    malformed: bool,
}

impl Faults {
    pub(crate) fn new(spec: FaultSpec, seed: u64) -> Arc<Self> {
        Arc::new(Faults {
            spec,
            rng: Mutex::new(Rng::derive(seed, 7)),
            injected: Injected::default(),
        })
    }

    /// The injected-fault counts as JSON.
    pub(crate) fn injected(&self) -> serde_json::Value {
        let i = &self.injected;
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        json!({
            "rate_limited": get(&i.rate_limited),
            "reset": get(&i.reset),
            "error": get(&i.error),
            "commit_then_fail": get(&i.commit_then_fail),
            "malformed": get(&i.malformed),
        })
    }

    fn roll(&self, mutating: bool) -> Plan {
        let s = &self.spec;
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        Plan {
            latency_ms: s.latency_ms.map_or(0, |(lo, hi)| rng.range(lo..hi + 1)),
            rate_limited: rng.chance_ppm(s.rate_limit),
            reset: rng.chance_ppm(s.reset_rate),
            error: rng.chance_ppm(s.error_rate).then(|| rng.range(0..3)),
            commit_fail: (mutating && rng.chance_ppm(s.commit_then_fail)).then(|| rng.chance(1, 2)),
            malformed: rng.chance_ppm(s.malformed_rate),
        }
    }
}

/// How one dialect words the faults injected into its routes; each dialect
/// keeps its own beside its error type. The status codes and `Retry-After`
/// headers are the same for every dialect.
#[derive(Debug)]
pub(crate) struct FaultReplies {
    /// The 429 body for a `Retry-After` of that many seconds.
    pub rate_limited: fn(u32) -> Value,
    /// Headers a 429 carries besides `Retry-After`.
    pub rate_limited_headers: &'static [(&'static str, &'static str)],
    /// The 500 body.
    pub internal: fn() -> Value,
    /// The 503 body (sent with `Retry-After`).
    pub unavailable: fn() -> Value,
}

/// `routes` behind a layer injecting `faults` into every request that reaches
/// it, worded by the dialect's `replies`. Each dialect chooses which of its
/// own layers stand outside this one.
pub(crate) fn injected<S: Clone + Send + Sync + 'static>(
    routes: Router<S>,
    faults: Arc<Faults>,
    replies: &'static FaultReplies,
) -> Router<S> {
    routes.layer(middleware::from_fn_with_state(
        Injector { faults, replies },
        inject,
    ))
}

/// The faults of one dialect's routes: the shared spec and counters, and the
/// dialect's wording. The state of [`inject`].
#[derive(Clone, Debug)]
struct Injector {
    faults: Arc<Faults>,
    replies: &'static FaultReplies,
}

/// Axum middleware applying [`FaultSpec`] to one request, in the dialect's words.
async fn inject(State(i): State<Injector>, req: Request, next: Next) -> Response {
    let faults = &i.faults;
    if faults.spec.is_none() {
        return next.run(req).await;
    }
    let mutating = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::DELETE | Method::PATCH
    );
    let plan = faults.roll(mutating);
    let retry_after = faults.spec.retry_after_s;
    if plan.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(plan.latency_ms)).await;
    }
    let injected = &faults.injected;
    if plan.rate_limited {
        count(&injected.rate_limited);
        let mut r = respond::json(
            StatusCode::TOO_MANY_REQUESTS,
            &(i.replies.rate_limited)(retry_after),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        for (name, value) in i.replies.rate_limited_headers {
            r.headers_mut()
                .insert(*name, HeaderValue::from_static(value));
        }
        return r;
    }
    if plan.reset {
        count(&injected.reset);
        return respond::dropped_connection();
    }
    if let Some(kind) = plan.error {
        count(&injected.error);
        return server_error(i.replies, kind, retry_after);
    }
    let resp = next.run(req).await;
    if plan.commit_fail.is_some() {
        count(&injected.commit_then_fail);
    }
    match plan.commit_fail {
        Some(true) => return respond::dropped_connection(),
        Some(false) => return server_error(i.replies, 0, retry_after),
        None => {}
    }
    if plan.malformed {
        count(&injected.malformed);
        return truncate(resp).await;
    }
    resp
}

/// 0: 500 JSON, 1: 502 HTML page (as a proxy would send), 2: 503 JSON + Retry-After.
fn server_error(replies: &FaultReplies, kind: u64, retry_after: u32) -> Response {
    match kind {
        1 => {
            let mut r = Response::new(Body::from(
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
            ));
            *r.status_mut() = StatusCode::BAD_GATEWAY;
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            r
        }
        2 => {
            let mut r = respond::json(StatusCode::SERVICE_UNAVAILABLE, &(replies.unavailable)());
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            r
        }
        _ => respond::json(StatusCode::INTERNAL_SERVER_ERROR, &(replies.internal)()),
    }
}

/// Keep the handler's effect but send status 200 with half of its body.
async fn truncate(resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    let bytes = to_bytes(body, 64 * 1024 * 1024).await.unwrap_or_default();
    let cut = bytes.slice(..bytes.len() / 2);
    let body = if cut.is_empty() {
        Body::from("{\"response\":")
    } else {
        Body::from(cut)
    };
    parts.status = StatusCode::OK;
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(respond::JSON_UTF8),
    );
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_example() {
        let f = FaultSpec::parse(
            "error_rate=0.2,latency_ms=50..800,reset_rate=0.05,rate_limit=0.05,malformed_rate=0.01,commit_then_fail=0.05,retry_after_s=1",
        );
        assert_eq!(
            f,
            Ok(FaultSpec {
                error_rate: 200_000,
                reset_rate: 50_000,
                rate_limit: 50_000,
                malformed_rate: 10_000,
                commit_then_fail: 50_000,
                latency_ms: Some((50, 800)),
                retry_after_s: 1,
            })
        );
    }

    #[test]
    fn probabilities() {
        assert_eq!(parse_ppm("1"), Some(PPM));
        assert_eq!(parse_ppm("1.0"), Some(PPM));
        assert_eq!(parse_ppm(".5"), Some(500_000));
        assert_eq!(parse_ppm("0.000001"), Some(1));
        assert_eq!(parse_ppm("1.1"), None);
        assert_eq!(parse_ppm("0.0000001"), None);
        assert_eq!(parse_ppm("-0.1"), None);
        assert_eq!(parse_ppm("."), None);
        assert_eq!(parse_ppm("0.1e1"), None);
        assert_eq!(parse_ppm("99999999999"), None);
    }

    #[test]
    fn errors_name_the_item() {
        let e = FaultSpec::parse("error_rate=0.2,latency_ms=9..3").err();
        assert_eq!(e.as_ref().map(|e| e.item.as_str()), Some("latency_ms=9..3"));
        let msg = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("latency_ms=9..3") && msg.contains("LO..HI"),
            "{msg}"
        );
        assert!(FaultSpec::parse("bogus=1").is_err());
        assert!(FaultSpec::parse("error_rate").is_err());
        assert!(FaultSpec::parse("error_rate=2").is_err());
        assert!(FaultSpec::parse("error_rate=0.1,error_rate=0.2").is_err());
        assert!(FaultSpec::parse("retry_after_s=x").is_err());
        assert_eq!(FaultSpec::parse(""), Ok(FaultSpec::default()));
        assert!(FaultSpec::default().is_none());
    }

    #[test]
    fn display_round_trips() {
        let f = FaultSpec::parse("error_rate=0.25,latency_ms=5,rate_limit=1").unwrap_or_default();
        assert_eq!(FaultSpec::parse(&f.to_string()), Ok(f));
    }
}
