//! Every seeded charge of every dialect renders as its ledger state: each action
//! its rendered state allows (capture or void of an authorisation, refund of
//! captured money not yet refunded) is accepted, over real HTTP on loopback.
//! The seed and sizes are `paydeck sim --charges 400`'s.

mod common;

use paydeck::sim::{DialectInfo, RunningSim, SimConfig};
use reqwest::{Client, Method, RequestBuilder};
use serde_json::{Value, json};

async fn sim() -> RunningSim {
    let config = SimConfig {
        charges: 400,
        ..SimConfig::default()
    };
    common::simulator::start_all(config).await
}

/// One request; the status and the JSON body (or the text as a string).
async fn send(rb: RequestBuilder) -> (u16, Value) {
    let r = rb.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// What the walk found: how many of each action it tried, and every refusal.
#[derive(Default)]
struct Walk {
    tried: std::collections::BTreeMap<&'static str, usize>,
    refused: Vec<String>,
}

impl Walk {
    fn record(&mut self, action: &'static str, id: &str, rendered: &Value, answer: (u16, Value)) {
        *self.tried.entry(action).or_default() += 1;
        if !(200..300).contains(&answer.0) {
            self.refused.push(format!(
                "{action} of {id} rendered as {rendered} answered {} {}",
                answer.0, answer.1
            ));
        }
    }

    /// No refusals, and every kind of action was tried on some seeded charge.
    fn check(&self, dialect: &str, actions: &[&str]) {
        assert!(
            self.refused.is_empty(),
            "{dialect}: {} refused, first: {}",
            self.refused.len(),
            self.refused[0]
        );
        for a in actions {
            assert!(
                self.tried.get(a).copied().unwrap_or(0) > 0,
                "{dialect}: too few seeded charges allow {a}: {:?}",
                self.tried
            );
        }
    }
}

fn authorised_action(i: usize) -> &'static str {
    if i.is_multiple_of(2) {
        "capture"
    } else {
        "release"
    }
}

#[tokio::test]
async fn every_seeded_stripe_charge_accepts_what_it_shows() {
    let sim = sim().await;
    let d = sim.dialect("STRIPE").unwrap().clone();
    let http = Client::new();
    let req = |m: Method, path: &str| {
        http.request(m, format!("{}{path}", d.url))
            .bearer_auth(&d.key)
    };
    let mut charges = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut path = "/v1/charges?limit=100".to_string();
        if let Some(a) = &after {
            path.push_str(&format!("&starting_after={a}"));
        }
        let (st, page) = send(req(Method::GET, &path)).await;
        assert_eq!(st, 200, "{page}");
        let data = page["data"].as_array().unwrap().clone();
        after = data.last().map(|c| c["id"].as_str().unwrap().to_string());
        charges.extend(data);
        if page["has_more"] != true {
            break;
        }
    }
    assert_eq!(charges.len(), 400);
    let mut walk = Walk::default();
    for (i, c) in charges.iter().enumerate() {
        let id = c["id"].as_str().unwrap();
        let succeeded = c["status"] == "succeeded";
        let refunded = c["amount_refunded"].as_i64().unwrap();
        let shown = json!({"captured": c["captured"], "refunded": c["refunded"],
            "amount_refunded": refunded, "disputed": c["disputed"], "status": c["status"]});
        if succeeded && c["captured"] == false && c["refunded"] == false {
            assert_eq!(refunded, 0, "{shown}");
            let action = authorised_action(i);
            let answer = if action == "capture" {
                send(req(Method::POST, &format!("/v1/charges/{id}/capture"))).await
            } else {
                send(req(Method::POST, "/v1/refunds").form(&[("charge", id)])).await
            };
            walk.record(action, id, &shown, answer);
        } else if succeeded
            && c["captured"] == true
            && c["refunded"] == false
            && c["disputed"] == false
        {
            let answer = send(req(Method::POST, "/v1/refunds").form(&[("charge", id)])).await;
            walk.record("refund", id, &shown, answer);
        }
    }
    walk.check("stripe", &["capture", "release", "refund"]);
    sim.shutdown().await;
}

#[tokio::test]
async fn every_seeded_pin_charge_accepts_what_it_shows() {
    let sim = sim().await;
    let d = sim.dialect("PIN").unwrap().clone();
    let http = Client::new();
    let req = |m: Method, path: &str| {
        http.request(m, format!("{}{path}", d.url))
            .basic_auth(&d.key, Some(""))
    };
    let mut charges = Vec::new();
    for page in 1.. {
        let (st, body) = send(req(
            Method::GET,
            &format!("/charges?page={page}&per_page=100"),
        ))
        .await;
        assert_eq!(st, 200, "{body}");
        charges.extend(body["response"].as_array().unwrap().clone());
        if body["pagination"]["next"].is_null() {
            break;
        }
    }
    assert_eq!(charges.len(), 400);
    let mut walk = Walk::default();
    for (i, c) in charges.iter().enumerate() {
        let id = c["token"].as_str().unwrap();
        let shown = json!({"success": c["success"], "captured": c["captured"],
            "authorisation_voided": c["authorisation_voided"],
            "authorisation_expired": c["authorisation_expired"],
            "amount_refunded": c["amount_refunded"], "active_chargebacks": c["active_chargebacks"]});
        let open = c["success"] == true
            && c["captured"] == false
            && c["authorisation_voided"] == false
            && c["authorisation_expired"] == false;
        let refundable = c["success"] == true
            && c["captured"] == true
            && c["active_chargebacks"] == false
            && c["amount_refunded"].as_i64() < c["amount"].as_i64();
        if open {
            let action = authorised_action(i);
            let verb = if action == "capture" {
                "capture"
            } else {
                "void"
            };
            let answer = send(req(Method::PUT, &format!("/charges/{id}/{verb}"))).await;
            walk.record(action, id, &shown, answer);
        } else if refundable {
            let answer = send(req(Method::POST, &format!("/charges/{id}/refunds"))).await;
            walk.record("refund", id, &shown, answer);
        }
    }
    walk.check("pin", &["capture", "release", "refund"]);
    sim.shutdown().await;
}

