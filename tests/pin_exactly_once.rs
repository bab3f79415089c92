//! Nothing twice, nothing lost: hundreds of writes through the Pin adapter against a
//! simulator that fails a fifth of requests and applies some writes but loses their
//! responses. The simulator's own record of what it applied must show every write the
//! adapter reported as done exactly once, and none that it reported as failed.

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use common::{new_charge, pin_sim, test_card};
use paydeck::domain::Charge;
use paydeck::gateway::{Gateway, GatewayError, OperationKey};
use paydeck::money::{Currency, Money};
use serde_json::Value;
use tokio::task::JoinSet;

const CHARGES: usize = 120;
const FAULTS: &str = "error_rate=0.2,commit_then_fail=0.1,reset_rate=0.03,malformed_rate=0.04";

#[derive(Debug)]
enum Outcome {
    Done,
    Failed(GatewayError),
}

fn aud(minor: i64) -> Money {
    Money::from_minor(minor, Currency::AUD)
}

/// Applied operations of one kind, counted by target.
fn applied(operations: &[Value], kind: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for op in operations
        .iter()
        .filter(|op| op["operation"] == kind && op["source"] == "api")
    {
        let target = op["target"].as_str().unwrap_or_default().to_string();
        *counts.entry(target).or_default() += 1;
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_applies_exactly_once_under_faults() {
    let sim = Arc::new(pin_sim(0, FAULTS).await);

    // Authorisations, created through the same faults.
    let mut tasks = JoinSet::new();
    for i in 0..CHARGES {
        let sim = sim.clone();
        tasks.spawn(async move {
            let amount = aud(1000 + i as i64);
            let charge = new_charge(amount, false, test_card("4200000000000000"));
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

    // Two thirds captured then partly refunded twice, one third voided.
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
            let captured = g
                .capture(&charge.id, charge.amount, &OperationKey::new())
                .await
                .map(drop);
            let ok = captured.is_ok();
            outcomes.push(record("capture", captured));
            if ok {
                for _ in 0..2 {
                    let refund = g
                        .refund(&charge.id, aud(100), None, &OperationKey::new())
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
    let injected = sim.injected_faults().await;
    for kind in ["error", "commit_then_fail", "reset", "malformed"] {
        let n = injected[kind].as_u64().unwrap_or(0);
        assert!(n >= 5, "only {n} {kind} faults injected: {injected}");
    }

    let operations = sim.operations().await;
    let created = applied(&operations, "create_charge");
    let mut expected: HashMap<(&str, String), usize> = HashMap::new();
    for (kind, target, outcome) in &outcomes {
        match outcome {
            Outcome::Done => *expected.entry((kind, target.clone())).or_default() += 1,
            Outcome::Failed(GatewayError::Unconfirmed { .. }) => {
                panic!("{kind} on {target} left unconfirmed")
            }
            Outcome::Failed(_) => {
                expected.entry((kind, target.clone())).or_default();
            }
        }
    }
    for ((kind, target), want) in &expected {
        let got = applied(&operations, kind).get(target).copied().unwrap_or(0);
        assert_eq!(
            got, *want,
            "{kind} on {target}: applied {got} times, reported done {want} times"
        );
    }
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
    // Under these faults the adapter should still get nearly everything done.
    assert!(
        done * 10 >= writes * 9,
        "only {done} of {writes} writes succeeded"
    );
}
