//! `paydeck --demo` in a pseudo-terminal, and its simulator (Pin, seed 42) seen from
//! outside.

use std::future::Future;

use paydeck::gateway::http::HttpConfig;
use paydeck::gateway::pin::PinGateway;
use paydeck::secret::Secret;
use serde_json::Value;

use super::pty::Pty;

/// The demo's Pin API on `port`.
fn pin_url(port: u16) -> String {
    format!("http://127.0.0.1:{port}/pin/1")
}

/// Runs `work` against the demo's simulator on a runtime of its own.
pub fn block_on<F: Future>(work: F) -> F::Output {
    paydeck::gateway::http::install_crypto_provider();
    tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(work)
}

/// The demo's gateway, seen through the same adapter from outside.
pub fn gateway(port: u16) -> PinGateway {
    PinGateway::new(
        &pin_url(port),
        Secret::new(paydeck::sim::pin_key(42)),
        HttpConfig::default(),
    )
    .expect("adapter")
}

/// A request to the demo's simulator with its key: `path` is under the Pin API, or
/// the admin routes when it starts with `/_sim/`.
pub fn request(port: u16, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
    let url = match path.strip_prefix('/') {
        Some(admin) => format!("http://127.0.0.1:{port}/{admin}"),
        None => format!("{}/{path}", pin_url(port)),
    };
    reqwest::Client::new()
        .request(method, url)
        .basic_auth(paydeck::sim::pin_key(42), Some(""))
}

/// `GET` a path of the demo's simulator (see [`request`]) as JSON.
pub fn get_json(port: u16, path: &str) -> Value {
    block_on(async {
        request(port, reqwest::Method::GET, path)
            .send()
            .await
            .expect("a request to the demo's simulator")
            .json()
            .await
            .expect("a JSON answer")
    })
}

/// The demo simulator's record of applied operations made through the API.
pub fn api_operations(port: u16) -> Vec<Value> {
    let body = get_json(port, "/_sim/operations");
    body["operations"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|op| op["source"] == "api")
        .collect()
}

/// `paydeck --demo` in a terminal of `cols` × `rows`, once the first charges show.
pub fn demo_sized(port: u16, cols: u16, rows: u16) -> Pty {
    let listen = format!("127.0.0.1:{port}");
    let pty = Pty::spawn_sized(
        &["--demo", "--demo-listen", listen.as_str()],
        &[],
        cols,
        rows,
    );
    pty.wait_for("the first charges", |s| s.contains("1 of "));
    pty
}

pub fn demo(port: u16, extra: &[&str]) -> Pty {
    demo_with_env(port, extra, &[])
}

/// [`demo`] with more arguments and environment, once the charges table shows.
pub fn demo_with_env(port: u16, extra: &[&str], env: &[(&str, &str)]) -> Pty {
    let listen = format!("127.0.0.1:{port}");
    let mut args = vec!["--demo", "--demo-listen", listen.as_str()];
    args.extend_from_slice(extra);
    let pty = Pty::spawn_with_env(&args, env);
    pty.wait_for("the charges table", |s| {
        s.contains("ch_") && s.contains("captured")
    });
    pty
}

/// Whether a status line ends in the selection's place, `…  3 of 12  ? help` (the
/// part before the help key, set apart by two spaces, is `N of M` and nothing else).
fn places_the_selection(status: &str) -> bool {
    let parts: Vec<&str> = status.trim().split("  ").map(str::trim).collect();
    let Some(at) = parts.iter().rposition(|p| p.ends_with("help")) else {
        return false;
    };
    let number = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == ',');
    let place: Vec<&str> = parts[..at]
        .last()
        .map_or_else(Vec::new, |p| p.split(' ').collect());
    matches!(place.as_slice(), [row, "of", count] if number(row) && number(count))
}

/// Whether `line` is the filter line showing `text` as typed, `/ status:authorised`,
/// or cut short to fit, `/ james.tanaka25@yahoo…`. The empty prompt's hint,
/// `/   status:authorised from:7d …`, is not.
fn shows_filter(line: &str, text: &str) -> bool {
    let Some(rest) = line.trim_start().strip_prefix("/ ") else {
        return false;
    };
    if let Some(after) = rest.strip_prefix(text) {
        return after.is_empty() || after.starts_with(' ');
    }
    match rest.split_once('…') {
        Some((shown, _)) => !shown.is_empty() && !shown.starts_with(' ') && text.starts_with(shown),
        None => false,
    }
}

pub fn filter(pty: &mut Pty, text: &str) {
    pty.send("/");
    pty.wait_for_text("/ ");
    pty.backspaces(60);
    pty.send(text);
    pty.send("\r");
    // Applied and answered: the status line (the last one drawn) ends in where the
    // selection is among the matches, `3 of 12  ? help`. (A row's description, or the
    // sync's progress, may say " of " too.)
    pty.wait_for(&format!("the filter {text}"), |s| {
        let status = s.lines().rev().find(|l| !l.trim().is_empty());
        s.lines().any(|l| shows_filter(l, text)) && status.is_some_and(places_the_selection)
    });
    pty.send("g");
}

/// Captures the first authorised AUD charge in full from the keyboard.
pub fn capture_first_authorised(pty: &mut Pty) {
    filter(pty, "status:authorised cur:AUD");
    pty.send("c");
    pty.wait_for_text("Capture A$");
    pty.send("\r");
    pty.wait_for_text("Captured A$");
}

/// Opens the refund dialog on the first captured AUD charge and types A$1.00, not yet
/// sent.
pub fn type_a_refund_of_one_dollar(pty: &mut Pty) {
    filter(pty, "status:captured cur:AUD");
    pty.send("r");
    pty.wait_for_text("Refund A$");
    pty.backspaces(20);
    pty.send("1.00");
    pty.wait_for_text("Refund A$1.00 of");
}
