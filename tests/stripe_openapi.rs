//! The Stripe dialect's JSON against Stripe's description of API version
//! 2026-06-24.dahlia (the version the adapter pins): every seeded charge, refund,
//! dispute, customer, card, payout and balance transaction, the balance, and the
//! objects a few live calls make, must carry
//! every field the description requires, no field it does not know, `null` only
//! where it allows null, and values of its types and enums. The subset of the
//! description lives in tests/stripe_openapi/schema.json (see extract.py there).

mod common;

use std::collections::BTreeSet;

use common::Dialect;
use common::simulator::Raw;
use paydeck::sim::SimConfig;
use reqwest::{Method, RequestBuilder};
use serde_json::{Map, Value};

const SCHEMA: &str = include_str!("stripe_openapi/schema.json");

struct Schema(Value);

impl Schema {
    fn load() -> Schema {
        let v: Value = serde_json::from_str(SCHEMA).unwrap();
        assert_eq!(v["api_version"], paydeck::gateway::stripe::API_VERSION);
        Schema(v)
    }

    /// Check `value` as an object named `name`; problems go to `errs`, one per
    /// schema field and kind of problem, so thousands of objects report briefly.
    fn check(&self, name: &str, value: &Value, errs: &mut BTreeSet<String>) {
        if name == "Metadata" {
            let ok = value
                .as_object()
                .is_some_and(|m| m.values().all(Value::is_string));
            if !ok {
                errs.insert(format!("Metadata: not a map of strings: {value}"));
            }
            return;
        }
        if let Some(item) = name.strip_prefix("list:") {
            let ok = value["object"] == "list"
                && value["has_more"].is_boolean()
                && value["url"].is_string();
            if !ok {
                errs.insert(format!("list of {item}: not a list: {value}"));
            }
            for v in value["data"].as_array().into_iter().flatten() {
                self.check(item, v, errs);
            }
            return;
        }
        let Some(fields) = self.0["objects"][name].as_object() else {
            return; // a nested object the subset leaves out (another payment method)
        };
        let Some(obj) = value.as_object() else {
            errs.insert(format!("{name}: not an object: {value}"));
            return;
        };
        for (k, f) in fields {
            if f["optional"] == false && !obj.contains_key(k) {
                errs.insert(format!("{name}.{k}: required, missing"));
            }
        }
        for (k, v) in obj {
            match fields.get(k) {
                None => {
                    errs.insert(format!("{name}.{k}: not in the description"));
                }
                Some(f) => self.check_field(name, k, f, v, errs),
            }
        }
    }

    fn check_field(
        &self,
        name: &str,
        key: &str,
        f: &Value,
        v: &Value,
        errs: &mut BTreeSet<String>,
    ) {
        let kinds: Vec<&str> = f["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let kind = match v {
            Value::Null => {
                if f["nullable"] == false {
                    errs.insert(format!("{name}.{key}: null, not nullable"));
                }
                return;
            }
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        if !kinds.contains(&kind) {
            errs.insert(format!("{name}.{key}: {kind}, expected {kinds:?}"));
            return;
        }
        if let (Some(allowed), Some(s)) = (f["enum"].as_array(), v.as_str())
            && !allowed.iter().any(|a| a == s)
        {
            errs.insert(format!("{name}.{key}: {s:?} not one of {allowed:?}"));
        }
        if let (Value::Object(_), Some(r)) = (v, f["ref"].as_str()) {
            self.check(r, v, errs);
        }
    }
}

type Stripe = Raw;

impl Stripe {
    fn req(&self, m: Method, path: &str) -> RequestBuilder {
        self.http
            .request(m, format!("{}{path}", self.url))
            .bearer_auth(&self.key)
            .header("Stripe-Version", paydeck::gateway::stripe::API_VERSION)
    }

    async fn send(&self, rb: RequestBuilder) -> (u16, Value) {
        let r = rb.send().await.unwrap();
        let st = r.status().as_u16();
        (st, r.json().await.unwrap())
    }

    /// `POST {url}{path}` of `form`, which must succeed.
    async fn post(&self, path: &str, form: &Map<String, Value>) -> Value {
        self.ok(self.req(Method::POST, path).form(form)).await
    }

    async fn ok(&self, rb: RequestBuilder) -> Value {
        let (st, body) = self.send(rb).await;
        assert!((200..300).contains(&st), "{st} {body}");
        body
    }

