//! Merging a poll of 100 new charges into the store (`Store::upsert_charges`, one
//! transaction) with 10,000 and with 10,000,000 charges held: the issue asks for the
//! same cost at both, within 1.5×.
//!
//! Each merge is timed on its own. Every tenth merge, untimed, the polls' charges are
//! deleted again (they are all newer than anything held, on days of their own, so
//! deleting them and their days' rollup rows puts the store back exactly), so every
//! merge meets the same store, give or take 900 new charges, and the 10M fixture is left
//! as it was built.
//!
//! The deletes run on a second connection, and a write from another connection makes
//! the store's connection drop its whole page cache. Deleting after every merge (as
//! this bench first did) made every merge start with an empty cache, which at 10M
//! meant re-reading the upper pages of each index besides the random leaves the new
//! charges land on. A dashboard's writer is normally the only writer of its store and
//! keeps its cache from one poll to the next, so nine merges in ten now meet the cache
//! as the last merge left it, at both sizes; the tenth starts cold.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use common::store_fixture::{self, SEED};
use criterion::{Criterion, criterion_group, criterion_main};
use paydeck::domain::Charge;
use paydeck::sim::seed_stream::StreamSeeding;
use paydeck::store::Store;
use rusqlite::Connection;

const POLL: usize = 100;
/// Merges between two deletes of the merged charges.
const CLEANUP_EVERY: u64 = 10;
const MS_PER_DAY: i64 = 86_400_000;

/// 100 charges newer than any held (from `after` on), their ids made unique by `round`.
fn poll(template: &[Charge], after: DateTime<Utc>, round: u64) -> Vec<Charge> {
    template
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut c = c.clone();
            c.id = format!("{}_{round}", c.id);
            c.created = after + TimeDelta::seconds(round as i64 * POLL as i64 + i as i64);
            c
        })
        .collect()
}

fn newest(conn: &Connection) -> DateTime<Utc> {
    let ms: i64 = conn
        .query_row("SELECT max(created) FROM charge", [], |r| r.get(0))
        .expect("the store holds charges");
    DateTime::from_timestamp_millis(ms).expect("a time")
}

fn merge_into(c: &mut Criterion, name: &str, path: &Path) {
    let mut store = Store::open(path).expect("open the store");
    let cleanup = Connection::open(path).expect("a second connection");
    // The poll's day starts after the newest held charge's day, so only its rows are there.
    let held_newest = newest(&cleanup);
    let first_day = held_newest.timestamp_millis().div_euclid(MS_PER_DAY) + 1;
    let after = DateTime::from_timestamp_millis(first_day * MS_PER_DAY).expect("a time");
    let template: Vec<Charge> = StreamSeeding::new(SEED + 1, POLL as u64).stream().collect();
    let from_k = after.timestamp() << 20;
    let delete_polls = || {
        cleanup
            .execute_batch(&format!(
                "BEGIN; DELETE FROM charge WHERE k >= {from_k}; \
                 DELETE FROM charge_rollup WHERE day >= {first_day}; COMMIT;"
            ))
            .expect("the cleanup");
    };
    let mut round = 0u64;
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                round += 1;
                let charges = poll(&template, after, round);
                let began = Instant::now();
                store
                    .upsert_charges(&charges, Utc::now())
                    .expect("the merge");
                spent += began.elapsed();
                if round.is_multiple_of(CLEANUP_EVERY) {
                    delete_polls();
                }
            }
            spent
        })
    });
    delete_polls();
}

fn merges(c: &mut Criterion) {
    // Built afresh (a second) for each run: the polls' inserts and deletes leave the
    // trigram index larger, and a 10,000-charge store kept from run to run grew to
    // several times its size (324 MB), so each run measured a different store.
    let _ = std::fs::remove_file(store_fixture::cached_path(SEED, 10_000));
    let small = store_fixture::cached(SEED, 10_000);
    merge_into(c, "merge a poll of 100 new charges, 10,000 held", &small);
    let large = store_fixture::ten_million();
    merge_into(
        c,
        "merge a poll of 100 new charges, 10,000,000 held",
        &large,
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(10));
    targets = merges
}
criterion_main!(benches);
