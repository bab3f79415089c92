//! Watching `recon.sqlite` for other dashboards' writes: SQLite has no NOTIFY, so a
//! read connection of the watcher's own asks for events newer than the newest it has
//! seen, a few times a second (an index lookup; WAL readers never block writers), and
//! the sessions table for claims versions past the newest it has seen (a table of one
//! row per session).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::SessionId;
use super::watch::{Backoff, Gone, Teller};

/// How often the events table is asked for news.
const POLL_EVERY: Duration = Duration::from_millis(200);
/// Most sessions one poll reports; the rest come next time.
const SESSIONS_PER_POLL: i64 = 64;

pub(crate) fn run(path: &Path, mut teller: Teller) {
    let mut backoff = Backoff::new();
    // The newest event and claims version seen, kept across reopenings so that
    // nothing is missed.
    let mut seen = Seen::default();
    loop {
        let why = match poll(path, &mut seen, &mut teller, &mut backoff) {
            Ok(why) => why,
            Err(Gone) => return,
        };
        if teller
            .down(&why)
            .and_then(|()| backoff.wait(&teller))
            .is_err()
        {
            return;
        }
    }
}

/// The newest of each the watcher has told of; `None` until it first looks.
#[derive(Default)]
struct Seen {
    event: Option<i64>,
    claims: Option<i64>,
}

/// Polls until the database fails (why) or nobody listens.
fn poll(
    path: &Path,
    seen: &mut Seen,
    teller: &mut Teller,
    backoff: &mut Backoff,
) -> Result<String, Gone> {
    // Never created here: the store's own connection made it.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match Connection::open_with_flags(path, flags) {
        Ok(conn) => conn,
        Err(e) => return Ok(format!("{}: {e}", path.display())),
    };
    if let Err(e) = conn.busy_timeout(Duration::from_secs(1)) {
        return Ok(e.to_string());
    }
    loop {
        let found = newer(&conn, EVENTS_AFTER, &mut seen.event)
            .and_then(|events| Ok((events, newer(&conn, CLAIMS_AFTER, &mut seen.claims)?)));
        match found {
            Ok((events, claims)) => {
                backoff.reset();
                teller.up()?;
                for (session, event_id) in events {
                    teller.changed(session, event_id)?;
                }
                for (session, version) in claims {
                    teller.claims(session, version)?;
                }
            }
            Err(e) => return Ok(format!("{}: {e}", path.display())),
        }
        teller.pause(POLL_EVERY)?;
    }
}

/// What [`newer`] asks: where the numbers end now, and each session's newest past one.
struct After {
    end: &'static str,
    past: &'static str,
}

const EVENTS_AFTER: After = After {
    end: "SELECT COALESCE(MAX(id), 0) FROM events",
    past: "SELECT session_id, MAX(id) FROM events WHERE id > ?1
           GROUP BY session_id ORDER BY MAX(id) LIMIT ?2",
};

/// Claims versions are one count for all sessions (`sqlite_tables::claims_changed`).
const CLAIMS_AFTER: After = After {
    end: "SELECT COALESCE(MAX(claims_version), 0) FROM sessions",
    past: "SELECT id, claims_version FROM sessions WHERE claims_version > ?1
           ORDER BY claims_version LIMIT ?2",
};

