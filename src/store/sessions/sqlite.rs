//! The SQLite backend of [`SessionStore`]: one connection to `<data dir>/recon.sqlite`
//! in WAL with `synchronous=FULL` (a mark, once acknowledged, survives a power cut)
//! and foreign keys on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use super::CHARGE_CLAIM_TTL;
use super::apply::{self, DERIVED};
use super::claims::{self, ClaimRow};
use super::error::refused;
use super::event::{
    Adjustment, Event, ItemKind, ItemRef, ItemState, LineRecord, Stamp, StoredEvent, Totals,
};
use super::{
    ItemRow, MatchRow, NewSession, NoteRow, Recorded, Result, SessionError, SessionId,
    SessionStore, SessionSummary, SessionView, check_new, schema,
};
use super::{copy, sqlite_tables};
use crate::recon::import::LineIdentity;

/// How long a second paydeck waits on this one's write lock before saying so.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct SqliteSessions {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for SqliteSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteSessions")
            .field("path", &self.path)
            .finish()
    }
}

impl SqliteSessions {
    /// Where the sessions live: `<data dir>/recon.sqlite`.
    pub fn path_in(data_dir: &Path) -> PathBuf {
        data_dir.join("recon.sqlite")
    }

    /// Opens (creating if need be) the database at `path`, its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteSessions> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| SessionError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| SessionError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        SqliteSessions::prepare(conn, path.to_path_buf())
    }

    /// A database in memory, for tests.
    pub fn open_in_memory() -> Result<SqliteSessions> {
        SqliteSessions::prepare(Connection::open_in_memory()?, PathBuf::from(":memory:"))
    }

    fn prepare(mut conn: Connection, path: PathBuf) -> Result<SqliteSessions> {
        let unreadable = |source| SessionError::Open {
            path: path.clone(),
            source,
        };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(unreadable)?;
        for (pragma, value) in [
            ("journal_mode", "WAL"),
            ("synchronous", "FULL"),
            ("foreign_keys", "ON"),
        ] {
            conn.pragma_update(None, pragma, value)
                .map_err(unreadable)?;
        }
        schema::migrate(&mut conn).map_err(|e| SessionError::Migration {
            path: path.clone(),
            message: e.to_string(),
        })?;
        Ok(SqliteSessions { conn, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Empties the derived tables and replays every event into them, in one
    /// transaction: what the events say, whatever the derived tables held.
    pub fn rebuild(&mut self) -> Result<()> {
        let mut tx = self.conn.transaction()?;
        for table in DERIVED {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        let events = rows(
            &tx,
            "SELECT session_id, id, body, by_user, at FROM events WHERE id > ?1 ORDER BY id",
            0,
            |r| Ok((SessionId(r.get(0)?), stored_event(r, 1)?)),
        )?;
        apply::replay(&mut tx, &events)?;
        tx.commit()?;
        Ok(())
    }

    /// The connection, for tests that look under the trait.
    #[cfg(test)]
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A write transaction on `session`, which must exist: IMMEDIATE, so that it holds
    /// the file's write lock (waiting for another paydeck's) before the rules read.
    fn writing(&mut self, session: SessionId) -> Result<rusqlite::Transaction<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM sessions WHERE id = ?1)",
            [session.0],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(SessionError::NoSuchSession(format!("#{}", session.0)));
        }
        Ok(tx)
    }

    /// Sessions in name order, those `filter` (with its one parameter) keeps.
    fn summaries(&self, filter: &str, arg: rusqlite::types::Value) -> Result<Vec<SessionSummary>> {
        let sql = format!(
            "SELECT id, name, period_from, period_to, created_by, created_at FROM sessions
             WHERE ?1 IS NULL OR {filter} ORDER BY name"
        );
        rows(&self.conn, &sql, arg, |r| {
            let id = SessionId(r.get(0)?);
            let signed_off = self
                .conn
                .prepare_cached("SELECT by_user, at FROM signoffs WHERE session_id = ?1")?
                .query_row([id.0], |r| Ok((r.get(0)?, r.get::<_, String>(1)?)))
                .optional()?
                .map(|(by, at)| stamp(by, &at))
                .transpose()?;
            Ok(SessionSummary {
                id,
                name: r.get(1)?,
                profiles: rows(
                    &self.conn,
                    "SELECT profile FROM session_profiles WHERE session_id = ?1 ORDER BY profile",
                    id.0,
                    |p| Ok(p.get(0)?),
                )?,
                from: date(&r.get::<_, String>(2)?)?,
                to: date(&r.get::<_, String>(3)?)?,
                created: stamp(r.get(4)?, &r.get::<_, String>(5)?)?,
                signed_off,
            })
        })
    }
}

