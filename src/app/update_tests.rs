//! `update`, one message at a time: the model it leaves and the effects it asks for.

use crate::app::copy_menu::Copying;
use chrono::TimeDelta;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::dialogs::DialogState;
use super::effect::Effect;
use super::fixtures::*;
use super::model::{Focus, Loadable, Mode, ToastKind};
use super::msg::{Answer, Msg, Polled};
use super::poll::Freshness;
use super::update::update;
use crate::domain::{Action, ChargeStatus, Cursor, Page};
use crate::gateway::{GatewayError, OperationKey};
use crate::money::{Currency, Money};

fn aud(minor: i64) -> Money {
    Money::from_minor(minor, Currency::AUD)
}

fn polled(newer: Vec<crate::domain::Charge>) -> Msg {
    Msg::Polled(Ok(Polled {
        newer,
        refreshed: Vec::new(),
        total: None,
        older: None,
        first: false,
    }))
}

#[test]
fn a_due_tick_starts_one_poll_and_no_second_while_it_runs() {
    let mut model = loaded(10, fixture_caps());
    let later = t0() + TimeDelta::seconds(6);
    let effects = update(&mut model, Msg::Tick(later));
    match effects.as_slice() {
        [
            Effect::Poll {
                newest: Some((id, _)),
                refresh,
                from_store: false,
            },
        ] => {
            assert_eq!(id, "ch_0010");
            assert!(refresh.len() <= super::poll::REFRESH_PER_POLL);
            assert!(refresh.iter().all(|id| {
                model
                    .screens
                    .charges
                    .list
                    .get(id)
                    .unwrap()
                    .status
                    .may_change()
            }));
        }
        other => panic!("expected one poll, got {other:?}"),
    }
    assert!(update(&mut model, Msg::Tick(later + TimeDelta::seconds(10))).is_empty());
}

#[test]
fn the_first_poll_fills_the_table_and_fetches_older_pages() {
    let mut model = super::model::Model::new(
        session(fixture_caps()),
        Default::default(),
        std::time::Duration::from_secs(5),
        t0(),
    );
    assert!(matches!(
        update(&mut model, Msg::Tick(t0())).as_slice(),
        [Effect::Poll { newest: None, .. }]
    ));
    assert_eq!(model.poll.freshness(t0()), Freshness::Loading);
    let effects = update(
        &mut model,
        Msg::Polled(Ok(Polled {
            newer: vec![
                charge(2, ChargeStatus::Captured),
                charge(1, ChargeStatus::Captured),
            ],
            refreshed: Vec::new(),
            total: Some(3000),
            older: Some(Cursor::Page(2)),
            first: true,
        })),
    );
    assert!(matches!(effects.as_slice(), [Effect::LoadOlder(_)]));
    assert_eq!(page_cursor(&effects[0]), Some(Some(Cursor::Page(2))));
    assert_eq!(model.screens.charges.list.len(), 2);
    assert_eq!(model.screens.charges.list.total, Some(3000));
    assert!(model.new_marks.is_empty(), "the first load is not news");
    assert!(model.take_redraw());
    assert_eq!(model.poll.freshness(t0()), Freshness::Fresh { at: t0() });
}

#[test]
fn new_charges_are_marked_and_the_selection_stays_on_its_charge() {
    let mut model = loaded(10, fixture_caps());
    model.screens.charges.list.select_row(3);
    let selected = model.screens.charges.list.selected().unwrap().id.clone();
    let _ = update(&mut model, Msg::Tick(t0() + TimeDelta::seconds(6)));
    let _ = update(
        &mut model,
        polled(vec![
            charge(12, ChargeStatus::Captured),
            charge(11, ChargeStatus::Authorised),
        ]),
    );
    assert_eq!(model.screens.charges.list.selected().unwrap().id, selected);
    assert_eq!(model.screens.charges.list.row(0).unwrap().id, "ch_0012");
    assert!(model.is_new("ch_0012") && model.is_new("ch_0011"));
    assert!(model.take_redraw());
    // The marks fade by themselves.
    let _ = update(&mut model, Msg::Tick(t0() + TimeDelta::seconds(60)));
    assert!(!model.is_new("ch_0012"));
    assert!(model.take_redraw());
}

