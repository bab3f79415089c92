//! The charges window over a real (in-memory) store: the runner's part is played by
//! `answer`, which runs each store effect against the store and returns its message.

use super::*;
use crate::app::fixtures::{
    charge, code, fixture_caps, key, session, settle, store_answer as answer, t0,
};
use crate::app::keymap::Keymap;
use crate::app::msg::{Answer, Msg};
use crate::app::update::update;
use crate::domain::{ChargeStatus, RawJson};
use crate::store::Store;
use crossterm::event::KeyCode;
use std::time::Duration;

/// A store holding charges 1..=n, every third authorised, the rest captured.
pub(super) fn store_with(n: i64) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let charges: Vec<_> = (1..=n)
        .map(|i| {
            let status = if i % 3 == 0 {
                ChargeStatus::Authorised
            } else {
                ChargeStatus::Captured
            };
            charge(i, status)
        })
        .collect();
    store.upsert_charges(&charges, t0()).unwrap();
    store
}

pub(crate) fn over_store(store: &Store) -> Model {
    let mut model = Model::new(
        session(fixture_caps()),
        Keymap::default(),
        Duration::from_secs(5),
        t0(),
    );
    model.screen = (100, 30);
    let effects = update(&mut model, Msg::StoreOpened(Ok(())));
    assert!(matches!(
        effects.as_slice(),
        [
            Effect::StorePage(StoreAsk {
                from: PageFrom::Newest,
                fill: Fill::Replace(Select::First),
                supersedes: true,
                ..
            }),
            Effect::StoreTotals { .. },
            Effect::Sync
        ]
    ));
    settle(&mut model, store, effects);
    model
}

/// The store changed under the window: the same stretch and the totals are read again.
fn assert_reads_again(effects: &[Effect]) {
    assert!(
        matches!(
            effects,
            [
                Effect::StorePage(StoreAsk {
                    fill: Fill::Replace(Select::Keep),
                    ..
                }),
                Effect::StoreTotals { .. }
            ]
        ),
        "{effects:?}"
    );
}

pub(super) fn window(model: &Model) -> &StoreWindow {
    model.screens.charges.store.as_ref().unwrap()
}

fn selected(model: &Model) -> String {
    model.screens.charges.list.selected().unwrap().id.clone()
}

#[test]
fn the_first_frame_is_the_stores_newest_page_with_its_totals() {
    let store = store_with(30);
    let model = over_store(&store);
    let list = &model.screens.charges.list;
    assert_eq!(list.len(), 30);
    assert_eq!(selected(&model), "ch_0030");
    let w = window(&model);
    assert!(w.answered && w.at_newest && w.at_oldest);
    assert_eq!(w.totals.as_ref().unwrap().count, 30);
    assert!(!w.totals_pending());
}

#[test]
fn scrolling_pages_through_the_store_holding_only_a_window() {
    let store = store_with(1_000);
    let mut model = over_store(&store);
    assert_eq!(model.screens.charges.list.len(), 2 * STORE_PAGE);
    assert!(!window(&model).at_oldest);
    // Down 700 rows, a page at a time as the runner answers.
    for _ in 0..700 {
        let effects = update(&mut model, key('j'));
        settle(&mut model, &store, effects);
        assert!(model.screens.charges.list.len() <= WINDOW_ROWS);
    }
    assert_eq!(selected(&model), "ch_0300");
    assert!(!window(&model).at_newest);
    // And back up: pages above the window come back, the selection on its charge.
    let before = selected(&model);
    for _ in 0..40 {
        let effects = update(&mut model, code(KeyCode::PageUp));
        settle(&mut model, &store, effects);
        assert!(model.screens.charges.list.len() <= WINDOW_ROWS);
    }
    assert_eq!(selected(&model), "ch_1000");
    assert!(window(&model).at_newest);
    assert_ne!(before, selected(&model));
}

