//! `update` bringing the list back in line with the gateway: after an outage, on `R`,
//! and `G` going to the real end of the list (issue 10).

use chrono::TimeDelta;

use super::effect::Effect;
use super::fixtures::*;
use super::model::Model;
use super::msg::{Msg, Polled};
use super::request::PageAnswer;
use super::update::update;
use crate::domain::{Charge, ChargeStatus, Cursor, Page};
use crate::gateway::GatewayError;

fn first_page(newer: Vec<Charge>, older: Option<Cursor>) -> Msg {
    Msg::Polled(Ok(Polled {
        newer,
        refreshed: Vec::new(),
        total: None,
        older,
        first: true,
    }))
}

fn news() -> Msg {
    Msg::Polled(Ok(Polled {
        newer: Vec::new(),
        refreshed: Vec::new(),
        total: None,
        older: None,
        first: false,
    }))
}

fn outage() -> Msg {
    Msg::Polled(Err(GatewayError::Unavailable {
        status: 503,
        message: "Service Unavailable".into(),
        retry_after: None,
    }))
}

fn ids(model: &super::model::Model) -> Vec<String> {
    model
        .screens
        .charges
        .list
        .rows(0, 100)
        .map(|c| c.id.clone())
        .collect()
}

#[test]
fn after_an_outage_the_next_poll_reads_the_list_afresh() {
    let mut model = loaded(5, fixture_caps());
    let mut now = t0() + TimeDelta::seconds(6);
    let _ = update(&mut model, Msg::Tick(now));
    let _ = update(&mut model, outage());
    now += TimeDelta::seconds(30);
    let _ = update(&mut model, Msg::Tick(now));
    let _ = update(&mut model, news());
    // Back: the very next poll asks for the first page, not for news after ch_0005.
    let effects = update(&mut model, Msg::Tick(now));
    assert!(
        matches!(effects.as_slice(), [Effect::Poll { newest: None, .. }]),
        "{effects:?}"
    );
    // ch_0005 is gone at the gateway and ch_0004 changed: the list says so.
    let mut refunded = charge(4, ChargeStatus::Refunded);
    refunded.refunded = refunded.captured;
    let _ = update(
        &mut model,
        first_page(
            vec![
                refunded,
                charge(3, ChargeStatus::Declined),
                charge(2, ChargeStatus::Captured),
                charge(1, ChargeStatus::Authorised),
            ],
            None,
        ),
    );
    assert_eq!(ids(&model), ["ch_0004", "ch_0003", "ch_0002", "ch_0001"]);
    assert_eq!(
        model.screens.charges.list.get("ch_0004").map(|c| c.status),
        Some(ChargeStatus::Refunded)
    );
    assert!(model.new_marks.is_empty(), "a resync is not news");
    // And then polls for news again.
    let effects = update(&mut model, Msg::Tick(now + TimeDelta::seconds(6)));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Poll {
            newest: Some(_),
            ..
        }]
    ));
}

#[test]
fn r_reads_the_list_afresh_and_keeps_the_selection_on_its_charge() {
    let mut model = loaded(5, fixture_caps());
    model.screens.charges.list.select_row(2);
    assert_eq!(model.screens.charges.list.selected().unwrap().id, "ch_0003");
    let effects = update(&mut model, key('R'));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Poll { newest: None, .. })),
        "{effects:?}"
    );
    let _ = update(
        &mut model,
        first_page(
            vec![
                charge(6, ChargeStatus::Captured),
                charge(3, ChargeStatus::Captured),
                charge(1, ChargeStatus::Captured),
            ],
            Some(Cursor::Page(2)),
        ),
    );
    assert_eq!(ids(&model), ["ch_0006", "ch_0003", "ch_0001"]);
    assert_eq!(model.screens.charges.list.selected().unwrap().id, "ch_0003");
    assert_eq!(model.screens.charges.list.next, Some(Cursor::Page(2)));
}

