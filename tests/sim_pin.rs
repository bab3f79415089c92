//! The Pin dialect over real HTTP on loopback.

mod common;

use common::Dialect;
use common::simulator::{Raw, seeded, whole_numbers};
use paydeck::sim::SimConfig;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

type Sim = Raw;

impl Sim {
    async fn new(charges: usize, customers: usize) -> Sim {
        let config = SimConfig {
            seed: 7,
            ..seeded(charges, customers)
        };
        Raw::start(Dialect::Pin, config).await
    }

    fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{}", self.url, path))
            .basic_auth(&self.key, Some(""))
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        json_of(self.req(reqwest::Method::GET, path).send().await.unwrap()).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        json_of(
            self.req(reqwest::Method::POST, path)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        json_of(
            self.req(reqwest::Method::POST, path)
                .form(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        json_of(
            self.req(reqwest::Method::PUT, path)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    async fn delete(&self, path: &str) -> (StatusCode, Value) {
        json_of(
            self.req(reqwest::Method::DELETE, path)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    async fn advance(&self, seconds: i64) {
        let base = format!("http://{}", self.sim.addr);
        let r = self
            .http
            .post(format!("{base}/_sim/clock/advance?seconds={seconds}"))
            .basic_auth(&self.key, Some(""))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
}

async fn json_of(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.unwrap();
    let v = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad JSON {e}: {text}"))
    };
    (status, v)
}

fn charge_body(number: &str) -> Value {
    json!({
        "email": "roland@pinpayments.com",
        "description": "500g of single origin beans",
        "amount": "400",
        "ip_address": "203.192.1.172",
        "currency": "AUD",
        "card": {
            "number": number, "expiry_month": "05", "expiry_year": 2099, "cvc": "123",
            "name": "Roland Robot", "address_line1": "42 Sevenoaks St",
            "address_city": "Lathlain", "address_country": "Australia"
        }
    })
}

fn ops_named<'a>(ops: &'a [Value], name: &str, target: &str) -> Vec<&'a Value> {
    ops.iter()
        .filter(|o| o["operation"] == name && o["target"] == target)
        .collect()
}

#[tokio::test]
async fn auth_and_not_found() {
    let s = Sim::new(10, 3).await;
    let r = s
        .http
        .get(format!("{}/charges", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "unauthenticated");
    assert_eq!(v["error_description"], "Not authorised. (Check API Key).");
    let r = s
        .http
        .get(format!("{}/charges", s.url))
        .basic_auth("pin_sim_wrong", Some(""))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let (st, v) = s.get("/charges/ch_doesnotexist0000000000").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_eq!(v["error"], "not_found");
    assert_eq!(
        v["error_description"],
        "The requested resource could not be found."
    );
    let (st, _) = s.get("/no/such/route").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let r = s
        .http
        .get(format!("http://{}/_sim/operations", s.sim.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(s.key.starts_with("pin_sim_") && s.key.len() == "pin_sim_".len() + 22);
    s.sim.shutdown().await;
}

#[tokio::test]
async fn create_charge_json_and_capture_state_machine() {
    let s = Sim::new(10, 3).await;
    let r = s
        .req(reqwest::Method::POST, "/charges")
        .json(&charge_body("5520000000000000"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    let (st, v) = json_of(r).await;
    assert_eq!(st, StatusCode::CREATED);
    let c = &v["response"];
    assert!(c["token"].as_str().unwrap().starts_with("ch_"));
    assert_eq!(c["success"], true);
    assert_eq!(c["captured"], true);
    assert_eq!(c["amount"], 400);
    assert_eq!(c["total_fees"], 37);
    assert_eq!(c["merchant_entitlement"], 363);
    assert_eq!(c["status_message"], "Success");
    assert_eq!(c["card"]["scheme"], "master");
    assert_eq!(c["card"]["display_number"], "XXXX-XXXX-XXXX-0000");
    assert_eq!(c["card"]["expiry_month"], 5);
    assert_eq!(c["metadata"], json!({}));
    assert_eq!(c["transfer"], json!([]));
    assert!(c["created_at"].as_str().unwrap().ends_with('Z'));

    // Form body, authorise only, with metadata.
    let (st, v) = s
        .post_form(
            "/charges",
            &[
                ("amount", "1250"),
                ("currency", "AUD"),
                ("description", "Flat white"),
                ("email", "a@b.co"),
                ("ip_address", "192.0.2.1"),
                ("capture", "false"),
                ("card[number]", "4200000000000000"),
                ("card[expiry_month]", "12"),
                ("card[expiry_year]", "2099"),
                ("card[cvc]", "123"),
                ("card[name]", "Ann Visa"),
                ("card[address_line1]", "1 St"),
                ("card[address_city]", "Perth"),
                ("card[address_country]", "AU"),
                ("metadata[OrderNumber]", "123456"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let c = &v["response"];
    let ch = c["token"].as_str().unwrap().to_string();
    assert_eq!(c["captured"], false);
    assert_eq!(c["total_fees"], Value::Null);
    assert_eq!(c["metadata"]["OrderNumber"], "123456");
    assert_eq!(c["card"]["scheme"], "visa");

    let (st, v) = s
        .put(&format!("/charges/{ch}/capture"), json!({"amount": 100}))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["messages"][0]["code"], "amount_invalid");
    let (st, v) = s
        .put(&format!("/charges/{ch}/capture"), json!({"amount": "1250"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["response"]["captured"], true);
    assert!(v["response"]["captured_at"].is_string());
    let (st, v) = s.put(&format!("/charges/{ch}/capture"), json!({})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], "invalid_state");
    assert_eq!(v["error_description"], "Charge has already been captured");
    let (st, _) = s.put(&format!("/charges/{ch}/void"), json!({})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);

    // Refunds: over-refund, partial, default rest, then nothing left.
    let (st, v) = s
        .post(&format!("/charges/{ch}/refunds"), json!({"amount": 2000}))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        v["messages"][0]["message"],
        "You have tried to refund more than the original charge"
    );
    let (st, v) = s
        .post_form(&format!("/charges/{ch}/refunds"), &[("amount", "")])
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["messages"].as_array().map(Vec::len), Some(2));
    let (st, v) = s
        .post(&format!("/charges/{ch}/refunds"), json!({"amount": 250}))
        .await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(v["response"]["status_message"], "Pending");
    assert_eq!(v["response"]["success"], Value::Null);
    assert_eq!(v["response"]["charge"], ch.as_str());
    let rf = v["response"]["token"].as_str().unwrap().to_string();
    let (st, v) = s.post(&format!("/charges/{ch}/refunds"), json!({})).await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(v["response"]["amount"], 1000);
    let (st, _) = s.post(&format!("/charges/{ch}/refunds"), json!({})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, v) = s.get(&format!("/charges/{ch}")).await;
    assert_eq!(v["response"]["amount_refunded"], 1250);
    assert_eq!(v["response"]["refund_pending"], true);
    let (_, v) = s.get(&format!("/charges/{ch}/refunds")).await;
    assert_eq!(v["count"], 2);
    let (st, v) = s.get(&format!("/refunds/{rf}")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["response"]["amount"], 250);
    let (_, v) = s.get("/refunds").await;
    assert!(v["count"].as_u64().unwrap() >= 2);

    // Refunds settle after 60 s of ledger time.
    s.advance(61).await;
    let (_, v) = s.get(&format!("/refunds/{rf}")).await;
    assert_eq!(v["response"]["status_message"], "Success");
    let (_, v) = s.get(&format!("/charges/{ch}")).await;
    assert_eq!(v["response"]["refund_pending"], false);

    let ops = s.operations().await;
    assert_eq!(ops_named(&ops, "capture", &ch).len(), 1);
    assert_eq!(ops_named(&ops, "refund", &ch).len(), 2);
    assert_eq!(ops_named(&ops, "refund_succeeded", &rf).len(), 1);
    assert_eq!(
        ops_named(&ops, "refund_succeeded", &rf)[0]["source"],
        "clock"
    );
    let create = ops_named(&ops, "create_charge", &ch);
    assert_eq!(create[0]["amount"], 1250);
    assert_eq!(create[0]["currency"], "AUD");
    assert_eq!(create[0]["source"], "api");
    s.sim.shutdown().await;
}

#[tokio::test]
async fn void_and_expiry() {
    let s = Sim::new(10, 3).await;
    let mut body = charge_body("4200000000000000");
    body["capture"] = json!(false);
    let (_, v) = s.post("/charges", body.clone()).await;
    let a = v["response"]["token"].as_str().unwrap().to_string();
    let (_, v) = s.post("/charges", body).await;
    let b = v["response"]["token"].as_str().unwrap().to_string();
    let (st, v) = s.put(&format!("/charges/{a}/void"), json!({})).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["response"]["authorisation_voided"], true);
    assert_eq!(v["response"]["status_message"], "Authorisation Voided");
    let (st, v) = s.put(&format!("/charges/{a}/capture"), json!({})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(v["error_description"], "Charge has been voided");
    let (st, v) = s.post(&format!("/charges/{a}/refunds"), json!({})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{v}");

    s.advance(7 * 86_400 + 1).await;
    let (_, v) = s.get(&format!("/charges/{b}")).await;
    assert_eq!(v["response"]["authorisation_expired"], true);
    let (st, v) = s.put(&format!("/charges/{b}/capture"), json!({})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(v["error_description"], "Authorisation has expired");
    let ops = s.operations().await;
    let exp = ops_named(&ops, "expire", &b);
    assert_eq!(exp.len(), 1);
    assert_eq!(exp[0]["source"], "clock");
    assert!(ops_named(&ops, "expire", &a).is_empty());
    assert_eq!(ops_named(&ops, "void", &a).len(), 1);
    let last = ops.last().unwrap()["seq"].as_u64().unwrap();
    let v = s
        .admin_json(&format!("operations?since={}", last - 1))
        .await;
    assert_eq!(v["operations"].as_array().map(Vec::len), Some(1));
    s.sim.shutdown().await;
}

#[tokio::test]
async fn every_test_card_outcome() {
    let s = Sim::new(0, 0).await;
    let cases = [
        (
            "card_declined",
            ["4100000000000001", "5560000000000001", "371000000000001"],
        ),
        (
            "insufficient_funds",
            ["4000000000000002", "5510000000000002", "370000000000002"],
        ),
        (
            "invalid_cvv",
            ["4900000000000003", "5550000000000003", "379000000000003"],
        ),
        (
            "invalid_card",
            ["4800000000000004", "5500000000000004", "378000000000004"],
        ),
        (
            "processing_error",
            ["4700000000000005", "5590000000000005", "377000000000005"],
        ),
        (
            "suspected_fraud",
            ["4600000000000006", "5540000000000006", "376000000000006"],
        ),
        (
            "gateway_error",
            ["4300000000000009", "5570000000000009", "373000000000009"],
        ),
        (
            "unknown",
            ["4400000000000099", "5530000000000099", "374000000000099"],
        ),
    ];
    for (code, numbers) in cases {
        for n in numbers {
            let (st, v) = s.post("/charges", charge_body(n)).await;
            let want = if code == "gateway_error" {
                StatusCode::BAD_GATEWAY
            } else {
                StatusCode::BAD_REQUEST
            };
            assert_eq!(st, want, "{n}: {v}");
            assert_eq!(v["error"], code);
            let ch = v["charge_token"].as_str().unwrap();
            let (st, c) = s.get(&format!("/charges/{ch}")).await;
            assert_eq!(st, StatusCode::OK);
            assert_eq!(c["response"]["success"], false);
            assert_eq!(c["response"]["status_message"], "Declined");
            assert_eq!(c["response"]["error_message"], v["error_description"]);
        }
    }
    for (n, scheme) in [
        ("4200000000000000", "visa"),
        ("5520000000000000", "master"),
        ("372000000000000", "american_express"),
    ] {
        let (st, v) = s.post("/charges", charge_body(n)).await;
        assert_eq!(st, StatusCode::CREATED);
        assert_eq!(v["response"]["card"]["scheme"], scheme);
    }
    let (_, v) = s.get("/charges").await;
    assert_eq!(v["count"], 27);
    s.sim.shutdown().await;
}

#[tokio::test]
async fn validation_errors() {
    let s = Sim::new(0, 0).await;
    let (st, v) = s.post("/charges", charge_body("5520000000000099")).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"], "invalid_resource");
    assert_eq!(v["messages"][0]["param"], "card.number");
    assert_eq!(v["messages"][0]["code"], "card_number_invalid");
    let mut past = charge_body("5520000000000000");
    past["card"]["expiry_year"] = json!(2001);
    let (st, v) = s.post("/charges", past).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let params: Vec<&str> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["param"].as_str())
        .collect();
    assert!(params.contains(&"card.expiry_year"), "{v}");
    let (st, v) = s.post("/charges", json!({"amount": "abc"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let codes: Vec<&str> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["code"].as_str())
        .collect();
    for want in [
        "email_invalid",
        "description_invalid",
        "amount_invalid",
        "card_invalid",
    ] {
        assert!(codes.contains(&want), "{want} missing in {v}");
    }
    let r = s
        .req(reqwest::Method::POST, "/charges")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // Nothing was stored by any of these.
    let (_, v) = s.get("/charges").await;
    assert_eq!(v["count"], 0);
    s.sim.shutdown().await;
}

#[tokio::test]
async fn three_d_secure_flow() {
    let s = Sim::new(0, 0).await;
    let mut body = charge_body("4242424242424242");
    body["three_d_secure"] = json!({"enabled": true, "callback_url": "https://shop.example/done"});
    let (st, v) = s.post("/charges", body).await;
    assert_eq!(st, StatusCode::ACCEPTED, "{v}");
    let c = &v["response"];
    assert_eq!(c["status_message"], "Pending");
    assert_eq!(c["success"], Value::Null);
    let session = c["three_d_secure_session_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(session.starts_with("se_"));
    let redirect = c["redirect_url"].as_str().unwrap();
    assert!(redirect.starts_with(&s.url));
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirect.get(redirect).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(
        r.headers()["location"],
        format!("https://shop.example/done?session_token={session}").as_str()
    );
    let (st, v) = s
        .get(&format!("/charges/verify?session_token={session}"))
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["response"]["captured"], true);
    assert_eq!(v["response"]["success"], true);
    let (st, _) = s.get("/charges/verify?session_token=se_nope").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let ops = s.operations().await;
    assert_eq!(
        ops.iter()
            .filter(|o| o["operation"] == "verify_3ds")
            .count(),
        1
    );
    s.sim.shutdown().await;
}

#[tokio::test]
async fn paging_and_search() {
    let s = Sim::new(60, 10).await;
    let (_, v) = s.get("/charges?per_page=25").await;
    assert_eq!(v["count"], 60);
    let p = &v["pagination"];
    assert_eq!(
        (p["current"].as_u64(), p["pages"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(p["next"], 2);
    assert_eq!(p["previous"], Value::Null);
    assert_eq!(p["count"], 60);
    let first: Vec<String> = v["response"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["created_at"].as_str().unwrap().to_string())
        .collect();
    assert!(first.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let (_, v) = s.get("/charges?page=3").await;
    assert_eq!(v["response"].as_array().map(Vec::len), Some(10));
    assert_eq!(v["pagination"]["previous"], 2);
    assert_eq!(v["pagination"]["next"], Value::Null);
    let (_, v) = s.get("/charges?page=250&per_page=20").await;
    assert_eq!(v["response"], json!([]));
    assert_eq!(v["pagination"]["current"], 250);
    let (_, v) = s.get("/charges?per_page=1000").await;
    assert_eq!(v["pagination"]["per_page"], 100);

    let mut body = charge_body("4200000000000000");
    body["email"] = json!("needle@example.org");
    body["metadata"] = json!({"OrderNumber": "ZZ-777"});
    let (_, v) = s.post("/charges", body).await;
    let ch = v["response"]["token"].as_str().unwrap().to_string();
    let (_, v) = s.get("/charges/search?query=needle@example.org").await;
    assert_eq!(v["count"], 1);
    assert_eq!(v["response"][0]["token"], ch.as_str());
    let (_, v) = s.get("/charges/search?query=ZZ-777").await;
    assert_eq!(v["count"], 1);
    let (_, v) = s.get(&format!("/charges/search?query={ch}")).await;
    assert_eq!(v["count"], 1);
    let tomorrow = (chrono::Utc::now() + chrono::TimeDelta::days(1)).format("%Y/%m/%d");
    let (_, v) = s
        .get(&format!("/charges/search?start_date={tomorrow}"))
        .await;
    assert_eq!(v["count"], 0);
    let (_, v) = s.get(&format!("/charges/search?end_date={tomorrow}")).await;
    assert_eq!(v["count"], 61);
    let (_, v) = s
        .get("/charges/search?sort=amount&direction=1&per_page=100")
        .await;
    let amounts = whole_numbers(&v["response"], "amount");
    assert!(amounts.windows(2).all(|w| w[0] <= w[1]));
    let (st, _) = s.get("/charges/search?start_date=notadate").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    s.sim.shutdown().await;
}

#[tokio::test]
async fn card_tokens_and_customers() {
    let s = Sim::new(0, 0).await;
    let card = json!({
        "number": "5520000000000000", "expiry_month": 5, "expiry_year": 2099, "cvc": "123",
        "name": "Roland Robot", "address_line1": "42 Sevenoaks St",
        "address_city": "Lathlain", "address_country": "Australia"
    });
    let (st, v) = s.post("/cards", card.clone()).await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(v["ip_address"], "127.0.0.1");
    assert_eq!(v["response"]["primary"], Value::Null);
    let tok = v["response"]["token"].as_str().unwrap().to_string();
    let mut body = charge_body("x");
    body.as_object_mut().unwrap().remove("card");
    body["card_token"] = json!(tok);
    let (st, _) = s.post("/charges", body.clone()).await;
    assert_eq!(st, StatusCode::CREATED);
    let (st, v) = s.post("/charges", body).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "single use: {v}");

    let (st, v) = s
        .post_form(
            "/customers",
            &[
                ("email", "roland@pinpayments.com"),
                ("first_name", "Roland"),
                ("card[number]", "4200000000000000"),
                ("card[expiry_month]", "05"),
                ("card[expiry_year]", "2099"),
                ("card[cvc]", "123"),
                ("card[name]", "Roland Robot"),
                ("card[address_line1]", "42 Sevenoaks St"),
                ("card[address_city]", "Lathlain"),
                ("card[address_country]", "Australia"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let cus = v["response"]["token"].as_str().unwrap().to_string();
    let primary = v["response"]["card"]["token"].as_str().unwrap().to_string();
    assert_eq!(v["response"]["card"]["primary"], true);
    assert_eq!(v["response"]["card"]["customer_token"], cus.as_str());
    assert_eq!(v["response"]["last_name"], Value::Null);

    let (st, v) = s.post(&format!("/customers/{cus}/cards"), card).await;
    assert_eq!(st, StatusCode::CREATED);
    assert!(v["ip_address"].is_string());
    assert_eq!(v["response"]["primary"], false);
    let second = v["response"]["token"].as_str().unwrap().to_string();
    let (_, v) = s.get(&format!("/customers/{cus}/cards")).await;
    assert_eq!(v["count"], 2);

    let (st, v) = s.delete(&format!("/customers/{cus}/cards/{primary}")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], "cannot_delete_primary_card");

    let (st, v) = s
        .put(
            &format!("/customers/{cus}"),
            json!({"last_name": "Robot", "primary_card_token": second}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["response"]["last_name"], "Robot");
    assert_eq!(v["response"]["card"]["token"], second.as_str());
    let (st, v) = s.delete(&format!("/customers/{cus}/cards/{primary}")).await;
    assert_eq!(st, StatusCode::NO_CONTENT, "{v}");

    let mut body = charge_body("x");
    body.as_object_mut().unwrap().remove("card");
    body["customer_token"] = json!(cus);
    let (st, v) = s.post("/charges", body).await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(v["response"]["card"]["customer_token"], cus.as_str());
    assert_eq!(v["response"]["card"]["primary"], true);
    let (_, v) = s.get(&format!("/customers/{cus}/charges")).await;
    assert_eq!(v["count"], 1);
    let (_, v) = s.get("/customers").await;
    assert_eq!(v["count"], 1);

    let (st, v) = s.delete(&format!("/customers/{cus}")).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    assert_eq!(v, Value::Null);
    let (st, _) = s.get(&format!("/customers/{cus}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let ops = s.operations().await;
    let names: Vec<&str> = ops.iter().filter_map(|o| o["operation"].as_str()).collect();
    for want in [
        "create_customer",
        "add_card",
        "update_customer",
        "delete_card",
        "delete_customer",
    ] {
        assert_eq!(names.iter().filter(|n| **n == want).count(), 1, "{want}");
    }
    s.sim.shutdown().await;
}

#[tokio::test]
async fn seeded_subscriptions_cancel() {
    let s = Sim::new(20, 40).await;
    let (_, v) = s.get("/customers?per_page=100").await;
    assert_eq!(v["count"], 40);
    let mut target = None;
    for c in v["response"].as_array().unwrap() {
        let cus = c["token"].as_str().unwrap();
        let (st, subs) = s.get(&format!("/customers/{cus}/subscriptions")).await;
        assert_eq!(st, StatusCode::OK);
        for sub in subs["response"].as_array().unwrap() {
            if sub["state"] == "active" || sub["state"] == "trial" {
                target = Some((cus.to_string(), sub["token"].as_str().unwrap().to_string()));
            }
        }
    }
    let (cus, sub) = target.expect("seed has an active or trial subscription");
    let (st, v) = s
        .delete(&format!("/customers/{cus}/subscriptions/{sub}"))
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["response"]["state"], "cancelling");
    let (st, v) = s
        .delete(&format!("/customers/{cus}/subscriptions/{sub}"))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"], "invalid_request");
    assert_eq!(
        v["error_description"],
        "Cannot cancel subscription when state is cancelling"
    );
    s.advance(40 * 86_400).await;
    let (_, v) = s.get(&format!("/customers/{cus}/subscriptions")).await;
    let found = v["response"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["token"] == sub.as_str())
        .cloned()
        .unwrap();
    assert_eq!(found["state"], "cancelled");
    let ops = s.operations().await;
    assert_eq!(ops_named(&ops, "cancel_subscription", &sub).len(), 1);
    assert_eq!(ops_named(&ops, "subscription_cancelled", &sub).len(), 1);
    s.sim.shutdown().await;
}

#[tokio::test]
async fn same_seed_same_data() {
    let a = Sim::new(50, 10).await;
    let b = Sim::new(50, 10).await;
    assert_eq!(a.key, b.key);
    let (_, va) = a.get("/charges?per_page=50").await;
    let (_, vb) = b.get("/charges?per_page=50").await;
    let strip = |v: &Value| {
        v["response"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["token"].clone(),
                    c["amount"].clone(),
                    c["email"].clone(),
                    c["currency"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&va), strip(&vb));
    a.sim.shutdown().await;
    b.sim.shutdown().await;
}
