//! News of the session store from outside this dashboard: another operator's write
//! (another paydeck on the same PostgreSQL, or on the same `recon.sqlite`), and the
//! store going away and coming back. A thread of its own per store (`pg_listen`,
//! `sqlite_poll`) sends it on a bounded channel; the dashboard reloads what it shows.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::{SessionId, StoreUrl};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum News {
    /// A write to `session` was committed; its newest event is `event_id`.
    Changed { session: SessionId, event_id: i64 },
    /// A claim on an item of `session` was taken or given up; the session's claims
    /// version is now `version` (`SessionView::claims_version`).
    Claims { session: SessionId, version: i64 },
    /// The store cannot be reached (why); the watcher keeps trying.
    Unreachable(String),
    /// The store answers again after being unreachable: what was missed meanwhile is
    /// unknown, so a screen reloads.
    Reachable,
}

/// News waiting for the dashboard: past this the watcher waits for it.
pub const NEWS_QUEUE: usize = 64;
/// The longest reason for an unreachable store that is passed on.
const REASON_MAX: usize = 300;
/// The first wait before trying a store again, doubled each failure up to the last.
const BACKOFF_FIRST: Duration = Duration::from_millis(250);
const BACKOFF_MAX: Duration = Duration::from_secs(5);
/// How often a waiting watcher checks that someone still listens.
const GONE_CHECK: Duration = Duration::from_millis(100);

/// The store a dashboard works on, to watch.
#[derive(Debug, Clone)]
pub enum Watched {
    /// The data directory's `recon.sqlite`, shared by dashboards on one machine.
    Sqlite(PathBuf),
    Postgres(StoreUrl),
}

/// Starts watching; the thread ends once the receiver is dropped.
pub fn watch(watched: Watched) -> std::io::Result<mpsc::Receiver<News>> {
    let (tx, rx) = mpsc::channel(NEWS_QUEUE);
    let teller = Teller { tx, down: false };
    std::thread::Builder::new()
        .name("recon-watch".into())
        .spawn(move || match watched {
            Watched::Sqlite(path) => super::sqlite_poll::run(&path, teller),
            Watched::Postgres(url) => super::pg_listen::run(&url, teller),
        })?;
    Ok(rx)
}

/// Nobody listens any more: the watcher stops.
#[derive(Debug)]
pub(crate) struct Gone;

/// Sends news, each change between reachable and unreachable once.
pub(crate) struct Teller {
    tx: mpsc::Sender<News>,
    down: bool,
}

impl Teller {
    pub(crate) fn changed(&mut self, session: SessionId, event_id: i64) -> Result<(), Gone> {
        self.up()?;
        self.send(News::Changed { session, event_id })
    }

    pub(crate) fn claims(&mut self, session: SessionId, version: i64) -> Result<(), Gone> {
        self.up()?;
        self.send(News::Claims { session, version })
    }

    /// The store answers (said only after it did not).
    pub(crate) fn up(&mut self) -> Result<(), Gone> {
        if !self.down {
            return Ok(());
        }
        self.down = false;
        self.send(News::Reachable)
    }

    /// The store does not answer, for `why` (said once until it answers again).
    pub(crate) fn down(&mut self, why: &str) -> Result<(), Gone> {
        if self.down {
            return Ok(());
        }
        tracing::warn!(why, "the reconciliation store is unreachable");
        self.down = true;
        let why: String = why.chars().take(REASON_MAX).collect();
        self.send(News::Unreachable(why))
    }

    pub(crate) fn gone(&self) -> bool {
        self.tx.is_closed()
    }

    fn send(&self, news: News) -> Result<(), Gone> {
        self.tx.blocking_send(news).map_err(|_| Gone)
    }

    /// Waits `wait`, or less if nobody listens any more.
    pub(crate) fn pause(&self, wait: Duration) -> Result<(), Gone> {
        let until = Instant::now() + wait;
        loop {
            if self.gone() {
                return Err(Gone);
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            std::thread::sleep(left.min(GONE_CHECK));
        }
    }
}

/// Waits between tries at a store that went away: doubling, bounded.
pub(crate) struct Backoff {
    next: Duration,
}

impl Backoff {
    pub(crate) fn new() -> Backoff {
        Backoff {
            next: BACKOFF_FIRST,
        }
    }

    pub(crate) fn reset(&mut self) {
        self.next = BACKOFF_FIRST;
    }

    /// The next wait, and the one after it doubled.
    pub(crate) fn step(&mut self) -> Duration {
        let wait = self.next;
        self.next = (self.next * 2).min(BACKOFF_MAX);
        wait
    }

    pub(crate) fn wait(&mut self, teller: &Teller) -> Result<(), Gone> {
        teller.pause(self.step())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reachability_is_told_once_per_change_and_a_long_reason_is_cut() {
        let (tx, mut rx) = mpsc::channel(NEWS_QUEUE);
        let mut teller = Teller { tx, down: false };
        teller.up().unwrap();
        teller.down(&"x".repeat(5000)).unwrap();
        teller.down("again").unwrap();
        teller.changed(SessionId(1), 9).unwrap();
        teller.up().unwrap();
        let mut told = Vec::new();
        while let Ok(news) = rx.try_recv() {
            told.push(news);
        }
        assert_eq!(
            told,
            vec![
                News::Unreachable("x".repeat(REASON_MAX)),
                News::Reachable,
                News::Changed {
                    session: SessionId(1),
                    event_id: 9
                },
            ]
        );
        drop(rx);
        assert!(teller.gone());
        assert!(teller.pause(Duration::from_secs(60)).is_err());
    }

    #[test]
    fn the_backoff_doubles_up_to_its_bound() {
        let mut backoff = Backoff::new();
        let waits: Vec<Duration> = (0..8).map(|_| backoff.step()).collect();
        assert_eq!(waits[0], BACKOFF_FIRST);
        assert_eq!(waits[1], BACKOFF_FIRST * 2);
        assert_eq!(*waits.last().unwrap(), BACKOFF_MAX);
        backoff.reset();
        assert_eq!(backoff.step(), BACKOFF_FIRST);
    }
}
