//! The Pin dialect's transfers, line items and balance over real HTTP on
//! loopback: made from the settlement books, moving with the clock.

mod common;

use common::simulator::{Sim, quick_http, seeded, start};
use common::{Dialect, made, new_charge, test_card};
use paydeck::gateway::Gateway;
use paydeck::money::{Currency, Money};
use paydeck::sim::SimConfig;
use serde_json::Value;

async fn pin(charges: usize) -> Sim {
    let config = SimConfig {
        seed: 11,
        ..seeded(charges, 5)
    };
    start(Dialect::Pin, config).await
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

fn items(page: &Value) -> &Vec<Value> {
    page["response"].as_array().expect("a list")
}

/// Every page of `path` (which has no query yet), `per_page` at a time.
async fn every_page(s: &Sim, path: &str, per_page: u32) -> Vec<Value> {
    let mut all = Vec::new();
    let mut page = 1;
    loop {
        let (status, body) = s
            .get_json(&format!("{path}?page={page}&per_page={per_page}"))
            .await;
        assert_eq!(status, 200, "{path} page {page}: {body}");
        all.extend(items(&body).iter().cloned());
        assert_eq!(body["pagination"]["current"], page);
        assert_eq!(body["pagination"]["per_page"], per_page);
        match body["pagination"]["next"].as_u64() {
            Some(next) => page = u32::try_from(next).expect("a page number"),
            None => return all,
        }
    }
}

/// Seeded history has transfers; each reads back as listed, its amount is its
/// credits less its debits, and its line items (paged) add up to it.
#[tokio::test]
async fn transfers_are_paged_like_charges_and_their_line_items_add_up() {
    let s = pin(60).await;
    let (status, first) = s.get_json("transfers").await;
    assert_eq!(status, 200, "{first}");
    let total = int(&first["count"]);
    assert!(total > 3, "{first}");
    assert_eq!(first["pagination"]["count"], total);
    assert_eq!(first["pagination"]["per_page"], 25);
    let transfers = every_page(&s, "transfers", 2).await;
    assert_eq!(transfers.len() as i64, total);
    let created: Vec<&str> = transfers
        .iter()
        .map(|t| t["created_at"].as_str().expect("created_at"))
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "not newest first");
    assert!(
        transfers.iter().any(|t| t["status"] == "succeeded"),
        "seeded history is paid"
    );
    for listed in transfers.iter().take(4) {
        let token = listed["token"].as_str().expect("token");
        assert!(token.starts_with("tfer_") && token.len() == 27, "{token}");
        let (status, one) = s.get_json(&format!("transfers/{token}")).await;
        assert_eq!(status, 200);
        assert_eq!(&one["response"], listed);
        let t = &one["response"];
        assert_eq!(
            int(&t["amount"]),
            int(&t["total_credits"]) - int(&t["total_debits"]),
            "{t}"
        );
        let paid = t["paid_at"].as_str().is_some_and(|p| p.ends_with('Z'));
        match t["status"].as_str() {
            Some("succeeded") => assert!(paid, "{t}"),
            Some("pending") => assert_eq!(t["paid_at"], Value::Null),
            _ => panic!("status: {t}"),
        }
        let number = t["bank_account"]["number"].as_str().expect("number");
        assert!(number.starts_with("XXXX"), "masked: {number}");
        let lines = every_page(&s, &format!("transfers/{token}/line_items"), 3).await;
        assert_eq!(lines.len() as i64, int(&t["line_items_count"]));
        let mut sum = 0;
        for line in &lines {
            assert_eq!(line["currency"], t["currency"]);
            let prefix = match line["object"].as_str() {
                Some("charge") => "ch_",
                Some("refund") => "rf_",
                // The ledger spells dispute ids as Stripe does.
                Some("dispute") => "dp_",
                _ => panic!("object: {line}"),
            };
            let token = line["token"].as_str().expect("token");
            assert!(token.starts_with(prefix), "{line}");
            let charge = line["record"]["charge"].as_str().expect("its charge");
            assert!(charge.starts_with("ch_"), "{line}");
            let record = &line["record"];
            assert_eq!(
                int(&record["amount"]) - int(&record["total_fees"]),
                int(&line["amount"]),
                "{line}"
            );
            sum += int(&line["amount"]);
        }
        assert_eq!(sum, int(&t["amount"]), "{token}");
    }
}

