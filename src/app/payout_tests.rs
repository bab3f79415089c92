//! `update` on payouts: the list, a payout's lines and the jump to a line's charge, the
//! balance, and a charge's fee and payout in its detail.

use crossterm::event::KeyCode;

use super::effect::Effect;
use super::fixtures::*;
use super::model::{Loadable, Model};
use super::msg::{Answer, Msg};
use super::screens::Pane;
use super::update::update;
use crate::domain::{
    Balance, BalanceAmounts, ChargeSettlement, Cursor, LineKind, Page, PayoutPlace, RawJson,
};
use crate::gateway::GatewayError;
use crate::money::{Currency, Money};

/// `:payouts` answered with payouts 1..=3, newest first.
fn payouts_open(caps: crate::gateway::Capabilities) -> Model {
    let mut model = loaded(5, caps);
    let effects = command(&mut model, "payouts");
    assert!(
        matches!(effects.as_slice(), [Effect::LoadPayouts(_)]),
        "{effects:?}"
    );
    assert_eq!(page_cursor(&effects[0]), Some(None));
    let page = answer(
        &model,
        Ok(last_page(vec![payout(1), payout(2), payout(3)], None)),
    );
    let _ = update(&mut model, Msg::PayoutsLoaded(page));
    model
}

/// A page of lines: a charge, a refund of it, a fee with no charge; more to come
/// when `next` says where.
fn lines_page(next: Option<u32>) -> Page<crate::domain::BalanceLine> {
    Page {
        items: vec![
            balance_line(LineKind::Charge, 10_000, Some("ch_0002")),
            balance_line(LineKind::Refund, -2_000, Some("ch_0002")),
            balance_line(LineKind::Fee, 0, None),
        ],
        next: next.map(Cursor::Page),
        total: None,
        skipped: Vec::new(),
    }
}

fn top_payout(model: &Model) -> &super::screens::PayoutPane {
    match model.screens.top() {
        Some(Pane::Payout(pane)) => pane,
        other => panic!("no payout on top: {other:?}"),
    }
}

