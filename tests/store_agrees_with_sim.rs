//! The store agrees with the gateway after the gateway changed older charges: for
//! each gateway, a simulator is synced into a new store; then charges made before
//! that sync are captured, refunded, disputed and left to lapse, new charges arrive,
//! the clock moves on (no sleeps), and a second sync must leave every stored charge
//! as the gateway lists it: the same charges, statuses and amounts. The refunded and
//! disputed charges are older than the pages a sync reads for new charges (600
//! seeded over 30 days), so only the gateway's change feed can tell of them.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::TimeDelta;

use common::{Dialect, Sim, every_page, made, order, quick_http, start};
use paydeck::domain::{Charge, ChargeFilter, ChargeStatus};
use paydeck::gateway::{Gateway, OperationKey};
use paydeck::money::Money;
use paydeck::sim::SimConfig;
use paydeck::store::{Store, StoreHandle};

const DAY: u64 = 86_400;

/// A store in a directory of its own under the system's temporary one, removed on drop.
struct TempStore {
    dir: PathBuf,
    writer: StoreHandle,
}

impl TempStore {
    fn new(dialect: Dialect) -> TempStore {
        let dir = std::env::temp_dir().join(format!(
            "paydeck-agrees-{}-{}",
            dialect.name(),
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir.join("store.sqlite")).expect("a new store");
        let writer = StoreHandle::spawn(store, "agrees-writer").expect("its thread");
        TempStore { dir, writer }
    }
}

impl Drop for TempStore {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn sync(gateway: &Arc<dyn Gateway>, store: &TempStore) {
    let report = common::sync_once(gateway, &store.writer).await;
    assert!(report.backfill_done, "{report:?}");
}

/// Every charge the gateway lists, newest first.
async fn listed(gateway: &Arc<dyn Gateway>) -> Vec<Charge> {
    every_page(|page| {
        let gateway = gateway.clone();
        async move {
            gateway
                .list_charges(&page, &ChargeFilter::default())
                .await
                .expect("a page of charges")
        }
    })
    .await
}

/// What a charge's agreement is judged on.
fn judged(c: &Charge) -> String {
    format!(
        "{} {:?} amount {} captured {} refunded {} released {}",
        c.id, c.status, c.amount, c.captured, c.refunded, c.released
    )
}

/// The store holds exactly the charges the gateway lists, each as it lists it.
async fn assert_agrees(dialect: Dialect, gateway: &Arc<dyn Gateway>, store: &TempStore) {
    let listed = listed(gateway).await;
    let ids: Vec<String> = listed.iter().map(|c| c.id.clone()).collect();
    let (held, stored) = store
        .writer
        .call(move |s| {
            let stored = ids
                .iter()
                .map(|id| s.charge(id))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((s.charge_count()?, stored))
        })
        .await
        .expect("the store reads");
    let mut wrong = Vec::new();
    for (gateway_says, stored) in listed.iter().zip(&stored) {
        let want = judged(gateway_says);
        match stored {
            Some(s) if judged(s) == want => {}
            Some(s) => wrong.push(format!("gateway {want}\n  store {}", judged(s))),
            None => wrong.push(format!("gateway {want}\n  store has none")),
        }
    }
    assert!(wrong.is_empty(), "{dialect:?}:\n{}", wrong.join("\n"));
    assert_eq!(held, listed.len() as u64, "{dialect:?}: charges held");
}

/// Captured charges not yet refunded, made more than 20 days before the newest
/// (pages behind those a sync reads for new charges, and past the authorisation
/// lifetime); for a gateway with no change feed (Openpay), made within that
/// lifetime: its changes can only be found by reading that window again.
fn older_captured(dialect: Dialect, listed: &[Charge]) -> Vec<Charge> {
    let newest = listed.first().map(|c| c.created).expect("charges");
    let (lifetime, long_ago) = (TimeDelta::days(7), TimeDelta::days(20));
    listed
        .iter()
        .filter(|c| c.status == ChargeStatus::Captured && c.refunded.is_zero())
        .filter(|c| match dialect {
            Dialect::Openpay => newest - c.created < lifetime,
            _ => newest - c.created > long_ago,
        })
        .cloned()
        .collect()
}

async fn agrees_after_older_charges_change(dialect: Dialect) {
    let config = SimConfig {
        seed: 21,
        charges: 600,
        customers: 20,
        live_per_minute: 0,
        ..SimConfig::default()
    };
    let sim: Sim = start(dialect, config).await;
    let gateway: Arc<dyn Gateway> = Arc::from(sim.gateway(quick_http()));
    let to_capture = made(gateway.as_ref(), &order(dialect, 2500, false)).await;
    let to_lapse = made(gateway.as_ref(), &order(dialect, 1800, false)).await;
    let store = TempStore::new(dialect);
    sync(&gateway, &store).await;
    assert_agrees(dialect, &gateway, &store).await;

    sim.advance_clock(DAY).await;
    let key = OperationKey::new;
    gateway
        .capture(&to_capture.id, to_capture.amount, &key())
        .await
        .expect("capture an older authorisation");
    let old = older_captured(dialect, &listed(&gateway).await);
    let [refunded, disputed, ..] = old.as_slice() else {
        panic!("{dialect:?}: two older captured charges");
    };
    let minor = refunded.amount.to_minor().expect("minor units");
    let part = Money::from_minor((minor / 2).max(1), refunded.amount.currency);
    gateway
        .refund(&refunded.id, part, None, &key())
        .await
        .expect("refund part of an older charge");
    let name = dialect.name();
    sim.admin(
        reqwest::Method::POST,
        &format!("disputes?dialect={name}&charge={}", disputed.id),
    )
    .await;
    for minor in [1200, 3400, 5600] {
        made(gateway.as_ref(), &order(dialect, minor, true)).await;
    }
    made(gateway.as_ref(), &order(dialect, 7800, false)).await;
    // Past the older authorisation's lifetime: it lapses, refunds settle.
    sim.advance_clock(7 * DAY).await;
    let lapsed = gateway.get_charge(&to_lapse.id).await.expect("get");
    assert_ne!(lapsed.status, ChargeStatus::Authorised, "{dialect:?}");

    sync(&gateway, &store).await;
    assert_agrees(dialect, &gateway, &store).await;
    sim.running.shutdown().await;
}

#[tokio::test]
async fn openpay_store_agrees_after_older_charges_change() {
    agrees_after_older_charges_change(Dialect::Openpay).await;
}

#[tokio::test]
async fn trx_store_agrees_after_older_charges_change() {
    agrees_after_older_charges_change(Dialect::Trx).await;
}

#[tokio::test]
async fn stripe_store_agrees_after_older_charges_change() {
    agrees_after_older_charges_change(Dialect::Stripe).await;
}

#[tokio::test]
async fn pin_store_agrees_after_older_charges_change() {
    agrees_after_older_charges_change(Dialect::Pin).await;
}
