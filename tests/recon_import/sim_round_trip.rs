//! The simulator's bank writes statements (`src/sim/bank/`); reading each
//! back must give exactly its lines: dates, amounts to the minor unit, texts,
//! references and (OFX, camt.053) the bank's ids.

use chrono::{DateTime, Days, NaiveDate, Utc};
use paydeck::money::Currency;
use paydeck::recon::import::{self, Format, guess_mapping};
use paydeck::recon::{Statement, StatementLine};
use paydeck::sim::BankNoise;
use paydeck::sim::bank::statement::statement;
use paydeck::sim::bank::{Account, Line, Paid, camt053, csv, ofx};

use crate::common::simulator::{Dialect, seeded, start};

/// Every kind of noise often enough to show in forty payouts: merged and late
/// deposits, bank fees and unrelated lines (debits among them), spoiled references.
const HEAVY: &str = "merge=0.15,fee=0.2,late=0.2,ref=0.2,lost=0.1,unrelated=0.3";

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 1).unwrap() + Days::new(n)
}

/// Forty payouts of `dialect` in `currency`, most a day apart, with amounts
/// that use every decimal place (and one debit).
fn payouts(dialect: &str, currency: Currency) -> Vec<Paid> {
    (0..40u64)
        .map(|n| Paid {
            id: format!("po_{dialect}_{n:02}"),
            reference: format!("{} PAYOUT {n:02}", dialect.to_ascii_uppercase()),
            currency,
            net: if n == 9 {
                -4_321
            } else {
                98_765 + 1_013 * n as i64
            },
            pay_date: day(n - n % 3),
        })
        .collect()
}

/// The simulator's lines for `dialect`, `seed`, `currency`, and its account.
fn sim_lines(dialect: &str, seed: u64, currency: Currency) -> Vec<Line> {
    let noise: BankNoise = HEAVY.parse().unwrap();
    statement(seed, dialect, &noise, &payouts(dialect, currency), day(60)).lines
}

fn account<'a>(dialect: &'a str, currency: Currency, lines: &'a [Line]) -> Account<'a> {
    Account {
        dialect,
        currency,
        from: day(0),
        to: day(60),
        now: DateTime::<Utc>::from_timestamp(1_796_000_000, 0).unwrap(),
        opening: 1_000_000,
        lines,
    }
}

/// `read` is `sim`, field by field; `bank_ids` whether the format carries them
/// and `text` what the format shows as a line's text.
fn assert_same(
    read: &Statement,
    sim: &[Line],
    currency: Currency,
    bank_ids: bool,
    text: impl Fn(&Line) -> String,
) {
    assert_eq!(read.lines.len(), sim.len(), "{}: line count", read.file);
    for (got, want) in read.lines.iter().zip(sim) {
        let at = format!("{} line {}: {got:?}", read.file, got.at_line);
        assert_eq!(got.booked, want.booked, "{at}");
        assert_eq!(got.amount.currency, currency, "{at}");
        assert_eq!(got.amount.to_minor(), Ok(want.amount), "{at}");
        assert_eq!(got.reference, want.reference, "{at}");
        assert_eq!(got.text, text(want), "{at}");
        let id = bank_ids.then(|| want.id.clone());
        assert_eq!(got.bank_id, id, "{at}");
    }
}

/// The simulator's own lines for (dialect, seed, currency), with enough noise
/// that each kind of line is there.
fn cases() -> Vec<(&'static str, u64, Currency)> {
    vec![
        ("trx", 11, Currency::AUD),
        ("pin", 12, Currency::AUD),
        ("stripe", 13, Currency::JPY),
        ("openpay", 14, Currency::KWD),
    ]
}

