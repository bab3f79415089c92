//! Charges changed after creation: through the gateway's change feed (events, an
//! `updated_at`) since the last sync, or, where it has none or the last sync is older
//! than the feed keeps, by reading again the charges created in the window where
//! changes happen. The first sync has nothing to catch up on and only sets the mark.

use chrono::{DateTime, TimeDelta, Utc};

use super::SyncError;
use super::progress::Stage;
use super::session::Session;
use crate::domain::{Charge, ChargeFilter, PageRequest};
use crate::gateway::{ChangeFeed, Changed};
use crate::store::{CHARGES, SyncPhase, SyncState};

/// How far before the mark a feed is read again: the gateway's clock and ours, and
/// a change written while the last sync read past it.
const SKEW: TimeDelta = TimeDelta::minutes(5);
/// Pages of changes read at most in one sync (100 a page).
const MAX_PAGES: usize = 10_000;

pub async fn run(s: &mut Session) -> Result<(), SyncError> {
    let began = Utc::now();
    let Some(mut state) = s.state(SyncPhase::Changes).await? else {
        // Everything the first sync reads is as it is now.
        let state = SyncState {
            watermark: Some(began),
            done: true,
            ..SyncState::new(CHARGES, SyncPhase::Changes, began)
        };
        return s.put_state(state).await;
    };
    state.fetched = 0;
    let mark = state.watermark.unwrap_or(began) - SKEW;
    let feed = s.gateway.capabilities().changes;
    let newest = match feed {
        ChangeFeed::Window { days } => {
            reread(s, &mut state, began - TimeDelta::days(i64::from(days))).await?;
            None
        }
        ChangeFeed::Events { .. } if began - mark > feed.window() => {
            reread(s, &mut state, mark).await?;
            None
        }
        ChangeFeed::Events { .. } | ChangeFeed::UpdatedAt => follow(s, &mut state, mark).await?,
    };
    state.watermark = Some(match (newest, feed) {
        // Where the gateway's own clock got to, so its skew from ours does not matter.
        (Some(newest), ChangeFeed::UpdatedAt) => newest.max(mark),
        _ => began,
    });
    state.cursor = None;
    state.done = true;
    state.updated_at = Utc::now();
    s.put_state(state).await
}

/// Reads again every charge created since `from`.
async fn reread(
    s: &mut Session,
    state: &mut SyncState,
    from: DateTime<Utc>,
) -> Result<(), SyncError> {
    let filter = ChargeFilter {
        from: Some(from),
        ..ChargeFilter::default()
    };
    let mut request = PageRequest::first(s.opts.page_size);
    for _ in 0..MAX_PAGES {
        let Some(page) = s
            .charge_pages("reading recent charges again", &[request.clone()], &filter)
            .await?
            .pop()
        else {
            break;
        };
        // An adapter narrows as far as it can; the rest is for us.
        let young: Vec<Charge> = page
            .items
            .into_iter()
            .filter(|c| filter.matches(c))
            .collect();
        let older_than_window = young.is_empty();
        save(s, state, young).await?;
        match page.next {
            Some(next) if !older_than_window => {
                request = PageRequest::at(next, s.opts.page_size);
            }
            _ => break,
        }
    }
    Ok(())
}

/// Follows the feed from `since`; returns the newest change's time.
async fn follow(
    s: &mut Session,
    state: &mut SyncState,
    since: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, SyncError> {
    let mut newest = None;
    let mut request = PageRequest::first(s.opts.page_size);
    for _ in 0..MAX_PAGES {
        let gateway = s.gateway.clone();
        let page = s
            .slowed("reading changes", || {
                gateway.charge_changes(since, &request)
            })
            .await?;
        s.count_read(0, page.skipped.len());
        let mut charges = Vec::with_capacity(page.items.len());
        for change in page.items {
            newest = newest.max(Some(change.at));
            charges.push(match change.charge {
                Changed::Charge(charge) => *charge,
                Changed::Id(id) => {
                    let gateway = s.gateway.clone();
                    s.slowed("reading a changed charge", || gateway.get_charge(&id))
                        .await?
                }
            });
        }
        s.count_read(charges.len(), 0);
        save(s, state, charges).await?;
        match page.next {
            Some(next) => request = PageRequest::at(next, s.opts.page_size),
            None => break,
        }
    }
    Ok(newest)
}

async fn save(
    s: &mut Session,
    state: &mut SyncState,
    charges: Vec<Charge>,
) -> Result<(), SyncError> {
    state.fetched += charges.len() as u64;
    s.report.changed += charges.len() as u64;
    state.updated_at = Utc::now();
    s.commit(charges, state).await?;
    s.tell(Stage::Changes, state.fetched, None);
    Ok(())
}
