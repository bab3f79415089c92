//! `:stats` in a whole session, one per gateway: the dashboard synced from a seeded
//! simulator, zoomed out to a month that holds charges, and its table of exact figures
//! read against the simulator's own charges, listed through the adapter and added up
//! here. One gateway answers with faults, one session runs `--read-only`: the figures
//! come from the local store, so neither changes them.

mod common;

use chrono::{Duration, Utc};
use common::Dialect;
use common::profile::SimProfile;
use common::simulator::{quick_http, seeded};
use paydeck::domain::{Charge, ChargeFilter, ChargeStatus, PageRequest};
use paydeck::money::{Currency, Money};
use paydeck::sim::{FaultSpec, SimConfig};
use paydeck::stats::{Period, Zoom};
use paydeck::timezone::Zone;

/// Every charge the simulator has, newest first, read page by page.
fn all_charges(sim: &SimProfile) -> Vec<Charge> {
    let gateway = sim.sim().gateway(quick_http());
    let mut out = Vec::new();
    let mut request = PageRequest::first(100);
    loop {
        let page = sim
            .block_on(gateway.list_charges(&request, &ChargeFilter::default()))
            .expect("the simulator's charges");
        out.extend(page.items);
        match page.next {
            Some(cursor) => request = PageRequest::at(cursor, 100),
            None => return out,
        }
    }
}

/// One currency's line of the table, as it must read: the cells after the code.
struct Expected {
    currency: Currency,
    charges: usize,
    approved: usize,
    declined: usize,
    volume: Money,
    captured: Money,
    refunded: Money,
}

fn expected(charges: &[Charge], period: &Period) -> Vec<Expected> {
    let mut by: Vec<Expected> = Vec::new();
    for c in charges.iter().filter(|c| period.holds(c.created)) {
        let currency = c.currency();
        let at = match by.iter().position(|e| e.currency == currency) {
            Some(at) => at,
            None => {
                by.push(Expected {
                    currency,
                    charges: 0,
                    approved: 0,
                    declined: 0,
                    volume: Money::zero(currency),
                    captured: Money::zero(currency),
                    refunded: Money::zero(currency),
                });
                by.len() - 1
            }
        };
        let e = &mut by[at];
        e.charges += 1;
        match c.status {
            ChargeStatus::Declined => e.declined += 1,
            ChargeStatus::Pending3ds => {}
            _ => {
                e.approved += 1;
                e.volume = e.volume.checked_add(c.amount).unwrap();
            }
        }
        e.captured = e.captured.checked_add(c.captured).unwrap();
        e.refunded = e.refunded.checked_add(c.refunded).unwrap();
    }
    by
}

/// Whether `line` is the table's period line for `e`: `AUD  43  71.7 %  34  9  79.1 %
/// A$2,926.23  A$1,140.69  A$396.00 …`.
fn reads(line: &str, e: &Expected) -> bool {
    let cells: Vec<&str> = line.split_whitespace().collect();
    cells.len() > 10
        && cells[0] == e.currency.code()
        && cells[1] == e.charges.to_string()
        && cells[4] == e.approved.to_string()
        && cells[5] == e.declined.to_string()
        && cells[8] == e.volume.to_string()
        && cells[9] == e.captured.to_string()
        && cells[10] == e.refunded.to_string()
}

/// The month holding now, and the one holding 15 days ago (the seeded charges fill the
/// 30 days before the simulator starts): this month or the one before.
fn busy_month() -> (Period, Period) {
    let now = Utc::now();
    let this = Period::containing(Zoom::Month, now, Zone::Local);
    let busy = Period::containing(Zoom::Month, now - Duration::days(15), Zone::Local);
    (this, busy)
}

fn stats_match_the_simulator(dialect: Dialect, config: SimConfig, extra: &[&str]) {
    let sim = SimProfile::start(dialect, config, "stats-sim");
    let (this_month, period) = busy_month();
    let charges = all_charges(&sim);
    let want = expected(&charges, &period);
    assert!(!want.is_empty(), "no seeded charges in {period:?}");

    let mut pty = sim.open_with(extra);
    pty.send(":stats\r");
    pty.wait_for_text("by hour");
    // Day, week, month; then two months back; then the figures.
    pty.send("-");
    pty.wait_for_text("by day");
    pty.send("-");
    pty.wait_for_text(&this_month.label(Zone::Local));
    if period != this_month {
        pty.send("[");
    }
    pty.send("t");
    let label = period.label(Zone::Local);
    // The figures are the store's: right once the sync has brought every charge (its
    // end reads them again).
    let screen = pty.wait_for(
        &format!("{label}'s figures as the simulator has them"),
        |s| s.contains(&label) && want.iter().all(|e| s.lines().any(|l| reads(l, e))),
    );
    let all: usize = want.iter().map(|e| e.charges).sum();
    assert!(
        screen.contains(&format!("all currencies: {all} charges")),
        "{screen}"
    );
    pty.quit();
}

#[test]
fn stripe_stats_read_as_the_simulator_has_them() {
    stats_match_the_simulator(Dialect::Stripe, seeded(200, 10), &[]);
}

#[test]
fn openpay_stats_read_the_same_in_read_only() {
    stats_match_the_simulator(Dialect::Openpay, seeded(200, 10), &["--read-only"]);
}

#[test]
fn pin_stats_read_the_same_while_the_gateway_fails_a_tenth_of_its_answers() {
    let config = SimConfig {
        faults: FaultSpec {
            error_rate: 100_000,
            ..FaultSpec::default()
        },
        ..seeded(200, 10)
    };
    stats_match_the_simulator(Dialect::Pin, config, &[]);
}

#[test]
fn trx_stats_read_as_the_simulator_has_them() {
    stats_match_the_simulator(Dialect::Trx, seeded(200, 10), &[]);
}
