//! The sync against each gateway's simulator over HTTP: a backfill stopped part-way
//! goes on where it stopped and ends with the simulator's list, and changes made to
//! charges after they were synced (a capture, a refund, expiry) reach the store on
//! the next sync by the gateway's own means.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::simulator::{Dialect, Sim, quick_http, seeded, start};
use common::{new_charge, test_card};
use paydeck::domain::{Charge, ChargeFilter, ChargeStatus};
use paydeck::gateway::{ChangeFeed, Gateway, OperationKey};
use paydeck::store::query::PageFrom;
use paydeck::store::{CHARGES, Store, StoreHandle, SyncPhase};
use paydeck::sync::{self, Stage, SyncOptions, SyncProgress, SyncReport};
use tokio::sync::watch;

struct Synced {
    sim: Sim,
    gateway: Arc<dyn Gateway>,
    writer: StoreHandle,
    dir: std::path::PathBuf,
}

impl Synced {
    async fn start(dialect: Dialect, charges: usize) -> Synced {
        let sim = start(dialect, seeded(charges, 60)).await;
        let gateway: Arc<dyn Gateway> = Arc::from(sim.gateway(quick_http()));
        let dir = std::env::temp_dir().join(format!("paydeck-sync-{}", uuid::Uuid::new_v4()));
        let store = Store::open(&Store::path_for(&dir, "p")).expect("a store");
        let writer = StoreHandle::spawn(store, "store-writer").expect("its thread");
        Synced {
            sim,
            gateway,
            writer,
            dir,
        }
    }

    async fn sync(&self) -> SyncReport {
        let (progress, _) = watch::channel(SyncProgress::default());
        sync::run(
            self.gateway.clone(),
            self.writer.clone(),
            SyncOptions::default(),
            progress,
        )
        .await
        .expect("a sync")
    }

    async fn stored(&self, id: &str) -> Charge {
        let id = id.to_string();
        self.writer
            .call(move |store| store.charge(&id))
            .await
            .expect("the store")
            .expect("the charge is held")
    }

    async fn stored_ids(&self) -> Vec<String> {
        self.writer
            .call(|store| store.charge_page(&ChargeFilter::default(), PageFrom::Newest, 1_000_000))
            .await
            .expect("the store's charges")
            .rows
            .into_iter()
            .map(|(_, c)| c.id)
            .collect()
    }

    async fn listed(&self) -> Vec<Charge> {
        common::every_page(|page| {
            let gateway = &self.gateway;
            async move {
                gateway
                    .list_charges(&page, &ChargeFilter::default())
                    .await
                    .expect("the simulator's list")
            }
        })
        .await
    }