#[test]
fn an_unchanged_poll_draws_nothing() {
    let mut model = loaded(10, fixture_caps());
    let _ = update(&mut model, Msg::Tick(t0() + TimeDelta::seconds(6)));
    model.take_redraw();
    let _ = update(&mut model, polled(Vec::new()));
    assert!(!model.take_redraw());
}

#[test]
fn a_failing_gateway_is_backed_off_and_shown_as_stale() {
    let mut model = loaded(3, fixture_caps());
    let now = t0() + TimeDelta::seconds(6);
    let _ = update(&mut model, Msg::Tick(now));
    let _ = update(
        &mut model,
        Msg::Polled(Err(GatewayError::Unavailable {
            status: 503,
            message: "Service Unavailable".into(),
            retry_after: None,
        })),
    );
    assert!(
        matches!(model.poll.freshness(now), Freshness::Stale { why, .. } if why.contains("503"))
    );
    assert!(model.take_redraw());
    assert_eq!(model.poll.next_due, now + TimeDelta::seconds(10));
    assert!(
        update(&mut model, Msg::Tick(now + TimeDelta::seconds(7))).is_empty(),
        "backing off"
    );
}

#[test]
fn navigation_keys_move_the_selection_within_bounds() {
    let mut model = loaded(100, fixture_caps());
    let _ = update(&mut model, key('j'));
    let _ = update(&mut model, code(KeyCode::Down));
    assert_eq!(model.screens.charges.list.selected_row(), 2);
    let _ = update(&mut model, key('k'));
    assert_eq!(model.screens.charges.list.selected_row(), 1);
    let _ = update(&mut model, key('G'));
    assert_eq!(model.screens.charges.list.selected_row(), 99);
    let _ = update(&mut model, key('g'));
    assert_eq!(model.screens.charges.list.selected_row(), 0);
    let _ = update(&mut model, code(KeyCode::PageDown));
    let page = model.screens.charges.list.selected_row();
    assert!(page > 5, "a page is most of the screen: {page}");
    let _ = update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    assert!(model.screens.charges.list.selected_row() < page);
}

#[test]
fn enter_opens_the_charge_and_esc_closes_it() {
    let mut model = loaded(10, fixture_caps());
    let effects = update(&mut model, code(KeyCode::Enter));
    assert_eq!(
        effects,
        [
            Effect::LoadRefunds("ch_0010".into()),
            Effect::LoadChargeSettlement("ch_0010".into())
        ]
    );
    let detail = model.screens.charges.detail.as_ref().unwrap();
    assert_eq!(detail.charge_id, "ch_0010");
    assert_eq!(detail.refunds, Loadable::Loading);
    assert_eq!(
        model.screens.charges.focus,
        Focus::Detail,
        "at 100 columns the detail replaces the table"
    );
    let _ = update(
        &mut model,
        Msg::RefundsLoaded(Answer::new("ch_0010", Ok(Vec::new()))),
    );
    assert_eq!(
        model.screens.charges.detail.as_ref().unwrap().refunds,
        Loadable::Loaded(Vec::new())
    );
    let _ = update(&mut model, key('J'));
    assert!(model.screens.charges.detail.as_ref().unwrap().view.raw);
    let _ = update(&mut model, code(KeyCode::Esc));
    assert!(model.screens.charges.detail.is_none());
    assert_eq!(model.screens.charges.focus, Focus::Table);
}

