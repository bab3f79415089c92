//! The journal on hand-built payouts: each kind's account and side, the suspense for
//! payouts that do not add up, exact JPY and KWD, and a property test that every
//! payout balances and clears in every currency. Amounts are written as
//! dollars_cents.
#![allow(clippy::inconsistent_digit_grouping)]

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use std::collections::BTreeMap;

use super::*;
use crate::domain::{BalanceLine, LineAmounts, Payout as DomainPayout, RawJson};
use rust_decimal::Decimal;

const AUD: Currency = Currency::AUD;

fn line(kind: LineKind, currency: Currency, gross: i64, fee: i64, fee_tax: i64) -> BalanceLine {
    let m = |minor| Money::from_minor(minor, currency);
    BalanceLine {
        kind,
        source_id: None,
        charge_id: None,
        amounts: LineAmounts {
            gross: m(gross),
            fee: m(fee),
            fee_tax: m(fee_tax),
            net: m(gross - fee - fee_tax),
        },
        occurred: DateTime::<Utc>::UNIX_EPOCH,
        raw: RawJson::default(),
    }
}

fn payout(id: &str, amount: Money, lines: Vec<BalanceLine>) -> (String, PayoutWithLines) {
    let payout = DomainPayout {
        id: id.to_string(),
        status: PayoutStatus::Paid,
        amount,
        created: DateTime::<Utc>::UNIX_EPOCH,
        arrival: NaiveDate::from_ymd_opt(2026, 11, 27),
        bank_reference: None,
        statement_descriptor: None,
        bank_account: None,
        automatic: None,
        line_count: None,
        raw: RawJson::default(),
    };
    ("shop".to_string(), PayoutWithLines { payout, lines })
}

/// (account, debit, credit, memo) of each row, amounts in minor units.
type Entry = (String, Option<i64>, Option<i64>, String);

fn amount(cell: &Cell) -> Option<i64> {
    match cell {
        Cell::Money { minor, .. } => Some(*minor),
        _ => None,
    }
}

fn text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => t.clone(),
        other => format!("{other:?}"),
    }
}

fn as_entries<'a>(rows: impl Iterator<Item = &'a Vec<Cell>>) -> Vec<Entry> {
    rows.map(|r| (text(&r[3]), amount(&r[4]), amount(&r[5]), text(&r[7])))
        .collect()
}

fn entries(payouts: &[(String, PayoutWithLines)]) -> Vec<Entry> {
    let table = journal_table(payouts).unwrap();
    assert_eq!(table.header, JOURNAL_COLUMNS);
    as_entries(table.rows.iter())
}

/// One entry's two rows: `minor` debited to `debit` and credited to `credit`.
fn entry(debit: &str, credit: &str, minor: i64, memo: &str) -> [Entry; 2] {
    [
        (debit.into(), Some(minor), None, memo.into()),
        (credit.into(), None, Some(minor), memo.into()),
    ]
}

#[test]
fn each_kind_goes_to_its_account_and_the_payout_clears() {
    let lines = vec![
        line(LineKind::Charge, AUD, 100_00, 1_75, 18),
        line(LineKind::Charge, AUD, 50_00, 1_00, 10),
        line(LineKind::Refund, AUD, -30_00, 0, 0),
        line(LineKind::Dispute, AUD, -20_00, 15_00, 0),
        line(LineKind::DisputeReversal, AUD, 20_00, 0, 0),
        line(LineKind::Fee, AUD, 0, 50, 5),
        line(LineKind::Adjustment, AUD, -1_00, 0, 0),
        line(LineKind::Release, AUD, -5_00, 0, 0),
        // The gateway's own line for the payout is not posted: the payout is.
        line(LineKind::Payout, AUD, -95_42, 0, 0),
    ];
    let fees = "fees on 4 lines: fee 18.25, tax on fees 0.33";
    assert_eq!(
        entries(&[payout("po_1", Money::from_minor(95_42, AUD), lines)]),
        [
            entry(CLEARING, REVENUE, 150_00, "2 charges"),
            entry(REVENUE, CLEARING, 5_00, "1 release"),
            entry(REFUNDS, CLEARING, 30_00, "1 refund"),
            entry(REFUNDS, CLEARING, 20_00, "1 dispute"),
            entry(CLEARING, REFUNDS, 20_00, "1 dispute reversal"),
            entry(ADJUSTMENTS, CLEARING, 1_00, "1 adjustment"),
            entry(FEES, CLEARING, 18_58, fees),
            entry(BANK, CLEARING, 95_42, "payout to the bank"),
        ]
        .concat()
    );
}

