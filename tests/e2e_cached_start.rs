//! A second start shows the charges the first one stored, marked `cached · updating`,
//! before the gateway has answered: the simulator it starts against is slow to answer
//! and seeded differently, so the charges on screen can only have come from the store.

mod common;

use common::Dialect;
use common::profile::SimProfile;
use common::simulator::{faults, seeded};
use paydeck::sim::SimConfig;

/// The first charge id on a screen.
fn first_charge_id(screen: &str) -> Option<String> {
    screen.split_whitespace().find_map(|word| {
        let at = word.find("ch_")?;
        let id: String = word[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        (id.len() > 6).then_some(id)
    })
}

#[test]
fn a_second_start_shows_the_stored_charges_before_the_gateway_answers() {
    let data_dir = std::env::temp_dir().join(format!("paydeck-cached-{}", uuid::Uuid::new_v4()));
    let mut pin = SimProfile::start(Dialect::Pin, seeded(150, 20), "cached");

    let mut first = pin.open_in(&data_dir);
    let screen = first.wait_for_text("updated");
    let stored = first_charge_id(&screen).expect("a charge on screen");
    first.quit();

    // Another simulator on the same address: other charges, and every answer slow.
    pin.start_again(SimConfig {
        seed: 4242,
        faults: faults("latency_ms=4000"),
        ..seeded(150, 20)
    });
    let mut second = pin.open_in(&data_dir);
    let screen = second.wait_for("the stored charges, marked cached", |s| {
        s.contains("cached · updating") && s.contains(&stored)
    });
    assert!(!screen.contains("updated "), "{screen}");
    // Then the gateway answers and the header says so.
    second.wait_for_text("updated");
    second.quit();
    let _ = std::fs::remove_dir_all(&data_dir);
}
