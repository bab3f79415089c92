//! A [`PgSessions`] on a new, empty database of the test cluster (`pg_cluster.rs`),
//! for the library's own tests.

use super::pg_cluster::fresh_url;
use super::{PgSessions, StoreUrl};

/// A [`PgSessions`] on a new, empty database, or `None` as [`fresh_url`] says.
pub fn fresh_pg() -> Option<PgSessions> {
    let url = StoreUrl::parse(&fresh_url()?).expect("the test cluster's URL");
    Some(PgSessions::connect(&url).expect("the test cluster takes connections"))
}
