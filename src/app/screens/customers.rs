//! The customers screen: a paged list of the gateway's customers, filtered locally.

use super::super::effect::Effect;
use super::super::listing::Listing;
use super::super::model::Model;
use super::Hint;
use super::customer;
use super::list_screen::{self, ListScreen, Shows};
use crate::app::keymap::Intent;
use crate::app::offers::Act;
use crate::domain::Customer;

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

pub(crate) fn customers_pane(model: &mut Model) -> Option<&mut CustomersPane> {
    list_screen::find(model)
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

impl ListScreen for CustomersPane {
    const ACT: Act = Act::Customers;
    const OPEN_ITEM: fn(&mut Model, Customer) -> Vec<Effect> =
        |model, item| customer::open_customer(model, &item.id);

    fn shows(&self) -> Shows<Customer> {
        let text = self.list.filter_text.clone();
        Box::new(move |c| customer_matches(&text)(c))
    }

    fn took_page(&mut self, _added: bool) -> Vec<Effect> {
        more_for_filter(self)
    }
}

/// The status line's keys on the customers list.
pub(crate) fn hints(pane: &CustomersPane) -> Vec<Hint> {
    let open = pane.list.selected().map(|_| (Intent::Open, "open"));
    open.into_iter()
        .chain([(Intent::Filter, "filter"), (Intent::Back, "back")])
        .collect()
}