#[test]
fn capture_is_offered_on_an_authorisation_and_sent_once() {
    let mut model = loaded(10, fixture_caps());
    let charge = select_status(&mut model, ChargeStatus::Authorised);
    assert!(update(&mut model, key('c')).is_empty());
    let dialog = action_dialog(&model);
    assert!(
        !dialog.amount_editable,
        "the fixture gateway captures whole authorisations only"
    );
    assert_eq!(
        dialog.confirmation().unwrap(),
        format!(
            "Capture {} of {} on {}",
            charge.amount, charge.amount, charge.id
        )
    );
    let effects = update(&mut model, code(KeyCode::Enter));
    match effects.as_slice() {
        [
            Effect::Capture {
                charge_id, amount, ..
            },
        ] => {
            assert_eq!(charge_id, &charge.id);
            assert_eq!(*amount, charge.amount);
        }
        other => panic!("expected a capture, got {other:?}"),
    }
    assert!(model.busy.contains_key(&charge.id));
    assert!(
        update(&mut model, code(KeyCode::Enter)).is_empty(),
        "a second Enter sends nothing"
    );
    // Even closing and reopening sends nothing while the first is in flight.
    let _ = update(&mut model, code(KeyCode::Esc));
    let _ = update(&mut model, key('c'));
    assert!(matches!(model.mode, Mode::Normal));
    assert!(model.toasts.back().unwrap().text.contains("in flight"));
}

#[test]
fn actions_the_charge_does_not_allow_are_not_offered() {
    let mut model = loaded(10, fixture_caps());
    select_status(&mut model, ChargeStatus::Captured);
    for k in ['c', 'v'] {
        assert!(update(&mut model, key(k)).is_empty());
        assert!(matches!(model.mode, Mode::Normal));
        assert!(last_toast(&model).contains("Only an authorised charge"));
    }
    select_status(&mut model, ChargeStatus::Declined);
    assert!(update(&mut model, key('r')).is_empty());
    assert!(matches!(model.mode, Mode::Normal));
    assert!(last_toast(&model).contains("Only a captured charge"));
}

#[test]
fn void_releases_an_authorisation() {
    let mut model = loaded(10, fixture_caps());
    let id = select_status(&mut model, ChargeStatus::Authorised).id;
    let _ = update(&mut model, key('v'));
    let dialog = action_dialog(&model);
    assert!(
        dialog
            .confirmation()
            .unwrap()
            .starts_with("Void the authorisation of")
    );
    let effects = update(&mut model, code(KeyCode::Enter));
    assert!(matches!(effects.as_slice(), [Effect::Void { charge_id, .. }] if *charge_id == id));
}

#[test]
fn refund_amounts_are_checked_as_typed_and_sent_exactly() {
    let mut model = loaded(10, fixture_caps());
    let charge = select_status(&mut model, ChargeStatus::Captured);
    let _ = update(&mut model, key('r'));
    let dialog = action_dialog(&model);
    assert_eq!(
        dialog.amount(),
        Ok(charge.refundable()),
        "defaults to what is left"
    );
    let dialog = retype_amount(&mut model, "12.345");
    assert_eq!(
        dialog.amount(),
        Err("AUD has at most 2 decimal places".into())
    );
    assert!(
        update(&mut model, code(KeyCode::Enter)).is_empty(),
        "a bad amount sends nothing"
    );
    let _ = update(&mut model, code(KeyCode::Backspace));
    let _ = update(&mut model, code(KeyCode::Backspace));
    type_text(&mut model, "0");
    let _ = update(&mut model, code(KeyCode::Tab));
    type_text(&mut model, "damaged");
    let dialog = action_dialog(&model);
    // The fixture gateway's refund takes only an amount: the dialog says where the reason goes.
    assert_eq!(
        dialog.confirmation().unwrap(),
        format!(
            "Refund A$12.30 of {} on {}; {} does not store the reason, so only the audit log keeps it",
            charge.amount, charge.id, model.session.gateway
        )
    );
    let effects = update(&mut model, code(KeyCode::Enter));
    match effects.as_slice() {
        [Effect::Refund { amount, reason, .. }] => {
            assert_eq!(*amount, aud(1230));
            assert_eq!(reason.as_deref(), Some("damaged"));
        }
        other => panic!("expected a refund, got {other:?}"),
    }
}

