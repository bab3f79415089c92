//! A gateway outage in a pseudo-terminal (issue 10): a Pin profile against a simulator
//! the test stops and starts again. Charges that arrived before the outage are gone
//! from the new one; after recovery the list must come back in line with the gateway
//! by itself, without switching profiles. This is the list read from the gateway alone
//! (`--no-store`): a store keeps what it saw, and a real gateway never unmakes charges.

mod common;

use common::Dialect;
use common::profile::SimProfile;
use common::pty::free_port;
use common::simulator::seeded;
use paydeck::sim::SimConfig;

/// The id on the first line of the table marked as new (`●`).
fn new_charge_id(screen: &str) -> Option<String> {
    screen
        .lines()
        .filter(|l| l.contains('●'))
        .flat_map(|l| l.split_whitespace())
        .find(|w| w.starts_with("ch_"))
        .map(str::to_string)
}

#[test]
fn after_an_outage_the_list_comes_back_in_line_with_the_gateway() {
    let addr = format!("127.0.0.1:{}", free_port());
    let config = |live_per_minute| SimConfig {
        live_per_minute,
        ..seeded(300, 20)
    };
    let mut pin = SimProfile::start_on(&addr, Dialect::Pin, config(600), "sim");
    let mut pty = pin.open_with(&["--no-store"]);
    let screen = pty.wait_for("a charge made before the outage", |s| {
        new_charge_id(s).is_some()
    });
    let gone = new_charge_id(&screen).expect("a new charge");

    pin.stop();
    pty.wait_for_text("stale");
    // The gateway is back, without the charges made just before it went away.
    pin.start_again(config(0));
    let screen = pty.wait_for("the list in line with the gateway again", |s| {
        s.contains("updated") && !s.contains(&gone)
    });
    assert!(screen.contains("ch_"), "{screen}");
    // R reads the list afresh too, and keeps it as the gateway has it.
    pty.send("R");
    let screen = pty.wait_for("a refresh", |s| s.contains("updated"));
    assert!(!screen.contains(&gone), "{screen}");
    pty.quit();
}
