//! Nothing twice, nothing lost, on Openpay: the exactly-once workload (tests/common/
//! exactly_once.rs) through the Openpay adapter. Openpay has no idempotency keys:
//! creates are found again by `order_id`, confirmations (captures for part of the
//! amount), cancellations and refunds by reading the charge back.

mod common;

use std::sync::Arc;

use common::exactly_once::{self, Expect, Workload};
use common::{Dialect, quick_http};
use paydeck::money::Currency;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_applies_exactly_once_under_faults() {
    let sim = exactly_once::start(Dialect::Openpay, 7, 5).await;
    let gateway = Arc::new(sim.openpay(quick_http()));
    Workload::unkeyed(Currency::from_code("MXN").expect("MXN"))
        .run_and_check(&sim, gateway, Expect::NineInTen)
        .await;
}
