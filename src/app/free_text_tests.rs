//! Free text finds what the README promises on every gateway: where the gateway's search
//! cannot match a field, the charges held are matched here as well, and the filter bar
//! says how many came from where.

use crossterm::event::KeyCode;

use super::fixtures::*;
use super::model::{Mode, SearchNote};
use super::msg::Msg;
use super::update::update;
use crate::domain::ChargeStatus;
use crate::gateway::Capabilities;
use crate::test_gateways::WITH_DISPUTES;

#[test]
fn held_charges_the_gateways_search_missed_are_shown_too() {
    let mut model = loaded(30, caps_with(|c| c.server_search = true));
    // Every fixture charge is on a card ending 4242; some gateways' search has no card numbers
    // and finds only the one whose metadata says 4242.
    let generation = search(&mut model, "4242");
    let mut from_metadata = charge(45, ChargeStatus::Captured);
    from_metadata.card = None;
    from_metadata
        .metadata
        .insert("order".into(), "PO-4242".into());
    let _ = update(
        &mut model,
        Msg::Searched {
            generation,
            result: Ok(vec![from_metadata, charge(12, ChargeStatus::Captured)]),
        },
    );
    assert_eq!(
        model.screens.charges.list.visible_len(),
        31,
        "30 held and 1 from the gateway"
    );
    assert_eq!(
        model.screens.charges.search_note,
        Some(SearchNote {
            found: 2,
            more: 29,
            held: 30
        })
    );
    // Newest first, the gateway's and the held ones interleaved by time.
    let ids: Vec<String> = (0..3)
        .map(|r| model.screens.charges.list.row(r).unwrap().id.clone())
        .collect();
    assert_eq!(ids, ["ch_0045", "ch_0030", "ch_0029"]);
    let _ = update(&mut model, code(KeyCode::Esc));
    assert_eq!(
        model.screens.charges.search_note, None,
        "cleared with the filter"
    );
    assert_eq!(model.screens.charges.list.visible_len(), 30);
}

#[test]
fn a_gateway_that_stores_the_reason_gets_the_plain_sentence() {
    let mut model = loaded(
        10,
        Capabilities {
            server_search: false,
            ..WITH_DISPUTES.caps
        },
    );
    model.session.gateway = WITH_DISPUTES.label;
    select_status(&mut model, ChargeStatus::Captured);
    let _ = update(&mut model, key('r'));
    let _ = update(&mut model, code(KeyCode::Tab));
    type_text(&mut model, "damaged");
    let dialog = action_dialog(&model);
    let sentence = dialog.confirmation().unwrap();
    assert!(sentence.starts_with("Refund "), "{sentence}");
    assert!(!sentence.contains("does not store"), "{sentence}");
}

#[test]
fn an_unknown_key_is_refused_not_searched_as_text() {
    let mut model = loaded(10, fixture_caps());
    assert!(filter(&mut model, "foo:bar").is_empty());
    let Mode::Filter { error, .. } = &model.mode else {
        panic!("the filter bar stays open")
    };
    assert!(error.as_deref().unwrap().starts_with("no filter foo:;"));
    assert_eq!(
        model.screens.charges.list.filter_text, "",
        "nothing applied"
    );
}

#[test]
fn on_today_is_the_utc_day_of_the_models_clock() {
    let mut model = loaded(30, fixture_caps());
    let _ = filter(&mut model, "on:today");
    let filter = model.screens.charges.list.filter();
    let today = model.now.date_naive();
    assert_eq!(filter.from.map(|t| t.date_naive()), Some(today));
    assert_eq!(
        filter.until.map(|t| t.date_naive()),
        today.succ_opt(),
        "until the next midnight"
    );
    assert!(model.screens.charges.list.visible_len() > 0);
}
