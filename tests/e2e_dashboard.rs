//! Whole sessions in a pseudo-terminal: `paydeck --demo`, driven with keys alone,
//! checked against the simulator's own record and the audit log.

mod common;

use common::demo::{
    api_operations, capture_first_authorised, demo, filter, type_a_refund_of_one_dollar,
};
use common::pty::{Pty, audit_phases, before_and_after, free_port, terminal_restored};
use serde_json::Value;

#[test]
fn capture_and_partial_refund_with_keys_alone() {
    let port = free_port();
    let mut pty = demo(port, &[]);

    capture_first_authorised(&mut pty);
    type_a_refund_of_one_dollar(&mut pty);
    pty.send("\r");
    pty.wait_for_text("Refunded A$1.00");

    let ops = api_operations(port);
    let captures: Vec<&Value> = ops
        .iter()
        .filter(|op| op["operation"] == "capture")
        .collect();
    let refunds: Vec<&Value> = ops
        .iter()
        .filter(|op| op["operation"] == "refund")
        .collect();
    assert_eq!(captures.len(), 1, "{ops:?}");
    assert_eq!(refunds.len(), 1, "{ops:?}");
    assert_eq!(refunds[0]["amount"], 100);
    assert_eq!(refunds[0]["currency"], "AUD");
    assert_eq!(ops.len(), 2, "nothing else was changed: {ops:?}");

    let audit = pty.audit_lines();
    assert_eq!(
        audit_phases(&audit),
        before_and_after(&["capture", "refund"])
    );
    assert_eq!(audit[0]["key"], audit[1]["key"]);
    assert_eq!(audit[1]["result"], "ok");
    assert_eq!(audit[3]["amount"], "1.00");
    assert_eq!(audit[2]["target"], refunds[0]["target"]);

    pty.quit();
    if let Err(what) = terminal_restored(&pty.raw()) {
        panic!("the terminal was not restored: {what}");
    }
}

#[test]
fn read_only_sends_no_mutating_request() {
    let port = free_port();
    let mut pty = demo(port, &["--read-only"]);
    pty.wait_for_text("READ-ONLY");
    filter(&mut pty, "status:authorised");
    pty.send("c");
    pty.wait_for_text("Read-only");
    pty.send("v");
    filter(&mut pty, "status:captured");
    pty.send("r");
    pty.send("R");
    // Keys are handled in order: once the help is up, the ones before it were handled.
    pty.send("?");
    pty.wait_for_text("copy the amount, email or JSON");
    assert_eq!(api_operations(port), Vec::<Value>::new());
    assert!(pty.audit_lines().is_empty());
    pty.send("q");
    pty.wait_for("the help to close", |s| {
        !s.contains("copy the amount, email or JSON")
    });
    pty.quit();
}

#[test]
fn sigterm_restores_the_terminal() {
    let port = free_port();
    let mut pty = demo(port, &[]);
    pty.signal("TERM");
    assert_eq!(
        pty.wait_status().exit_code(),
        128 + 15,
        "a stop by SIGTERM is told apart from a quit"
    );
    if let Err(what) = terminal_restored(&pty.raw()) {
        panic!("the terminal was not restored: {what}");
    }
}

#[test]
fn sigquit_restores_the_terminal() {
    let port = free_port();
    let mut pty = demo(port, &[]);
    assert!(!pty.tty_is_cooked(), "the dashboard runs in raw mode");
    pty.signal("QUIT");
    pty.wait_status();
    if let Err(what) = terminal_restored(&pty.raw()) {
        panic!("the terminal was not restored: {what}");
    }
    assert!(pty.tty_is_cooked(), "raw mode was left on");
}

#[test]
fn a_panic_restores_the_terminal_before_the_report() {
    let port = free_port().to_string();
    let listen = format!("127.0.0.1:{port}");
    let mut pty = Pty::spawn_with_env(
        &["--demo", "--demo-listen", &listen],
        &[("PAYDECK_TEST_PANIC", "1"), ("RUST_BACKTRACE", "0")],
    );
    assert!(!pty.wait_status().success(), "a panic is a failure");
    pty.wait_for_text("PAYDECK_TEST_PANIC is set");
    let raw = pty.raw();
    if let Err(what) = terminal_restored(&raw) {
        panic!("the terminal was not restored: {what}");
    }
    let text = String::from_utf8_lossy(&raw);
    let entered = text
        .rfind("\x1b[?1049h")
        .expect("entered the alternate screen");
    let left = entered
        + text[entered..]
            .find("\x1b[?1049l")
            .expect("left the alternate screen");
    let report = text.rfind("PAYDECK_TEST_PANIC is set").expect("the report");
    assert!(
        report > left,
        "the report comes after the screen is restored, where it can be read"
    );
}
