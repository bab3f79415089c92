//! The core loop's costs away from the terminal: `update` taking in a page of 100 new
//! charges, and a local filter over a million.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use paydeck::app::keymap::Keymap;
use paydeck::app::model::{Model, Session};
use paydeck::app::msg::Polled;
use paydeck::app::{Msg, update};
use paydeck::domain::{CardBrand, CardSummary, Charge, ChargeFilter, ChargeStatus, RawJson};
use paydeck::gateway::Capabilities;
use paydeck::money::{Currency, Money};

fn charge(n: i64) -> Charge {
    let statuses = [
        ChargeStatus::Captured,
        ChargeStatus::Authorised,
        ChargeStatus::Declined,
        ChargeStatus::Refunded,
    ];
    let amount = Money::from_minor(450 + (n * 37) % 40_000, Currency::AUD);
    Charge {
        id: format!("ch_{n:022}"),
        created: Utc.timestamp_opt(1_700_000_000, 0).unwrap() + TimeDelta::seconds(n),
        amount,
        captured: amount,
        released: Money::zero(Currency::AUD),
        refunded: Money::zero(Currency::AUD),
        status: statuses[(n % 4) as usize],
        refund_pending: false,
        captured_at: None,
        authorisation_expires: None,
        email: Some(format!("buyer{}@example.com", n % 5000)),
        description: Some("500g of single origin beans".into()),
        card: Some(CardSummary {
            brand: CardBrand::Visa,
            last4: format!("{:04}", n % 10_000),
            expiry_month: 12,
            expiry_year: 2030,
        }),
        customer_id: None,
        ip: None,
        metadata: BTreeMap::new(),
        failure: None,
        three_d_secure_session: None,
        raw: RawJson::default(),
    }
}

fn model_with(n: i64) -> Model {
    let session = Session {
        profile: "bench".into(),
        gateway: "Pin Payments",
        live: false,
        read_only: false,
        caps: Capabilities {
            server_search: false,
            ..paydeck::gateway::pin::CAPABILITIES
        },
        profiles: vec!["bench".into()],
    };
    let now = Utc.timestamp_opt(1_800_000_000, 0).unwrap();
    let mut model = Model::new(session, Keymap::default(), Duration::from_secs(5), now);
    model.screen = (160, 48);
    model
        .screens
        .charges
        .list
        .merge_newer((0..n).rev().map(charge).collect());
    model
}

fn polled(newer: Vec<Charge>) -> Msg {
    Msg::Polled(Ok(Polled {
        newer,
        refreshed: Vec::new(),
        total: None,
        older: None,
        first: false,
    }))
}

fn update_with_new_page(c: &mut Criterion) {
    let base = model_with(10_000);
    let page: Vec<Charge> = (10_000..10_100).rev().map(charge).collect();
    c.bench_function("update: a poll with 100 new charges (10,000 held)", |b| {
        b.iter_batched(
            || (base.clone(), page.clone()),
            |(mut model, page)| {
                let effects = update(&mut model, polled(page));
                (model, effects) // dropped outside the timing
            },
            BatchSize::LargeInput,
        )
    });
}

fn filter_a_million(c: &mut Criterion) {
    let mut model = model_with(1_000_000);
    let by_text = ChargeFilter {
        text: "buyer42@".into(),
        ..ChargeFilter::default()
    };
    let by_status = ChargeFilter {
        statuses: [ChargeStatus::Authorised].into(),
        min_amount: Some(rust_decimal::Decimal::new(100, 0)),
        ..ChargeFilter::default()
    };
    let mut group = c.benchmark_group("local filter over 1,000,000 charges");
    group.sample_size(10);
    group.bench_function("text", |b| {
        b.iter(|| {
            model
                .screens
                .charges
                .list
                .set_filter(black_box(by_text.clone()))
        })
    });
    group.bench_function("status and amount", |b| {
        b.iter(|| {
            model
                .screens
                .charges
                .list
                .set_filter(black_box(by_status.clone()))
        })
    });
    group.finish();
}

/// A customer with 10,000 charges: their list is the same `ChargeList` as the main one.
fn filter_a_customers_charges(c: &mut Criterion) {
    let mut list = paydeck::app::charge_list::ChargeList::default();
    list.append_older((0..10_000).rev().map(charge).collect());
    let by_text = ChargeFilter {
        text: "••".into(),
        ..ChargeFilter::default()
    };
    let by_status = ChargeFilter {
        statuses: [ChargeStatus::Captured].into(),
        ..ChargeFilter::default()
    };
    c.bench_function("filter a customer's 10,000 charges: text", |b| {
        b.iter(|| list.set_filter(black_box(by_text.clone())))
    });
    c.bench_function("filter a customer's 10,000 charges: status", |b| {
        b.iter(|| list.set_filter(black_box(by_status.clone())))
    });
    list.set_filter(ChargeFilter::default());
    let mut row = 0;
    c.bench_function("scroll a customer's 10,000 charges: one page down", |b| {
        b.iter(|| {
            row = (row + 40) % 10_000;
            list.select_row(black_box(row));
            list.scroll_into_view(40);
        })
    });
}

criterion_group!(
    benches,
    update_with_new_page,
    filter_a_million,
    filter_a_customers_charges
);
criterion_main!(benches);