/// A charge names the transfer its capture went into once a cut-off has taken
/// it: `pending` before the pay date, `paid` after; its fee is the one its
/// transfer's line charges.
#[tokio::test]
async fn a_capture_joins_a_transfer_as_the_clock_moves() {
    let s = pin(0).await;
    // Made through the adapter; the answers below are read raw.
    let gateway: Box<dyn Gateway> = Box::new(s.pin(quick_http()));
    let aud = Money::from_minor(10_000, Currency::AUD);
    let made = made(
        gateway.as_ref(),
        &new_charge(aud, true, test_card("4200000000000000")),
    )
    .await;
    let (_, created) = s.get_json(&format!("charges/{}", made.id)).await;
    let charge = created["response"]["token"].as_str().expect("token");
    // 1.75 % + 30c on a domestic card.
    assert_eq!(created["response"]["total_fees"], 205);
    assert_eq!(created["response"]["merchant_entitlement"], 9795);
    assert_eq!(created["response"]["transfer"], Value::Array(Vec::new()));
    let (_, balance) = s.get_json("balance").await;
    let aud = |side: &str| {
        balance["response"][side]
            .as_array()
            .expect(side)
            .iter()
            .find(|e| e["currency"] == "AUD")
            .map_or(0, |e| int(&e["amount"]))
    };
    assert!(aud("pending") >= 9795, "{balance}");

    s.advance_clock(86_400).await;
    let (_, shown) = s.get_json(&format!("charges/{charge}")).await;
    let transfer = &shown["response"]["transfer"][0];
    assert_eq!(transfer["state"], "pending", "{shown}");
    assert_eq!(transfer["paid_at"], Value::Null);
    let token = transfer["token"].as_str().expect("transfer token");
    let (_, t) = s.get_json(&format!("transfers/{token}")).await;
    assert_eq!(t["response"]["status"], "pending");
    assert_eq!(t["response"]["paid_at"], Value::Null);
    let lines = every_page(&s, &format!("transfers/{token}/line_items"), 100).await;
    let line = lines
        .iter()
        .find(|l| l["token"] == charge)
        .expect("the charge's line");
    assert_eq!(line["type"], "charge");
    assert_eq!(line["amount"], 9795);
    assert_eq!(line["record"]["total_fees"], 205);

    s.advance_clock(3 * 86_400).await;
    let (_, shown) = s.get_json(&format!("charges/{charge}")).await;
    let transfer = &shown["response"]["transfer"][0];
    assert_eq!(transfer["state"], "paid", "{shown}");
    assert_eq!(transfer["token"], token);
    let (_, t) = s.get_json(&format!("transfers/{token}")).await;
    assert_eq!(t["response"]["status"], "succeeded");
    assert_eq!(t["response"]["paid_at"], transfer["paid_at"]);
}

/// Unknown and malformed tokens are Pin's 404; bad paging is Pin's 422 naming
/// the parameter; the balance has both sides per currency.
#[tokio::test]
async fn unknown_transfers_and_bad_paging_answer_pins_errors() {
    let s = pin(30).await;
    for path in [
        "transfers/tfer_nope",
        "transfers/tfer_nope/line_items",
        "transfers/..%2Fcharges",
        "transfers/%00%ff",
    ] {
        let (status, body) = s.get_json(path).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert_eq!(body["error"], "not_found", "{path}");
    }
    let (_, list) = s.get_json("transfers").await;
    let token = list["response"][0]["token"].as_str().expect("a transfer");
    for query in ["page=0", "page=x", "per_page=-5", "per_page=1.5"] {
        for path in [
            "transfers".to_string(),
            format!("transfers/{token}/line_items"),
        ] {
            let (status, body) = s.get_json(&format!("{path}?{query}")).await;
            assert_eq!(status, 422, "{path}?{query}: {body}");
            assert_eq!(body["error"], "invalid_resource");
            let param = query.split('=').next().unwrap_or_default();
            assert_eq!(body["messages"][0]["param"], param, "{body}");
            assert_eq!(body["messages"][0]["code"], format!("{param}_invalid"));
        }
    }
    let (_, clamped) = s.get_json("transfers?per_page=1000").await;
    assert_eq!(clamped["pagination"]["per_page"], 100);
    let (status, balance) = s.get_json("balance").await;
    assert_eq!(status, 200);
    let b = &balance["response"];
    let currencies = |side: &str| -> Vec<Value> {
        b[side]
            .as_array()
            .expect(side)
            .iter()
            .map(|e| e["currency"].clone())
            .collect()
    };
    assert!(!currencies("available").is_empty(), "{balance}");
    assert_eq!(currencies("available"), currencies("pending"));
}
