//! The TRX dialect (seed 002) over real HTTP on loopback: JWT auth and
//! expiry, list clamping, filters and sorting, lookup, authorize/authcap,
//! partial capture and void, refunds, settlement and chargebacks.

mod common;

use common::Dialect;
use common::simulator::{Raw, seeded};
use paydeck::sim::SimConfig;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The TRX dialect over HTTP, and an access token it gave.
struct Sim {
    raw: Raw,
    token: String,
}

impl std::ops::Deref for Sim {
    type Target = Raw;

    fn deref(&self) -> &Raw {
        &self.raw
    }
}

impl Sim {
    async fn new() -> Sim {
        let config = SimConfig {
            seed: 7,
            ..seeded(300, 30)
        };
        let raw = Raw::start(Dialect::Trx, config).await;
        let mut s = Sim {
            raw,
            token: String::new(),
        };
        s.token = s.fresh_token().await;
        s
    }

    async fn fresh_token(&self) -> String {
        let (id, secret) = self.key.split_once(':').unwrap();
        let (st, b) = self
            .raw(
                Method::POST,
                "/auth/token",
                None,
                Some(json!({"client_id": id, "client_secret": secret})),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{b}");
        assert_eq!(b["token_type"], "Bearer");
        assert_eq!(b["expires_in"], 300);
        b["access_token"].as_str().unwrap().to_string()
    }

    async fn raw(
        &self,
        m: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut r = self.http.request(m, format!("{}{path}", self.url));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        if let Some(b) = body {
            r = r.json(&b);
        }
        let resp = r.send().await.unwrap();
        let st = resp.status();
        let text = resp.text().await.unwrap();
        (st, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn call(&self, m: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.raw(m, path, Some(&self.token), body).await
    }

    async fn advance(&self, seconds: i64) {
        let r = self
            .http
            .post(format!(
                "http://{}/_sim/clock/advance?seconds={seconds}&dialect=trx",
                self.sim.addr
            ))
            .bearer_auth(&self.key)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }

    async fn card(&self, number: &str) -> String {
        let (st, b) = self
            .call(
                Method::POST,
                "/intents/tokenization",
                Some(json!({"card_number": number, "expiry_month": 12, "expiry_year": 2099, "cvv": "123"})),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{b}");
        assert!(b["intent_id"].as_str().unwrap().starts_with("tin_"));
        assert_eq!(b["card"]["last4"], &number[number.len() - 4..]);
        assert!(!b.to_string().contains(number));
        b["card_token"].as_str().unwrap().to_string()
    }

    async fn pay(&self, op: &str, amount: &str, order: &str) -> Value {
        let card = self.card("5520000000000000").await;
        let (st, b) = self
            .call(
                Method::POST,
                "/transactions",
                Some(json!({"operation": op, "amount": amount, "currency": "USD",
                            "order_id": order, "external_id": format!("x-{order}"), "card_token": card})),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{b}");
        b
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn token_expiry_and_forgery() {
    let s = Sim::new().await;
    let (st, _) = s
        .raw(
            Method::POST,
            "/auth/token",
            None,
            Some(json!({"client_id": "cli_x", "client_secret": "nope"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, b) = s.raw(Method::GET, "/transactions", None, None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(b["error"]["code"], "invalid_token");
    let (st, _) = s.call(Method::GET, "/transactions", None).await;
    assert_eq!(st, StatusCode::OK);
    // Forged: same header and claims, another signature.
    let mut parts: Vec<&str> = s.token.split('.').collect();
    parts[2] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let forged = parts.join(".");
    let (st, b) = s
        .raw(Method::GET, "/transactions", Some(&forged), None)
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(b["error"]["code"], "invalid_token");
    let (st, _) = s
        .raw(Method::GET, "/transactions", Some("not-a-jwt"), None)
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    s.advance(301).await;
    let (st, b) = s.call(Method::GET, "/transactions", None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert!(b["error"]["message"].as_str().unwrap().contains("expired"));
    let fresh = s.fresh_token().await;
    let (st, _) = s
        .raw(Method::GET, "/transactions", Some(&fresh), None)
        .await;
    assert_eq!(st, StatusCode::OK);
    s.raw.sim.shutdown().await;
}

#[tokio::test]
async fn list_clamps_filters_and_sorts() {
    let s = Sim::new().await;
    for (q, offset, limit) in [
        ("limit=5", 0, 10),
        ("limit=500", 0, 100),
        ("offset=-3&limit=20", 0, 20),
        ("", 0, 10),
    ] {
        let (st, b) = s
            .call(Method::GET, &format!("/transactions?{q}"), None)
            .await;
        assert_eq!(st, StatusCode::OK, "{b}");
        assert_eq!(b["offset"], offset);
        assert_eq!(b["limit"], limit);
        assert_eq!(b["data"].as_array().unwrap().len(), limit);
    }
    let (st, b) = s.call(Method::GET, "/transactions?limit=x", None).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(b["error"]["field"], "limit");
    let (st, _) = s
        .call(Method::GET, "/transactions?start_date=2024-01-01", None)
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    // Date filters: seeded data spans the last 30 days.
    let today = chrono::Utc::now().date_naive();
    let fmt = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let start = today - chrono::Days::new(10);
    let (_, all) = s.call(Method::GET, "/transactions?limit=100", None).await;
    let (_, recent) = s
        .call(
            Method::GET,
            &format!(
                "/transactions?limit=100&start_date={}&sort=created_at",
                fmt(start)
            ),
            None,
        )
        .await;
    assert!(recent["total"].as_u64().unwrap() < all["total"].as_u64().unwrap());
    let lo = format!("{}T00:00:00Z", start.format("%Y-%m-%d"));
    for t in recent["data"].as_array().unwrap() {
        assert!(t["created_at"].as_str().unwrap() >= lo.as_str());
    }
    let (_, old) = s
        .call(
            Method::GET,
            &format!("/transactions?end_date={}", fmt(start)),
            None,
        )
        .await;
    assert_eq!(
        old["total"].as_u64().unwrap() + recent["total"].as_u64().unwrap(),
        all["total"].as_u64().unwrap()
    );
    // Sorting both ways.
    for (sort, field) in [
        ("created_at", "created_at"),
        ("updated_at", "updated_at"),
        ("status", "status"),
        ("type", "type"),
    ] {
        for dir in ["ASC", "DESC"] {
            let (_, b) = s
                .call(
                    Method::GET,
                    &format!("/transactions?limit=100&sort={sort}&direction={dir}"),
                    None,
                )
                .await;
            let v: Vec<String> = b["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t[field].as_str().unwrap().to_string())
                .collect();
            let mut sorted = v.clone();
            sorted.sort();
            if dir == "DESC" {
                sorted.reverse();
            }
            assert_eq!(v, sorted, "{sort} {dir}");
        }
    }
    let (_, b) = s
        .call(
            Method::GET,
            "/transactions?limit=100&sort=order_amount&direction=DESC",
            None,
        )
        .await;
    let v: Vec<f64> = b["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["order_amount"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(v.windows(2).all(|w| w[0] >= w[1]), "{v:?}");
    // Type and status filters; chargebacks are seeded with a parent.
    let (_, b) = s
        .call(Method::GET, "/transactions?type=CHARGEBACK", None)
        .await;
    assert!(b["total"].as_u64().unwrap() > 0);
    for t in b["data"].as_array().unwrap() {
        assert_eq!(t["type"], "CHARGEBACK");
        let (st, p) = s
            .call(
                Method::GET,
                &format!("/transactions/{}", t["parent_id"].as_str().unwrap()),
                None,
            )
            .await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(p["type"], "PAYMENT");
    }
    let (_, b) = s
        .call(
            Method::GET,
            "/transactions?status=SETTLED&type=PAYMENT",
            None,
        )
        .await;
    assert!(b["total"].as_u64().unwrap() > 0);
    assert!(
        b["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["status"] == "SETTLED")
    );
    s.raw.sim.shutdown().await;
}

#[tokio::test]
async fn payments_capture_void_refund_settle() {
    let s = Sim::new().await;
    let p = s.pay("authorize", "12.50", "ord-1").await;
    assert!(id(&p).starts_with("trx_") && id(&p).len() == 30);
    assert_eq!(p["status"], "AUTHORIZED");
    assert_eq!(p["authorized_amount"], "12.50");
    // Lookup by both ids.
    for q in [
        "id_type=order_id&id=ord-1",
        "id_type=external_id&id=x-ord-1",
    ] {
        let (st, b) = s
            .call(Method::GET, &format!("/transactions/lookup?{q}"), None)
            .await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(id(&b), id(&p));
    }
    let (st, _) = s
        .call(
            Method::GET,
            "/transactions/lookup?id_type=order_id&id=none",
            None,
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    // Duplicate order id.
    let card = s.card("5520000000000000").await;
    let (st, b) = s
        .call(Method::POST, "/transactions", Some(json!({"operation": "authorize", "amount": "1.00", "currency": "USD", "order_id": "ord-1", "card_token": card})))
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(b["error"]["code"], "duplicate_order_id");
    // Partial void then partial capture.
    let path = format!("/transactions/{}", id(&p));
    let (st, b) = s
        .call(
            Method::POST,
            &format!("{path}/void"),
            Some(json!({"amount": "2.50"})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["status"], "AUTHORIZED");
    assert_eq!(b["authorized_amount"], "10.00");
    let (st, b) = s
        .call(
            Method::POST,
            &format!("{path}/capture"),
            Some(json!({"amount": "10.01"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["code"], "amount_exceeds");
    let (st, b) = s
        .call(
            Method::POST,
            &format!("{path}/capture"),
            Some(json!({"amount": "8.00"})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["status"], "PARTIAL_CAPTURED");
    assert_eq!(b["captured_amount"], "8.00");
    // Refund: a new REFUND transaction.
    let (st, r) = s
        .call(
            Method::POST,
            &format!("{path}/refunds"),
            Some(json!({"amount": "3.00", "reason": "damaged"})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    assert_eq!(r["type"], "REFUND");
    assert_eq!(r["parent_id"], id(&p));
    assert_eq!(r["order_amount"], "3.00");
    assert!(id(&r) > id(&p));
    let (st, _) = s
        .call(
            Method::POST,
            &format!("{path}/refunds"),
            Some(json!({"amount": "5.01"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, b) = s.call(Method::GET, &path, None).await;
    assert_eq!(b["refunded_amount"], "3.00");
    // Settlement over ledger time (tokens expire too).
    s.advance(86_400).await;
    let t = s.fresh_token().await;
    let (_, b) = s.raw(Method::GET, &path, Some(&t), None).await;
    assert_eq!(b["status"], "PARTIAL_SETTLED");
    let (_, r) = s
        .raw(
            Method::GET,
            &format!("/transactions/{}", id(&r)),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(r["status"], "SETTLED");
    s.raw.sim.shutdown().await;
}

#[tokio::test]
async fn authcap_full_void_declines_and_intents() {
    let s = Sim::new().await;
    let p = s.pay("authcap", "20.00", "ord-2").await;
    assert_eq!(p["status"], "CAPTURED");
    let (st, r) = s
        .call(
            Method::POST,
            &format!("/transactions/{}/refunds", id(&p)),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(r["order_amount"], "20.00");
    let a = s.pay("authorize", "5.00", "ord-3").await;
    let (st, b) = s
        .call(
            Method::POST,
            &format!("/transactions/{}/void", id(&a)),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(b["status"], "VOIDED");
    let (st, b) = s
        .call(
            Method::POST,
            &format!("/transactions/{}/capture", id(&a)),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["code"], "invalid_state");
    let (st, _) = s
        .call(
            Method::POST,
            &format!("/transactions/{}/refunds", id(&a)),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    // Declined card.
    let card = s.card("4100000000000001").await;
    let (st, d) = s
        .call(Method::POST, "/transactions", Some(json!({"operation": "authcap", "amount": "1.00", "currency": "USD", "order_id": "ord-4", "card_token": card})))
        .await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(d["status"], "DECLINED");
    assert_eq!(d["decline_code"], "card_declined");
    // Authorization intent.
    let (st, i) = s
        .call(
            Method::POST,
            "/intents/authorization",
            Some(json!({"amount": "7.25", "currency": "USD", "order_id": "ord-5"})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{i}");
    let card = s.card("5520000000000000").await;
    let body = json!({"operation": "authorize", "intent_id": i["intent_id"], "card_token": card});
    let (st, t) = s
        .call(Method::POST, "/transactions", Some(body.clone()))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{t}");
    assert_eq!(t["order_amount"], "7.25");
    assert_eq!(t["order_id"], "ord-5");
    let (st, _) = s.call(Method::POST, "/transactions", Some(body)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    // Expiry after seven days; the operations log names the dialect.
    s.advance(8 * 86_400).await;
    let tok = s.fresh_token().await;
    let (_, b) = s
        .raw(
            Method::GET,
            &format!("/transactions/{}", id(&t)),
            Some(&tok),
            None,
        )
        .await;
    assert_eq!(b["status"], "EXPIRED");
    let ops = s.admin_json("operations?dialect=trx").await;
    assert_eq!(ops["dialect"], "trx");
    assert!(ops["operations"].as_array().unwrap().len() >= 5);
    s.raw.sim.shutdown().await;
}

/// A transaction names its fee and, once batched, its settlement; before
/// that, the day its batch is expected to be paid. Every batch line names its
/// own transaction, and a chargeback is debited as its own line in the first
/// batch cut after it.
#[tokio::test]
async fn transactions_name_their_fee_and_batch_and_lines_their_own_transaction() {
    let s = Sim::new().await;
    let p = s.pay("authcap", "100.00", "ord-fee").await;
    let fee = p["fee"].as_str().unwrap().to_string();
    assert_ne!(fee, "0.00");
    assert_eq!(p["fee_tax"], "0.00");
    assert_eq!(p["settlement_id"], Value::Null);
    let expected = p["expected_settlement_date"].as_str().unwrap().to_string();
    let (st, r) = s
        .call(
            Method::POST,
            &format!("/transactions/{}/refunds", id(&p)),
            Some(json!({"amount": "10.00"})),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    // A refund is in the books only once settled.
    for field in ["fee", "settlement_id", "expected_settlement_date"] {
        assert_eq!(r[field], Value::Null, "{field}: {r}");
    }
    s.advance(61).await;
    let (_, r) = s
        .call(Method::GET, &format!("/transactions/{}", id(&r)), None)
        .await;
    assert_eq!(
        (&r["status"], &r["fee"]),
        (&json!("SETTLED"), &json!("0.00"))
    );
    let refund_expected = r["expected_settlement_date"].as_str().unwrap().to_string();

    s.advance(4 * 86_400).await;
    let t = s.fresh_token().await;
    let get = |path: String| {
        let t = t.clone();
        let s = &s;
        async move {
            let (st, b) = s.raw(Method::GET, &path, Some(&t), None).await;
            assert_eq!(st, StatusCode::OK, "{path}: {b}");
            b
        }
    };
    // A transaction, its batch, and the batch's line that names it.
    let batched = |trx: String| async move {
        let trx = get(format!("/transactions/{trx}")).await;
        assert_eq!(trx["expected_settlement_date"], Value::Null, "{trx}");
        let batch = trx["settlement_id"].as_str().unwrap();
        let lines = get(format!("/settlements/{batch}/lines?limit=100")).await;
        let line = lines["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["transaction_id"] == trx["id"]);
        let line = line
            .unwrap_or_else(|| panic!("{trx} has no line in {lines}"))
            .clone();
        (get(format!("/settlements/{batch}")).await, line)
    };
    let (batch, paid) = batched(id(&p)).await;
    assert_eq!(batch["pay_date"], expected.as_str(), "{batch}");
    assert_eq!(
        (&paid["type"], &paid["fee"]),
        (&json!("PAYMENT"), &json!(fee))
    );
    let (batch, refunded) = batched(id(&r)).await;
    assert_eq!(batch["pay_date"], refund_expected.as_str(), "{batch}");
    assert_eq!(refunded["type"], "REFUND");
    assert_eq!(refunded["payment_id"], id(&p));
    assert_eq!(refunded["gross"], "-10.00");

    // Seeded chargebacks: each in the first batch cut after it was opened.
    let chargebacks = get("/transactions?type=CHARGEBACK&limit=100".into()).await;
    let chargebacks = chargebacks["data"].as_array().unwrap();
    assert!(!chargebacks.is_empty());
    for cb in chargebacks {
        let batch = get(format!(
            "/settlements/{}",
            cb["settlement_id"].as_str().unwrap()
        ))
        .await;
        let cut: chrono::DateTime<chrono::Utc> =
            batch["cutoff_at"].as_str().unwrap().parse().unwrap();
        let opened: chrono::DateTime<chrono::Utc> =
            cb["created_at"].as_str().unwrap().parse().unwrap();
        assert!(
            opened <= cut && cut - opened <= chrono::TimeDelta::days(1),
            "{cb} {batch}"
        );
        let lines = get(format!(
            "/settlements/{}/lines?limit=100",
            batch["id"].as_str().unwrap()
        ))
        .await;
        let own: Vec<_> = lines["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["transaction_id"] == cb["id"] && l["type"] == "CHARGEBACK")
            .collect();
        assert_eq!(own.len(), 1, "{cb}: {lines}");
        assert_eq!(own[0]["fee"], cb["fee"]);
        assert_eq!(own[0]["payment_id"], cb["parent_id"]);
    }
    s.raw.sim.shutdown().await;
}
