//! Fuzzing every adapter's response decoding through its public entry point, the
//! `Gateway` trait, over real HTTP: a hostile gateway on loopback answers each call
//! with a body made from the simulator's own (real-shaped) bodies, mutated — bytes
//! flipped, truncated, fields of the wrong type, huge numbers, deep nesting, unknown
//! currencies, long strings and lists — or with arbitrary JSON, under a 2xx or an
//! error status. Nothing may panic or hang, an error's text stays short whatever the
//! body, and no call allocates more than a fixed multiple of the body it was given.
//!
//! A short run is part of `cargo test`. The long run, and the figures in
//! BENCHMARKS.md, come from
//! `PAYDECK_FUZZ_CASES=20000 cargo test --release --test fuzz_decoding -- --nocapture`
//! (cases per target; each target prints its executions per second).

mod common;
mod fuzzing;

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use common::assert_matches;
use paydeck::domain::{ChargeFilter, PageRequest};
use paydeck::gateway::http::HttpConfig;
use paydeck::gateway::openpay::OpenpayGateway;
use paydeck::gateway::pin::PinGateway;
use paydeck::gateway::stripe::StripeGateway;
use paydeck::gateway::trx::TrxGateway;
use paydeck::gateway::{Gateway, GatewayError, RetryPolicy};
use paydeck::secret::Secret;
use paydeck::sim::SimConfig;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::Value;

use fuzzing as fuzz;

// ---- allocation accounting -------------------------------------------------------

/// The system allocator, counting bytes live and the peak since the last reset.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let grow = new_size - layout.size();
                let now = LIVE.fetch_add(grow, Ordering::Relaxed) + grow;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Bytes allocated at the peak of `f` above what was live when it started. Other
/// test threads allocate too, so the figure is an upper bound; the bound checked
/// against it is loose enough for that.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

/// What a call may allocate for a body of `len` bytes: the HTTP layer's buffers, the
/// body held while decoding, the decoded model and an error's text.
fn allocation_bound(len: usize) -> usize {
    16 * 1024 * 1024 + 64 * len
}

// ---- the hostile gateway ---------------------------------------------------------

#[derive(Clone, Default)]
struct Answer {
    status: u16,
    body: bytes::Bytes,
}

async fn answer(State(next): State<Arc<Mutex<Answer>>>, uri: Uri) -> Response {
    // The transactions gateway's token endpoint always works, so the fuzzed body
    // reaches the call that was asked for.
    if uri.path().ends_with("/auth/token") {
        return (
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"access_token":"fuzz","token_type":"Bearer","expires_in":300}"#,
        )
            .into_response();
    }
    let a = next.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let status = StatusCode::from_u16(a.status).unwrap_or(StatusCode::OK);
    (status, [(header::CONTENT_TYPE, "application/json")], a.body).into_response()
}

/// The four adapters, each pointed at the hostile gateway.
struct Adapters {
    next: Arc<Mutex<Answer>>,
    gateways: Vec<(&'static str, Box<dyn Gateway>)>,
}

/// [`hostile_gateway`] started on a runtime of its own, which runs the calls to it.
fn hostile_gateway_on_a_runtime() -> (tokio::runtime::Runtime, Adapters) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let adapters = rt.block_on(hostile_gateway());
    (rt, adapters)
}

async fn hostile_gateway() -> Adapters {
    let next = Arc::new(Mutex::new(Answer::default()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().fallback(answer).with_state(next.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    // One attempt: a retry would only decode the same body again, after a backoff.
    let config = HttpConfig {
        retry: RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        },
        timeout: Duration::from_secs(20),
        ..HttpConfig::default()
    };
    let root = format!("http://{addr}");
    let key = || Secret::new("sk_fuzz_key");
    let gateways: Vec<(&'static str, Box<dyn Gateway>)> = vec![
        (
            "pin",
            Box::new(PinGateway::new(&format!("{root}/1"), key(), config).unwrap()),
        ),
        (
            "stripe",
            Box::new(StripeGateway::new(&root, key(), config).unwrap()),
        ),
        (
            "openpay",
            Box::new(OpenpayGateway::new(&format!("{root}/v1"), "mfuzz", key(), config).unwrap()),
        ),
        (
            "trx",
            Box::new(
                TrxGateway::from_key(&format!("{root}/v1"), Secret::new("id:secret"), config)
                    .unwrap(),
            ),
        ),
    ];
    Adapters { next, gateways }
}

/// The reads the dashboard makes, by number; each decodes a different shape.
async fn call(gw: &dyn Gateway, which: u8) -> Result<usize, GatewayError> {
    let first = PageRequest::first(100);
    Ok(match which % 9 {
        0 => gw
            .list_charges(&first, &ChargeFilter::default())
            .await?
            .items
            .len(),
        1 => gw.get_charge("ch_fuzz").await.map(|_| 1)?,
        2 => gw.list_refunds(&first).await?.items.len(),
        3 => gw.get_refund("rf_fuzz").await.map(|_| 1)?,
        4 => gw.charge_refunds("ch_fuzz").await?.len(),
        5 => gw.list_customers(&first).await?.items.len(),
        6 => gw.get_customer("cus_fuzz").await.map(|_| 1)?,
        7 => gw.list_disputes(&first).await?.items.len(),
        _ => gw.get_dispute("dp_fuzz").await.map(|_| 1)?,
    })
}

// ---- real bodies, from the simulator ---------------------------------------------

/// Bodies the simulator serves for each dialect: lists, single objects and errors.
fn corpus() -> &'static HashMap<&'static str, Vec<Vec<u8>>> {
    static CORPUS: OnceLock<HashMap<&'static str, Vec<Vec<u8>>>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(collect_corpus())
    })
}

