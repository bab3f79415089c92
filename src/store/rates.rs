//! How fast the store loads and merges, measured by hand (ignored tests that print and
//! assert nothing about time): `PAYDECK_MEASURE_N=1000000 cargo test --release --lib
//! store::rates -- --ignored --nocapture --test-threads 1`. The store lives in a temp dir
//! that is deleted afterwards.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};

use super::{BulkLoad, Store};
use crate::domain::{CardBrand, CardSummary, Charge, ChargeStatus};
use crate::money::{Currency, Money};

/// Charges a day's worth of seconds apart, `STEP_S` each: a million is about a month.
const STEP_S: i64 = 3;
const DESCRIPTIONS: [&str; 6] = [
    "Coffee beans 1kg",
    "Pour-over kettle",
    "Espresso machine service",
    "Gift card",
    "Subscription: monthly roast",
    "Grinder burrs",
];

fn held() -> u64 {
    std::env::var("PAYDECK_MEASURE_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

fn spread(i: u64) -> u64 {
    // SplitMix64: ids and fields that look random but repeat from run to run.
    let mut z = i.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Charge `i` of a synthetic history that starts at `start`, about the size of a
/// gateway's charge (a 27-character id, an email, a description, card and metadata).
pub(super) fn synthetic(i: u64, start: DateTime<Utc>) -> Charge {
    let h = spread(i);
    let currency = [Currency::AUD, Currency::USD, Currency::KWD, Currency::JPY][(h % 4) as usize];
    let amount = Money::from_minor(((h >> 8) % 500_000) as i64 + 50, currency);
    let status = ChargeStatus::ALL[((h >> 32) % 9) as usize];
    let mut charge = Charge::bare(&format!("ch_{:024x}", h as u128 * 7919), amount, status);
    charge.created = start + TimeDelta::seconds(i as i64 * STEP_S);
    if matches!(
        status,
        ChargeStatus::Captured | ChargeStatus::PartiallyRefunded | ChargeStatus::Refunded
    ) {
        charge.captured = amount;
    }
    charge.email = Some(format!("buyer{}@example{}.com", (h >> 12) % 200_000, h % 7));
    charge.description = Some(DESCRIPTIONS[((h >> 20) % 6) as usize].into());
    charge.card = Some(CardSummary {
        brand: CardBrand::Visa,
        last4: format!("{:04}", (h >> 40) % 10_000),
        expiry_month: 12,
        expiry_year: 2030,
    });
    if h % 10 < 3 {
        charge.customer_id = Some(format!("cus_{:014x}", (h >> 16) % 50_000));
    }
    charge.metadata.insert("order".into(), format!("ORD-{i}"));
    charge
}

fn start() -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default()
}

fn temp_dir() -> PathBuf {
    std::env::temp_dir().join(format!("paydeck-rates-{}", uuid::Uuid::new_v4()))
}

/// A store of `n` synthetic charges, oldest first through the bulk loader.
fn bulk_store(path: &std::path::Path, n: u64) -> (Store, Duration, Duration) {
    let began = Instant::now();
    let mut load = BulkLoad::create(path, start()).unwrap();
    let mut i = 0;
    while i < n {
        let chunk: Vec<Charge> = (i..(i + 10_000).min(n))
            .map(|j| synthetic(j, start()))
            .collect();
        load.append(&chunk).unwrap();
        i += chunk.len() as u64;
    }
    let appended = began.elapsed();
    let store = load.finish().unwrap();
    (store, appended, began.elapsed() - appended)
}

fn per_second(n: u64, took: Duration) -> u64 {
    (n as f64 / took.as_secs_f64().max(1e-9)) as u64
}

#[test]
#[ignore = "a measurement: run by hand in release"]
fn bulk_load_rate() {
    let n = held();
    let dir = temp_dir();
    let path = dir.join("bulk.sqlite");
    let (store, appended, finished) = bulk_store(&path, n);
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "bulk load of {n}: rows {appended:.2?} ({}/s), indexes+fts+rollup+analyze {finished:.2?}, \
         overall {}/s, file {} MB",
        per_second(n, appended),
        per_second(n, appended + finished),
        bytes / 1_000_000
    );
    assert_eq!(store.charge_count().unwrap(), n);
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[ignore = "a measurement: run by hand in release"]
fn poll_merge_cost() {
    let n = held();
    let dir = temp_dir();
    let (mut store, _, _) = bulk_store(&dir.join("held.sqlite"), n);
    let mut took = Vec::new();
    let mut next = n;
    for _ in 0..60 {
        let poll: Vec<Charge> = (next..next + 100).map(|j| synthetic(j, start())).collect();
        next += 100;
        let began = Instant::now();
        let count = store.upsert_charges(&poll, Utc::now()).unwrap();
        took.push(began.elapsed());
        assert_eq!(count.inserted, 100);
    }
    // The first few warm the cache and the statement cache; a poll runs warm.
    let mut warm = took.split_off(10);
    warm.sort();
    println!(
        "merge of 100 new at {n} held: median {:.0?}, p95 {:.0?} (of {} polls)",
        warm[warm.len() / 2],
        warm[warm.len() * 95 / 100],
        warm.len()
    );
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}
