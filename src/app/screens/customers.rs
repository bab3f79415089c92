//! The customers screen: a paged list of the gateway's customers, filtered locally.

use super::super::effect::Effect;
use super::super::keymap::Intent;
use super::super::model::Model;
use super::customer;
use super::{Pane, move_in_listing};
use crate::app::offers::{self, Act};
use crate::domain::Customer;

use super::super::listing::Listing;
use super::super::request::PageAnswer;

#[derive(Debug, Clone, Default)]
pub struct CustomersPane {
    pub list: Listing<Customer>,
}

/// Case-insensitive match of the customers filter against email, names, company and id.
pub fn customer_matches(text: &str) -> impl Fn(&Customer) -> bool + '_ {
    move |c: &Customer| {
        let needle = text.trim().to_lowercase();
        needle.is_empty()
            || [
                Some(&c.email),
                c.first_name.as_ref(),
                c.last_name.as_ref(),
                c.company.as_ref(),
                Some(&c.id),
            ]
            .into_iter()
            .flatten()
            .any(|field| field.to_lowercase().contains(&needle))
            || c.display_name().to_lowercase().contains(&needle)
    }
}

pub(crate) fn open_customers(model: &mut Model) -> Vec<Effect> {
    if !offers::allowed(model, Act::Customers) {
        return Vec::new();
    }
    if matches!(model.screens.top(), Some(Pane::Customers(_))) {
        return Vec::new();
    }
    let (list, ask) = Listing::first_page(model.generations.fresh());
    let pane = CustomersPane { list };
    model.screens.push(Pane::Customers(pane));
    model.touch();
    vec![Effect::LoadCustomers(ask)]
}

pub(crate) fn customers_pane(model: &mut Model) -> Option<&mut CustomersPane> {
    model.screens.above_mut().rev().find_map(|pane| match pane {
        Pane::Customers(customers) => Some(customers),
        _ => None,
    })
}

pub(crate) fn on_customers(model: &mut Model, answer: PageAnswer<Customer>) -> Vec<Effect> {
    let Some(pane) = customers_pane(model) else {
        return Vec::new();
    };
    let text = pane.list.filter_text.clone();
    if pane
        .list
        .take_answer(answer, customer_matches(&text))
        .is_none()
    {
        return Vec::new();
    }
    let more = more_for_filter(pane);
    model.touch();
    more
}

/// The most customers a filter loads on its own to search through.
pub(crate) const FILTER_LOADS_UP_TO: usize = 5_000;

/// No gateway searches customers by name, so while a filter is in force the next page
/// is loaded on its own, up to a bound, and the screen says how far the search has got.
pub(crate) fn more_for_filter(pane: &mut CustomersPane) -> Vec<Effect> {
    let list = &mut pane.list;
    let wanted = !list.filter_text.is_empty() && list.error.is_none() && !list.loading;
    match list.next.clone() {
        Some(next) if wanted && list.len() < FILTER_LOADS_UP_TO => {
            vec![Effect::LoadCustomers(list.ask(Some(next)))]
        }
        _ => Vec::new(),
    }
}

/// What a key does on this screen.
pub(crate) fn on_key(
    model: &mut Model,
    intent: Intent,
    delta: Option<isize>,
    rows: usize,
) -> Vec<Effect> {
    let Some(Pane::Customers(pane)) = model.screens.top_mut() else {
        return Vec::new();
    };
    let list = &mut pane.list;
    if let Some(delta) = delta {
        return move_in_listing(list, delta, rows)
            .map(Effect::LoadCustomers)
            .into_iter()
            .collect();
    }
    match intent {
        Intent::Open => match list.selected().map(|c| c.id.clone()) {
            Some(id) => customer::open_customer(model, &id),
            None => Vec::new(),
        },
        Intent::Copy => list
            .selected()
            .map(|c| Effect::Copy(c.id.clone()))
            .into_iter()
            .collect(),
        Intent::Refresh => {
            model.screens.pop();
            open_customers(model)
        }
        _ => Vec::new(),
    }
}
