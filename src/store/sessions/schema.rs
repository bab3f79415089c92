//! The session database's schema, one migration per file, applied in order at open;
//! its own set, apart from the charge store's. A change is always a new file here,
//! and a new step in the upgrade test below.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

const MIGRATIONS: &[M<'static>] = &[M::up(include_str!("migrations/001_sessions.sql"))];

/// The schema version a fully migrated session database has.
pub const LATEST: usize = MIGRATIONS.len();

pub(crate) fn migrate(conn: &mut Connection) -> Result<(), rusqlite_migration::Error> {
    Migrations::from_slice(MIGRATIONS).to_latest(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        Migrations::from_slice(MIGRATIONS).validate().unwrap();
    }

    /// Each version's database, left at that version, migrates to the latest and keeps
    /// what it held. Version 1 is the first, so only "from empty" exists yet: the next
    /// migration adds a `(version, fill, check)` step here.
    #[test]
    fn every_version_migrates_to_the_latest() {
        type Fill = fn(&Connection);
        let steps: &[(usize, Fill, Fill)] = &[(0, |_| {}, |_| {})];
        for &(from, fill, check) in steps {
            let mut conn = Connection::open_in_memory().unwrap();
            Migrations::from_slice(MIGRATIONS)
                .to_version(&mut conn, from)
                .unwrap();
            fill(&conn);
            migrate(&mut conn).unwrap();
            let version: i64 = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(version, LATEST as i64, "from version {from}");
            check(&conn);
        }
    }
}
