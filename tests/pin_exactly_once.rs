//! Nothing twice, nothing lost, on Pin: the exactly-once workload (tests/common/
//! exactly_once.rs) through the Pin adapter. Pin keys its writes; two thirds of the
//! authorisations are captured in full and refunded twice, one third voided.

mod common;

use std::sync::Arc;

use common::exactly_once::{self, Expect, Workload};
use common::{Dialect, new_charge, quick_http, test_card};
use paydeck::money::{Currency, Money};

fn aud(minor: i64) -> Money {
    Money::from_minor(minor, Currency::AUD)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_applies_exactly_once_under_faults() {
    let sim = exactly_once::start(Dialect::Pin, 7, 40).await;
    let gateway = Arc::new(sim.pin(quick_http()));
    let workload = Workload {
        charge: Box::new(|i| {
            new_charge(aud(1000 + i as i64), false, test_card("4200000000000000"))
        }),
        void_every_third: true,
        held_back: None,
        refund: aud(100),
        reason: None,
    };
    workload
        .run_and_check(&sim, gateway, Expect::NineInTen)
        .await;
}
