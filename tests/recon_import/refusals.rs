//! Bad input is refused with the file, the line (or element) and what to do;
//! oversized input is refused before it costs anything; no input panics.

use paydeck::money::Currency;
use paydeck::recon::import::{
    self, CsvMapping, Format, ImportError, Location, MAX_FILE_BYTES, MAX_LINE_BYTES, Problem,
    guess_mapping,
};
use proptest::prelude::*;

fn mapping(extra: &str) -> CsvMapping {
    CsvMapping::from_toml(&format!(
        "date = 1\ndate_format = \"%d.%m.%Y\"\ntext = [2]\namount = 3\ndecimal = \",\"\ncurrency = \"EUR\"\n{extra}"
    ))
    .unwrap()
}

fn csv_error(text: &str, mapping: CsvMapping) -> ImportError {
    import::parse("statement.csv", text.as_bytes(), &Format::Csv(mapping)).unwrap_err()
}

#[test]
fn a_bad_csv_field_names_the_line_the_value_and_the_column() {
    let mut text = String::from("Datum,Text,Betrag\n");
    for n in 2..14 {
        text.push_str(&format!("01.11.2026,Line {n},\"1,00\"\n"));
    }
    text.push_str("01.11.2026,Bad,\"12,5O\"\n");
    let e = csv_error(&text, mapping(""));
    assert_eq!(
        (e.at.clone(), e.problem),
        (Location::Line(14), Problem::Field)
    );
    assert_eq!(
        e.to_string(),
        "statement.csv line 14: the amount '12,5O' is not a number; the mapping says column 3 is the amount, written like 1234,56"
    );

    let e = csv_error("Datum,Text,Betrag\n2026-11-01,x,\"1,00\"\n", mapping(""));
    assert_eq!(
        e.to_string(),
        "statement.csv line 2: the date '2026-11-01' does not match the date format \"%d.%m.%Y\"; the mapping says column 1 is the date"
    );
    let e = csv_error("Datum,Text\n01.11.2026,x\n", mapping(""));
    assert_eq!(e.problem, Problem::Mapping);
    assert!(
        e.to_string()
            .contains("line 2: the line has 2 fields, but the mapping says column 3 is the amount"),
        "{e}"
    );
    let e = csv_error("Datum,Text,Betrag\n01.11.2026,x,\"1,005\"\n", mapping(""));
    assert!(
        e.to_string()
            .contains("has more decimal places than EUR has (2)"),
        "{e}"
    );
    let e = csv_error(
        "Datum,Text,Betrag,Waehrung\n01.11.2026,x,1,EURO\n",
        mapping("currency_column = 4\n"),
    );
    assert!(
        e.to_string()
            .contains("the currency 'EURO' is not an ISO 4217 code"),
        "{e}"
    );
}

#[test]
fn a_debit_credit_line_with_both_or_neither_is_refused() {
    let m = CsvMapping::from_toml(
        "date = 1\ndate_format = \"%Y-%m-%d\"\ndebit = 2\ncredit = 3\ncurrency = \"AUD\"\n",
    )
    .unwrap();
    let e = csv_error("Date,Out,In\n2026-11-01,5.00,7.00\n", m.clone());
    assert!(
        e.to_string()
            .contains("line 2: both the debit (column 2) and the credit (column 3) are filled"),
        "{e}"
    );
    let e = csv_error("Date,Out,In\n2026-11-01,,\n", m);
    assert!(
        e.to_string().ends_with("line 2: the line has no amount"),
        "{e}"
    );
}

#[test]
fn broken_xml_and_bad_values_name_the_element_and_line() {
    let camt = std::fs::read_to_string(crate::fixture("camt053_batch.xml")).unwrap();
    let bad = camt.replacen(
        "<Amt Ccy=\"EUR\">600.00</Amt>",
        "<Amt Ccy=\"EUR\">6OO.00</Amt>",
        1,
    );
    let e = import::parse("camt.xml", bad.as_bytes(), &Format::Camt053).unwrap_err();
    assert_eq!(
        e.to_string(),
        "camt.xml line 43 (Ntry 2/Amt): the amount '6OO.00' is not an unsigned number with at most 2 decimals (the sign is in CdtDbtInd)"
    );
    let bad = camt.replacen(
        "<CdtDbtInd>DBIT</CdtDbtInd>",
        "<CdtDbtInd>DEBIT</CdtDbtInd>",
        1,
    );
    let e = import::parse("camt.xml", bad.as_bytes(), &Format::Camt053).unwrap_err();
    assert!(
        e.to_string()
            .contains("(Ntry 3/CdtDbtInd): CdtDbtInd is 'DEBIT'; it must be CRDT or DBIT"),
        "{e}"
    );
    let cut = &camt[..camt.len() / 2];
    let e = import::parse("camt.xml", cut.as_bytes(), &Format::Camt053).unwrap_err();
    assert_eq!(e.problem, Problem::Syntax, "{e}");
    assert!(e.to_string().contains("it was cut short"), "{e}");
    let e = import::parse(
        "x.xml",
        b"<Document><BkToCstmrAcctRpt/></Document>",
        &Format::Camt053,
    )
    .unwrap_err();
    assert!(
        e.to_string().contains(
            "not a camt.053 statement: expected <BkToCstmrStmt>, found <BkToCstmrAcctRpt>"
        ),
        "{e}"
    );

    let ofx = std::fs::read(crate::fixture("ofx1_sgml.ofx")).unwrap();
    let ofx = String::from_utf8_lossy(&ofx).replacen("<TRNAMT>-42.00", "<TRNAMT>-42.0.0", 1);
    let e = import::parse("bank.ofx", ofx.as_bytes(), &Format::Ofx).unwrap_err();
    assert_eq!(
        e.to_string(),
        "bank.ofx line 51 (STMTTRN 2/TRNAMT): the amount '-42.0.0' is not a number"
    );
    let cut = &ofx[..ofx.len() / 2];
    let e = import::parse("bank.ofx", cut.as_bytes(), &Format::Ofx).unwrap_err();
    assert!(
        e.to_string()
            .contains("ends before </OFX>; it was cut short"),
        "{e}"
    );
    let e = import::parse("bank.ofx", b"Date,Amount\n", &Format::Ofx).unwrap_err();
    assert!(e.to_string().contains("no <OFX> element"), "{e}");
}

