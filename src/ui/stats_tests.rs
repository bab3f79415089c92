//! `:stats` drawn from a real store: the charts at each size (volume bars, the counts
//! chart, decline codes, currency mix, rates, authorisations by time left, balance, and
//! the sparkline of a small window), and the table of exact figures, checked line by
//! line against figures worked out here from the charges themselves.

use chrono::TimeDelta;

use super::store_view_tests::{started, text};
use super::test_support::{charges, many, now, render};
use super::theme::Theme;
use crate::app::fixtures::{key, settle};
use crate::app::model::Model;
use crate::app::msg::Msg;
use crate::app::update::update;
use crate::domain::{Balance, BalanceAmounts, Charge, ChargeStatus, Failure, RawJson};
use crate::money::{Currency, Money};
use crate::store::Store;

const SIZES: [(u16, u16); 3] = [(160, 48), (80, 24), (40, 10)];

/// The twelve fixture charges of the last four hours, and 48 more through the day
/// (2026-11-24 UTC): some declined with one of three codes, some in US dollars.
pub fn day_of_charges() -> Vec<Charge> {
    let mut all = charges();
    let statuses = [
        ChargeStatus::Captured,
        ChargeStatus::Captured,
        ChargeStatus::Declined,
        ChargeStatus::Captured,
        ChargeStatus::Refunded,
        ChargeStatus::Authorised,
    ];
    let codes = ["card_declined", "insufficient_funds", "expired_card"];
    for (i, mut c) in many(48).into_iter().enumerate() {
        let i64i = i as i64;
        c.id = format!("ch_day{i:03}");
        c.created = now() - TimeDelta::hours(21) + TimeDelta::minutes(25 * i64i);
        c.status = statuses[i % statuses.len()];
        let currency = if i % 4 == 3 {
            Currency::USD
        } else {
            Currency::AUD
        };
        let minor = 1_000 + 137 * i64i;
        let m = |n| Money::from_minor(n, currency);
        c.amount = m(minor);
        c.captured = match c.status {
            ChargeStatus::Captured | ChargeStatus::Refunded => m(minor),
            _ => m(0),
        };
        c.refunded = if c.status == ChargeStatus::Refunded {
            m(minor)
        } else {
            m(0)
        };
        c.released = m(0);
        c.failure = (c.status == ChargeStatus::Declined).then(|| Failure {
            code: codes[(i / 6) % codes.len()].into(),
            message: "declined".into(),
        });
        c.authorisation_expires =
            (c.status == ChargeStatus::Authorised).then(|| now() + TimeDelta::hours(2 + 4 * i64i));
        all.push(c);
    }
    all
}

fn store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.upsert_charges(&day_of_charges(), now()).unwrap();
    store
}

fn balance() -> Msg {
    let aud = |n| Money::from_minor(n, Currency::AUD);
    Msg::BalanceLoaded(Ok(Box::new(Balance {
        amounts: vec![BalanceAmounts::new(aud(1_234_567), Some(aud(98_765))).unwrap()],
        raw: RawJson::default(),
    })))
}

/// Started over `store`, `:stats` opened and answered, then `keys` typed.
fn stats(store: &Store, width: u16, height: u16, keys: &str) -> Model {
    let mut model = started(store, width, height);
    for c in ":stats\n".chars().chain(keys.chars()) {
        let msg = match c {
            '\n' => crate::app::fixtures::code(crossterm::event::KeyCode::Enter),
            c => key(c),
        };
        let effects = update(&mut model, msg);
        for rest in settle(&mut model, store, effects) {
            if rest == crate::app::effect::Effect::LoadBalance {
                update(&mut model, balance());
            }
        }
    }
    model
}

fn snapshot_each_size(name: &str, at: impl Fn(u16, u16) -> Model) {
    for (w, h) in SIZES {
        let terminal = render(&at(w, h), &Theme::dark());
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn the_day_as_charts() {
    let store = store();
    snapshot_each_size("stats_day", |w, h| stats(&store, w, h, ""));
    let wide = text(&stats(&store, 160, 48, ""));
    for expected in [
        "Tue 24 Nov 2026",
        "volume AUD per hour",
        "charges per hour",
        "top decline codes",
        "currency mix",
        "rates",
        "open authorisations by time left",
        "A$12,345.67",
    ] {
        assert!(wide.contains(expected), "{expected:?} missing from\n{wide}");
    }
}

#[test]
fn the_next_currency_and_a_week_of_days() {
    let store = store();
    let usd = text(&stats(&store, 160, 48, "c"));
    assert!(usd.contains("volume USD per hour"), "{usd}");
    snapshot_each_size("stats_week", |w, h| stats(&store, w, h, "-"));
}

#[test]
fn the_figures_behind_the_charts() {
    let store = store();
    snapshot_each_size("stats_table", |w, h| stats(&store, w, h, "t"));
    // Tall enough for every line of the table.
    let table = text(&stats(&store, 160, 120, "t"));
    // Worked out from the charges, not from the store.
    let all = day_of_charges();
    let aud: Vec<&Charge> = all
        .iter()
        .filter(|c| c.currency() == Currency::AUD)
        .collect();
    let approved =
        |c: &&&Charge| !matches!(c.status, ChargeStatus::Declined | ChargeStatus::Pending3ds);
    let volume: i64 = aud
        .iter()
        .filter(approved)
        .map(|c| c.amount.to_minor().unwrap())
        .sum();
    let declined = aud
        .iter()
        .filter(|c| c.status == ChargeStatus::Declined)
        .count();
    let line = table
        .lines()
        .find(|l| l.trim_start().starts_with("AUD") && l.contains('%'))
        .expect("the period's AUD line");
    let cells: Vec<&str> = line.split_whitespace().collect();
    // cur, charges, share ("71.7 %" is two words), approved, declined, …
    assert_eq!(cells[1], aud.len().to_string(), "{line}");
    assert_eq!(cells[5], declined.to_string(), "{line}");
    let want = Money::from_minor(volume, Currency::AUD).to_string();
    assert!(line.contains(&want), "{want} not in {line}");
    assert!(table.contains("insufficient_funds"), "{table}");
}

#[test]
fn a_small_window_keeps_the_headline_figures() {
    let store = store();
    let small = text(&stats(&store, 40, 10, ""));
    assert!(small.contains("charges, approval"), "{small}");
}