#[test]
fn each_row_names_its_day_profile_payout_and_currency() {
    let p = payout(
        "po_<x>",
        Money::from_minor(98_00, AUD),
        vec![line(LineKind::Charge, AUD, 100_00, 2_00, 0)],
    );
    let table = journal_table(&[p]).unwrap();
    for row in &table.rows {
        assert_eq!(
            row[0],
            Cell::Date(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap())
        );
        assert_eq!(row[1], Cell::text("shop"));
        assert_eq!(row[2], Cell::text("po_<x>"));
        assert_eq!(row[6], Cell::text("AUD"));
    }
    assert_eq!(table.rows.len(), 6);
}

#[test]
fn a_payout_whose_lines_do_not_add_up_puts_the_difference_in_suspense() {
    let charge = || vec![line(LineKind::Charge, AUD, 100_00, 2_00, 0)];
    let short = entries(&[payout("po_s", Money::from_minor(97_00, AUD), charge())]);
    let memo = "the lines add up to 98.00 but the payout is 97.00: the difference is in suspense";
    assert_eq!(short[6..], entry(SUSPENSE, CLEARING, 1_00, memo));
    let over = entries(&[payout("po_o", Money::from_minor(99_00, AUD), charge())]);
    let memo = "the lines add up to 98.00 but the payout is 99.00: the difference is in suspense";
    assert_eq!(over[6..], entry(CLEARING, SUSPENSE, 1_00, memo));
}

#[test]
fn a_payout_without_lines_is_all_in_suspense_and_a_debit_runs_the_other_way() {
    let memo = "the gateway lists no lines for this payout: all of it is in suspense";
    assert_eq!(
        entries(&[payout("po_d", Money::from_minor(-10_00, AUD), vec![])]),
        [
            entry(CLEARING, BANK, 10_00, "payout to the bank"),
            entry(SUSPENSE, CLEARING, 10_00, memo),
        ]
        .concat()
    );
}

#[test]
fn lines_in_another_currency_are_in_suspense_in_theirs() {
    let lines = vec![
        line(LineKind::Charge, AUD, 10_00, 0, 0),
        line(LineKind::Charge, Currency::USD, 5_00, 0, 0),
    ];
    let table = journal_table(&[payout("po_m", Money::from_minor(10_00, AUD), lines)]).unwrap();
    let usd = as_entries(table.rows.iter().filter(|r| r[6] == Cell::text("USD")));
    let memo = "lines in USD in a payout in AUD: they are in suspense";
    assert_eq!(usd[2..], entry(SUSPENSE, CLEARING, 5_00, memo));
}

#[test]
fn yen_and_dinars_are_exact() {
    let jpy = Currency::JPY;
    let kwd = Currency::KWD;
    let table = journal_table(&[
        payout(
            "po_j",
            Money::from_minor(1164, jpy),
            vec![line(LineKind::Charge, jpy, 1200, 33, 3)],
        ),
        payout(
            "po_k",
            Money::from_minor(11_959, kwd),
            vec![line(LineKind::Charge, kwd, 12_345, 351, 35)],
        ),
    ])
    .unwrap();
    let bank: Vec<&Cell> = table
        .rows
        .iter()
        .filter(|r| r[3] == Cell::text(BANK))
        .map(|r| &r[4])
        .collect();
    assert_eq!(
        bank,
        [
            &Cell::Money {
                minor: 1164,
                currency: jpy
            },
            &Cell::Money {
                minor: 11_959,
                currency: kwd
            }
        ]
    );
    assert!(
        table
            .rows
            .iter()
            .any(|r| text(&r[7]) == "fees on 1 line: fee 0.351, tax on fees 0.035")
    );
}

#[test]
fn an_amount_finer_than_its_currency_is_an_error_naming_the_payout() {
    let mut bad = line(LineKind::Charge, AUD, 1_00, 0, 0);
    bad.amounts.gross = Money {
        amount: Decimal::new(1001, 3),
        currency: AUD,
    };
    let refused = journal_table(&[payout("po_bad", Money::from_minor(1_00, AUD), vec![bad])]);
    assert!(
        matches!(&refused, Err(ExportError::Amount { about, .. }) if about == "payout po_bad"),
        "{refused:?}"
    );
}

