//! One sync run's shared parts: reading pages (side by side where it can, slower when
//! the gateway says so), committing each with its cursor, and telling progress.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use tokio::sync::watch;

use super::progress::{Stage, SyncProgress, Total};
use super::{SyncError, SyncOptions, SyncReport};
use crate::domain::{BalanceLine, Charge, ChargeFilter, Page, PageRequest};
use crate::gateway::{Gateway, GatewayError};
use crate::store::{CHARGES, Store, StoreHandle, Stored, SyncPhase, SyncState, UpsertCount};

/// Rate limits in a row before the sync gives up; each waits longer.
const MAX_SLOWDOWNS: u32 = 8;
/// The first wait after a rate limit that names none; it doubles each time.
const FIRST_SLOWDOWN: Duration = Duration::from_millis(500);
/// The longest single wait.
const LONGEST_SLOWDOWN: Duration = Duration::from_secs(30);

pub struct Session {
    pub gateway: Arc<dyn Gateway>,
    writer: StoreHandle,
    pub opts: SyncOptions,
    progress: watch::Sender<SyncProgress>,
    started: Instant,
    /// Pages read side by side now (`opts.concurrency`, halved by each rate limit).
    pub concurrency: usize,
    pub report: SyncReport,
    /// When the last read from the gateway began: what the next commit's charges are
    /// as of (a charge the dashboard wrote since, from a newer answer, is kept).
    asked: DateTime<Utc>,
}

impl Session {
    pub fn new(
        gateway: Arc<dyn Gateway>,
        writer: StoreHandle,
        opts: SyncOptions,
        progress: watch::Sender<SyncProgress>,
    ) -> Session {
        let concurrency = opts.concurrency.max(1);
        Session {
            gateway,
            writer,
            opts,
            progress,
            started: Instant::now(),
            concurrency,
            report: SyncReport::default(),
            asked: Utc::now(),
        }
    }

    pub async fn state(&self, phase: SyncPhase) -> Result<Option<SyncState>, SyncError> {
        Ok(self
            .writer
            .call(move |store| store.sync_state(CHARGES, phase))
            .await?)
    }

    /// Where another resource's `phase` stands (`refund`, `payout`...).
    pub async fn state_of(
        &self,
        resource: &'static str,
        phase: SyncPhase,
    ) -> Result<Option<SyncState>, SyncError> {
        Ok(self
            .writer
            .call(move |store| store.sync_state(resource, phase))
            .await?)
    }

