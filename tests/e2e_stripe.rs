//! A Stripe profile from a config file, in a pseudo-terminal against the simulator's
//! Stripe dialect: the dashboard opens it, lists disputes with those needing a response
//! first, submits evidence for one and accepts another, and the simulator records each
//! exactly once.

mod common;

use common::Dialect;
use common::profile::{Profile, start_sim};
use common::pty::audit_phases;
use paydeck::sim::SimConfig;

#[test]
fn a_stripe_profile_answers_disputes() {
    // The simulator runs on this runtime's threads while the test drives the terminal.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let config = SimConfig {
        charges: 400,
        customers: 40,
        ..SimConfig::default()
    };
    let stripe = start_sim(&runtime, "127.0.0.1:0", Dialect::Stripe, config);
    let mut profile = Profile::named("stripe-sim", &stripe);
    let pty = &mut profile.pty;
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

    let ops: Vec<_> = runtime
        .block_on(stripe.operations())
        .into_iter()
        .filter(|op| op["source"] == "api")
        .collect();
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
    let actions = audit_phases(&audit);
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
    drop(profile);
    runtime.block_on(stripe.shutdown());
}
