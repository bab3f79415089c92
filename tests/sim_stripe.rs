//! The Stripe dialect over real HTTP on loopback.

use std::collections::HashSet;

mod common;

use common::Dialect;
use common::simulator::{Raw, seeded, whole_numbers};
use paydeck::sim::{FaultSpec, SimConfig};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;

type Sim = Raw;

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Sim {
    async fn with(charges: usize, customers: usize, faults: FaultSpec) -> Sim {
        let config = SimConfig {
            seed: 11,
            faults,
            ..seeded(charges, customers)
        };
        Raw::start(Dialect::Stripe, config).await
    }

    async fn new() -> Sim {
        Sim::with(150, 20, FaultSpec::default()).await
    }

    async fn send(&self, rb: reqwest::RequestBuilder) -> Resp {
        let r = rb.send().await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Resp {
            status,
            headers,
            body,
        }
    }

    fn req(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{}", self.url, path))
            .bearer_auth(&self.key)
    }

    async fn get(&self, path: &str) -> Resp {
        self.send(self.req(Method::GET, path)).await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Resp {
        self.send(self.req(Method::POST, path).form(form)).await
    }

    async fn post_key(&self, path: &str, key: &str, form: &[(&str, &str)]) -> Resp {
        self.send(
            self.req(Method::POST, path)
                .header("Idempotency-Key", key)
                .form(form),
        )
        .await
    }

    async fn admin(&self, method: Method, path_and_query: &str, key: &str) -> Resp {
        let url = format!("http://{}/_sim{path_and_query}", self.sim.addr);
        self.send(self.http.request(method, url).basic_auth(key, Some("")))
            .await
    }

    /// Ids of every page of a list, following `starting_after`.
    async fn all_ids(&self, path: &str, limit: usize) -> Vec<String> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut ids: Vec<String> = Vec::new();
        loop {
            let cursor = ids
                .last()
                .map(|l| format!("&starting_after={l}"))
                .unwrap_or_default();
            let r = self.get(&format!("{path}{sep}limit={limit}{cursor}")).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let data = r.body["data"].as_array().unwrap();
            ids.extend(data.iter().map(|c| c["id"].as_str().unwrap().to_string()));
            if r.body["has_more"] != true {
                return ids;
            }
        }
    }

    async fn new_charge(&self, amount: &str, capture: bool) -> Value {
        let cap = if capture { "true" } else { "false" };
        let r = self
            .post(
                "/v1/charges",
                &[
                    ("amount", amount),
                    ("currency", "aud"),
                    ("source", "tok_visa"),
                    ("capture", cap),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body
    }
}

fn err(r: &Resp, status: StatusCode) -> &Value {
    assert_eq!(r.status, status, "{}", r.body);
    &r.body["error"]
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn auth_headers_and_unknown_routes() {
    let s = Sim::new().await;
    assert!(s.key.starts_with("sk_test_sim_") && s.key.len() == 12 + 24);
    assert!(s.url.ends_with("/stripe"));
    let none = s.send(s.http.get(format!("{}/v1/charges", s.url))).await;
    let e = err(&none, StatusCode::UNAUTHORIZED);
    assert_eq!(e["type"], "invalid_request_error");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("did not provide an API key")
    );
    let bad = s
        .send(
            s.http
                .get(format!("{}/v1/charges", s.url))
                .bearer_auth("sk_test_wrongwrong1234"),
        )
        .await;
    let e = err(&bad, StatusCode::UNAUTHORIZED);
    assert_eq!(e["message"], "Invalid API Key provided: sk_test_****1234");
    let basic = s
        .send(
            s.http
                .get(format!("{}/v1/charges?limit=1", s.url))
                .basic_auth(&s.key, Some("")),
        )
        .await;
    assert_eq!(basic.status, StatusCode::OK);
    assert!(
        basic.headers["request-id"]
            .to_str()
            .unwrap()
            .starts_with("req_")
    );
    assert_eq!(basic.headers["stripe-version"], "2026-09-30.endive");
    let pinned = s
        .send(
            s.req(Method::GET, "/v1/charges?limit=1")
                .header("Stripe-Version", "2025-03-31.basil"),
        )
        .await;
    assert_eq!(pinned.headers["stripe-version"], "2025-03-31.basil");
    let r = s.get("/v1/nothing").await;
    let e = err(&r, StatusCode::NOT_FOUND);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("Unrecognized request URL (GET: /v1/nothing)")
    );
    let r = s.get("/v1/charges/ch_nope").await;
    let e = err(&r, StatusCode::NOT_FOUND);
    assert_eq!(e["code"], "resource_missing");
    assert_eq!(e["message"], "No such charge: 'ch_nope'");
    assert_eq!(e["param"], "id");
    assert!(r.headers.contains_key("request-id"));
    s.sim.shutdown().await;
}

#[tokio::test]
async fn cursor_paging_both_ways_and_params() {
    let s = Sim::new().await;
    let ids = s.all_ids("/v1/charges", 7).await;
    assert_eq!(ids.len(), 150);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 150);
    assert!(ids.iter().all(|i| i.starts_with("ch_") && i.len() == 27));
    let big = s.all_ids("/v1/charges", 100).await;
    assert_eq!(ids, big);
    // Newest first.
    let first = s.get("/v1/charges?limit=100").await.body;
    let created = whole_numbers(&first["data"], "created");
    assert!(created.windows(2).all(|w| w[0] >= w[1]));
    // Backwards from the oldest with ending_before, pages of 9.
    let mut back: Vec<String> = Vec::new();
    let mut cursor = ids.last().unwrap().clone();
    loop {
        let r = s
            .get(&format!("/v1/charges?limit=9&ending_before={cursor}"))
            .await;
        let page: Vec<String> = r.body["data"].as_array().unwrap().iter().map(id).collect();
        if page.is_empty() {
            break;
        }
        cursor = page[0].clone();
        let mut p = page;
        p.extend(back);
        back = p;
        if r.body["has_more"] != true {
            break;
        }
    }
    assert_eq!(back.len(), 149);
    assert_eq!(&back[..], &ids[..149]);
    // Errors.
    for (q, code) in [
        ("limit=0", None),
        ("limit=101", None),
        ("limit=abc", Some("parameter_invalid_integer")),
        ("created[gte]=soon", Some("parameter_invalid_integer")),
        ("bogus=1", Some("parameter_unknown")),
    ] {
        let r = s.get(&format!("/v1/charges?{q}")).await;
        let e = err(&r, StatusCode::BAD_REQUEST);
        assert_eq!(e["type"], "invalid_request_error", "{q}");
        if let Some(c) = code {
            assert_eq!(e["code"], c, "{q}");
        }
    }
    let r = s
        .get(&format!(
            "/v1/charges?starting_after={}&ending_before={}",
            ids[0], ids[1]
        ))
        .await;
    err(&r, StatusCode::BAD_REQUEST);
    let r = s.get("/v1/charges?starting_after=ch_missing").await;
    let e = err(&r, StatusCode::NOT_FOUND);
    assert_eq!(e["param"], "starting_after");
    s.sim.shutdown().await;
}

