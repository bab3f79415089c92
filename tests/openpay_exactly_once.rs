//! Nothing twice, nothing lost, on Openpay: the exactly-once workload (tests/common/
//! exactly_once.rs) through the Openpay adapter. Openpay has no idempotency keys:
//! creates are found again by `order_id`, confirmations (captures for part of the
//! amount), cancellations and refunds by reading the charge back.

mod common;

use std::str::FromStr;
use std::sync::Arc;

use common::exactly_once::{self, Expect, Workload};
use common::{Dialect, new_charge, quick_http, test_card};
use paydeck::money::{Currency, Money};
use rust_decimal::Decimal;

fn mxn(text: &str) -> Money {
    let currency = Currency::from_code("MXN").expect("MXN");
    Money::new(Decimal::from_str(text).expect("decimal"), currency).expect("money")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_applies_exactly_once_under_faults() {
    let sim = exactly_once::start(Dialect::Openpay, 7, 5).await;
    let gateway = Arc::new(sim.openpay(quick_http()));
    let workload = Workload {
        charge: |i| {
            let amount = mxn(&format!("{}.{:02}", 10 + i, i % 100));
            new_charge(amount, false, test_card("4111111111111111"))
        },
        void_every_third: true,
        held_back: Some(mxn("5.00")),
        refund: mxn("1.00"),
        reason: Some("exactly once"),
    };
    let report = workload.run(gateway.clone()).await;
    report
        .assert_exactly_once(&sim, gateway.as_ref(), &workload, Expect::NineInTen)
        .await;
}
