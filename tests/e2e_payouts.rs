//! Money after capture, a whole session in a pseudo-terminal per gateway: the
//! simulator's clock is moved on until payouts exist, `:payouts` lists them as the
//! gateway answers, `Enter` opens the newest with its lines and their net check, `Enter`
//! on a line opens that line's charge, and `Esc` comes back to the payout.

mod common;

use common::Dialect;
use common::profile::SimProfile;
use common::simulator::{quick_http, seeded};
use paydeck::domain::{LineKind, PageRequest, Payout};

/// Four days: past a daily cut-off and the two days' delay, so some payouts are paid.
const DAYS: u64 = 4 * 86_400;

/// The payouts as the gateway lists them, newest first; and of the newest one with a
/// charge's line, its place in the list, the payout and that line's place and charge.
struct Listed {
    payouts: Vec<Payout>,
    row: usize,
    line: usize,
    charge_id: String,
}

fn listed(sim: &SimProfile) -> Listed {
    let gateway = sim.sim().gateway(quick_http());
    let payouts = sim
        .block_on(gateway.list_payouts(&PageRequest::first(100)))
        .expect("payouts")
        .items;
    for (row, payout) in payouts.iter().enumerate() {
        let lines = sim
            .block_on(gateway.payout_lines(&payout.id, &PageRequest::first(100)))
            .expect("lines")
            .items;
        let charge_line = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.kind == LineKind::Charge)
            .find_map(|(i, l)| Some((i, l.charge_id.clone()?)));
        if let Some((line, charge_id)) = charge_line {
            return Listed {
                payouts,
                row,
                line,
                charge_id,
            };
        }
    }
    panic!("no payout with a charge's line after four days: {payouts:?}");
}

/// The breadcrumb line, its spaces run together: `charges › payouts › payout … esc back`.
fn crumbs(screen: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.trim_start().starts_with("charges ›"))
        .unwrap_or("");
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// On `dialect`'s simulator, with the clock moved on: the newest payout listed as the
/// gateway has it, opened, and the first line with a charge opened and left again.
fn open_a_payout_and_jump_to_a_lines_charge(dialect: Dialect, gateway: &str) {
    let sim = SimProfile::start(dialect, seeded(120, 5), "payouts-sim");
    sim.block_on(sim.sim().advance_clock(DAYS));
    let Listed {
        payouts,
        row,
        line,
        charge_id,
    } = listed(&sim);
    let payout = &payouts[row];
    let settles = sim
        .sim()
        .gateway(quick_http())
        .capabilities()
        .charge_settlement;

    let pty = &mut sim.open();
    pty.wait_for_text(gateway);
    pty.send(":payouts\r");
    // The rows are the gateway's payouts, newest first, amount and reference as it says.
    let screen = pty.wait_for("the payouts list", |s| {
        crumbs(s).starts_with("charges › payouts esc")
            && payouts.iter().take(row + 1).all(|p| s.contains(&p.id))
            && !s.contains("loading")
    });
    let prefix = format!("{}_", payout.id.split('_').next().unwrap_or(""));
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains(prefix.as_str()))
        .collect();
    assert!(rows.len() > row, "{screen}");
    for (shown, listed) in rows.iter().zip(&payouts).take(row + 1) {
        assert!(
            shown.contains(&listed.id),
            "{} in order:\n{screen}",
            listed.id
        );
        let amount = listed.amount.to_string();
        assert!(
            shown.contains(&amount),
            "{} shows {amount}:\n{screen}",
            listed.id
        );
        if let Some(reference) = &listed.bank_reference {
            assert!(shown.contains(reference.as_str()), "{reference}:\n{screen}");
        }
    }

    // Its screen: the fields, the lines, and the net check over them.
    let amount = payout.amount.to_string();
    pty.send(&"j".repeat(row));
    pty.send("\r");
    let on_payout = format!("charges › payouts › payout {} esc back", payout.id);
    let screen = pty.wait_for("the payout with its lines", |s| {
        crumbs(s) == on_payout && s.contains("net check holds")
    });
    assert!(screen.contains(&amount), "{screen}");

    // The first charge's line, its charge opened; then back to the payout.
    pty.send(&"j".repeat(line));
    pty.send("\r");
    let on_charge = format!("› payout {} › charge {charge_id} esc back", payout.id);
    pty.wait_for("the line's charge", |s| {
        crumbs(s).ends_with(&on_charge) && s.contains("status")
    });
    // Where the gateway tells a charge's payout, its detail names this one, and `p`
    // opens it.
    if settles {
        pty.wait_for("the charge's settlement", |s| {
            s.contains("settlement") && s.contains(&format!("payout      {}", payout.id))
        });
        pty.send("p");
        let again = format!("› charge {charge_id} › payout {} esc back", payout.id);
        pty.wait_for("its payout opened from the charge", |s| {
            crumbs(s).ends_with(&again) && s.contains("net check holds")
        });
        // One key at a time: Esc and the next key together read as alt-key.
        pty.send("\x1b");
        pty.wait_for("the charge again", |s| crumbs(s).ends_with(&on_charge));
    }
    pty.send("\x1b");
    pty.wait_for("back on the payout", |s| {
        crumbs(s) == on_payout && s.contains("net check holds")
    });
    pty.quit();
}

#[test]
fn a_trx_payout_opens_and_a_line_jumps_to_its_charge() {
    open_a_payout_and_jump_to_a_lines_charge(Dialect::Trx, "Transactions gateway");
}

#[test]
fn a_stripe_payout_opens_and_a_line_jumps_to_its_charge() {
    open_a_payout_and_jump_to_a_lines_charge(Dialect::Stripe, "Stripe");
}