fn kind() -> impl Strategy<Value = LineKind> {
    prop::sample::select(vec![
        LineKind::Charge,
        LineKind::Refund,
        LineKind::Release,
        LineKind::Dispute,
        LineKind::DisputeReversal,
        LineKind::Fee,
        LineKind::Adjustment,
        LineKind::Payout,
    ])
}

fn currency() -> impl Strategy<Value = Currency> {
    // Mostly the payout's (AUD), sometimes another.
    prop::sample::select(vec![AUD, AUD, AUD, AUD, Currency::JPY, Currency::KWD])
}

fn arbitrary_line() -> impl Strategy<Value = BalanceLine> {
    let big = 1_000_000_000_000i64;
    (
        kind(),
        currency(),
        -big..big,
        -10_000i64..1_000_000,
        0i64..100_000,
    )
        .prop_map(|(k, c, gross, fee, tax)| line(k, c, gross, fee, tax))
}

/// A payout of arbitrary lines: of exactly what its lines add up to, or of anything.
fn arbitrary_payout() -> impl Strategy<Value = (PayoutWithLines, bool)> {
    (
        prop::collection::vec(arbitrary_line(), 0..12),
        any::<bool>(),
        -1_000_000i64..1_000_000,
    )
        .prop_map(|(lines, adds_up, other)| {
            let sum: i64 = lines
                .iter()
                .filter(|l| l.kind != LineKind::Payout && l.amounts.currency() == AUD)
                .map(|l| l.amounts.net.to_minor().unwrap())
                .sum();
            let amount = if adds_up { sum } else { other };
            let clean = !lines.is_empty()
                && amount == sum
                && lines.iter().all(|l| l.amounts.currency() == AUD);
            (payout("po", Money::from_minor(amount, AUD), lines).1, clean)
        })
}

/// Of one payout in one currency: debits, credits, clearing (debit less credit),
/// bank (the same), and how many suspense rows.
type Totals = (i128, i128, i128, i128, usize);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn every_payout_balances_and_clears_in_every_currency(
        payouts in prop::collection::vec(arbitrary_payout(), 1..6)
    ) {
        let given: Vec<(String, PayoutWithLines)> = payouts
            .iter()
            .enumerate()
            .map(|(n, (p, _))| {
                let mut p = p.clone();
                p.payout.id = format!("po_{n}");
                ("shop".to_string(), p)
            })
            .collect();
        let table = journal_table(&given).unwrap();
        // Per (payout, currency): debits, credits, clearing, bank, suspense rows.
        let mut sums: BTreeMap<(String, String), Totals> = BTreeMap::new();
        for row in &table.rows {
            prop_assert_eq!(row.len(), JOURNAL_COLUMNS.len());
            let (debit, credit) = (amount(&row[4]).unwrap_or(0), amount(&row[5]).unwrap_or(0));
            prop_assert!(debit >= 0 && credit >= 0 && (debit == 0) != (credit == 0));
            let s = sums.entry((text(&row[2]), text(&row[6]))).or_default();
            s.0 += i128::from(debit);
            s.1 += i128::from(credit);
            let signed = i128::from(debit) - i128::from(credit);
            match text(&row[3]).as_str() {
                CLEARING => s.2 += signed,
                BANK => s.3 += signed,
                SUSPENSE => s.4 += 1,
                _ => {}
            }
        }
        for (key, (debits, credits, clearing, _, _)) in &sums {
            prop_assert_eq!(debits, credits, "{:?} does not balance", key);
            prop_assert_eq!(*clearing, 0, "{:?} does not clear", key);
        }
        for (n, (p, clean)) in payouts.iter().enumerate() {
            let key = (format!("po_{n}"), "AUD".to_string());
            let (_, _, _, bank, suspense) = sums.get(&key).copied().unwrap_or_default();
            prop_assert_eq!(bank, i128::from(p.payout.amount.to_minor().unwrap()));
            if *clean {
                prop_assert_eq!(suspense, 0, "{} adds up but has a suspense entry", key.0);
            }
        }
    }
}
