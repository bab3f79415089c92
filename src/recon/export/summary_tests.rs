//! The exceptions and summary tables of a hand-built board: what each row says,
//! money exact in its currency, and the totals sign-off froze. Amounts are written
//! as dollars_cents.
#![allow(clippy::inconsistent_digit_grouping)]

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::money::Money;
use crate::recon::ExceptionKind;
use crate::recon::import::LineIdentity;
use crate::recon::session::{DepositRow, ExceptionRow};
use crate::store::sessions::{ItemKind, ItemState, LineRecord, SessionId, SessionSummary};

fn stamp(who: &str) -> Stamp {
    Stamp {
        who: who.into(),
        at: Utc.with_ymd_and_hms(2026, 11, 30, 13, 20, 5).unwrap(),
    }
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn totals(currency: &str, statement: i64, matched: i64) -> Totals {
    Totals {
        currency: currency.into(),
        statement,
        matched,
        unmatched: statement - matched,
        difference: 0,
    }
}

fn exception(kind: ExceptionKind, amount: Money, state: ExceptionState) -> ExceptionRow {
    ExceptionRow {
        item: ItemRef::of(ItemKind::Exception, "", kind.name()),
        kind,
        deposits: Vec::new(),
        payouts: Vec::new(),
        charges: Vec::new(),
        amount,
        why: format!("why {}", kind.name()),
        state,
        note: None,
    }
}

/// Signed off by ann: one flagged deposit without payout (with a hostile note),
/// one ignored dispute debit, one open fee outlier in yen.
fn board() -> Board {
    let identity = LineIdentity::from_stored("bank:1:7".into());
    let deposit = ItemRef::deposit(&identity);
    let line = LineRecord {
        identity,
        booked: day(7),
        amount_minor: 12_50,
        currency: "AUD".into(),
        text: "DEPOSIT SOMEONE".into(),
        reference: String::new(),
        other_refs: Vec::new(),
    };
    let aud = |minor| Money::from_minor(minor, Currency::AUD);
    let mut unknown = exception(
        ExceptionKind::DepositWithoutPayout,
        aud(12_50),
        ExceptionState::Flagged,
    );
    unknown.deposits = vec![deposit.clone()];
    unknown.note = Some("=asked the bank".into());
    let mut dispute = exception(
        ExceptionKind::DisputeDebit,
        aud(-15_00),
        ExceptionState::Ignored,
    );
    dispute.payouts = vec![ItemRef::of(ItemKind::Payout, "pin", "tfer_1")];
    dispute.charges = vec![
        ItemRef::of(ItemKind::Charge, "pin", "ch_1"),
        ItemRef::of(ItemKind::Charge, "pin", "ch_2"),
    ];
    dispute.note = Some("lost, booked by hand".into());
    let fee = exception(
        ExceptionKind::FeeOutlier,
        Money::from_minor(1200, Currency::JPY),
        ExceptionState::Open,
    );
    Board {
        summary: SessionSummary {
            id: SessionId(1),
            name: "nov".into(),
            profiles: vec!["pin".into(), "stripe".into()],
            from: day(1),
            to: day(30),
            created: stamp("bob"),
            signed_off: Some(stamp("ann")),
        },
        deposits: vec![DepositRow {
            item: deposit,
            line,
            state: ItemState::Flagged,
            match_id: None,
            note: None,
            changed: None,
        }],
        payouts: Vec::new(),
        exceptions: vec![unknown, dispute, fee],
        totals: vec![totals("AUD", 1, 1)],
        frozen: vec![totals("AUD", 100_00, 87_50), totals("KWD", 1_250, 1_250)],
        matches: Vec::new(),
        claims: Vec::new(),
        latest: 0,
        claims_version: 0,
    }
}

fn money(minor: i64, currency: Currency) -> Cell {
    Cell::Money { minor, currency }
}

#[test]
fn each_exception_is_a_row_naming_its_deposits_payouts_and_charges() {
    let table = exceptions_table(&board()).unwrap();
    assert_eq!(table.header, EXCEPTION_COLUMNS);
    assert_eq!(
        table.rows[0],
        [
            Cell::text("deposit_without_payout"),
            Cell::text("flagged"),
            money(12_50, Currency::AUD),
            Cell::text("AUD"),
            Cell::text("2026-11-07 12.50 AUD DEPOSIT SOMEONE"),
            Cell::text(""),
            Cell::text(""),
            Cell::text("why deposit_without_payout"),
            Cell::text("=asked the bank"),
        ]
    );
    assert_eq!(table.rows[1][1], Cell::text("ignored"));
    assert_eq!(table.rows[1][2], money(-15_00, Currency::AUD));
    assert_eq!(table.rows[1][5], Cell::text("pin/tfer_1"));
    assert_eq!(table.rows[1][6], Cell::text("pin/ch_1; pin/ch_2"));
    assert_eq!(table.rows[2][2], money(1200, Currency::JPY));
    assert_eq!(table.rows[2][8], Cell::Empty, "no note");
    // The hostile note is guarded when written.
    let csv = String::from_utf8(super::super::write_csv(&table, Vec::new()).unwrap()).unwrap();
    assert!(csv.contains(",'=asked the bank\r\n"), "{csv}");
}

#[test]
fn the_summary_has_the_session_the_sign_off_and_the_frozen_totals() {
    let table = summary_table(&board(), &stamp("ann")).unwrap();
    assert_eq!(table.header, SUMMARY_COLUMNS);
    let find = |section: &str, item: &str| {
        table
            .rows
            .iter()
            .filter(|r| r[0] == Cell::text(section) && r[1] == Cell::text(item))
            .map(|r| (r[2].clone(), r[3].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(find("session", "name"), [(Cell::Empty, Cell::text("nov"))]);
    assert_eq!(
        find("session", "profiles"),
        [(Cell::Empty, Cell::text("pin, stripe"))]
    );
    assert_eq!(find("session", "from"), [(Cell::Empty, Cell::Date(day(1)))]);
    assert_eq!(find("sign-off", "by"), [(Cell::Empty, Cell::text("ann"))]);
    assert_eq!(
        find("sign-off", "at"),
        [(Cell::Empty, Cell::text("2026-11-30T13:20:05Z"))]
    );
    // The frozen totals, not the live ones.
    assert_eq!(
        find("totals", "statement"),
        [
            (Cell::text("AUD"), money(100_00, Currency::AUD)),
            (Cell::text("KWD"), money(1_250, Currency::KWD))
        ]
    );
    assert_eq!(
        find("totals", "unmatched"),
        [
            (Cell::text("AUD"), money(12_50, Currency::AUD)),
            (Cell::text("KWD"), money(0, Currency::KWD))
        ]
    );
    assert_eq!(find("exceptions", "flagged"), [(Cell::Empty, Cell::Int(1))]);
    assert_eq!(find("exceptions", "open"), [(Cell::Empty, Cell::Int(1))]);
    assert_eq!(find("deposits", "flagged"), [(Cell::Empty, Cell::Int(1))]);
    // What was flagged or set aside, with its note; the open one is not explained.
    let explained: Vec<&Vec<Cell>> = table
        .rows
        .iter()
        .filter(|r| r[0] == Cell::text("flagged") || r[0] == Cell::text("ignored"))
        .collect();
    assert_eq!(
        explained,
        [
            &vec![
                Cell::text("flagged"),
                Cell::text("deposit_without_payout bank:1:7"),
                Cell::text("AUD"),
                money(12_50, Currency::AUD),
                Cell::text("=asked the bank"),
            ],
            &vec![
                Cell::text("ignored"),
                Cell::text("dispute_debit tfer_1"),
                Cell::text("AUD"),
                money(-15_00, Currency::AUD),
                Cell::text("lost, booked by hand"),
            ],
        ]
    );
}

#[test]
fn a_board_built_before_its_sign_off_shows_its_live_totals() {
    let mut board = board();
    board.summary.signed_off = None;
    let table = summary_table(&board, &stamp("ann")).unwrap();
    let statements: Vec<&Cell> = table
        .rows
        .iter()
        .filter(|r| r[1] == Cell::text("statement"))
        .map(|r| &r[3])
        .collect();
    assert_eq!(statements, [&money(1, Currency::AUD)]);
}

#[test]
fn totals_in_a_currency_paydeck_does_not_know_are_an_error() {
    let mut board = board();
    board.frozen[0].currency = "XYZ".into();
    assert!(matches!(
        summary_table(&board, &stamp("ann")),
        Err(ExportError::Amount { .. })
    ));
}
