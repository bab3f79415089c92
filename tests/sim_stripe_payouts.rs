//! The Stripe dialect's money after capture over real HTTP on loopback: payouts,
//! balance transactions (with a payout's own), the balance, and a charge's
//! `balance_transaction` expanded.

mod common;

use std::collections::HashSet;

use common::Dialect;
use common::simulator::{Raw, seeded};
use paydeck::sim::SimConfig;
use serde_json::Value;

const DAY: u64 = 86_400;

async fn sim(charges: usize) -> Raw {
    Raw::start(
        Dialect::Stripe,
        SimConfig {
            seed: 11,
            ..seeded(charges, 10)
        },
    )
    .await
}

async fn get(s: &Raw, path: &str) -> (u16, Value) {
    let r = s
        .http
        .get(format!("{}{path}", s.url))
        .bearer_auth(&s.key)
        .send()
        .await
        .expect("a request");
    let status = r.status().as_u16();
    (status, r.json().await.expect("JSON"))
}

async fn ok(s: &Raw, path: &str) -> Value {
    let (status, body) = get(s, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

async fn advance(s: &Raw, seconds: u64) {
    let url = format!(
        "http://{}/_sim/clock/advance?seconds={seconds}&dialect=stripe",
        s.sim.addr
    );
    let r = s.http.post(url).bearer_auth(&s.key).send().await.unwrap();
    assert!(r.status().is_success());
}

fn data(list: &Value) -> &Vec<Value> {
    list["data"].as_array().expect("a list")
}

fn ids(list: &Value) -> Vec<String> {
    data(list)
        .iter()
        .map(|o| o["id"].as_str().expect("an id").to_string())
        .collect()
}

/// Every object of a list, following `starting_after` with pages of `limit`.
async fn every(s: &Raw, path: &str, limit: usize) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut out: Vec<Value> = Vec::new();
    loop {
        let after = out
            .last()
            .map(|o| format!("&starting_after={}", o["id"].as_str().unwrap()))
            .unwrap_or_default();
        let page = ok(s, &format!("{path}{sep}limit={limit}{after}")).await;
        out.extend(data(&page).iter().cloned());
        if page["has_more"] != true {
            return out;
        }
        assert!(out.len() < 10_000, "paging does not end");
    }
}

fn text(v: &Value) -> &str {
    v.as_str().expect("a string")
}

fn error_of(body: &Value) -> (&str, &str) {
    (
        body["error"]["code"].as_str().unwrap_or(""),
        body["error"]["param"].as_str().unwrap_or(""),
    )
}

#[tokio::test]
async fn payouts_come_newest_first_page_by_cursor_and_filter() {
    let s = sim(150).await;
    advance(&s, 4 * DAY).await;
    let all = ok(&s, "/v1/payouts?limit=100").await;
    assert_eq!(all["object"], "list");
    assert_eq!(all["url"], "/v1/payouts");
    let every_id = ids(&all);
    assert!(every_id.len() >= 4, "{} payouts", every_id.len());
    let created: Vec<i64> = data(&all)
        .iter()
        .map(|p| p["created"].as_i64().unwrap())
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "not newest first");
    let paged: Vec<String> = every(&s, "/v1/payouts", 2)
        .await
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paged, every_id);
    // ending_before goes back towards the newest.
    let before = ok(
        &s,
        &format!("/v1/payouts?limit=2&ending_before={}", every_id[3]),
    )
    .await;
    assert_eq!(ids(&before), every_id[1..3]);

    let count = |status: &'static str| {
        let s = &s;
        async move { data(&ok(s, &format!("/v1/payouts?limit=100&status={status}")).await).len() }
    };
    let (paid, transit, pending) = (
        count("paid").await,
        count("in_transit").await,
        count("pending").await,
    );
    assert!(paid > 0, "nothing paid after four days");
    assert_eq!(paid + transit + pending, every_id.len());
    for p in data(&ok(&s, "/v1/payouts?limit=100&status=paid").await) {
        assert_eq!(p["trace_id"]["status"], "supported", "{p}");
        assert!(p["trace_id"]["value"].is_string());
        assert_eq!(p["automatic"], true);
        assert_eq!(p["reconciliation_status"], "completed");
    }
    let newest_arrival = data(&all)[0]["arrival_date"].as_i64().unwrap();
    let late = ok(
        &s,
        &format!("/v1/payouts?limit=100&arrival_date[gte]={newest_arrival}"),
    )
    .await;
    assert!(!data(&late).is_empty());
    assert!(data(&late).len() < every_id.len());
    assert!(
        data(&late)
            .iter()
            .all(|p| p["arrival_date"].as_i64().unwrap() >= newest_arrival)
    );

    let (status, body) = get(&s, "/v1/payouts?status=lost").await;
    assert_eq!((status, error_of(&body).1), (400, "status"), "{body}");
    let (status, body) = get(&s, "/v1/payouts?limit=101").await;
    assert_eq!((status, error_of(&body).1), (400, "limit"), "{body}");
    let (status, body) = get(&s, "/v1/payouts?cursor=x").await;
    assert_eq!(error_of(&body), ("parameter_unknown", "cursor"), "{status}");

    let one = ok(&s, &format!("/v1/payouts/{}", every_id[0])).await;
    assert_eq!(one, data(&all)[0]);
    let expanded = ok(
        &s,
        &format!("/v1/payouts/{}?expand[]=destination", every_id[0]),
    )
    .await;
    assert_eq!(expanded["destination"]["object"], "bank_account");
    assert_eq!(expanded["destination"]["last4"].as_str().unwrap().len(), 4);
    let (status, body) = get(&s, "/v1/payouts/po_nosuchpayout000000000000").await;
    assert_eq!(status, 404);
    assert_eq!(error_of(&body), ("resource_missing", "id"));
    s.sim.shutdown().await;
}