/// Every row `sql` gives for its one parameter, each read by `read`.
fn rows<T, P: rusqlite::ToSql>(
    conn: &Connection,
    sql: &str,
    param: P,
    mut read: impl FnMut(&Row) -> Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([param])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(read(row)?);
    }
    Ok(out)
}

fn bad(what: &str, problem: impl std::fmt::Display) -> SessionError {
    SessionError::BadRow {
        what: what.to_string(),
        problem: problem.to_string(),
    }
}

fn date(text: &str) -> Result<NaiveDate> {
    text.parse().map_err(|e| bad(&format!("date {text:?}"), e))
}

pub(crate) fn stamp(who: String, at: &str) -> Result<Stamp> {
    let at = DateTime::parse_from_rfc3339(at)
        .map_err(|e| bad(&format!("time {at:?}"), e))?
        .with_timezone(&Utc);
    Ok(Stamp { who, at })
}

pub(crate) fn item(kind: &str, profile: String, id: String) -> Result<ItemRef> {
    let kind = ItemKind::parse(kind).ok_or_else(|| bad("item kind", kind))?;
    Ok(ItemRef { kind, profile, id })
}

/// An events row from column `first` on: id, body, by_user, at.
fn stored_event(r: &Row, first: usize) -> Result<StoredEvent> {
    let id: i64 = r.get(first)?;
    let body: String = r.get(first + 1)?;
    let event: Event = serde_json::from_str(&body).map_err(|e| bad(&format!("event {id}"), e))?;
    Ok(StoredEvent {
        id,
        event,
        stamp: stamp(r.get(first + 2)?, &r.get::<_, String>(first + 3)?)?,
    })
}