async fn collect_corpus() -> HashMap<&'static str, Vec<Vec<u8>>> {
    let config = SimConfig {
        seed: 11,
        ..common::simulator::seeded(12, 4)
    };
    let sim = common::simulator::start_all(config).await;
    let http = reqwest::Client::new();
    let mut out = HashMap::new();
    for name in ["pin", "stripe", "openpay", "trx"] {
        let d = sim.dialect(name).unwrap().clone();
        let (base, auth) = match name {
            "pin" | "openpay" => (d.url.clone(), format!("Basic {}", basic(&d.key))),
            "stripe" => (format!("{}/v1", d.url), format!("Bearer {}", d.key)),
            _ => {
                let token = common::simulator::trx_token(&d.url, &d.key).await;
                (d.url.clone(), format!("Bearer {token}"))
            }
        };
        let get = |path: String| {
            let req = http
                .get(format!("{base}{path}"))
                .header("authorization", &auth);
            async move { req.send().await.unwrap().bytes().await.unwrap().to_vec() }
        };
        let lists: &[&str] = match name {
            "pin" => &["/charges", "/refunds", "/customers"],
            "stripe" => &[
                "/charges?expand[]=data.refunds",
                "/refunds",
                "/customers",
                "/disputes",
            ],
            "openpay" => &["/charges", "/customers"],
            _ => &[
                "/transactions?type=PAYMENT",
                "/transactions?type=REFUND",
                "/transactions?type=CHARGEBACK",
            ],
        };
        let mut bodies = Vec::new();
        for list in lists {
            let body = get(list.to_string()).await;
            bodies.push(body.clone());
            // One object of each list, as a single read returns it.
            if let Ok(v) = serde_json::from_slice::<Value>(&body) {
                let items = v
                    .get("response")
                    .or_else(|| v.get("data"))
                    .unwrap_or(&v)
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if let Some(first) = items.first() {
                    let one = match name {
                        "pin" => serde_json::json!({ "response": first }),
                        _ => first.clone(),
                    };
                    bodies.push(serde_json::to_vec(&one).unwrap());
                }
            }
        }
        // The dialect's error object.
        bodies.push(get("/charges/nope_not_there".to_string()).await);
        out.insert(name, bodies);
    }
    sim.shutdown().await;
    out
}

fn basic(key: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{key}:"))
}

// ---- the targets -----------------------------------------------------------------

/// An HTTP status for a fuzzed answer: mostly 200, else one a gateway really sends.
fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        6 => Just(200u16),
        1 => prop::sample::select(vec![201u16, 204, 400, 401, 402, 404, 409, 412, 422, 429, 500, 502, 503]),
    ]
}

/// Runs `cases` fuzzed calls against one adapter and reports executions per second.
fn fuzz_adapter(name: &'static str) {
    let seeds = corpus()[name].clone();
    let (rt, adapters) = hostile_gateway_on_a_runtime();
    let gw = &adapters
        .gateways
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap()
        .1;
    let strategy = (fuzz::body(seeds), status(), any::<u8>());
    let label = format!("fuzz_decoding {name}");
    fuzz::run(&label, 48, strategy, |(body, status, which)| {
        let len = body.bytes.len();
        *adapters.next.lock().unwrap() = Answer {
            status,
            body: bytes::Bytes::from(body.bytes),
        };
        let (outcome, peak) = peak_during(|| {
            rt.block_on(async {
                tokio::time::timeout(Duration::from_secs(30), call(gw.as_ref(), which)).await
            })
        });
        let outcome = outcome.map_err(|_| {
            TestCaseError::fail(format!("{name}: call {which} hung on {:?}", body.how))
        })?;
        if let Err(e) = &outcome {
            let text = e.to_string();
            prop_assert!(
                text.len() <= 8 * 1024,
                "{name}: a {}-byte error from a {len}-byte body ({:?})",
                text.len(),
                body.how
            );
        }
        prop_assert!(
            peak <= allocation_bound(len),
            "{name}: call {which} allocated {peak} bytes for a {len}-byte body ({:?})",
            body.how
        );
        Ok(())
    });
}

