//! Money after capture, a whole session in a pseudo-terminal per gateway: the
//! simulator's clock is moved on until payouts exist, `:payouts` lists them as the
//! gateway answers, `Enter` opens the newest with its lines and their net check, `Enter`
//! on a line opens that line's charge, and `Esc` comes back to the payout.

mod common;

use common::Dialect;
use common::profile::SimProfile;
use common::simulator::{quick_http, seeded};
use paydeck::domain::{BalanceLine, PageRequest, Payout};

/// Four days: past a daily cut-off and the two days' delay, so some payouts are paid.
const DAYS: u64 = 4 * 86_400;

/// The newest payout as the gateway answers, and its lines' first page.
fn newest_payout(sim: &SimProfile) -> (Payout, Vec<BalanceLine>) {
    let gateway = sim.sim().gateway(quick_http());
    let payouts = sim
        .block_on(gateway.list_payouts(&PageRequest::first(100)))
        .expect("payouts");
    let newest = payouts
        .items
        .into_iter()
        .next()
        .expect("a payout after four days");
    let lines = sim
        .block_on(gateway.payout_lines(&newest.id, &PageRequest::first(100)))
        .expect("lines");
    (newest, lines.items)
}

/// On `dialect`'s simulator, with the clock moved on: the newest payout listed as the
/// gateway has it, opened, and the first line with a charge opened and left again.
fn open_a_payout_and_jump_to_a_lines_charge(dialect: Dialect, gateway: &str) {
    let sim = SimProfile::start(dialect, seeded(120, 5), "payouts-sim");
    sim.block_on(sim.sim().advance_clock(DAYS));
    let (payout, lines) = newest_payout(&sim);
    let (row, charge_id) = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| Some((i, l.charge_id.clone()?)))
        .expect("a line with a charge");

    let pty = &mut sim.open();
    pty.wait_for_text(gateway);
    pty.send(":payouts\r");
    // The newest row is the gateway's newest payout, amount and reference as it says.
    let amount = payout.amount.to_string();
    let screen = pty.wait_for("the payouts list", |s| {
        s.contains("charges › payouts") && s.contains(&payout.id)
    });
    let listed = screen
        .lines()
        .find(|l| l.contains(&payout.id))
        .expect("the newest payout's row");
    assert!(
        listed.contains(&amount),
        "{} shows {amount}:\n{screen}",
        payout.id
    );
    if let Some(reference) = &payout.bank_reference {
        assert!(
            listed.contains(reference.as_str()),
            "{reference}:\n{screen}"
        );
    }
    // Newest first: the first payout row is this one.
    let prefix = format!("{}_", payout.id.split('_').next().unwrap_or(""));
    let top = screen.lines().find(|l| l.contains(prefix.as_str()));
    assert_eq!(top, Some(listed), "the newest is on top:\n{screen}");

    // Its screen: the fields, the lines, and the net check over them.
    pty.send("\r");
    let screen = pty.wait_for("the payout with its lines", |s| {
        s.contains(&format!("payout {}", payout.id)) && s.contains("net check holds")
    });
    assert!(screen.contains(&amount), "{screen}");
    let first = &lines[0];
    assert!(
        screen.contains(&first.amounts.net.to_string()),
        "the first line's net {}:\n{screen}",
        first.amounts.net
    );

    // The first line with a charge, opened; then back to the payout.
    pty.send(&"j".repeat(row));
    pty.send("\r");
    pty.wait_for("the line's charge", |s| {
        s.contains(&format!("charge {charge_id}")) && s.contains("status")
    });
    pty.send("\x1b");
    pty.wait_for("back on the payout", |s| {
        s.contains("net check holds") && !s.contains(&format!("› charge {charge_id}"))
    });
    pty.quit();
}

#[test]
fn a_trx_payout_opens_and_a_line_jumps_to_its_charge() {
    open_a_payout_and_jump_to_a_lines_charge(Dialect::Trx, "Transactions gateway");
}
