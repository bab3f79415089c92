//! `paydeck sync`: a profile's charges into its local store without the dashboard,
//! progress on stderr at most once a second, a summary on stdout at the end. A sync
//! stopped by a signal or a kill goes on from where it was the next time.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use tokio::sync::watch;

use super::connect::connect;
use crate::config::Config;
use crate::store::{Store, StoreHandle};
use crate::sync::{SyncOptions, SyncProgress, SyncReport, count, follow, grouped};

#[derive(clap::Args, Debug, Clone)]
pub struct SyncArgs {
    /// The profile to sync (default: the config's default_profile, else its first).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Backfill no further back than this: a day (YYYY-MM-DD, from its start in UTC)
    /// or an RFC 3339 time.
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<DateTime<Utc>>,
}

/// How often progress is printed, at most.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);

pub fn parse_since(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("{text:?} is not a date: write YYYY-MM-DD or an RFC 3339 time"))
}

/// Why `paydeck sync` stopped short.
#[derive(Debug, thiserror::Error)]
pub enum SyncCommandError {
    #[error("{0}")]
    Setup(String),
    #[error(
        "sync of profile {profile:?} failed: {message} (what was synced is kept; run again to go on)"
    )]
    Failed { profile: String, message: String },
    #[error(
        "sync of profile {profile:?} stopped by a signal (what was synced is kept; run again to go on)"
    )]
    Stopped { profile: String },
}

/// Syncs the profile `args` (or `default_profile`) names into its store in `data_dir`.
pub async fn run(
    config: &Config,
    default_profile: Option<&str>,
    args: &SyncArgs,
    data_dir: &std::path::Path,
) -> Result<(), SyncCommandError> {
    let setup = SyncCommandError::Setup;
    let profile = config
        .profile(args.profile.as_deref().or(default_profile))
        .map_err(|e| setup(e.to_string()))?;
    let gateway = connect(profile, &mut |waited| {
        let secs = waited.as_secs();
        if secs == 1 || secs.is_multiple_of(10) {
            eprintln!("paydeck sync: waiting for key_command ({secs} s)…");
        }
    })
    .map_err(setup)?;
    let path = Store::path_for(data_dir, &profile.name);
    let store = Store::open(&path).map_err(|e| setup(e.to_string()))?;
    let writer = StoreHandle::spawn(store, "store-writer").map_err(|e| setup(e.to_string()))?;
    let (progress, watched) = watch::channel(SyncProgress::default());
    let printer = tokio::spawn(follow(watched, PROGRESS_EVERY, |progress| {
        eprintln!("paydeck sync: {progress}");
    }));
    let opts = SyncOptions {
        since: args.since,
        ..SyncOptions::default()
    };
    let name = gateway.name();
    let sync = crate::sync::run(gateway, writer.clone(), opts, progress);
    let result = tokio::select! {
        result = sync => Some(result),
        () = stop_signal() => None,
    };
    // The progress sender went with the sync: the printer ends after its last line.
    let _ = printer.await;
    let report = match result {
        Some(Ok(report)) => report,
        Some(Err(e)) => {
            return Err(SyncCommandError::Failed {
                profile: profile.name.clone(),
                message: e.to_string(),
            });
        }
        None => {
            return Err(SyncCommandError::Stopped {
                profile: profile.name.clone(),
            });
        }
    };
    let held = writer
        .call(|store| store.charge_count())
        .await
        .map_err(|e| setup(e.to_string()))?;
    println!(
        "{}",
        summary(
            &profile.name,
            name,
            &report,
            held,
            &path.display().to_string()
        )
    );
    Ok(())
}

async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut terminate) => tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        },
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// The last line: what this run read and wrote, and whether the backfill is complete.
pub fn summary(profile: &str, gateway: &str, r: &SyncReport, held: u64, store: &str) -> String {
    let secs = r.elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        format!(" ({}/s)", grouped((r.fetched as f64 / secs).round() as u64))
    } else {
        String::new()
    };
    let backfill = if r.backfill_done {
        "backfill complete"
    } else {
        "backfill not complete: run again to go on"
    };
    let mut line = format!(
        "synced profile {profile:?} ({gateway}): read {} charges in {secs:.1} s{rate}: \
         {} new, {} updated, {} changed after creation, {} in the backfill; {backfill}; \
         the store holds {} charges ({store})",
        grouped(r.fetched),
        grouped(r.inserted),
        grouped(r.updated),
        grouped(r.changed),
        grouped(r.backfilled),
        count(held),
    );
    let others: Vec<String> = [
        (r.payouts, "payouts"),
        (r.refunds, "refunds"),
        (r.customers, "customers"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{} {what}", grouped(*n)))
    .collect();
    if !others.is_empty() {
        line.push_str(&format!("; also read {}", others.join(", ")));
    }
    if r.unreadable > 0 {
        line.push_str(&format!(
            "; {} records paydeck could not read were left out (see the log)",
            grouped(r.unreadable)
        ));
    }
    if r.rate_limited > 0 {
        line.push_str(&format!(
            "; slowed down {} times for the gateway's rate limit",
            r.rate_limited
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_a_day_or_a_time_and_says_what_it_wants() {
        assert_eq!(
            parse_since("2026-11-01").unwrap().to_rfc3339(),
            "2026-11-01T00:00:00+00:00"
        );
        assert_eq!(
            parse_since("2026-11-01T10:00:00+10:00")
                .unwrap()
                .to_rfc3339(),
            "2026-11-01T00:00:00+00:00"
        );
        let wrong = parse_since("1/11/2026").unwrap_err();
        assert!(wrong.contains("YYYY-MM-DD"), "{wrong}");
    }

    #[test]
    fn the_summary_says_what_was_read_and_whether_to_run_again() {
        let report = SyncReport {
            fetched: 12_345,
            inserted: 12_000,
            updated: 345,
            payouts: 90,
            customers: 1_200,
            elapsed: Duration::from_secs(5),
            ..SyncReport::default()
        };
        let line = summary("live", "Stripe", &report, 1_500_000, "/d/store/live.sqlite");
        assert_eq!(
            line,
            "synced profile \"live\" (Stripe): read 12,345 charges in 5.0 s (2,469/s): \
             12,000 new, 345 updated, 0 changed after creation, 0 in the backfill; \
             backfill not complete: run again to go on; \
             the store holds 1.5M charges (/d/store/live.sqlite); \
             also read 90 payouts, 1,200 customers"
        );
    }
}
