//! The refunds screen: every refund the gateway lists, filtered by status, dates and text.

use super::super::effect::Effect;
use super::super::keymap::Intent;
use super::super::model::Model;
use super::charge;
use super::{Pane, move_in_listing};
use crate::app::offers::{self, Act};
use crate::domain::Refund;

use super::super::listing::Listing;
use super::super::request::PageAnswer;
use crate::domain::RefundStatus;

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

pub(crate) fn open_refunds(model: &mut Model) -> Vec<Effect> {
    if !offers::allowed(model, Act::Refunds) {
        return Vec::new();
    }
    if matches!(model.screens.top(), Some(Pane::Refunds(_))) {
        return Vec::new();
    }
    let (list, ask) = Listing::first_page(model.generations.fresh());
    let pane = RefundsPane {
        list,
        ..RefundsPane::default()
    };
    model.screens.push(Pane::Refunds(pane));
    model.touch();
    vec![Effect::LoadRefundList(ask)]
}

pub(crate) fn on_refund_list(model: &mut Model, answer: PageAnswer<Refund>) -> Vec<Effect> {
    let Some(Pane::Refunds(pane)) = model
        .screens
        .above_mut()
        .rev()
        .find(|p| matches!(p, Pane::Refunds(_)))
    else {
        return Vec::new();
    };
    let filter = pane.filter.clone();
    if pane
        .list
        .take_answer(answer, |r| filter.matches(r))
        .is_none()
    {
        return Vec::new();
    }
    model.touch();
    Vec::new()
}

/// What a key does on this screen.
pub(crate) fn on_key(
    model: &mut Model,
    intent: Intent,
    delta: Option<isize>,
    rows: usize,
) -> Vec<Effect> {
    let Some(Pane::Refunds(pane)) = model.screens.top_mut() else {
        return Vec::new();
    };
    let list = &mut pane.list;
    if let Some(delta) = delta {
        return move_in_listing(list, delta, rows)
            .map(Effect::LoadRefundList)
            .into_iter()
            .collect();
    }
    match intent {
        Intent::Open => match list.selected().map(|r| r.charge_id.clone()) {
            Some(id) => charge::open_charge(model, &id),
            None => Vec::new(),
        },
        Intent::Copy => list
            .selected()
            .map(|r| Effect::Copy(r.id.clone()))
            .into_iter()
            .collect(),
        Intent::Refresh => {
            model.screens.pop();
            open_refunds(model)
        }
        _ => Vec::new(),
    }
}