#[test]
fn xml_entities_and_depth_cannot_blow_up() {
    let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n\
                <Document><BkToCstmrStmt><Stmt><Ntry><AddtlNtryInf>&b;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>";
    let e = import::parse("bomb.xml", bomb.as_bytes(), &Format::Camt053).unwrap_err();
    assert!(
        e.to_string()
            .contains("the entity &b; is not one of XML's own"),
        "{e}"
    );
    let deep = format!("<Document><BkToCstmrStmt>{}", "<a>".repeat(100_000));
    let e = import::parse("deep.xml", deep.as_bytes(), &Format::Camt053).unwrap_err();
    assert!(e.to_string().contains("nested more than 64 deep"), "{e}");
}

#[test]
fn oversized_files_and_lines_are_refused_with_a_reason() {
    let huge = vec![b' '; MAX_FILE_BYTES as usize + 1];
    let e = import::parse("big.csv", &huge, &Format::Ofx).unwrap_err();
    assert_eq!(e.problem, Problem::TooLarge);
    assert!(
        e.to_string().contains("statements over 64 MiB are refused"),
        "{e}"
    );

    let dir = std::env::temp_dir().join(format!("paydeck-recon-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.ofx");
    std::fs::write(&path, &huge).unwrap();
    let e = import::import_file(&path, &Format::Ofx).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(e.problem, Problem::TooLarge, "{e}");
    drop(huge);

    let long = format!(
        "Datum,Text,Betrag\n01.11.2026,{},\"1,00\"\n",
        "x".repeat(MAX_LINE_BYTES)
    );
    let e = csv_error(&long, mapping(""));
    assert_eq!((e.at, e.problem), (Location::Line(2), Problem::TooLarge));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_bytes_make_any_reader_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = import::parse("f", &bytes, &Format::Ofx);
        let _ = import::parse("f", &bytes, &Format::Camt053);
        let _ = import::parse("f", &bytes, &Format::Csv(mapping("")));
        let _ = import::detect(&bytes);
        let _ = guess_mapping("f", &bytes, Currency::AUD);
    }

    /// Bytes that look like each format get further into the readers.
    #[test]
    fn no_near_statement_makes_any_reader_panic(
        pieces in proptest::collection::vec(prop_oneof![
            Just("<OFX>"), Just("<STMTTRN>"), Just("</STMTTRN>"), Just("<TRNAMT>"), Just("<DTPOSTED>"),
            Just("<CURDEF>"), Just("<CURSYM>"), Just("<CURRENCY>"), Just("&amp;"), Just("&"), Just("OFXHEADER:100\n"),
            Just("<Document>"), Just("<BkToCstmrStmt>"), Just("<Stmt>"), Just("<Ntry>"), Just("</Ntry>"),
            Just("<Amt Ccy=\"EUR\">"), Just("</Amt>"), Just("<CdtDbtInd>"), Just("</CdtDbtInd>"), Just("DBIT"),
            Just("<BookgDt><Dt>"), Just("</Dt></BookgDt>"), Just("<NtryDtls><TxDtls>"), Just("</TxDtls>"),
            Just("2026-11-30"), Just("20261130"), Just("-12.50"), Just("1,5"), Just("EUR"), Just("\n"), Just(";"),
            Just(","), Just("\""), Just("Date,Amount,Description\n"), Just("01.11.2026"), Just("\u{feff}"),
        ], 0..60)
    ) {
        let text: String = pieces.concat();
        let bytes = text.as_bytes();
        let _ = import::parse("f", bytes, &Format::Ofx);
        let _ = import::parse("f", bytes, &Format::Camt053);
        if let Ok(guess) = guess_mapping("f", bytes, Currency::AUD) {
            let _ = import::parse("f", bytes, &Format::Csv(guess.mapping));
        }
    }
}
