//! The runner's work on the local store: the charges window's pages and totals on the
//! reader thread, what polls and searches find on the writer. A query asked for a new
//! filter supersedes older ones: those not started are skipped, and the one running
//! is interrupted, so typing a filter never queues scans behind each other.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};

use super::msg::Msg;
use super::request::Generation;
use super::runner::Runner;
use super::screens::stats::StatsAsk;
use super::store_window::StoreAsk;
use crate::domain::{Charge, ChargeFilter};
use crate::store::query::PageFrom;
use crate::store::{StoreError, StorePair};
use crate::sync::{SyncOptions, SyncProgress};
use tokio::sync::watch;

/// The dashboard hears the sync's progress at most this often.
const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// A profile's store as the runner holds it.
#[derive(Clone, Debug)]
pub struct StoreLink {
    pub(super) pair: StorePair,
    /// The generation of the newest query asked for a new filter: older queries are
    /// stale.
    newest_query: Arc<AtomicU64>,
    /// The generation of the query the reader runs now (0: none).
    running: Arc<AtomicU64>,
}

impl StoreLink {
    pub fn new(pair: StorePair) -> StoreLink {
        StoreLink {
            pair,
            newest_query: Arc::new(AtomicU64::new(0)),
            running: Arc::new(AtomicU64::new(0)),
        }
    }

    /// A query for a new filter asked under `generation`: the reader stops an older
    /// one it is running, and skips those still queued.
    fn supersede(&self, generation: Generation) {
        let number = generation.number();
        self.newest_query.fetch_max(number, Ordering::SeqCst);
        let running = self.running.load(Ordering::SeqCst);
        if running != 0 && running < number {
            self.pair.reader.interrupt();
        }
    }

    /// Runs `query` on the reader unless a newer filter has superseded `generation`
    /// (`None`: skipped or interrupted, nobody wants the answer).
    async fn read<T, F>(&self, generation: Generation, query: F) -> Option<Result<T, String>>
    where
        T: Send + 'static,
        F: FnOnce(&mut crate::store::Store) -> crate::store::Result<T> + Send + 'static,
    {
        let number = generation.number();
        let (newest, running) = (self.newest_query.clone(), self.running.clone());
        let stale = move || number < newest.load(Ordering::SeqCst);
        let answer = self
            .pair
            .reader
            .call(move |store| {
                if stale() {
                    return Ok(None);
                }
                running.store(number, Ordering::SeqCst);
                let result = query(store);
                running.store(0, Ordering::SeqCst);
                match result {
                    Err(_) if stale() => Ok(None),
                    other => other.map(Some),
                }
            })
            .await;
        match answer {
            Ok(Some(value)) => Some(Ok(value)),
            Ok(None) => None,
            Err(e) => Some(Err(e.to_string())),
        }
    }
}

impl Runner {
    /// A page of the charges window; `None` when a newer filter made it stale.
    pub(super) async fn store_page(&self, ask: StoreAsk) -> Option<Msg> {
        let store = self.store.as_ref()?;
        if ask.supersedes {
            store.supersede(ask.generation);
        }
        let (filter, order, from, limit) = (ask.filter.clone(), ask.order, ask.from, ask.limit);
        let result = store
            .read(ask.generation, move |s| {
                s.charge_page_ordered(&filter, order, from, limit)
            })
            .await?;
        Some(Msg::StorePaged { ask, result })
    }

    /// The filter's totals; `None` when a newer filter made them stale. A needle too
    /// short for the trigram index is first summed over the newest charges its page
    /// searched, sent at once as a partial figure, and then over every charge, which
    /// at millions of charges takes seconds (and is interrupted by a new filter).
    pub(super) async fn store_totals(
        &self,
        filter: ChargeFilter,
        generation: Generation,
    ) -> Option<Msg> {
        let store = self.store.as_ref()?;
        let searched = filter.clone();
        let first = store
            .read(generation, move |s| s.charge_totals_searched(&searched))
            .await?;
        match first {
            Ok(partial) if partial.short_text.is_some_and(|scan| !scan.complete) => {
                let _ = self.tx.send(Msg::StorePartlyTotalled {
                    generation,
                    partial,
                });
            }
            // Every charge was summed: nothing more to wait for.
            Ok(whole) => {
                return Some(Msg::StoreTotalled {
                    generation,
                    result: Ok(whole.totals),
                });
            }
            // The whole sum below says what is wrong, if it is wrong there too.
            Err(_) => {}
        }
        let result = store
            .read(generation, move |s| s.charge_totals(&filter))
            .await?;
        Some(Msg::StoreTotalled { generation, result })
    }

    /// The figures of `:stats`; `None` without a store. They are read under their own
    /// generation: a newer filter of the charges list does not interrupt them.
    pub(super) async fn store_stats(&self, ask: StatsAsk) -> Option<Msg> {
        let store = self.store.as_ref()?;
        let (filter, period, now) = (ask.filter, ask.period, ask.now);
        let result = store
            .pair
            .reader
            .call(move |s| s.charge_stats(&filter, &period, now))
            .await
            .map(Box::new)
            .map_err(|e| e.to_string());
        Some(Msg::StatsRead {
            generation: ask.generation,
            result,
        })
    }

    /// The newest charge in the store, where a poll starts (`None`: the store is empty,
    /// or unreadable, and the poll reads the gateway's first page).
    pub(super) async fn store_newest(&self) -> Option<(String, DateTime<Utc>)> {
        let store = self.store.as_ref()?;
        let page = store
            .pair
            .reader
            .call(|s| s.charge_page(&ChargeFilter::default(), PageFrom::Newest, 1))
            .await
            .ok()?;
        page.rows
            .into_iter()
            .next()
            .map(|(_, c)| (c.id.clone(), c.created))
    }

    /// Syncs the gateway into the store, telling the dashboard how far it has got (at
    /// most a few times a second) and how it ended.
    pub(super) async fn sync(&self) {
        let Some(store) = &self.store else { return };
        let (told, progress) = watch::channel(SyncProgress::default());
        let run = crate::sync::run(
            self.gateway.clone(),
            store.pair.writer.clone(),
            SyncOptions::default(),
            told,
        );
        // Told from a task of its own: the sync goes on while a message waits its turn.
        let tx = self.tx.clone();
        let teller = tokio::spawn(crate::sync::follow(progress, PROGRESS_EVERY, move |p| {
            let _ = tx.send(Msg::SyncProgress(p.to_string()));
        }));
        let ended = run.await;
        // Its last word comes before the end is said, so the status line ends clear.
        let _ = teller.await;
        let ended = ended
            .map(|report| report.backfill_done)
            .map_err(|e| e.to_string());
        let _ = self.tx.send(Msg::Synced(ended));
    }

    /// Writes what the gateway said about `charges` into the store, before the answer
    /// reaches the dashboard (so the window it then reads holds them). `as_of`: when
    /// the request began, or when a write's answer came (see `Store::upsert_charges`).
    pub(super) async fn store_charges(&self, charges: Vec<Charge>, as_of: DateTime<Utc>) {
        let Some(store) = &self.store else { return };
        if charges.is_empty() {
            return;
        }
        let written: Result<_, StoreError> = store
            .pair
            .writer
            .call(move |s| s.upsert_charges(&charges, as_of))
            .await;
        if let Err(e) = written {
            tracing::warn!(error = %e, "could not write charges to the local store");
            let _ = self.tx.send(Msg::StoreWriteFailed(e.to_string()));
        }
    }
}
