//! The exports of a signed-off board, written as CSV and as one XLSX workbook, read
//! back, and checked against the board the screen shows: the summary's totals are
//! the frozen ones and its counts the board's, and the exceptions file lists each
//! exception with its state and amount.

use std::collections::BTreeMap;
use std::str::FromStr;

use paydeck::money::Currency;
use paydeck::recon::export::{
    EXCEPTION_COLUMNS, ExportTable, SUMMARY_COLUMNS, decimal_text, exceptions_table, summary_table,
    write_csv, write_xlsx,
};
use paydeck::recon::session::Board;
use rust_decimal::Decimal;

use super::xlsx::{csv_rows, read, sheet, text_rows};

/// Each table as CSV and in one workbook, read back as text; the two must agree.
fn read_back(tables: &[ExportTable]) -> Vec<Vec<Vec<String>>> {
    let workbook = write_xlsx(tables, Vec::new()).expect("the workbook");
    let sheets = read(&workbook);
    tables
        .iter()
        .map(|table| {
            let csv = csv_rows(&write_csv(table, Vec::new()).expect("the CSV"));
            let xlsx = text_rows(sheet(&sheets, &table.name), table.header.len());
            assert_eq!(xlsx, csv, "{}: the CSV and the workbook agree", table.name);
            csv
        })
        .collect()
}

fn plain(minor: i64, currency: &str) -> String {
    decimal_text(minor, Currency::from_code(currency).expect("a currency"))
}

/// Exports `board` (signed off) and checks what reads back against it.
pub fn check_signed_off(board: &Board) {
    let stamp = board.summary.signed_off.clone().expect("signed off");
    let tables = [
        summary_table(board, &stamp).expect("the summary"),
        exceptions_table(board).expect("the exceptions"),
    ];
    let read = read_back(&tables);
    let (summary, exceptions) = (&read[0], &read[1]);
    assert_eq!(summary[0], SUMMARY_COLUMNS);
    assert_eq!(exceptions[0], EXCEPTION_COLUMNS);

    // The totals, as the bar showed them when they were frozen.
    let found: BTreeMap<(String, String), String> = summary[1..]
        .iter()
        .filter(|r| r[0] == "totals")
        .map(|r| ((r[2].clone(), r[1].clone()), r[3].clone()))
        .collect();
    let mut frozen = BTreeMap::new();
    for t in &board.frozen {
        let c = &t.currency;
        for (item, minor) in [
            ("statement", t.statement),
            ("matched", t.matched),
            ("unmatched", t.unmatched),
            ("difference", t.difference),
        ] {
            frozen.insert((c.clone(), item.to_string()), plain(minor, c));
        }
    }
    assert!(!frozen.is_empty());
    assert_eq!(found, frozen);
    let by = summary.iter().find(|r| r[0] == "sign-off" && r[1] == "by");
    assert_eq!(by.map(|r| r[3].as_str()), Some(stamp.who.as_str()));
    for (state, deposits, payouts, exceptions) in board.counts() {
        for (what, count) in [
            ("deposits", deposits),
            ("payouts", payouts),
            ("exceptions", exceptions),
        ] {
            let row = summary.iter().find(|r| r[0] == what && r[1] == state);
            assert_eq!(row.map(|r| r[3].clone()), Some(count.to_string()));
        }
    }

    // One row per exception, in the board's order, with its state and amount.
    assert_eq!(exceptions.len() - 1, board.exceptions.len());
    let mut sums: BTreeMap<String, Decimal> = BTreeMap::new();
    for (row, e) in exceptions[1..].iter().zip(&board.exceptions) {
        assert_eq!(
            (row[0].as_str(), row[1].as_str(), row[3].as_str()),
            (e.kind.name(), e.state.as_str(), e.amount.currency.code())
        );
        *sums.entry(row[3].clone()).or_default() += Decimal::from_str(&row[2]).expect("an amount");
    }
    let mut expected: BTreeMap<String, Decimal> = BTreeMap::new();
    for e in &board.exceptions {
        *expected
            .entry(e.amount.currency.code().to_string())
            .or_default() += e.amount.amount;
    }
    assert_eq!(sums, expected);
}
