//! Fault injection over real HTTP: what is and is not applied.

use std::time::{Duration, Instant};

mod common;

use common::Dialect;
use common::simulator::{Raw, seeded};
use paydeck::sim::{FaultSpec, SimConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn sim(spec: &str) -> Raw {
    let config = SimConfig {
        seed: 11,
        faults: FaultSpec::parse(spec).unwrap(),
        ..seeded(5, 2)
    };
    Raw::start(Dialect::Pin, config).await
}

fn charge_body() -> Value {
    json!({
        "email": "a@example.com", "description": "beans", "amount": 400,
        "ip_address": "192.0.2.1",
        "card": {"number": "4200000000000000", "expiry_month": 5, "expiry_year": 2099,
                 "cvc": "123", "name": "A B", "address_line1": "1 St",
                 "address_city": "Perth", "address_country": "AU"}
    })
}

async fn creates(sim: &Raw) -> usize {
    let operations = sim.operations().await;
    operations
        .iter()
        .filter(|o| o["operation"] == "create_charge")
        .count()
}

async fn post_charge(sim: &Raw) -> reqwest::Result<reqwest::Response> {
    sim.http
        .post(format!("{}/charges", sim.url))
        .basic_auth(&sim.key, Some(""))
        .json(&charge_body())
        .send()
        .await
}

/// `GET /charges`, which must succeed.
async fn list_charges(sim: &Raw) -> reqwest::Response {
    let r = sim
        .http
        .get(format!("{}/charges", sim.url))
        .basic_auth(&sim.key, Some(""))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r
}

#[test]
fn spec_parsing() {
    assert!(FaultSpec::parse("error_rate=0.2,latency_ms=50..800,reset_rate=0.05,rate_limit=0.05,malformed_rate=0.01,commit_then_fail=0.05,retry_after_s=1").is_ok());
    let e = FaultSpec::parse("error_rate=0.2,reset_rate=high").unwrap_err();
    assert_eq!(e.item, "reset_rate=high");
    assert!(e.to_string().contains("probability"));
    assert!(
        FaultSpec::parse("latency=5")
            .unwrap_err()
            .to_string()
            .contains("one of")
    );
}

#[tokio::test]
async fn rate_limit_is_429_with_retry_after_and_not_applied() {
    let sim = sim("rate_limit=1,retry_after_s=2").await;
    let r = post_charge(&sim).await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers()["retry-after"], "2");
    let v: Value = r.json().await.unwrap();
    assert!(v["error"].is_string());
    assert_eq!(creates(&sim).await, 0);
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn server_errors_are_not_applied() {
    let sim = sim("error_rate=1").await;
    let mut seen = Vec::new();
    for _ in 0..12 {
        let r = post_charge(&sim).await.unwrap();
        let status = r.status();
        let ct = r.headers()["content-type"].to_str().unwrap().to_string();
        match status.as_u16() {
            500 => assert!(ct.starts_with("application/json")),
            502 => {
                assert!(ct.starts_with("text/html"));
                assert!(r.text().await.unwrap().contains("502 Bad Gateway"));
            }
            503 => assert!(r.headers().contains_key("retry-after")),
            other => panic!("unexpected status {other}"),
        }
        seen.push(status.as_u16());
    }
    seen.sort_unstable();
    seen.dedup();
    assert!(seen.len() >= 2, "a mix of errors: {seen:?}");
    assert_eq!(creates(&sim).await, 0);
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn commit_then_fail_applies_the_write() {
    let sim = sim("commit_then_fail=1").await;
    for _ in 0..4 {
        match post_charge(&sim).await {
            Ok(r) => assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR),
            Err(e) => assert!(!e.is_status(), "{e}"),
        }
    }
    assert_eq!(creates(&sim).await, 4);
    // Reads are not mutating, so they go through.
    let r = list_charges(&sim).await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["count"], 9);
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn reset_drops_the_connection_without_applying() {
    let sim = sim("reset_rate=1").await;
    let r = post_charge(&sim).await;
    assert!(r.is_err(), "expected a dropped connection, got {r:?}");
    assert_eq!(creates(&sim).await, 0);
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn malformed_body_but_applied() {
    let sim = sim("malformed_rate=1").await;
    let r = post_charge(&sim).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    assert_eq!(creates(&sim).await, 1);
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn latency_delays_requests() {
    let sim = sim("latency_ms=120").await;
    let t = Instant::now();
    list_charges(&sim).await;
    assert!(t.elapsed() >= Duration::from_millis(120));
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn live_traffic_adds_charges() {
    let config = SimConfig {
        seed: 5,
        charges: 0,
        customers: 3,
        live_per_minute: 6000,
        ..SimConfig::default()
    };
    let pin = common::start(Dialect::Pin, config).await;
    // Await the condition (bounded), rather than sleeping a fixed time.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let live = pin
            .count_operations(|o| o["source"] == "live" && o["operation"] == "create_charge")
            .await;
        if live >= 3 {
            break;
        }
        assert!(Instant::now() < deadline, "no live traffic");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    pin.shutdown().await;
}
