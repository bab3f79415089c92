//! Files shaped like real banks' exports: a German debit/credit CSV with a
//! comma decimal and dd.mm.yyyy dates, an OFX 1 SGML file in Windows-1252,
//! and a camt.053.001.08 with several entries and a batched one.

use chrono::NaiveDate;
use paydeck::money::{Currency, Money};
use paydeck::recon::import::{self, CsvMapping, Format, guess_mapping, read_bounded};
use paydeck::recon::statement::SourceFormat;
use rust_decimal::Decimal;

use crate::fixture;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn money(text: &str, code: &str) -> Money {
    Money::new(
        Decimal::from_str_exact(text).unwrap(),
        Currency::from_code(code).unwrap(),
    )
    .unwrap()
}

fn saved_mapping() -> CsvMapping {
    let text = std::fs::read_to_string(fixture("debit_credit_comma.toml")).unwrap();
    CsvMapping::from_toml(&text).unwrap()
}

#[test]
fn a_debit_credit_csv_with_comma_decimals_reads_as_the_bank_means() {
    let bytes = read_bounded(&fixture("debit_credit_comma.csv")).unwrap();
    let statement = import::parse("umsaetze.csv", &bytes, &Format::Csv(saved_mapping())).unwrap();
    assert_eq!(statement.format, SourceFormat::Csv);
    let rows: Vec<_> = statement
        .lines
        .iter()
        .map(|l| {
            (
                l.at_line,
                l.booked,
                l.value_date,
                l.amount,
                l.text.as_str(),
                l.reference.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                5,
                date("2026-11-02"),
                Some(date("2026-11-03")),
                money("1234.56", "EUR"),
                "GUTSCHRIFT PIN PAYMENTS",
                "PAYOUT tr_7Hh3kQ 2026-11-01"
            ),
            (
                6,
                date("2026-11-03"),
                Some(date("2026-11-03")),
                money("-3.80", "EUR"),
                "KARTENZAHLUNG CAFE AM MARKT",
                "Karte 4417; Filiale 2"
            ),
            (
                7,
                date("2026-11-03"),
                Some(date("2026-11-03")),
                money("-3.80", "EUR"),
                "KARTENZAHLUNG CAFE AM MARKT",
                "Karte 4417; Filiale 2"
            ),
            (
                8,
                date("2026-11-05"),
                Some(date("2026-11-04")),
                money("-12.50", "EUR"),
                "ENTGELT SPARKASSE",
                "Kontoführung November"
            ),
        ]
    );
    assert!(statement.lines.iter().all(|l| l.bank_id.is_none()));
}

#[test]
fn the_mapping_of_a_german_export_is_guessed_from_its_header() {
    let bytes = std::fs::read(fixture("debit_credit_comma.csv")).unwrap();
    let guess = guess_mapping("umsaetze.csv", &bytes, Currency::from_code("EUR").unwrap()).unwrap();
    assert_eq!(guess.mapping, saved_mapping(), "doubts: {:?}", guess.doubts);
    assert!(guess.doubts.is_empty(), "{:?}", guess.doubts);
}

#[test]
fn an_ofx_1_sgml_file_in_windows_1252_reads_with_its_unclosed_tags() {
    let bytes = read_bounded(&fixture("ofx1_sgml.ofx")).unwrap();
    assert_eq!(import::detect(&bytes), import::Detected::Ofx);
    let statement = import::parse("bank.ofx", &bytes, &Format::Ofx).unwrap();
    assert_eq!(statement.account.as_deref(), Some("9876543210"));
    let rows: Vec<_> = statement
        .lines
        .iter()
        .map(|l| {
            (
                l.booked,
                l.value_date,
                l.amount,
                l.text.as_str(),
                l.reference.as_str(),
                l.bank_id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                date("2026-11-02"),
                Some(date("2026-11-03")),
                money("1193.28", "USD"),
                "STRIPE TRANSFER",
                "ST-A1B2C3D4E5F6",
                Some("2026110201")
            ),
            (
                date("2026-11-05"),
                None,
                money("-42", "USD"),
                "AT&T MOBILITY",
                "AUTOPAY & PAPERLESS",
                Some("2026110501")
            ),
            (
                date("2026-11-12"),
                None,
                money("-4.5", "USD"),
                "CAFÉ DU COIN",
                "",
                Some("2026111201")
            ),
            (
                date("2026-11-30"),
                None,
                money("-15", "USD"),
                "MONTHLY SERVICE FEE",
                "",
                Some("2026113001")
            ),
        ]
    );
    assert_eq!(statement.lines[1].other_refs, ["884211"]);
    assert_eq!(statement.lines[0].at_line, 39);
}

#[test]
fn a_camt053_with_a_batched_entry_keeps_each_transfer() {
    let bytes = read_bounded(&fixture("camt053_batch.xml")).unwrap();
    assert_eq!(import::detect(&bytes), import::Detected::Camt053);
    let statement = import::parse("camt.xml", &bytes, &Format::Camt053).unwrap();
    assert_eq!(statement.account.as_deref(), Some("DE89370400440532013000"));
    assert_eq!(statement.pending_skipped, 1, "the PDNG entry is left out");
    let [single, batch, fee] = &statement.lines[..] else {
        panic!("{:#?}", statement.lines)
    };
    assert_eq!(single.amount, money("1234.56", "EUR"));
    assert_eq!(
        (single.booked, single.value_date),
        (date("2026-11-02"), Some(date("2026-11-03")))
    );
    assert_eq!(single.bank_id.as_deref(), Some("2026110200001AB"));
    assert_eq!(single.text, "SEPA CREDIT TRANSFER STRIPE");
    assert_eq!(single.reference, "STRIPE PAYOUT po_1QxYz2026");
    assert_eq!(single.other_refs, ["E2026110200001", "po_1QxYz2026"]);
    assert!(single.details.is_empty());

    assert_eq!(batch.amount, money("600", "EUR"));
    assert_eq!(
        batch.text, "Muster GmbH",
        "no AddtlNtryInf: the first party"
    );
    assert_eq!(
        batch.reference,
        "Rechnung 1001 / RF18539007547034 / Rechnung 1003"
    );
    assert_eq!(batch.other_refs, ["INV-1001", "INV-1003"]);
    let parts: Vec<_> = batch
        .details
        .iter()
        .map(|d| (d.amount, d.party.as_deref(), d.end_to_end_id.as_deref()))
        .collect();
    assert_eq!(
        parts,
        [
            (
                Some(money("100", "EUR")),
                Some("Muster GmbH"),
                Some("INV-1001")
            ),
            (Some(money("200", "EUR")), Some("Beispiel AG"), None),
            (
                Some(money("300", "EUR")),
                Some("Kunde & Co KG"),
                Some("INV-1003")
            ),
        ]
    );
    assert_eq!(fee.amount, money("-2.50", "EUR"));
    assert_eq!(fee.bank_id.as_deref(), Some("2026110400008AB"));
    assert_eq!(fee.value_date, Some(date("2026-11-04")));
}
