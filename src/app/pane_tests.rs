//! `update` on the customers, customer, refunds and charge screens.

use chrono::TimeDelta;
use crossterm::event::KeyCode;

use super::dialogs::confirm::Irreversible;
use super::dialogs::new_charge::ChargeField;
use super::effect::Effect;
use super::fixtures::*;
use super::model::{Loadable, Mode, Model, ToastKind};
use super::msg::{Answer, Msg};
use super::request::PageAnswer;
use super::screens::{Pane, Section};
use super::update::update;
use crate::domain::{
    Card, CardBrand, ChargeStatus, Customer, Page, RawJson, Refund, RefundStatus, Subscription,
    SubscriptionState,
};

use crate::money::{Currency, Money};

pub(super) fn customer(n: u32) -> Customer {
    Customer {
        id: format!("cus_{n}"),
        email: format!("person{n}@example.com"),
        first_name: Some(format!("Person{n}")),
        last_name: Some("Example".into()),
        phone: None,
        company: None,
        notes: None,
        created: t0() - TimeDelta::days(40),
        primary_card: Some(card("card_p", true)),
        raw: RawJson::default(),
    }
}

fn card(id: &str, primary: bool) -> Card {
    Card {
        id: id.into(),
        brand: CardBrand::Visa,
        last4: "4242".into(),
        expiry_month: 12,
        expiry_year: 2030,
        name: None,
        primary,
        customer_id: Some("cus_1".into()),
        raw: RawJson::default(),
    }
}

fn subscription(id: &str, state: SubscriptionState) -> Subscription {
    Subscription {
        id: id.into(),
        customer_id: "cus_1".into(),
        plan_id: "plan_coffee".into(),
        plan: None,
        state,
        next_billing: None,
        created: t0() - TimeDelta::days(10),
        cancelled_at: None,
        card_id: None,
        raw: RawJson::default(),
    }
}

/// A model with customer `cus_1` open: two cards (the first primary), an active and a
/// cancelled subscription, and three charges.
fn customer_open() -> Model {
    customer_open_on(fixture_caps())
}