#[tokio::test]
async fn created_and_customer_filters() {
    let s = Sim::new().await;
    let all = s.get("/v1/charges?limit=100").await.body;
    let data = all["data"].as_array().unwrap();
    let mid = data[50]["created"].as_i64().unwrap();
    let count = |f: &dyn Fn(i64) -> bool| {
        data.iter()
            .filter(|c| f(c["created"].as_i64().unwrap()))
            .count()
    };
    // The 100 newest span the filter boundaries; restrict to them with gte.
    let floor = data[99]["created"].as_i64().unwrap();
    for (q, f) in [
        ("gt", &(|t: i64| t > mid) as &dyn Fn(i64) -> bool),
        ("gte", &|t: i64| t >= mid),
        ("lt", &|t: i64| t < mid && t >= floor),
        ("lte", &|t: i64| t <= mid && t >= floor),
    ] {
        let extra = if q.starts_with('l') {
            format!("&created[gte]={floor}")
        } else {
            String::new()
        };
        let ids = s
            .all_ids(&format!("/v1/charges?created[{q}]={mid}{extra}"), 100)
            .await;
        assert_eq!(ids.len(), count(f), "created[{q}]");
    }
    let exact = s.all_ids(&format!("/v1/charges?created={mid}"), 10).await;
    assert_eq!(exact.len(), count(&|t| t == mid));
    let cus = data
        .iter()
        .find_map(|c| c["customer"].as_str())
        .unwrap()
        .to_string();
    let theirs = s
        .get(&format!("/v1/charges?customer={cus}&limit=100"))
        .await
        .body;
    let theirs = theirs["data"].as_array().unwrap();
    assert!(!theirs.is_empty());
    assert!(theirs.iter().all(|c| c["customer"] == cus.as_str()));
    s.sim.shutdown().await;
}