#[tokio::test]
async fn every_seeded_openpay_charge_accepts_what_it_shows() {
    let sim = sim().await;
    let d: DialectInfo = sim.dialect("OPENPAY").unwrap().clone();
    let http = Client::new();
    let req = |m: Method, path: &str| {
        http.request(m, format!("{}{path}", d.url))
            .basic_auth(&d.key, Some(""))
    };
    let mut charges = Vec::new();
    for page in 0.. {
        let (st, body) = send(req(
            Method::GET,
            &format!("/charges?offset={}&limit=100", page * 100),
        ))
        .await;
        assert_eq!(st, 200, "{body}");
        let data = body.as_array().unwrap().clone();
        if data.is_empty() {
            break;
        }
        charges.extend(data);
    }
    assert_eq!(charges.len(), 400);
    let mut walk = Walk::default();
    for (i, c) in charges.iter().enumerate() {
        let id = c["id"].as_str().unwrap();
        let shown = json!({"status": c["status"], "amount": c["amount"]});
        match c["status"].as_str().unwrap() {
            "in_progress" if authorised_action(i) == "capture" => {
                let answer = send(req(Method::POST, &format!("/charges/{id}/capture"))).await;
                walk.record("capture", id, &shown, answer);
            }
            "in_progress" | "completed" => {
                let action = if c["status"] == "completed" {
                    "refund"
                } else {
                    "release"
                };
                let answer = send(req(Method::POST, &format!("/charges/{id}/refund"))).await;
                walk.record(action, id, &shown, answer);
            }
            _ => {}
        }
    }
    walk.check("openpay", &["capture", "release", "refund"]);
    sim.shutdown().await;
}

#[tokio::test]
async fn every_seeded_trx_payment_accepts_what_it_shows() {
    let sim = sim().await;
    let d = sim.dialect("TRX").unwrap().clone();
    let http = Client::new();
    let (id, secret) = d.key.split_once(':').unwrap();
    let (st, token) = send(
        http.post(format!("{}/auth/token", d.url))
            .json(&json!({"client_id": id, "client_secret": secret})),
    )
    .await;
    assert_eq!(st, 200, "{token}");
    let token = token["access_token"].as_str().unwrap().to_string();
    let req = |m: Method, path: &str| {
        http.request(m, format!("{}{path}", d.url))
            .bearer_auth(&token)
    };
    let mut payments = Vec::new();
    for page in 0.. {
        let (st, body) = send(req(
            Method::GET,
            &format!("/transactions?type=PAYMENT&offset={}&limit=100", page * 100),
        ))
        .await;
        assert_eq!(st, 200, "{body}");
        let data = body["data"].as_array().unwrap().clone();
        if data.is_empty() {
            break;
        }
        payments.extend(data);
    }
    assert_eq!(payments.len(), 400);
    let cents = |v: &Value| -> i64 {
        let s = v.as_str().unwrap().replace('.', "");
        s.parse().unwrap()
    };
    let mut walk = Walk::default();
    for (i, p) in payments.iter().enumerate() {
        let id = p["id"].as_str().unwrap();
        let shown = json!({"status": p["status"], "captured_amount": p["captured_amount"],
            "refunded_amount": p["refunded_amount"]});
        let refundable = cents(&p["captured_amount"]) > cents(&p["refunded_amount"]);
        match p["status"].as_str().unwrap() {
            "AUTHORIZED" => {
                let action = authorised_action(i);
                let verb = if action == "capture" {
                    "capture"
                } else {
                    "void"
                };
                let answer = send(req(Method::POST, &format!("/transactions/{id}/{verb}"))).await;
                walk.record(action, id, &shown, answer);
            }
            "CAPTURED" | "PARTIAL_CAPTURED" | "SETTLED" | "PARTIAL_SETTLED" if refundable => {
                let answer = send(
                    req(Method::POST, &format!("/transactions/{id}/refunds")).json(&json!({})),
                )
                .await;
                walk.record("refund", id, &shown, answer);
            }
            _ => {}
        }
    }
    walk.check("trx", &["capture", "release", "refund"]);
    sim.shutdown().await;
}
