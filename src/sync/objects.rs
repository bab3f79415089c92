//! Payouts (each with its balance lines), refunds and customers: what reconciliation
//! reads besides charges, where the gateway lists them. Each list is read once to its
//! end, newest first, every page committed with its cursor so that a kill resumes it;
//! later runs read only its newest pages, down to what was created a while before the
//! last run began (a payout is paid, a refund settles, within days of creation).

use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

use super::SyncError;
use super::cursor_text::{from_text, to_text};
use super::progress::{Stage, Total};
use super::session::Session;
use crate::domain::{BalanceLine, Customer, Page, PageRequest, Payout, Refund};
use crate::gateway::{Capabilities, Gateway, GatewayError};
use crate::store::{Store, Stored, SyncPhase, SyncState};

/// How long before the last run's start a later run reads a list again: older objects
/// are taken as settled.
const SETTLING: TimeDelta = TimeDelta::days(35);
/// A payout's lines past this many pages are not read.
const MAX_LINE_PAGES: usize = 1_000;

/// A gateway list the sync copies into the store, by `Stored::TABLE`.
pub trait Listed: Stored + Clone + Send + Sync + 'static {
    const STAGE: Stage;
    fn listed(caps: &Capabilities) -> bool;
    fn created(&self) -> DateTime<Utc>;
    fn page(
        gateway: Arc<dyn Gateway>,
        request: PageRequest,
    ) -> impl Future<Output = Result<Page<Self>, GatewayError>> + Send;
    /// The ids of a page's objects that need more read before the page is committed
    /// (a payout's lines), as the store holds them now.
    fn to_follow(_store: &Store, _page: &[Self]) -> crate::store::Result<Vec<String>> {
        Ok(Vec::new())
    }
}

/// `Listed` for a domain type: its stage, the capability that says the gateway lists
/// it, and the adapter's list method; then any method it adds.
macro_rules! listed {
    ($type:ty, $stage:expr, $capability:ident, $list:ident $(, $more:item)?) => {
        impl Listed for $type {
            const STAGE: Stage = $stage;
            fn listed(caps: &Capabilities) -> bool {
                caps.$capability
            }
            fn created(&self) -> DateTime<Utc> {
                self.created
            }
            async fn page(
                gateway: Arc<dyn Gateway>,
                request: PageRequest,
            ) -> Result<Page<Self>, GatewayError> {
                gateway.$list(&request).await
            }
            $($more)?
        }
    };
}

listed!(
    Payout,
    Stage::Payouts,
    payouts,
    list_payouts,
    /// Payouts new to the store, changed in status, or held without their lines.
    fn to_follow(store: &Store, page: &[Self]) -> crate::store::Result<Vec<String>> {
        let mut ids = Vec::new();
        for payout in page {
            let held = store.get::<Payout>(&payout.id)?;
            let same = held.is_some_and(|h| h.status == payout.status);
            if !same || !store.holds_lines(&payout.id)? {
                ids.push(payout.id.clone());
            }
        }
        Ok(ids)
    }
);
listed!(Refund, Stage::Refunds, refund_list, list_refunds);
listed!(Customer, Stage::Customers, customers, list_customers);

/// The state a run of `T`'s list starts from, and, for a list read to its end before,
/// the time past which it is settled.
fn starting(
    held: Option<SyncState>,
    table: &str,
    began: DateTime<Utc>,
) -> (SyncState, Option<DateTime<Utc>>) {
    match held {
        Some(under_way) if !under_way.done => (under_way, None),
        Some(done) => {
            let settled = done.watermark.map(|last| last - SETTLING);
            let again = SyncState {
                cursor: None,
                done: false,
                fetched: 0,
                ..done
            };
            (again, settled)
        }
        None => (
            SyncState {
                watermark: Some(began),
                ..SyncState::new(table, SyncPhase::Backfill, began)
            },
            None,
        ),
    }
}

/// Copies `T`'s list into the store (where the gateway lists it); returns how many
/// objects were read.
pub async fn run<T: Listed>(s: &mut Session) -> Result<u64, SyncError> {
    if !T::listed(&s.gateway.capabilities()) {
        return Ok(0);
    }
    let began = Utc::now();
    let held = s.state_of(T::TABLE, SyncPhase::Backfill).await?;
    let (mut state, settled) = starting(held, T::TABLE, began);
    let size = s.opts.page_size;
    let mut at = state.cursor.as_deref().and_then(from_text);
    let mut read = 0;
    loop {
        let request = match at.take() {
            Some(cursor) => PageRequest::at(cursor, size),
            None => PageRequest::first(size),
        };
        let gateway = s.gateway.clone();
        let page = s
            .slowed(T::STAGE.word(), || {
                T::page(gateway.clone(), request.clone())
            })
            .await?;
        // Charges alone count in `fetched` (and the rate): these are `read`.
        s.count_read(0, page.skipped.len());
        read += page.items.len() as u64;
        let reached = settled.is_some_and(|at| page.items.iter().any(|o| o.created() < at));
        let last = page.next.is_none() || page.items.is_empty() || reached;
        state.cover_created(page.items.iter().map(T::created));
        state.fetched += page.items.len() as u64;
        state.cursor = if last {
            None
        } else {
            page.next.as_ref().map(to_text)
        };
        state.done = last;
        if last {
            state.watermark = Some(began);
        }
        state.updated_at = Utc::now();
        let items = page.items;
        let follow = {
            let items = items.clone();
            s.read_store(move |store| T::to_follow(store, &items))
                .await?
        };
        for id in follow {
            payout_lines(s, id).await?;
        }
        s.commit_objects(items, &state).await?;
        s.tell(T::STAGE, state.fetched, page.total.map(Total::Exact));
        if last {
            return Ok(read);
        }
        at = page.next;
    }
}

/// Reads every page of a payout's lines and puts them in the store, replacing any held.
async fn payout_lines(s: &mut Session, id: String) -> Result<(), SyncError> {
    if !s.gateway.capabilities().payout_lines {
        return Ok(());
    }
    let mut lines: Vec<BalanceLine> = Vec::new();
    let mut request = PageRequest::first(s.opts.page_size);
    for _ in 0..MAX_LINE_PAGES {
        let gateway = s.gateway.clone();
        let (payout, ask) = (id.clone(), request.clone());
        let page = s
            .slowed("payout lines", || {
                let gateway = gateway.clone();
                let (payout, ask) = (payout.clone(), ask.clone());
                async move { gateway.payout_lines(&payout, &ask).await }
            })
            .await?;
        s.count_read(0, page.skipped.len());
        lines.extend(page.items);
        match page.next {
            Some(next) => request = PageRequest::at(next, s.opts.page_size),
            None => return s.put_lines(id, lines).await,
        }
    }
    tracing::warn!(payout = %id, pages = MAX_LINE_PAGES, "payout lines cut off");
    s.put_lines(id, lines).await
}
