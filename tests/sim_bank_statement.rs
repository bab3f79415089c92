//! The simulated bank over loopback: `GET /_sim/bank/statement` in CSV, OFX and
//! camt.053, each parsed back (the `csv` crate, `roxmltree`), against the
//! payouts the gateway says it paid and against `GET /_sim/bank/truth`.
//!
//! Counting rule: every merge puts two payouts in one deposit, so deposits =
//! payouts − lost − merges (the "plus the merges" read as the merges'
//! effect on the count); bank fee and unrelated lines are not deposits, and the
//! truth names each of them.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use chrono::NaiveDate;
use common::simulator::{Dialect, Sim, seeded, start};
use paydeck::money::Currency;
use paydeck::sim::{BankNoise, SimConfig};
use rust_decimal::Decimal;
use serde_json::Value;

/// Every kind of noise often enough to show in 30 days of payouts.
const HEAVY: &str = "merge=0.15,fee=0.2,late=0.2,ref=0.2,lost=0.1,unrelated=0.2";

const CAMT: &str = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02";

async fn bank_sim(dialect: Dialect, noise: &str) -> Sim {
    let config = SimConfig {
        seed: 11,
        bank_noise: noise.parse::<BankNoise>().expect("noise"),
        ..seeded(600, 40)
    };
    start(dialect, config).await
}

/// `GET /_sim/{path}` with the dialect's key: status and body text.
async fn get(sim: &Sim, path: &str) -> (u16, String) {
    sim.admin_get(path).await
}

async fn statement(sim: &Sim, format: &str, more: &str) -> String {
    let name = sim.dialect.name();
    let (status, body) = get(
        sim,
        &format!("bank/statement?dialect={name}&format={format}{more}"),
    )
    .await;
    assert_eq!(status, 200, "{format}: {body}");
    body
}

async fn truth(sim: &Sim, more: &str) -> Value {
    let name = sim.dialect.name();
    let (status, body) = get(sim, &format!("bank/truth?dialect={name}{more}")).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("truth is JSON")
}

/// One statement line as any format gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    /// OFX `FITID` / camt.053 `AcctSvcrRef`; the CSV has none.
    id: Option<String>,
    date: NaiveDate,
    amount: Decimal,
    reference: String,
}

fn decimal(text: &str) -> Decimal {
    Decimal::from_str(text.trim_start_matches('+')).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

/// The CSV's rows; each Balance is the one before plus the Amount.
fn csv_rows(body: &str) -> Vec<Row> {
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        header,
        ["Date", "Amount", "Description", "Reference", "Balance"]
    );
    let mut balance: Option<Decimal> = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let r = record.expect("an RFC 4180 record");
        assert!(r[1].starts_with(['+', '-']), "{r:?}");
        let amount = decimal(&r[1]);
        let after = decimal(&r[4]);
        if let Some(before) = balance {
            assert_eq!(before + amount, after, "{r:?}");
        }
        balance = Some(after);
        assert!(
            r[2].contains(&r[3]),
            "the description holds the reference: {r:?}"
        );
        rows.push(Row {
            id: None,
            date: NaiveDate::parse_from_str(&r[0], "%d/%m/%Y").expect("DD/MM/YYYY"),
            amount,
            reference: r[3].to_string(),
        });
    }
    rows
}

fn child_text<'a>(node: roxmltree::Node<'a, '_>, path: &[&str]) -> Option<&'a str> {
    let mut at = node;
    for name in path {
        at = at.children().find(|c| c.tag_name().name() == *name)?;
    }
    Some(at.text().unwrap_or(""))
}