#[test]
fn r_while_a_poll_runs_resyncs_right_after_it() {
    let mut model = loaded(5, fixture_caps());
    let now = t0() + TimeDelta::seconds(6);
    let _ = update(&mut model, Msg::Tick(now));
    assert!(
        update(&mut model, key('R')).is_empty(),
        "one poll at a time"
    );
    let _ = update(&mut model, news());
    let effects = update(&mut model, Msg::Tick(now));
    assert!(
        matches!(effects.as_slice(), [Effect::Poll { newest: None, .. }]),
        "{effects:?}"
    );
}

#[test]
fn an_older_page_asked_for_before_a_resync_is_dropped() {
    let mut model = loaded(5, fixture_caps());
    model.screens.charges.list.next = Some(Cursor::Page(2));
    model.screens.charges.list.loading = true;
    let asked_before = model.screens.charges.list.generation;
    let _ = update(&mut model, key('R'));
    let _ = update(
        &mut model,
        first_page(vec![charge(2, ChargeStatus::Captured)], None),
    );
    let _ = update(
        &mut model,
        Msg::OlderLoaded(PageAnswer {
            generation: asked_before,
            result: Ok(Page {
                items: vec![charge(1, ChargeStatus::Captured)],
                next: None,
                total: None,
                skipped: Vec::new(),
            }),
        }),
    );
    assert_eq!(ids(&model), ["ch_0002"]);
}

/// Charges `from` down to `to`, the older page the charges await.
fn older_page(model: &mut Model, from: i64, to: i64, next: Option<u32>) -> Vec<Effect> {
    let page = answer(
        model,
        Ok(Page {
            items: (to..=from)
                .rev()
                .map(|n| charge(n, ChargeStatus::Captured))
                .collect(),
            next: next.map(Cursor::Page),
            total: Some(2500),
            skipped: Vec::new(),
        }),
    );
    update(model, Msg::OlderLoaded(page))
}

#[test]
fn g_goes_to_the_real_end_loading_every_page_on_the_way() {
    let mut model = loaded(5, fixture_caps());
    // Held: more than the prefetch, so nothing loads unless asked.
    let _ = older_page(&mut model, 2004, 6, Some(2));
    model.screens.charges.list.next = Some(Cursor::Page(2));
    assert!(update(&mut model, Msg::Tick(t0())).is_empty());
    let effects = update(&mut model, key('G'));
    assert_eq!(
        effects.iter().map(page_cursor).collect::<Vec<_>>(),
        [Some(Some(Cursor::Page(2)))]
    );
    assert!(model.screens.charges.list.to_end);
    let effects = older_page(&mut model, 2104, 2005, Some(3));
    assert_eq!(
        effects.iter().map(page_cursor).collect::<Vec<_>>(),
        [Some(Some(Cursor::Page(3)))]
    );
    assert_eq!(
        model.screens.charges.list.selected().unwrap().id,
        "ch_2005",
        "the last row"
    );
    let effects = older_page(&mut model, 2110, 2105, None);
    assert!(effects.is_empty());
    assert!(!model.screens.charges.list.to_end, "at the end");
    assert_eq!(model.screens.charges.list.selected().unwrap().id, "ch_2105");
    assert_eq!(
        model.screens.charges.list.selected_row() + 1,
        model.screens.charges.list.visible_len()
    );
}

#[test]
fn moving_stops_the_way_to_the_end() {
    let mut model = loaded(5, fixture_caps());
    let _ = older_page(&mut model, 2004, 6, Some(2));
    model.screens.charges.list.next = Some(Cursor::Page(2));
    let _ = update(&mut model, key('G'));
    let _ = update(&mut model, key('k'));
    assert!(!model.screens.charges.list.to_end);
    let effects = older_page(&mut model, 2104, 2005, Some(3));
    assert!(effects.is_empty(), "{effects:?}");
}
