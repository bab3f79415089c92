//! Nothing twice, nothing lost, on Stripe: hundreds of keyed writes through the Stripe
//! adapter against a simulator that fails a fifth of requests, applies some writes but
//! loses their responses, drops connections and garbles bodies. Every write is resent
//! with its key until Stripe answers; the simulator's own record must show each write
//! the adapter reported as done applied exactly once, and none that it reported failed.

mod common;

use common::exactly_once::{
    FAULTS, Outcome, applied, assert_applied_as_reported, assert_faults_injected,
};

use std::sync::Arc;
use std::time::Duration;

use paydeck::domain::{Charge, NewCharge, NewCustomer, PaymentSource};
use paydeck::gateway::http::HttpConfig;
use paydeck::gateway::stripe::StripeGateway;
use paydeck::gateway::{Gateway, GatewayError, OperationKey, RetryPolicy};
use paydeck::money::{Currency, Money};
use paydeck::secret::Secret;
use paydeck::sim::{self, FaultSpec, RunningSim, SimConfig};
use serde_json::Value;
use tokio::task::JoinSet;

const CHARGES: usize = 120;
const CUSTOMERS: usize = 30;
struct StripeSim {
    sim: RunningSim,
    gateway: StripeGateway,
    key: String,
}

/// Quick retries so the test takes seconds; many, so that a run of faults this long
/// (about 0.37^12) never happens in practice.
fn quick_http() -> HttpConfig {
    HttpConfig {
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(10),
        retry: RetryPolicy {
            max_attempts: 12,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(20),
            max_retry_after: Duration::from_millis(20),
            ..RetryPolicy::default()
        },
        ..HttpConfig::default()
    }
}

async fn stripe_sim(faults: &str) -> StripeSim {
    paydeck::gateway::http::install_crypto_provider();
    let config = SimConfig {
        seed: 13,
        charges: 0,
        customers: 5,
        live_per_minute: 0,
        faults: FaultSpec::parse(faults).expect("fault spec"),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let sim = sim::start(listener, config).await.expect("sim starts");
    let dialect = sim.dialect("STRIPE").expect("stripe dialect").clone();
    let gateway = StripeGateway::new(&dialect.url, Secret::new(dialect.key.clone()), quick_http())
        .expect("adapter");
    StripeSim {
        sim,
        gateway,
        key: dialect.key,
    }
}

impl StripeSim {
    /// `GET /_sim/{path}`, with the Stripe key or, failing that, another dialect's.
    async fn admin(&self, path: &str) -> Value {
        let client = reqwest::Client::new();
        let url = format!("http://{}/_sim/{path}", self.sim.addr);
        let mut keys = vec![self.key.clone()];
        keys.extend(self.sim.dialects.iter().map(|d| d.key.clone()));
        for key in keys {
            let response = client
                .get(&url)
                .bearer_auth(&key)
                .send()
                .await
                .expect("admin request");
            if response.status().is_success() {
                return response.json().await.expect("admin json");
            }
        }
        panic!("no key opens /_sim/{path}");
    }
}

fn usd(minor: i64) -> Money {
    Money::from_minor(minor, Currency::USD)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_keyed_write_applies_exactly_once_under_faults() {
    let sim = Arc::new(stripe_sim(FAULTS).await);

    // Authorisations, created through the same faults.
    let mut tasks = JoinSet::new();
    for i in 0..CHARGES {
        let sim = sim.clone();
        tasks.spawn(async move {
            let charge = NewCharge {
                amount: usd(1000 + i as i64),
                email: "jenny.rosen@example.com".into(),
                description: format!("order {i}"),
                ip_address: String::new(),
                capture: false,
                source: PaymentSource::CardToken("tok_visa".into()),
                metadata: Default::default(),
            };
            sim.gateway
                .create_charge(&charge, &OperationKey::new())
                .await
        });
    }
    let mut charges: Vec<Charge> = Vec::new();
    let mut create_failures = 0;
    while let Some(joined) = tasks.join_next().await {
        match joined.expect("task") {
            Ok(charge) => charges.push(charge),
            Err(e) => {
                assert!(
                    !matches!(e, GatewayError::Unconfirmed { .. }),
                    "unconfirmed create: {e}"
                );
                create_failures += 1;
            }
        }
    }

    // Each captured in full, then refunded twice in part.
    let mut tasks = JoinSet::new();
    for charge in charges.iter().cloned() {
        let sim = sim.clone();
        tasks.spawn(async move {
            let g = &sim.gateway;
            let record = |kind: &'static str, result: Result<(), GatewayError>| {
                (
                    kind,
                    charge.id.clone(),
                    match result {
                        Ok(()) => Outcome::Done,
                        Err(e) => Outcome::Failed(e),
                    },
                )
            };
            let mut outcomes = Vec::new();
            let captured = g
                .capture(&charge.id, charge.amount, &OperationKey::new())
                .await
                .map(drop);
            let ok = captured.is_ok();
            outcomes.push(record("capture", captured));
            if ok {
                for _ in 0..2 {
                    let refund = g
                        .refund(
                            &charge.id,
                            usd(100),
                            Some("requested_by_customer"),
                            &OperationKey::new(),
                        )
                        .await;
                    outcomes.push(record("refund", refund.map(drop)));
                }
            }
            outcomes
        });
    }
    let mut outcomes = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        outcomes.extend(joined.expect("task"));
    }

    // Customers created and deleted: a keyed POST, and a DELETE Stripe does not key.
    let mut tasks = JoinSet::new();
    for i in 0..CUSTOMERS {
        let sim = sim.clone();
        tasks.spawn(async move {
            let g = &sim.gateway;
            let customer = NewCustomer {
                email: format!("customer{i}@example.com"),
                first_name: Some("Jenny".into()),
                last_name: Some(format!("Rosen {i}")),
                phone: None,
                company: None,
                notes: None,
                card: PaymentSource::CardToken("tok_visa".into()),
            };
            let created = g.create_customer(&customer, &OperationKey::new()).await;
            let id = match created {
                Ok(c) => c.id,
                Err(e) => return vec![("create_customer", format!("#{i}"), Outcome::Failed(e))],
            };
            let deleted = g.delete_customer(&id, &OperationKey::new()).await;
            vec![
                ("create_customer", id.clone(), Outcome::Done),
                (
                    "delete_customer",
                    id,
                    match deleted {
                        Ok(()) => Outcome::Done,
                        Err(e) => Outcome::Failed(e),
                    },
                ),
            ]
        });
    }
    while let Some(joined) = tasks.join_next().await {
        outcomes.extend(joined.expect("task"));
    }

    // The faults this test is about really happened, many times over.
    let injected = sim.admin("faults").await;
    assert_faults_injected(&injected);

    let log = sim.admin("operations?dialect=stripe").await;
    assert_eq!(log["dialect"], "stripe", "the Stripe ledger's log");
    let operations = log["operations"].as_array().cloned().unwrap_or_default();
    assert_applied_as_reported(&operations, &outcomes);
    let created = applied(&operations, "create_charge");
    for charge in &charges {
        assert_eq!(
            created.get(&charge.id),
            Some(&1),
            "charge {} created once",
            charge.id
        );
    }
    assert_eq!(
        created.len(),
        charges.len(),
        "a create the adapter reported as failed ({create_failures}) was applied"
    );
    let writes = outcomes.len() + CHARGES;
    let done = outcomes
        .iter()
        .filter(|(_, _, o)| matches!(o, Outcome::Done))
        .count()
        + charges.len();
    assert!(writes >= 300, "only {writes} writes");
    assert_eq!(
        done, writes,
        "every keyed write should get through in the end"
    );
}
