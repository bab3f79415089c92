//! The Openpay dialect over real HTTP on loopback: every route, the list
//! filters and offset paging, the error codes, pre-authorisation capture and
//! cancel, and decimal amounts that round-trip exactly.

use std::collections::HashMap;

use chrono::{FixedOffset, Utc};
mod common;

use common::Dialect;
use common::simulator::{Raw, seeded};
use paydeck::sim::{FaultSpec, SimConfig, openpay_key, openpay_merchant_id};
use reqwest::{Method, StatusCode};
use serde_json::value::RawValue;
use serde_json::{Value, json};

const SEED: u64 = 21;

type Sim = Raw;

struct Resp {
    status: StatusCode,
    text: String,
    body: Value,
}

impl Resp {
    /// The exact text of top-level field `name` (e.g. `100.00`).
    fn raw(&self, name: &str) -> String {
        let m: HashMap<String, Box<RawValue>> = serde_json::from_str(&self.text).unwrap();
        m[name].get().to_string()
    }

    fn code(&self) -> i64 {
        self.body["error_code"].as_i64().unwrap_or(0)
    }

    fn id(&self) -> String {
        self.body["id"].as_str().unwrap().to_string()
    }
}

impl Sim {
    async fn with(charges: usize, faults: FaultSpec) -> Sim {
        let config = SimConfig {
            seed: SEED,
            faults,
            ..seeded(charges, 20)
        };
        Raw::start(Dialect::Openpay, config).await
    }

    async fn new() -> Sim {
        Sim::with(150, FaultSpec::default()).await
    }

    async fn send(&self, rb: reqwest::RequestBuilder) -> Resp {
        let r = rb.send().await.unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp { status, text, body }
    }

    fn req(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.url))
            .basic_auth(&self.key, Some(""))
    }

    async fn get(&self, path: &str) -> Resp {
        self.send(self.req(Method::GET, path)).await
    }

    async fn post(&self, path: &str, body: &str) -> Resp {
        self.send(
            self.req(Method::POST, path)
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await
    }

    async fn put(&self, path: &str, body: Value) -> Resp {
        self.send(self.req(Method::PUT, path).json(&body)).await
    }

    async fn delete(&self, path: &str) -> Resp {
        self.send(self.req(Method::DELETE, path)).await
    }

    /// A charge with a card object; `extra` is spliced into the JSON body.
    async fn charge(&self, amount: &str, number: &str, extra: &str) -> Resp {
        let body = format!(
            r#"{{"method":"card","amount":{amount},"currency":"MXN","description":"Cargo de prueba",
            "device_session_id":"kR1MiQhz2otdIuUlQkbEyitIqVMiI16f",
            "card":{{"card_number":"{number}","holder_name":"Juan Perez","expiration_year":"40",
            "expiration_month":"12","cvv2":"123"}}{extra}}}"#
        );
        self.post("/charges", &body).await
    }

    async fn customer(&self, email: &str, external_id: Option<&str>) -> Resp {
        let mut body = json!({"name": "Pedro", "last_name": "Alatorre", "email": email,
            "phone_number": "5744484951"});
        if let Some(e) = external_id {
            body["external_id"] = json!(e);
        }
        self.post("/customers", &body.to_string()).await
    }

    async fn card(&self, customer: &str, number: &str) -> Resp {
        let body = json!({"card_number": number, "holder_name": "Pedro Alatorre",
            "expiration_year": "40", "expiration_month": "07", "cvv2": "321",
            "device_session_id": "abc",
            "address": {"line1": "Av 5 de Febrero", "postal_code": "76900", "state": "Queretaro",
                "city": "Queretaro", "country_code": "MX"}});
        self.post(&format!("/customers/{customer}/cards"), &body.to_string())
            .await
    }
}

fn is_error(r: &Resp, status: u16, code: i64) {
    assert_eq!(r.status.as_u16(), status, "{}", r.text);
    assert_eq!(r.code(), code, "{}", r.text);
    assert_eq!(r.body["http_code"], status);
    assert!(r.body["category"].is_string());
    assert!(r.body["description"].is_string());
    assert!(r.body["request_id"].as_str().is_some_and(|s| !s.is_empty()));
}

