//! One gateway's dialect as the simulator serves it, and the registry of every
//! dialect served. [`start`](super::start), the seeding, the live traffic and
//! the admin routes iterate [`DIALECTS`]; nothing else names a dialect.
//!
//! A dialect is data: each folder states its name, mount, key, live-traffic
//! stream and router in one [`Dialect::new`], and adds only what differs from
//! the defaults (Pin ids, currencies as drawn, Pin's fees, a base URL that is
//! the mount).

use std::sync::Arc;

use axum::Router;
use chrono::{DateTime, Utc};

use super::bank::{NamePayout, plain_payout_name};
use super::common::SharedLedger;
use super::faults::Faults;
use super::ledger::settlement::FeeModel;
use super::ledger::settlement::fees::PIN_FEES;
use super::ledger::{IdStyle, pin_ids};
use super::seed_data::{Market, as_drawn};
use super::{openpay, pin, stripe, trx};

/// Every dialect served, in the order `RunningSim::dialects` lists them. The
/// first is the admin routes' default for `?dialect=`.
pub(crate) static DIALECTS: [&Dialect; 4] = [
    &pin::DIALECT,
    &stripe::DIALECT,
    &openpay::DIALECT,
    &trx::DIALECT,
];

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
/// `src/sim/` as a `DIALECT` static and has one line in [`DIALECTS`].
pub(crate) struct Dialect {
    /// Its name, upper case (`PIN`): `DialectInfo::name`; the admin routes'
    /// `?dialect=` takes it in any case and answers it in lower case.
    pub name: &'static str,
    /// Where its router is nested (`/pin/1`), unique among dialects.
    pub mount: &'static str,
    /// How its ledger spells ids.
    pub ids: IdStyle,
    /// The currencies of its seeded and live charges.
    pub market: Market,
    /// What the gateway keeps of each movement, and its home country.
    pub fees: FeeModel,
    /// How it names a payout (id and bank reference): the bank statement
    /// shows that reference.
    pub payout_name: NamePayout,
    /// The random stream of its live traffic, distinct from every other
    /// dialect's and from the streams `Rng::derive` is given elsewhere.
    pub live_stream: u64,
    /// The credential it accepts for a seed (never a live one); any dialect's
    /// also opens the admin routes.
    key: fn(u64) -> String,
    /// The merchant id for a seed, for a dialect whose clients name one in
    /// the base URL (`{mount}/v1/{merchant_id}`).
    merchant_id: Option<fn(u64) -> String>,
    /// Its router, with its own auth, error bodies and fault injection, to be
    /// nested at [`Dialect::mount`].
    router: fn(Served) -> Router,
}

impl Dialect {
    /// A dialect with Pin ids, currencies as drawn, Pin's fees, plain payout
    /// names and the mount as its base URL's path.
    pub(crate) const fn new(
        name: &'static str,
        mount: &'static str,
        key: fn(u64) -> String,
        live_stream: u64,
        router: fn(Served) -> Router,
    ) -> Self {
        Dialect {
            name,
            mount,
            ids: pin_ids,
            market: as_drawn,
            fees: PIN_FEES,
            payout_name: plain_payout_name,
            live_stream,
            key,
            merchant_id: None,
            router,
        }
    }

    /// The same with its own id style.
    pub(crate) const fn with_ids(self, ids: IdStyle) -> Self {
        Dialect { ids, ..self }
    }

    /// The same with its own currencies.
    pub(crate) const fn with_market(self, market: Market) -> Self {
        Dialect { market, ..self }
    }

    /// The same with its own fees.
    pub(crate) const fn with_fees(self, fees: FeeModel) -> Self {
        Dialect { fees, ..self }
    }

    /// The same with its own payout ids and bank references.
    pub(crate) const fn with_payout_name(self, payout_name: NamePayout) -> Self {
        Dialect {
            payout_name,
            ..self
        }
    }

    /// The same with a merchant id in its base URL.
    pub(crate) const fn with_merchant_id(self, merchant_id: fn(u64) -> String) -> Self {
        Dialect {
            merchant_id: Some(merchant_id),
            ..self
        }
    }

    /// The credential it accepts for `seed`.
    pub(crate) fn key(&self, seed: u64) -> String {
        (self.key)(seed)
    }

    /// The merchant id clients name for `seed`, if the dialect has one.
    pub(crate) fn merchant_id(&self, seed: u64) -> Option<String> {
        self.merchant_id.map(|id| id(seed))
    }

    /// The path of the base URL clients are given for `seed`: the mount, then
    /// `/v1/{merchant_id}` where the dialect has one.
    pub(crate) fn base_path(&self, seed: u64) -> String {
        match self.merchant_id(seed) {
            Some(id) => format!("{}/v1/{id}", self.mount),
            None => self.mount.to_string(),
        }
    }

    /// Its router for `served`, to be nested at [`Dialect::mount`].
    pub(crate) fn router(&self, served: Served) -> Router {
        (self.router)(served)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// A dialect added to the registry must not share a name, a mount or a
    /// live-traffic stream with another (streams 1 to 13 seed other things).
    #[test]
    fn registry_entries_are_distinct() {
        let names: HashSet<_> = DIALECTS.iter().map(|d| d.name).collect();
        let mounts: HashSet<_> = DIALECTS.iter().map(|d| d.mount).collect();
        let streams: HashSet<_> = DIALECTS.iter().map(|d| d.live_stream).collect();
        assert_eq!(names.len(), DIALECTS.len());
        assert_eq!(mounts.len(), DIALECTS.len());
        assert_eq!(streams.len(), DIALECTS.len());
        assert!(streams.iter().all(|s| *s > 13), "{streams:?}");
        for d in DIALECTS {
            assert_eq!(d.name, d.name.to_ascii_uppercase());
            assert!(d.base_path(42).starts_with(d.mount), "{}", d.name);
            assert!(!d.key(42).starts_with("sk_live_"), "{}", d.name);
            assert_ne!(d.key(42), d.key(43), "{}", d.name);
        }
        assert_eq!(DIALECTS[0].name, "PIN", "the admin routes' default");
    }
}
