//! `paydeck --demo` in a pseudo-terminal, and its simulator seen from outside.

use serde_json::Value;

use super::pty::Pty;

/// The demo simulator's record of applied operations made through the API.
pub fn api_operations(port: u16) -> Vec<Value> {
    paydeck::gateway::http::install_crypto_provider();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let body: Value = reqwest::Client::new()
            .get(format!("http://127.0.0.1:{port}/_sim/operations"))
            .basic_auth(paydeck::sim::pin_key(42), Some(""))
            .send()
            .await
            .expect("operations")
            .json()
            .await
            .expect("operations JSON");
        body["operations"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|op| op["source"] == "api")
            .collect()
    })
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
    let listen = format!("127.0.0.1:{port}");
    let mut args = vec!["--demo", "--demo-listen", listen.as_str()];
    args.extend_from_slice(extra);
    let pty = Pty::spawn(&args);
    pty.wait_for("the charges table", |s| {
        s.contains("ch_") && s.contains("captured")
    });
    pty
}

pub fn filter(pty: &mut Pty, text: &str) {
    pty.send("/");
    pty.wait_for_text("/ ");
    pty.backspaces(60);
    pty.send(text);
    pty.send("\r");
    pty.wait_for(&format!("the filter {text}"), |s| {
        s.contains(text) && s.contains(" of ")
    });
    pty.send("g");
}
