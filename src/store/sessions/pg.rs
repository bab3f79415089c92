//! The PostgreSQL backend of [`SessionStore`], for a team sharing one database: the
//! same tables and rules as the SQLite one (`apply.rs`), in native types, with its own
//! migrations (`pg_migrations/`). The sync `postgres` client: the trait is sync and one
//! thread owns the store (`store/owner.rs`). Every wait is bounded: the connect by
//! [`CONNECT_TIMEOUT`], each statement by [`STATEMENT_TIMEOUT`].

use std::time::Duration;

use postgres::{Client, Config, Row};

use super::apply::{self, DERIVED};
use super::error::refused;
use super::event::{Event, ItemKind, ItemRef, Stamp, StoredEvent};
use super::pg_url::StoreUrl;
use super::{
    NewSession, Recorded, Result, SessionError, SessionId, SessionStore, SessionSummary,
    SessionView, check_new,
};
use super::{copy, pg_claims, pg_load, pg_notify};

/// How long connecting to the server may take before it is called unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest any one statement may run (or wait on another operator's lock).
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);

/// A connection with every wait bounded; TCP keepalives notice a server that went
/// away without closing it.
pub(crate) fn open_client(url: &StoreUrl) -> Result<Client> {
    let mut config: Config = url.config()?;
    config
        .connect_timeout(CONNECT_TIMEOUT)
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(10))
        .keepalives_interval(Duration::from_secs(5))
        .keepalives_retries(3)
        .options(&format!(
            "-c statement_timeout={}ms -c lock_timeout={}ms",
            STATEMENT_TIMEOUT.as_millis(),
            STATEMENT_TIMEOUT.as_millis()
        ))
        .application_name("paydeck");
    // TLS for any host that is not local (`pg_tls.rs`).
    super::pg_tls::connect(url, config)
}

/// The schema, one migration per file, applied in order; each applied one is a row of
/// `schema_version`. A change is always a new file here.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("pg_migrations/001_sessions.sql")),
    (2, include_str!("pg_migrations/002_claims.sql")),
    (3, include_str!("pg_migrations/003_claims_version.sql")),
];

/// The schema version a fully migrated database has.
pub const PG_LATEST: i32 = MIGRATIONS.len() as i32;

pub struct PgSessions {
    client: Client,
    url: StoreUrl,
}

impl std::fmt::Debug for PgSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgSessions")
            .field("url", &self.url)
            .finish()
    }
}

pub(crate) fn bad(what: &str, problem: impl std::fmt::Display) -> SessionError {
    SessionError::BadRow {
        what: what.to_string(),
        problem: problem.to_string(),
    }
}

impl PgSessions {
    /// Connects to the database `url` names and brings its schema up to date.
    pub fn connect(url: &StoreUrl) -> Result<PgSessions> {
        let client = open_client(url)?;
        let mut store = PgSessions {
            client,
            url: url.clone(),
        };
        store.migrate(PG_LATEST)?;
        Ok(store)
    }