#[tokio::test]
async fn update_capture_partial_and_refunds() {
    let s = Sim::new().await;
    let ch = s.new_charge("2000", false).await;
    assert_eq!(ch["captured"], false);
    assert_eq!(ch["status"], "succeeded");
    assert_eq!(ch["amount_captured"], 0);
    assert!(ch["payment_method_details"]["card"]["capture_before"].is_i64());
    let c = id(&ch);
    // Update.
    let r = s
        .post(
            &format!("/v1/charges/{c}"),
            &[
                ("description", "new words"),
                ("metadata[order]", "42"),
                ("metadata[tmp]", "x"),
                ("receipt_email", "who@example.com"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["description"], "new words");
    assert_eq!(r.body["receipt_email"], "who@example.com");
    let r = s
        .post(&format!("/v1/charges/{c}"), &[("metadata[tmp]", "")])
        .await;
    assert_eq!(r.body["metadata"], serde_json::json!({"order": "42"}));
    let r = s
        .post(&format!("/v1/charges/{c}"), &[("amount", "5")])
        .await;
    assert_eq!(
        err(&r, StatusCode::BAD_REQUEST)["code"],
        "parameter_unknown"
    );
    // Too much, then partial.
    let r = s
        .post(&format!("/v1/charges/{c}/capture"), &[("amount", "2001")])
        .await;
    assert_eq!(err(&r, StatusCode::BAD_REQUEST)["code"], "amount_too_large");
    let r = s
        .post(&format!("/v1/charges/{c}/capture"), &[("amount", "1500")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["captured"], true);
    assert_eq!(r.body["amount_captured"], 1500);
    assert_eq!(r.body["amount_refunded"], 500);
    assert_eq!(r.body["refunded"], false);
    let r = s.post(&format!("/v1/charges/{c}/capture"), &[]).await;
    assert_eq!(
        err(&r, StatusCode::BAD_REQUEST)["code"],
        "charge_already_captured"
    );
    let list = s.get(&format!("/v1/charges/{c}/refunds")).await.body;
    assert_eq!(list["url"], format!("/v1/charges/{c}/refunds"));
    assert_eq!(list["data"][0]["amount"], 500);
    // Refund over the remaining amount, then within it.
    let r = s
        .post("/v1/refunds", &[("charge", &c), ("amount", "1501")])
        .await;
    let e = err(&r, StatusCode::BAD_REQUEST);
    assert_eq!(e["code"], "amount_too_large");
    assert_eq!(e["param"], "amount");
    let r = s
        .post(
            "/v1/refunds",
            &[
                ("charge", &c),
                ("amount", "1000"),
                ("reason", "requested_by_customer"),
                ("metadata[why]", "broken"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let re = id(&r.body);
    assert!(re.starts_with("re_") && re.len() == 27);
    assert_eq!(r.body["reason"], "requested_by_customer");
    assert_eq!(r.body["metadata"]["why"], "broken");
    let r = s
        .post("/v1/refunds", &[("charge", &c), ("amount", "600")])
        .await;
    assert_eq!(err(&r, StatusCode::BAD_REQUEST)["code"], "amount_too_large");
    let r = s
        .post(&format!("/v1/charges/{c}/refunds"), &[("amount", "500")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let re2 = id(&r.body);
    let ch = s
        .get(&format!("/v1/charges/{c}?expand[]=refunds"))
        .await
        .body;
    assert_eq!(ch["refunded"], true);
    assert_eq!(ch["amount_refunded"], 2000);
    assert_eq!(ch["refunds"]["data"].as_array().map(Vec::len), Some(3));
    let r = s.post("/v1/refunds", &[("charge", &c)]).await;
    assert_eq!(
        err(&r, StatusCode::BAD_REQUEST)["code"],
        "charge_already_refunded"
    );
    // Retrieve / update refunds, both route styles.
    let r = s.get(&format!("/v1/refunds/{re}")).await;
    assert_eq!(r.body["amount"], 1000);
    let r = s
        .post(&format!("/v1/refunds/{re}"), &[("metadata[note]", "ok")])
        .await;
    assert_eq!(r.body["metadata"]["note"], "ok");
    assert_eq!(r.body["metadata"]["why"], "broken");
    let r = s.get(&format!("/v1/charges/{c}/refunds/{re2}")).await;
    assert_eq!(r.body["amount"], 500);
    let r = s
        .post(
            &format!("/v1/charges/{c}/refunds/{re2}"),
            &[("metadata[k]", "v")],
        )
        .await;
    assert_eq!(r.body["metadata"]["k"], "v");
    let other = s.new_charge("700", true).await;
    let r = s
        .get(&format!("/v1/charges/{}/refunds/{re2}", id(&other)))
        .await;
    assert_eq!(err(&r, StatusCode::NOT_FOUND)["code"], "resource_missing");
    let mine = s.get(&format!("/v1/refunds?charge={c}")).await.body;
    assert_eq!(mine["data"].as_array().map(Vec::len), Some(3));
    let r = s.get("/v1/refunds/re_missing").await;
    assert_eq!(err(&r, StatusCode::NOT_FOUND)["code"], "resource_missing");
    let r = s.post("/v1/refunds", &[("charge", "ch_missing")]).await;
    assert_eq!(err(&r, StatusCode::NOT_FOUND)["param"], "charge");
    let r = s
        .post(
            "/v1/refunds",
            &[("charge", &id(&other)), ("reason", "bored")],
        )
        .await;
    assert_eq!(err(&r, StatusCode::BAD_REQUEST)["param"], "reason");
    // Legacy refund returns the charge.
    let r = s
        .post(&format!("/v1/charges/{}/refund", id(&other)), &[])
        .await;
    assert_eq!(r.body["object"], "charge");
    assert_eq!(r.body["refunded"], true);
    // Refunding an authorisation releases all of it; partially is refused.
    let auth = id(&s.new_charge("900", false).await);
    let r = s
        .post("/v1/refunds", &[("charge", &auth), ("amount", "100")])
        .await;
    err(&r, StatusCode::BAD_REQUEST);
    let r = s.post("/v1/refunds", &[("charge", &auth)]).await;
    assert_eq!(r.body["amount"], 900);
    let ch = s.get(&format!("/v1/charges/{auth}")).await.body;
    assert_eq!(ch["refunded"], true);
    assert_eq!(ch["captured"], false);
    let r = s.post(&format!("/v1/charges/{auth}/capture"), &[]).await;
    assert_eq!(
        err(&r, StatusCode::BAD_REQUEST)["code"],
        "charge_already_refunded"
    );
    s.sim.shutdown().await;
}

#[tokio::test]
async fn declines_and_validation() {
    let s = Sim::new().await;
    let r = s
        .post(
            "/v1/charges",
            &[
                ("amount", "1000"),
                ("currency", "aud"),
                ("source", "tok_chargeDeclined"),
            ],
        )
        .await;
    let e = err(&r, StatusCode::PAYMENT_REQUIRED).clone();
    assert_eq!(e["type"], "card_error");
    assert_eq!(e["code"], "card_declined");
    assert_eq!(e["decline_code"], "generic_decline");
    let failed = s
        .get(&format!("/v1/charges/{}", e["charge"].as_str().unwrap()))
        .await
        .body;
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["paid"], false);
    assert_eq!(failed["failure_code"], "card_declined");
    assert_eq!(failed["outcome"]["type"], "issuer_declined");
    let r = s
        .post(
            "/v1/charges",
            &[
                ("amount", "1000"),
                ("currency", "usd"),
                ("source", "pm_card_visa_chargeDeclinedInsufficientFunds"),
            ],
        )
        .await;
    assert_eq!(
        err(&r, StatusCode::PAYMENT_REQUIRED)["decline_code"],
        "insufficient_funds"
    );
    let r = s
        .post(
            "/v1/charges",
            &[
                ("amount", "1000"),
                ("currency", "usd"),
                ("source[object]", "card"),
                ("source[number]", "4000000000000127"),
                ("source[exp_month]", "12"),
                ("source[exp_year]", "2031"),
            ],
        )
        .await;
    assert_eq!(
        err(&r, StatusCode::PAYMENT_REQUIRED)["code"],
        "incorrect_cvc"
    );
    let r = s
        .post(
            "/v1/charges",
            &[
                ("amount", "1000"),
                ("currency", "usd"),
                ("source[number]", "4242424242424241"),
                ("source[exp_month]", "12"),
                ("source[exp_year]", "2031"),
            ],
        )
        .await;
    let e = err(&r, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(e["code"], "incorrect_number");
    assert!(e.get("charge").is_none());
    let r = s
        .post(
            "/v1/charges",
            &[
                ("amount", "1000"),
                ("currency", "usd"),
                ("source[number]", "5555555555554444"),
                ("source[exp_month]", "12"),
                ("source[exp_year]", "2031"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.body["payment_method_details"]["card"]["brand"],
        "mastercard"
    );
    assert_eq!(r.body["payment_method_details"]["card"]["last4"], "4444");
    for (form, code, param) in [
        (
            vec![("currency", "aud"), ("source", "tok_visa")],
            "parameter_missing",
            "amount",
        ),
        (
            vec![
                ("amount", "12x"),
                ("currency", "aud"),
                ("source", "tok_visa"),
            ],
            "parameter_invalid_integer",
            "amount",
        ),
        (
            vec![("amount", ""), ("currency", "aud"), ("source", "tok_visa")],
            "parameter_invalid_empty",
            "amount",
        ),
        (
            vec![
                ("amount", "10"),
                ("currency", "aud"),
                ("source", "tok_visa"),
            ],
            "amount_too_small",
            "amount",
        ),
        (
            vec![
                ("amount", "100000000"),
                ("currency", "aud"),
                ("source", "tok_visa"),
            ],
            "amount_too_large",
            "amount",
        ),
        (
            vec![
                ("amount", "100"),
                ("currency", "aud"),
                ("source", "tok_nope"),
            ],
            "resource_missing",
            "source",
        ),
        (
            vec![("amount", "100"), ("currency", "aud")],
            "parameter_missing",
            "source",
        ),
    ] {
        let r = s.post("/v1/charges", &form).await;
        let e = err(&r, StatusCode::BAD_REQUEST);
        assert_eq!(e["code"], code, "{form:?}");
        assert_eq!(e["param"], param, "{form:?}");
    }
    s.sim.shutdown().await;
}

#[tokio::test]
async fn idempotency_replay_mismatch_and_in_flight() {
    let s = Sim::new().await;
    let form = [
        ("amount", "1234"),
        ("currency", "aud"),
        ("source", "tok_visa"),
    ];
    let a = s.post_key("/v1/charges", "key-1", &form).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.headers["idempotency-key"], "key-1");
    assert!(!a.headers.contains_key("idempotent-replayed"));
    let original = a.headers["request-id"].to_str().unwrap().to_string();
    assert_eq!(a.headers["original-request"], original.as_str());
    let b = s.post_key("/v1/charges", "key-1", &form).await;
    assert_eq!(b.status, StatusCode::OK);
    assert_eq!(b.headers["idempotent-replayed"], "true");
    assert_eq!(b.headers["original-request"], original.as_str());
    assert_ne!(b.headers["request-id"], original.as_str());
    assert_eq!(a.body, b.body);
    let c = s
        .post_key(
            "/v1/charges",
            "key-1",
            &[
                ("amount", "999"),
                ("currency", "aud"),
                ("source", "tok_visa"),
            ],
        )
        .await;
    assert_eq!(
        err(&c, StatusCode::BAD_REQUEST)["type"],
        "idempotency_error"
    );
    let d = s
        .post_key(&format!("/v1/charges/{}", id(&a.body)), "key-1", &form)
        .await;
    assert_eq!(
        err(&d, StatusCode::BAD_REQUEST)["type"],
        "idempotency_error"
    );
    // Validation failures are not stored: the same key then succeeds.
    let v = s
        .post_key("/v1/charges", "key-2", &[("currency", "aud")])
        .await;
    err(&v, StatusCode::BAD_REQUEST);
    let ok = s.post_key("/v1/charges", "key-2", &form).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    // A decline is stored and replayed with the same failed charge.
    let declined = [
        ("amount", "1234"),
        ("currency", "aud"),
        ("source", "tok_chargeDeclined"),
    ];
    let x = s.post_key("/v1/charges", "key-3", &declined).await;
    let y = s.post_key("/v1/charges", "key-3", &declined).await;
    assert_eq!(y.status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(y.headers["idempotent-replayed"], "true");
    assert_eq!(x.body["error"]["charge"], y.body["error"]["charge"]);
    // In flight: 409.
    let slow = s
        .req(Method::POST, "/v1/charges")
        .header("Idempotency-Key", "key-4")
        .header("Paydeck-Sim-Delay-Ms", "600")
        .form(&form);
    let first = tokio::spawn(slow.send());
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let busy = s.post_key("/v1/charges", "key-4", &form).await;
    assert_eq!(
        err(&busy, StatusCode::CONFLICT)["code"],
        "idempotency_key_in_use"
    );
    let first = first.await.unwrap().unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    // Exactly one charge per key in the operations log.
    let ops = s
        .admin(Method::GET, "/operations?dialect=stripe", &s.key)
        .await
        .body;
    assert_eq!(ops["dialect"], "stripe");
    let creates = ops["operations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["operation"] == "create_charge")
        .count();
    assert_eq!(creates, 4, "{ops}");
    // Keys expire after 24 hours of ledger time.
    s.admin(
        Method::POST,
        "/clock/advance?seconds=86400&dialect=stripe",
        &s.key,
    )
    .await;
    let again = s.post_key("/v1/charges", "key-1", &form).await;
    assert!(!again.headers.contains_key("idempotent-replayed"));
    assert_ne!(id(&again.body), id(&a.body));
    s.sim.shutdown().await;
}

#[tokio::test]
async fn disputes_seeded_evidence_and_close() {
    let s = Sim::new().await;
    let seeded = s.get("/v1/disputes?limit=100").await.body;
    let seeded: HashSet<String> = seeded["data"].as_array().unwrap().iter().map(id).collect();
    // Two more open disputes beside the seeded ones.
    for _ in 0..2 {
        let r = s
            .post(
                "/v1/charges",
                &[
                    ("amount", "3000"),
                    ("currency", "aud"),
                    ("source", "pm_card_createDisputeProductNotReceived"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let all = s.get("/v1/disputes?limit=100").await.body;
    let data = all["data"].as_array().unwrap();
    let statuses: HashSet<&str> = data.iter().map(|d| d["status"].as_str().unwrap()).collect();
    for st in [
        "warning_needs_response",
        "needs_response",
        "under_review",
        "won",
        "lost",
    ] {
        assert!(statuses.contains(st), "no {st} dispute in {statuses:?}");
    }
    for d in data {
        assert!(d["id"].as_str().unwrap().starts_with("dp_"));
        let ch = s
            .get(&format!("/v1/charges/{}", d["charge"].as_str().unwrap()))
            .await
            .body;
        assert_eq!(ch["disputed"], true);
        assert_eq!(ch["captured"], true);
    }
    let open: Vec<&Value> = data
        .iter()
        .filter(|d| d["status"] == "needs_response")
        .collect();
    assert!(open.len() >= 3);
    assert!(open.iter().any(|d| seeded.contains(&id(d))));
    let dp = id(open[0]);
    let staged = s
        .post(
            &format!("/v1/disputes/{dp}"),
            &[
                ("evidence[customer_name]", "Ann"),
                ("submit", "false"),
                ("metadata[case]", "7"),
            ],
        )
        .await;
    assert_eq!(staged.status, StatusCode::OK, "{}", staged.body);
    assert_eq!(staged.body["status"], "needs_response");
    assert_eq!(staged.body["evidence"]["customer_name"], "Ann");
    assert_eq!(staged.body["evidence_details"]["has_evidence"], true);
    assert_eq!(staged.body["evidence_details"]["submission_count"], 0);
    assert_eq!(staged.body["metadata"]["case"], "7");
    let won = s
        .post(
            &format!("/v1/disputes/{dp}"),
            &[("evidence[uncategorized_text]", "winning_evidence")],
        )
        .await;
    assert_eq!(won.body["status"], "won");
    assert_eq!(won.body["evidence_details"]["submission_count"], 1);
    let r = s
        .post(
            &format!("/v1/disputes/{dp}"),
            &[("evidence[bogus_field]", "x")],
        )
        .await;
    assert_eq!(
        err(&r, StatusCode::BAD_REQUEST)["code"],
        "parameter_unknown"
    );
    let r = s.post(&format!("/v1/disputes/{dp}/close"), &[]).await;
    err(&r, StatusCode::BAD_REQUEST);
    // Close (concede) another; the charge cannot then be refunded.
    let dp2 = id(open[1]);
    let lost = s.post(&format!("/v1/disputes/{dp2}/close"), &[]).await;
    assert_eq!(lost.body["status"], "lost");
    let ch2 = lost.body["charge"].as_str().unwrap().to_string();
    let r = s.post("/v1/refunds", &[("charge", &ch2)]).await;
    assert_eq!(err(&r, StatusCode::BAD_REQUEST)["code"], "charge_disputed");
    // Legacy charge-scoped routes.
    let legacy = s.get(&format!("/v1/charges/{ch2}/dispute")).await;
    assert_eq!(id(&legacy.body), dp2);
    if let Some(third) = open.get(2) {
        let ch3 = third["charge"].as_str().unwrap();
        let r = s
            .post(
                &format!("/v1/charges/{ch3}/dispute"),
                &[("evidence[uncategorized_text]", "losing_evidence")],
            )
            .await;
        assert_eq!(r.body["status"], "lost");
    }
    // A test card that opens a dispute; retrieve and filter by charge.
    let r = s
        .post(
            "/v1/charges",
            &[
                ("amount", "5000"),
                ("currency", "aud"),
                ("source", "tok_createDispute"),
            ],
        )
        .await;
    assert_eq!(r.body["disputed"], true);
    let c = id(&r.body);
    let mine = s.get(&format!("/v1/disputes?charge={c}")).await.body;
    let d = &mine["data"][0];
    assert_eq!(d["reason"], "fraudulent");
    assert_eq!(d["status"], "needs_response");
    assert!(
        d["evidence_details"]["due_by"].as_i64().unwrap() > r.body["created"].as_i64().unwrap()
    );
    let one = s.get(&format!("/v1/disputes/{}", id(d))).await;
    assert_eq!(one.body["amount"], 5000);
    let r = s.post(&format!("/v1/charges/{c}/dispute/close"), &[]).await;
    assert_eq!(r.body["status"], "lost");
    let r = s.get("/v1/disputes/dp_missing").await;
    assert_eq!(err(&r, StatusCode::NOT_FOUND)["code"], "resource_missing");
    s.sim.shutdown().await;
}

async fn search_all(s: &Sim, q: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut page: Option<String> = None;
    loop {
        let mut rb = s
            .req(Method::GET, "/v1/charges/search")
            .query(&[("query", q), ("limit", "20")]);
        if let Some(p) = &page {
            rb = rb.query(&[("page", p.as_str())]);
        }
        let r = s.send(rb).await;
        assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.body);
        assert_eq!(r.body["object"], "search_result");
        out.extend(r.body["data"].as_array().unwrap().iter().cloned());
        match r.body["next_page"].as_str() {
            Some(p) => {
                assert_eq!(r.body["has_more"], true);
                page = Some(p.to_string());
            }
            None => return out,
        }
    }
}

#[tokio::test]
async fn search_grammar_and_paging() {
    let s = Sim::new().await;
    let all = s.get("/v1/charges?limit=100").await.body["data"]
        .as_array()
        .unwrap()
        .clone();
    let mut everything = all.clone();
    let more = s
        .get(&format!(
            "/v1/charges?limit=100&starting_after={}",
            id(all.last().unwrap())
        ))
        .await;
    everything.extend(more.body["data"].as_array().unwrap().iter().cloned());
    assert_eq!(everything.len(), 150);
    let count = |f: &dyn Fn(&Value) -> bool| everything.iter().filter(|c| f(c)).count();

    let ok = search_all(&s, "status:'succeeded'").await;
    assert_eq!(ok.len(), count(&|c| c["status"] == "succeeded"));
    assert!(ok.len() > 20, "paging was exercised");
    let big = search_all(&s, "amount>5000").await;
    assert_eq!(big.len(), count(&|c| c["amount"].as_i64().unwrap() > 5000));
    let both = search_all(
        &s,
        "amount>=5000 AND status:\"succeeded\" AND currency:'AUD'",
    )
    .await;
    assert_eq!(
        both.len(),
        count(&|c| c["amount"].as_i64().unwrap() >= 5000
            && c["status"] == "succeeded"
            && c["currency"] == "aud")
    );
    let either = search_all(&s, "status:'failed' OR amount<500").await;
    assert_eq!(
        either.len(),
        count(&|c| c["status"] == "failed" || c["amount"].as_i64().unwrap() < 500)
    );
    let not_aud = search_all(&s, "-currency:'aud'").await;
    assert_eq!(not_aud.len(), count(&|c| c["currency"] != "aud"));
    let with_meta = everything
        .iter()
        .find(|c| c["metadata"]["OrderNumber"].is_string())
        .unwrap();
    let order = with_meta["metadata"]["OrderNumber"].as_str().unwrap();
    let found = search_all(&s, &format!("metadata['OrderNumber']:'{order}'")).await;
    assert!(found.iter().any(|c| c["id"] == with_meta["id"]));
    assert!(found.iter().all(|c| c["metadata"]["OrderNumber"] == order));
    let disputed = search_all(&s, "disputed:'true'").await;
    assert_eq!(disputed.len(), count(&|c| c["disputed"] == true));
    let none = search_all(&s, "customer:null").await;
    assert_eq!(none.len(), count(&|c| c["customer"].is_null()));

    for bad in [
        "status:'succeeded",
        "amount>",
        "status:'a' AND amount>1 OR amount<2",
        "amount~'12'",
        "status>3",
        "nonsense:'x'",
        "AND status:'failed'",
        "",
    ] {
        let r = s
            .send(
                s.req(Method::GET, "/v1/charges/search")
                    .query(&[("query", bad)]),
            )
            .await;
        let e = err(&r, StatusCode::BAD_REQUEST);
        assert_eq!(e["param"], "query", "{bad}");
    }
    // A page token belongs to its query.
    let r = s
        .send(
            s.req(Method::GET, "/v1/charges/search")
                .query(&[("query", "status:'succeeded'"), ("limit", "2")]),
        )
        .await;
    let token = r.body["next_page"].as_str().unwrap().to_string();
    let r = s
        .send(
            s.req(Method::GET, "/v1/charges/search")
                .query(&[("query", "amount>1"), ("page", token.as_str())]),
        )
        .await;
    assert_eq!(err(&r, StatusCode::BAD_REQUEST)["param"], "page");
    let r = s
        .send(
            s.req(Method::GET, "/v1/charges/search")
                .query(&[("query", "status:'succeeded'"), ("expand[]", "total_count")]),
        )
        .await;
    assert_eq!(r.body["total_count"].as_u64(), Some(ok.len() as u64));
    s.sim.shutdown().await;
}

#[tokio::test]
async fn customers_and_cards() {
    let s = Sim::new().await;
    let ids = s.all_ids("/v1/customers", 6).await;
    assert_eq!(ids.len(), 20);
    assert!(ids.iter().all(|i| i.starts_with("cus_") && i.len() == 28));
    let r = s
        .post(
            "/v1/customers",
            &[
                ("email", "new@example.com"),
                ("name", "New Person"),
                ("metadata[tier]", "gold"),
                ("source", "tok_mastercard"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cus = id(&r.body);
    assert_eq!(r.body["name"], "New Person");
    let card = r.body["default_source"].as_str().unwrap().to_string();
    assert!(card.starts_with("card_") && card.len() == 29);
    let r = s
        .post(
            &format!("/v1/customers/{cus}"),
            &[("name", "Renamed"), ("metadata[tier]", "")],
        )
        .await;
    assert_eq!(r.body["name"], "Renamed");
    assert_eq!(r.body["metadata"], serde_json::json!({}));
    let r = s
        .post(
            &format!("/v1/customers/{cus}/sources"),
            &[("source", "tok_amex")],
        )
        .await;
    assert_eq!(r.body["brand"], "American Express");
    let amex = id(&r.body);
    let cards = s
        .get(&format!("/v1/customers/{cus}/sources?object=card"))
        .await;
    assert_eq!(cards.body["data"].as_array().map(Vec::len), Some(2));
    let pms = s
        .get(&format!("/v1/customers/{cus}/payment_methods?type=card"))
        .await;
    assert_eq!(pms.body["data"][0]["object"], "payment_method");
    // Charging the customer uses the default card; a named card must be theirs.
    let r = s
        .post(
            "/v1/charges",
            &[("amount", "700"), ("currency", "aud"), ("customer", &cus)],
        )
        .await;
    assert_eq!(r.body["customer"], cus.as_str());
    assert_eq!(r.body["payment_method"], card.as_str());
    let r = s
        .post(
            "/v1/charges",
            &[
                ("amount", "700"),
                ("currency", "aud"),
                ("customer", &cus),
                ("source", &amex),
            ],
        )
        .await;
    assert_eq!(r.body["payment_method"], amex.as_str());
    let mine = s.get(&format!("/v1/charges?customer={cus}")).await;
    assert_eq!(mine.body["data"].as_array().map(Vec::len), Some(2));
    let by_email = s.get("/v1/customers?email=new@example.com").await;
    assert_eq!(by_email.body["data"][0]["id"], cus.as_str());
    let r = s
        .send(
            s.req(Method::GET, "/v1/customers/search")
                .query(&[("query", "name~'Renam'")]),
        )
        .await;
    assert_eq!(r.body["data"][0]["id"], cus.as_str());
    let r = s
        .send(s.req(
            Method::DELETE,
            &format!("/v1/customers/{cus}/sources/{amex}"),
        ))
        .await;
    assert_eq!(r.body["deleted"], true);
    let r = s
        .send(s.req(Method::DELETE, &format!("/v1/customers/{cus}")))
        .await;
    assert_eq!(r.body["deleted"], true);
    let r = s.get(&format!("/v1/customers/{cus}")).await;
    assert_eq!(r.body["deleted"], true);
    let r = s.get("/v1/customers/cus_missing").await;
    assert_eq!(err(&r, StatusCode::NOT_FOUND)["code"], "resource_missing");
    s.sim.shutdown().await;
}

#[tokio::test]
async fn admin_routes_clock_and_faults() {
    let s = Sim::new().await;
    let pin_key = s.sim.dialect("PIN").unwrap().key.clone();
    let auth = id(&s.new_charge("800", false).await);
    // The asynchronous-refund test card: its refund stays pending until the clock.
    let cap = s
        .post(
            "/v1/charges",
            &[
                ("amount", "900"),
                ("currency", "aud"),
                ("source", "tok_pendingRefund"),
            ],
        )
        .await;
    let cap = id(&cap.body);
    let r = s.post("/v1/refunds", &[("charge", &cap)]).await;
    assert_eq!(r.body["status"], "pending");
    // Either key works; dialect chooses the log.
    let pin_ops = s.admin(Method::GET, "/operations", &s.key).await.body;
    assert_eq!(pin_ops["dialect"], "pin");
    assert_eq!(pin_ops["operations"].as_array().map(Vec::len), Some(0));
    let ops = s
        .admin(Method::GET, "/operations?dialect=stripe", &pin_key)
        .await
        .body;
    let names: Vec<&str> = ops["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["operation"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["create_charge", "create_charge", "refund"]);
    let r = s
        .admin(Method::GET, "/operations?dialect=nope", &s.key)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = s.admin(Method::GET, "/faults", "sk_test_nope").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Eight days later: the refund settled, the authorisation expired.
    let r = s
        .admin(
            Method::POST,
            "/clock/advance?seconds=691200&dialect=stripe",
            &s.key,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let refunds = s.get(&format!("/v1/refunds?charge={cap}")).await;
    assert_eq!(refunds.body["data"][0]["status"], "succeeded");
    let r = s.post(&format!("/v1/charges/{auth}/capture"), &[]).await;
    assert_eq!(
        err(&r, StatusCode::BAD_REQUEST)["code"],
        "charge_expired_for_capture"
    );
    let ch = s.get(&format!("/v1/charges/{auth}")).await.body;
    assert_eq!(ch["refunded"], true);
    s.sim.shutdown().await;

    // Faults reach Stripe routes, with Stripe-shaped bodies; 429s are not stored.
    let f = Sim::with(10, 3, FaultSpec::parse("rate_limit=1").unwrap()).await;
    let r = f
        .post_key(
            "/v1/charges",
            "k",
            &[
                ("amount", "100"),
                ("currency", "aud"),
                ("source", "tok_visa"),
            ],
        )
        .await;
    let e = err(&r, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(e["code"], "rate_limit");
    assert!(r.headers.contains_key("request-id"));
    let counts = f.admin(Method::GET, "/faults", &f.key).await.body;
    assert_eq!(counts["rate_limited"], 1);
    let ops = f
        .admin(Method::GET, "/operations?dialect=stripe", &f.key)
        .await
        .body;
    assert_eq!(ops["operations"].as_array().map(Vec::len), Some(0));
    f.sim.shutdown().await;
}

#[tokio::test]
async fn refunds_settle_at_once_except_on_the_pending_refund_card() {
    let s = Sim::new().await;
    for (source, status) in [
        ("tok_visa", "succeeded"),
        ("tok_mastercard", "succeeded"),
        ("tok_refundFail", "succeeded"),
        ("pm_card_pendingRefund", "pending"),
        ("tok_pendingRefund", "pending"),
    ] {
        let c = s
            .post(
                "/v1/charges",
                &[("amount", "1500"), ("currency", "aud"), ("source", source)],
            )
            .await;
        assert_eq!(c.status, StatusCode::OK, "{}", c.body);
        let r = s.post("/v1/refunds", &[("charge", &id(&c.body))]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["status"], status, "{source}: {}", r.body);
        let again = s.get(&format!("/v1/refunds/{}", id(&r.body))).await;
        assert_eq!(again.body["status"], status, "{source}");
    }
}

#[tokio::test]
async fn expand_customer_on_a_charge() {
    let s = Sim::new().await;
    let listed = s.get("/v1/charges?limit=100").await;
    let with_customer = listed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["customer"].is_string())
        .unwrap()
        .clone();
    let (ch, cus) = (
        id(&with_customer),
        with_customer["customer"].as_str().unwrap(),
    );
    let one = s.get(&format!("/v1/charges/{ch}?expand[]=customer")).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    assert_eq!(one.body["customer"]["object"], "customer");
    assert_eq!(one.body["customer"]["id"], cus);
    assert!(one.body["customer"]["email"].is_string());
    let plain = s.get(&format!("/v1/charges/{ch}")).await;
    assert_eq!(plain.body["customer"], cus);
    let page = s.get("/v1/charges?limit=100&expand[]=data.customer").await;
    let expanded = page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == ch.as_str())
        .unwrap()
        .clone();
    assert_eq!(expanded["customer"]["id"], cus);
}

#[tokio::test]
async fn card_errors_name_the_card_field() {
    let s = Sim::new().await;
    for (source, code, param) in [
        (
            "tok_chargeDeclinedIncorrectCvc",
            "incorrect_cvc",
            Some("cvc"),
        ),
        (
            "tok_chargeDeclinedExpiredCard",
            "expired_card",
            Some("exp_month"),
        ),
        ("tok_chargeDeclined", "card_declined", None),
        ("tok_chargeDeclinedInsufficientFunds", "card_declined", None),
    ] {
        let r = s
            .post(
                "/v1/charges",
                &[("amount", "1500"), ("currency", "aud"), ("source", source)],
            )
            .await;
        let e = err(&r, StatusCode::PAYMENT_REQUIRED);
        assert_eq!(e["type"], "card_error", "{source}");
        assert_eq!(e["code"], code, "{source}");
        assert_eq!(e["param"].as_str(), param, "{source}: {e}");
        // The failed charge says what the network said.
        let c = s
            .get(&format!("/v1/charges/{}", e["charge"].as_str().unwrap()))
            .await;
        assert_eq!(c.body["outcome"]["type"], "issuer_declined");
        assert!(
            c.body["outcome"]["network_decline_code"].is_string(),
            "{source}"
        );
        assert!(c.body["outcome"].get("advice_code").is_some(), "{source}");
    }
}

/// As Stripe does, a customer's `default_source` comes as the card itself when asked
/// for with `expand`, on one customer and on a list, and as its id otherwise: paydeck's
/// customer screen charges that card.
#[tokio::test]
async fn expand_a_customers_default_source() {
    let s = Sim::new().await;
    let r = s
        .post(
            "/v1/customers",
            &[("email", "card@example.com"), ("source", "tok_visa")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (cus, card) = (id(&r.body), r.body["default_source"].clone());
    assert!(card.as_str().is_some_and(|c| c.starts_with("card_")));
    let one = s
        .get(&format!("/v1/customers/{cus}?expand[]=default_source"))
        .await;
    assert_eq!(one.body["default_source"]["id"], card);
    assert_eq!(one.body["default_source"]["object"], "card");
    let page = s
        .get("/v1/customers?email=card@example.com&expand[]=data.default_source")
        .await;
    assert_eq!(page.body["data"][0]["default_source"]["id"], card);
    let plain = s.get(&format!("/v1/customers/{cus}")).await;
    assert_eq!(plain.body["default_source"], card);
}
