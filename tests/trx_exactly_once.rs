//! Nothing twice, nothing lost, on the transactions gateway: the exactly-once workload
//! (tests/common/exactly_once.rs) through its adapter. The gateway has no idempotency
//! keys: creates are found again by `order_id` (the lookup), captures (for part of the
//! amount) and voids by reading the payment back, refunds by the payment's refunded
//! amount and then its newest REFUND.

mod common;

use std::str::FromStr;
use std::sync::Arc;

use common::exactly_once::{self, Expect, Workload};
use common::{Dialect, new_charge, quick_http, test_card};
use paydeck::money::{Currency, Money};
use rust_decimal::Decimal;

fn usd(text: &str) -> Money {
    Money::new(Decimal::from_str(text).expect("decimal"), Currency::USD).expect("money")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_applies_exactly_once_under_faults() {
    let sim = exactly_once::start(Dialect::Trx, 7, 5).await;
    let gateway = Arc::new(sim.trx(quick_http()));
    let workload = Workload {
        charge: |i| {
            let amount = usd(&format!("{}.{:02}", 10 + i, i % 100));
            new_charge(amount, false, test_card("4111111111111111"))
        },
        void_every_third: true,
        held_back: Some(usd("5.00")),
        refund: usd("1.00"),
        reason: Some("exactly once"),
    };
    let report = workload.run(gateway.clone()).await;
    report
        .assert_exactly_once(&sim, gateway.as_ref(), &workload, Expect::NineInTen)
        .await;
}