#[test]
fn a_refund_larger_than_what_is_left_is_refused_in_the_dialog() {
    let mut model = loaded(10, fixture_caps());
    select_status(&mut model, ChargeStatus::Captured);
    let _ = update(&mut model, key('r'));
    let dialog = retype_amount(&mut model, "100000");
    assert!(dialog.amount().unwrap_err().contains("is left to refund"));
    assert!(update(&mut model, code(KeyCode::Enter)).is_empty());
}

#[test]
fn partial_capture_where_the_gateway_can() {
    let mut model = loaded(10, caps_with(|c| c.partial_capture = true));
    select_status(&mut model, ChargeStatus::Authorised);
    let _ = update(&mut model, key('c'));
    let dialog = retype_amount(&mut model, "5");
    assert!(dialog.confirmation().unwrap().contains("is released"));
    let effects = update(&mut model, code(KeyCode::Enter));
    assert!(matches!(effects.as_slice(), [Effect::Capture { amount, .. }] if *amount == aud(500)));
}

#[test]
fn read_only_offers_no_action() {
    let mut model = loaded(10, fixture_caps());
    model.session.read_only = true;
    for status in [ChargeStatus::Authorised, ChargeStatus::Captured] {
        select_status(&mut model, status);
        for k in ['c', 'v', 'r'] {
            assert!(update(&mut model, key(k)).is_empty());
            assert!(matches!(model.mode, Mode::Normal));
        }
    }
}

#[test]
fn a_finished_action_updates_the_row_and_says_so() {
    let mut model = loaded(10, fixture_caps());
    let mut charge = select_status(&mut model, ChargeStatus::Authorised);
    let _ = update(&mut model, key('c'));
    let effects = update(&mut model, code(KeyCode::Enter));
    let [Effect::Capture { key, .. }] = effects.as_slice() else {
        panic!()
    };
    charge.status = ChargeStatus::Captured;
    charge.captured = charge.amount;
    let _ = update(
        &mut model,
        Msg::ActionDone {
            key: key.clone(),
            action: Action::Capture,
            charge_id: charge.id.clone(),
            amount: charge.amount,
            result: Ok(Some(Box::new(charge.clone()))),
        },
    );
    assert!(matches!(model.mode, Mode::Normal));
    assert_eq!(
        model.screens.charges.list.get(&charge.id).unwrap().status,
        ChargeStatus::Captured
    );
    assert!(model.busy.is_empty());
    let toast = model.toasts.back().unwrap();
    assert_eq!(toast.kind, ToastKind::Success);
    assert_eq!(
        toast.text,
        format!("Captured {} on {}", charge.amount, charge.id)
    );
}

#[test]
fn a_refused_action_shows_the_gateways_words_in_the_dialog() {
    let mut model = loaded(10, fixture_caps());
    let id = select_status(&mut model, ChargeStatus::Authorised).id;
    let _ = update(&mut model, key('v'));
    let _ = update(&mut model, code(KeyCode::Enter));
    let _ = update(
        &mut model,
        Msg::ActionDone {
            key: OperationKey::new(),
            action: Action::Void,
            charge_id: id,
            amount: aud(100),
            result: Err(GatewayError::Refused {
                code: "invalid_state".into(),
                message: "Authorisation has expired".into(),
            }),
        },
    );
    let dialog = action_dialog(&model);
    assert_eq!(
        dialog.state,
        DialogState::Failed("Authorisation has expired".into())
    );
    assert!(model.busy.is_empty());
}

#[test]
fn the_filter_applies_locally_and_reports_bad_terms() {
    let mut model = loaded(30, fixture_caps());
    let _ = update(&mut model, key('/'));
    type_text(&mut model, "status:nope");
    let Mode::Filter { error, .. } = &model.mode else {
        panic!("no filter bar")
    };
    assert!(error.as_deref().unwrap().contains("no status"));
    assert!(update(&mut model, code(KeyCode::Enter)).is_empty());
    assert!(
        matches!(model.mode, Mode::Filter { .. }),
        "a bad filter is not applied"
    );
    for _ in 0..4 {
        let _ = update(&mut model, code(KeyCode::Backspace));
    }
    type_text(&mut model, "authorised");
    let effects = update(&mut model, code(KeyCode::Enter));
    assert!(
        effects.is_empty(),
        "the fixture caps do not search on the server"
    );
    assert_eq!(model.screens.charges.list.filter_text, "status:authorised");
    assert_eq!(model.screens.charges.list.visible_len(), 10);
    assert!(
        (0..10)
            .all(|r| model.screens.charges.list.row(r).unwrap().status == ChargeStatus::Authorised)
    );
    let _ = update(&mut model, code(KeyCode::Esc));
    assert_eq!(
        model.screens.charges.list.visible_len(),
        30,
        "Esc clears the filter"
    );
}

