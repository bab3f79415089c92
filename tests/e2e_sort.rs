//! Sorting in a whole session: the charges sorted by amount over the local store, both
//! ways, checked against the simulator's own amounts; each screen keeping its own sort.

mod common;

use std::collections::HashMap;

use common::demo::{block_on, demo, gateway};
use common::pty::{Pty, free_port};
use paydeck::domain::{ChargeFilter, PageRequest};
use paydeck::gateway::Charges;
use paydeck::money::Money;

/// The ids of the charges rows on screen, top to bottom.
fn ids_on_screen(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|line| {
            line.split_whitespace()
                .find(|w| w.starts_with("ch_"))
                .map(str::to_string)
        })
        .collect()
}

/// The newest `n` charges at the simulator, by id.
fn simulators_charges(port: u16, n: u32) -> HashMap<String, Money> {
    let page =
        block_on(gateway(port).list_charges(&PageRequest::first(n), &ChargeFilter::default()))
            .expect("the simulator's charges");
    page.items.into_iter().map(|c| (c.id, c.amount)).collect()
}

/// Waits for the table's header to mark `mark` and returns the rows' amounts as the
/// simulator has them, in the order shown (charges it has not in its newest `known`
/// are left out).
fn shown_amounts(pty: &Pty, mark: &str, known: &HashMap<String, Money>) -> Vec<Money> {
    let screen = pty.wait_for_text(mark);
    ids_on_screen(&screen)
        .iter()
        .filter_map(|id| known.get(id).copied())
        .collect()
}

/// Waits for the created column's title to carry `arrow`.
fn wait_created_marked(pty: &Pty, arrow: &str) {
    pty.wait_for("the created column marked", |s| {
        s.lines().any(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            words
                .iter()
                .position(|w| *w == "created")
                .is_some_and(|at| words[at + 1..].iter().take(2).any(|w| *w == arrow))
        })
    });
}

/// Money in the sort's order: currency, then amount.
fn key(m: &Money) -> (&'static str, rust_decimal::Decimal) {
    (m.currency.code(), m.amount)
}

#[test]
fn the_charges_sort_by_amount_both_ways_and_each_screen_keeps_its_sort() {
    let port = free_port();
    let mut pty = demo(port, &[]);
    let known = simulators_charges(port, 250);

    // `s` twice: created, then amount, largest first.
    pty.send("s");
    wait_created_marked(&pty, "▼");
    pty.send("s");
    let down = shown_amounts(&pty, "▼ amount", &known);
    assert!(
        down.len() >= 5,
        "too few rows known to the simulator: {down:?}"
    );
    assert!(
        down.windows(2).all(|w| key(&w[0]) >= key(&w[1])),
        "largest first: {down:?}"
    );
    // The top row is at least as large as any of the simulator's newest charges in
    // its currency: the store's query sorted every charge, not a page.
    let top = down[0];
    let larger = known
        .values()
        .filter(|m| m.currency == top.currency && m.amount > top.amount)
        .count();
    assert_eq!(larger, 0, "{top} is not the largest");

    pty.send("S");
    let up = shown_amounts(&pty, "▲ amount", &known);
    assert!(
        up.windows(2).all(|w| key(&w[0]) <= key(&w[1])),
        "smallest first: {up:?}"
    );

    // The refunds have a sort of their own, and the charges keep theirs.
    pty.send(":refunds\r");
    pty.wait_for_text("charges › refunds");
    pty.send("s");
    wait_created_marked(&pty, "▼");
    pty.send("\x1b");
    pty.wait_for("the charges again", |s| {
        !s.contains("charges › refunds") && s.contains("▲ amount")
    });
    pty.quit();
}
