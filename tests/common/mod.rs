//! Shared set-up for tests that run the adapters against the simulator over loopback.
#![allow(dead_code)]

pub mod demo;
pub mod exactly_once;
pub mod hostile;
pub mod profile;
pub mod pty;
pub mod slow_sim;

use std::collections::BTreeMap;
use std::time::Duration;

use paydeck::domain::{CardDetails, NewCharge, PaymentSource};
use paydeck::gateway::RetryPolicy;
use paydeck::gateway::http::HttpConfig;
use paydeck::gateway::pin::PinGateway;
use paydeck::money::Money;
use paydeck::secret::Secret;
use paydeck::sim::{self, FaultSpec, RunningSim, SimConfig};
use serde_json::Value;

pub struct PinSim {
    pub sim: RunningSim,
    pub gateway: PinGateway,
    pub url: String,
    pub key: String,
}

/// Retries quickly, so fault tests take seconds, and patiently, so they converge.
pub fn quick_http() -> HttpConfig {
    HttpConfig {
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(10),
        retry: RetryPolicy {
            max_attempts: 8,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(20),
            max_retry_after: Duration::from_millis(20),
            ..RetryPolicy::default()
        },
        ..HttpConfig::default()
    }
}

pub async fn pin_sim(charges: usize, faults: &str) -> PinSim {
    paydeck::gateway::http::install_crypto_provider();
    let faults = if faults.is_empty() {
        FaultSpec::default()
    } else {
        FaultSpec::parse(faults).expect("fault spec")
    };
    let config = SimConfig {
        seed: 7,
        charges,
        customers: 40,
        live_per_minute: 0,
        faults,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let sim = sim::start(listener, config).await.expect("sim starts");
    let pin = sim.dialect("PIN").expect("pin dialect");
    let (url, key) = (pin.url.clone(), pin.key.clone());
    let gateway = PinGateway::new(&url, Secret::new(key.clone()), quick_http()).expect("adapter");
    PinSim {
        sim,
        gateway,
        url,
        key,
    }
}

impl PinSim {
    /// The simulator's root, where `/_sim/*` lives.
    pub fn root(&self) -> String {
        format!("http://{}", self.sim.addr)
    }

    pub async fn operations(&self) -> Vec<Value> {
        let body: Value = reqwest::Client::new()
            .get(format!("{}/_sim/operations", self.root()))
            .basic_auth(&self.key, Some(""))
            .send()
            .await
            .expect("operations")
            .json()
            .await
            .expect("operations json");
        body["operations"].as_array().cloned().unwrap_or_default()
    }

    /// How many faults of each kind the simulator injected.
    pub async fn injected_faults(&self) -> Value {
        reqwest::Client::new()
            .get(format!("{}/_sim/faults", self.root()))
            .basic_auth(&self.key, Some(""))
            .send()
            .await
            .expect("faults")
            .json()
            .await
            .expect("faults json")
    }

    pub async fn advance_clock(&self, seconds: u64) {
        let status = reqwest::Client::new()
            .post(format!(
                "{}/_sim/clock/advance?seconds={seconds}",
                self.root()
            ))
            .basic_auth(&self.key, Some(""))
            .send()
            .await
            .expect("advance")
            .status();
        assert!(status.is_success(), "clock advance: {status}");
    }

    /// A raw request to the Pin dialect, for what the adapter does not do itself.
    pub async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        form: &[(&str, &str)],
    ) -> (u16, Value) {
        let response = reqwest::Client::new()
            .request(method, format!("{}/{path}", self.url))
            .basic_auth(&self.key, Some(""))
            .form(form)
            .send()
            .await
            .expect("raw request");
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    /// A single-use card token for a test card number.
    pub async fn card_token(&self, number: &str) -> String {
        let (status, body) = self
            .raw(
                reqwest::Method::POST,
                "cards",
                &[
                    ("number", number),
                    ("expiry_month", "12"),
                    ("expiry_year", "2035"),
                    ("cvc", "123"),
                    ("name", "Roland Robot"),
                    ("address_line1", "42 Sevenoaks St"),
                    ("address_city", "Lathlain"),
                    ("address_country", "Australia"),
                ],
            )
            .await;
        assert_eq!(status, 201, "card token: {body}");
        body["response"]["token"]
            .as_str()
            .expect("card token")
            .to_string()
    }
}

pub fn test_card(number: &str) -> PaymentSource {
    PaymentSource::Card(CardDetails {
        number: Secret::new(number),
        expiry_month: 12,
        expiry_year: 2035,
        cvc: Secret::new("123"),
        name: "Roland Robot".into(),
        address_line1: "42 Sevenoaks St".into(),
        address_city: "Lathlain".into(),
        address_country: "Australia".into(),
    })
}

pub fn new_charge(amount: Money, capture: bool, source: PaymentSource) -> NewCharge {
    NewCharge {
        amount,
        email: "roland@pinpayments.com".into(),
        description: "500g of single origin beans".into(),
        ip_address: "203.192.1.172".into(),
        capture,
        source,
        metadata: BTreeMap::new(),
    }
}

/// The `se_` session token in a 3-D Secure charge, wherever the dialect puts it.
pub fn find_session_token(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if s.starts_with("se_") => Some(s.clone()),
        Value::String(s) => s
            .split(['?', '&', '=', '/'])
            .find(|part| part.starts_with("se_"))
            .map(String::from),
        Value::Object(map) => map.values().find_map(find_session_token),
        Value::Array(items) => items.iter().find_map(find_session_token),
        _ => None,
    }
}