fn lower_alnum(s: &str, prefix: &str, len: usize) -> bool {
    s.len() == len
        && s.starts_with(prefix)
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

fn today() -> String {
    let zone = FixedOffset::west_opt(6 * 3600).unwrap();
    Utc::now()
        .with_timezone(&zone)
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn key_merchant_id_and_auth() {
    let s = Sim::new().await;
    let d = s.sim.dialect("openpay").unwrap();
    assert!(d.key.starts_with("sk_") && !d.key.starts_with("sk_live_"));
    assert_eq!(d.key.len(), 35);
    assert!(d.key[3..].bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(d.key, openpay_key(SEED));
    let mid = d.merchant_id().unwrap();
    assert_eq!(mid, openpay_merchant_id(SEED));
    assert!(lower_alnum(mid, "m", 20));
    assert!(d.url.ends_with(&format!("/openpay/v1/{mid}")));
    assert_eq!(s.sim.dialect("PIN").unwrap().merchant_id(), None);

    assert_eq!(s.get("/charges").await.status, StatusCode::OK);
    let url = format!("{}/charges", s.url);
    let none = s.send(s.http.get(&url)).await;
    is_error(&none, 401, 1002);
    let wrong = s
        .send(s.http.get(&url).basic_auth("sk_nope", Some("")))
        .await;
    is_error(&wrong, 401, 1002);
    let password = s
        .send(s.http.get(&url).basic_auth(&s.key, Some("secret")))
        .await;
    is_error(&password, 401, 1002);
    let bearer = s.send(s.http.get(&url).bearer_auth(&s.key)).await;
    is_error(&bearer, 401, 1002);
    let other_merchant = format!(
        "http://{}/openpay/v1/mzdtln0bmtms6o3kck8f/charges",
        s.sim.addr
    );
    let r = s
        .send(s.http.get(other_merchant).basic_auth(&s.key, Some("")))
        .await;
    is_error(&r, 401, 1002);
    is_error(&s.get("/nothing/here").await, 404, 1005);
    s.sim.shutdown().await;
}

#[tokio::test]
async fn seeded_charges_look_like_openpay() {
    let s = Sim::new().await;
    let r = s.get("/charges?limit=100").await;
    assert_eq!(r.status, StatusCode::OK);
    let list = r.body.as_array().unwrap();
    assert_eq!(list.len(), 100);
    let raw: Vec<HashMap<String, Box<RawValue>>> = serde_json::from_str(&r.text).unwrap();
    for (c, raw) in list.iter().zip(&raw) {
        assert!(lower_alnum(c["id"].as_str().unwrap(), "tr", 20), "{c}");
        assert!(["MXN", "USD"].contains(&c["currency"].as_str().unwrap()));
        let amount = raw["amount"].get();
        assert_eq!(amount.split('.').nth(1).map(str::len), Some(2), "{amount}");
        assert_eq!(c["transaction_type"], "charge");
        assert_eq!(c["method"], "card");
        assert!(c["creation_date"].as_str().unwrap().ends_with("-06:00"));
    }
    let created: Vec<&str> = list
        .iter()
        .map(|c| c["creation_date"].as_str().unwrap())
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let statuses: Vec<&str> = list.iter().map(|c| c["status"].as_str().unwrap()).collect();
    for st in ["completed", "failed", "cancelled"] {
        assert!(statuses.contains(&st), "{st} in {statuses:?}");
    }
    // Default page is 10; offset paging walks the same order.
    assert_eq!(s.get("/charges").await.body.as_array().unwrap().len(), 10);
    let a = s.get("/charges?offset=0&limit=7").await.body;
    let b = s.get("/charges?offset=7&limit=7").await.body;
    let ids = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let mut joined = ids(&a);
    joined.extend(ids(&b));
    let first14: Vec<String> = list
        .iter()
        .take(14)
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(joined, first14);
    let far = s.get("/charges?offset=100000").await;
    assert_eq!(far.body, json!([]));
    is_error(&s.get("/charges?limit=0").await, 400, 1001);
    is_error(&s.get("/charges?limit=101").await, 400, 1001);
    is_error(&s.get("/charges?offset=-1").await, 400, 1001);
    is_error(&s.get("/charges?limit=ten").await, 400, 1001);
    s.sim.shutdown().await;
}

#[tokio::test]
async fn amounts_round_trip_exactly() {
    let s = Sim::with(0, FaultSpec::default()).await;
    for (sent, shown) in [
        ("100.00", "100.00"),
        ("0.01", "0.01"),
        ("99999999.99", "99999999.99"),
        ("12.5", "12.50"),
        ("7", "7.00"),
        ("\"250.10\"", "250.10"),
    ] {
        let r = s.charge(sent, "4111111111111111", "").await;
        assert_eq!(r.status, StatusCode::OK, "{sent}: {}", r.text);
        assert_eq!(r.raw("amount"), shown);
        assert_eq!(r.body["status"], "completed");
        let got = s.get(&format!("/charges/{}", r.id())).await;
        assert_eq!(got.raw("amount"), shown);
        let listed = s.get(&format!("/charges?amount={shown}")).await;
        assert!(
            listed.text.contains(&format!("\"amount\":{shown}")),
            "{}",
            listed.text
        );
    }
    for bad in [
        "0",
        "0.00",
        "-1.00",
        "0.001",
        "100000000.00",
        "1e3",
        "\"abc\"",
        "null",
        "true",
    ] {
        let r = s.charge(bad, "4111111111111111", "").await;
        is_error(&r, 400, 1001);
    }
    // Openpay has no zero-exponent currency: JPY is refused.
    let r = s
        .post(
            "/charges",
            r#"{"method":"card","amount":1500,"currency":"JPY","description":"x",
            "card":{"card_number":"4111111111111111","holder_name":"A","expiration_year":"40",
            "expiration_month":"1","cvv2":"123"}}"#,
        )
        .await;
    is_error(&r, 422, 1003);
    let r = s
        .post(
            "/charges",
            r#"{"method":"card","amount":10.00,"currency":"usd","description":"x",
            "card":{"card_number":"4111111111111111","holder_name":"A","expiration_year":"2040",
            "expiration_month":"1","cvv2":"123"}}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["currency"], "USD");
    assert_eq!(r.raw("amount"), "10.00");
    s.sim.shutdown().await;
}

#[tokio::test]
async fn create_validation_and_order_id() {
    let s = Sim::with(0, FaultSpec::default()).await;
    let r = s
        .charge("10.00", "4111111111111111", r#","order_id":"oid-00051""#)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["order_id"], "oid-00051");
    assert!(lower_alnum(&r.id(), "tr", 20));
    assert_eq!(r.body["card"]["card_number"], "411111XXXXXX1111");
    assert_eq!(r.body["card"]["brand"], "visa");
    assert!(
        r.body["authorization"]
            .as_str()
            .is_some_and(|a| a.len() == 6)
    );
    let dup = s
        .charge("11.00", "4111111111111111", r#","order_id":"oid-00051""#)
        .await;
    is_error(&dup, 409, 1006);
    let listed = s.get("/charges?order_id=oid-00051").await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);

    let missing_desc = s
        .post(
            "/charges",
            r#"{"method":"card","amount":1,"card":{"card_number":"4111111111111111",
            "holder_name":"A","expiration_year":"40","expiration_month":"1","cvv2":"123"}}"#,
        )
        .await;
    is_error(&missing_desc, 400, 1001);
    let no_source = s
        .post(
            "/charges",
            r#"{"method":"card","amount":1,"description":"x"}"#,
        )
        .await;
    is_error(&no_source, 400, 1001);
    let bad_method = s
        .post(
            "/charges",
            r#"{"method":"store","amount":1,"description":"x"}"#,
        )
        .await;
    is_error(&bad_method, 422, 1003);
    is_error(&s.post("/charges", "{not json").await, 400, 1001);
    let unknown_card = s
        .post(
            "/charges",
            r#"{"method":"card","source_id":"kqgykn96i7bcs1wwhvgw","amount":1,"description":"x"}"#,
        )
        .await;
    is_error(&unknown_card, 404, 1005);
    is_error(&s.charge("1.00", "4111111111111112", "").await, 422, 2004);
    let expired = s
        .post(
            "/charges",
            r#"{"method":"card","amount":1,"description":"x","card":{"card_number":"4111111111111111",
            "holder_name":"A","expiration_year":"20","expiration_month":"1","cvv2":"123"}}"#,
        )
        .await;
    is_error(&expired, 400, 2005);
    let no_cvv = s
        .post(
            "/charges",
            r#"{"method":"card","amount":1,"description":"x","card":{"card_number":"4111111111111111",
            "holder_name":"A","expiration_year":"40","expiration_month":"1"}}"#,
        )
        .await;
    is_error(&no_cvv, 400, 2006);
    is_error(&s.get("/charges/trnotthere000000000").await, 404, 1005);
    s.sim.shutdown().await;
}

