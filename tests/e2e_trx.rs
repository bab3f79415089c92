//! A transactions-gateway profile from a config file, a whole session in a
//! pseudo-terminal against the simulator's TRX dialect: the newest captured payments on
//! screen are the simulator's, amount for amount; a part refund typed at the keyboard is
//! applied once, read back from the simulator in the charge's detail, and audited before
//! and after.

mod common;

use std::str::FromStr;

use common::Dialect;
use common::assert_matches;
use common::demo::filter;
use common::profile::SimProfile;
use common::pty::{audit_phases, before_and_after};
use common::simulator::seeded;
use paydeck::money::{Currency, Money};
use rust_decimal::Decimal;
use serde_json::Value;

/// A payment's decimal-string amount as paydeck's `Money` writes it.
fn shown(payment: &Value, field: &str) -> String {
    money(payment, field).to_string()
}

fn money(payment: &Value, field: &str) -> Money {
    let code = payment["currency"].as_str().expect("a currency");
    let currency = Currency::from_code(code).expect("a known currency");
    let text = payment[field].as_str().expect("a decimal string");
    Money::new(Decimal::from_str(text).expect("a decimal"), currency).expect("money")
}

#[test]
fn a_trx_session_shows_the_gateways_numbers_and_refunds_once() {
    let trx = SimProfile::start(Dialect::Trx, seeded(300, 20), "trx-sim");
    let pty = &mut trx.open();
    pty.wait_for_text("Transactions gateway");

    // The captured payments on screen, each against the simulator's own answer for it.
    filter(pty, "status:captured");
    let screen = pty.wait_for("only captured payments listed", |s| {
        let rows: Vec<&str> = s.lines().filter(|l| l.contains("trx_")).collect();
        rows.len() >= 5 && rows.iter().all(|l| l.contains(" captured "))
    });
    let rows: Vec<(&str, &str)> = screen
        .lines()
        .filter_map(|l| Some((l.split_whitespace().find(|w| w.starts_with("trx_"))?, l)))
        .take(10)
        .collect();
    assert!(rows.len() >= 5, "{screen}");
    let mut answers = Vec::new();
    for (id, line) in &rows {
        let (status, payment) = trx.block_on(trx.sim().get_json(&format!("transactions/{id}")));
        assert_eq!(status, 200, "{payment}");
        assert_matches!(
            payment["status"].as_str(),
            Some("CAPTURED" | "SETTLED"),
            "{payment}"
        );
        let taken = shown(&payment, "captured_amount");
        assert!(line.contains(&taken), "{id} shows {taken}:\n{screen}");
        answers.push(payment);
    }

    // A part refund of the selected (top) one, typed at the keyboard.
    let first = rows[0].0.to_string();
    let payment = &answers[0];
    let captured = shown(payment, "captured_amount");
    let refunded_before = money(payment, "refunded_amount");
    let part = Money::new(Decimal::new(100, 2), refunded_before.currency).expect("money");
    pty.send("r");
    pty.wait_for_text("Refund ");
    pty.backspaces(20);
    pty.send("1.00");
    pty.wait_for_text(&format!("Refund {part} of {captured} on {first}"));
    pty.send("\r");
    // The toast wraps before the id.
    pty.wait_for_text(&format!("Refunded {part} on"));

    // The simulator applied it once, and its answer is what the detail shows.
    let refunds = trx.api_operations();
    let targets: Vec<&str> = refunds
        .iter()
        .filter_map(|op| op["target"].as_str())
        .collect();
    assert_eq!(targets, [first.as_str()], "{refunds:?}");
    let (status, after) = trx.block_on(trx.sim().get_json(&format!("transactions/{first}")));
    assert_eq!(status, 200, "{after}");
    let refunded_after = money(&after, "refunded_amount");
    assert_eq!(
        refunded_after,
        refunded_before.checked_add(part).expect("same currency")
    );
    // The charge, no longer only captured, found by its id and opened.
    filter(pty, &first);
    pty.send("\r");
    let screen = pty.wait_for("the refund in the detail", |s| {
        s.lines()
            .any(|l| l.contains("refunded") && l.contains(&refunded_after.to_string()))
    });
    assert!(screen.contains(&first), "{screen}");

    let audit = pty.audit_lines();
    assert_eq!(
        audit_phases(&audit),
        before_and_after(&["refund"]),
        "{audit:?}"
    );
    assert!(
        audit
            .iter()
            .all(|l| l["gateway"] == "Transactions gateway" && l["profile"] == "trx-sim"),
        "{audit:?}"
    );
    pty.quit();
}