#[test]
fn pin_decoding_survives_hostile_bodies() {
    fuzz_adapter("pin");
}

#[test]
fn stripe_decoding_survives_hostile_bodies() {
    fuzz_adapter("stripe");
}

#[test]
fn openpay_decoding_survives_hostile_bodies() {
    fuzz_adapter("openpay");
}

#[test]
fn trx_decoding_survives_hostile_bodies() {
    fuzz_adapter("trx");
}

/// The unmutated bodies decode: the fuzzing above reaches the decoders and does not
/// stop at a request the harness got wrong.
#[test]
fn real_bodies_decode() {
    let (rt, adapters) = hostile_gateway_on_a_runtime();
    for (name, gw) in &adapters.gateways {
        // The first list is of charges, then one charge of it.
        for (seed, which) in [(0, 0), (1, 1)] {
            *adapters.next.lock().unwrap() = Answer {
                status: 200,
                body: corpus()[name][seed].clone().into(),
            };
            let n = rt.block_on(call(gw.as_ref(), which));
            assert_matches!(n, Ok(n) if *n > 0, "{name}");
        }
    }
}

/// The fuzzer's first find: a decoder's complaint quotes the value it choked on, so
/// a body that was one long string made an error message as long as the body.
#[test]
fn a_long_string_body_makes_a_short_error() {
    let (rt, adapters) = hostile_gateway_on_a_runtime();
    let body = format!("\"{}\"", "x".repeat(100_000));
    let record = format!(r#"{{"response":{body},"data":{body},"id":{body},"token":{body}}}"#);
    for (name, gw) in &adapters.gateways {
        let long = "x".repeat(20_000);
        let errors = [
            format!(
                r#"{{"error":"{long}","error_description":"{long}","messages":[{{"param":"amount","code":"{long}","message":"{long}"}}]}}"#
            ),
            format!(
                r#"{{"error":{{"message":"{long}","type":"card_error","code":"{long}","decline_code":"{long}"}}}}"#
            ),
            format!(
                r#"{{"description":"{long}","error_code":3001,"category":"gateway","http_code":402,"request_id":"{long}"}}"#
            ),
            format!(r#"{{"error":{{"code":"{long}","message":"{long}","field":"{long}"}}}}"#),
            // Many short field errors rather than one long one.
            format!(
                r#"{{"error":"invalid_resource","error_description":"bad","messages":[{}]}}"#,
                vec![
                    r#"{"param":"amount","code":"amount_invalid","message":"Amount must be more"}"#;
                    5000
                ]
                .join(",")
            ),
        ];
        let cases = [(200, &body), (200, &record)].into_iter().chain(
            [400, 402, 404, 500]
                .into_iter()
                .flat_map(|s| errors.iter().map(move |e| (s, e))),
        );
        for (status, body) in cases {
            // An error object is decoded the same whatever the call.
            let calls: &[u8] = if status == 200 { &[0, 1, 5, 6] } else { &[1] };
            for &which in calls {
                *adapters.next.lock().unwrap() = Answer {
                    status,
                    body: body.clone().into(),
                };
                let Err(e) = rt.block_on(call(gw.as_ref(), which)) else {
                    continue;
                };
                let text = e.to_string();
                assert!(
                    text.len() < 1000,
                    "{name} {which} {status}: {} bytes",
                    text.len()
                );
            }
        }
    }
}

/// Deep nesting cannot overflow the stack: serde_json stops at 128 levels (its
/// default recursion limit, which paydeck does not lift), at the top of a body and
/// inside a record, on a test thread's small stack.
#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let (rt, adapters) = hostile_gateway_on_a_runtime();
    let depth = 10_000;
    let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let bodies = [
        deep.clone(),
        format!(
            r#"{{"response":[{{"token":"ch_1","metadata":{deep}}}],"data":[{{"id":"x","metadata":{deep}}}]}}"#
        ),
        format!(r#"[{{"id":"tr1","metadata":{deep}}}]"#),
        format!(r#"{{"error":{deep}}}"#),
    ];
    for (name, gw) in &adapters.gateways {
        for body in &bodies {
            for (status, which) in [(200, 0), (200, 1), (500, 0), (404, 1)] {
                *adapters.next.lock().unwrap() = Answer {
                    status,
                    body: body.clone().into(),
                };
                // Ok (a list keeping its good records) or Err: only a crash fails.
                let _ = rt.block_on(call(gw.as_ref(), which));
            }
        }
        assert!(!name.is_empty());
    }
}
