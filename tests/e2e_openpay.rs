//! An Openpay profile from a config file (merchant id and country), in a pseudo-terminal
//! against the simulator's Openpay dialect: the dashboard opens it and cancels a
//! pre-authorisation, named as Openpay names it, exactly once.

mod common;

use common::Dialect;
use common::profile::{Profile, start_sim};
use paydeck::sim::SimConfig;

#[test]
fn an_openpay_profile_cancels_a_pre_authorisation() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let config = SimConfig {
        charges: 400,
        customers: 40,
        ..SimConfig::default()
    };
    let openpay = start_sim(&runtime, "127.0.0.1:0", Dialect::Openpay, config);
    let mut profile = Profile::named("openpay-sim", &openpay);
    let pty = &mut profile.pty;
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

    let ops = runtime.block_on(openpay.operations());
    let api_ops: Vec<&str> = ops
        .iter()
        .filter(|op| op["source"] == "api")
        .filter_map(|op| op["operation"].as_str())
        .collect();
    assert_eq!(api_ops, ["void"], "{ops:?}");
    pty.send("q");
    assert!(pty.wait_exit());
    drop(profile);
    runtime.block_on(openpay.shutdown());
}
