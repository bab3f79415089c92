//! `update` on the sort keys: the charges over the store sorted in the query and paged
//! in that order, the charges without a store left newest first with a word why, a
//! gateway-paged list sorting what it has loaded (and saying so) and pages that come
//! later sorted in, and each screen keeping its own sort.

use crossterm::event::KeyCode;

use super::effect::Effect;
use super::fixtures::*;
use super::model::{Model, ToastKind};
use super::msg::Msg;
use super::screens::Pane;
use super::sort::{Sort, SortScreen};
use super::store_window::tests::over_store;
use super::store_window::{STORE_PAGE, StoreAsk};
use super::update::update;
use crate::domain::{ChargeStatus, Cursor, Page, RawJson, Refund, RefundStatus};
use crate::money::{Currency, Money};
use crate::store::Store;
use crate::store::query::{ChargeOrder, ChargeSortKey};

/// A store of `n` charges whose amounts are in no relation to their age (distinct,
/// n < 1013).
fn shuffled_amounts(n: i64) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let charges: Vec<_> = (1..=n)
        .map(|i| {
            let mut c = charge(i, ChargeStatus::Captured);
            c.amount = Money::from_minor((i * 7919) % 1013 * 10, Currency::AUD);
            c
        })
        .collect();
    store.upsert_charges(&charges, t0()).unwrap();
    store
}

fn selected_amount(model: &Model) -> i64 {
    let charge = model.screens.charges.list.selected().unwrap();
    charge.amount.to_minor().unwrap()
}

#[test]
fn charges_over_the_store_sort_in_the_query_and_page_in_that_order() {
    let n = 600;
    let store = shuffled_amounts(n);
    let mut model = over_store(&store);
    // `s` once: created, newest first (the store's own order); twice: amount.
    let effects = update(&mut model, key('s'));
    settle(&mut model, &store, effects);
    let effects = update(&mut model, key('s'));
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::StorePage(StoreAsk {
                order: ChargeOrder {
                    key: ChargeSortKey::Amount,
                    descending: true
                },
                ..
            })]
        ),
        "{effects:?}"
    );
    settle(&mut model, &store, effects);
    // Down every charge, pages read as the window needs them: largest to smallest.
    let mut seen = vec![selected_amount(&model)];
    for _ in 1..n {
        let effects = update(&mut model, key('j'));
        settle(&mut model, &store, effects);
        assert!(model.screens.charges.list.len() <= 3 * STORE_PAGE);
        seen.push(selected_amount(&model));
    }
    let mut expected = seen.clone();
    expected.sort_unstable_by(|a, b| b.cmp(a));
    expected.dedup();
    assert_eq!(seen, expected, "every charge once, largest first");
    // `S`: the other way, read from the top again.
    let effects = update(&mut model, key('S'));
    settle(&mut model, &store, effects);
    assert_eq!(selected_amount(&model), *expected.last().unwrap());
    assert_eq!(
        model.sorts.get(SortScreen::Charges),
        Some(Sort {
            column: 1,
            descending: false
        })
    );
}

#[test]
fn without_a_store_the_charges_stay_newest_first_and_the_screen_says_why() {
    let mut model = loaded(5, fixture_caps());
    let ids = |model: &Model| -> Vec<String> {
        let list = &model.screens.charges.list;
        list.rows(0, 10).map(|c| c.id.clone()).collect()
    };
    let before = ids(&model);
    let effects = update(&mut model, key('s'));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(before, ids(&model));
    assert_eq!(model.sorts.get(SortScreen::Charges), None);
    let toast = model.toasts.back().unwrap();
    assert!(toast.text.contains("newest first"), "{}", toast.text);
}

fn refund(id: &str, minor: i64) -> Refund {
    Refund {
        id: id.into(),
        charge_id: "ch_0001".into(),
        amount: Money::from_minor(minor, Currency::AUD),
        status: RefundStatus::Succeeded,
        created: t0(),
        reason: None,
        error_message: None,
        raw: RawJson::default(),
    }
}

fn refund_page(refunds: Vec<Refund>, more: bool) -> Page<Refund> {
    Page {
        next: more.then_some(Cursor::Page(2)),
        ..last_page(refunds, None)
    }
}

fn refund_ids(model: &Model) -> Vec<String> {
    let Some(Pane::Refunds(pane)) = model.screens.top() else {
        panic!("no refunds on top")
    };
    pane.list.rows(0, 20).map(|r| r.id.clone()).collect()
}

fn selected_refund(model: &Model) -> String {
    let Some(Pane::Refunds(pane)) = model.screens.top() else {
        panic!("no refunds on top")
    };
    pane.list.selected().unwrap().id.clone()
}

#[test]
fn a_gateway_paged_list_sorts_what_it_has_says_so_and_sorts_later_pages_in() {
    let mut model = loaded(5, fixture_caps());
    let _ = command(&mut model, "refunds");
    let first = vec![
        refund("rf_a", 500),
        refund("rf_b", 100),
        refund("rf_c", 300),
    ];
    let page = answer(&model, Ok(refund_page(first, true)));
    let _ = update(&mut model, Msg::RefundListLoaded(page));
    let _ = update(&mut model, code(KeyCode::Down));
    let _ = run(&mut model, [key('s'), key('s')]);
    assert_eq!(
        selected_refund(&model),
        "rf_a",
        "a new order starts at its top"
    );
    assert_eq!(
        refund_ids(&model),
        ["rf_a", "rf_c", "rf_b"],
        "amount, largest first"
    );
    let toast = model.toasts.back().unwrap();
    assert_eq!(toast.kind, ToastKind::Info);
    assert!(toast.text.contains("Sorted the 3 loaded"), "{}", toast.text);
    let _ = update(&mut model, code(KeyCode::Down));
    assert_eq!(selected_refund(&model), "rf_c");
    // The next page is sorted in; the selection stays on its refund.
    let page = answer(&model, Ok(refund_page(vec![refund("rf_d", 400)], false)));
    let _ = update(&mut model, Msg::RefundListLoaded(page));
    assert_eq!(refund_ids(&model), ["rf_a", "rf_d", "rf_c", "rf_b"]);
    assert_eq!(selected_refund(&model), "rf_c");
    // Past the last column: the gateway's own order again.
    let _ = run(&mut model, [key('s'), key('s')]);
    assert_eq!(refund_ids(&model), ["rf_a", "rf_b", "rf_c", "rf_d"]);
}

#[test]
fn each_screen_keeps_its_own_sort_while_the_program_runs() {
    let mut model = loaded(5, fixture_caps());
    let _ = command(&mut model, "refunds");
    let _ = update(&mut model, key('S'));
    let _ = update(&mut model, code(KeyCode::Esc));
    let _ = command(&mut model, "customers");
    let Some(Pane::Customers(customers)) = model.screens.top() else {
        panic!()
    };
    assert!(
        customers.list.order().is_none(),
        "customers keep their own order"
    );
    let _ = update(&mut model, code(KeyCode::Esc));
    let _ = command(&mut model, "refunds");
    let page = answer(
        &model,
        Ok(refund_page(
            vec![refund("rf_a", 500), refund("rf_b", 100)],
            false,
        )),
    );
    let _ = update(&mut model, Msg::RefundListLoaded(page));
    let Some(Pane::Refunds(refunds)) = model.screens.top() else {
        panic!()
    };
    let order = refunds.list.order().map(|o| o.sort);
    assert_eq!(
        order,
        Some(Sort {
            column: 0,
            descending: false
        }),
        "refunds opened again keep the reverse of their first column"
    );
}
