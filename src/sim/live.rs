//! Live traffic: new charges at about `per_minute` into one dialect's ledger,
//! from the seed generators (`sim::start` runs one task per dialect).

use std::time::Duration;

use super::common::SharedLedger;
use super::ledger::Source;
use super::rng::Rng;
use super::seed_data::{self, Kind, Market};

/// `stream` picks the random stream (one per dialect, so their traffic differs);
/// `market` the currencies.
pub(crate) async fn run(
    ledger: SharedLedger,
    seed: u64,
    stream: u64,
    per_minute: u32,
    market: Market,
) {
    let mut rng = Rng::derive(seed, stream);
    let period = Duration::from_millis((60_000 / u64::from(per_minute.max(1))).max(1));
    let mut interval = tokio::time::interval(period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    interval.tick().await;
    loop {
        interval.tick().await;
        let mut l = ledger.lock();
        let customers: Vec<String> = l
            .customers_newest_first()
            .into_iter()
            .take(200)
            .map(|c| c.token.clone())
            .collect();
        let kind = match rng.range(0..100) {
            0..=84 => Kind::Captured,
            85..=94 => Kind::Authorised,
            _ => Kind::Declined,
        };
        seed_data::charge_in(&mut l, &mut rng, &customers, kind, Source::Live, market);
    }
}
