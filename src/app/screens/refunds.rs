//! The refunds screen: every refund the gateway lists, filtered by status, dates and text.

use super::super::effect::Effect;
use super::super::listing::Listing;
use super::super::model::Model;
use super::Hint;
use super::charge;
use super::list_screen::{ListScreen, Shows};
use crate::app::keymap::Intent;
use crate::app::offers::Act;
use crate::domain::{Refund, RefundStatus};

#[derive(Debug, Clone, Default)]
pub struct RefundsPane {
    pub list: Listing<Refund>,
    pub filter: RefundFilter,
}

/// The refunds pane's filter: `status:pending from:2026-11-01 to:2026-11-24` and text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefundFilter {
    pub statuses: Vec<RefundStatus>,
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    pub text: String,
}

impl RefundFilter {
    pub fn matches(&self, refund: &Refund) -> bool {
        let text = self.text.trim().to_lowercase();
        (self.statuses.is_empty() || self.statuses.contains(&refund.status))
            && self.from.is_none_or(|from| refund.created >= from)
            && self.until.is_none_or(|until| refund.created < until)
            && (text.is_empty()
                || refund.id.to_lowercase().contains(&text)
                || refund.charge_id.to_lowercase().contains(&text))
    }
}

impl ListScreen for RefundsPane {
    const ACT: Act = Act::Refunds;
    const OPEN_ITEM: fn(&mut Model, Refund) -> Vec<Effect> =
        |model, item| charge::open_charge(model, &item.charge_id);

    fn shows(&self) -> Shows<Refund> {
        let filter = self.filter.clone();
        Box::new(move |r| filter.matches(r))
    }
}

/// The status line's keys on the refunds list.
pub(crate) fn hints(pane: &RefundsPane) -> Vec<Hint> {
    let open = pane.list.selected().map(|_| (Intent::Open, "open charge"));
    open.into_iter()
        .chain([(Intent::Filter, "filter"), (Intent::Back, "back")])
        .collect()
}
