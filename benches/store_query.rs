//! The first page and the totals of each case of the filter grammar, and `:stats` over
//! periods of each length, read from a store:
//! the one at `PAYDECK_BENCH_STORE` (the 10M fixture), or else 100,000 charges written
//! into a store in a temporary directory. The needles, the customer and the dates come
//! from the store's newest charge, so the cases find something in any store.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use paydeck::domain::{CardBrand, CardSummary, Charge, ChargeFilter, ChargeStatus, RawJson};
use paydeck::money::{Currency, Money};
use paydeck::stats::{Period, Zoom};
use paydeck::store::query::PageFrom;
use paydeck::store::{BulkLoad, Store};
use paydeck::timezone::Zone;
use rust_decimal::Decimal;

const SMALL_STORE: usize = 100_000;
const PAGE: usize = 60;

/// The store to read, and the directory to delete afterwards if it was built here.
fn store() -> (Store, Option<PathBuf>) {
    if let Ok(path) = std::env::var("PAYDECK_BENCH_STORE") {
        let path = PathBuf::from(path);
        assert!(
            path.exists(),
            "PAYDECK_BENCH_STORE={} does not exist",
            path.display()
        );
        return (Store::open(&path).expect("open the bench store"), None);
    }
    let dir = std::env::temp_dir().join(format!("paydeck-store-query-{}", std::process::id()));
    let start = DateTime::from_timestamp(1_760_000_000, 0).expect("a time");
    // Built as the 10M fixture is: loaded, then indexed and analysed once.
    let mut load = BulkLoad::create(&Store::path_for(&dir, "bench"), start).expect("a new store");
    let charges: Vec<Charge> = (0..SMALL_STORE).map(|i| sample(i, start)).collect();
    for batch in charges.chunks(10_000) {
        load.append(batch).expect("written");
    }
    let store = load.finish().expect("indexed");
    (store, Some(dir))
}

/// Charge `i`: one every 30 seconds, mostly captured AUD, a few disputed, 3,000
/// customers and 5,000 buyers.
fn sample(i: usize, start: DateTime<Utc>) -> Charge {
    let currency = Currency::from_code(match i % 100 {
        0 => "JPY",
        1..=9 => "NZD",
        10..=29 => "USD",
        _ => "AUD",
    })
    .expect("a currency");
    let status = match i % 200 {
        0 => ChargeStatus::Disputed,
        1..=10 => ChargeStatus::Refunded,
        11..=30 => ChargeStatus::Declined,
        31..=40 => ChargeStatus::Authorised,
        _ => ChargeStatus::Captured,
    };
    let amount = Money::from_minor(((i * 7_919) % 90_000 + 500) as i64, currency);
    let captured = match status {
        ChargeStatus::Captured | ChargeStatus::Refunded | ChargeStatus::Disputed => amount,
        _ => Money::zero(currency),
    };
    Charge {
        id: format!("ch_{i:08}"),
        created: start + TimeDelta::seconds(30 * i as i64),
        amount,
        captured,
        released: Money::zero(currency),
        status,
        refund_pending: false,
        captured_at: None,
        authorisation_expires: None,
        ip: None,
        failure: None,
        three_d_secure_session: None,
        raw: RawJson::default(),
        refunded: if status == ChargeStatus::Refunded {
            amount
        } else {
            Money::zero(currency)
        },
        email: Some(format!("buyer{}@example.com", i % 5_000)),
        description: Some(["Coffee beans", "Pour-over kettle", "Grinder"][i % 3].into()),
        customer_id: Some(format!("cus_{:05}", i % 3_000)),
        card: Some(CardSummary {
            brand: CardBrand::Visa,
            last4: format!("{:04}", i % 10_000),
            expiry_month: 12,
            expiry_year: 2030,
        }),
        metadata: BTreeMap::from([("order".to_string(), format!("ord_{i}"))]),
    }
}

/// Each grammar case, named, with values taken from `newest`.
fn cases(newest: &Charge) -> Vec<(&'static str, ChargeFilter)> {
    let base = ChargeFilter::default;
    let email = newest.email.clone().unwrap_or_else(|| newest.id.clone());
    let long: String = email.chars().take(7).collect();
    let short: String = email.chars().skip(1).take(2).collect();
    let customer = newest
        .customer_id
        .clone()
        .unwrap_or_else(|| newest.id.clone());
    let major = |text: &str| Some(Decimal::from_str(text).expect("a decimal"));
    vec![
        ("none", base()),
        (
            "status",
            ChargeFilter {
                statuses: [ChargeStatus::Disputed].into(),
                ..base()
            },
        ),
        (
            "two statuses",
            ChargeFilter {
                statuses: [ChargeStatus::Disputed, ChargeStatus::Refunded].into(),
                ..base()
            },
        ),
        (
            "date range",
            ChargeFilter {
                from: Some(newest.created - TimeDelta::days(7)),
                until: Some(newest.created - TimeDelta::days(1)),
                ..base()
            },
        ),
        (
            "currency",
            ChargeFilter {
                currency: Some(Currency::JPY),
                ..base()
            },
        ),
        (
            "min/max",
            ChargeFilter {
                min_amount: major("10"),
                max_amount: major("10.50"),
                ..base()
            },
        ),
        (
            "customer",
            ChargeFilter {
                text: customer,
                ..base()
            },
        ),
        (
            "free text 3+",
            ChargeFilter {
                text: long.clone(),
                ..base()
            },
        ),
        (
            "free text 2",
            ChargeFilter {
                text: short,
                ..base()
            },
        ),
        (
            "text + status",
            ChargeFilter {
                text: long,
                statuses: [ChargeStatus::Refunded].into(),
                ..base()
            },
        ),
    ]
}

fn store_query(c: &mut Criterion) {
    let (store, built) = store();
    let newest = store
        .charge_page(&ChargeFilter::default(), PageFrom::Newest, 1)
        .expect("a page")
        .rows
        .into_iter()
        .next()
        .expect("the store holds charges")
        .1;
    let cases = cases(&newest);
    let mut group = c.benchmark_group("store first page");
    for (name, filter) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| {
                store
                    .charge_page(black_box(filter), PageFrom::Newest, PAGE)
                    .expect("a page")
            })
        });
    }
    group.finish();
    let mut group = c.benchmark_group("store totals");
    // Totals of text over millions of charges take seconds: few samples.
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for (name, filter) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| store.charge_totals(black_box(filter)).expect("totals"))
        });
    }
    group.finish();
    // `:stats`: the newest charge's hour, day, week and month, every charge and a
    // free-text filter, added up row by row.
    let mut group = c.benchmark_group("store stats");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    let text = &cases[7].1;
    for zoom in [Zoom::Hour, Zoom::Day, Zoom::Week, Zoom::Month] {
        let period = Period::containing(zoom, newest.created, Zone::Utc);
        for (name, filter) in [("none", &cases[0].1), ("free text 3+", text)] {
            group.bench_function(format!("{} {name}", zoom.name()), |b| {
                b.iter(|| {
                    store
                        .charge_stats(black_box(filter), &period, newest.created)
                        .expect("stats")
                })
            });
        }
    }
    group.finish();
    drop(store);
    if let Some(dir) = built {
        let _ = std::fs::remove_dir_all(dir);
    }
}

criterion_group!(benches, store_query);
criterion_main!(benches);
