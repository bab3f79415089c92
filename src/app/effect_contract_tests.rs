//! `update` as a pure function: what it asks of the outside world depends on the model
//! and the message only, and answers for requests it no longer waits for are dropped.

use crossterm::event::KeyCode;

use super::effect::Effect;
use super::fixtures::*;
use super::key_mint::KeyMint;
use super::msg::Msg;
use super::request::PageAnswer;
use super::update::update;
use crate::domain::ChargeStatus;

/// Opens the capture dialog on an authorisation and sends it.
fn capture(model: &mut super::model::Model) -> Vec<Effect> {
    select_status(model, ChargeStatus::Authorised);
    let _ = update(model, key('c'));
    update(model, code(KeyCode::Enter))
}

#[test]
fn a_write_takes_its_key_from_the_models_source() {
    let mut model = loaded(10, fixture_caps());
    model.key_mint = KeyMint::seeded(42);
    let mut twin = model.clone();
    let effects = capture(&mut model);
    assert_eq!(
        effects,
        capture(&mut twin),
        "same model, same message, same effects"
    );
    let [Effect::Capture { key, .. }] = effects.as_slice() else {
        panic!("expected a capture, got {effects:?}");
    };
    assert_eq!(*key, KeyMint::seeded(42).next_key());
}

#[test]
fn a_profile_opens_as_an_effect_and_its_answer_builds_the_new_dashboard() {
    let mut model = loaded(10, fixture_caps());
    model.screen = (120, 40);
    model.key_mint = KeyMint::seeded(9);
    let _ = model.key_mint.next_key();
    let mint = model.key_mint.clone();
    assert_eq!(
        command(&mut model, "profile other"),
        [Effect::SwitchProfile("other".into())]
    );
    // Meanwhile the keys would act on the profile being left: they are held.
    assert!(update(&mut model, key('c')).is_empty());
    assert!(matches!(model.mode, super::model::Mode::Normal));
    let _ = update(
        &mut model,
        Msg::ProfileWaiting(std::time::Duration::from_secs(2)),
    );
    assert!(
        model
            .toasts
            .iter()
            .any(|t| t.text == "waiting for key_command (2 s)…")
    );

    let mut other = session(fixture_caps());
    other.profile = "other".into();
    assert!(update(&mut model, Msg::ProfileOpened(Box::new(other))).is_empty());
    assert_eq!(model.session.profile, "other");
    assert_eq!(
        model.screens.charges.list.len(),
        0,
        "nothing of the last profile is kept"
    );
    assert!(model.toasts.is_empty());
    assert_eq!(model.screen, (120, 40));
    assert_eq!(model.key_mint, mint, "keys go on from where they were");
    // The keys are the operator's again, and the new profile is polled at once.
    assert!(matches!(
        update(&mut model, Msg::Tick(t0())).as_slice(),
        [Effect::Poll { newest: None, .. }]
    ));
    let _ = update(&mut model, key('?'));
    assert!(matches!(model.mode, super::model::Mode::Help { .. }));
}

#[test]
fn a_profile_that_cannot_open_leaves_the_dashboard_as_it_was() {
    let mut model = loaded(10, fixture_caps());
    let _ = command(&mut model, "profile other");
    let _ = update(&mut model, Msg::ProfileFailed("no key for other".into()));
    assert_eq!(model.session.profile, "test");
    assert_eq!(model.screens.charges.list.len(), 10);
    assert_eq!(
        model.toasts.back().map(|t| t.text.as_str()),
        Some("no key for other")
    );
    let _ = update(&mut model, key('?'));
    assert!(matches!(model.mode, super::model::Mode::Help { .. }));
}

fn customers(
    from: u32,
    count: u32,
    next: Option<u32>,
) -> crate::domain::Page<crate::domain::Customer> {
    crate::domain::Page {
        items: (from..from + count)
            .map(super::pane_tests::customer)
            .collect(),
        next: next.map(crate::domain::Cursor::Page),
        total: Some(80),
        skipped: Vec::new(),
    }
}

#[test]
fn a_page_asked_for_before_a_refresh_is_not_appended_after_it() {
    let mut model = loaded(5, fixture_caps());
    let _ = command(&mut model, "customers");
    let first = answer(&model, Ok(customers(1, 40, Some(2))));
    let _ = update(&mut model, Msg::CustomersLoaded(first));
    // The second page is asked for, then the screen is refreshed before it arrives.
    let effects = update(&mut model, key('G'));
    let [Effect::LoadCustomers(second)] = effects.as_slice() else {
        panic!("expected the second page asked for, got {effects:?}");
    };
    let second = second.clone();
    let effects = update(&mut model, key('R'));
    assert!(
        matches!(effects.as_slice(), [Effect::LoadCustomers(ask)] if ask.cursor.is_none()),
        "{effects:?}"
    );
    let late = PageAnswer {
        generation: second.generation,
        result: Ok(customers(41, 40, None)),
    };
    let _ = update(&mut model, Msg::CustomersLoaded(late));
    let fresh = answer(&model, Ok(customers(1, 40, Some(2))));
    let _ = update(&mut model, Msg::CustomersLoaded(fresh));
    let Some(super::screens::Pane::Customers(pane)) = model.screens.top() else {
        panic!("the customers screen is on top");
    };
    let ids: Vec<&str> = pane.list.items().iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), 40, "only the fresh first page: {ids:?}");
    assert_eq!(ids[0], "cus_1");
}
