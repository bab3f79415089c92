//! A gateway outage in a pseudo-terminal (issue 10): a Pin profile against a simulator
//! the test stops and starts again. Charges that arrived before the outage are gone
//! from the new one; after recovery the list must come back in line with the gateway
//! by itself, without switching profiles.

mod common;

use common::Dialect;
use common::profile::{Profile, start_sim};
use common::pty::free_port;
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
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let addr = format!("127.0.0.1:{}", free_port());
    let config = |live_per_minute| SimConfig {
        charges: 300,
        customers: 20,
        live_per_minute,
        ..SimConfig::default()
    };
    let before = start_sim(&runtime, &addr, Dialect::Pin, config(600));
    let mut profile = Profile::open(&before);
    let pty = &mut profile.pty;
    let screen = pty.wait_for("a charge made before the outage", |s| {
        new_charge_id(s).is_some()
    });
    let gone = new_charge_id(&screen).expect("a new charge");

    runtime.block_on(before.shutdown());
    pty.wait_for_text("stale");
    // The gateway is back, without the charges made just before it went away.
    let after = start_sim(&runtime, &addr, Dialect::Pin, config(0));
    let screen = pty.wait_for("the list in line with the gateway again", |s| {
        s.contains("updated") && !s.contains(&gone)
    });
    assert!(screen.contains("ch_"), "{screen}");
    // R reads the list afresh too, and keeps it as the gateway has it.
    pty.send("R");
    let screen = pty.wait_for("a refresh", |s| s.contains("updated"));
    assert!(!screen.contains(&gone), "{screen}");
    pty.send("q");
    assert!(pty.wait_exit());
    drop(profile);
    runtime.block_on(after.shutdown());
}
