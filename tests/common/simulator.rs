//! One way to start the simulator for a test, whichever gateway's dialect it speaks:
//! [`start`] runs it in-process on loopback and answers with the dialect's base URL and
//! key, the adapter for it, and the simulator's own admin routes (`/_sim/*`), which the
//! tests read to check what the gateway really did.

use std::time::Duration;

use paydeck::gateway::http::HttpConfig;
use paydeck::gateway::openpay::OpenpayGateway;
use paydeck::gateway::pin::PinGateway;
use paydeck::gateway::stripe::StripeGateway;
use paydeck::gateway::trx::TrxGateway;
use paydeck::gateway::{Gateway, RetryPolicy};
use paydeck::secret::Secret;
use paydeck::sim::{self, DialectInfo, FaultSpec, RunningSim, SimConfig};
use serde_json::{Value, json};

/// The gateways the simulator speaks, by the name config files and `?dialect=` use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Pin,
    Stripe,
    Openpay,
    Trx,
}

impl Dialect {
    pub const ALL: [Dialect; 4] = [
        Dialect::Pin,
        Dialect::Stripe,
        Dialect::Openpay,
        Dialect::Trx,
    ];

    /// `pin`, `stripe`, `openpay` or `trx`: a profile's `gateway` and the admin routes'
    /// `?dialect=`.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Pin => "pin",
            Dialect::Stripe => "stripe",
            Dialect::Openpay => "openpay",
            Dialect::Trx => "trx",
        }
    }
}

/// Retries quickly, so fault tests take seconds, and patiently, so they converge.
pub fn quick_http() -> HttpConfig {
    retrying(8)
}

/// [`quick_http`] with `attempts` tries per request.
pub fn retrying(attempts: u32) -> HttpConfig {
    HttpConfig {
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(10),
        retry: RetryPolicy {
            max_attempts: attempts,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(20),
            max_retry_after: Duration::from_millis(20),
            ..RetryPolicy::default()
        },
        ..HttpConfig::default()
    }
}

/// A simulator of `charges` charges and `customers` customers, with no live traffic
/// and no faults, seeded as the demo is (42).
pub fn seeded(charges: usize, customers: usize) -> SimConfig {
    SimConfig {
        charges,
        customers,
        live_per_minute: 0,
        ..SimConfig::default()
    }
}

/// The simulator the adapter tests run: `charges` charges, 40 customers, seed 7.
pub fn adapter_config(charges: usize) -> SimConfig {
    SimConfig {
        seed: 7,
        ..seeded(charges, 40)
    }
}

/// A fault spec from its text; empty text is no faults.
pub fn faults(spec: &str) -> FaultSpec {
    if spec.is_empty() {
        FaultSpec::default()
    } else {
        FaultSpec::parse(spec).expect("fault spec")
    }
}

/// A running simulator and the dialect a test talks to.
pub struct Sim {
    pub running: RunningSim,
    pub dialect: Dialect,
    /// The dialect's base URL (Openpay's ends in the merchant id).
    pub url: String,
    pub key: String,
}

/// Starts a simulator on any loopback port.
pub async fn start(dialect: Dialect, config: SimConfig) -> Sim {
    start_on("127.0.0.1:0", dialect, config).await
}

/// Starts a simulator on `addr` (to start one again where an earlier one stopped).
pub async fn start_on(addr: &str, dialect: Dialect, config: SimConfig) -> Sim {
    let running = start_all_on(addr, config).await;
    let info = running.dialect(dialect.name()).expect("dialect").clone();
    Sim {
        running,
        dialect,
        url: info.url,
        key: info.key,
    }
}

/// Starts a simulator for a test that speaks every dialect at once.
pub async fn start_all(config: SimConfig) -> RunningSim {
    start_all_on("127.0.0.1:0", config).await
}

async fn start_all_on(addr: &str, config: SimConfig) -> RunningSim {
    paydeck::gateway::http::install_crypto_provider();
    let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
    sim::start(listener, config).await.expect("sim starts")
}