    /// Applies the migrations the database lacks, up to `target`, each in its own
    /// transaction; an advisory lock keeps two paydecks from migrating at once.
    fn migrate(&mut self, target: i32) -> Result<()> {
        let failed = |e: postgres::Error| SessionError::Migration {
            path: self.url.to_string().into(),
            message: super::error::describe(&e),
        };
        let mut tx = self.client.transaction().map_err(failed)?;
        tx.batch_execute(
            "SELECT pg_advisory_xact_lock(7390316015);
             CREATE TABLE IF NOT EXISTS schema_version (
                 version INTEGER PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
             );",
        )
        .map_err(failed)?;
        let current: i32 = tx
            .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[])
            .map_err(failed)?
            .get(0);
        if current > PG_LATEST {
            return Err(SessionError::Migration {
                path: self.url.to_string().into(),
                message: format!(
                    "the database is at schema version {current}, newer than this paydeck's {PG_LATEST}: upgrade paydeck"
                ),
            });
        }
        for (version, sql) in MIGRATIONS {
            if *version > current && *version <= target {
                tx.batch_execute(sql).map_err(failed)?;
                tx.execute(
                    "INSERT INTO schema_version (version) VALUES ($1)",
                    &[version],
                )
                .map_err(failed)?;
            }
        }
        tx.commit().map_err(failed)?;
        Ok(())
    }

    /// Empties the derived tables and replays every event into them, in one
    /// transaction: what the events say, whatever the derived tables held.
    pub fn rebuild(&mut self) -> Result<()> {
        let mut tx = self.client.transaction()?;
        for table in DERIVED {
            tx.execute(&format!("DELETE FROM {table}"), &[])?;
        }
        let events = tx
            .query(
                "SELECT session_id, id, body::text, by_user, at FROM events ORDER BY id",
                &[],
            )?
            .iter()
            .map(|row| Ok((SessionId(row.get(0)), stored_event(row, 1)?)))
            .collect::<Result<Vec<_>>>()?;
        apply::replay(&mut tx, &events)?;
        tx.commit()?;
        Ok(())
    }

    /// A connection that dropped (the server restarted, the network went) is opened
    /// again before the next call; failing that, the call says the store is unreachable.
    fn ready(&mut self) -> Result<()> {
        if self.client.is_closed() {
            tracing::info!(url = %self.url, "reconnecting to the reconciliation store");
            self.client = open_client(&self.url)?;
        }
        Ok(())
    }

    /// The client, for tests that look under the trait.
    #[cfg(test)]
    pub(crate) fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// Sessions in name order, those `filter` (on `s`, with its one text parameter) keeps.
    fn summaries(&mut self, filter: &str, arg: &str) -> Result<Vec<SessionSummary>> {
        let sql = format!(
            "SELECT s.id, s.name, s.period_from, s.period_to, s.created_by, s.created_at, o.by_user, o.at,
                    ARRAY(SELECT profile FROM session_profiles p WHERE p.session_id = s.id ORDER BY profile)
             FROM sessions s LEFT JOIN signoffs o ON o.session_id = s.id
             WHERE {filter} ORDER BY s.name COLLATE \"C\""
        );
        let rows = self.client.query(&sql, &[&arg])?;
        Ok(rows
            .iter()
            .map(|r| SessionSummary {
                id: SessionId(r.get(0)),
                name: r.get(1),
                profiles: r.get(8),
                from: r.get(2),
                to: r.get(3),
                created: Stamp {
                    who: r.get(4),
                    at: r.get(5),
                },
                signed_off: r
                    .get::<_, Option<String>>(6)
                    .map(|who| Stamp { who, at: r.get(7) }),
            })
            .collect())
    }
}

pub(crate) fn item(kind: &str, profile: String, id: String) -> Result<ItemRef> {
    let kind = ItemKind::parse(kind).ok_or_else(|| bad("item kind", kind))?;
    Ok(ItemRef { kind, profile, id })
}

/// An events row from column `first` on: id, body (as text), by_user, at.
fn stored_event(r: &Row, first: usize) -> Result<StoredEvent> {
    let id: i64 = r.get(first);
    let body: String = r.get(first + 1);
    let event: Event = serde_json::from_str(&body).map_err(|e| bad(&format!("event {id}"), e))?;
    Ok(StoredEvent {
        id,
        event,
        stamp: Stamp {
            who: r.get(first + 2),
            at: r.get(first + 3),
        },
    })
}

/// Appends `event`; its id comes back.
pub(crate) fn append(
    tx: &mut postgres::Transaction,
    session: SessionId,
    event: &Event,
    stamp: &Stamp,
) -> Result<i64> {
    let body = serde_json::to_string(event).map_err(|e| bad("event", e))?;
    Ok(tx
        .query_one(
            "INSERT INTO events (session_id, kind, body, by_user, at) VALUES ($1, $2, $3::text::jsonb, $4, $5)
             RETURNING id",
            &[&session.0, &event.kind(), &body, &stamp.who, &stamp.at],
        )?
        .get(0))
}

