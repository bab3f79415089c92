//! A Stripe profile from a config file, in a pseudo-terminal against the simulator's
//! Stripe dialect: the dashboard opens it, lists disputes with those needing a response
//! first, submits evidence for one and accepts another, and the simulator records each
//! exactly once.

mod common;

use common::Dialect;
use common::profile::SimProfile;
use common::pty::{audit_phases, before_and_after};
use common::simulator::seeded;

#[test]
fn a_stripe_profile_answers_disputes() {
    let stripe = SimProfile::start(Dialect::Stripe, seeded(400, 40), "stripe-sim");
    let mut pty = stripe.open();
    pty.wait_for_all(&["Stripe", "ch_"]);

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

    assert_eq!(
        stripe.api_operation_names(),
        ["submit_dispute_evidence", "close_dispute"]
    );
    let audit = pty.audit_lines();
    assert_eq!(
        audit_phases(&audit),
        before_and_after(&["submit_evidence", "close_dispute"])
    );
    assert!(
        audit
            .iter()
            .all(|l| l["gateway"] == "Stripe" && l["profile"] == "stripe-sim")
    );
    pty.quit();
}