/// Each session with a number (event id, claims version) newer than `seen`, and its
/// newest; the first call only learns where the numbers end.
fn newer(
    conn: &Connection,
    ask: After,
    seen: &mut Option<i64>,
) -> rusqlite::Result<Vec<(SessionId, i64)>> {
    let Some(after) = *seen else {
        let last = conn.query_row(ask.end, [], |r| r.get(0))?;
        *seen = Some(last);
        return Ok(Vec::new());
    };
    let mut statement = conn.prepare_cached(ask.past)?;
    let news = statement
        .query_map([after, SESSIONS_PER_POLL], |r| {
            Ok((SessionId(r.get(0)?), r.get::<_, i64>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Only as far as what was reported, so that the sessions left out come next time.
    if let Some(last) = news.iter().map(|(_, id)| *id).max() {
        *seen = Some(last);
    }
    Ok(news)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::conformance::{november, stamp};
    use super::super::watch::{News, Watched, watch};
    use super::super::{Event, ItemKind, ItemRef, SessionStore, SqliteSessions};
    use super::*;

    /// A note on payout po_1 of profile pin.
    pub(crate) fn note(text: &str) -> Event {
        Event::Note {
            item: ItemRef {
                kind: ItemKind::Payout,
                profile: "pin".into(),
                id: "po_1".into(),
            },
            text: text.into(),
        }
    }

    #[tokio::test]
    async fn a_write_on_another_connection_is_news_of_its_session_and_event() {
        let dir = std::env::temp_dir().join(format!("paydeck-poll-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = SqliteSessions::path_in(&dir);
        let mut store = SqliteSessions::open(&path).unwrap();
        let id = store.create(&november("nov"), &stamp(0)).unwrap();
        let other = store.create(&november("dec"), &stamp(0)).unwrap();
        let mut news = watch(Watched::Sqlite(path.clone())).unwrap();
        // The watcher starts from where the table ends when it first looks: write
        // until it hears, then once more to each session.
        let mut heard_one = false;
        for _ in 0..100 {
            store.record(id, note("hello"), &stamp(1)).unwrap();
            let heard = tokio::time::timeout(POLL_EVERY * 3, news.recv()).await;
            if let Ok(Some(_)) = heard {
                heard_one = true;
                break;
            }
        }
        assert!(heard_one, "a write is news within a minute");
        let mine = store.record(id, note("again"), &stamp(2)).unwrap().event_id;
        let theirs = store
            .record(other, note("there"), &stamp(3))
            .unwrap()
            .event_id;
        let mut heard = Vec::new();
        while !heard.contains(&(other, theirs)) {
            let next = tokio::time::timeout(Duration::from_secs(60), news.recv());
            match next.await.unwrap().unwrap() {
                News::Changed { session, event_id } => heard.push((session, event_id)),
                unexpected => panic!("{unexpected:?}"),
            }
        }
        assert!(heard.contains(&(id, mine)), "{heard:?}");
        drop(news);
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_claim_taken_or_given_up_on_another_connection_is_news_of_its_claims_version() {
        use super::super::{ItemKind, ItemRef, conformance_team::stamp_of};
        let dir = std::env::temp_dir().join(format!("paydeck-poll-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = SqliteSessions::path_in(&dir);
        let mut store = SqliteSessions::open(&path).unwrap();
        let id = store.create(&november("nov"), &stamp(0)).unwrap();
        let mut news = watch(Watched::Sqlite(path.clone())).unwrap();
        // The watcher starts from where the numbers end when it first looks: write
        // until it hears.
        let mut heard_one = false;
        for n in 0..100 {
            store.record(id, note("hello"), &stamp(n)).unwrap();
            let heard = tokio::time::timeout(POLL_EVERY * 3, news.recv()).await;
            if let Ok(Some(_)) = heard {
                heard_one = true;
                break;
            }
        }
        assert!(heard_one, "a write is news within a minute");
        let mut next_claims = async || loop {
            let next = tokio::time::timeout(Duration::from_secs(60), news.recv());
            match next.await.unwrap().unwrap() {
                News::Changed { .. } => continue,
                other => return other,
            }
        };
        let exception = ItemRef::of(ItemKind::Exception, "", "late_deposit:bank:acct:1");
        store.claim(id, &exception, &stamp(100)).unwrap();
        let claimed = store.load(id).unwrap().claims_version;
        let told = |version| News::Claims {
            session: id,
            version,
        };
        assert_eq!(next_claims().await, told(claimed));
        // Bob releases nothing: no news; Alice gives it up: news.
        assert!(
            !store
                .release(id, &exception, &stamp_of("bob", 101))
                .unwrap()
        );
        assert!(store.release(id, &exception, &stamp(102)).unwrap());
        let released = store.load(id).unwrap().claims_version;
        assert!(released > claimed);
        assert_eq!(next_claims().await, told(released));
        drop(news);
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
