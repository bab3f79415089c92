//! A Stripe profile from a config file, in a pseudo-terminal against the simulator's
//! Stripe dialect: the dashboard opens it, lists disputes with those needing a response
//! first, submits evidence for one and accepts another, and the simulator records each
//! exactly once.

mod common;

use common::pty::Pty;
use paydeck::sim::{self, SimConfig};
use serde_json::Value;

fn operations(url: &str, key: &str) -> Vec<Value> {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let root = url.trim_end_matches("/stripe");
    runtime.block_on(async {
        let body: Value = reqwest::Client::new()
            .get(format!("{root}/_sim/operations?dialect=stripe"))
            .bearer_auth(key)
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

#[test]
fn a_stripe_profile_answers_disputes() {
    paydeck::gateway::http::install_crypto_provider();
    // The simulator runs on this runtime's threads while the test drives the terminal.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let running = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let config = SimConfig {
            charges: 400,
            customers: 40,
            ..SimConfig::default()
        };
        sim::start(listener, config).await.expect("sim")
    });
    let stripe = running.dialect("STRIPE").expect("stripe dialect").clone();
    let config = std::env::temp_dir().join(format!("paydeck-stripe-{}.toml", uuid::Uuid::new_v4()));
    std::fs::write(
        &config,
        format!(
            "[[profile]]\nname = \"stripe-sim\"\ngateway = \"stripe\"\nenvironment = \"test\"\n\
             base_url = \"{}\"\nkey_env = \"PAYDECK_TEST_STRIPE_KEY\"\n",
            stripe.url
        ),
    )
    .expect("config");
    let config_arg = config.display().to_string();
    let mut pty = Pty::spawn_with_env(
        &["--config", &config_arg],
        &[("PAYDECK_TEST_STRIPE_KEY", stripe.key.as_str())],
    );
    pty.wait_for("the Stripe charges", |s| {
        s.contains("Stripe") && s.contains("ch_")
    });

    pty.send(":disputes\r");
    pty.wait_for_text("charges › disputes");
    pty.wait_for_text("needs response");
    pty.send("g");
    pty.send("e");
    pty.wait_for_text("Submit dispute evidence");
    pty.send("Delivered to the billing address");
    pty.send("\r");
    pty.send("and signed for");
    pty.wait_for_text("usually cannot be changed");
    pty.send("\x13"); // ctrl-s sends; Enter was a new line
    pty.wait_for_text("Evidence submitted");

    pty.send("j");
    pty.send("A");
    pty.wait_for_text("Accept dispute");
    pty.send("\r");
    pty.wait_for_text("Accepted dispute");

    let ops = operations(&stripe.url, &stripe.key);
    let names: Vec<&str> = ops
        .iter()
        .filter_map(|op| op["operation"].as_str())
        .collect();
    assert_eq!(
        names,
        ["submit_dispute_evidence", "close_dispute"],
        "{ops:?}"
    );
    let audit = pty.audit_lines();
    let actions: Vec<(&str, &str)> = audit
        .iter()
        .map(|l| {
            (
                l["action"].as_str().unwrap_or(""),
                l["phase"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("submit_evidence", "before"),
            ("submit_evidence", "after"),
            ("close_dispute", "before"),
            ("close_dispute", "after"),
        ]
    );
    assert!(
        audit
            .iter()
            .all(|l| l["gateway"] == "Stripe" && l["profile"] == "stripe-sim")
    );
    pty.send("q");
    assert!(pty.wait_exit());
    let _ = std::fs::remove_file(config);
    runtime.block_on(running.shutdown());
}