/// The payouts list with the newest payout opened and its first page of lines in.
fn payout_open(next: Option<u32>) -> Model {
    let mut model = payouts_open(payout_caps());
    let effects = update(&mut model, code(KeyCode::Enter));
    let [Effect::LoadPayoutLines { payout_id, ask }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(payout_id, "po_0001");
    assert_eq!(ask.cursor, None);
    assert!(matches!(top_payout(&model).payout, Loadable::Loaded(_)));
    lines_arrive(&mut model, Ok(lines_page(next)));
    model
}

/// The gateway's answer to the page of po_0001's lines the screen awaits.
fn lines_arrive(model: &mut Model, result: Result<Page<crate::domain::BalanceLine>, GatewayError>) {
    let page = answer(model, result);
    let _ = update(
        model,
        Msg::PayoutLinesLoaded {
            payout_id: "po_0001".into(),
            answer: page,
        },
    );
}

#[test]
fn payouts_open_newest_first_and_enter_opens_one_with_its_lines() {
    let mut model = payout_open(None);
    assert_eq!(
        model.screens.crumbs(),
        ["charges", "payouts", "payout po_0001"]
    );
    let pane = top_payout(&model);
    assert_eq!(pane.lines.as_ref().map(|l| l.len()), Some(3));
    assert!(pane.all_lines_loaded());
    // Back: the payouts list again, as it was.
    let _ = update(&mut model, code(KeyCode::Esc));
    assert!(matches!(model.screens.top(), Some(Pane::Payouts(_))));
    assert_eq!(model.screens.position(), Some((0, 3)));
}

#[test]
fn moving_down_the_lines_asks_for_their_next_page() {
    let mut model = payout_open(Some(2));
    assert!(!top_payout(&model).all_lines_loaded());
    let effects = update(&mut model, key('j'));
    let [Effect::LoadPayoutLines { payout_id, ask }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(payout_id, "po_0001");
    assert_eq!(ask.cursor, Some(Cursor::Page(2)));
    // Nothing more is asked while it is on its way.
    assert!(update(&mut model, key('j')).is_empty());
    lines_arrive(&mut model, Ok(lines_page(None)));
    let pane = top_payout(&model);
    assert_eq!(pane.lines.as_ref().map(|l| l.len()), Some(6));
    assert!(pane.all_lines_loaded());
}

#[test]
fn enter_on_a_line_opens_its_charge_and_back_returns_to_the_payout() {
    let mut model = payout_open(None);
    let effects = update(&mut model, code(KeyCode::Enter));
    let Some(Pane::Charge(detail)) = model.screens.top() else {
        panic!("no charge on top: {:?}", model.screens.top());
    };
    assert_eq!(detail.charge_id, "ch_0002");
    assert!(effects.contains(&Effect::LoadCharge("ch_0002".into())));
    assert!(effects.contains(&Effect::LoadChargeSettlement("ch_0002".into())));
    let _ = update(&mut model, code(KeyCode::Esc));
    assert_eq!(top_payout(&model).payout_id, "po_0001");
    assert_eq!(model.screens.position(), Some((0, 3)));
}

#[test]
fn a_line_without_a_charge_says_so_and_opens_nothing() {
    let mut model = payout_open(None);
    let _ = update(&mut model, key('j'));
    let _ = update(&mut model, key('j'));
    let hints = super::screens::hints(&model);
    assert!(hints.contains(&(super::keymap::Intent::Open, "no charge on this line")));
    assert!(update(&mut model, code(KeyCode::Enter)).is_empty());
    assert_eq!(last_toast(&model), "This fee line has no charge");
    assert_eq!(top_payout(&model).payout_id, "po_0001");
}

#[test]
fn an_answer_for_lines_since_refreshed_is_dropped_and_a_failure_is_kept() {
    let mut model = payout_open(Some(2));
    let old = answer(&model, Ok(lines_page(None)));
    let effects = update(&mut model, key('R'));
    assert!(
        effects.contains(&Effect::LoadPayout("po_0001".into())),
        "{effects:?}"
    );
    let _ = update(
        &mut model,
        Msg::PayoutLinesLoaded {
            payout_id: "po_0001".into(),
            answer: old,
        },
    );
    assert_eq!(top_payout(&model).lines.as_ref().map(|l| l.len()), Some(0));
    lines_arrive(&mut model, Err(GatewayError::Timeout));
    let _ = update(
        &mut model,
        Msg::PayoutLoaded(Answer::new("po_0001", Err(GatewayError::Timeout))),
    );
    let pane = top_payout(&model);
    assert!(pane.lines.as_ref().is_some_and(|l| l.error.is_some()));
    assert!(matches!(pane.payout, Loadable::Failed(_)));
}

#[test]
fn without_payouts_the_commands_are_not_offered_and_say_why() {
    let mut model = loaded(
        5,
        caps_with(|c| {
            c.payouts = false;
            c.balance = false;
        }),
    );
    let names = super::command::names(&model.session.caps);
    assert!(
        !names.contains(":payouts") && !names.contains(":balance"),
        "{names}"
    );
    assert!(command(&mut model, "payouts").is_empty());
    assert!(last_toast(&model).ends_with("has no payouts paydeck can read"));
    assert!(command(&mut model, "balance").is_empty());
    assert!(last_toast(&model).ends_with("has no balance paydeck can read"));
    assert!(model.screens.at_bottom());
}

#[test]
fn read_only_profiles_read_payouts_and_the_balance() {
    let mut caps = payout_caps();
    caps.payout_lines = false;
    let mut model = loaded(5, caps);
    model.session.read_only = true;
    assert!(matches!(
        command(&mut model, "payouts").as_slice(),
        [Effect::LoadPayouts(_)]
    ));
    let page = answer(&model, Ok(last_page(vec![payout(1)], None)));
    let _ = update(&mut model, Msg::PayoutsLoaded(page));
    // A gateway without lines: the payout opens with none asked for.
    assert!(update(&mut model, code(KeyCode::Enter)).is_empty());
    assert!(top_payout(&model).lines.is_none());
    assert_eq!(command(&mut model, "balance"), [Effect::LoadBalance]);
}

#[test]
fn the_balance_loads_fails_and_refreshes() {
    let mut model = loaded(5, payout_caps());
    assert_eq!(command(&mut model, "balance"), [Effect::LoadBalance]);
    let _ = update(&mut model, Msg::BalanceLoaded(Err(GatewayError::Timeout)));
    let Some(Pane::Balance(pane)) = model.screens.top() else {
        panic!("no balance on top");
    };
    assert!(matches!(pane.balance, Loadable::Failed(_)));
    assert_eq!(update(&mut model, key('R')), [Effect::LoadBalance]);
    let balance = Balance {
        amounts: vec![
            BalanceAmounts::new(
                Money::from_minor(12_345, Currency::AUD),
                Some(Money::from_minor(500, Currency::AUD)),
            )
            .unwrap(),
        ],
        raw: RawJson::default(),
    };
    let _ = update(
        &mut model,
        Msg::BalanceLoaded(Ok(Box::new(balance.clone()))),
    );
    let Some(Pane::Balance(pane)) = model.screens.top() else {
        panic!("no balance on top");
    };
    assert_eq!(pane.balance, Loadable::Loaded(balance));
}

/// Charge 2 open on its own, its settlement answered with `settlement`.
fn settled_charge(settlement: Result<ChargeSettlement, GatewayError>) -> Model {
    let mut model = loaded(5, payout_caps());
    let effects = super::screens::charge::open_charge(&mut model, "ch_0002");
    assert!(effects.contains(&Effect::LoadChargeSettlement("ch_0002".into())));
    let _ = update(
        &mut model,
        Msg::ChargeSettlementLoaded(Answer::new("ch_0002", settlement)),
    );
    model
}

fn settlement(payout: PayoutPlace) -> ChargeSettlement {
    ChargeSettlement {
        amounts: Some(balance_line(LineKind::Charge, 2_000, None).amounts),
        payout,
    }
}

#[test]
fn a_paid_out_charge_opens_its_payout_by_id() {
    let mut model = settled_charge(Ok(settlement(PayoutPlace::PaidOut {
        payout_id: "po_0007".into(),
    })));
    let effects = update(&mut model, key('p'));
    assert_eq!(effects[0], Effect::LoadPayout("po_0007".into()));
    assert!(matches!(
        effects.as_slice(),
        [_, Effect::LoadPayoutLines { payout_id, .. }] if payout_id == "po_0007"
    ));
    assert!(matches!(top_payout(&model).payout, Loadable::Loading));
    let _ = update(
        &mut model,
        Msg::PayoutLoaded(Answer::new("po_0007", Ok(Box::new(payout(7))))),
    );
    assert!(matches!(top_payout(&model).payout, Loadable::Loaded(_)));
    let _ = update(&mut model, code(KeyCode::Esc));
    assert!(matches!(model.screens.top(), Some(Pane::Charge(_))));
}

#[test]
fn a_charge_not_yet_paid_out_has_no_payout_to_open() {
    let mut model = settled_charge(Ok(settlement(PayoutPlace::NotYet { expected_by: None })));
    assert!(update(&mut model, key('p')).is_empty());
    assert_eq!(last_toast(&model), "ch_0002 is not yet paid out");
    assert!(matches!(model.screens.top(), Some(Pane::Charge(_))));
    // A failure shows in the detail and a refresh asks again.
    let mut model = settled_charge(Err(GatewayError::Timeout));
    let Some(Pane::Charge(detail)) = model.screens.top() else {
        panic!("no charge on top");
    };
    assert!(matches!(detail.settlement, Loadable::Failed(_)));
    assert!(update(&mut model, key('R')).contains(&Effect::LoadChargeSettlement("ch_0002".into())));
}

#[test]
fn a_gateway_without_charge_settlements_is_not_asked() {
    let mut model = loaded(
        5,
        caps_with(|c| {
            c.payouts = true;
            c.charge_settlement = false;
        }),
    );
    let effects = super::screens::charge::open_charge(&mut model, "ch_0002");
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::LoadChargeSettlement(_)))
    );
    assert!(update(&mut model, key('p')).is_empty());
    assert!(!super::offers::gateway_can(
        &model.session.caps,
        super::keymap::Intent::OpenPayout
    ));
}