/// The same, on a gateway that can do what `caps` says.
pub(super) fn customer_open_on(caps: crate::gateway::Capabilities) -> Model {
    let mut model = loaded(5, caps);
    let effects = command(&mut model, "customers");
    assert!(matches!(effects.as_slice(), [Effect::LoadCustomers(_)]));
    assert_eq!(page_cursor(&effects[0]), Some(None));
    let page = answer(
        &model,
        Ok(last_page(vec![customer(1), customer(2)], Some(2))),
    );
    let _ = update(&mut model, Msg::CustomersLoaded(page));
    let effects = update(&mut model, code(KeyCode::Enter));
    let [Effect::LoadCustomer { id, charges }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(id, "cus_1");
    let generation = charges.generation;
    let _ = run(
        &mut model,
        [
            Msg::CustomerLoaded(Answer::new("cus_1", Ok(customer(1)))),
            Msg::CardsLoaded(Answer::new(
                "cus_1",
                Ok(vec![card("card_p", true), card("card_2", false)]),
            )),
            Msg::SubscriptionsLoaded(Answer::new(
                "cus_1",
                Ok(vec![
                    subscription("sub_live", SubscriptionState::Active),
                    subscription("sub_done", SubscriptionState::Cancelled),
                ]),
            )),
            Msg::CustomerChargesLoaded {
                customer_id: "cus_1".into(),
                answer: PageAnswer {
                    generation,
                    result: Ok(last_page(
                        vec![
                            charge(3, ChargeStatus::Authorised),
                            charge(2, ChargeStatus::Captured),
                            charge(1, ChargeStatus::Captured),
                        ],
                        None,
                    )),
                },
            },
        ],
    );
    model
}

pub(super) fn pane(model: &Model) -> &super::screens::CustomerPane {
    match model.screens.top() {
        Some(Pane::Customer(pane)) => pane,
        other => panic!("no customer pane: {other:?}"),
    }
}

#[test]
fn customers_open_filter_drill_down_and_back() {
    let mut model = customer_open();
    assert_eq!(
        model.breadcrumb(),
        ["charges", "customers", "customer person1@example.com"]
    );
    assert_eq!(pane(&model).charges.visible_len(), 3);
    assert!(matches!(pane(&model).cards.items, Loadable::Loaded(ref c) if c.len() == 2));
    let _ = update(&mut model, code(KeyCode::Esc));
    assert_eq!(model.breadcrumb(), ["charges", "customers"]);
    let _ = filter(&mut model, "person2");
    let Some(Pane::Customers(customers)) = model.screens.top() else {
        panic!()
    };
    assert_eq!(customers.list.visible_len(), 1);
    assert_eq!(customers.list.selected().unwrap().id, "cus_2");
    let _ = update(&mut model, code(KeyCode::Esc));
    assert_eq!(model.breadcrumb(), ["charges"]);
}

#[test]
fn from_a_charge_to_its_customer_and_into_their_charges() {
    let mut model = loaded(5, fixture_caps());
    let mut with_customer = charge(6, ChargeStatus::Captured);
    with_customer.customer_id = Some("cus_1".into());
    arrives_selected(&mut model, with_customer);
    let effects = update(&mut model, key('o'));
    assert!(
        matches!(effects.as_slice(), [Effect::LoadCustomer { id, .. }] if id == "cus_1"),
        "{effects:?}"
    );
    assert!(matches!(model.screens.top(), Some(Pane::Customer(_))));

    let mut model = customer_open();
    let effects = update(&mut model, code(KeyCode::Enter));
    assert_eq!(
        effects,
        [
            Effect::LoadRefunds("ch_0003".into()),
            Effect::LoadCharge("ch_0003".into()),
            Effect::LoadChargeSettlement("ch_0003".into())
        ],
        "held, so shown at once, and read again in case it changed"
    );
    assert_eq!(model.breadcrumb().last().unwrap(), "charge ch_0003");
    let _ = update(&mut model, key('c'));
    assert_eq!(
        action_dialog(&model).charge_id,
        "ch_0003",
        "the same actions as on the charges list"
    );
}

#[test]
fn the_customers_charges_take_the_same_actions() {
    let mut model = customer_open();
    assert_eq!(pane(&model).section, Section::Charges);
    let _ = update(&mut model, key('c'));
    let dialog = action_dialog(&model);
    assert_eq!(dialog.charge_id, "ch_0003");
    let effects = update(&mut model, code(KeyCode::Enter));
    assert!(matches!(effects.as_slice(), [Effect::Capture { .. }]));
}

#[test]
fn deleting_a_non_primary_card_is_confirmed_then_sent_once() {
    let mut model = customer_open();
    let _ = update(&mut model, code(KeyCode::Tab));
    assert_eq!(pane(&model).section, Section::Cards);
    let _ = update(&mut model, key('j'));
    let _ = update(&mut model, key('d'));
    let dialog = confirm_dialog(&model);
    assert!(dialog.sentence.contains("cannot be undone"));
    assert!(dialog.warning.is_none());
    let confirmed = confirm(&mut model);
    assert_eq!(
        confirmed.1,
        Irreversible::DeleteCard {
            customer_id: "cus_1".into(),
            card_id: "card_2".into()
        }
    );
    assert!(
        update(&mut model, code(KeyCode::Enter)).is_empty(),
        "sent once"
    );
    let effects = confirmed_done(&mut model, confirmed, Ok(()));
    assert!(
        matches!(effects.as_slice(), [Effect::LoadCustomer { id, .. }] if id == "cus_1"),
        "the cards are read back: {effects:?}"
    );
    assert!(matches!(model.mode, Mode::Normal));
    assert_eq!(model.toasts.back().unwrap().text, "Deleted card card_2");
}

#[test]
fn only_running_subscriptions_can_be_cancelled() {
    let mut model = customer_open();
    let _ = update(&mut model, code(KeyCode::Tab));
    let _ = update(&mut model, code(KeyCode::Tab));
    assert_eq!(pane(&model).section, Section::Subscriptions);
    let _ = update(&mut model, key('j'));
    assert!(update(&mut model, key('x')).is_empty());
    assert!(matches!(model.mode, Mode::Normal));
    assert!(model.toasts.back().unwrap().text.contains("is cancelled"));
    let _ = update(&mut model, key('k'));
    let _ = update(&mut model, key('x'));
    assert!(matches!(model.mode, Mode::Confirm(_)));
    let effects = update(&mut model, code(KeyCode::Enter));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Confirmed { action: Irreversible::CancelSubscription { subscription_id, .. }, .. }] if subscription_id == "sub_live"
    ));
}

#[test]
fn deleting_a_customer_needs_their_email_typed() {
    let mut model = customer_open();
    let _ = update(&mut model, key('D'));
    assert!(
        update(&mut model, code(KeyCode::Enter)).is_empty(),
        "nothing typed yet"
    );
    type_text(&mut model, "person1@example.co");
    assert!(
        update(&mut model, code(KeyCode::Enter)).is_empty(),
        "not quite the email"
    );
    type_text(&mut model, "m");
    let confirmed = confirm(&mut model);
    let _ = confirmed_done(&mut model, confirmed, Ok(()));
    assert_eq!(
        model.breadcrumb(),
        ["charges", "customers"],
        "the customer's screen closes"
    );
    let Some(Pane::Customers(customers)) = model.screens.top() else {
        panic!()
    };
    assert!(customers.list.items().iter().all(|c| c.id != "cus_1"));
}