impl Sim {
    /// The simulator's root, where `/_sim/*` lives.
    pub fn root(&self) -> String {
        format!("http://{}", self.running.addr)
    }

    /// The dialect as the simulator announces it (name, URL, key).
    pub fn info(&self) -> DialectInfo {
        self.running
            .dialect(self.dialect.name())
            .expect("dialect")
            .clone()
    }

    /// Openpay's API root (`/v1` included) and merchant id, which its URL joins.
    pub fn openpay_base_and_merchant(&self) -> (String, String) {
        let (base, merchant) = self
            .url
            .rsplit_once('/')
            .expect("url ends with the merchant id");
        (base.to_string(), merchant.to_string())
    }

    /// An admin route, `/_sim/{path}` (any dialect's key opens them); must succeed.
    pub async fn admin(&self, method: reqwest::Method, path: &str) -> Value {
        let response = reqwest::Client::new()
            .request(method, format!("{}/_sim/{path}", self.root()))
            .bearer_auth(&self.key)
            .send()
            .await
            .expect("admin request");
        let status = response.status();
        let body = response.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "/_sim/{path}: {status} {body}");
        body
    }

    /// The simulator's record of what this dialect's ledger applied, oldest first.
    pub async fn operations(&self) -> Vec<Value> {
        let name = self.dialect.name();
        let body = self
            .admin(reqwest::Method::GET, &format!("operations?dialect={name}"))
            .await;
        assert_eq!(body["dialect"], name, "the {name} ledger's log");
        body["operations"].as_array().cloned().unwrap_or_default()
    }

    /// How many of [`Sim::operations`] match.
    pub async fn count_operations(&self, matches: impl Fn(&Value) -> bool) -> usize {
        self.operations()
            .await
            .iter()
            .filter(|op| matches(op))
            .count()
    }

    /// How many operations of `kind` the simulator applied to `target`.
    pub async fn applied_to(&self, kind: &str, target: &str) -> usize {
        self.count_operations(|op| op["operation"] == kind && op["target"] == target)
            .await
    }

    /// How many faults of each kind the simulator injected.
    pub async fn injected_faults(&self) -> Value {
        self.admin(reqwest::Method::GET, "faults").await
    }

    /// Moves every dialect's clock on by `seconds`.
    pub async fn advance_clock(&self, seconds: u64) {
        let name = self.dialect.name();
        self.admin(
            reqwest::Method::POST,
            &format!("clock/advance?seconds={seconds}&dialect={name}"),
        )
        .await;
    }

    /// An access token from the transactions gateway's token endpoint.
    pub async fn trx_token(&self) -> String {
        trx_token(&self.url, &self.key).await
    }

    /// A request to the dialect with its credentials, for what the adapters hide.
    pub async fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let request = reqwest::Client::new().request(method, format!("{}/{path}", self.url));
        match self.dialect {
            Dialect::Pin | Dialect::Openpay => request.basic_auth(&self.key, Some("")),
            Dialect::Stripe => request.bearer_auth(&self.key),
            Dialect::Trx => request.bearer_auth(self.trx_token().await),
        }
    }

    /// `GET /_sim/{path}` with the dialect's key: the admin routes' status and body.
    pub async fn admin_get(&self, path: &str) -> (u16, String) {
        let response = reqwest::Client::new()
            .get(format!("{}/_sim/{path}", self.root()))
            .bearer_auth(&self.key)
            .send()
            .await
            .expect("admin request");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// `GET {url}/{path}`: the status and body as the dialect answers.
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self
            .request(reqwest::Method::GET, path)
            .await
            .send()
            .await
            .expect("raw request");
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }

    /// `GET {url}/{path}` as JSON (`null` when the body is not JSON).
    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let (status, text) = self.get_text(path).await;
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub fn pin(&self, http: HttpConfig) -> PinGateway {
        PinGateway::new(&self.url, Secret::new(self.key.clone()), http).expect("adapter")
    }

    pub fn stripe(&self, http: HttpConfig) -> StripeGateway {
        StripeGateway::new(&self.url, Secret::new(self.key.clone()), http).expect("adapter")
    }

    pub fn openpay(&self, http: HttpConfig) -> OpenpayGateway {
        let (base, merchant) = self.openpay_base_and_merchant();
        OpenpayGateway::new(&base, &merchant, Secret::new(self.key.clone()), http).expect("adapter")
    }

    pub fn trx(&self, http: HttpConfig) -> TrxGateway {
        TrxGateway::from_key(&self.url, Secret::new(self.key.clone()), http).expect("adapter")
    }

    /// The adapter for this dialect.
    pub fn gateway(&self, http: HttpConfig) -> Box<dyn Gateway> {
        match self.dialect {
            Dialect::Pin => Box::new(self.pin(http)),
            Dialect::Stripe => Box::new(self.stripe(http)),
            Dialect::Openpay => Box::new(self.openpay(http)),
            Dialect::Trx => Box::new(self.trx(http)),
        }
    }

    pub async fn shutdown(self) {
        self.running.shutdown().await;
    }
}

