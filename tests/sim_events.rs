//! The simulator's change feeds over real HTTP: Stripe's `GET /v1/events`,
//! Pin's `GET /events`, the admin routes that prune the feed and dispute an
//! old charge, and the transactions gateway's `updated_at`, which is its feed.

mod common;

use std::collections::HashSet;

use common::Dialect;
use common::simulator::{Sim, seeded, start};
use paydeck::sim::SimConfig;
use reqwest::Method;
use serde_json::{Value, json};

const DAY: i64 = 86_400;

/// A simulator speaking `dialect` with no seeded charges (whose clock rules
/// would add events as the clock moves) and no live traffic.
async fn sim(dialect: Dialect) -> Sim {
    start(
        dialect,
        SimConfig {
            seed: 5,
            ..seeded(0, 3)
        },
    )
    .await
}

/// The status and JSON body of a request.
async fn answer(request: reqwest::RequestBuilder) -> (u16, Value) {
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// `method` on the dialect's `path`, with `form`.
async fn call(s: &Sim, method: Method, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
    answer(s.request(method, path).await.form(form)).await
}

/// `POST` of JSON `body` to the dialect's `path`.
async fn post_json(s: &Sim, path: &str, body: Value) -> (u16, Value) {
    answer(s.request(Method::POST, path).await.json(&body)).await
}

/// `GET` on the dialect's `path`, which must succeed.
async fn get(s: &Sim, path: &str) -> Value {
    let (status, body) = s.get_json(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// An admin `POST /_sim/{path}` on the dialect's ledger.
async fn admin_post(s: &Sim, path: &str) -> Value {
    let name = s.dialect.name();
    s.admin(Method::POST, &format!("{path}&dialect={name}"))
        .await
}

fn ids(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v[field].as_str().unwrap().to_string())
        .collect()
}

/// A new Stripe charge of 25.00 USD, captured or only authorised.
async fn stripe_charge(s: &Sim, capture: bool) -> Value {
    let capture = capture.to_string();
    let form = [
        ("amount", "2500"),
        ("currency", "usd"),
        ("source", "tok_visa"),
        ("capture", capture.as_str()),
    ];
    let (status, c) = call(s, Method::POST, "v1/charges", &form).await;
    assert_eq!(status, 200, "{c}");
    c
}

/// Stripe's events of `query`, newest first.
async fn stripe_events(s: &Sim, query: &str) -> Vec<Value> {
    let list = get(s, &format!("v1/events?limit=100&{query}")).await;
    assert_eq!(list["object"], "list");
    assert_eq!(list["url"], "/v1/events");
    list["data"].as_array().unwrap().clone()
}

/// The one event of `ty` whose object is `id`.
fn one_of<'a>(events: &'a [Value], ty: &str, id: &str) -> &'a Value {
    let found: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == ty && e["data"]["object"]["id"] == id)
        .collect();
    assert_eq!(found.len(), 1, "one {ty} of {id} in {events:#?}");
    found[0]
}