#[test]
fn a_server_search_replaces_the_table_until_the_filter_is_cleared() {
    let mut model = loaded(30, caps_with(|c| c.server_search = true));
    let generation = search(&mut model, "buyer7@");
    assert!(model.screens.charges.searching);
    let _ = update(
        &mut model,
        Msg::Searched {
            generation,
            result: Ok(vec![
                charge(7, ChargeStatus::Captured),
                charge(700, ChargeStatus::Captured),
            ]),
        },
    );
    assert!(!model.screens.charges.searching);
    assert_eq!(
        model.screens.charges.list.visible_len(),
        1,
        "the local filter still applies to the gateway's matches"
    );
    let _ = update(&mut model, code(KeyCode::Esc));
    assert_eq!(model.screens.charges.list.visible_len(), 30);
    assert!(model.screens.charges.stash.is_none());
}

#[test]
fn commands_quit_refresh_and_switch_profile() {
    let mut model = loaded(5, fixture_caps());
    let effects = command(&mut model, "refresh");
    assert!(
        matches!(effects.as_slice(), [Effect::Poll { .. }]),
        "{effects:?}"
    );
    let _ = update(&mut model, key(':'));
    type_text(&mut model, "profile nope");
    let _ = update(&mut model, code(KeyCode::Enter));
    let Mode::Command { error, .. } = &model.mode else {
        panic!("the command line stays")
    };
    assert!(error.as_deref().unwrap().contains("No profile \"nope\""));
    let _ = update(&mut model, code(KeyCode::Esc));
    assert_eq!(
        command(&mut model, "profile other"),
        [Effect::SwitchProfile("other".into())]
    );
    let _ = command(&mut model, "q");
    assert!(model.quit);
}

#[test]
fn copy_refresh_help_and_quit_keys() {
    let mut model = loaded(5, fixture_caps());
    assert_eq!(
        update(&mut model, key('y')),
        [Effect::Copy(Copying::id("charge", "ch_0005"))]
    );
    let copied = Msg::Copied {
        what: "charge id".into(),
        result: Ok("OSC 52"),
    };
    let _ = update(&mut model, copied);
    assert!(model.toasts.back().unwrap().text.contains("OSC 52"));
    assert!(matches!(
        update(&mut model, key('R')).as_slice(),
        [Effect::Poll { .. }]
    ));
    let _ = update(&mut model, key('?'));
    assert!(matches!(model.mode, Mode::Help { .. }));
    let _ = update(&mut model, key('q'));
    assert!(
        matches!(model.mode, Mode::Normal) && !model.quit,
        "q closes the help first"
    );
    let _ = update(&mut model, key('q'));
    assert!(model.quit);
}

#[test]
fn ctrl_c_quits_even_while_typing() {
    let mut model = loaded(5, fixture_caps());
    let _ = update(&mut model, key('/'));
    type_text(&mut model, "q");
    assert!(!model.quit, "q is text in the filter bar");
    let _ = update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    assert!(model.quit);
}

