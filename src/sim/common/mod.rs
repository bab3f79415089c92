//! What more than one dialect (or the admin routes) uses, so that no dialect
//! imports another's folder: reading `Authorization`, request parameters, the
//! shared ledger handle, the test cards and decline codes that Pin, the
//! transactions gateway and the seed generators share, and money written as
//! decimal major units, error answers in Pin's shape, a digest of ids, and
//! the ids of events.

pub(crate) mod auth;
pub(crate) mod digest;
pub(crate) mod event_ids;
pub(crate) mod major_units;
pub(crate) mod params;
pub(crate) mod pin_shaped;
pub(crate) mod shared_ledger;
pub(crate) mod test_cards;

pub(crate) use shared_ledger::SharedLedger;