#[test]
fn big_g_reads_the_oldest_end_and_little_g_the_newest() {
    let store = store_with(1_000);
    let mut model = over_store(&store);
    let effects = update(&mut model, key('G'));
    assert!(matches!(
        effects.as_slice(),
        [Effect::StorePage(StoreAsk {
            from: PageFrom::Oldest,
            fill: Fill::Replace(Select::Last),
            ..
        })]
    ));
    settle(&mut model, &store, effects);
    assert_eq!(selected(&model), "ch_0001");
    assert!(window(&model).at_oldest && !window(&model).at_newest);
    let effects = update(&mut model, key('g'));
    settle(&mut model, &store, effects);
    assert_eq!(selected(&model), "ch_1000");
}

#[test]
fn a_new_filter_supersedes_the_last_and_its_late_answers_are_dropped() {
    let store = store_with(300);
    let mut model = over_store(&store);
    let old = update(&mut model, key('G'));
    let effects = crate::app::fixtures::filter(&mut model, "status:authorised");
    let Some(Effect::StorePage(ask)) = effects.first() else {
        panic!("{effects:?}");
    };
    assert!(ask.supersedes);
    // Until the store answers no row of the last filter is on screen to be acted on,
    // and the page asked for before the filter, arriving late, is dropped.
    assert!(model.screens.charges.list.is_empty());
    update(&mut model, answer(&store, &old[0]).unwrap());
    assert!(model.screens.charges.list.is_empty());
    settle(&mut model, &store, effects);
    let list = &model.screens.charges.list;
    assert_eq!(list.len(), 100, "every third of 300");
    assert!(
        list.rows(0, 100)
            .all(|c| c.status == ChargeStatus::Authorised)
    );
    assert_eq!(window(&model).totals.as_ref().unwrap().count, 100);
}

#[test]
fn a_poll_reads_the_window_again_keeping_the_selection_and_marks_the_news() {
    let mut store = store_with(50);
    let mut model = over_store(&store);
    for _ in 0..5 {
        update(&mut model, key('j'));
    }
    assert_eq!(selected(&model), "ch_0045");
    let news = vec![
        charge(52, ChargeStatus::Captured),
        charge(51, ChargeStatus::Captured),
    ];
    // The runner writes the news before the dashboard hears of it.
    store.upsert_charges(&news, t0()).unwrap();
    let effects = update(
        &mut model,
        Msg::Polled(Ok(crate::app::msg::Polled {
            newer: news,
            refreshed: Vec::new(),
            total: None,
            older: None,
            first: false,
        })),
    );
    assert_reads_again(&effects);
    settle(&mut model, &store, effects);
    assert_eq!(selected(&model), "ch_0045");
    assert_eq!(model.screens.charges.list.row(0).unwrap().id, "ch_0052");
    assert!(model.is_new("ch_0051"));
    assert_eq!(window(&model).totals.as_ref().unwrap().count, 52);
}

#[test]
fn raw_json_of_a_stored_charge_is_fetched_on_demand() {
    let store = store_with(3);
    let mut model = over_store(&store);
    update(&mut model, code(KeyCode::Enter));
    let effects = update(&mut model, key('J'));
    assert_eq!(effects, [Effect::LoadRaw("ch_0003".into())]);
    let detail = model.screens.charges.detail.as_ref().unwrap();
    assert_eq!(detail.raw, Some(crate::app::model::Loadable::Loading));
    update(
        &mut model,
        Msg::RawLoaded(Answer::new(
            "ch_0003",
            Ok(RawJson::new(r#"{"id":"ch_0003"}"#)),
        )),
    );
    let detail = model.screens.charges.detail.as_ref().unwrap();
    assert!(matches!(
        &detail.raw,
        Some(crate::app::model::Loadable::Loaded(raw)) if raw.as_str().contains("ch_0003")
    ));
    // Back to the fields and to the JSON again: no second fetch.
    update(&mut model, key('J'));
    assert!(update(&mut model, key('J')).is_empty());
}

#[test]
fn a_store_that_does_not_open_is_said_once_and_the_gateway_is_read() {
    let mut model = Model::new(
        session(fixture_caps()),
        Keymap::default(),
        Duration::from_secs(5),
        t0(),
    );
    let effects = update(&mut model, Msg::StoreOpened(Err("disk full".into())));
    assert!(effects.is_empty());
    assert!(model.screens.charges.store.is_none());
    assert!(crate::app::fixtures::last_toast(&model).contains("disk full"));
    let effects = update(&mut model, Msg::Tick(t0()));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Poll {
            from_store: false,
            ..
        }]
    ));
}

