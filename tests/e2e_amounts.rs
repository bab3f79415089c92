//! What the screen says about money after partial captures, releases and disputes
//! (issue 10), in a pseudo-terminal on Stripe and transactions-gateway profiles from a
//! config file against the simulator.

mod common;

use common::assert_matches;
use common::profile::SimProfile;
use common::pty::Pty;
use common::simulator::seeded;
use common::{Dialect, new_charge, quick_http, test_card};
use paydeck::domain::{NewCharge, PaymentSource};
use paydeck::gateway::OperationKey;
use paydeck::money::{Currency, Money};

fn aud(minor: i64) -> Money {
    Money::from_minor(minor, Currency::AUD)
}

/// The screen's line that holds every one of `parts`, if any does.
fn line_with<'a>(screen: &'a str, parts: &[&str]) -> Option<&'a str> {
    screen
        .lines()
        .find(|line| parts.iter().all(|p| line.contains(p)))
}

/// The detail's `label  value` line: the value right after the padded label.
fn field<'a>(screen: &'a str, label: &str) -> Option<&'a str> {
    let marker = format!("│ {label:<15} ");
    screen.lines().find_map(|line| {
        let at = line.find(&marker)?;
        let rest = &line[at + marker.len()..];
        Some(rest.split('│').next().unwrap_or(rest).trim_end())
    })
}

/// A profile on `dialect`'s simulator (`charges` seeded, a tenth as many customers)
/// where `order` was just authorised through the adapter, open in a pseudo-terminal
/// with the new authorisation on top and opened; its id.
fn open_on_a_new_authorisation(
    dialect: Dialect,
    charges: usize,
    order: &NewCharge,
) -> (SimProfile, Pty, String) {
    let session = SimProfile::start(dialect, seeded(charges, charges / 10), "sim");
    let gateway = session.sim().gateway(quick_http());
    let held = session
        .block_on(gateway.create_charge(order, &OperationKey::new()))
        .expect("an authorisation");
    let mut pty = session.open();
    let amount = order.amount.to_string();
    pty.wait_for("the new authorisation on top", |s| {
        line_with(s, &[&held.id, "authorised", &amount]).is_some()
    });
    pty.send("\r");
    (session, pty, held.id)
}

/// Captures A$20.00 of the open charge, of which `held` is held, from the keyboard.
fn capture_twenty_dollars_of(pty: &mut Pty, held: &str) {
    pty.send("c");
    pty.wait_for_text(&format!("Capture {held} of {held}"));
    pty.backspaces(20);
    pty.send("20");
    pty.wait_for_text(&format!("Capture A$20.00 of {held}"));
    pty.send("\r");
}

/// Captures part of a fresh Stripe authorisation from the keyboard: the list and the
/// detail show A$20.00 taken and A$16.40 released, no refund; `:refunds` lists none.
/// Then a dispute opened from `:disputes` shows its section, is accepted with `A`, and
/// its charge has nothing left to refund.
#[test]
fn stripe_partial_capture_and_a_dispute_from_the_disputes_list() {
    let order = new_charge(
        aud(3640),
        false,
        PaymentSource::CardToken("tok_visa".into()),
    );
    let (_stripe, mut pty, id) = open_on_a_new_authorisation(Dialect::Stripe, 200, &order);
    let id = id.as_str();
    pty.wait_for_text("still held      A$36.40");
    capture_twenty_dollars_of(&mut pty, "A$36.40");
    pty.wait_for_text("Captured A$20.00");
    let screen = pty.wait_for("the refunds read again", |s| {
        line_with(s, &[id, "captured", "A$20.00"]).is_some()
            && field(s, "released") == Some("A$16.40")
            && s.contains("  none")
    });
    assert!(
        line_with(&screen, &[id, "A$36.40"]).is_none(),
        "the list shows what was taken, not what was asked:\n{screen}"
    );
    assert_eq!(field(&screen, "amount"), Some("A$36.40"), "{screen}");
    assert!(
        field(&screen, "captured").is_some_and(|v| v.starts_with("A$20.00")),
        "{screen}"
    );
    assert_eq!(
        field(&screen, "refunded"),
        Some("A$0.00  refundable A$20.00"),
        "{screen}"
    );

    pty.send(":refunds\r");
    let screen = pty.wait_for("the refunds list", |s| {
        s.contains("charges › refunds")
            && s.contains("reason")
            && !s.contains("loading")
            && !s.contains("released")
    });
    assert!(
        line_with(&screen, &[id, "succeeded"]).is_none() && !screen.contains("A$16.40"),
        "a release is not a refund:\n{screen}"
    );
    pty.send("\x1b");
    pty.wait_for("back on the charges", |s| !s.contains("charges › refunds"));

    pty.send(":disputes\r");
    pty.wait_for_text("charges › disputes");
    pty.wait_for_text("needs response");
    pty.send("g");
    pty.send("\r");
    let screen = pty.wait_for("the disputed charge with its dispute", |s| {
        s.contains("charges › disputes › charge") && s.contains("e evidence · A accept")
    });
    assert!(screen.contains("dispute "), "{screen}");
    pty.send("A");
    pty.wait_for_text("Accept dispute");
    pty.send("\r");
    pty.wait_for_text("Accepted dispute");
    let screen = pty.wait_for("the dispute lost and the charge read again", |s| {
        line_with(s, &["dispute ", "lost"]).is_some()
    });
    let refundable = field(&screen, "refunded")
        .and_then(|v| v.split("refundable ").nth(1))
        .map(|v| v.trim_start_matches(|c: char| !c.is_ascii_digit()));
    assert_matches!(
        refundable,
        Some("0.00" | "0"),
        "nothing is left to refund on a charge lost to a dispute:\n{screen}"
    );
    pty.quit();
}

/// Voids A$30.00 of an A$80.55 authorisation and captures A$20.00 of the rest on a
/// transactions-gateway profile: the list shows A$20.00, the detail A$60.55 released.
#[test]
fn trx_partial_void_then_capture() {
    let mut order = new_charge(aud(8055), false, test_card("4242424242424242"));
    order.description = "Espresso machine, deposit".into();
    let (_trx, mut pty, id) = open_on_a_new_authorisation(Dialect::Trx, 100, &order);
    let id = id.as_str();
    pty.send("v");
    pty.wait_for_text("Void the authorisation of A$80.55");
    pty.backspaces(20);
    pty.send("30");
    pty.wait_for_text("A$50.55 stays authorised");
    pty.send("\r");
    pty.wait_for_text("Released the authorisation of A$30.00");
    pty.wait_for("the rest still held", |s| {
        line_with(s, &[id, "authorised", "A$50.55"]).is_some()
    });
    capture_twenty_dollars_of(&mut pty, "A$50.55");
    let screen = pty.wait_for("the capture shown", |s| {
        line_with(s, &[id, "captured", "A$20.00"]).is_some()
            && field(s, "released") == Some("A$60.55")
    });
    assert_eq!(field(&screen, "amount"), Some("A$80.55"), "{screen}");
    assert_eq!(
        field(&screen, "refunded"),
        Some("A$0.00  refundable A$20.00"),
        "{screen}"
    );
    pty.quit();
}