/// The OFX's transactions and its ledger balance.
fn ofx_rows(body: &str) -> (Vec<Row>, Decimal) {
    let doc = roxmltree::Document::parse(body).expect("OFX 2 is XML");
    assert_eq!(doc.root_element().tag_name().name(), "OFX");
    let rows = doc
        .descendants()
        .filter(|n| n.has_tag_name("STMTTRN"))
        .map(|t| {
            let field = |name| child_text(t, &[name]).unwrap_or_else(|| panic!("{name} in {t:?}"));
            let amount = decimal(field("TRNAMT"));
            let kind = field("TRNTYPE");
            assert!(["CREDIT", "DEBIT", "FEE"].contains(&kind), "{kind}");
            assert_eq!(kind == "CREDIT", amount > Decimal::ZERO, "{kind} {amount}");
            assert!(field("NAME").chars().count() <= 32);
            Row {
                id: Some(field("FITID").to_string()),
                date: NaiveDate::parse_from_str(field("DTPOSTED"), "%Y%m%d").expect("date"),
                amount,
                reference: child_text(t, &["MEMO"]).unwrap_or("").to_string(),
            }
        })
        .collect();
    let ledger = doc
        .descendants()
        .find(|n| n.has_tag_name("LEDGERBAL"))
        .expect("LEDGERBAL");
    (
        rows,
        decimal(child_text(ledger, &["BALAMT"]).expect("BALAMT")),
    )
}

/// camt.053's entries, each checked for what the issue asks, and its
/// opening and closing balances.
fn camt_rows(body: &str, currency: &str) -> (Vec<Row>, Decimal, Decimal) {
    let doc = roxmltree::Document::parse(body).expect("camt.053 is XML");
    let root = doc.root_element();
    assert!(root.has_tag_name((CAMT, "Document")));
    let signed = |n: roxmltree::Node<'_, '_>| {
        let amt = n
            .children()
            .find(|c| c.has_tag_name((CAMT, "Amt")))
            .expect("Amt");
        assert_eq!(amt.attribute("Ccy"), Some(currency));
        let magnitude = decimal(amt.text().expect("amount"));
        assert!(magnitude >= Decimal::ZERO);
        match child_text(n, &["CdtDbtInd"]) {
            Some("CRDT") => magnitude,
            Some("DBIT") => -magnitude,
            other => panic!("CdtDbtInd {other:?}"),
        }
    };
    let balance = |code| {
        let bal = root
            .descendants()
            .filter(|n| n.has_tag_name((CAMT, "Bal")))
            .find(|b| child_text(*b, &["Tp", "CdOrPrtry", "Cd"]) == Some(code))
            .unwrap_or_else(|| panic!("{code} balance"));
        signed(bal)
    };
    let rows = root
        .descendants()
        .filter(|n| n.has_tag_name((CAMT, "Ntry")))
        .map(|e| {
            assert_eq!(child_text(e, &["Sts"]), Some("BOOK"));
            let booked = child_text(e, &["BookgDt", "Dt"]).expect("BookgDt");
            assert_eq!(child_text(e, &["ValDt", "Dt"]), Some(booked));
            assert!(child_text(e, &["BkTxCd", "Domn", "Cd"]).is_some(), "BkTxCd");
            Row {
                id: child_text(e, &["AcctSvcrRef"]).map(String::from),
                date: NaiveDate::parse_from_str(booked, "%Y-%m-%d").expect("date"),
                amount: signed(e),
                reference: child_text(e, &["NtryDtls", "TxDtls", "RmtInf", "Ustrd"])
                    .unwrap_or("")
                    .to_string(),
            }
        })
        .collect();
    (rows, balance("OPBD"), balance("CLBD"))
}

/// Every format of the statement (with `more` in its query), parsed and checked
/// to tell the same lines: the rows of camt.053 (which carry ids).
async fn every_format(sim: &Sim, currency: &str, more: &str) -> Vec<Row> {
    let more = format!("&currency={currency}{more}");
    let from_csv = csv_rows(&statement(sim, "csv", &more).await);
    let (from_ofx, ledger) = ofx_rows(&statement(sim, "ofx", &more).await);
    let (from_camt, opening, closing) =
        camt_rows(&statement(sim, "camt053", &more).await, currency);
    assert_eq!(from_ofx, from_camt, "OFX and camt.053 tell the same lines");
    let without_ids: Vec<Row> = from_camt
        .iter()
        .map(|r| Row {
            id: None,
            ..r.clone()
        })
        .collect();
    assert_eq!(from_csv, without_ids, "the CSV tells the same lines");
    let sum: Decimal = from_camt.iter().map(|r| r.amount).sum();
    assert_eq!(opening + sum, closing);
    assert_eq!(ledger, closing);
    from_camt
}