    async fn finish(self) {
        drop(self.writer);
        self.sim.shutdown().await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const HELD: usize = 1_500;

#[tokio::test]
async fn a_stopped_backfill_goes_on_where_it_stopped_on_every_gateway() {
    for dialect in Dialect::ALL {
        let s = Synced::start(dialect, HELD).await;
        let (progress, mut watched) = watch::channel(SyncProgress::default());
        let first = tokio::spawn(sync::run(
            s.gateway.clone(),
            s.writer.clone(),
            SyncOptions::default(),
            progress,
        ));
        watched
            .wait_for(|p| p.stage == Stage::Backfill && p.fetched >= 400)
            .await
            .expect("the backfill gets going");
        first.abort();
        let _ = first.await;
        let stopped = s
            .writer
            .call(|store| store.sync_state(CHARGES, SyncPhase::Backfill))
            .await
            .unwrap()
            .expect("a backfill began");
        assert!(!stopped.done, "{dialect:?}: stopped part-way: {stopped:?}");

        let report = s.sync().await;
        assert!(report.backfill_done, "{dialect:?}");
        // It went on from its cursor: it read only what the first run had not
        // committed, where starting again would have read every page.
        assert_eq!(
            report.backfilled,
            HELD as u64 - stopped.fetched,
            "{dialect:?}"
        );
        let finished = s
            .writer
            .call(|store| store.sync_state(CHARGES, SyncPhase::Backfill))
            .await
            .unwrap()
            .expect("the backfill");
        assert_eq!(finished.fetched, HELD as u64, "{dialect:?}");

        let stored = s.stored_ids().await;
        let listed: BTreeSet<String> = s.listed().await.into_iter().map(|c| c.id).collect();
        assert_eq!(stored.len(), HELD, "{dialect:?}: none doubled");
        assert_eq!(
            stored.into_iter().collect::<BTreeSet<_>>(),
            listed,
            "{dialect:?}"
        );
        s.finish().await;
    }
}

#[tokio::test]
async fn a_second_sync_reads_only_the_new_page_and_the_changes() {
    let s = Synced::start(Dialect::Trx, HELD).await;
    let first = s.sync().await;
    assert_eq!(first.inserted, HELD as u64);
    let order = new_charge(
        paydeck::money::Money::from_minor(1234, paydeck::money::Currency::USD),
        true,
        test_card("4242424242424242"),
    );
    let made = common::made(s.gateway.as_ref(), &order).await;
    let second = s.sync().await;
    assert_eq!(second.inserted, 1, "the new charge: {second:?}");
    assert!(
        second.fetched < HELD as u64 / 5,
        "not the whole list again: {second:?}"
    );
    assert_eq!(s.stored(&made.id).await.status, ChargeStatus::Captured);
    s.finish().await;
}

/// A charge the sync holds as authorised, still young enough to capture.
async fn held_authorised(s: &Synced) -> Charge {
    let listed = s.listed().await;
    let young = listed
        .into_iter()
        .find(|c| {
            c.status == ChargeStatus::Authorised
                && c.created > chrono::Utc::now() - chrono::TimeDelta::days(5)
        })
        .expect("an authorised charge in the seed");
    assert_eq!(s.stored(&young.id).await.status, ChargeStatus::Authorised);
    young
}

#[tokio::test]
async fn a_capture_after_the_sync_reaches_the_store_on_every_gateway() {
    for dialect in Dialect::ALL {
        let s = Synced::start(dialect, 600).await;
        s.sync().await;
        let authorised = held_authorised(&s).await;
        let captured = s
            .gateway
            .capture(&authorised.id, authorised.amount, &OperationKey::new())
            .await
            .expect("a capture");
        assert_eq!(captured.status, ChargeStatus::Captured, "{dialect:?}");
        let report = s.sync().await;
        assert!(report.changed > 0, "{dialect:?}: {report:?}");
        let stored = s.stored(&authorised.id).await;
        assert_eq!(stored.status, ChargeStatus::Captured, "{dialect:?}");
        assert_eq!(stored.captured, authorised.amount, "{dialect:?}");
        s.finish().await;
    }
}

#[tokio::test]
async fn authorisations_that_lapse_after_the_sync_show_it_on_every_gateway() {
    for dialect in Dialect::ALL {
        let s = Synced::start(dialect, 600).await;
        s.sync().await;
        let authorised = held_authorised(&s).await;
        // Past every authorisation's lifetime.
        s.sim.advance_clock(8 * 86_400).await;
        s.sync().await;
        let now = s
            .gateway
            .get_charge(&authorised.id)
            .await
            .expect("the charge");
        // Stripe shows a lapsed authorisation as released (voided); the others as expired.
        assert!(
            matches!(now.status, ChargeStatus::Expired | ChargeStatus::Voided),
            "{dialect:?}: {:?}",
            now.status
        );
        assert_eq!(
            s.stored(&authorised.id).await.status,
            now.status,
            "{dialect:?}"
        );
        s.finish().await;
    }
}

/// A captured charge older than any authorisation window, held by the store.
async fn old_captured(s: &Synced) -> Charge {
    let old = s
        .listed()
        .await
        .into_iter()
        .find(|c| {
            c.status == ChargeStatus::Captured
                && c.created < chrono::Utc::now() - chrono::TimeDelta::days(20)
        })
        .expect("an old captured charge");
    assert_eq!(s.stored(&old.id).await.status, ChargeStatus::Captured);
    old
}

/// Where the gateway has a change feed, a refund of a charge older than any
/// authorisation window reaches the store too.
#[tokio::test]
async fn a_refund_of_an_old_charge_reaches_the_store_where_the_gateway_has_a_feed() {
    for dialect in Dialect::ALL {
        let s = Synced::start(dialect, 600).await;
        if matches!(s.gateway.capabilities().changes, ChangeFeed::Window { .. }) {
            s.finish().await;
            continue;
        }
        s.sync().await;
        let old = old_captured(&s).await;
        let part = paydeck::money::Money::from_minor(100, old.currency());
        s.gateway
            .refund(&old.id, part, None, &OperationKey::new())
            .await
            .expect("a refund");
        let report = s.sync().await;
        assert!(report.changed > 0, "{dialect:?}: {report:?}");
        let stored = s.stored(&old.id).await;
        assert_eq!(stored.refunded, part, "{dialect:?}");
        assert_eq!(
            stored.status,
            ChargeStatus::PartiallyRefunded,
            "{dialect:?}"
        );
        s.finish().await;
    }
}

/// A dispute the card network opens on an old charge reaches the store through the
/// events, where the gateway shows disputes on its charges.
#[tokio::test]
async fn a_dispute_on_an_old_charge_reaches_the_store_through_the_events() {
    for dialect in [Dialect::Stripe, Dialect::Pin] {
        let s = Synced::start(dialect, 600).await;
        s.sync().await;
        let old = old_captured(&s).await;
        let path = format!("disputes?dialect={}&charge={}", dialect.name(), old.id);
        s.sim.admin(reqwest::Method::POST, &path).await;
        let report = s.sync().await;
        assert!(report.changed > 0, "{dialect:?}: {report:?}");
        assert_eq!(
            s.stored(&old.id).await.status,
            ChargeStatus::Disputed,
            "{dialect:?}"
        );
        s.finish().await;
    }
}