    /// Asks the store something on the writer's connection (what it holds now).
    pub async fn read_store<T: Send + 'static>(
        &self,
        ask: impl FnOnce(&Store) -> crate::store::Result<T> + Send + 'static,
    ) -> Result<T, SyncError> {
        Ok(self.writer.call(move |store| ask(store)).await?)
    }

    /// Writes a page of refunds, customers or payouts and `state` in one transaction.
    pub async fn commit_objects<T: Stored + Send + 'static>(
        &mut self,
        objects: Vec<T>,
        state: &SyncState,
    ) -> Result<UpsertCount, SyncError> {
        let state = state.clone();
        Ok(self
            .writer
            .call(move |store| store.commit_sync_objects(&objects, &state, Utc::now()))
            .await?)
    }

    /// Puts a payout's lines in the store, replacing those held.
    pub async fn put_lines(
        &self,
        payout: String,
        lines: Vec<BalanceLine>,
    ) -> Result<(), SyncError> {
        Ok(self
            .writer
            .call(move |store| store.put_balance_lines(&payout, &lines, Utc::now()))
            .await?)
    }

    pub async fn put_state(&self, state: SyncState) -> Result<(), SyncError> {
        Ok(self
            .writer
            .call(move |store| store.put_sync_state(&state))
            .await?)
    }

    /// How many of `charges` the store holds as they are.
    pub async fn held_unchanged(&self, charges: &[Charge]) -> Result<usize, SyncError> {
        let charges = charges.to_vec();
        Ok(self
            .writer
            .call(move |store| store.held_unchanged(&charges))
            .await?)
    }

    /// Writes a page's charges and `state` (its cursor) in one transaction.
    pub async fn commit(
        &mut self,
        charges: Vec<Charge>,
        state: &SyncState,
    ) -> Result<UpsertCount, SyncError> {
        let (state, as_of) = (state.clone(), self.asked);
        let count = self
            .writer
            .call(move |store| store.commit_sync_page(&charges, &state, as_of))
            .await?;
        self.report.inserted += count.inserted as u64;
        self.report.updated += count.updated as u64;
        Ok(count)
    }

    /// The pages at `requests`, read side by side and returned in order.
    pub async fn charge_pages(
        &mut self,
        stage: &'static str,
        requests: &[PageRequest],
        filter: &ChargeFilter,
    ) -> Result<Vec<Page<Charge>>, SyncError> {
        let gateway = self.gateway.clone();
        let pages = self
            .slowed(stage, || {
                let gateway = gateway.clone();
                let requests = requests.to_vec();
                let filter = filter.clone();
                async move {
                    let width = requests.len().max(1);
                    futures_util::stream::iter(requests.into_iter().map(|request| {
                        let gateway = gateway.clone();
                        let filter = filter.clone();
                        async move { gateway.list_charges(&request, &filter).await }
                    }))
                    .buffered(width)
                    .collect::<Vec<_>>()
                    .await
                    .into_iter()
                    .collect::<Result<Vec<_>, GatewayError>>()
                }
            })
            .await?;
        for page in &pages {
            self.count_read(page.items.len(), page.skipped.len());
        }
        Ok(pages)
    }

    pub fn count_read(&mut self, read: usize, unreadable: usize) {
        self.report.fetched += read as u64;
        self.report.unreadable += unreadable as u64;
    }

    /// `call` until it answers, waiting out the gateway's rate limits (as long as it
    /// asks, else longer each time) and reading fewer pages side by side after each.
    pub async fn slowed<T, F, Fut>(
        &mut self,
        stage: &'static str,
        mut call: F,
    ) -> Result<T, SyncError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, GatewayError>>,
    {
        let mut slowdowns = 0;
        loop {
            self.asked = Utc::now();
            match call().await {
                Ok(answer) => return Ok(answer),
                Err(GatewayError::RateLimited { retry_after }) if slowdowns < MAX_SLOWDOWNS => {
                    self.report.rate_limited += 1;
                    self.concurrency = (self.concurrency / 2).max(1);
                    let wait = retry_after
                        .unwrap_or_else(|| FIRST_SLOWDOWN.saturating_mul(1 << slowdowns))
                        .min(LONGEST_SLOWDOWN);
                    tracing::info!(?wait, stage, "rate limited: slowing the sync down");
                    tokio::time::sleep(wait).await;
                    slowdowns += 1;
                }
                Err(source) => return Err(SyncError::Gateway { stage, source }),
            }
        }
    }

    /// Tells the watcher where `stage` stands: `fetched` of `total`, at this run's rate.
    pub fn tell(&self, stage: Stage, fetched: u64, total: Option<Total>) {
        let elapsed = self.started.elapsed().as_secs_f64();
        let per_second = (elapsed > 0.0).then(|| self.report.fetched as f64 / elapsed);
        let eta = match (total, per_second) {
            (Some(total), Some(rate)) if rate > 0.0 && stage == Stage::Backfill => Some(
                Duration::from_secs_f64(total.count().saturating_sub(fetched) as f64 / rate),
            ),
            _ => None,
        };
        self.progress.send_replace(SyncProgress {
            stage,
            fetched,
            total,
            per_second,
            eta,
        });
    }

    pub fn finish(mut self, backfill_done: bool) -> SyncReport {
        self.report.backfill_done = backfill_done;
        self.report.elapsed = self.started.elapsed();
        let fetched = self.report.fetched;
        self.tell(Stage::Done, fetched, None);
        self.report
    }
}
