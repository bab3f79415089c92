//! When to ask the gateway for news, and what to say about how fresh the data is.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

/// Gateways are not asked more often than this, whatever the config says.
pub const MIN_INTERVAL: Duration = Duration::from_secs(2);
/// Backing off never waits longer than this between polls.
pub const MAX_BACKOFF: Duration = Duration::from_secs(120);
/// Held charges that may still change are re-read a few per poll, in turn.
pub const REFRESH_PER_POLL: usize = 8;

#[derive(Debug, Clone)]
pub struct Poll {
    pub interval: Duration,
    pub next_due: DateTime<Utc>,
    pub in_flight: bool,
    /// When the poll in flight started, for how long it has been waiting.
    pub started_at: DateTime<Utc>,
    /// Polls that failed in a row; each doubles the wait.
    pub failures: u32,
    pub last_ok: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// Where the next round of refreshes starts among the charges that may change.
    pub refresh_cursor: usize,
    /// The next poll reads the list afresh from the gateway's first page and replaces
    /// what is held: after an outage (held rows may no longer be what the gateway has),
    /// or when the operator presses refresh.
    pub resync: bool,
}

/// What the header says about the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    Loading,
    Fresh {
        at: DateTime<Utc>,
    },
    Stale {
        since: Option<DateTime<Utc>>,
        why: String,
    },
}

impl Poll {
    pub fn new(interval: Duration, now: DateTime<Utc>) -> Poll {
        Poll {
            interval: interval.max(MIN_INTERVAL),
            next_due: now,
            in_flight: false,
            started_at: now,
            failures: 0,
            last_ok: None,
            last_error: None,
            refresh_cursor: 0,
            resync: false,
        }
    }

    /// Whether a poll should start now: due, and none already running.
    pub fn should_start(&self, now: DateTime<Utc>) -> bool {
        !self.in_flight && now >= self.next_due
    }

    pub fn started(&mut self, now: DateTime<Utc>) {
        self.in_flight = true;
        self.started_at = now;
    }

    pub fn succeeded(&mut self, now: DateTime<Utc>) {
        self.in_flight = false;
        self.failures = 0;
        self.last_ok = Some(now);
        self.last_error = None;
        self.next_due = now + delta(self.interval);
    }

    /// The poll failed; the next waits out the backoff, or as long as the gateway
    /// asked (`asked`, its `Retry-After`) up to the longest backoff.
    pub fn failed(&mut self, now: DateTime<Utc>, why: String, asked: Option<Duration>) {
        self.in_flight = false;
        self.failures = self.failures.saturating_add(1);
        self.last_error = Some(why);
        let wait = self
            .backoff()
            .max(asked.unwrap_or_default().min(MAX_BACKOFF));
        self.next_due = now + delta(wait);
    }

    /// How long the poll in flight has been waiting for the gateway.
    pub fn waiting(&self, now: DateTime<Utc>) -> Option<TimeDelta> {
        self.in_flight.then(|| now - self.started_at)
    }

    /// After a failure, how long until the next try; `None` while one runs or all is
    /// well.
    pub fn retry_in(&self, now: DateTime<Utc>) -> Option<TimeDelta> {
        (self.last_error.is_some() && !self.in_flight).then(|| self.next_due - now)
    }

    /// The interval, doubled for each failure in a row, up to two minutes.
    pub fn backoff(&self) -> Duration {
        let factor = 1u32 << self.failures.min(6);
        self.interval
            .saturating_mul(factor)
            .min(MAX_BACKOFF)
            .max(self.interval)
    }

    /// Ask now (the operator pressed refresh), unless a poll is already running.
    pub fn due_now(&mut self, now: DateTime<Utc>) {
        self.next_due = now;
    }

    pub fn freshness(&self, now: DateTime<Utc>) -> Freshness {
        match (&self.last_error, self.last_ok) {
            (Some(why), since) => Freshness::Stale {
                since,
                why: why.clone(),
            },
            (None, None) => Freshness::Loading,
            (None, Some(at)) if now - at > delta(self.interval * 3) => Freshness::Stale {
                since: Some(at),
                why: "no answer from the gateway yet".into(),
            },
            (None, Some(at)) => Freshness::Fresh { at },
        }
    }

    /// When the header's freshness would next change by itself.
    pub fn stale_at(&self) -> Option<DateTime<Utc>> {
        match (&self.last_error, self.last_ok) {
            (None, Some(at)) => Some(at + delta(self.interval * 3)),
            _ => None,
        }
    }
}

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + s, 0).unwrap()
    }

    #[test]
    fn never_more_often_than_the_minimum() {
        assert_eq!(
            Poll::new(Duration::from_millis(500), t(0)).interval,
            MIN_INTERVAL
        );
    }

    #[test]
    fn one_poll_at_a_time_on_the_interval() {
        let mut p = Poll::new(Duration::from_secs(5), t(0));
        assert!(p.should_start(t(0)));
        p.started(t(0));
        assert!(!p.should_start(t(10)), "one in flight");
        p.succeeded(t(1));
        assert!(!p.should_start(t(5)));
        assert!(p.should_start(t(6)));
        assert_eq!(p.freshness(t(2)), Freshness::Fresh { at: t(1) });
    }

    #[test]
    fn backs_off_while_failing_and_says_why() {
        let mut p = Poll::new(Duration::from_secs(5), t(0));
        p.started(t(0));
        p.failed(t(0), "HTTP 503".into(), None);
        assert_eq!(p.next_due, t(10));
        p.started(t(0));
        p.failed(t(10), "HTTP 503".into(), None);
        assert_eq!(p.next_due, t(30));
        for _ in 0..10 {
            p.failed(t(10), "down".into(), None);
        }
        assert_eq!(p.backoff(), MAX_BACKOFF);
        assert!(matches!(p.freshness(t(11)), Freshness::Stale { why, .. } if why == "down"));
        p.succeeded(t(12));
        assert_eq!(p.backoff(), Duration::from_secs(5));
    }

    #[test]
    fn a_gateway_asking_for_a_long_wait_gets_the_longest_backoff_and_no_longer() {
        let mut p = Poll::new(Duration::from_secs(5), t(0));
        p.started(t(0));
        assert_eq!(p.waiting(t(12)), Some(TimeDelta::seconds(12)));
        p.failed(
            t(12),
            "rate limited".into(),
            Some(Duration::from_secs(999_999_999)),
        );
        assert_eq!(p.next_due, t(12) + delta(MAX_BACKOFF));
        assert_eq!(
            p.retry_in(t(20)),
            Some(delta(MAX_BACKOFF) - TimeDelta::seconds(8))
        );
        assert_eq!(p.waiting(t(20)), None);
        // A short ask is honoured over a shorter backoff.
        p.failed(t(0), "rate limited".into(), Some(Duration::from_secs(45)));
        assert_eq!(p.next_due, t(45));
    }

    #[test]
    fn quiet_data_goes_stale() {
        let mut p = Poll::new(Duration::from_secs(5), t(0));
        p.succeeded(t(0));
        assert_eq!(p.stale_at(), Some(t(15)));
        assert!(matches!(p.freshness(t(16)), Freshness::Stale { .. }));
    }
}
