//! What a resumed backfill must end with, whichever process was killed: the store's
//! backfill done, having read each charge once, and the store holding every charge the
//! simulator lists, none doubled, none missing.

use std::collections::BTreeSet;

use paydeck::domain::ChargeFilter;
use paydeck::gateway::Charges;
use paydeck::store::query::PageFrom;
use paydeck::store::{CHARGES, Store, SyncPhase};
use tokio::runtime::Runtime;

pub fn holds_every_charge_once(
    runtime: &Runtime,
    gateway: &dyn Charges,
    store: &Store,
    held: usize,
) {
    let finished = store
        .sync_state(CHARGES, SyncPhase::Backfill)
        .unwrap()
        .expect("the backfill");
    assert!(finished.done, "{finished:?}");
    assert_eq!(finished.fetched, held as u64, "no page read twice");

    let listed: BTreeSet<String> = runtime
        .block_on(super::every_page(|page| async move {
            gateway
                .list_charges(&page, &ChargeFilter::default())
                .await
                .expect("the simulator's list")
        }))
        .into_iter()
        .map(|c| c.id)
        .collect();
    let stored: Vec<String> = store
        .charge_page(&ChargeFilter::default(), PageFrom::Newest, held * 2)
        .expect("the store's charges")
        .rows
        .into_iter()
        .map(|(_, c)| c.id)
        .collect();
    assert_eq!(stored.len(), held, "none doubled, none missing");
    assert_eq!(listed.len(), held);
    assert_eq!(stored.into_iter().collect::<BTreeSet<_>>(), listed);
}
