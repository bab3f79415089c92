//! The sync copies payouts (with each payout's balance lines), refunds and customers
//! into the store on every gateway that lists them, and a later sync, after the
//! simulator's clock has moved on (payouts paid, new ones cut), holds the simulator's
//! answer again: the store is compared with the gateway's lists, field by field.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use common::simulator::{Dialect, Sim, quick_http, seeded, start};
use paydeck::domain::{BalanceLine, Customer, Payout, Refund};
use paydeck::gateway::Gateway;
use paydeck::store::{PAYOUTS_MAX, Store, StoreHandle};
use paydeck::sync::SyncReport;

async fn sync(gateway: &Arc<dyn Gateway>, writer: &StoreHandle) -> SyncReport {
    common::sync_once(gateway, writer).await
}

/// What the store and the gateway must agree on, without the raw JSON.
fn payout_key(p: &Payout) -> String {
    format!(
        "{} {} {:?} {:?}",
        p.status.label(),
        p.amount,
        p.arrival,
        p.created
    )
}

/// Money by its value (`748.70` and `748.7` are one amount).
fn line_key(l: &BalanceLine) -> String {
    let a = &l.amounts;
    format!(
        "{:?} {:?} {} {} {} {} {:?}",
        l.kind, l.source_id, a.gross, a.fee, a.fee_tax, a.net, l.occurred
    )
}

fn refund_key(r: &Refund) -> String {
    format!(
        "{} {} {:?} {:?}",
        r.charge_id, r.amount, r.status, r.created
    )
}

fn customer_key(c: &Customer) -> String {
    format!("{} {:?}", c.email, c.created)
}

/// The gateway's payouts, each with its lines, by id.
async fn listed_payouts(gateway: &Arc<dyn Gateway>) -> BTreeMap<String, (String, Vec<String>)> {
    let payouts = common::every_page(|page| async move {
        gateway.list_payouts(&page).await.expect("the payouts")
    })
    .await;
    let mut listed = BTreeMap::new();
    for payout in payouts {
        let lines = match gateway.capabilities().payout_lines {
            true => {
                let id = payout.id.clone();
                common::every_page(|page| {
                    let id = id.clone();
                    async move { gateway.payout_lines(&id, &page).await.expect("lines") }
                })
                .await
            }
            false => Vec::new(),
        };
        let lines = lines.iter().map(line_key).collect();
        listed.insert(payout.id.clone(), (payout_key(&payout), lines));
    }
    listed
}

async fn stored_payouts(writer: &StoreHandle) -> BTreeMap<String, (String, Vec<String>)> {
    writer
        .call(|store: &mut Store| {
            let from = DateTime::<Utc>::MIN_UTC;
            let until = DateTime::<Utc>::MAX_UTC;
            let mut held = BTreeMap::new();
            for payout in store.payouts_between(from, until, PAYOUTS_MAX)? {
                let lines = store.balance_lines(&payout.id)?;
                let lines = lines.iter().map(line_key).collect();
                held.insert(payout.id.clone(), (payout_key(&payout), lines));
            }
            Ok(held)
        })
        .await
        .expect("the store's payouts")
}

/// Every listed object of a kind, by id, and the same ids as the store holds them.
async fn listed_and_stored<T, F, Fut>(
    writer: &StoreHandle,
    list: F,
    key: fn(&T) -> String,
    id: fn(&T) -> String,
) -> (BTreeMap<String, String>, BTreeMap<String, String>)
where
    T: paydeck::store::Stored + Send + 'static,
    F: FnMut(paydeck::domain::PageRequest) -> Fut,
    Fut: std::future::Future<Output = paydeck::domain::Page<T>>,
{
    let listed: BTreeMap<String, String> = common::every_page(list)
        .await
        .iter()
        .map(|o| (id(o), key(o)))
        .collect();
    let ids: Vec<String> = listed.keys().cloned().collect();
    let stored = writer
        .call(move |store: &mut Store| {
            let mut held = BTreeMap::new();
            for id in ids {
                if let Some(object) = store.get::<T>(&id)? {
                    held.insert(id, key(&object));
                }
            }
            Ok(held)
        })
        .await
        .expect("the store");
    (listed, stored)
}

/// The store holds what the gateway lists, or the first differences are said.
fn same<V: PartialEq + std::fmt::Debug>(
    what: &str,
    stored: &BTreeMap<String, V>,
    listed: &BTreeMap<String, V>,
) {
    let differ: Vec<String> = listed
        .iter()
        .filter(|(id, v)| stored.get(*id) != Some(*v))
        .map(|(id, v)| format!("{id}:\n listed {v:?}\n stored {:?}", stored.get(id)))
        .chain(
            stored
                .keys()
                .filter(|id| !listed.contains_key(*id))
                .map(|id| format!("{id}: stored, not listed")),
        )
        .take(3)
        .collect();
    assert!(differ.is_empty(), "{what}:\n{}", differ.join("\n"));
}

async fn agrees(dialect: Dialect, sim: &Sim, gateway: &Arc<dyn Gateway>, writer: &StoreHandle) {
    let caps = gateway.capabilities();
    if caps.payouts {
        let listed = listed_payouts(gateway).await;
        assert!(!listed.is_empty(), "{dialect:?}: the simulator pays out");
        same(
            &format!("{dialect:?} payouts"),
            &stored_payouts(writer).await,
            &listed,
        );
    }
    if caps.refund_list {
        let (listed, stored) = listed_and_stored(
            writer,
            |page| async move { gateway.list_refunds(&page).await.expect("refunds") },
            refund_key,
            |r: &Refund| r.id.clone(),
        )
        .await;
        assert!(!listed.is_empty(), "{dialect:?}: the simulator refunds");
        same(&format!("{dialect:?} refunds"), &stored, &listed);
    }
    if caps.customers {
        let (listed, stored) = listed_and_stored(
            writer,
            |page| async move { gateway.list_customers(&page).await.expect("customers") },
            customer_key,
            |c: &Customer| c.id.clone(),
        )
        .await;
        assert!(
            !listed.is_empty(),
            "{dialect:?}: the simulator has customers"
        );
        same(&format!("{dialect:?} customers"), &stored, &listed);
    }
    let _ = sim;
}

#[tokio::test]
async fn payouts_lines_refunds_and_customers_reach_the_store_and_stay_in_step() {
    for dialect in Dialect::ALL {
        let sim = start(dialect, seeded(400, 30)).await;
        let gateway: Arc<dyn Gateway> = Arc::from(sim.gateway(quick_http()));
        let dir = std::env::temp_dir().join(format!("paydeck-objects-{}", uuid::Uuid::new_v4()));
        let store = Store::open(&Store::path_for(&dir, "p")).expect("a store");
        let writer = StoreHandle::spawn(store, "store-writer").expect("its thread");

        let report = sync(&gateway, &writer).await;
        let caps = gateway.capabilities();
        assert_eq!(report.payouts > 0, caps.payouts, "{dialect:?}: {report:?}");
        assert_eq!(
            report.customers > 0,
            caps.customers,
            "{dialect:?}: {report:?}"
        );
        agrees(dialect, &sim, &gateway, &writer).await;

        // Days pass: pending payouts are paid and new ones cut; the next sync follows.
        sim.advance_clock(6 * 86_400).await;
        sync(&gateway, &writer).await;
        agrees(dialect, &sim, &gateway, &writer).await;

        drop(writer);
        sim.shutdown().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