/// Makes session `new` in `tx`, refusing a name taken; its id, and its `Created`
/// event's.
fn create_in(
    tx: &mut postgres::Transaction<'_>,
    new: &NewSession,
    stamp: &Stamp,
) -> Result<(SessionId, i64)> {
    // Two operators creating the same name at once: the second waits, then sees it.
    tx.execute("LOCK TABLE sessions IN SHARE ROW EXCLUSIVE MODE", &[])?;
    if let Some(r) = tx.query_opt(
        "SELECT created_by, created_at FROM sessions WHERE name = $1",
        &[&new.name],
    )? {
        let by = Stamp {
            who: r.get(0),
            at: r.get(1),
        };
        return Err(refused(format!(
            "a session named {:?} already exists (created by {} at {}): open it with :recon {}, or pick another name",
            new.name,
            by.who,
            by.at_text(),
            new.name
        )));
    }
    let id = SessionId(
        tx.query_one(
            "INSERT INTO sessions (name, period_from, period_to, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[&new.name, &new.from, &new.to, &stamp.who, &stamp.at],
        )?
        .get(0),
    );
    let profiles: std::collections::BTreeSet<&String> = new.profiles.iter().collect();
    for profile in profiles {
        tx.execute(
            "INSERT INTO session_profiles (session_id, profile) VALUES ($1, $2)",
            &[&id.0, profile],
        )?;
    }
    let created = append(tx, id, &Event::Created, stamp)?;
    Ok((id, created))
}

impl SessionStore for PgSessions {
    fn create(&mut self, new: &NewSession, stamp: &Stamp) -> Result<SessionId> {
        check_new(new)?;
        self.ready()?;
        let mut tx = self.client.transaction()?;
        let (id, _) = create_in(&mut tx, new, stamp)?;
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
        self.ready()?;
        let mut tx = self.client.transaction()?;
        let (id, created_event) = create_in(&mut tx, new, created)?;
        copy::record_copies(&mut tx, id, created_event, events)?;
        let committed = tx.commit();
        pg_notify::confirmed(committed, self.client.is_closed())?;
        Ok(id)
    }

    fn list(&mut self) -> Result<Vec<SessionSummary>> {
        self.ready()?;
        self.summaries("$1::text IS NULL OR TRUE", "")
    }

    fn find(&mut self, name: &str) -> Result<SessionSummary> {
        self.ready()?;
        self.summaries("s.name = $1", name)?
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
        self.ready()?;
        let mut tx = self.client.transaction()?;
        lock_session(&mut tx, session)?;
        let recorded = events
            .into_iter()
            .map(|event| apply::record(&mut tx, session, event, seen, stamp))
            .collect::<Result<Vec<_>>>()?;
        pg_notify::tell(&mut tx, session, &recorded)?;
        let committed = tx.commit();
        pg_notify::confirmed(committed, self.client.is_closed())?;
        Ok(recorded)
    }

    fn claim(&mut self, session: SessionId, item: &ItemRef, stamp: &Stamp) -> Result<()> {
        self.ready()?;
        pg_claims::claim(&mut self.client, session, item, stamp)
    }

    fn release(&mut self, session: SessionId, item: &ItemRef, stamp: &Stamp) -> Result<bool> {
        self.ready()?;
        pg_claims::release(&mut self.client, session, item, stamp)
    }

    fn claim_charge(
        &mut self,
        profile: &str,
        charge: &str,
        action: &str,
        stamp: &Stamp,
    ) -> Result<()> {
        self.ready()?;
        pg_claims::claim_charge(&mut self.client, profile, charge, action, stamp)
    }

    fn release_charge(&mut self, profile: &str, charge: &str, stamp: &Stamp) -> Result<()> {
        self.ready()?;
        pg_claims::release_charge(&mut self.client, profile, charge, stamp)
    }

    fn load(&mut self, session: SessionId) -> Result<SessionView> {
        self.ready()?;
        let summary = self
            .summaries("s.id = $1::text::bigint", &session.0.to_string())?
            .pop()
            .ok_or_else(|| SessionError::NoSuchSession(format!("#{}", session.0)))?;
        pg_load::view(&mut self.client, summary)
    }

