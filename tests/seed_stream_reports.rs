//! The seed stream reports a charge as the adapter does: every charge the simulator
//! seeds, read through the real adapter over HTTP, equals what `seed_stream::report`
//! makes of the same ledger charge.

mod common;

use std::collections::HashMap;

use chrono::TimeDelta;
use common::simulator::{Dialect, adapter_config, start};
use paydeck::domain::{ChargeFilter, ChargeStatus, PageRequest, RawJson};
use paydeck::gateway::http::HttpConfig;
use paydeck::sim::seed_stream::{StreamGateway, StreamSeeding, seeded_reports};

const CHARGES: usize = 600;

#[tokio::test]
async fn the_stream_reports_each_seeded_charge_as_the_pin_adapter_does() {
    let sim = start(Dialect::Pin, adapter_config(CHARGES)).await;
    let gateway = sim.gateway(HttpConfig::default());
    let mut served = Vec::new();
    let mut request = PageRequest::first(100);
    loop {
        let page = gateway
            .list_charges(&request, &ChargeFilter::default())
            .await
            .expect("a page");
        served.extend(page.items);
        match page.next {
            Some(next) => request = PageRequest::at(next, 100),
            None => break,
        }
    }
    assert_eq!(served.len(), CHARGES);
    let config = adapter_config(CHARGES);
    let start = served[0].created;
    let reported = seeded_reports(
        StreamGateway::Pin,
        config.seed,
        config.customers,
        CHARGES,
        start,
    );
    let mine: HashMap<_, _> = reported.iter().map(|c| (c.id.clone(), c)).collect();
    // The simulator seeded back from its own start: line the clocks up on one charge.
    let first = mine.get(&served[0].id).expect("the same ids");
    let shift = served[0].created - first.created;
    assert!(shift.abs() < TimeDelta::minutes(5), "{shift}");
    let mut statuses = HashMap::new();
    for mut charge in served {
        charge.raw = RawJson::default();
        let mut expected = (*mine.get(&charge.id).expect("every id seeded")).clone();
        expected.created += shift;
        expected.captured_at = expected.captured_at.map(|t| t + shift);
        expected.authorisation_expires = expected.authorisation_expires.map(|t| t + shift);
        assert_eq!(charge, expected);
        *statuses.entry(charge.status).or_insert(0) += 1;
    }
    // Every status the stream makes is covered.
    for status in ChargeStatus::ALL {
        if status != ChargeStatus::Pending3ds {
            assert!(
                statuses.contains_key(&status),
                "no {status:?} in {statuses:?}"
            );
        }
    }
}

#[test]
fn a_stream_is_oldest_first_and_deterministic() {
    let seeding = StreamSeeding::new(7, 5_000);
    let a: Vec<_> = seeding.stream().collect();
    let b: Vec<_> = seeding.stream().collect();
    assert_eq!(a.len(), 5_000);
    assert_eq!(a, b);
    assert!(a.windows(2).all(|w| w[0].created <= w[1].created));
    let oldest = seeding.start - TimeDelta::days(30);
    assert!(a[0].created >= oldest && a[4_999].created <= seeding.start);
    let mut ids: Vec<_> = a.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 5_000, "ids are unique");
}

/// The stream makes its states without a ledger: its mix of statuses (refunds, voids,
/// lapses, disputes) matches a seeded ledger's, within the noise of 5,000 draws.
#[test]
fn a_stream_has_the_mix_of_a_seeded_ledger() {
    let seeding = StreamSeeding::new(11, 5_000);
    let count = |charges: &[paydeck::domain::Charge]| {
        let mut by_status = HashMap::new();
        for c in charges {
            *by_status.entry(c.status).or_insert(0i64) += 1;
        }
        by_status
    };
    let streamed: Vec<_> = seeding.stream().collect();
    let seeded = seeded_reports(StreamGateway::Pin, 11, 500, 5_000, seeding.start);
    let (stream_mix, ledger_mix) = (count(&streamed), count(&seeded));
    for status in ChargeStatus::ALL {
        let (a, b) = (
            stream_mix.get(&status).copied().unwrap_or(0),
            ledger_mix.get(&status).copied().unwrap_or(0),
        );
        // Three standard deviations of a count this size, and a little for the
        // ages, which the stream spreads evenly and the ledger draws.
        let slack = 3 * (b.max(1) as f64).sqrt() as i64 + b / 10 + 5;
        assert!((a - b).abs() <= slack, "{status:?}: stream {a}, ledger {b}");
    }
}