#[tokio::test]
async fn stripe_lists_what_happened_to_old_charges_with_its_type_and_time() {
    let s = sim(Dialect::Stripe).await;
    let held = stripe_charge(&s, false).await;
    let expiring = stripe_charge(&s, false).await;
    let paid = stripe_charge(&s, true).await;
    let (held, expiring, paid) = (&held["id"], &expiring["id"], &paid["id"]);
    s.advance_clock(3 * DAY as u64).await;

    let (status, c) = call(
        &s,
        Method::POST,
        &format!("v1/charges/{}/capture", held.as_str().unwrap()),
        &[],
    )
    .await;
    assert_eq!(status, 200, "{c}");
    let (status, r) = call(
        &s,
        Method::POST,
        "v1/refunds",
        &[("charge", paid.as_str().unwrap()), ("amount", "700")],
    )
    .await;
    assert_eq!(status, 200, "{r}");
    let disputed = admin_post(&s, &format!("disputes?charge={}", held.as_str().unwrap())).await;
    let dispute = disputed["dispute"].as_str().unwrap();
    let (status, d) = call(
        &s,
        Method::POST,
        &format!("v1/disputes/{dispute}/close"),
        &[],
    )
    .await;
    assert_eq!(status, 200, "{d}");
    s.advance_clock(5 * DAY as u64).await;

    let events = stripe_events(&s, "").await;
    let captured = one_of(&events, "charge.captured", held.as_str().unwrap());
    assert_eq!(captured["data"]["object"]["captured"], true);
    assert!(captured["created"].as_i64() >= Some(c["created"].as_i64().unwrap() + 3 * DAY));
    let refunded = one_of(&events, "charge.refunded", paid.as_str().unwrap());
    assert_eq!(refunded["data"]["object"]["amount_refunded"], 700);
    assert!(refunded["created"].as_i64() >= captured["created"].as_i64());
    let refund = one_of(&events, "charge.refund.updated", r["id"].as_str().unwrap());
    assert_eq!(refund["data"]["object"]["status"], "succeeded");
    let opened = one_of(&events, "charge.dispute.created", dispute);
    assert_eq!(opened["data"]["object"]["charge"], *held);
    let closed = one_of(&events, "charge.dispute.closed", dispute);
    assert_eq!(closed["data"]["object"]["status"], "lost");
    let expired = one_of(&events, "charge.expired", expiring.as_str().unwrap());
    let created = get(&s, &format!("v1/charges/{}", expiring.as_str().unwrap())).await["created"]
        .as_i64()
        .unwrap();
    assert_eq!(
        expired["created"].as_i64(),
        Some(created + 7 * DAY),
        "expired when it fell due"
    );
    assert_eq!(expired["data"]["object"]["captured"], false);
    assert_eq!(expired["data"]["object"]["amount_refunded"], 2500);

    // Newest first by time, every event whole, and each retrievable by id.
    let times: Vec<i64> = events
        .iter()
        .map(|e| e["created"].as_i64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    let one = get(
        &s,
        &format!("v1/events/{}", expired["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(one, *expired);
    for key in [
        "object",
        "api_version",
        "livemode",
        "pending_webhooks",
        "request",
    ] {
        assert!(!one[key].is_null(), "{key}: {one}");
    }
    assert_eq!(one["object"], "event");

    // Types: exact, several, and by wildcard.
    let only = stripe_events(&s, "type=charge.expired").await;
    assert_eq!(ids(&json!(only), "type"), ["charge.expired"]);
    let two = stripe_events(&s, "types[]=charge.captured&types[]=charge.expired").await;
    assert_eq!(two.len(), 2);
    let disputes = stripe_events(&s, "type=charge.dispute.*").await;
    assert_eq!(
        ids(&json!(disputes), "type"),
        ["charge.dispute.closed", "charge.dispute.created"]
    );
    let (status, body) = s
        .get_json("v1/events?type=charge.captured&types[]=charge.expired")
        .await;
    assert_eq!((status, &body["error"]["param"]), (400, &json!("types")));
    let after = stripe_events(&s, &format!("created[gt]={}", closed["created"])).await;
    assert_eq!(ids(&json!(after), "type"), ["charge.expired"]);
    s.running.shutdown().await;
}

#[tokio::test]
async fn stripe_paging_skips_and_repeats_nothing_while_events_arrive() {
    let s = sim(Dialect::Stripe).await;
    for _ in 0..20 {
        stripe_charge(&s, true).await;
    }
    let before: Vec<String> = ids(&json!(stripe_events(&s, "").await), "id");
    assert_eq!(before.len(), 20);

    // Back through history, three new charges between pages.
    let mut seen = Vec::new();
    let mut query = String::from("limit=6");
    loop {
        let page = get(&s, &format!("v1/events?{query}")).await;
        let page_ids = ids(&page["data"], "id");
        seen.extend(page_ids.clone());
        for _ in 0..3 {
            stripe_charge(&s, true).await;
        }
        if page["has_more"] != true {
            break;
        }
        query = format!("limit=6&starting_after={}", page_ids.last().unwrap());
    }
    let newest = seen[0].clone();
    assert_eq!(&seen[..6], &before[..6]);
    assert_eq!(seen.len(), 20, "no repeats: {seen:?}");
    assert_eq!(
        seen.iter().collect::<HashSet<_>>(),
        before.iter().collect::<HashSet<_>>()
    );

    // Forward from the newest seen: every new one once, oldest page first.
    let mut newer = Vec::new();
    let mut cursor = newest;
    loop {
        let page = get(&s, &format!("v1/events?limit=5&ending_before={cursor}")).await;
        let page_ids = ids(&page["data"], "id");
        if page_ids.is_empty() {
            break;
        }
        cursor = page_ids[0].clone();
        newer.splice(0..0, page_ids);
        if page["has_more"] != true {
            break;
        }
    }
    let now: Vec<String> = ids(&json!(stripe_events(&s, "").await), "id");
    assert_eq!(newer.len(), 3 * 4, "{newer:?}");
    assert_eq!(newer, now[..newer.len()].to_vec());
    s.running.shutdown().await;
}

#[tokio::test]
async fn stripe_keeps_thirty_days_and_the_admin_prunes_sooner() {
    let s = sim(Dialect::Stripe).await;
    stripe_charge(&s, true).await;
    let old = stripe_events(&s, "").await;
    assert_eq!(old.len(), 1);
    let old_id = old[0]["id"].as_str().unwrap().to_string();
    s.advance_clock(29 * DAY as u64).await;
    stripe_charge(&s, true).await;
    assert_eq!(stripe_events(&s, "").await.len(), 2, "29 days on, both");
    s.advance_clock(2 * DAY as u64).await;
    let kept = stripe_events(&s, "").await;
    assert_eq!(kept.len(), 1, "31 days on, the first is gone");
    assert_ne!(kept[0]["id"], old_id.as_str());
    let (status, body) = s.get_json(&format!("v1/events/{old_id}")).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (404, &json!("resource_missing"))
    );
    let (status, body) = s
        .get_json(&format!("v1/events?starting_after={old_id}"))
        .await;
    assert_eq!(
        (status, &body["error"]["param"]),
        (404, &json!("starting_after"))
    );

    // Pruned up to just after the newest: nothing listed, its id unknown as a cursor.
    let newest = kept[0]["created"].as_i64().unwrap() + 1;
    let pruned = admin_post(&s, &format!("events/prune?before={newest}")).await;
    // The one past 30 days (kept, unlisted) and the newest.
    assert_eq!(pruned["pruned"], json!({"stripe": 2}));
    assert_eq!(stripe_events(&s, "").await.len(), 0);
    let (status, body) = s
        .get_json(&format!(
            "v1/events?ending_before={}",
            kept[0]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        (status, &body["error"]["param"]),
        (404, &json!("ending_before"))
    );
    let r = reqwest::Client::new()
        .post(format!("{}/_sim/events/prune?before=yesterday", s.root()))
        .bearer_auth(&s.key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["messages"][0]["param"], "before");
    s.running.shutdown().await;
}

/// A new Pin charge of 25.00 AUD, captured or only authorised.
async fn pin_charge(s: &Sim, capture: bool) -> Value {
    let capture = capture.to_string();
    let form = [
        ("card[name]", "Ann Visa"),
        ("card[number]", "4200000000000000"),
        ("card[cvc]", "123"),
        ("card[expiry_month]", "12"),
        ("card[expiry_year]", "2099"),
        ("card[address_line1]", "1 St"),
        ("card[address_city]", "Perth"),
        ("card[address_country]", "AU"),
        ("amount", "2500"),
        ("currency", "AUD"),
        ("description", "Flat white"),
        ("email", "a@b.co"),
        ("ip_address", "192.0.2.1"),
        ("capture", capture.as_str()),
    ];
    let (status, c) = call(s, Method::POST, "charges", &form).await;
    assert_eq!(status, 201, "{c}");
    c["response"].clone()
}

#[tokio::test]
async fn pin_lists_events_newest_first_in_pages_for_thirty_days() {
    let s = sim(Dialect::Pin).await;
    let held = pin_charge(&s, false).await;
    let paid = pin_charge(&s, true).await;
    let (held, paid) = (
        held["token"].as_str().unwrap(),
        paid["token"].as_str().unwrap(),
    );
    s.advance_clock(2 * DAY as u64).await;
    let (status, c) = call(&s, Method::PUT, &format!("charges/{held}/capture"), &[]).await;
    assert_eq!(status, 201, "{c}");
    let (status, r) = call(
        &s,
        Method::POST,
        &format!("charges/{paid}/refunds"),
        &[("amount", "500")],
    )
    .await;
    assert_eq!(status, 201, "{r}");
    s.advance_clock(DAY as u64).await;

    let page = get(&s, "events").await;
    let types = ids(&page["response"], "type");
    assert_eq!(
        types,
        [
            "refund.succeeded",
            "refund.created",
            "charge.captured",
            "charge.captured",
            "charge.authorised"
        ]
    );
    let events = page["response"].as_array().unwrap();
    assert_eq!(events[2]["data"]["token"], held);
    assert_eq!(events[2]["data"]["captured"], true);
    assert_eq!(events[1]["data"]["token"], r["response"]["token"]);
    assert_eq!(events[1]["data"]["charge"], paid);
    assert!(events[2]["created_at"].as_str() > events[4]["created_at"].as_str());
    assert_eq!(page["count"], 5);
    let token = events[2]["token"].as_str().unwrap();
    assert_eq!(
        get(&s, &format!("events/{token}")).await["response"],
        events[2]
    );

    // Numbered pages while events arrive: later pages can repeat, never skip.
    let all: HashSet<String> = ids(&page["response"], "token").into_iter().collect();
    let mut seen = HashSet::new();
    for n in 1..=5 {
        let p = get(&s, &format!("events?per_page=2&page={n}")).await;
        seen.extend(ids(&p["response"], "token"));
        pin_charge(&s, true).await;
    }
    assert!(all.is_subset(&seen), "{all:?} in {seen:?}");

    s.advance_clock(31 * DAY as u64).await;
    let page = get(&s, "events").await;
    assert_eq!(page["count"], 0);
    let (status, _) = s.get_json(&format!("events/{token}")).await;
    assert_eq!(status, 404);
    s.running.shutdown().await;
}

/// The transactions gateway's transactions, most recently updated first.
async fn trx_updated(s: &Sim) -> Vec<Value> {
    let body = get(s, "transactions?sort=updated_at&direction=DESC&limit=100").await;
    body["data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn trx_updated_at_moves_on_every_change_the_log_records() {
    let s = sim(Dialect::Trx).await;
    let pay = |op: &'static str, order: &'static str| {
        let s = &s;
        async move {
            let body = json!({"operation": op, "amount": "25.00", "currency": "USD",
                "order_id": order, "card_token": trx_card(s).await});
            let (status, t) = post_json(s, "transactions", body).await;
            assert_eq!(status, 201, "{t}");
            t
        }
    };
    let held = pay("authorize", "ord-held").await;
    let paid = pay("authcap", "ord-paid").await;
    let disputed = admin_post(
        &s,
        &format!("disputes?charge={}", paid["id"].as_str().unwrap()),
    )
    .await;
    let dispute = disputed["dispute"].as_str().unwrap();
    s.advance_clock(30 * DAY as u64).await;

    let rows = trx_updated(&s).await;
    let row = |id: &str| rows.iter().find(|t| t["id"] == id).unwrap().clone();
    let times: Vec<&str> = rows
        .iter()
        .map(|t| t["updated_at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");

    let expired = row(held["id"].as_str().unwrap());
    assert_eq!(expired["status"], "EXPIRED");
    assert!(
        expired["updated_at"].as_str() > expired["created_at"].as_str(),
        "{expired}"
    );
    let settled = row(paid["id"].as_str().unwrap());
    assert_eq!(settled["status"], "SETTLED");
    assert!(
        settled["updated_at"].as_str() > settled["created_at"].as_str(),
        "{settled}"
    );
    let lost = row(dispute);
    assert_eq!(lost["status"], "SETTLED", "lost by the clock: {lost}");
    assert!(
        lost["updated_at"].as_str() > lost["created_at"].as_str(),
        "{lost}"
    );
    s.running.shutdown().await;
}

/// A card token from the transactions gateway.
async fn trx_card(s: &Sim) -> String {
    let body = json!({"card_number": "5520000000000000", "expiry_month": 12, "expiry_year": 2099, "cvv": "123"});
    let (_, card) = post_json(s, "intents/tokenization", body).await;
    card["card_token"].as_str().unwrap().to_string()
}
