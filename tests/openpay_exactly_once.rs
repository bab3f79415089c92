//! Nothing twice, nothing lost: hundreds of writes through the Openpay adapter against
//! a simulator that fails a fifth of requests and applies some writes but loses their
//! responses. Openpay has no idempotency keys: creates are found again by `order_id`,
//! captures, cancellations and refunds by reading the charge back. The simulator's
//! own record of what it applied must show every write the adapter reported as done
//! exactly once, and none that it reported as failed.

mod common;

use common::exactly_once::{
    FAULTS, Outcome, applied, assert_applied_as_reported, assert_faults_injected,
};

use std::str::FromStr;
use std::sync::Arc;

use common::{new_charge, quick_http, test_card};
use paydeck::domain::Charge;
use paydeck::gateway::openpay::OpenpayGateway;
use paydeck::gateway::{Gateway, GatewayError, OperationKey};
use paydeck::money::{Currency, Money};
use paydeck::secret::Secret;
use paydeck::sim::{self, FaultSpec, RunningSim, SimConfig};
use rust_decimal::Decimal;
use serde_json::Value;
use tokio::task::JoinSet;

const CHARGES: usize = 120;
struct Faulty {
    sim: RunningSim,
    gateway: OpenpayGateway,
    key: String,
}

impl Faulty {
    async fn start() -> Faulty {
        paydeck::gateway::http::install_crypto_provider();
        let config = SimConfig {
            seed: 7,
            charges: 0,
            customers: 5,
            live_per_minute: 0,
            faults: FaultSpec::parse(FAULTS).expect("fault spec"),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let sim = sim::start(listener, config).await.expect("sim starts");
        let dialect = sim.dialect("OPENPAY").expect("openpay dialect");
        let merchant = dialect.merchant_id().expect("merchant id").to_string();
        let base = dialect
            .url
            .strip_suffix(&format!("/{merchant}"))
            .expect("url ends in the merchant id")
            .to_string();
        let key = dialect.key.clone();
        let gateway = OpenpayGateway::new(&base, &merchant, Secret::new(key.clone()), quick_http())
            .expect("adapter");
        Faulty { sim, gateway, key }
    }

    async fn admin(&self, path: &str) -> Value {
        reqwest::Client::new()
            .get(format!("http://{}/_sim/{path}", self.sim.addr))
            .basic_auth(&self.key, Some(""))
            .send()
            .await
            .expect("admin route")
            .json()
            .await
            .expect("admin json")
    }
}

fn mxn(text: &str) -> Money {
    let currency = Currency::from_code("MXN").expect("MXN");
    Money::new(Decimal::from_str(text).expect("decimal"), currency).expect("money")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_applies_exactly_once_under_faults() {
    let sim = Arc::new(Faulty::start().await);

    // Pre-authorisations, created through the same faults.
    let mut tasks = JoinSet::new();
    for i in 0..CHARGES {
        let sim = sim.clone();
        tasks.spawn(async move {
            let amount = mxn(&format!("{}.{:02}", 10 + i, i % 100));
            let charge = new_charge(amount, false, test_card("4111111111111111"));
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

    // Two thirds confirmed (part of the amount) then refunded twice, one third cancelled.
    let mut tasks = JoinSet::new();
    for (i, charge) in charges.iter().cloned().enumerate() {
        let sim = sim.clone();
        tasks.spawn(async move {
            let g = &sim.gateway;
            let mut outcomes = Vec::new();
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
            if i % 3 == 2 {
                outcomes.push(record(
                    "void",
                    g.void(&charge.id, &OperationKey::new()).await.map(drop),
                ));
                return outcomes;
            }
            let part = charge
                .amount
                .checked_sub(mxn("5.00"))
                .expect("same currency");
            let captured = g
                .capture(&charge.id, part, &OperationKey::new())
                .await
                .map(drop);
            let ok = captured.is_ok();
            outcomes.push(record("capture", captured));
            if ok {
                for _ in 0..2 {
                    let refund = g
                        .refund(
                            &charge.id,
                            mxn("1.00"),
                            Some("exactly once"),
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

    // The faults this test is about really happened, many times over.
    let injected = sim.admin("faults").await;
    assert_faults_injected(&injected);

    let operations = sim.admin("operations?dialect=openpay").await["operations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let created = applied(&operations, "create_charge");
    let expected = assert_applied_as_reported(&operations, &outcomes);
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
    // The charges read back say the same: each refund once, each capture for the part.
    for charge in &charges {
        let Ok(now) = sim.gateway.get_charge(&charge.id).await else {
            continue;
        };
        let captures = expected.get(&("capture", charge.id.clone())).copied();
        if captures == Some(1) {
            assert_eq!(
                now.captured,
                charge.amount.checked_sub(mxn("5.00")).unwrap()
            );
        }
    }
    let writes = outcomes.len() + CHARGES;
    let done = outcomes
        .iter()
        .filter(|(_, _, o)| matches!(o, Outcome::Done))
        .count()
        + charges.len();
    assert!(writes >= 300, "only {writes} writes");
    // Under these faults the adapter should still get nearly everything done.
    assert!(
        done * 10 >= writes * 9,
        "only {done} of {writes} writes succeeded"
    );
}