#[test]
fn the_place_of_the_selection_is_told_only_once_the_window_holds_rows() {
    let store = store_with(300);
    let mut model = over_store(&store);
    assert_eq!(model.screens.position(), Some((0, 300)));
    let effects = crate::app::fixtures::filter(&mut model, "status:authorised");
    // The totals may come back before the page: still no place to tell.
    for effect in &effects {
        if let Effect::StoreTotals { .. } = effect {
            update(&mut model, answer(&store, effect).unwrap());
        }
    }
    assert_eq!(model.screens.position(), None);
    settle(&mut model, &store, effects);
    assert_eq!(model.screens.position(), Some((0, 100)));
    let effects = update(&mut model, key('G'));
    settle(&mut model, &store, effects);
    assert_eq!(model.screens.position(), Some((99, 100)));
}

#[test]
fn the_sync_is_told_in_the_status_line_and_a_complete_store_needs_no_server_search() {
    let store = store_with(30);
    let mut model = over_store(&store);
    model.session.caps.server_search = true;
    let effects = update(&mut model, Msg::SyncProgress("backfill 1.2M of ~3M".into()));
    assert_eq!(window(&model).sync.as_deref(), Some("backfill 1.2M of ~3M"));
    // The sync writes under the window: it is read again, the totals too.
    assert!(matches!(
        effects.as_slice(),
        [Effect::StorePage(_), Effect::StoreTotals { .. }]
    ));
    settle(&mut model, &store, effects);
    // Not again within the second.
    assert!(update(&mut model, Msg::SyncProgress("backfill 1.3M of ~3M".into())).is_empty());
    let effects = crate::app::fixtures::filter(&mut model, "buyer7");
    assert!(effects.iter().any(|e| matches!(e, Effect::Search { .. })));
    settle(&mut model, &store, effects);
    let effects = update(&mut model, Msg::Synced(Ok(true)));
    settle(&mut model, &store, effects);
    assert!(window(&model).complete && window(&model).sync.is_none());
    let effects = crate::app::fixtures::filter(&mut model, "buyer8");
    assert!(!effects.iter().any(|e| matches!(e, Effect::Search { .. })));
}

#[test]
fn an_action_done_over_the_store_reads_the_window_and_totals_again() {
    let mut store = store_with(30);
    let mut model = over_store(&store);
    let before = window(&model).totals.clone().unwrap().by_currency[0].refunded;
    let mut refunded = charge(29, ChargeStatus::Captured);
    refunded.refunded = refunded.captured;
    refunded.status = ChargeStatus::Refunded;
    // The runner writes the gateway's answer before the dashboard hears of it.
    store.upsert_charges(&[refunded.clone()], t0()).unwrap();
    let effects = update(
        &mut model,
        Msg::ActionDone {
            key: crate::gateway::OperationKey::new(),
            action: crate::domain::Action::Refund,
            charge_id: refunded.id.clone(),
            amount: refunded.captured,
            result: Ok(Some(Box::new(refunded.clone()))),
        },
    );
    assert_reads_again(&effects);
    settle(&mut model, &store, effects);
    let after = window(&model).totals.clone().unwrap().by_currency[0].refunded;
    assert_eq!(after, before.checked_add(refunded.captured).unwrap());
    let row = model.screens.charges.list.get(&refunded.id).unwrap();
    assert_eq!(row.status, ChargeStatus::Refunded);
}