#[test]
fn charging_a_saved_card_sends_exact_money() {
    let mut model = customer_open();
    let _ = update(&mut model, key('n'));
    let Mode::NewCharge(dialog) = &model.mode else {
        panic!("no dialog")
    };
    assert_eq!(dialog.card, "Visa ••4242 (primary)");
    assert!(dialog.confirmation().is_err());
    type_text(&mut model, "12.5");
    let _ = update(&mut model, code(KeyCode::Tab));
    let _ = update(&mut model, code(KeyCode::Tab));
    type_text(&mut model, "Phone order");
    let _ = update(&mut model, code(KeyCode::Tab));
    let _ = update(&mut model, key(' '));
    let Mode::NewCharge(dialog) = &model.mode else {
        panic!()
    };
    assert_eq!(
        dialog.confirmation().unwrap(),
        "Authorise A$12.50 on Visa ••4242 (primary) (person1@example.com) for \"Phone order\""
    );
    let effects = update(&mut model, code(KeyCode::Enter));
    let [
        Effect::ChargeCustomer {
            key,
            amount,
            capture,
            description,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(*amount, Money::from_minor(1250, Currency::AUD));
    assert!(!capture);
    assert_eq!(description, "Phone order");
    let mut made = charge(9, ChargeStatus::Authorised);
    made.customer_id = Some("cus_1".into());
    let _ = update(
        &mut model,
        Msg::CustomerCharged {
            key: key.clone(),
            answer: Answer::new("cus_1", Ok(Box::new(made))),
        },
    );
    assert!(matches!(model.mode, Mode::Normal));
    assert_eq!(pane(&model).charges.row(0).unwrap().id, "ch_0009");
    assert_eq!(model.toasts.back().unwrap().kind, ToastKind::Success);
}

#[test]
fn a_bad_amount_for_a_saved_card_sends_nothing() {
    let mut model = customer_open();
    let _ = update(&mut model, key('n'));
    type_text(&mut model, "1e3");
    let _ = update(&mut model, code(KeyCode::Tab));
    let _ = update(&mut model, code(KeyCode::Tab));
    type_text(&mut model, "x");
    assert!(update(&mut model, code(KeyCode::Enter)).is_empty());
}

/// Enter on a charge not yet complete moves on to the next field, as Tab does; once
/// complete, it sends.
#[test]
fn enter_on_an_unfinished_charge_moves_to_the_next_field() {
    let mut model = customer_open();
    let _ = update(&mut model, key('n'));
    let field = |model: &Model| match &model.mode {
        Mode::NewCharge(dialog) => dialog.field,
        other => panic!("the dialog closed: {other:?}"),
    };
    type_text(&mut model, "12.5");
    assert!(update(&mut model, code(KeyCode::Enter)).is_empty());
    assert_eq!(field(&model), ChargeField::Currency, "no description yet");
    let _ = update(&mut model, code(KeyCode::Enter));
    assert_eq!(field(&model), ChargeField::Description);
    type_text(&mut model, "Phone order");
    let effects = update(&mut model, code(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::ChargeCustomer { .. }]),
        "{effects:?}"
    );
}

#[test]
fn read_only_offers_no_change_to_customers() {
    let mut model = customer_open();
    model.session.read_only = true;
    for k in ['n', 'D'] {
        assert!(update(&mut model, key(k)).is_empty());
        assert!(matches!(model.mode, Mode::Normal));
    }
    let _ = update(&mut model, code(KeyCode::Tab));
    assert!(update(&mut model, key('d')).is_empty());
    assert!(matches!(model.mode, Mode::Normal));
}

#[test]
fn refunds_list_filter_and_jump_to_the_charge() {
    let mut model = loaded(5, fixture_caps());
    let effects = command(&mut model, "refunds");
    assert!(matches!(effects.as_slice(), [Effect::LoadRefundList(_)]));
    assert_eq!(page_cursor(&effects[0]), Some(None));
    let refund = |id: &str, status| Refund {
        id: id.into(),
        charge_id: "ch_9999".into(),
        amount: Money::from_minor(500, Currency::AUD),
        status,
        created: t0(),
        reason: None,
        error_message: None,
        raw: RawJson::default(),
    };
    let page = answer(
        &model,
        Ok(last_page(
            vec![
                refund("rf_1", RefundStatus::Pending),
                refund("rf_2", RefundStatus::Succeeded),
            ],
            None,
        )),
    );
    let _ = update(&mut model, Msg::RefundListLoaded(page));
    let _ = filter(&mut model, "status:pending");
    let Some(Pane::Refunds(refunds)) = model.screens.top() else {
        panic!()
    };
    assert_eq!(refunds.list.visible_len(), 1);
    let effects = update(&mut model, code(KeyCode::Enter));
    assert_eq!(
        effects,
        [
            Effect::LoadRefunds("ch_9999".into()),
            Effect::LoadCharge("ch_9999".into()),
            Effect::LoadChargeSettlement("ch_9999".into())
        ]
    );
    let _ = update(
        &mut model,
        Msg::ChargeLoaded(Answer::new(
            "ch_9999",
            Ok(Box::new(charge(9999, ChargeStatus::Refunded))),
        )),
    );
    let Some(Pane::Charge(pane)) = model.screens.top() else {
        panic!()
    };
    assert!(matches!(pane.own_copy(), Some(c) if c.id == "ch_9999"));
}

#[test]
fn a_pending_3ds_charge_is_verified() {
    let mut model = loaded(5, fixture_caps());
    let mut pending = charge(6, ChargeStatus::Pending3ds);
    pending.three_d_secure_session = Some("se_abc".into());
    let _ = update(&mut model, Msg::Tick(t0() + TimeDelta::seconds(6)));
    let _ = update(
        &mut model,
        Msg::Polled(Ok(super::msg::Polled {
            newer: vec![pending.clone()],
            refreshed: Vec::new(),
            total: None,
            older: None,
            first: false,
        })),
    );
    model.screens.charges.list.select_row(0);
    let effects = update(&mut model, key('a'));
    assert!(matches!(effects.as_slice(), [Effect::Verify { session, .. }] if session == "se_abc"));
    pending.status = ChargeStatus::Captured;
    let _ = update(
        &mut model,
        Msg::Verified(Answer::new("se_abc", Ok(Box::new(pending)))),
    );
    assert_eq!(
        model.screens.charges.list.get("ch_0006").unwrap().status,
        ChargeStatus::Captured
    );
    assert!(model.toasts.back().unwrap().text.contains("verified"));
    let effects = command(&mut model, "verify se_typed");
    assert!(
        matches!(effects.as_slice(), [Effect::Verify { session, .. }] if session == "se_typed")
    );
}

#[test]
fn the_mouse_selects_in_a_customers_charges() {
    let mut model = customer_open();
    let area = ratatui::layout::Rect::new(0, 0, model.screen.0, model.screen.1);
    let regions = crate::app::layout::regions(area, &model);
    let first = (0..model.screen.1)
        .find(|r| crate::app::layout::table_row_at(&regions, 5, *r) == Some(0))
        .expect("the customer's charges table");
    let click = crossterm::event::MouseEvent {
        kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
        column: 5,
        row: first + 2,
        modifiers: crossterm::event::KeyModifiers::NONE,
    };
    let _ = update(&mut model, Msg::Mouse(click));
    assert_eq!(pane(&model).charges.selected().unwrap().id, "ch_0001");
}

#[test]
fn scrolling_the_customers_fetches_their_next_page_once() {
    let mut model = loaded(5, fixture_caps());
    let _ = command(&mut model, "customers");
    let page = Page {
        items: (1..=40).map(customer).collect(),
        next: Some(crate::domain::Cursor::Page(2)),
        total: Some(80),
        skipped: Vec::new(),
    };
    let page = answer(&model, Ok(page));
    let _ = update(&mut model, Msg::CustomersLoaded(page));
    let effects = update(&mut model, key('G'));
    assert!(matches!(effects.as_slice(), [Effect::LoadCustomers(_)]));
    assert_eq!(
        page_cursor(&effects[0]),
        Some(Some(crate::domain::Cursor::Page(2)))
    );
    assert!(
        update(&mut model, key('k')).is_empty(),
        "the page is already on its way"
    );
}

#[test]
fn a_customers_charges_asked_for_before_a_refresh_are_not_added_after_it() {
    let mut model = customer_open();
    let stale = pane(&model).charges.generation;
    let effects = update(&mut model, key('R'));
    let [Effect::LoadCustomer { charges, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_ne!(
        charges.generation, stale,
        "a refresh asks under a new generation"
    );
    let page = |n: i64| last_page(vec![charge(n, ChargeStatus::Captured)], None);
    let _ = update(
        &mut model,
        Msg::CustomerChargesLoaded {
            customer_id: "cus_1".into(),
            answer: PageAnswer {
                generation: stale,
                result: Ok(page(9)),
            },
        },
    );
    assert!(pane(&model).charges.is_empty(), "the stale page is dropped");
    assert!(
        pane(&model).charges.loading,
        "the fresh page is still awaited"
    );
    let _ = update(
        &mut model,
        Msg::CustomerChargesLoaded {
            customer_id: "cus_1".into(),
            answer: PageAnswer {
                generation: charges.generation,
                result: Ok(page(4)),
            },
        },
    );
    let ids: Vec<&str> = pane(&model).charges.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["ch_0004"]);
}
