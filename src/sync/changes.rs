//! Charges changed after creation: through the gateway's change feed (events, an
//! `updated_at`) since the last sync, or, where it has none, by reading again the
//! charges that were within the window where changes happen (the authorisation
//! lifetime) at the last sync. A sync away longer than the feed keeps events reads
//! again the charges created up to that long before the last sync: older ones changed
//! meanwhile are not caught. The first sync has nothing to catch up on and only sets
//! the mark.

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};
use futures_util::StreamExt;

use super::SyncError;
use super::progress::Stage;
use super::session::Session;
use crate::domain::{Charge, ChargeFilter, PageRequest};
use crate::gateway::{ChangeFeed, Changed, GatewayError};
use crate::store::{CHARGES, SyncPhase, SyncState};

/// How far before the mark a feed is read again: the gateway's clock and ours, and
/// a change written while the last sync read past it.
const SKEW: TimeDelta = TimeDelta::minutes(5);
/// Pages of changes read at most in one sync (100 a page).
const MAX_PAGES: usize = 10_000;
/// Changed charges read side by side when the feed names only their ids.
const READS: usize = 4;

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
    let mut newest = None;
    let mut caught_up = true;
    match feed {
        // Whatever was young enough to change at the last sync may have since.
        ChangeFeed::Window { .. } => reread(s, &mut state, mark - feed.window()).await?,
        ChangeFeed::Events { .. } if began - mark > feed.window() => {
            tracing::warn!(%mark, "last sync is older than the gateway keeps events");
            reread(s, &mut state, mark - feed.window()).await?;
        }
        ChangeFeed::Events { .. } | ChangeFeed::UpdatedAt => {
            match follow(s, &mut state, mark).await {
                Ok(followed) => {
                    newest = followed.newest;
                    caught_up = followed.to_the_end;
                }
                // A cursor the feed no longer has: the gap is longer than it keeps.
                Err(SyncError::Gateway {
                    source: GatewayError::NotFound { .. },
                    ..
                }) => reread(s, &mut state, mark - feed.window()).await?,
                Err(e) => return Err(e),
            }
        }
    }
    if let ChangeFeed::Events {
        expiry_days: Some(days),
        ..
    } = feed
    {
        reread(s, &mut state, mark - TimeDelta::days(i64::from(days))).await?;
    }
    if caught_up {
        state.watermark = Some(match (newest, feed) {
            // Where the gateway's own clock got to, so its skew from ours does not matter.
            (Some(newest), ChangeFeed::UpdatedAt) => newest.max(mark),
            _ => began,
        });
    } else {
        // The rest is read next time, from the same mark.
        tracing::warn!(%mark, "more changes than one sync reads: the rest next time");
    }
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

/// How far a feed was followed.
struct Followed {
    newest: Option<DateTime<Utc>>,
    /// Down to `since`; not when the page bound cut it short.
    to_the_end: bool,
}

/// Follows the feed from `since`.
async fn follow(
    s: &mut Session,
    state: &mut SyncState,
    since: DateTime<Utc>,
) -> Result<Followed, SyncError> {
    let mut newest = None;
    // Newest first: the first change of a charge is the latest; an earlier event's
    // copy (a snapshot at its time, on a real gateway) must not overwrite it.
    let mut seen = HashSet::new();
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
        let mut named = Vec::new();
        for change in page.items {
            newest = newest.max(Some(change.at));
            match change.charge {
                Changed::Charge(charge) if seen.insert(charge.id.clone()) => charges.push(*charge),
                Changed::Id(id) if seen.insert(id.clone()) => named.push(id),
                _ => {}
            }
        }
        charges.extend(read_each(s, named).await?);
        s.count_read(charges.len(), 0);
        save(s, state, charges).await?;
        match page.next {
            Some(next) => request = PageRequest::at(next, s.opts.page_size),
            None => {
                return Ok(Followed {
                    newest,
                    to_the_end: true,
                });
            }
        }
    }
    Ok(Followed {
        newest,
        to_the_end: false,
    })
}

/// The charges `ids` names, read a few at a time.
async fn read_each(s: &mut Session, ids: Vec<String>) -> Result<Vec<Charge>, SyncError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let gateway = s.gateway.clone();
    s.slowed("reading changed charges", || {
        let gateway = gateway.clone();
        let ids = ids.clone();
        async move {
            futures_util::stream::iter(ids.into_iter().map(|id| {
                let gateway = gateway.clone();
                async move { gateway.get_charge(&id).await }
            }))
            .buffered(READS)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<Vec<_>, GatewayError>>()
        }
    })
    .await
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