/// Each item's `field` in the JSON array `list`, as whole numbers.
pub fn whole_numbers(list: &Value, field: &str) -> Vec<i64> {
    let items = list.as_array().expect("a JSON array");
    items
        .iter()
        .map(|item| item[field].as_i64().expect("a whole number"))
        .collect()
}

/// An access token from the transactions gateway at `url` for `key` (`id:secret`).
pub async fn trx_token(url: &str, key: &str) -> String {
    let (id, secret) = key.split_once(':').expect("key has a colon");
    let body: Value = reqwest::Client::new()
        .post(format!("{url}/auth/token"))
        .json(&json!({ "client_id": id, "client_secret": secret }))
        .send()
        .await
        .expect("token request")
        .json()
        .await
        .expect("token json");
    body["access_token"].as_str().expect("token").to_string()
}

/// A simulator of one dialect seen only over HTTP, for the tests of the dialect's own
/// answers (`tests/sim_*.rs`): where it runs, its base URL and key, and a client.
pub struct Raw {
    pub sim: RunningSim,
    pub dialect: Dialect,
    pub http: reqwest::Client,
    pub url: String,
    pub key: String,
}

impl Raw {
    pub async fn start(dialect: Dialect, config: SimConfig) -> Raw {
        let started = start(dialect, config).await;
        Raw {
            dialect,
            http: reqwest::Client::new(),
            url: started.url,
            key: started.key,
            sim: started.running,
        }
    }

    /// `GET /_sim/{path}` with this dialect's key, as JSON.
    pub async fn admin_json(&self, path: &str) -> Value {
        self.http
            .get(format!("http://{}/_sim/{path}", self.sim.addr))
            .bearer_auth(&self.key)
            .send()
            .await
            .expect("an admin request")
            .json()
            .await
            .expect("an admin answer in JSON")
    }

    /// The simulator's record of what this dialect's ledger applied, oldest first.
    pub async fn operations(&self) -> Vec<Value> {
        let name = self.dialect.name();
        let body = self.admin_json(&format!("operations?dialect={name}")).await;
        assert_eq!(body["dialect"], name, "the {name} ledger's log");
        body["operations"].as_array().cloned().unwrap_or_default()
    }
}

/// A simulator and the adapter a test drives against it.
pub struct Adapted<G> {
    pub sim: Sim,
    pub gateway: G,
}

impl<G> Adapted<G> {
    /// `config`'s simulator of `dialect`, and the adapter `connect` makes for it with
    /// [`quick_http`] (e.g. `Sim::pin`).
    pub async fn start(
        dialect: Dialect,
        config: SimConfig,
        connect: impl FnOnce(&Sim, HttpConfig) -> G,
    ) -> Adapted<G> {
        let sim = start(dialect, config).await;
        let gateway = connect(&sim, quick_http());
        Adapted { sim, gateway }
    }
}

impl<G> std::ops::Deref for Adapted<G> {
    type Target = Sim;

    fn deref(&self) -> &Sim {
        &self.sim
    }
}