/// Makes session `new` in `tx`, refusing a name taken; its id, and its `Created`
/// event's.
fn create_in(
    tx: &rusqlite::Transaction,
    new: &NewSession,
    stamp: &Stamp,
) -> Result<(SessionId, i64)> {
    let taken: Option<(String, String)> = tx
        .query_row(
            "SELECT created_by, created_at FROM sessions WHERE name = ?1",
            [&new.name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((by, at)) = taken {
        return Err(refused(format!(
            "a session named {:?} already exists (created by {by} at {at}): open it with :recon {}, or pick another name",
            new.name, new.name
        )));
    }
    tx.execute(
        "INSERT INTO sessions (name, period_from, period_to, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![new.name, new.from.to_string(), new.to.to_string(), stamp.who, stamp.at_text()],
    )?;
    let id = SessionId(tx.last_insert_rowid());
    let profiles: std::collections::BTreeSet<&String> = new.profiles.iter().collect();
    for profile in profiles {
        tx.execute(
            "INSERT INTO session_profiles (session_id, profile) VALUES (?1, ?2)",
            params![id.0, profile],
        )?;
    }
    let created = append(tx, id, &Event::Created, stamp)?;
    Ok((id, created))
}

impl SessionStore for SqliteSessions {
    fn create(&mut self, new: &NewSession, stamp: &Stamp) -> Result<SessionId> {
        check_new(new)?;
        let tx = self.conn.transaction()?;
        let (id, _) = create_in(&tx, new, stamp)?;
        tx.commit()?;
        Ok(id)
    }

    fn copy_in(
        &mut self,
        new: &NewSession,
        created: &Stamp,
        events: &[StoredEvent],
    ) -> Result<SessionId> {
        check_new(new)?;
        let mut tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (id, created_event) = create_in(&tx, new, created)?;
        copy::record_copies(&mut tx, id, created_event, events)?;
        tx.commit()?;
        Ok(id)
    }

    fn list(&mut self) -> Result<Vec<SessionSummary>> {
        self.summaries("FALSE", rusqlite::types::Value::Null)
    }

    fn find(&mut self, name: &str) -> Result<SessionSummary> {
        self.summaries("name = ?1", name.to_string().into())?
            .pop()
            .ok_or_else(|| SessionError::NoSuchSession(name.to_string()))
    }

    fn record_seen(
        &mut self,
        session: SessionId,
        events: Vec<Event>,
        seen: Option<i64>,
        stamp: &Stamp,
    ) -> Result<Vec<Recorded>> {
        // One transaction, so one fsync for auto-match's whole answer; IMMEDIATE, so
        // that a second paydeck on this file waits for the write lock before the rules
        // read, instead of failing to upgrade a read it already began.
        let mut tx = self.writing(session)?;
        let recorded = events
            .into_iter()
            .map(|event| apply::record(&mut tx, session, event, seen, stamp))
            .collect::<Result<Vec<_>>>()?;
        tx.commit()?;
        Ok(recorded)
    }

    fn claim(&mut self, session: SessionId, item: &ItemRef, stamp: &Stamp) -> Result<()> {
        let mut tx = self.writing(session)?;
        apply::not_signed_off(&mut tx, session)?;
        let held = sqlite_tables::claim_row(&tx, session, item)?;
        if let Some(claim) = claims::blocking(held, &stamp.who, stamp.at) {
            return Err(claims::item_held(&claim));
        }
        tx.execute(
            "INSERT INTO item_claims (session_id, kind, profile, ref, holder, taken_at, touched_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
             ON CONFLICT (session_id, kind, profile, ref) DO UPDATE SET
                 taken_at = CASE WHEN holder = excluded.holder THEN taken_at ELSE excluded.taken_at END,
                 holder = excluded.holder, touched_at = excluded.touched_at",
            params![
                session.0,
                item.kind.as_str(),
                item.profile,
                item.id,
                stamp.who,
                stamp.at_text()
            ],
        )?;
        sqlite_tables::claims_changed(&tx, session)?;
        tx.commit()?;
        Ok(())
    }

    fn release(&mut self, session: SessionId, item: &ItemRef, stamp: &Stamp) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let gone = tx.execute(
            "DELETE FROM item_claims
             WHERE session_id = ?1 AND kind = ?2 AND profile = ?3 AND ref = ?4 AND holder = ?5",
            params![
                session.0,
                item.kind.as_str(),
                item.profile,
                item.id,
                stamp.who
            ],
        )?;
        if gone > 0 {
            sqlite_tables::claims_changed(&tx, session)?;
        }
        tx.commit()?;
        Ok(gone > 0)
    }

    fn claim_charge(
        &mut self,
        profile: &str,
        charge: &str,
        action: &str,
        stamp: &Stamp,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let held: Option<(String, String, String)> = tx
            .query_row(
                "SELECT holder, action, taken_at FROM charge_claims WHERE profile = ?1 AND charge_id = ?2",
                params![profile, charge],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((holder, held_for, taken)) = held {
            let taken = self::stamp(holder.clone(), &taken)?.at;
            if holder != stamp.who && stamp.at - taken < CHARGE_CLAIM_TTL {
                return Err(claims::charge_held(
                    profile, charge, holder, &held_for, taken,
                ));
            }
        }
        tx.execute(
            "INSERT INTO charge_claims (profile, charge_id, holder, action, taken_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (profile, charge_id) DO UPDATE SET
                 holder = excluded.holder, action = excluded.action, taken_at = excluded.taken_at",
            params![profile, charge, stamp.who, action, stamp.at_text()],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn release_charge(&mut self, profile: &str, charge: &str, stamp: &Stamp) -> Result<()> {
        self.conn.execute(
            "DELETE FROM charge_claims WHERE profile = ?1 AND charge_id = ?2 AND holder = ?3",
            params![profile, charge, stamp.who],
        )?;
        Ok(())
    }

    fn load(&mut self, session: SessionId) -> Result<SessionView> {
        let summary = self
            .summaries("id = ?1", session.0.into())?
            .pop()
            .ok_or_else(|| SessionError::NoSuchSession(format!("#{}", session.0)))?;
        let conn = &self.conn;
        let lines = rows(
            conn,
            "SELECT identity, booked, amount_minor, currency, text, reference, other_refs FROM lines
             WHERE session_id = ?1 ORDER BY booked, identity",
            session.0,
            |r| {
                let refs: String = r.get(6)?;
                Ok(LineRecord {
                    other_refs: serde_json::from_str(&refs)
                        .map_err(|e| bad("a line's other references", e))?,
                    identity: LineIdentity::from_stored(r.get(0)?),
                    booked: date(&r.get::<_, String>(1)?)?,
                    amount_minor: r.get(2)?,
                    currency: r.get(3)?,
                    text: r.get(4)?,
                    reference: r.get(5)?,
                })
            },
        )?;
        let items = rows(
            conn,
            "SELECT kind, profile, ref, state, match_id, note, changed_by, changed_at, changed_event FROM items
             WHERE session_id = ?1 ORDER BY kind, profile, ref",
            session.0,
            |r| {
                let state: String = r.get(3)?;
                Ok(ItemRow {
                    item: item(&r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)?,
                    state: ItemState::parse(&state).ok_or_else(|| bad("item state", &state))?,
                    match_id: r.get(4)?,
                    note: r.get(5)?,
                    changed: stamp(r.get(6)?, &r.get::<_, String>(7)?)?,
                    version: r.get(8)?,
                })
            },
        )?;
        let mut members: BTreeMap<i64, Vec<ItemRef>> = BTreeMap::new();
        for row in &items {
            if let Some(m) = row.match_id {
                members.entry(m).or_default().push(row.item.clone());
            }
        }
        let matches = rows(
            conn,
            "SELECT id, tier, reason, state, adjustment_minor, adjustment_currency, adjustment_reason
             FROM matches WHERE session_id = ?1 ORDER BY id",
            session.0,
            |r| {
                let id = r.get(0)?;
                let adjustment = match (r.get(4)?, r.get(5)?, r.get(6)?) {
                    (Some(amount_minor), Some(currency), Some(reason)) => Some(Adjustment {
                        amount_minor,
                        currency,
                        reason,
                    }),
                    _ => None,
                };
                Ok(MatchRow {
                    id,
                    tier: r.get(1)?,
                    reason: r.get(2)?,
                    proposed: r.get::<_, String>(3)? == "proposed",
                    items: members.remove(&id).unwrap_or_default(),
                    adjustment,
                })
            },
        )?;
        let notes = rows(
            conn,
            "SELECT event_id, kind, profile, ref, text, by_user, at FROM notes
             WHERE session_id = ?1 ORDER BY event_id",
            session.0,
            |r| {
                Ok(NoteRow {
                    event_id: r.get(0)?,
                    item: item(&r.get::<_, String>(1)?, r.get(2)?, r.get(3)?)?,
                    text: r.get(4)?,
                    stamp: stamp(r.get(5)?, &r.get::<_, String>(6)?)?,
                })
            },
        )?;
        let frozen = rows(
            conn,
            "SELECT currency, statement_minor, matched_minor, unmatched_minor, difference_minor
             FROM frozen_totals WHERE session_id = ?1 ORDER BY currency",
            session.0,
            |r| {
                Ok(Totals {
                    currency: r.get(0)?,
                    statement: r.get(1)?,
                    matched: r.get(2)?,
                    unmatched: r.get(3)?,
                    difference: r.get(4)?,
                })
            },
        )?;
        let claims = rows(
            conn,
            "SELECT kind, profile, ref, holder, taken_at, touched_at FROM item_claims
             WHERE session_id = ?1 ORDER BY kind, profile, ref",
            session.0,
            |r| {
                let holder: String = r.get(3)?;
                Ok(ClaimRow {
                    item: item(&r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)?,
                    taken: stamp(holder.clone(), &r.get::<_, String>(4)?)?.at,
                    touched: stamp(holder.clone(), &r.get::<_, String>(5)?)?.at,
                    holder,
                })
            },
        )?;
        let latest = conn.query_row(
            "SELECT COALESCE(MAX(id), 0) FROM events WHERE session_id = ?1",
            [session.0],
            |r| r.get(0),
        )?;
        let claims_version = conn.query_row(
            "SELECT claims_version FROM sessions WHERE id = ?1",
            [session.0],
            |r| r.get(0),
        )?;
        Ok(SessionView {
            summary,
            lines,
            items,
            matches,
            notes,
            frozen,
            claims,
            latest,
            claims_version,
        })
    }

    fn events(&mut self, session: SessionId) -> Result<Vec<StoredEvent>> {
        rows(
            &self.conn,
            "SELECT id, body, by_user, at FROM events WHERE session_id = ?1 ORDER BY id",
            session.0,
            |r| stored_event(r, 0),
        )
    }
}

/// Appends `event`; its id comes back.
pub(crate) fn append(
    tx: &rusqlite::Transaction,
    session: SessionId,
    event: &Event,
    stamp: &Stamp,
) -> Result<i64> {
    let body = serde_json::to_string(event).map_err(|e| bad("event", e))?;
    tx.prepare_cached(
        "INSERT INTO events (session_id, kind, body, by_user, at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        session.0,
        event.kind(),
        body,
        stamp.who,
        stamp.at_text()
    ])?;
    Ok(tx.last_insert_rowid())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::sessions::conformance::{self, conformance_tests, stamp};

    conformance_tests!(|| SqliteSessions::open_in_memory().unwrap());

    /// Every derived table's rows, in key order, as text.
    pub(crate) fn derived(store: &SqliteSessions) -> Vec<String> {
        let mut rows = Vec::new();
        for table in DERIVED {
            let mut stmt = store
                .conn()
                .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2, 3"))
                .unwrap();
            let width = stmt.column_count();
            let mut query = stmt.query([]).unwrap();
            while let Some(row) = query.next().unwrap() {
                let values: Vec<String> = (0..width)
                    .map(|i| format!("{:?}", row.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect();
                rows.push(format!("{table}: {}", values.join(" | ")));
            }
        }
        rows
    }

    #[test]
    fn the_file_is_wal_with_full_sync_and_foreign_keys_and_reopens() {
        let dir = std::env::temp_dir().join(format!("paydeck-recon-{}", uuid::Uuid::new_v4()));
        let path = SqliteSessions::path_in(&dir);
        {
            let mut store = SqliteSessions::open(&path).unwrap();
            store
                .create(&conformance::november("nov"), &stamp(0))
                .unwrap();
        }
        let store = SqliteSessions::open(&path).unwrap();
        let pragma = |name: &str| -> String {
            store
                .conn()
                .query_row(&format!("PRAGMA {name}"), [], |r| {
                    r.get::<_, rusqlite::types::Value>(0)
                })
                .map(|v| format!("{v:?}"))
                .unwrap()
        };
        assert_eq!(pragma("journal_mode"), "Text(\"wal\")");
        assert_eq!(pragma("synchronous"), "Integer(2)", "FULL");
        assert_eq!(pragma("foreign_keys"), "Integer(1)");
        assert_eq!(
            pragma("user_version"),
            format!("Integer({})", schema::LATEST)
        );
        drop(store);
        let mut store = SqliteSessions::open(&path).unwrap();
        assert_eq!(store.list().unwrap().len(), 1);
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn events_can_be_neither_changed_nor_deleted() {
        let mut store = SqliteSessions::open_in_memory().unwrap();
        conformance::session_with_lines(&mut store, 1);
        for sql in [
            "UPDATE events SET by_user = 'mallory'",
            "DELETE FROM events",
        ] {
            let err = store.conn().execute(sql, []).unwrap_err();
            assert!(err.to_string().contains("append-only"), "{err}");
        }
    }

    #[test]
    fn rebuilding_from_the_events_gives_the_live_derived_tables() {
        let mut store = SqliteSessions::open_in_memory().unwrap();
        conformance::session_to_replay(&mut store);
        let live = derived(&store);
        assert!(live.iter().any(|r| r.starts_with("signoffs:")));
        // Damage the derived state: the rebuild must come from the events alone.
        store.conn().execute("DELETE FROM notes", []).unwrap();
        store
            .conn()
            .execute(
                "UPDATE items SET state = 'open', note = NULL WHERE state = 'ignored'",
                [],
            )
            .unwrap();
        assert_ne!(derived(&store), live);
        store.rebuild().unwrap();
        assert_eq!(derived(&store), live);
    }
}
