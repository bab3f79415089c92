//! Watching a shared PostgreSQL for other operators' writes: a connection of the
//! watcher's own LISTENs on the channels `record_all`, `claim` and `release` notify
//! (`pg_notify.rs`); when
//! it drops, the store is unreachable until a new one is made, tried again with a
//! bounded backoff.

use std::collections::BTreeMap;
use std::time::Duration;

use postgres::Client;
use postgres::fallible_iterator::FallibleIterator;

use super::error::describe;
use super::pg::open_client;
use super::pg_notify::{CHANNEL, CLAIMS_CHANNEL, parse};
use super::watch::{Backoff, Gone, Teller};
use super::{SessionId, StoreUrl};

/// How long one wait for notifications lasts before checking that someone listens.
const WAIT: Duration = Duration::from_millis(250);
/// Most notifications gathered into one batch of news (one per session, the newest).
const BATCH_MAX: usize = 256;

pub(crate) fn run(url: &StoreUrl, mut teller: Teller) {
    let mut backoff = Backoff::new();
    loop {
        let why = match open_client(url) {
            Ok(mut client) => match listen(&mut client, &mut teller, &mut backoff) {
                Ok(why) => why,
                Err(Gone) => return,
            },
            Err(e) => e.to_string(),
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

/// Passes on notifications until the connection drops (why) or nobody listens.
fn listen(client: &mut Client, teller: &mut Teller, backoff: &mut Backoff) -> Result<String, Gone> {
    if let Err(e) = client.batch_execute(&format!("LISTEN {CHANNEL}; LISTEN {CLAIMS_CHANNEL}")) {
        return Ok(describe(&e));
    }
    backoff.reset();
    teller.up()?;
    loop {
        let newest = match gather(client) {
            Ok(newest) => newest,
            Err(e) => return Ok(describe(&e)),
        };
        for ((kind, session), number) in newest {
            match kind {
                Kind::Event => teller.changed(session, number)?,
                Kind::Claims => teller.claims(session, number)?,
            }
        }
        if client.is_closed() {
            return Ok("the connection to the server dropped".into());
        }
        if teller.gone() {
            return Err(Gone);
        }
    }
}

/// What a notification tells of: an event, or a change of claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Event,
    Claims,
}

/// The first notification to come within [`WAIT`], and those already in with it (at
/// most [`BATCH_MAX`]): each session's newest event and newest claims version.
fn gather(client: &mut Client) -> Result<BTreeMap<(Kind, SessionId), i64>, postgres::Error> {
    let mut newest: BTreeMap<(Kind, SessionId), i64> = BTreeMap::new();
    let mut notifications = client.notifications();
    let Some(first) = notifications.timeout_iter(WAIT).next()? else {
        return Ok(newest);
    };
    let mut take = |n: &postgres::Notification| {
        // Anything not ours (another program's payload) is left out.
        let kind = match n.channel() {
            CHANNEL => Some(Kind::Event),
            CLAIMS_CHANNEL => Some(Kind::Claims),
            _ => None,
        };
        let ours = kind.zip(parse(n.payload()));
        if let Some((kind, (session, number))) = ours {
            let at = newest.entry((kind, session)).or_insert(number);
            *at = (*at).max(number);
        }
    };
    take(&first);
    // Never waits: only what has come already.
    let mut pending = notifications.iter();
    for _ in 1..BATCH_MAX {
        let Some(n) = pending.next()? else { break };
        take(&n);
    }
    Ok(newest)
}

#[cfg(test)]
mod tests {
    use super::super::conformance::{november, stamp};
    use super::super::sqlite_poll::tests::note;
    use super::super::watch::{News, Watched, watch};
    use super::super::{Event, PgSessions, SessionError, SessionStore};
    use super::*;

    /// The next news within `wait`, if any (the sync client cannot run inside a
    /// runtime, so the test is sync and waits on one of its own).
    fn within(news: &mut tokio::sync::mpsc::Receiver<News>, wait: Duration) -> Option<News> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime
            .block_on(async { tokio::time::timeout(wait, news.recv()).await })
            .ok()
            .flatten()
    }

    /// The next news, waited for generously.
    fn next(news: &mut tokio::sync::mpsc::Receiver<News>) -> News {
        within(news, Duration::from_secs(90)).expect("news within the bound")
    }

    /// The next news of claims, past any of events.
    fn next_claims(news: &mut tokio::sync::mpsc::Receiver<News>) -> News {
        loop {
            match next(news) {
                News::Changed { .. } => continue,
                other => return other,
            }
        }
    }

    #[test]
    fn a_claim_taken_or_given_up_is_news_of_its_claims_version_and_a_refused_one_is_not() {
        use super::super::conformance::session_with_lines;
        use super::super::conformance_team::stamp_of;
        use super::super::{ItemKind, ItemRef};
        let Some(url) = super::super::pg_cluster::fresh_url() else {
            return;
        };
        let url = StoreUrl::parse(&url).unwrap();
        let mut store = PgSessions::connect(&url).unwrap();
        let id = session_with_lines(&mut store, 1);
        let mut news = watch(Watched::Postgres(url.clone())).unwrap();
        // LISTEN is in place once a notification comes through.
        (0..60)
            .find(|n| {
                store.record(id, note("hello"), &stamp(*n)).unwrap();
                within(&mut news, Duration::from_secs(1)).is_some()
            })
            .expect("a commit is news within a minute");
        let exception = ItemRef::of(ItemKind::Exception, "", "late_deposit:bank:acct:1");
        store.claim(id, &exception, &stamp(100)).unwrap();
        let claimed = store.load(id).unwrap().claims_version;
        let told = |version| News::Claims {
            session: id,
            version,
        };
        assert_eq!(next_claims(&mut news), told(claimed));
        // Bob is refused it and releases nothing: neither is news.
        let refused = store.claim(id, &exception, &stamp_of("bob", 101));
        assert!(
            matches!(refused, Err(SessionError::Held { .. })),
            "{refused:?}"
        );
        assert!(
            !store
                .release(id, &exception, &stamp_of("bob", 102))
                .unwrap()
        );
        assert!(store.release(id, &exception, &stamp(103)).unwrap());
        let released = store.load(id).unwrap().claims_version;
        assert!(released > claimed);
        assert_eq!(next_claims(&mut news), told(released));
    }

    #[test]
    fn a_commit_is_news_a_refusal_is_not_and_a_killed_server_is_unreachable_until_back() {
        let Some(cluster) = super::super::pg_cluster::own_cluster() else {
            return;
        };
        let url = StoreUrl::parse(&cluster.new_database()).unwrap();
        let mut store = PgSessions::connect(&url).unwrap();
        let id = store.create(&november("nov"), &stamp(0)).unwrap();
        let mut news = watch(Watched::Postgres(url.clone())).unwrap();
        // LISTEN is in place once a notification comes through.
        let first = (0..60)
            .find_map(|_| {
                let id_now = store.record(id, note("hello"), &stamp(1)).unwrap().event_id;
                within(&mut news, Duration::from_secs(1)).map(|heard| (heard, id_now))
            })
            .expect("a commit is news within a minute");
        assert_eq!(
            first.0,
            News::Changed {
                session: id,
                event_id: first.1
            }
        );
        // A refused batch rolls back: its notification is never delivered.
        let refused = store.record_all(
            id,
            vec![note("kept?"), Event::Unmatch { match_id: 999 }],
            &stamp(2),
        );
        assert!(
            matches!(refused, Err(SessionError::Refused(_))),
            "{refused:?}"
        );
        let kept = store.record(id, note("kept"), &stamp(3)).unwrap().event_id;
        assert_eq!(
            next(&mut news),
            News::Changed {
                session: id,
                event_id: kept
            }
        );

        cluster.kill_server().unwrap();
        assert!(matches!(next(&mut news), News::Unreachable(_)));
        // The first call finds its connection dropped; the next cannot make another.
        let err = store.record(id, note("while down"), &stamp(4)).unwrap_err();
        assert!(err.to_string().contains("dropped"), "{err}");
        let err = store.record(id, note("while down"), &stamp(4)).unwrap_err();
        assert!(matches!(err, SessionError::Unreachable { .. }), "{err}");
        cluster.start_server().unwrap();
        assert_eq!(next(&mut news), News::Reachable);
        // The same store connects again by itself, and the mark made while the
        // server was down was never kept.
        let after = store.record(id, note("back"), &stamp(5)).unwrap().event_id;
        assert_eq!(
            next(&mut news),
            News::Changed {
                session: id,
                event_id: after
            }
        );
        let texts: Vec<String> = store
            .events(id)
            .unwrap()
            .into_iter()
            .filter_map(|e| match e.event {
                Event::Note { text, .. } => Some(text),
                _ => None,
            })
            .collect();
        assert!(
            !texts.iter().any(|t| t == "while down" || t == "kept?"),
            "{texts:?}"
        );
        assert_eq!(texts.last().map(String::as_str), Some("back"));
        assert_eq!(store.load(id).unwrap().latest, after);
    }
}
