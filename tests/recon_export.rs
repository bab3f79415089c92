//! The reconciliation exports end to end: the clearing journal of payouts synced from
//! the simulator (every gateway), written as CSV and as XLSX, read back (the csv
//! crate; `common::xlsx`), and its totals checked against the payouts' own amounts and
//! lines. `a_workbook_for_openpyxl` also writes its workbook where PAYDECK_XLSX_OUT
//! says, for `tests/xlsx_openpyxl/run.sh` to read with another program.

mod common;

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::NaiveDate;
use common::simulator::{Dialect, seeded};
use common::synced::Synced;
use common::xlsx::{XCell, csv_rows, read, sheet, text_rows};
use paydeck::domain::LineKind;
use paydeck::money::Currency;
use paydeck::recon::PayoutWithLines;
use paydeck::recon::export::{
    BANK, CLEARING, Cell, ExportTable, FEES, JOURNAL_COLUMNS, REVENUE, SUSPENSE, journal_table,
    write_csv, write_xlsx,
};
use paydeck::sim::SimConfig;
use rust_decimal::Decimal;

/// The payouts (with their lines) of a simulator of `dialect`, synced into a store.
async fn synced_payouts(dialect: Dialect) -> Vec<PayoutWithLines> {
    let config = SimConfig {
        seed: 21,
        ..seeded(400, 30)
    };
    let synced = Synced::start(dialect, config).await;
    let payouts = synced.payouts().await;
    synced.stop().await;
    payouts
}