#[tokio::test]
async fn a_payouts_balance_transactions_net_to_zero_with_its_own() {
    let s = sim(150).await;
    advance(&s, 4 * DAY).await;
    let payouts = data(&ok(&s, "/v1/payouts?limit=100").await).clone();
    let mut seen = HashSet::new();
    let mut categories = HashSet::new();
    for p in &payouts {
        let po = p["id"].as_str().unwrap();
        let txns = every(&s, &format!("/v1/balance_transactions?payout={po}"), 7).await;
        let own: Vec<&Value> = txns.iter().filter(|t| t["type"] == "payout").collect();
        assert_eq!(own.len(), 1, "{po}");
        assert_eq!(own[0]["id"], p["balance_transaction"]);
        assert_eq!(own[0]["net"].as_i64(), p["amount"].as_i64().map(|a| -a));
        let net: i64 = txns.iter().map(|t| t["net"].as_i64().unwrap()).sum();
        assert_eq!(net, 0, "{po}: the lines do not make the payout");
        for t in &txns {
            assert!(seen.insert(t["id"].as_str().unwrap().to_string()), "{t}");
            let (amount, fee, net) = (t["amount"].as_i64(), t["fee"].as_i64(), t["net"].as_i64());
            assert_eq!(Some(amount.unwrap() - fee.unwrap()), net, "{t}");
            let details: i64 = t["fee_details"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["amount"].as_i64().unwrap())
                .sum();
            assert_eq!(Some(details), fee, "{t}");
            assert_eq!(t["currency"], p["currency"]);
            assert_eq!(t["status"], "available");
            categories.insert(t["reporting_category"].as_str().unwrap().to_string());
        }
        let charge = txns.iter().find(|t| t["type"] == "charge");
        if let Some(charge) = charge {
            let path = format!("/v1/balance_transactions/{}", text(&charge["id"]));
            let one = ok(&s, &path).await;
            assert_eq!(&one, charge);
            let ch = charge["source"].as_str().unwrap();
            assert!(ch.starts_with("ch_"), "{ch}");
            let c = ok(&s, &format!("/v1/charges/{ch}")).await;
            assert_eq!(c["balance_transaction"], charge["id"]);
        }
    }
    for category in ["charge", "refund", "dispute", "payout"] {
        assert!(categories.contains(category), "no {category} line");
    }
    // expand[]=data.source puts the object in place of its id: each names its charge.
    let expanded = ok(
        &s,
        "/v1/balance_transactions?limit=100&expand[]=data.source",
    )
    .await;
    for t in data(&expanded) {
        let object = t["source"]["object"].as_str().expect("an expanded source");
        let charge = match object {
            "charge" => &t["source"]["id"],
            "refund" | "dispute" => &t["source"]["charge"],
            _ => continue,
        };
        assert!(text(charge).starts_with("ch_"), "{t}");
    }
    // Filters: type, source; an unknown payout is Stripe's resource_missing.
    let charges = ok(&s, "/v1/balance_transactions?type=charge&limit=5").await;
    assert!(data(&charges).iter().all(|t| t["type"] == "charge"));
    let first = &data(&charges)[0];
    let path = format!("/v1/balance_transactions?source={}", text(&first["source"]));
    let by_source = ok(&s, &path).await;
    assert_eq!(data(&by_source)[0]["id"], first["id"]);
    let (status, body) = get(
        &s,
        "/v1/balance_transactions?payout=po_nosuch000000000000000000",
    )
    .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(error_of(&body), ("resource_missing", "payout"));
    let (status, body) = get(&s, "/v1/balance_transactions?type=no%20such").await;
    assert_eq!((status, error_of(&body).1), (400, "type"), "{body}");
    let (status, _) = get(&s, "/v1/balance_transactions/txn_nosuch00000000000000000").await;
    assert_eq!(status, 404);
    // A dispute carries its balance transactions in full.
    let disputes = ok(&s, "/v1/disputes?limit=100").await;
    let with = data(&disputes)
        .iter()
        .find(|d| !d["balance_transactions"].as_array().unwrap().is_empty())
        .expect("a dispute with its balance transactions");
    let debit = &with["balance_transactions"][0];
    assert_eq!(debit["source"], with["id"]);
    assert_eq!(
        debit["amount"].as_i64(),
        with["amount"].as_i64().map(|a| -a)
    );
    s.sim.shutdown().await;
}

