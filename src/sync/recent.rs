//! New charges: newest pages first, down to the first page the store already holds as
//! it is. A pass that a kill cut short goes on from its cursor, still stopping where
//! the last finished pass began.

use chrono::Utc;

use super::SyncError;
use super::cursor_text::{advance, from_text};
use super::progress::Stage;
use super::session::Session;
use crate::domain::{ChargeFilter, PageRequest};
use crate::store::{CHARGES, SyncPhase, SyncState};

pub async fn run(s: &mut Session) -> Result<(), SyncError> {
    // Before the first backfill page there is nothing to be newer than: the backfill
    // starts at the newest page itself.
    let Some(backfill) = s.state(SyncPhase::Backfill).await? else {
        return Ok(());
    };
    let mut state = match s.state(SyncPhase::Recent).await? {
        Some(under_way) if under_way.cursor.is_some() => under_way,
        // A new pass stops at the top of the last one.
        Some(finished) => SyncState {
            watermark: finished.newest_created,
            newest_created: None,
            oldest_created: None,
            fetched: 0,
            done: false,
            ..finished
        },
        None => SyncState {
            watermark: backfill.newest_created,
            ..SyncState::new(CHARGES, SyncPhase::Recent, Utc::now())
        },
    };
    let Some(held_from) = state.watermark else {
        return Ok(());
    };
    let size = s.opts.page_size;
    let mut at = state.cursor.as_deref().and_then(from_text);
    loop {
        let request = match at.take() {
            Some(cursor) => PageRequest::at(cursor, size),
            None => PageRequest::first(size),
        };
        let filter = ChargeFilter::default();
        let Some(page) = s
            .charge_pages("reading new charges", &[request], &filter)
            .await?
            .pop()
        else {
            return Ok(());
        };
        let held = s.held_unchanged(&page.items).await?;
        let reached = page.items.iter().any(|c| c.created <= held_from);
        let all_old = page.items.iter().all(|c| c.created <= held_from);
        let last = page.next.is_none() || all_old || (reached && held == page.items.len());
        advance(&mut state, &page.items, page.next.as_ref(), last);
        s.commit(page.items, &state).await?;
        s.tell(Stage::Recent, state.fetched, None);
        if last {
            return Ok(());
        }
        at = page.next;
    }
}