#[tokio::test]
async fn test_cards_decline_with_their_codes() {
    let s = Sim::with(0, FaultSpec::default()).await;
    for (number, code) in [
        ("4222222222222220", 3001),
        ("4000000000000069", 3002),
        ("4444444444444448", 3003),
        ("4000000000000119", 3004),
        ("4000000000000044", 3005),
    ] {
        let r = s
            .charge("20.00", number, &format!(r#","order_id":"decl-{code}""#))
            .await;
        is_error(&r, 402, code);
        let failed = s.get(&format!("/charges?order_id=decl-{code}")).await;
        let c = &failed.body[0];
        assert_eq!(c["status"], "failed");
        assert!(c["error_message"].is_string());
        assert!(c["authorization"].is_null());
    }
    let failed = s.get("/charges?status=FAILED&limit=100").await;
    assert_eq!(failed.body.as_array().unwrap().len(), 5);
    // The failed charge cannot be captured or refunded.
    let id = s.get("/charges?order_id=decl-3001").await.body[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    is_error(
        &s.post(&format!("/charges/{id}/refund"), "{}").await,
        412,
        3006,
    );
    is_error(
        &s.post(&format!("/charges/{id}/capture"), "{}").await,
        412,
        3006,
    );
    for ok in ["4242424242424242", "5555555555554444", "345678000000007"] {
        assert_eq!(s.charge("1.00", ok, "").await.status, StatusCode::OK);
    }
    s.sim.shutdown().await;
}

#[tokio::test]
async fn preauthorisation_capture_and_cancel() {
    let s = Sim::with(0, FaultSpec::default()).await;
    let auth = s
        .charge("100.00", "4111111111111111", r#","capture":false"#)
        .await;
    assert_eq!(auth.status, StatusCode::OK, "{}", auth.text);
    assert_eq!(auth.body["status"], "in_progress");
    let id = auth.id();
    is_error(
        &s.post(&format!("/charges/{id}/capture"), r#"{"amount":100.01}"#)
            .await,
        422,
        1003,
    );
    let cap = s
        .post(&format!("/charges/{id}/capture"), r#"{"amount":60.00}"#)
        .await;
    assert_eq!(cap.status, StatusCode::OK, "{}", cap.text);
    assert_eq!(cap.body["status"], "completed");
    assert_eq!(cap.raw("amount"), "60.00");
    is_error(
        &s.post(&format!("/charges/{id}/capture"), r#"{"amount":1.00}"#)
            .await,
        412,
        3006,
    );
    // Full capture with no amount.
    let auth2 = s
        .charge("0.01", "4111111111111111", r#","capture":"false""#)
        .await;
    let cap2 = s
        .post(&format!("/charges/{}/capture", auth2.id()), "")
        .await;
    assert_eq!(cap2.body["status"], "completed", "{}", cap2.text);
    assert_eq!(cap2.raw("amount"), "0.01");

    // A refund of an uncaptured charge cancels the pre-authorisation.
    let auth3 = s
        .charge("55.55", "4111111111111111", r#","capture":false"#)
        .await;
    let id3 = auth3.id();
    let cancel = s
        .post(
            &format!("/charges/{id3}/refund"),
            r#"{"description":"cancelar"}"#,
        )
        .await;
    assert_eq!(cancel.status, StatusCode::OK, "{}", cancel.text);
    assert_eq!(cancel.body["status"], "cancelled");
    assert_eq!(cancel.raw("amount"), "55.55");
    assert!(cancel.body.get("refund").is_none());
    is_error(
        &s.post(&format!("/charges/{id3}/refund"), "{}").await,
        412,
        3006,
    );
    is_error(
        &s.post(&format!("/charges/{id3}/capture"), "{}").await,
        412,
        3006,
    );
    let cancelled = s.get("/charges?status=cancelled").await;
    assert!(cancelled.text.contains(&id3));
    let in_progress = s.get("/charges?status=IN_PROGRESS").await;
    assert_eq!(in_progress.body, json!([]));

    let ops = s.operations().await;
    let kinds: Vec<(&str, &str)> = ops
        .iter()
        .map(|o| {
            (
                o["operation"].as_str().unwrap(),
                o["target"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(kinds.contains(&("capture", id.as_str())));
    assert!(kinds.contains(&("void", id3.as_str())));

    // Uncaptured authorisations lapse with the clock and show as cancelled.
    let auth4 = s
        .charge("5.00", "4111111111111111", r#","capture":false"#)
        .await;
    let adv = s
        .send(
            s.http
                .post(format!(
                    "http://{}/_sim/clock/advance?seconds={}&dialect=openpay",
                    s.sim.addr,
                    8 * 86_400
                ))
                .basic_auth(&s.key, Some("")),
        )
        .await;
    assert_eq!(adv.status, StatusCode::OK);
    let got = s.get(&format!("/charges/{}", auth4.id())).await;
    assert_eq!(got.body["status"], "cancelled");
    s.sim.shutdown().await;
}

#[tokio::test]
async fn refunds_partial_and_full() {
    let s = Sim::with(0, FaultSpec::default()).await;
    let c = s.charge("100.00", "4111111111111111", "").await;
    let id = c.id();
    let r1 = s
        .post(
            &format!("/charges/{id}/refund"),
            r#"{"amount":30.00,"description":"devolucion"}"#,
        )
        .await;
    assert_eq!(r1.status, StatusCode::OK, "{}", r1.text);
    assert_eq!(r1.body["status"], "completed");
    let refund = &r1.body["refund"];
    assert!(lower_alnum(refund["id"].as_str().unwrap(), "tr", 20));
    assert_eq!(refund["transaction_type"], "refund");
    assert_eq!(refund["operation_type"], "out");
    assert_eq!(refund["description"], "devolucion");
    assert_eq!(
        refund["status"], "completed",
        "completed at once, as Openpay shows it"
    );
    assert!(r1.text.contains(r#""amount":30.00"#), "{}", r1.text);
    is_error(
        &s.post(&format!("/charges/{id}/refund"), r#"{"amount":70.01}"#)
            .await,
        422,
        1003,
    );
    let r2 = s.post(&format!("/charges/{id}/refund"), "{}").await;
    assert_eq!(r2.body["status"], "refunded", "{}", r2.text);
    assert!(r2.text.contains(r#""amount":70.00"#), "{}", r2.text);
    is_error(
        &s.post(&format!("/charges/{id}/refund"), "{}").await,
        412,
        3006,
    );
    let refunded = s.get("/charges?status=refunded").await;
    assert!(refunded.text.contains(&id));
    s.sim.shutdown().await;
}

#[tokio::test]
async fn list_filters() {
    let s = Sim::with(60, FaultSpec::default()).await;
    let today = today();
    let mine = [("10.00", "f-1"), ("20.00", "f-2"), ("30.00", "f-3")];
    for (a, o) in mine {
        let r = s
            .charge(a, "4111111111111111", &format!(r#","order_id":"{o}""#))
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let ids = |r: &Resp| -> Vec<String> {
        r.body
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["order_id"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let on_today = s.get(&format!("/charges?creation={today}&limit=100")).await;
    let got = ids(&on_today);
    for (_, o) in mine {
        assert!(got.contains(&o.to_string()));
    }
    for c in on_today.body.as_array().unwrap() {
        assert!(c["creation_date"].as_str().unwrap().starts_with(&today));
    }
    let gte = s
        .get(&format!("/charges?creation[gte]={today}&limit=100"))
        .await;
    assert_eq!(
        gte.body.as_array().unwrap().len(),
        on_today.body.as_array().unwrap().len()
    );
    let before = s.get("/charges?creation[lte]=2000-01-01").await;
    assert_eq!(before.body, json!([]));
    let all = s
        .get("/charges?limit=100")
        .await
        .body
        .as_array()
        .unwrap()
        .len();
    let lte = s
        .get(&format!("/charges?creation[lte]={today}&limit=100"))
        .await;
    assert_eq!(lte.body.as_array().unwrap().len(), all);
    let exact = s
        .get(&format!("/charges?amount=20.00&creation={today}"))
        .await;
    assert_eq!(ids(&exact), vec!["f-2"]);
    let exact2 = s.get(&format!("/charges?amount=20&creation={today}")).await;
    assert_eq!(ids(&exact2), vec!["f-2"]);
    let range = s
        .get(&format!(
            "/charges?amount[gte]=15.00&amount[lte]=30.00&creation={today}&order_id=f-3"
        ))
        .await;
    assert_eq!(ids(&range), vec!["f-3"]);
    let range2 = s
        .get(&format!(
            "/charges?amount[gte]=10.00&amount[lte]=20.00&creation={today}&limit=100"
        ))
        .await;
    for c in range2.body.as_array().unwrap() {
        let m: f64 = c["amount"].as_f64().unwrap();
        assert!((10.0..=20.0).contains(&m));
    }
    assert!(ids(&range2).contains(&"f-1".to_string()));
    assert!(!ids(&range2).contains(&"f-3".to_string()));
    let completed = s.get("/charges?status=COMPLETED&limit=100").await;
    assert!(
        completed
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "completed")
    );
    is_error(&s.get("/charges?status=bogus").await, 400, 1001);
    is_error(&s.get("/charges?creation=2024-13-01").await, 400, 1001);
    is_error(&s.get("/charges?creation[gte]=yesterday").await, 400, 1001);
    is_error(&s.get("/charges?amount=ten").await, 400, 1001);
    is_error(&s.get("/charges?amount[lte]=1e3").await, 400, 1001);
    s.sim.shutdown().await;
}

#[tokio::test]
async fn customers_crud() {
    let s = Sim::new().await;
    let seeded = s.get("/customers?limit=100").await;
    assert_eq!(seeded.body.as_array().unwrap().len(), 20);
    assert!(lower_alnum(seeded.body[0]["id"].as_str().unwrap(), "a", 20));
    let c = s.customer("pedro@example.com", Some("ext-1")).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    let id = c.id();
    assert!(lower_alnum(&id, "a", 20));
    assert_eq!(c.body["name"], "Pedro");
    assert_eq!(c.body["status"], "active");
    assert_eq!(c.raw("balance"), "0.00");
    assert_eq!(c.body["external_id"], "ext-1");
    is_error(&s.customer("x@example.com", Some("ext-1")).await, 409, 2003);
    is_error(
        &s.post("/customers", r#"{"email":"a@b.c"}"#).await,
        400,
        1001,
    );
    is_error(&s.post("/customers", r#"{"name":"A"}"#).await, 400, 1001);
    let got = s.get(&format!("/customers/{id}")).await;
    assert_eq!(got.body, c.body);
    let upd = s
        .put(
            &format!("/customers/{id}"),
            json!({"name": "Juan", "email": "juan@example.com",
                "address": {"line1": "Av 5", "postal_code": "76900", "state": "Qro",
                    "city": "Qro", "country_code": "MX"}}),
        )
        .await;
    assert_eq!(upd.status, StatusCode::OK, "{}", upd.text);
    assert_eq!(upd.body["name"], "Juan");
    assert_eq!(upd.body["last_name"], "Alatorre");
    assert_eq!(upd.body["email"], "juan@example.com");
    assert_eq!(upd.body["address"]["postal_code"], "76900");
    let by_ext = s.get("/customers?external_id=ext-1").await;
    assert_eq!(by_ext.body.as_array().unwrap().len(), 1);
    assert_eq!(by_ext.body[0]["id"], id.as_str());
    let newest = s
        .get(&format!("/customers?creation={}&limit=1", today()))
        .await;
    assert_eq!(newest.body[0]["id"], id.as_str());
    let paged = s.get("/customers?offset=20&limit=5").await;
    assert_eq!(paged.body.as_array().unwrap().len(), 1);
    let del = s.delete(&format!("/customers/{id}")).await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert!(del.text.is_empty());
    is_error(&s.get(&format!("/customers/{id}")).await, 404, 1005);
    is_error(&s.delete(&format!("/customers/{id}")).await, 404, 1005);
    is_error(
        &s.put(&format!("/customers/{id}"), json!({"name": "x"}))
            .await,
        404,
        1005,
    );
    s.sim.shutdown().await;
}

#[tokio::test]
async fn cards_and_customer_charges() {
    let s = Sim::with(0, FaultSpec::default()).await;
    let cus = s.customer("c@example.com", None).await.id();
    let other = s.customer("d@example.com", None).await.id();
    let card = s.card(&cus, "4111111111111111").await;
    assert_eq!(card.status, StatusCode::OK, "{}", card.text);
    let kid = card.id();
    assert!(lower_alnum(&kid, "k", 20));
    assert_eq!(card.body["card_number"], "411111XXXXXX1111");
    assert_eq!(card.body["expiration_year"], "40");
    assert_eq!(card.body["expiration_month"], "07");
    assert_eq!(card.body["customer_id"], cus.as_str());
    assert_eq!(card.body["address"]["postal_code"], "76900");
    is_error(&s.card(&cus, "4111111111111111").await, 409, 2002);
    is_error(&s.card(&cus, "4111111111111112").await, 422, 2004);
    let declining = s.card(&cus, "4444444444444448").await.id();
    let list = s.get(&format!("/customers/{cus}/cards")).await;
    assert_eq!(list.body.as_array().unwrap().len(), 2);
    assert_eq!(list.body[0]["id"], declining.as_str());
    let one = s
        .get(&format!("/customers/{cus}/cards?offset=1&limit=1"))
        .await;
    assert_eq!(one.body[0]["id"], kid.as_str());
    assert_eq!(
        s.get(&format!("/customers/{cus}/cards/{kid}")).await.body,
        card.body
    );
    is_error(
        &s.get(&format!("/customers/{other}/cards/{kid}")).await,
        404,
        1005,
    );

    // Customer-level charge with the stored card.
    let body = format!(
        r#"{{"method":"card","source_id":"{kid}","amount":250.00,"description":"Cargo",
        "order_id":"cus-1","device_session_id":"dev","capture":false}}"#
    );
    let ch = s.post(&format!("/customers/{cus}/charges"), &body).await;
    assert_eq!(ch.status, StatusCode::OK, "{}", ch.text);
    assert_eq!(ch.body["customer_id"], cus.as_str());
    assert_eq!(ch.body["card"]["id"], kid.as_str());
    assert_eq!(ch.body["status"], "in_progress");
    let tid = ch.id();
    let body_other = body.replace("cus-1", "cus-2");
    is_error(
        &s.post(&format!("/customers/{other}/charges"), &body_other)
            .await,
        404,
        1005,
    );
    let declined = body.replace("cus-1", "cus-3").replace(&kid, &declining);
    is_error(
        &s.post(&format!("/customers/{cus}/charges"), &declined)
            .await,
        402,
        3003,
    );
    let listed = s.get(&format!("/customers/{cus}/charges")).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 2);
    assert_eq!(
        s.get(&format!("/customers/{other}/charges")).await.body,
        json!([])
    );
    let got = s.get(&format!("/customers/{cus}/charges/{tid}")).await;
    assert_eq!(got.raw("amount"), "250.00");
    is_error(
        &s.get(&format!("/customers/{other}/charges/{tid}")).await,
        404,
        1005,
    );
    is_error(
        &s.post(&format!("/customers/{other}/charges/{tid}/capture"), "{}")
            .await,
        404,
        1005,
    );
    let cap = s
        .post(
            &format!("/customers/{cus}/charges/{tid}/capture"),
            r#"{"amount":200.00}"#,
        )
        .await;
    assert_eq!(cap.body["status"], "completed", "{}", cap.text);
    let rf = s
        .post(
            &format!("/customers/{cus}/charges/{tid}/refund"),
            r#"{"amount":200.00}"#,
        )
        .await;
    assert_eq!(rf.body["status"], "refunded", "{}", rf.text);
    // Merchant level sees customer charges too.
    assert_eq!(
        s.get(&format!("/charges/{tid}")).await.body["status"],
        "refunded"
    );
    is_error(
        &s.get("/customers/anotthere0000000000/charges").await,
        404,
        1005,
    );

    let del = s.delete(&format!("/customers/{cus}/cards/{kid}")).await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    is_error(
        &s.get(&format!("/customers/{cus}/cards/{kid}")).await,
        404,
        1005,
    );
    is_error(
        &s.delete(&format!("/customers/{cus}/cards/{kid}")).await,
        404,
        1005,
    );
    let ops = s.operations().await;
    assert!(
        ops.iter()
            .any(|o| o["operation"] == "delete_card" && o["target"] == kid.as_str())
    );
    s.sim.shutdown().await;
}

#[tokio::test]
async fn faults_use_openpay_errors() {
    let s = Sim::with(10, FaultSpec::parse("rate_limit=1").unwrap()).await;
    let r = s.get("/charges").await;
    is_error(&r, 429, 1004);
    s.sim.shutdown().await;
    let s = Sim::with(10, FaultSpec::parse("error_rate=1").unwrap()).await;
    let mut seen = Vec::new();
    for _ in 0..12 {
        let r = s.get("/charges").await;
        match r.status.as_u16() {
            500 => is_error(&r, 500, 1000),
            503 => is_error(&r, 503, 1004),
            502 => assert!(r.text.contains("502")),
            other => panic!("unexpected {other}"),
        }
        seen.push(r.status.as_u16());
    }
    assert!(seen.contains(&500) || seen.contains(&503));
    s.sim.shutdown().await;
}

/// CLABE's check digit: weights 3, 7, 1 over the first 17 digits.
fn clabe_ok(clabe: &str) -> bool {
    let d: Vec<u32> = clabe.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 18 || clabe.len() != 18 {
        return false;
    }
    let sum: u32 = d[..17]
        .iter()
        .zip([3, 7, 1].iter().cycle())
        .map(|(a, w)| (a * w) % 10)
        .sum();
    (10 - sum % 10) % 10 == d[17]
}

#[tokio::test]
async fn merchant_object() {
    let s = Sim::new().await;
    let mid = openpay_merchant_id(SEED);
    let r = s.get("").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let b = &r.body;
    assert_eq!(b["id"], mid.as_str());
    for field in ["name", "email", "phone"] {
        assert!(
            b[field].as_str().is_some_and(|v| !v.is_empty()),
            "{field}: {b}"
        );
    }
    assert!(b["email"].as_str().unwrap().contains('@'));
    assert_eq!(b["status"], "active");
    let clabe = b["clabe"].as_str().unwrap();
    assert!(clabe_ok(clabe), "{clabe}");
    let created = chrono::DateTime::parse_from_rfc3339(b["creation_date"].as_str().unwrap())
        .expect("ISO 8601 with an offset");
    assert!(created < Utc::now());
    assert!(b["creation_date"].as_str().unwrap().ends_with("-06:00"));
    // Balance: a decimal with two places, the net of what no payout has taken
    // yet in MXN; a new captured charge moves it by its net, to the cent.
    let before = r.raw("balance");
    assert_eq!(
        before.split_once('.').map(|(_, d)| d.len()),
        Some(2),
        "{before}"
    );
    assert_eq!(r.raw("available_funds"), before);
    let c = s.charge("123.45", "4111111111111111", "").await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    // 2.9 % of 123.45 is 3.58005, + 2.50 = 6.08; IVA 16 % of it is 0.9728.
    let fee: HashMap<String, Box<RawValue>> =
        serde_json::from_str(&c.raw("fee")).expect("a captured charge's fee");
    assert_eq!((fee["amount"].get(), fee["tax"].get()), ("6.08", "0.97"));
    assert_eq!(fee["currency"].get(), r#""MXN""#);
    let after = s.get("/").await.raw("balance");
    let diff = after.parse::<rust_decimal::Decimal>().unwrap()
        - before.parse::<rust_decimal::Decimal>().unwrap();
    assert_eq!(diff.to_string(), "116.40");
    let held = s
        .charge("10.00", "4111111111111111", r#","capture":false"#)
        .await;
    assert_eq!(
        held.body["fee"],
        Value::Null,
        "no fee before capture: {}",
        held.text
    );
    assert!(held.body.get("fee").is_none(), "{}", held.text);
    // The same object with a trailing slash; another merchant's id is refused.
    let other = format!("http://{}/openpay/v1/mzdtln0bmtms6o3kck8f", s.sim.addr);
    is_error(
        &s.send(s.http.get(other).basic_auth(&s.key, Some(""))).await,
        401,
        1002,
    );
    is_error(&s.send(s.http.get(&s.url)).await, 401, 1002);
    s.sim.shutdown().await;
}