    fn events(&mut self, session: SessionId) -> Result<Vec<StoredEvent>> {
        self.ready()?;
        self.client
            .query(
                "SELECT id, body::text, by_user, at FROM events WHERE session_id = $1 ORDER BY id",
                &[&session.0],
            )?
            .iter()
            .map(|r| stored_event(r, 0))
            .collect()
    }
}

/// One writer per session at a time (the rules read, then write): locks the session's
/// row for the transaction, or says there is no such session.
fn lock_session(tx: &mut postgres::Transaction<'_>, session: SessionId) -> Result<()> {
    let row = tx.query_opt(
        "SELECT id FROM sessions WHERE id = $1 FOR UPDATE",
        &[&session.0],
    )?;
    match row {
        Some(_) => Ok(()),
        None => Err(SessionError::NoSuchSession(format!("#{}", session.0))),
    }
}

#[cfg(test)]
mod tests {
    use super::super::event::ItemState;
    use super::*;
    use crate::store::sessions::conformance::{self, conformance_tests, stamp};
    use crate::store::sessions::pg_cluster::fresh_url;
    use crate::store::sessions::pg_test_store::fresh_pg;

    conformance_tests!(maybe fresh_pg);

    /// Every derived table's rows, in key order, as text.
    fn derived(store: &mut PgSessions) -> Vec<String> {
        let mut rows = Vec::new();
        for table in DERIVED {
            let sql = format!("SELECT t::text FROM {table} t ORDER BY 1");
            for row in store.client().query(&sql, &[]).unwrap() {
                rows.push(format!("{table}: {}", row.get::<_, String>(0)));
            }
        }
        rows
    }

    #[test]
    fn events_can_be_neither_changed_nor_deleted() {
        let Some(mut store) = fresh_pg() else { return };
        conformance::session_with_lines(&mut store, 1);
        for sql in [
            "UPDATE events SET by_user = 'mallory'",
            "DELETE FROM events",
            "TRUNCATE events CASCADE",
        ] {
            let err = store.client().batch_execute(sql).unwrap_err();
            let text = crate::store::sessions::error::describe(&err);
            assert!(text.contains("append-only"), "{sql}: {text}");
        }
    }

