//! The store's schema, one migration per file, applied in order at open. The version
//! lives in `PRAGMA user_version`; a change to the schema is always a new file here.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("migrations/001_store.sql")),
    M::up(include_str!("migrations/002_store_objects.sql")),
];

/// The schema version a fully migrated store has.
pub const LATEST: usize = MIGRATIONS.len();

pub(crate) fn migrate(conn: &mut Connection) -> Result<(), rusqlite_migration::Error> {
    Migrations::from_slice(MIGRATIONS).to_latest(conn)
}

pub(crate) fn version(conn: &Connection) -> Result<usize, rusqlite_migration::Error> {
    let version = Migrations::from_slice(MIGRATIONS).current_version(conn)?;
    Ok(match version {
        rusqlite_migration::SchemaVersion::Inside(n)
        | rusqlite_migration::SchemaVersion::Outside(n) => n.get(),
        rusqlite_migration::SchemaVersion::NoneSet => 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        Migrations::from_slice(MIGRATIONS).validate().unwrap();
    }
}
