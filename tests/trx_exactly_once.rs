//! Nothing twice, nothing lost, on the transactions gateway: the exactly-once workload
//! (tests/common/exactly_once.rs) through its adapter. The gateway has no idempotency
//! keys: creates are found again by `order_id` (the lookup), captures (for part of the
//! amount) and voids by reading the payment back, refunds by the payment's refunded
//! amount and then its newest REFUND.

mod common;

use std::sync::Arc;

use common::exactly_once::{self, Expect, Workload};
use common::{Dialect, quick_http};
use paydeck::money::Currency;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_applies_exactly_once_under_faults() {
    let sim = exactly_once::start(Dialect::Trx, 7, 5).await;
    let gateway = Arc::new(sim.trx(quick_http()));
    Workload::unkeyed(Currency::USD)
        .run_and_check(&sim, gateway, Expect::NineInTen)
        .await;
}