#[test]
fn the_mouse_scrolls_and_selects() {
    let mut model = loaded(50, fixture_caps());
    let mouse = |kind, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column: 5,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let _ = update(&mut model, mouse(MouseEventKind::ScrollDown, 5));
    assert_eq!(model.screens.charges.list.selected_row(), 3);
    let regions = crate::app::layout::regions(ratatui::layout::Rect::new(0, 0, 100, 30), &model);
    let first_body_row = (0..30u16)
        .find(|r| crate::app::layout::table_row_at(&regions, 5, *r) == Some(0))
        .expect("a table body");
    let _ = update(
        &mut model,
        mouse(MouseEventKind::Down(MouseButton::Left), first_body_row + 4),
    );
    assert_eq!(
        model.screens.charges.list.selected_row(),
        model.screens.charges.list.offset() + 4
    );
}

#[test]
fn scrolling_near_the_end_fetches_the_next_page() {
    let mut model = loaded(30, fixture_caps());
    model.screens.charges.list.next = Some(Cursor::Page(2));
    let effects = update(&mut model, key('G'));
    assert!(matches!(effects.as_slice(), [Effect::LoadOlder(_)]));
    assert_eq!(page_cursor(&effects[0]), Some(Some(Cursor::Page(2))));
    assert!(
        update(&mut model, key('k')).is_empty(),
        "one page at a time"
    );
    let page = answer(
        &model,
        Ok(Page {
            items: vec![charge(-1, ChargeStatus::Captured)],
            next: None,
            total: Some(31),
            skipped: Vec::new(),
        }),
    );
    let _ = update(&mut model, Msg::OlderLoaded(page));
    assert_eq!(model.screens.charges.list.len(), 31);
    assert!(!model.screens.charges.list.loading);
}

#[test]
fn the_loop_sleeps_until_the_next_due_thing_and_not_while_a_poll_runs() {
    let mut model = loaded(3, fixture_caps());
    assert_eq!(model.next_wakeup(), model.poll.next_due, "the next poll");
    let due = model.poll.next_due;
    let effects = update(&mut model, Msg::Tick(due));
    assert!(matches!(effects.as_slice(), [Effect::Poll { .. }]));
    assert!(
        model.next_wakeup() > due,
        "an answer, not a timer, ends a running poll: {}",
        model.next_wakeup()
    );
    model.toast(ToastKind::Info, "hello");
    assert_eq!(model.next_wakeup(), model.toasts[0].until);
}

#[test]
fn partial_void_where_the_gateway_can() {
    let mut model = loaded(10, caps_with(|c| c.partial_void = true));
    let charge = select_status(&mut model, ChargeStatus::Authorised);
    let _ = update(&mut model, key('v'));
    let dialog = action_dialog(&model);
    assert!(dialog.amount_editable);
    let whole = update(&mut model.clone(), code(KeyCode::Enter));
    assert!(
        matches!(whole.as_slice(), [Effect::Void { partial: false, .. }]),
        "{whole:?}"
    );
    let dialog = retype_amount(&mut model, "5");
    let rest = charge.amount.checked_sub(aud(500)).unwrap();
    assert_eq!(
        dialog.confirmation().unwrap(),
        format!(
            "Void A$5.00 of the {} authorisation on {}; {rest} stays authorised",
            charge.amount, charge.id
        )
    );
    let effects = update(&mut model, code(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::Void { partial: true, amount, .. }] if *amount == aud(500)),
        "{effects:?}"
    );
}

#[test]
fn a_search_asked_for_before_the_same_filter_was_applied_again_is_dropped() {
    let mut model = loaded(30, caps_with(|c| c.server_search = true));
    let stale = search(&mut model, "buyer7@");
    let _ = filter(&mut model, "");
    let fresh = search(&mut model, "buyer7@");
    let _ = update(
        &mut model,
        Msg::Searched {
            generation: stale,
            result: Ok(vec![charge(700, ChargeStatus::Captured)]),
        },
    );
    assert!(
        model.screens.charges.searching,
        "still waiting for the new search"
    );
    assert!(
        model.screens.charges.stash.is_none(),
        "the stale answer is dropped"
    );
    let _ = update(
        &mut model,
        Msg::Searched {
            generation: fresh,
            result: Ok(vec![charge(7, ChargeStatus::Captured)]),
        },
    );
    assert!(!model.screens.charges.searching);
    assert!(model.screens.charges.stash.is_some());
}
