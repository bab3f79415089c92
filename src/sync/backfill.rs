//! Older pages, from the newest the first sync read down to the oldest (or to
//! `--since`), several side by side where the list's pages can be worked out ahead.
//! Each page is committed with the cursor past it, so a killed sync goes on from there.

use chrono::{DateTime, Utc};

use super::SyncError;
use super::cursor_text::{advance, ahead, from_text};
use super::progress::{Stage, Total};
use super::session::Session;
use crate::domain::{ChargeFilter, Cursor, PageRequest};
use crate::store::{CHARGES, SyncPhase, SyncState};

/// Returns whether every page down to the oldest (or `since`) is held.
pub async fn run(s: &mut Session) -> Result<bool, SyncError> {
    let since = s.opts.since;
    let mut state = s
        .state(SyncPhase::Backfill)
        .await?
        .unwrap_or_else(|| SyncState::new(CHARGES, SyncPhase::Backfill, Utc::now()));
    if state.done || reached(&state, since) {
        return Ok(true);
    }
    let mut at: Option<Cursor> = state.cursor.as_deref().and_then(from_text);
    if state.cursor.is_some() && at.is_none() {
        tracing::warn!(cursor = ?state.cursor, "unknown backfill cursor: starting afresh");
        state = SyncState::new(CHARGES, SyncPhase::Backfill, Utc::now());
    }
    let size = s.opts.page_size;
    let filter = ChargeFilter::default();
    loop {
        let requests: Vec<PageRequest> = match &at {
            None => vec![PageRequest::first(size)],
            Some(cursor) => (0..s.concurrency as u32)
                .map_while(|i| ahead(cursor, i, size))
                .map(|c| PageRequest::at(c, size))
                .collect(),
        };
        let pages = s.charge_pages("backfill", &requests, &filter).await?;
        for (i, page) in pages.into_iter().enumerate() {
            let end = page.next.is_none() || page.items.is_empty();
            advance(&mut state, &page.items, page.next.as_ref(), end);
            let total = estimate(&state, page.total, since);
            state.estimated_total = total.map(Total::count);
            let read = page.items.len() as u64;
            s.commit(page.items, &state).await?;
            s.report.backfilled += read;
            s.tell(Stage::Backfill, state.fetched, total);
            if end || reached(&state, since) {
                return Ok(true);
            }
            // The next page read side by side must be where this one says the list
            // goes on; if not, go on from here.
            let read_ahead = requests.get(i + 1).and_then(|r| r.cursor.as_ref());
            let in_step = read_ahead == page.next.as_ref();
            at = page.next;
            if !in_step {
                break;
            }
        }
    }
}

/// The backfill has come down past `since`.
fn reached(state: &SyncState, since: Option<DateTime<Utc>>) -> bool {
    match (state.oldest_created, since) {
        (Some(oldest), Some(since)) => oldest < since,
        _ => false,
    }
}

/// How many the backfill will read in all: the gateway's count of the whole list, or,
/// down to `since`, the rate so far over the dates still to go.
fn estimate(state: &SyncState, listed: Option<u64>, since: Option<DateTime<Utc>>) -> Option<Total> {
    match (since, listed) {
        (None, Some(total)) => Some(Total::Exact(total.max(state.fetched))),
        (Some(since), _) => {
            let (oldest, newest) = (state.oldest_created?, state.newest_created?);
            let covered = (newest - oldest).num_seconds();
            let wanted = (newest - since).num_seconds();
            (covered > 0 && wanted > 0).then(|| {
                let scaled = state.fetched as f64 * wanted as f64 / covered as f64;
                Total::About((scaled as u64).max(state.fetched))
            })
        }
        (None, None) => None,
    }
}
