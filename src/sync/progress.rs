//! How far a sync has come, as the dashboard's status line and `paydeck sync` say it:
//! `backfill 1.2M of ~3M · 4,100/s · eta 7 min`.

use std::fmt;
use std::time::Duration;

use tokio::sync::watch;

/// What the sync is doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stage {
    /// Not begun.
    #[default]
    Starting,
    /// New charges, newest first, down to those already held.
    Recent,
    /// Charges changed after creation (events, `updated_at`, a window re-read).
    Changes,
    /// Older pages, down to the oldest (or `--since`).
    Backfill,
    /// Payouts and their balance lines, refunds and customers, where listed.
    Payouts,
    Refunds,
    Customers,
    Done,
}

impl Stage {
    pub fn word(self) -> &'static str {
        match self {
            Stage::Starting => "starting",
            Stage::Recent => "new",
            Stage::Changes => "changes",
            Stage::Backfill => "backfill",
            Stage::Payouts => "payouts",
            Stage::Refunds => "refunds",
            Stage::Customers => "customers",
            Stage::Done => "synced",
        }
    }
}

/// How many there are to fetch in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    /// The gateway said.
    Exact(u64),
    /// Worked out from the dates covered so far.
    About(u64),
}

impl Total {
    pub fn count(self) -> u64 {
        match self {
            Total::Exact(n) | Total::About(n) => n,
        }
    }
}

/// A snapshot of a sync's progress.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncProgress {
    pub stage: Stage,
    /// Charges read in this stage (the backfill's over every run, since it resumes).
    pub fetched: u64,
    pub total: Option<Total>,
    /// Charges a second over this run.
    pub per_second: Option<f64>,
    pub eta: Option<Duration>,
}

impl fmt::Display for SyncProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.stage.word(), count(self.fetched))?;
        match self.total {
            Some(Total::Exact(n)) => write!(f, " of {}", count(n))?,
            Some(Total::About(n)) => write!(f, " of ~{}", count(n))?,
            None => {}
        }
        if let Some(rate) = self.per_second.filter(|r| r.is_finite() && *r >= 0.5) {
            write!(f, " · {}/s", grouped(rate.round() as u64))?;
        }
        if let Some(eta) = self.eta {
            write!(f, " · eta {}", duration(eta))?;
        }
        Ok(())
    }
}

/// Hands `tell` the sync's progress as it changes, at most once per `every`, until the
/// sync ends (its sender is dropped). Run beside the sync, never in its task: a wait
/// here must not hold the sync up.
pub async fn follow(
    mut watched: watch::Receiver<SyncProgress>,
    every: Duration,
    mut tell: impl FnMut(&SyncProgress),
) {
    while watched.changed().await.is_ok() {
        let now = watched.borrow_and_update().clone();
        tell(&now);
        tokio::time::sleep(every).await;
    }
}

/// A count for a status line: grouped by thousands below a million, then in
/// millions with one decimal (`1.2M`, `3M`).
pub fn count(n: u64) -> String {
    if n < 1_000_000 {
        return grouped(n);
    }
    let tenths = (n + 50_000) / 100_000;
    match tenths % 10 {
        0 => format!("{}M", tenths / 10),
        d => format!("{}.{d}M", tenths / 10),
    }
}

/// `4100` as `4,100`.
pub use crate::ui::format::count as grouped;

/// A wait as a person reads it: `40 s`, `7 min`, `2 h 5 min`.
fn duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs < 60 {
        format!("{secs} s")
    } else if secs < 3600 {
        format!("{} min", secs.div_ceil(60))
    } else {
        format!("{} h {} min", secs / 3600, (secs % 3600) / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_the_issue_says() {
        let progress = SyncProgress {
            stage: Stage::Backfill,
            fetched: 1_200_000,
            total: Some(Total::About(3_000_000)),
            per_second: Some(4_100.4),
            eta: Some(Duration::from_secs(7 * 60 - 20)),
        };
        assert_eq!(
            progress.to_string(),
            "backfill 1.2M of ~3M · 4,100/s · eta 7 min"
        );
        let exact = SyncProgress {
            total: Some(Total::Exact(45_000)),
            fetched: 999,
            per_second: None,
            eta: None,
            ..progress
        };
        assert_eq!(exact.to_string(), "backfill 999 of 45,000");
    }

    #[test]
    fn counts_group_thousands_and_round_millions() {
        assert_eq!(count(0), "0");
        assert_eq!(count(12_345), "12,345");
        assert_eq!(count(999_999), "999,999");
        assert_eq!(count(1_000_000), "1M");
        assert_eq!(count(1_249_999), "1.2M");
        assert_eq!(count(10_960_000), "11M");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(duration(Duration::from_secs(42)), "42 s");
        assert_eq!(duration(Duration::from_secs(7_500)), "2 h 5 min");
    }
}
