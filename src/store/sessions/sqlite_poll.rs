//! Watching `recon.sqlite` for other dashboards' writes: SQLite has no NOTIFY, so a
//! read connection of the watcher's own asks for events newer than the newest it has
//! seen, a few times a second (an index lookup; WAL readers never block writers).

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
    // The newest event seen, kept across reopenings so that nothing is missed.
    let mut seen = None;
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

/// Polls until the database fails (why) or nobody listens.
fn poll(
    path: &Path,
    seen: &mut Option<i64>,
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
        match newer(&conn, seen) {
            Ok(news) => {
                backoff.reset();
                teller.up()?;
                for (session, event_id) in news {
                    teller.changed(session, event_id)?;
                }
            }
            Err(e) => return Ok(format!("{}: {e}", path.display())),
        }
        teller.pause(POLL_EVERY)?;
    }
}

/// Each session with events newer than `seen`, and its newest; the first call only
/// learns where the table ends.
fn newer(conn: &Connection, seen: &mut Option<i64>) -> rusqlite::Result<Vec<(SessionId, i64)>> {
    let Some(after) = *seen else {
        let last = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get(0))?;
        *seen = Some(last);
        return Ok(Vec::new());
    };
    let mut statement = conn.prepare_cached(
        "SELECT session_id, MAX(id) FROM events WHERE id > ?1
         GROUP BY session_id ORDER BY MAX(id) LIMIT ?2",
    )?;
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
}
