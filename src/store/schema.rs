//! The store's schema, one migration per file, applied in order at open. The version
//! lives in `PRAGMA user_version`; a change to the schema is always a new file here.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("migrations/001_store.sql")),
    M::up(include_str!("migrations/002_store_objects.sql")),
    M::up(include_str!("migrations/003_store_poll_writes.sql")),
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
    use crate::store::rollup_prop::column;

    #[test]
    fn migrations_are_valid() {
        Migrations::from_slice(MIGRATIONS).validate().unwrap();
    }

    fn schema_and_text_settings(conn: &Connection) -> Vec<String> {
        column(
            conn,
            "SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master \
             UNION ALL SELECT 'fts ' || k || ' = ' || v FROM charge_fts_config ORDER BY 1",
        )
    }

    #[test]
    fn a_store_migrated_from_an_older_version_ends_as_a_new_one_begins() {
        let mut old = Connection::open_in_memory().unwrap();
        Migrations::from_slice(&MIGRATIONS[..2])
            .to_latest(&mut old)
            .unwrap();
        let before = schema_and_text_settings(&old);
        migrate(&mut old).unwrap();
        let mut new = Connection::open_in_memory().unwrap();
        migrate(&mut new).unwrap();
        let after = schema_and_text_settings(&old);
        assert_eq!(after, schema_and_text_settings(&new));
        assert_ne!(before, after);
        assert!(
            after.contains(&"fts automerge = 0".to_string()),
            "{after:#?}"
        );
    }
}
