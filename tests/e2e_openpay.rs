//! An Openpay profile from a config file (merchant id and country), in a pseudo-terminal
//! against the simulator's Openpay dialect: the dashboard opens it and cancels a
//! pre-authorisation, named as Openpay names it, exactly once.

mod common;

use common::pty::Pty;
use paydeck::sim::{self, SimConfig};
use serde_json::Value;

#[test]
fn an_openpay_profile_cancels_a_pre_authorisation() {
    paydeck::gateway::http::install_crypto_provider();
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
    let openpay = running.dialect("OPENPAY").expect("openpay dialect").clone();
    let (api, merchant) = openpay
        .url
        .rsplit_once('/')
        .expect("url ends with the merchant id");
    let config =
        std::env::temp_dir().join(format!("paydeck-openpay-{}.toml", uuid::Uuid::new_v4()));
    std::fs::write(
        &config,
        format!(
            "[[profile]]\nname = \"openpay-sim\"\ngateway = \"openpay\"\nenvironment = \"test\"\n\
             base_url = \"{api}\"\nmerchant_id = \"{merchant}\"\ncountry = \"mx\"\n\
             key_env = \"PAYDECK_TEST_OPENPAY_KEY\"\n"
        ),
    )
    .expect("config");
    let config_arg = config.display().to_string();
    let mut pty = Pty::spawn_with_env(
        &["--config", &config_arg],
        &[("PAYDECK_TEST_OPENPAY_KEY", openpay.key.as_str())],
    );
    pty.wait_for("the Openpay charges", |s| {
        s.contains("Openpay") && s.contains("MX$")
    });
    pty.send("/");
    pty.send("status:authorised\r");
    pty.wait_for("authorised charges", |s| {
        s.contains("status:authorised") && s.contains(" of ")
    });
    pty.send("g");
    pty.send("v");
    pty.wait_for_text("Cancel the authorisation of MX$");
    pty.send("\r");
    pty.wait_for_text("Released the authorisation of MX$");

    let root = openpay
        .url
        .split("/openpay/")
        .next()
        .expect("root")
        .to_string();
    let ops: Vec<Value> = runtime.block_on(async {
        let body: Value = reqwest::Client::new()
            .get(format!("{root}/_sim/operations?dialect=openpay"))
            .basic_auth(&openpay.key, Some(""))
            .send()
            .await
            .expect("operations")
            .json()
            .await
            .expect("JSON");
        body["operations"].as_array().cloned().unwrap_or_default()
    });
    let api_ops: Vec<&str> = ops
        .iter()
        .filter(|op| op["source"] == "api")
        .filter_map(|op| op["operation"].as_str())
        .collect();
    assert_eq!(api_ops, ["void"], "{ops:?}");
    pty.send("q");
    assert!(pty.wait_exit());
    let _ = std::fs::remove_file(config);
    runtime.block_on(running.shutdown());
}