#[tokio::test]
async fn a_capture_is_pending_in_the_balance_until_a_payout_takes_it() {
    let s = sim(0).await;
    let form = [
        ("amount", "2500"),
        ("currency", "aud"),
        ("source", "tok_visa"),
    ];
    let r = s
        .http
        .post(format!("{}/v1/charges", s.url))
        .bearer_auth(&s.key)
        .form(&form)
        .send()
        .await
        .unwrap();
    let charge: Value = r.json().await.unwrap();
    let ch = charge["id"].as_str().unwrap();
    let txn = charge["balance_transaction"]
        .as_str()
        .expect("an id")
        .to_string();
    let expanded = ok(
        &s,
        &format!("/v1/charges/{ch}?expand[]=balance_transaction"),
    )
    .await;
    let bt = &expanded["balance_transaction"];
    assert_eq!(bt["id"], txn.as_str());
    assert_eq!(bt["source"], ch);
    // tok_visa is a US card, so international: A$25.00 × 3.50 % = 87.5c → 88c, + 30c.
    assert_eq!(
        (bt["amount"].as_i64(), bt["fee"].as_i64()),
        (Some(2500), Some(118))
    );
    assert_eq!(bt["net"], 2382);
    assert_eq!(bt["status"], "pending");
    let balance = ok(&s, "/v1/balance").await;
    assert_eq!(balance["object"], "balance");
    let aud = |side: &str, b: &Value| {
        b[side]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["currency"] == "aud")
            .map(|e| e["amount"].as_i64().unwrap())
    };
    assert_eq!(aud("pending", &balance), Some(2382));
    assert_eq!(aud("available", &balance), Some(0));
    assert!(data(&ok(&s, "/v1/payouts").await).is_empty());

    advance(&s, 3 * DAY).await;
    let balance = ok(&s, "/v1/balance").await;
    assert_eq!(aud("pending", &balance), Some(0));
    let payouts = ok(&s, "/v1/payouts").await;
    assert_eq!(data(&payouts).len(), 1);
    let payout = &data(&payouts)[0];
    assert_eq!(payout["amount"], 2382);
    assert_eq!(payout["status"], "paid");
    let po = payout["id"].as_str().unwrap();
    let mine = ok(
        &s,
        &format!("/v1/balance_transactions?payout={po}&source={ch}"),
    )
    .await;
    assert_eq!(ids(&mine), std::slice::from_ref(&txn));
    let bt = ok(&s, &format!("/v1/balance_transactions/{txn}")).await;
    assert_eq!(bt["status"], "available");
    assert_eq!(bt["available_on"], payout["created"]);
    s.sim.shutdown().await;
}
