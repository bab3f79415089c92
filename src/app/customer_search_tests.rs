//! The customers filter searches beyond the first page: while it matches, the next
//! pages load on their own, up to a bound, so a customer on page three is found.

use super::effect::Effect;
use super::fixtures::*;
use super::model::Model;
use super::msg::Msg;
use super::pane_tests::customer;
use super::screens::Pane;
use super::update::update;
use crate::domain::{Cursor, Page};

/// The customers from `from` on, for the list on screen.
fn page(model: &mut Model, from: u32, next: Option<u32>) -> Vec<Effect> {
    let page = answer(
        model,
        Ok(Page {
            items: (from..from + 100).map(customer).collect(),
            next: next.map(Cursor::Page),
            total: Some(300),
            skipped: Vec::new(),
        }),
    );
    update(model, Msg::CustomersLoaded(page))
}

fn visible(model: &super::model::Model) -> usize {
    match model.screens.top() {
        Some(Pane::Customers(pane)) => pane.list.visible_len(),
        _ => panic!("no customers pane"),
    }
}

#[test]
fn a_filter_loads_further_pages_until_everything_is_searched() {
    let mut model = loaded(5, fixture_caps());
    let _ = command(&mut model, "customers");
    assert!(
        page(&mut model, 1, Some(2)).is_empty(),
        "no filter, no more"
    );
    let effects = filter(&mut model, "person250@");
    assert!(matches!(effects.as_slice(), [Effect::LoadCustomers(_)]));
    assert_eq!(page_cursor(&effects[0]), Some(Some(Cursor::Page(2))));
    assert_eq!(visible(&model), 0);
    let effects = page(&mut model, 101, Some(3));
    assert!(matches!(effects.as_slice(), [Effect::LoadCustomers(_)]));
    assert_eq!(page_cursor(&effects[0]), Some(Some(Cursor::Page(3))));
    assert!(page(&mut model, 201, None).is_empty(), "all loaded");
    assert_eq!(visible(&model), 1, "found on the third page");
}