    #[test]
    fn an_empty_database_migrates_to_the_latest_and_again_changes_nothing() {
        let Some(url) = fresh_url() else { return };
        let url = StoreUrl::parse(&url).unwrap();
        let mut store = PgSessions::connect(&url).unwrap();
        store
            .create(&conformance::november("nov"), &stamp(0))
            .unwrap();
        drop(store);
        let mut store = PgSessions::connect(&url).unwrap();
        let versions: Vec<i32> = store
            .client()
            .query("SELECT version FROM schema_version ORDER BY version", &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(versions, (1..=PG_LATEST).collect::<Vec<_>>());
        assert_eq!(store.list().unwrap().len(), 1);
        store
            .client()
            .execute(
                "INSERT INTO schema_version (version) VALUES ($1)",
                &[&(PG_LATEST + 1)],
            )
            .unwrap();
        let err = PgSessions::connect(&url).unwrap_err().to_string();
        assert!(err.contains("upgrade paydeck"), "{err}");
    }

    #[test]
    fn rebuilding_from_the_events_gives_the_live_derived_tables() {
        let Some(mut store) = fresh_pg() else { return };
        conformance::session_to_replay(&mut store);
        let live = derived(&mut store);
        assert!(live.iter().any(|r| r.starts_with("signoffs:")));
        // Damage the derived state: the rebuild must come from the events alone.
        store
            .client()
            .batch_execute(
                "DELETE FROM notes; UPDATE items SET state = 'open', note = NULL WHERE state = 'ignored'",
            )
            .unwrap();
        assert_ne!(derived(&mut store), live);
        store.rebuild().unwrap();
        assert_eq!(derived(&mut store), live);
    }

    #[test]
    fn a_store_whose_server_was_killed_says_unreachable_and_works_once_it_is_back() {
        let Some(cluster) = crate::store::sessions::pg_cluster::own_cluster() else {
            return;
        };
        let url = StoreUrl::parse(&cluster.new_database()).unwrap();
        let mut store = PgSessions::connect(&url).unwrap();
        store
            .create(&conformance::november("nov"), &stamp(0))
            .unwrap();
        cluster.kill_server().unwrap();
        let err = PgSessions::connect(&url).unwrap_err();
        assert!(matches!(err, SessionError::Unreachable { .. }), "{err}");
        cluster.start_server().unwrap();
        let mut store = PgSessions::connect(&url).unwrap();
        assert_eq!(store.find("nov").unwrap().name, "nov");
    }

    #[test]
    fn operators_claiming_one_exception_at_once_get_one_winner() {
        use crate::store::sessions::conformance_team::stamp_of;
        let Some(url) = fresh_url() else { return };
        let url = StoreUrl::parse(&url).unwrap();
        let mut store = PgSessions::connect(&url).unwrap();
        let id = conformance::session_with_lines(&mut store, 1);
        let exception = ItemRef::of(ItemKind::Exception, "", "late_deposit:bank:acct:1");
        let operators = 8;
        let start = std::sync::Arc::new(std::sync::Barrier::new(operators));
        let claims: Vec<_> = (0..operators)
            .map(|n| {
                let (url, start, exception) = (url.clone(), start.clone(), exception.clone());
                std::thread::spawn(move || {
                    let mut store = PgSessions::connect(&url).unwrap();
                    start.wait();
                    store.claim(id, &exception, &stamp_of(&format!("op{n}"), 0))
                })
            })
            .collect();
        let results: Vec<_> = claims.into_iter().map(|t| t.join().unwrap()).collect();
        let winners = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(winners, 1, "{results:?}");
        for result in &results {
            if let Err(e) = result {
                assert!(matches!(e, SessionError::Held { .. }), "{e}");
            }
        }
        let holder = &store.load(id).unwrap().claims[0].holder;
        let winner = results.iter().position(|r| r.is_ok()).unwrap();
        assert_eq!(holder, &format!("op{winner}"));
    }

    /// Two operators mark the same 100 items at once from the same view, one flagging
    /// and one ignoring each: every item ends in exactly one of the two states, the
    /// winner's, and every losing write is refused to its sender as a conflict.
    #[test]
    fn concurrent_conflicting_marks_leave_each_item_in_one_state_and_report_every_loser() {
        use crate::store::sessions::conformance_team::stamp_of;
        let Some(url) = fresh_url() else { return };
        let url = StoreUrl::parse(&url).unwrap();
        let mut store = PgSessions::connect(&url).unwrap();
        let items = 100;
        let id = conformance::session_with_lines(&mut store, items);
        let seen = store.load(id).unwrap().latest;
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let marks: Vec<_> = ["ana", "ben"]
            .into_iter()
            .map(|who| {
                let (url, start) = (url.clone(), start.clone());
                std::thread::spawn(move || {
                    let mut store = PgSessions::connect(&url).unwrap();
                    start.wait();
                    (1..=items)
                        .map(|n| {
                            let item = conformance::deposit(n);
                            let event = if who == "ana" {
                                Event::Flag {
                                    item,
                                    note: "ana's".into(),
                                }
                            } else {
                                Event::Ignore {
                                    item,
                                    reason: "ben's".into(),
                                }
                            };
                            store.record_seen(id, vec![event], Some(seen), &stamp_of(who, 1))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let results: Vec<Vec<_>> = marks.into_iter().map(|t| t.join().unwrap()).collect();
        let view = store.load(id).unwrap();
        for n in 1..=items {
            let i = (n - 1) as usize;
            let (ana, ben) = (&results[0][i], &results[1][i]);
            assert!(ana.is_ok() != ben.is_ok(), "deposit {n}: {ana:?} {ben:?}");
            let loser = if ana.is_ok() { ben } else { ana };
            assert!(
                matches!(loser, Err(SessionError::Conflict { .. })),
                "deposit {n}: {loser:?}"
            );
            let state = view.state_of(&conformance::deposit(n));
            let expected = if ana.is_ok() {
                ItemState::Flagged
            } else {
                ItemState::Ignored
            };
            assert_eq!(state, expected, "deposit {n}");
        }
    }
}
