//! Nothing twice, nothing lost: hundreds of writes through the Pin adapter against a
//! simulator that fails a fifth of requests and applies some writes but loses their
//! responses. The simulator's own record of what it applied must show every write the
//! adapter reported as done exactly once, and none that it reported as failed.

mod common;

use common::exactly_once::{
    FAULTS, Outcome, applied, assert_applied_as_reported, assert_faults_injected,
};

use std::sync::Arc;

use common::{new_charge, pin_sim, test_card};
use paydeck::domain::Charge;
use paydeck::gateway::{Gateway, GatewayError, OperationKey};
use paydeck::money::{Currency, Money};
use tokio::task::JoinSet;

const CHARGES: usize = 120;
fn aud(minor: i64) -> Money {
    Money::from_minor(minor, Currency::AUD)
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
    assert_faults_injected(&injected);

    let operations = sim.operations().await;
    let created = applied(&operations, "create_charge");
    assert_applied_as_reported(&operations, &outcomes);
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
