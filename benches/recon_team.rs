//! Reconciliation as a team on a shared PostgreSQL (issue 16), on loopback: how long
//! one operator's mark takes to be committed (a flag, through the store as the screen
//! calls it), and how long after it another operator's watcher hears of it (NOTIFY on
//! commit, LISTEN on the watcher's own connection).
//!
//! The server is the tests' throwaway cluster (`initdb` and `pg_ctl` from the
//! distribution's packages, `fsync=off`): a commit here costs no disk flush, so the
//! mark's figure is the protocol's round trips and the server's work, not the disk's.

#[path = "../src/store/sessions/pg_cluster.rs"]
#[allow(dead_code)]
mod pg_cluster;

use std::time::Duration;

use chrono::{NaiveDate, TimeDelta, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use paydeck::recon::import::LineIdentity;
use paydeck::store::sessions::watch::{News, Watched, watch};
use paydeck::store::sessions::{
    Event, ItemRef, LineRecord, NewSession, PgSessions, SessionId, SessionStore, Stamp, StoreUrl,
};
use tokio::sync::mpsc::Receiver;

fn stamp() -> Stamp {
    Stamp {
        who: "bench".into(),
        at: Utc::now(),
    }
}

/// A session with one bank line imported, to flag again and again.
fn session(store: &mut PgSessions) -> (SessionId, ItemRef) {
    let from = NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date");
    let new = NewSession {
        name: "team-november".into(),
        profiles: vec!["live-au".into()],
        from,
        to: from + TimeDelta::days(29),
    };
    let id = store.create(&new, &stamp()).expect("a session");
    let identity = LineIdentity::from_stored("bank:acct:1".into());
    let line = LineRecord {
        identity: identity.clone(),
        booked: from,
        amount_minor: 12_345,
        currency: "AUD".into(),
        text: "TRANSFER FROM J CITIZEN".into(),
        reference: "RENT".into(),
        other_refs: Vec::new(),
    };
    let import = Event::Import {
        file: "november.ofx".into(),
        lines: vec![line],
        already: 0,
    };
    store.record(id, import, &stamp()).expect("the import");
    (id, ItemRef::deposit(&identity))
}

fn flag(store: &mut PgSessions, id: SessionId, item: &ItemRef) -> i64 {
    let event = Event::Flag {
        item: item.clone(),
        note: "asked the bank".into(),
    };
    store.record(id, event, &stamp()).expect("a flag").event_id
}

/// Waits until the watcher tells of event `event_id` (or a newer one) of `id`.
fn heard(
    runtime: &tokio::runtime::Runtime,
    news: &mut Receiver<News>,
    id: SessionId,
    event_id: i64,
) {
    runtime.block_on(async {
        loop {
            let next = tokio::time::timeout(Duration::from_secs(30), news.recv()).await;
            match next.expect("news within 30 s").expect("the watcher runs") {
                News::Changed {
                    session,
                    event_id: e,
                } if session == id && e >= event_id => return,
                _ => continue,
            }
        }
    });
}

fn bench(c: &mut Criterion) {
    let Some(url) = pg_cluster::fresh_url() else {
        eprintln!("recon_team: no PostgreSQL server binaries here, nothing measured");
        return;
    };
    let url = StoreUrl::parse(&url).expect("the cluster's URL");
    let mut store = PgSessions::connect(&url).expect("the store");
    let (id, item) = session(&mut store);
    let mut group = c.benchmark_group("recon_team");
    group.bench_function("mark round-trip (a flag, committed)", |b| {
        b.iter(|| flag(&mut store, id, &item))
    });

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let mut news = watch(Watched::Postgres(url.clone())).expect("the watcher");
    // The watcher LISTENs once its connection is up: flag until it hears one.
    let listening = (0..100).any(|_| {
        let event_id = flag(&mut store, id, &item);
        runtime.block_on(async {
            let next = tokio::time::timeout(Duration::from_millis(300), news.recv()).await;
            matches!(next, Ok(Some(News::Changed { event_id: e, .. })) if e == event_id)
        })
    });
    assert!(listening, "the watcher never heard a flag");
    // From the call until the other connection's watcher hands the news on: the mark's
    // round trip plus NOTIFY's own delay (the difference of the two figures).
    group.bench_function(
        "mark heard by another operator (flag until NOTIFY arrives)",
        |b| {
            b.iter(|| {
                let event_id = flag(&mut store, id, &item);
                heard(&runtime, &mut news, id, event_id);
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
