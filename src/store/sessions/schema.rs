//! The session database's schema, one migration per file, applied in order at open;
//! its own set, apart from the charge store's. A change is always a new file here,
//! and a new step in the upgrade test below.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("migrations/001_sessions.sql")),
    M::up(include_str!("migrations/002_exceptions_adjustments.sql")),
    M::up(include_str!("migrations/003_claims.sql")),
    M::up(include_str!("migrations/004_claims_version.sql")),
];

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
    /// what it held. Each new migration adds a `(version, fill, check)` step here.
    #[test]
    fn every_version_migrates_to_the_latest() {
        type Fill = fn(&Connection);
        let steps: &[(usize, Fill, Fill)] = &[
            (0, |_| {}, |_| {}),
            (1, fill_v1, check_v1),
            (2, fill_v2, check_v2),
            (3, fill_v3, check_v3),
        ];
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

    /// A version-1 database with a session, an event, a match and its item.
    fn fill_v1(conn: &Connection) {
        conn.execute_batch(
            "INSERT INTO sessions VALUES (1, 'nov', '2026-11-01', '2026-11-30', 'ann', 'now');
             INSERT INTO events VALUES (1, 1, 'match', '{}', 'ann', 'now');
             INSERT INTO matches VALUES (1, 1, 2, 'amount', 'matched');
             INSERT INTO items VALUES (1, 'payout', 'p', 'po_1', 'matched', 1, 'a note', 'ann', 'now', 1);",
        )
        .unwrap();
    }

    /// Version 2 keeps the item, takes an exception item, and gives matches an
    /// adjustment that version 1's rows lack.
    fn check_v1(conn: &Connection) {
        let kept: (String, Option<String>, Option<i64>) = conn
            .query_row(
                "SELECT i.note, m.adjustment_reason, m.adjustment_minor
                 FROM items i JOIN matches m ON m.id = i.match_id WHERE i.ref = 'po_1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(kept, ("a note".to_string(), None, None));
        conn.execute(
            "INSERT INTO items VALUES (1, 'exception', '', 'late_deposit:x', 'flagged', NULL, NULL, 'ann', 'now', 1)",
            [],
        )
        .unwrap();
    }

    /// A version-2 database: version 1's rows, with a match adjustment.
    fn fill_v2(conn: &Connection) {
        conn.execute_batch(
            "INSERT INTO sessions VALUES (1, 'nov', '2026-11-01', '2026-11-30', 'ann', 'now');
             INSERT INTO events VALUES (1, 1, 'match', '{}', 'ann', 'now');
             INSERT INTO matches VALUES (1, 1, 0, 'by hand', 'matched', -50, 'AUD', 'fee');
             INSERT INTO items VALUES (1, 'payout', 'p', 'po_1', 'matched', 1, 'a note', 'ann', 'now', 1);",
        )
        .unwrap();
    }

    /// Version 3 keeps what version 2 held and takes claims on its items and charges.
    fn check_v2(conn: &Connection) {
        let kept: (String, i64) = conn
            .query_row(
                "SELECT i.note, m.adjustment_minor FROM items i JOIN matches m ON m.id = i.match_id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kept, ("a note".to_string(), -50));
        conn.execute_batch(
            "INSERT INTO item_claims VALUES (1, 'payout', 'p', 'po_1', 'bob', 'now', 'now');
             INSERT INTO charge_claims VALUES ('p', 'ch_1', 'bob', 'refund', 'now');",
        )
        .unwrap();
    }

    /// A version-3 database: version 2's rows, with a claim.
    fn fill_v3(conn: &Connection) {
        fill_v2(conn);
        conn.execute(
            "INSERT INTO item_claims VALUES (1, 'payout', 'p', 'po_1', 'bob', 'now', 'now')",
            [],
        )
        .unwrap();
    }

    /// Version 4 keeps the claim and numbers the session's claims changes from 0.
    fn check_v3(conn: &Connection) {
        let kept: (String, i64) = conn
            .query_row(
                "SELECT c.holder, s.claims_version FROM item_claims c JOIN sessions s ON s.id = c.session_id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kept, ("bob".to_string(), 0));
    }
}