    /// Every object of a list endpoint, page by page.
    async fn all(&self, path: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let sep = if path.contains('?') { '&' } else { '?' };
            let mut p = format!("{path}{sep}limit=100");
            if let Some(a) = &after {
                p.push_str(&format!("&starting_after={a}"));
            }
            let page = self.ok(self.req(Method::GET, &p)).await;
            let data = page["data"].as_array().unwrap().clone();
            after = data.last().map(|o| o["id"].as_str().unwrap().to_string());
            out.extend(data);
            if page["has_more"] != true {
                return out;
            }
        }
    }
}

fn report(what: &str, errs: &BTreeSet<String>) -> Option<String> {
    (!errs.is_empty()).then(|| {
        let lines: Vec<&str> = errs.iter().map(String::as_str).collect();
        format!("{what}:\n  {}", lines.join("\n  "))
    })
}

#[tokio::test]
async fn every_stripe_object_matches_the_pinned_api_description() {
    let schema = Schema::load();
    let config = SimConfig {
        charges: 400,
        ..SimConfig::default()
    };
    let s = Stripe::start(Dialect::Stripe, config).await;
    let mut problems = Vec::new();

    // Live objects first, so their states are in the lists below too.
    let form = |pairs: &[(&str, &str)]| -> Map<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), Value::String((*v).to_string())))
            .collect()
    };
    let charge = |source: &str, capture: &str| {
        form(&[
            ("amount", "2500"),
            ("currency", "aud"),
            ("source", source),
            ("capture", capture),
            ("description", "openapi check"),
        ])
    };
    let auth = s.post("/v1/charges", &charge("tok_visa", "false")).await;
    let id = auth["id"].as_str().unwrap();
    let capture = format!("/v1/charges/{id}/capture");
    s.post(&capture, &form(&[("amount", "2000")])).await;
    let paid = s
        .post("/v1/charges", &charge("tok_mastercard", "true"))
        .await;
    let paid = paid["id"].as_str().unwrap();
    s.post("/v1/refunds", &form(&[("charge", paid), ("amount", "500")]))
        .await;
    let (st, declined) = s
        .send(
            s.req(Method::POST, "/v1/charges")
                .form(&charge("tok_chargeDeclined", "true")),
        )
        .await;
    assert_eq!(st, 402, "{declined}");

    let charges = s.all("/v1/charges?expand[]=data.refunds").await;
    assert!(charges.len() > 400);
    let mut errs = BTreeSet::new();
    for c in &charges {
        schema.check("Charge", c, &mut errs);
    }
    let one = s
        .ok(s.req(
            Method::GET,
            &format!("/v1/charges/{id}?expand[]=customer&expand[]=refunds"),
        ))
        .await;
    schema.check("Charge", &one, &mut errs);
    problems.extend(report("charges", &errs));

    let mut errs = BTreeSet::new();
    for r in s.all("/v1/refunds").await {
        schema.check("Refund", &r, &mut errs);
    }
    problems.extend(report("refunds", &errs));

    let mut errs = BTreeSet::new();
    let disputes = s.all("/v1/disputes").await;
    assert!(disputes.len() >= 6);
    for d in &disputes {
        schema.check("Dispute", d, &mut errs);
    }
    problems.extend(report("disputes", &errs));

    let mut errs = BTreeSet::new();
    let customers = s.all("/v1/customers").await;
    for c in &customers {
        schema.check("Customer", c, &mut errs);
    }
    for c in customers.iter().take(40) {
        let id = c["id"].as_str().unwrap();
        let full = s
            .ok(s.req(Method::GET, &format!("/v1/customers/{id}?expand[]=sources")))
            .await;
        schema.check("Customer", &full, &mut errs);
        for card in s.all(&format!("/v1/customers/{id}/sources")).await {
            schema.check("Card", &card, &mut errs);
        }
    }
    problems.extend(report("customers and cards", &errs));

    let mut errs = BTreeSet::new();
    let payouts = s.all("/v1/payouts").await;
    assert!(!payouts.is_empty());
    for p in &payouts {
        schema.check("Payout", p, &mut errs);
    }
    let txns = s.all("/v1/balance_transactions").await;
    assert!(txns.len() > 400);
    for t in &txns {
        schema.check("BalanceTransaction", t, &mut errs);
    }
    let expanded = s
        .ok(s.req(
            Method::GET,
            &format!("/v1/charges/{paid}?expand[]=balance_transaction"),
        ))
        .await;
    schema.check("Charge", &expanded, &mut errs);
    schema.check(
        "BalanceTransaction",
        &expanded["balance_transaction"],
        &mut errs,
    );
    let balance = s.ok(s.req(Method::GET, "/v1/balance")).await;
    schema.check("Balance", &balance, &mut errs);
    problems.extend(report(
        "payouts, balance transactions and the balance",
        &errs,
    ));

    s.sim.shutdown().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
