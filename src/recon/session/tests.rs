//! The board's pure parts on hand-built sessions: the difference-to-zero totals and
//! matching by hand. Amounts are written as dollars_cents.
#![allow(clippy::inconsistent_digit_grouping)]

use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};

use super::{Board, ProfileInputs, manual_match, match_difference, scoped, totals};
use crate::domain::{Payout, PayoutStatus, RawJson};
use crate::money::{Currency, Money};
use crate::recon::import::LineIdentity;
use crate::recon::{MatchConfig, PayoutWithLines};
use crate::store::sessions::{
    Adjustment, Event, ItemKind, ItemRef, ItemRow, ItemState, LineRecord, MatchRow, SessionId,
    SessionSummary, SessionView, Stamp,
};

fn stamp() -> Stamp {
    Stamp {
        who: "ann".into(),
        at: Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap(),
    }
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn line(n: u32, minor: i64, currency: &str) -> LineRecord {
    LineRecord {
        identity: LineIdentity::from_stored(format!("bank:1:{n}")),
        booked: day(n),
        amount_minor: minor,
        currency: currency.into(),
        text: format!("line {n}"),
        reference: String::new(),
        other_refs: Vec::new(),
    }
}

fn deposit(n: u32) -> ItemRef {
    ItemRef::deposit(&LineIdentity::from_stored(format!("bank:1:{n}")))
}

fn payout_ref(id: &str) -> ItemRef {
    ItemRef::of(ItemKind::Payout, "p", id)
}

fn payout(id: &str, minor: i64) -> PayoutWithLines {
    PayoutWithLines {
        payout: Payout {
            id: id.into(),
            status: PayoutStatus::Paid,
            amount: Money::from_minor(minor, Currency::AUD),
            created: day(2).and_hms_opt(0, 0, 0).unwrap().and_utc() - TimeDelta::days(1),
            arrival: Some(day(2)),
            bank_reference: None,
            statement_descriptor: None,
            bank_account: None,
            automatic: Some(true),
            line_count: None,
            raw: RawJson::default(),
        },
        lines: Vec::new(),
    }
}

fn row(item: ItemRef, state: ItemState, match_id: Option<i64>) -> ItemRow {
    ItemRow {
        item,
        state,
        match_id,
        note: None,
        changed: stamp(),
        version: 9,
    }
}

/// Lines: 1 AUD 100.00 matched to po_1 with a 0.50 fee adjustment (the payout was
/// 100.50), 2 AUD 30.00 open, 3 AUD -5.00 ignored, 4 USD 7.00 flagged.
fn view() -> SessionView {
    SessionView {
        summary: SessionSummary {
            id: SessionId(1),
            name: "nov".into(),
            profiles: vec!["p".into()],
            from: day(1),
            to: day(30),
            created: stamp(),
            signed_off: None,
        },
        lines: vec![
            line(1, 100_00, "AUD"),
            line(2, 30_00, "AUD"),
            line(3, -5_00, "AUD"),
            line(4, 7_00, "USD"),
        ],
        items: vec![
            row(deposit(1), ItemState::Matched, Some(9)),
            row(payout_ref("po_1"), ItemState::Matched, Some(9)),
            row(deposit(3), ItemState::Ignored, None),
            row(deposit(4), ItemState::Flagged, None),
        ],
        matches: vec![MatchRow {
            id: 9,
            tier: 0,
            reason: "by hand".into(),
            proposed: false,
            items: vec![deposit(1), payout_ref("po_1")],
            adjustment: Some(Adjustment {
                amount_minor: -50,
                currency: "AUD".into(),
                reason: "bank fee".into(),
            }),
        }],
        notes: Vec::new(),
        frozen: Vec::new(),
        claims: Vec::new(),
        latest: 9,
        claims_version: 0,
    }
}

fn inputs() -> Vec<ProfileInputs> {
    vec![ProfileInputs {
        profile: "p".into(),
        payouts: vec![
            payout("po_1", 100_50),
            payout("po_2", 30_00),
            payout("po_3", 29_00),
        ],
        unpaid: Vec::new(),
    }]
}

#[test]
fn the_bar_counts_matched_unmatched_and_what_is_unexplained_per_currency() {
    let t = totals(&view(), &inputs());
    let aud = t.iter().find(|t| t.currency == "AUD").unwrap();
    assert_eq!(
        (aud.statement, aud.matched, aud.unmatched, aud.difference),
        (125_00, 100_00, 30_00, 30_00)
    );
    let usd = t.iter().find(|t| t.currency == "USD").unwrap();
    assert_eq!(
        (usd.statement, usd.matched, usd.unmatched, usd.difference),
        (7_00, 0, 7_00, 7_00)
    );
}

#[test]
fn a_match_that_does_not_balance_shows_in_the_difference() {
    let mut v = view();
    v.matches[0].adjustment = None;
    let aud = totals(&v, &inputs())
        .into_iter()
        .find(|t| t.currency == "AUD")
        .unwrap();
    // 100.00 deposited against a 100.50 payout: 0.50 short, on top of the open 30.00.
    assert_eq!(aud.difference, 30_00 - 50);
}

#[test]
fn matching_by_hand_needs_a_reason_only_when_the_sides_differ() {
    let board = Board::build(&view(), &inputs(), &MatchConfig::default(), day(30));
    let even = vec![deposit(2), payout_ref("po_2")];
    assert!(match_difference(&board, &even).unwrap().is_zero());
    let event = manual_match(&board, even, None).unwrap();
    assert!(matches!(
        event,
        Event::Match {
            tier: 0,
            adjustment: None,
            ..
        }
    ));

    let uneven = vec![deposit(2), payout_ref("po_3")];
    let why = manual_match(&board, uneven.clone(), None).unwrap_err();
    assert!(why.contains("differ by 1.00"), "{why}");
    assert!(manual_match(&board, uneven.clone(), Some("  ")).is_err());
    let Event::Match { adjustment, .. } = manual_match(&board, uneven, Some("bank fee")).unwrap()
    else {
        panic!("a match")
    };
    assert_eq!(adjustment.unwrap().amount_minor, 1_00);

    let one_side = manual_match(&board, vec![deposit(2)], None).unwrap_err();
    assert!(
        one_side.contains("at least one deposit and one payout"),
        "{one_side}"
    );
    let currencies = match_difference(&board, &[deposit(4), payout_ref("po_2")]).unwrap_err();
    assert!(
        currencies.contains("USD") && currencies.contains("AUD"),
        "{currencies}"
    );
}

#[test]
fn a_session_looks_at_its_statements_currencies_and_period_only() {
    let mut usd = payout("po_usd", 7_00);
    usd.payout.amount = Money::from_minor(7_00, Currency::USD);
    let mut old = payout("po_old", 1_00);
    old.payout.arrival = Some(day(1) - TimeDelta::days(30));
    let mut later = payout("po_later", 1_00);
    later.payout.created = day(30).and_hms_opt(0, 0, 0).unwrap().and_utc() + TimeDelta::days(1);
    let profiles = vec![ProfileInputs {
        profile: "p".into(),
        payouts: vec![payout("po_1", 1_00), usd, old, later],
        unpaid: Vec::new(),
    }];
    let ids = |view: &SessionView| -> Vec<String> {
        scoped(view, &profiles, &MatchConfig::default())[0]
            .payouts
            .iter()
            .map(|w| w.payout.id.clone())
            .collect()
    };
    let mut aud_only = view();
    aud_only.lines.retain(|l| l.currency == "AUD");
    assert_eq!(ids(&aud_only), ["po_1"]);
    assert_eq!(ids(&view()), ["po_1", "po_usd"]);
}
