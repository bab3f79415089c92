//! Moving a gateway's charges into the local store: new charges first (newest pages
//! down to the first page already held), then charges changed after creation (by the
//! gateway's change feed), then payouts with their lines, then a backfill of older
//! pages that resumes after a kill from `sync_state`, then refunds and customers.
//! Every page is written with its cursor in one transaction.
//!
//! The dashboard runs it on a task and shows `progress`; `paydeck sync` runs it
//! headless.

mod backfill;
mod changes;
mod cursor_text;
mod objects;
mod progress;
mod recent;
mod session;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::domain::{Customer, Payout, Refund};
use crate::gateway::{Gateway, GatewayError};
use crate::store::{StoreError, StoreHandle};

pub use progress::{Stage, SyncProgress, Total, count, follow, grouped};

use session::Session;

/// What to sync and how hard to push the gateway.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// The backfill stops at charges created before this (`--since`).
    pub since: Option<DateTime<Utc>>,
    /// Charges asked for a page (adapters keep it within the gateway's bounds).
    pub page_size: u32,
    /// Pages read side by side where a list's pages can be worked out ahead (numbered
    /// or offset pages); a rate limit halves it, down to one.
    pub concurrency: usize,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            since: None,
            page_size: 100,
            concurrency: 4,
        }
    }
}

/// What a finished sync did in this run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncReport {
    /// Charges read from the gateway.
    pub fetched: u64,
    pub inserted: u64,
    pub updated: u64,
    /// Charges the change feed (or window re-read) brought.
    pub changed: u64,
    /// Charges the backfill read in this run: after a kill, only what it had left.
    pub backfilled: u64,
    /// Records the gateway sent that paydeck could not read, left out.
    pub unreadable: u64,
    /// Payouts, refunds and customers read (where the gateway lists them).
    pub payouts: u64,
    pub refunds: u64,
    pub customers: u64,
    /// Every older page is held (or the backfill reached `since`).
    pub backfill_done: bool,
    /// Times the gateway said to slow down.
    pub rate_limited: u64,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{stage}: {source}")]
    Gateway {
        stage: &'static str,
        source: GatewayError,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Runs one sync of `gateway`'s charges into the store behind `writer`, telling
/// `progress` as it goes. Stopping it (dropping the future, or killing the process)
/// loses at most the page in flight.
pub async fn run(
    gateway: Arc<dyn Gateway>,
    writer: StoreHandle,
    opts: SyncOptions,
    progress: watch::Sender<SyncProgress>,
) -> Result<SyncReport, SyncError> {
    let mut session = Session::new(gateway, writer, opts, progress);
    recent::run(&mut session).await?;
    changes::run(&mut session).await?;
    // Payouts before the charges' backfill, which can take hours: reconciliation
    // needs them first.
    session.report.payouts = objects::run::<Payout>(&mut session).await?;
    let backfill_done = backfill::run(&mut session).await?;
    session.report.refunds = objects::run::<Refund>(&mut session).await?;
    session.report.customers = objects::run::<Customer>(&mut session).await?;
    Ok(session.finish(backfill_done))
}