/// What the gateway itself says it paid in `currency` (net ≠ 0), as (id, bank
/// reference, amount), read through its own API: trx settlements `PAID`, Pin
/// transfers `succeeded`, Stripe payouts `paid` (their `trace_id`), Openpay
/// payouts `completed` (their `authorization`). `None` for a dialect that does
/// not serve its payouts yet.
async fn paid_by_gateway(sim: &Sim, currency: &str) -> Option<Vec<(String, String, Decimal)>> {
    let exp = Currency::from_code(currency).expect("currency").exponent();
    let minor = |v: &Value| Decimal::new(v.as_i64().expect("minor units"), exp);
    let text = |v: &Value, k: &str| {
        v[k].as_str()
            .unwrap_or_else(|| panic!("{k} in {v}"))
            .to_string()
    };
    let mut all = Vec::new();
    let mut next = String::new();
    loop {
        let (path, list) = match sim.dialect {
            Dialect::Trx => {
                let offset = next.parse::<usize>().unwrap_or(0);
                next = (offset + 100).to_string();
                (
                    format!(
                        "settlements?limit=100&offset={offset}&status=PAID&currency={currency}"
                    ),
                    "data",
                )
            }
            Dialect::Pin => {
                let page = next.parse::<usize>().unwrap_or(1);
                next = (page + 1).to_string();
                (format!("transfers?page={page}"), "response")
            }
            Dialect::Stripe => (format!("v1/payouts?limit=100&status=paid{next}"), "data"),
            Dialect::Openpay => {
                let offset = next.parse::<usize>().unwrap_or(0);
                next = (offset + 100).to_string();
                (format!("payouts?limit=100&offset={offset}"), "")
            }
        };
        let (status, page) = sim.get_json(&path).await;
        assert_eq!(status, 200, "{path}: {page}");
        // Openpay answers a bare array.
        let listed = if list.is_empty() { &page } else { &page[list] };
        let items = listed.as_array().cloned().unwrap_or_default();
        for p in &items {
            let (id, reference, amount) = match sim.dialect {
                Dialect::Trx => (
                    text(p, "id"),
                    text(p, "bank_reference"),
                    decimal(&text(p, "net_amount")),
                ),
                Dialect::Pin if p["status"] == "succeeded" && p["currency"] == currency => {
                    (text(p, "token"), text(p, "reference"), minor(&p["amount"]))
                }
                Dialect::Stripe if p["currency"] == currency.to_ascii_lowercase() => (
                    text(p, "id"),
                    text(&p["trace_id"], "value"),
                    minor(&p["amount"]),
                ),
                Dialect::Openpay if p["status"] == "completed" && p["currency"] == currency => (
                    text(p, "id"),
                    text(p, "authorization"),
                    decimal(&p["amount"].to_string()),
                ),
                _ => continue,
            };
            if !amount.is_zero() {
                all.push((id, reference, amount));
            }
        }
        let more = match sim.dialect {
            Dialect::Pin => !page["pagination"]["next"].is_null(),
            Dialect::Stripe => page["has_more"] == true,
            _ => items.len() == 100,
        };
        if !more {
            return Some(all);
        }
        if let (Dialect::Stripe, Some(last)) = (sim.dialect, items.last()) {
            next = format!("&starting_after={}", text(last, "id"));
        }
    }
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

/// With `--bank-noise none` the statement is the payouts, exactly: one deposit
/// per payout the gateway marks paid, same amount to the cent, same reference,
/// in every format; the truth tells no anomaly.
#[tokio::test]
async fn without_noise_the_deposits_are_the_payouts() {
    let sim = bank_sim(Dialect::Trx, "none").await;
    let paid = paid_by_gateway(&sim, "AUD")
        .await
        .expect("trx serves its payouts");
    assert!(paid.len() >= 10, "{} paid payouts", paid.len());
    let rows = every_format(&sim, "AUD", "").await;
    let on_statement = sorted(
        rows.iter()
            .map(|r| (r.reference.clone(), r.amount))
            .collect(),
    );
    let from_gateway = sorted(paid.iter().map(|(_, r, net)| (r.clone(), *net)).collect());
    assert_eq!(on_statement, from_gateway);
    let t = truth(&sim, "&currency=AUD").await;
    assert_eq!(t["anomalies"], Value::Array(Vec::new()));
    let ids = sorted(
        t["payouts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect(),
    );
    assert_eq!(
        ids,
        sorted(paid.iter().map(|(id, _, _)| id.clone()).collect())
    );
    // The default account is the currency most payouts are in: AUD here.
    assert_eq!(
        statement(&sim, "csv", "").await,
        statement(&sim, "csv", "&currency=AUD").await
    );
    sim.running.shutdown().await;
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// With heavy noise, on every dialect: the statement and the truth agree line
/// by line, deposits = payouts − lost − merges, a deposit's amount is the sum
/// of its payouts' to the cent, fee and unrelated lines are each named in the
/// truth, and a reference differs from its payout's only where the truth says.
/// Every kind of noise shows at least once.
#[tokio::test]
async fn with_noise_the_statement_is_what_the_truth_says() {
    let mut kinds_seen: BTreeMap<String, usize> = BTreeMap::new();
    for dialect in Dialect::ALL {
        let sim = bank_sim(dialect, HEAVY).await;
        let t = truth(&sim, "").await;
        let currency = t["currency"].as_str().expect("currency").to_string();
        let rows = every_format(&sim, &currency, "").await;
        let by_id: HashMap<&str, &Row> =
            rows.iter().map(|r| (r.id.as_deref().unwrap(), r)).collect();
        assert_eq!(by_id.len(), rows.len(), "line ids are unique");
        let payouts = t["payouts"].as_array().unwrap();
        let anomalies = t["anomalies"].as_array().unwrap();
        let count = |kind: &str| anomalies.iter().filter(|a| a["kind"] == kind).count();
        for a in anomalies {
            *kinds_seen
                .entry(a["kind"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        // Which lines the truth says are not deposits.
        let extra: Vec<&str> = anomalies
            .iter()
            .filter(|a| a["kind"] == "bank_fee" || a["kind"] == "unrelated")
            .map(|a| a["line"].as_str().expect("an extra line has an id"))
            .collect();
        for id in &extra {
            let a = anomalies.iter().find(|a| a["line"] == *id).unwrap();
            assert_eq!(
                decimal(a["amount"].as_str().unwrap()),
                by_id[id].amount,
                "{a}"
            );
        }
        let deposits: Vec<&Row> = rows
            .iter()
            .filter(|r| !extra.contains(&r.id.as_deref().unwrap()))
            .collect();
        assert_eq!(
            deposits.len(),
            payouts.len() - count("lost") - count("merged"),
            "{}: deposits = payouts − lost − merges",
            dialect.name()
        );
        for row in &deposits {
            let id = row.id.as_deref().unwrap();
            let mine: Vec<&Value> = payouts.iter().filter(|p| p["line"] == id).collect();
            assert!(!mine.is_empty(), "{id} pays no payout");
            let sum: Decimal = mine
                .iter()
                .map(|p| decimal(p["amount"].as_str().unwrap()))
                .sum();
            assert_eq!(row.amount, sum, "{id}");
            let spoiled = anomalies
                .iter()
                .find(|a| a["line"] == id && a["kind"].as_str().unwrap().starts_with("reference_"));
            match spoiled {
                Some(a) => {
                    assert_eq!(a["reference"], row.reference.as_str());
                    assert_ne!(row.reference, mine[0]["reference"].as_str().unwrap());
                }
                None => assert_eq!(
                    row.reference,
                    mine[0]["reference"].as_str().unwrap(),
                    "{id}"
                ),
            }
            if mine.len() > 1 {
                let merged = anomalies
                    .iter()
                    .find(|a| a["line"] == id && a["kind"] == "merged");
                let merged = merged.unwrap_or_else(|| panic!("{id} pays two payouts unsaid"));
                let ids: Vec<String> = mine
                    .iter()
                    .map(|p| p["id"].as_str().unwrap().to_string())
                    .collect();
                assert_eq!(sorted(strings(&merged["payouts"])), sorted(ids));
            }
        }
        for a in anomalies.iter().filter(|a| a["kind"] == "lost") {
            assert_eq!(a["line"], Value::Null);
            let id = strings(&a["payouts"]).remove(0);
            assert!(
                payouts
                    .iter()
                    .any(|p| p["id"] == id.as_str() && p["line"].is_null())
            );
        }
        // The truth's payouts are the gateway's, to the cent, where it serves them.
        if let Some(paid) = paid_by_gateway(&sim, &currency).await {
            for p in payouts {
                let id = p["id"].as_str().unwrap();
                let gw = paid
                    .iter()
                    .find(|(g, _, _)| g == id)
                    .unwrap_or_else(|| panic!("{id} not paid"));
                assert_eq!(
                    (
                        p["reference"].as_str().unwrap(),
                        decimal(p["amount"].as_str().unwrap())
                    ),
                    (gw.1.as_str(), gw.2)
                );
            }
        }
        sim.running.shutdown().await;
    }
    for kind in ["merged", "bank_fee", "late", "lost", "unrelated"] {
        assert!(kinds_seen.contains_key(kind), "no {kind} in {kinds_seen:?}");
    }
    assert!(
        kinds_seen.contains_key("reference_truncated")
            || kinds_seen.contains_key("reference_changed"),
        "{kinds_seen:?}"
    );
}

/// Moving the clock on books new deposits after the old ones, which stay as
/// they were (same ids, same amounts): a statement of a past day never changes.
#[tokio::test]
async fn the_statement_moves_forward_with_the_clock() {
    let sim = bank_sim(Dialect::Trx, HEAVY).await;
    let before = every_format(&sim, "AUD", "").await;
    sim.advance_clock(6 * 86_400).await;
    let after = every_format(&sim, "AUD", "").await;
    assert!(
        after.len() > before.len(),
        "{} then {}",
        before.len(),
        after.len()
    );
    assert_eq!(before[..], after[..before.len()]);
    let last = before.last().unwrap().date;
    assert!(after[before.len()..].iter().all(|r| r.date > last));
    // A range gives just its days.
    let day = last.format("%Y-%m-%d");
    let one_day = every_format(&sim, "AUD", &format!("&from={day}&to={day}")).await;
    let expected: Vec<Row> = after.iter().filter(|r| r.date == last).cloned().collect();
    assert_eq!(one_day, expected);
    sim.running.shutdown().await;
}

/// Anything unusable is a 400 that names the parameter and says what to write.
#[tokio::test]
async fn bad_requests_say_what_to_write() {
    let sim = bank_sim(Dialect::Pin, "none").await;
    for (query, param, says) in [
        (
            "statement?dialect=adyen&format=csv",
            "dialect",
            "Dialect must be pin, stripe, openpay or trx",
        ),
        ("truth?dialect=adyen", "dialect", "Dialect must be pin"),
        (
            "statement?dialect=pin",
            "format",
            "format must be csv, ofx or camt053",
        ),
        (
            "statement?dialect=pin&format=pdf",
            "format",
            "format must be csv, ofx or camt053",
        ),
        (
            "statement?format=csv&from=2026-13-01",
            "from",
            "from must be a date written YYYY-MM-DD",
        ),
        (
            "statement?format=csv&to=30/11/2026",
            "to",
            "to must be a date written YYYY-MM-DD",
        ),
        (
            "statement?format=ofx&from=2026-11-02&to=2026-11-01",
            "from",
            "from must be on or before to",
        ),
        (
            "truth?from=2024-01-01&to=2026-01-01",
            "to",
            "at most 366 days apart",
        ),
        (
            "statement?format=csv&currency=dollars",
            "currency",
            "ISO 4217 code",
        ),
    ] {
        let (status, body) = get(&sim, &format!("bank/{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        let body: Value = serde_json::from_str(&body).expect("JSON error");
        let message = &body["messages"][0];
        assert_eq!(message["param"], param, "{query}: {body}");
        assert!(
            message["message"].as_str().unwrap().contains(says),
            "{query}: {body}"
        );
    }
    let response = reqwest::Client::new()
        .get(format!("{}/_sim/bank/statement?format=csv", sim.root()))
        .bearer_auth("sk_test_wrong")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 401);
    sim.running.shutdown().await;
}