#[test]
fn every_format_the_simulator_writes_reads_back_line_for_line() {
    for (dialect, seed, currency) in cases() {
        let lines = sim_lines(dialect, seed, currency);
        assert!(lines.len() >= 30, "{dialect}: {} lines", lines.len());
        assert!(lines.iter().any(|l| l.amount < 0), "{dialect}: a debit");
        let account = account(dialect, currency, &lines);

        let ofx_text = ofx::render(&account);
        let read = import::parse("sim.ofx", ofx_text.as_bytes(), &Format::Ofx).unwrap();
        assert_same(&read, &lines, currency, true, |l| l.payer.clone());
        assert_eq!(
            read.account.as_deref(),
            Some(&*format!("12345678{currency}"))
        );

        let camt_text = camt053::render(&account);
        let read = import::parse("sim.xml", camt_text.as_bytes(), &Format::Camt053).unwrap();
        assert_same(&read, &lines, currency, true, |l| l.payer.clone());
        assert!(read.lines.iter().all(|l| l.value_date == Some(l.booked)));

        // The CSV through the mapping guessed from its own header.
        let csv_text = csv::render(&account);
        let guess = guess_mapping("sim.csv", csv_text.as_bytes(), currency).unwrap();
        assert!(guess.doubts.is_empty(), "{dialect}: {:?}", guess.doubts);
        let read =
            import::parse("sim.csv", csv_text.as_bytes(), &Format::Csv(guess.mapping)).unwrap();
        assert_same(&read, &lines, currency, false, |l| {
            format!("{} {}", l.payer, l.reference).trim().to_string()
        });
    }
}

#[test]
fn the_guessed_mapping_for_the_simulators_csv_is_the_right_one() {
    let lines = sim_lines("trx", 11, Currency::AUD);
    let text = csv::render(&account("trx", Currency::AUD, &lines));
    let guess = guess_mapping("sim.csv", text.as_bytes(), Currency::AUD).unwrap();
    let m = guess.mapping;
    assert_eq!((m.delimiter, m.header, m.skip_lines), (',', true, 0));
    assert_eq!((m.date, m.date_format.as_str()), (1, "%d/%m/%Y"));
    assert_eq!((m.amount, m.debit, m.credit), (Some(2), None, None));
    assert_eq!((m.text.as_slice(), m.reference), (&[3][..], Some(4)));
    assert_eq!((m.decimal, m.thousands), ('.', None));
    // The mapping the demo saves beside its statement is this one.
    assert_eq!(m, csv::mapping(Currency::AUD));
}

fn by_id(lines: &[StatementLine]) -> Vec<(NaiveDate, i64, String)> {
    lines
        .iter()
        .map(|l| (l.booked, l.amount.to_minor().unwrap(), l.reference.clone()))
        .collect()
}

/// Over HTTP, as a session would fetch it from a running simulator: the three
/// formats of one statement read as the same lines, ids the same in OFX and
/// camt.053, and the count is what the truth's lines say.
#[tokio::test]
async fn statements_served_over_http_read_the_same_in_every_format() {
    for dialect in [Dialect::Trx, Dialect::Pin] {
        let config = paydeck::sim::SimConfig {
            seed: 5,
            bank_noise: HEAVY.parse().unwrap(),
            ..seeded(600, 40)
        };
        let sim = start(dialect, config).await;
        let client = reqwest::Client::new();
        let mut read = Vec::new();
        for format in ["csv", "ofx", "camt053"] {
            let url = format!(
                "{}/_sim/bank/statement?dialect={}&format={format}&currency=AUD",
                sim.root(),
                dialect.name()
            );
            let response = client.get(url).bearer_auth(&sim.key).send().await.unwrap();
            assert_eq!(response.status(), 200, "{format}");
            let body = response.bytes().await.unwrap();
            let how = match import::detect(&body) {
                import::Detected::Ofx => Format::Ofx,
                import::Detected::Camt053 => Format::Camt053,
                import::Detected::Csv => {
                    Format::Csv(guess_mapping(format, &body, Currency::AUD).unwrap().mapping)
                }
            };
            read.push(import::parse(format, &body, &how).unwrap());
        }
        let [from_csv, from_ofx, from_camt] = &read[..] else {
            unreachable!()
        };
        assert!(
            from_camt.lines.len() >= 10,
            "{} lines",
            from_camt.lines.len()
        );
        assert_eq!(by_id(&from_csv.lines), by_id(&from_camt.lines));
        assert_eq!(by_id(&from_ofx.lines), by_id(&from_camt.lines));
        let ids = |s: &Statement| {
            s.lines
                .iter()
                .map(|l| l.bank_id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(from_ofx), ids(from_camt));
        assert!(ids(from_camt).iter().all(Option::is_some));
        sim.running.shutdown().await;
    }
}
