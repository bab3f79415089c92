//! One gateway's dialect as the simulator serves it, and the registry of every
//! dialect served. [`start`](super::start), the seeding, the live traffic and
//! the admin routes iterate [`DIALECTS`]; nothing else names a dialect.

use std::sync::Arc;

use axum::Router;
use chrono::{DateTime, Utc};

use super::common::SharedLedger;
use super::faults::Faults;
use super::ledger::{IdStyle, pin_ids};
use super::seed_data::{Market, as_drawn};
use super::{openpay, pin, stripe, trx};

/// Every dialect served, in the order `RunningSim::dialects` lists them. The
/// first is the admin routes' default for `?dialect=`.
pub(crate) static DIALECTS: [&dyn Dialect; 4] =
    [&pin::Pin, &stripe::Stripe, &openpay::Openpay, &trx::Trx];

/// What one dialect's router is built from.
#[derive(Debug, Clone)]
pub(crate) struct Served {
    pub seed: u64,
    /// The instant the ledgers were seeded back from.
    pub start: DateTime<Utc>,
    /// The dialect's own ledger, seeded with its [`Dialect::ids`] and [`Dialect::market`].
    pub ledger: SharedLedger,
    /// [`Dialect::key`] for the seed.
    pub key: String,
    /// The base URL clients use: `http://ADDR` + [`Dialect::base_path`].
    pub url: String,
    pub faults: Arc<Faults>,
}

/// One gateway's dialect of the simulator. Each lives in its own folder under
/// `src/sim/` and has one line in [`DIALECTS`].
pub(crate) trait Dialect: Sync {
    /// Its name, upper case (`PIN`): `DialectInfo::name`; the admin routes'
    /// `?dialect=` takes it in any case and answers it in lower case.
    fn name(&self) -> &'static str;

    /// Where its router is nested (`/pin/1`), unique among dialects.
    fn mount(&self) -> &'static str;

    /// The path of the base URL clients are given for `seed`; the mount
    /// unless the URL holds more (Openpay's merchant id).
    fn base_path(&self, _seed: u64) -> String {
        self.mount().to_string()
    }

    /// How its ledger spells ids.
    fn ids(&self) -> IdStyle {
        pin_ids
    }

    /// The currencies of its seeded and live charges.
    fn market(&self) -> Market {
        as_drawn
    }

    /// The credential it accepts for `seed` (never a live one); any dialect's
    /// also opens the admin routes.
    fn key(&self, seed: u64) -> String;

    /// The random stream of its live traffic, distinct from every other
    /// dialect's and from the streams `Rng::derive` is given elsewhere.
    fn live_stream(&self) -> u64;

    /// Its router, with its own auth, error bodies and fault injection, to be
    /// nested at [`Dialect::mount`].
    fn router(&self, served: Served) -> Router;
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// A dialect added to the registry must not share a name, a mount or a
    /// live-traffic stream with another (streams 1 to 13 seed other things).
    #[test]
    fn registry_entries_are_distinct() {
        let names: HashSet<_> = DIALECTS.iter().map(|d| d.name()).collect();
        let mounts: HashSet<_> = DIALECTS.iter().map(|d| d.mount()).collect();
        let streams: HashSet<_> = DIALECTS.iter().map(|d| d.live_stream()).collect();
        assert_eq!(names.len(), DIALECTS.len());
        assert_eq!(mounts.len(), DIALECTS.len());
        assert_eq!(streams.len(), DIALECTS.len());
        assert!(streams.iter().all(|s| *s > 13), "{streams:?}");
        for d in DIALECTS {
            assert_eq!(d.name(), d.name().to_ascii_uppercase());
            assert!(d.base_path(42).starts_with(d.mount()), "{}", d.name());
            assert!(!d.key(42).starts_with("sk_live_"), "{}", d.name());
            assert_ne!(d.key(42), d.key(43), "{}", d.name());
        }
        assert_eq!(DIALECTS[0].name(), "PIN", "the admin routes' default");
    }
}
