//! Nothing twice, nothing lost, on Stripe: the exactly-once workload (tests/common/
//! exactly_once.rs) through the Stripe adapter, every authorisation captured in full and
//! refunded twice in part, then customers created and deleted. Every write is resent
//! with its key until Stripe answers, so every one must get through.

mod common;

use std::sync::Arc;

use common::Dialect;
use common::exactly_once::{self, Expect, Outcome, Workload};
use common::simulator::retrying;
use paydeck::domain::{NewCharge, NewCustomer, PaymentSource};
use paydeck::gateway::{Customers, OperationKey};
use paydeck::money::{Currency, Money};
use tokio::task::JoinSet;

const CUSTOMERS: usize = 30;

fn usd(minor: i64) -> Money {
    Money::from_minor(minor, Currency::USD)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_keyed_write_applies_exactly_once_under_faults() {
    let sim = exactly_once::start(Dialect::Stripe, 13, 5).await;
    // Many retries, so that a run of faults this long (about 0.37^12) never happens.
    let gateway = Arc::new(sim.stripe(retrying(12)));
    let workload = Workload {
        charge: Box::new(|i| NewCharge {
            amount: usd(1000 + i as i64),
            email: "jenny.rosen@example.com".into(),
            description: format!("order {i}"),
            ip_address: String::new(),
            capture: false,
            source: PaymentSource::CardToken("tok_visa".into()),
            metadata: Default::default(),
        }),
        void_every_third: false,
        held_back: None,
        refund: usd(100),
        reason: Some("requested_by_customer"),
    };
    let mut report = workload.run(gateway.clone()).await;

    // Customers created and deleted: a keyed POST, and a DELETE Stripe does not key.
    let mut tasks = JoinSet::new();
    for i in 0..CUSTOMERS {
        let gateway = gateway.clone();
        tasks.spawn(async move {
            let customer = NewCustomer {
                email: format!("customer{i}@example.com"),
                first_name: Some("Jenny".into()),
                last_name: Some(format!("Rosen {i}")),
                phone: None,
                company: None,
                notes: None,
                card: PaymentSource::CardToken("tok_visa".into()),
            };
            let created = gateway
                .create_customer(&customer, &OperationKey::new())
                .await;
            let id = match created {
                Ok(c) => c.id,
                Err(e) => return vec![("create_customer", format!("#{i}"), Outcome::Failed(e))],
            };
            let deleted = gateway.delete_customer(&id, &OperationKey::new()).await;
            vec![
                ("create_customer", id.clone(), Outcome::Done),
                ("delete_customer", id, deleted.into()),
            ]
        });
    }
    while let Some(joined) = tasks.join_next().await {
        report.writes.extend(joined.expect("task"));
    }

    report
        .assert_exactly_once(&sim, gateway.as_ref(), &workload, Expect::All)
        .await;
}
