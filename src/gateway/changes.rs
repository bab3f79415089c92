//! Charges that changed after they were created (captured, voided, refunded, disputed,
//! expired), each gateway by its own means: a list of events, an `updated_at` the list
//! sorts by, or, where it has neither, a re-read of the charges young enough to change.

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};

use super::{GatewayError, Result};
use crate::domain::{Charge, Page, PageRequest};

/// How a gateway lets a sync find changed charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeFeed {
    /// `Changes::charge_changes` lists events, kept `kept_days`: a sync away longer
    /// reads the charges of that many days before it again instead. Where the feed
    /// has no event for an authorisation expiring, `expiry_days` is its lifetime and
    /// the sync reads that window again too.
    Events {
        kept_days: u32,
        expiry_days: Option<u32>,
    },
    /// `Changes::charge_changes` lists charges by their `updated_at`, newest first.
    UpdatedAt,
    /// No feed: charges created within this many days (the authorisation lifetime,
    /// where changes happen) are read again.
    Window { days: u32 },
}

impl ChangeFeed {
    /// The days a window re-read covers: the feed's retention, or the window.
    pub fn window(self) -> TimeDelta {
        match self {
            ChangeFeed::Events { kept_days, .. } => TimeDelta::days(i64::from(kept_days)),
            ChangeFeed::UpdatedAt => TimeDelta::zero(),
            ChangeFeed::Window { days } => TimeDelta::days(i64::from(days)),
        }
    }
}

/// One change the feed reports.
#[derive(Debug, Clone, PartialEq)]
pub struct ChargeChange {
    /// When the gateway says it happened (the event's time, the `updated_at`).
    pub at: DateTime<Utc>,
    pub charge: Changed,
}

/// The changed charge as the feed gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum Changed {
    /// The charge as it is now.
    Charge(Box<Charge>),
    /// Only its id (a refund's or a dispute's event): the sync reads it.
    Id(String),
}

/// A page of a newest-first feed, ended at the first change before `since`.
pub fn ending_at(mut page: Page<ChargeChange>, since: DateTime<Utc>) -> Page<ChargeChange> {
    if page.items.iter().any(|c| c.at < since) {
        page.items.retain(|c| c.at >= since);
        page.next = None;
    }
    page
}

#[async_trait]
pub trait Changes: Send + Sync {
    /// Changes at or after `since`, newest first, a page at a time; the feed ends
    /// (`next` is `None`) once it is past `since`. For `ChangeFeed::Window` gateways
    /// there is nothing to ask: the sync re-reads the window with `list_charges`.
    async fn charge_changes(
        &self,
        _since: DateTime<Utc>,
        _page: &PageRequest,
    ) -> Result<Page<ChargeChange>> {
        Err(GatewayError::Unsupported("a list of changed charges"))
    }
}
