//! `paydeck --demo` in small terminals, as a new user tries it: text panes stop at
//! their last line, and amounts are whole or `…`, never their tail.

mod common;

use std::collections::HashSet;

use common::demo::{demo_sized, get_json};
use common::pty::{Pty, free_port};
use paydeck::money::{Currency, Money};

/// The inside of the box drawn on `screen`, one string per row between its borders.
fn box_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| l.trim_matches('│').trim_end().to_string())
        .collect()
}

/// The demo at 40x10 with the first charge open: Enter opens it in place of the
/// table at this width, with the keys.
fn first_charge_at_40x10() -> Pty {
    let mut pty = demo_sized(free_port(), 40, 10);
    pty.send("\r");
    pty.wait_for_text("J raw JSON");
    pty
}

#[test]
fn the_json_at_40x10_stops_at_its_closing_brace_and_k_brings_it_back() {
    let mut pty = first_charge_at_40x10();
    pty.send("J");
    // The JSON is fetched on demand: `G` before it came would scroll the wait.
    pty.wait_for("the JSON", |s| {
        s.contains("J fields") && s.contains("\"amount\"")
    });
    pty.send("G");
    pty.wait_for("the JSON's last line at the bottom", |s| {
        box_rows(s).last().is_some_and(|l| l.trim() == "}")
    });
    // Seventy more lines down go nowhere: one line up is one line up from the end.
    pty.send(&"j".repeat(70));
    pty.send("k");
    let up = pty.wait_for("one line up", |s| s.contains("↓ 1 more"));
    let rows = box_rows(&up);
    assert!(rows.iter().all(|l| !l.trim().is_empty()), "{up}");
    assert!(!rows.iter().any(|l| l.trim() == "}"), "{up}");
    pty.quit();
}

#[test]
fn the_fields_at_40x10_stop_at_their_last_line() {
    let mut pty = first_charge_at_40x10();
    pty.wait_for("the refunds loaded", |s| !s.contains("loading"));
    pty.send(&"j".repeat(70));
    // Seventy keys arrive over several frames; an earlier frame may end on a date too
    // (`auth expires`), so the end is the frame with nothing left below.
    pty.wait_for("the last field at the bottom, nothing left below", |s| {
        !s.contains("more")
            && box_rows(s)
                .last()
                .is_some_and(|l| l.contains("none") || l.contains("11-") || l.contains("12-"))
    });
    pty.send("k");
    pty.wait_for("a line below again", |s| s.contains("↓ 1 more"));
    pty.quit();
}

/// The newest charges as the simulator formats them through paydeck's own `Money`.
fn simulator_amounts(port: u16) -> HashSet<String> {
    let body = get_json(port, "charges?per_page=100");
    body["response"]
        .as_array()
        .expect("a list of charges")
        .iter()
        .map(|c| {
            let currency = Currency::from_code(c["currency"].as_str().unwrap_or("")).unwrap();
            Money::from_minor(c["amount"].as_i64().unwrap_or(0), currency).to_string()
        })
        .collect()
}

#[test]
fn amounts_are_whole_at_40_and_20_columns() {
    for (cols, rows) in [(40, 10), (20, 10)] {
        let port = free_port();
        let mut pty = demo_sized(port, cols, rows);
        let body_rows = usize::from(rows) - 3;
        let screen = pty.wait_for("a full table", |s| {
            let lines: Vec<&str> = s.lines().collect();
            lines.len() == usize::from(rows)
                && lines[2..lines.len() - 1]
                    .iter()
                    .filter(|l| l.chars().any(|c| c.is_ascii_digit()))
                    .count()
                    == body_rows
        });
        let known = simulator_amounts(port);
        // The rows between the column titles and the status line.
        let lines: Vec<&str> = screen.lines().collect();
        let titles = lines
            .iter()
            .position(|l| l.contains("amount"))
            .expect("the column titles");
        let body = &lines[titles + 1..lines.len() - 1];
        assert!(!body.is_empty(), "{screen}");
        for line in body {
            // Not the time (`11-29 17:41`): the amount is the word with a digit and
            // neither `-` nor `:` in it.
            let amount = line
                .split_whitespace()
                .find(|w| w.chars().any(|c| c.is_ascii_digit()) && !w.contains([':', '-']))
                .unwrap_or_else(|| panic!("no amount in {line:?}:\n{screen}"));
            assert!(
                known.contains(amount),
                "{cols}x{rows}: {amount:?} is not an amount the simulator has:\n{screen}"
            );
        }
        pty.quit();
    }
}
