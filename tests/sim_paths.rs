//! Every dialect answers a path with repeated or trailing slashes as it answers the
//! clean path, as web servers in front of the real APIs do: clients in the wild
//! build `//1/charges` and `/1/charges/` from base URLs with a trailing slash.

mod common;

use common::simulator::seeded;
use paydeck::sim::{RunningSim, SimConfig};
use reqwest::{Client, Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};

async fn sim() -> RunningSim {
    let config = SimConfig {
        seed: 7,
        ..seeded(20, 5)
    };
    common::simulator::start_all(config).await
}

async fn send(r: RequestBuilder) -> (StatusCode, Value) {
    let resp = r.send().await.unwrap();
    let st = resp.status();
    let text = resp.text().await.unwrap();
    (st, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The URL of `rest` (a path, then an optional query) under `dialect_path`, with
/// its slashes made awkward in the way `how` names.
fn mangle(root: &str, dialect_path: &str, rest: &str, how: &str) -> String {
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, format!("?{q}")),
        None => (rest, String::new()),
    };
    let path = match how {
        "clean" => format!("{dialect_path}{path}"),
        "leading" => format!("/{dialect_path}{path}"),
        "doubled" => format!("{dialect_path}/{}", path.replace('/', "//")),
        "trailing" => format!("{dialect_path}{path}/"),
        "both" => format!("/{dialect_path}//{}//", path.trim_start_matches('/')),
        _ => unreachable!(),
    };
    format!("{root}{path}{query}")
}

const HOWS: [&str; 4] = ["leading", "doubled", "trailing", "both"];

/// GETs `rest` under `dialect_path` every way and checks each answer is the clean one.
async fn same_answer_every_way(
    sim: &RunningSim,
    dialect_path: &str,
    rest: &str,
    auth: impl Fn(RequestBuilder) -> RequestBuilder,
) -> Value {
    let http = Client::new();
    let root = format!("http://{}", sim.addr);
    let clean = mangle(&root, dialect_path, rest, "clean");
    let (st, want) = send(auth(http.get(&clean))).await;
    assert_eq!(st, StatusCode::OK, "{clean}: {want}");
    for how in HOWS {
        let url = mangle(&root, dialect_path, rest, how);
        let (st, got) = send(auth(http.get(&url))).await;
        assert_eq!(st, StatusCode::OK, "{url}: {got}");
        assert!(got == want, "{url} answers differently from {clean}");
    }
    want
}

/// [`same_answer_every_way`] for the list at `list` under `dialect_path`, and then for
/// `{item}/{id}`, where `id` is at the JSON pointer `first` in the list; that id.
async fn a_list_and_its_first_item(
    sim: &RunningSim,
    dialect_path: &str,
    [list, first, item]: [&str; 3],
    auth: impl Fn(RequestBuilder) -> RequestBuilder,
) -> String {
    let listed = same_answer_every_way(sim, dialect_path, list, &auth).await;
    let id = listed
        .pointer(first)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no {first} in {listed}"))
        .to_string();
    same_answer_every_way(sim, dialect_path, &format!("{item}/{id}"), &auth).await;
    id
}

#[tokio::test]
async fn pin_paths_with_extra_slashes() {
    let sim = sim().await;
    let key = sim.dialect("PIN").unwrap().key.clone();
    let auth = |r: RequestBuilder| r.basic_auth(&key, Some(""));
    let list = ["/charges?per_page=3", "/response/0/token", "/charges"];
    let token = a_list_and_its_first_item(&sim, "/pin/1", list, auth).await;
    // The exact forms from the issue, relative to Pin's `/1` base.
    let root = format!("http://{}/pin", sim.addr);
    for path in [
        "//1/charges",
        "/1/charges/",
        &format!("/1/charges/{token}/"),
    ] {
        let (st, body) = send(auth(Client::new().get(format!("{root}{path}")))).await;
        assert_eq!(st, StatusCode::OK, "{path}: {body}");
    }
    // A write with a trailing slash is applied once, like the clean one.
    let (st, body) =
        send(auth(Client::new().put(format!("{root}/1/charges/{token}/void/"))).json(&json!({})))
            .await;
    assert_ne!(st, StatusCode::NOT_FOUND, "{body}");
    sim.shutdown().await;
}

#[tokio::test]
async fn stripe_paths_with_extra_slashes() {
    let sim = sim().await;
    let key = sim.dialect("STRIPE").unwrap().key.clone();
    let auth = |r: RequestBuilder| r.bearer_auth(&key);
    let list = ["/charges?limit=3", "/data/0/id", "/charges"];
    a_list_and_its_first_item(&sim, "/stripe/v1", list, auth).await;
    sim.shutdown().await;
}

#[tokio::test]
async fn openpay_paths_with_extra_slashes() {
    let sim = sim().await;
    let d = sim.dialect("OPENPAY").unwrap().clone();
    let base = format!("/openpay/v1/{}", d.merchant_id().unwrap());
    let auth = |r: RequestBuilder| r.basic_auth(&d.key, Some(""));
    let list = ["/charges?limit=3", "/0/id", "/charges"];
    a_list_and_its_first_item(&sim, &base, list, auth).await;
    sim.shutdown().await;
}

#[tokio::test]
async fn trx_paths_with_extra_slashes() {
    let sim = sim().await;
    let d = sim.dialect("TRX").unwrap().clone();
    let (id, secret) = d.key.split_once(':').unwrap();
    let (st, tok) = send(
        Client::new()
            .post(format!("http://{}/trx/v1//auth/token/", sim.addr))
            .json(&json!({"client_id": id, "client_secret": secret})),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{tok}");
    let token = tok["access_token"].as_str().unwrap().to_string();
    let auth = |r: RequestBuilder| r.bearer_auth(&token);
    let list = ["/transactions?limit=3", "/data/0/id", "/transactions"];
    a_list_and_its_first_item(&sim, "/trx/v1", list, auth).await;
    sim.shutdown().await;
}

#[tokio::test]
async fn admin_routes_and_query_strings_survive() {
    let sim = sim().await;
    let key = sim.dialect("PIN").unwrap().key.clone();
    let url = format!("http://{}//_sim//operations/?dialect=pin", sim.addr);
    let (st, body) = send(Client::new().request(Method::GET, url).bearer_auth(&key)).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(body["operations"].is_array(), "{body}");
    sim.shutdown().await;
}