fn decimal(text: &str) -> Decimal {
    if text.is_empty() {
        Decimal::ZERO
    } else {
        Decimal::from_str(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }
}

/// The journal's rows read back as text, checked against the payouts: each payout's
/// entries balance in each currency, clearing nets to zero, the bank gets each
/// payout's amount, revenue is its charges' gross and fees its fees, and no payout
/// needs suspense (the simulator's lines add up). Returns the rows checked.
fn check_totals(rows: &[Vec<String>], payouts: &[PayoutWithLines]) -> usize {
    assert_eq!(rows[0], JOURNAL_COLUMNS);
    let col = |name| JOURNAL_COLUMNS.iter().position(|c| *c == name).unwrap();
    let (payout, account, debit, credit, currency) = (
        col("payout"),
        col("account"),
        col("debit"),
        col("credit"),
        col("currency"),
    );
    // (payout, currency, account): debits less credits.
    let mut per: BTreeMap<(String, String, String), Decimal> = BTreeMap::new();
    let mut sides: BTreeMap<(String, String), (Decimal, Decimal)> = BTreeMap::new();
    for row in &rows[1..] {
        let (d, c) = (decimal(&row[debit]), decimal(&row[credit]));
        assert!(d.is_zero() != c.is_zero(), "one side per row: {row:?}");
        assert_ne!(row[account], SUSPENSE, "{row:?}");
        *per.entry((
            row[payout].clone(),
            row[currency].clone(),
            row[account].clone(),
        ))
        .or_default() += d - c;
        let s = sides
            .entry((row[payout].clone(), row[currency].clone()))
            .or_default();
        s.0 += d;
        s.1 += c;
    }
    for (key, (d, c)) in &sides {
        assert_eq!(d, c, "{key:?} does not balance");
    }
    let net = |p: &str, cur: Currency, account: &str| {
        per.get(&(p.to_string(), cur.code().to_string(), account.to_string()))
            .copied()
            .unwrap_or_default()
    };
    for with in payouts {
        let p = &with.payout;
        let cur = p.amount.currency;
        assert_eq!(net(&p.id, cur, CLEARING), Decimal::ZERO, "{} clears", p.id);
        assert_eq!(
            net(&p.id, cur, BANK),
            p.amount.amount,
            "{} to the bank",
            p.id
        );
        let sum = |pick: &dyn Fn(&paydeck::domain::BalanceLine) -> Decimal| {
            with.lines
                .iter()
                .filter(|l| l.kind != LineKind::Payout)
                .map(pick)
                .sum::<Decimal>()
        };
        let sales = sum(&|l| match l.kind {
            LineKind::Charge | LineKind::Release => l.amounts.gross.amount,
            _ => Decimal::ZERO,
        });
        assert_eq!(-net(&p.id, cur, REVENUE), sales, "{} revenue", p.id);
        let fees = sum(&|l| {
            let own = if l.kind == LineKind::Fee {
                l.amounts.gross.amount
            } else {
                Decimal::ZERO
            };
            l.amounts.fee.amount + l.amounts.fee_tax.amount - own
        });
        assert_eq!(net(&p.id, cur, FEES), fees, "{} fees", p.id);
    }
    rows.len() - 1
}

/// The rows of the workbook's sheet `name` as text; money must be numbers, and
/// nothing else.
fn xlsx_rows(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let sheets = read(bytes);
    let sheet = sheet(&sheets, name);
    let money = ["debit", "credit"].map(|m| JOURNAL_COLUMNS.iter().position(|c| *c == m));
    for (n, row) in sheet.rows.iter().enumerate().skip(1) {
        for (c, cell) in row.iter().enumerate() {
            let is_money = money.contains(&Some(c));
            match cell {
                XCell::Number(_) => assert!(is_money, "row {n}: {cell:?}"),
                XCell::Text(_) => assert!(!is_money, "row {n}: {cell:?}"),
                XCell::Empty => assert!(is_money, "row {n} col {c} empty"),
            }
        }
    }
    text_rows(sheet, JOURNAL_COLUMNS.len())
}

#[tokio::test]
async fn the_journal_of_synced_payouts_reads_back_from_csv_and_xlsx_with_the_payouts_totals() {
    for dialect in Dialect::ALL {
        let payouts = synced_payouts(dialect).await;
        let with_lines = payouts.iter().filter(|p| !p.lines.is_empty()).count();
        assert!(
            with_lines >= 2,
            "{}: {with_lines} payouts with lines",
            dialect.name()
        );
        let given: Vec<(String, PayoutWithLines)> = payouts
            .iter()
            .map(|p| (dialect.name().to_string(), p.clone()))
            .collect();
        let journal = journal_table(&given).expect("the journal");

        let csv = write_csv(&journal, Vec::new()).expect("the CSV");
        let from_csv = csv_rows(&csv);
        let checked = check_totals(&from_csv, &payouts);
        assert!(
            checked >= 4 * with_lines,
            "{}: {checked} rows",
            dialect.name()
        );

        let xlsx = write_xlsx(std::slice::from_ref(&journal), Vec::new()).expect("the XLSX");
        let from_xlsx = xlsx_rows(&xlsx, "Journal");
        assert_eq!(
            from_xlsx,
            from_csv,
            "{}: the two files agree",
            dialect.name()
        );
    }
}

/// Hostile text and numbers of three exponents, with what a reader must find.
fn guard_sheet() -> ExportTable {
    let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let money = |minor, c| Cell::Money { minor, currency: c };
    let row = |text: &str, amount: Cell, currency: &str, count: Cell| {
        vec![
            Cell::text(text),
            amount,
            Cell::text(currency),
            count,
            Cell::Date(day),
        ]
    };
    ExportTable {
        name: "Guard".into(),
        header: ["text", "amount", "currency", "count", "day"]
            .map(String::from)
            .to_vec(),
        rows: vec![
            row("=1+1", money(-1250, Currency::AUD), "AUD", Cell::Int(-3)),
            row(
                "+SUM(A1:A2)",
                money(1200, Currency::JPY),
                "JPY",
                Cell::Int(0),
            ),
            row("-2+3", money(1250, Currency::KWD), "KWD", Cell::Int(42)),
            row("@cmd", Cell::Empty, "AUD", Cell::Empty),
            row("\t=1", money(5, Currency::AUD), "AUD", Cell::Empty),
            row("\r=1", money(-1, Currency::JPY), "JPY", Cell::Empty),
            row(
                "plain <&> \"text\"",
                money(0, Currency::KWD),
                "KWD",
                Cell::Empty,
            ),
        ],
    }
}

fn payouts_sheet(payouts: &[PayoutWithLines]) -> ExportTable {
    ExportTable {
        name: "Payouts".into(),
        header: ["payout", "amount", "currency"].map(String::from).to_vec(),
        rows: payouts
            .iter()
            .map(|p| {
                vec![
                    Cell::text(&p.payout.id),
                    Cell::money(p.payout.amount).expect("exact"),
                    Cell::text(p.payout.amount.currency.code()),
                ]
            })
            .collect(),
    }
}

/// A workbook of the journal of a Stripe simulator's payouts, those payouts, and
/// the guard's cases; read back here, and by openpyxl in tests/xlsx_openpyxl.
#[tokio::test]
async fn a_workbook_for_openpyxl() {
    let payouts = synced_payouts(Dialect::Stripe).await;
    let given: Vec<(String, PayoutWithLines)> = payouts
        .iter()
        .map(|p| ("stripe".to_string(), p.clone()))
        .collect();
    let tables = [
        journal_table(&given).expect("the journal"),
        payouts_sheet(&payouts),
        guard_sheet(),
    ];
    let bytes = write_xlsx(&tables, Vec::new()).expect("the workbook");

    let sheets = read(&bytes);
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Journal", "Payouts", "Guard"]);
    check_totals(&xlsx_rows(&bytes, "Journal"), &payouts);
    let guard = &sheets[2].rows;
    let texts: Vec<&str> = guard[1..].iter().map(|r| r[0].text()).collect();
    assert_eq!(
        texts,
        [
            "'=1+1",
            "'+SUM(A1:A2)",
            "'-2+3",
            "'@cmd",
            "'\t=1",
            "'\r=1",
            "plain <&> \"text\""
        ]
    );
    assert_eq!(guard[1][1], XCell::Number("-12.50".into()));
    assert_eq!(guard[2][1], XCell::Number("1200".into()));
    assert_eq!(guard[3][1], XCell::Number("1.250".into()));
    assert_eq!(guard[1][3], XCell::Number("-3".into()));
    assert_eq!(guard[1][4], XCell::Text("2026-11-30".into()));
    let mut read_back: BTreeMap<String, Decimal> = BTreeMap::new();
    for row in &sheets[1].rows[1..] {
        *read_back.entry(row[2].text().to_string()).or_default() += decimal(row[1].text());
    }
    let mut expected: BTreeMap<String, Decimal> = BTreeMap::new();
    for p in &payouts {
        *expected
            .entry(p.payout.amount.currency.code().to_string())
            .or_default() += p.payout.amount.amount;
    }
    assert_eq!(read_back, expected);

    if let Some(path) = std::env::var_os("PAYDECK_XLSX_OUT") {
        std::fs::write(&path, &bytes).expect("PAYDECK_XLSX_OUT is writable");
    }
}
