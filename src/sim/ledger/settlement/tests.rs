//! Payouts made from movements: by hand for the rules a reader checks at a
//! glance, and a property over random seeds, movements and schedules.

use chrono::{DateTime, TimeDelta, Utc, Weekday};
use proptest::prelude::*;

use super::fees::{OPENPAY_FEES, PIN_FEES, STRIPE_FEES, TRX_FEES};
use super::*;
use crate::money::Currency;
use crate::sim::rng::Rng;

/// A Monday, 00:00 UTC.
fn monday() -> DateTime<Utc> {
    "2026-11-30T00:00:00Z".parse().unwrap()
}

fn line(kind: MovementKind, gross: i64, fee: i64, at: DateTime<Utc>) -> Movement {
    Movement::new(
        kind,
        "src",
        Currency::AUD,
        gross,
        Fee { fee, fee_tax: 0 },
        at,
    )
    .unwrap()
}

#[test]
fn each_day_makes_one_payout_per_currency_and_skips_empty_days() {
    let t0 = monday();
    let jpy = Currency::JPY;
    let movements = vec![
        line(MovementKind::Charge, 10_000, 270, t0 + TimeDelta::hours(1)),
        Movement::new(
            MovementKind::Charge,
            "c2",
            jpy,
            1_000,
            Fee {
                fee: 54,
                fee_tax: 0,
            },
            t0 + TimeDelta::hours(2),
        )
        .unwrap(),
        line(MovementKind::Refund, -2_000, 0, t0 + TimeDelta::hours(3)),
        // Nothing on the second day; a dispute debit on the third.
        line(
            MovementKind::Dispute,
            -5_000,
            1_500,
            t0 + TimeDelta::days(2) + TimeDelta::hours(5),
        ),
    ];
    let schedule = Schedule::default();
    let payouts = make_payouts(&movements, &schedule, t0, t0 + TimeDelta::days(4)).unwrap();
    let summary: Vec<_> = payouts
        .iter()
        .map(|p| {
            (
                p.cutoff - t0,
                p.currency,
                p.lines.clone(),
                p.gross,
                p.fee,
                p.net,
            )
        })
        .collect();
    let day = TimeDelta::days;
    assert_eq!(
        summary,
        vec![
            (day(1), Currency::AUD, vec![0, 2], 8_000, 270, 7_730),
            (day(1), jpy, vec![1], 1_000, 54, 946),
            // The negative batch is made: it is debited on its pay date.
            (day(3), Currency::AUD, vec![3], -5_000, 1_500, -6_500),
        ]
    );
    assert_eq!(payouts[0].pay_date, t0 + day(3));
}

#[test]
fn older_movements_go_into_the_first_cutoff_and_later_ones_wait() {
    let t0 = monday();
    let movements = vec![
        line(MovementKind::Charge, 100, 32, t0 - TimeDelta::days(9)),
        line(MovementKind::Charge, 100, 32, t0 + TimeDelta::days(1)),
        line(
            MovementKind::Charge,
            100,
            32,
            t0 + TimeDelta::days(1) + TimeDelta::seconds(1),
        ),
    ];
    let payouts = make_payouts(
        &movements,
        &Schedule::default(),
        t0,
        t0 + TimeDelta::days(1),
    )
    .unwrap();
    assert_eq!(payouts.len(), 1);
    // A movement available exactly at the cut-off is in it.
    assert_eq!(payouts[0].lines, vec![0, 1]);
}

#[test]
fn weekly_and_manual_schedules() {
    let t0 = monday();
    let movements = vec![line(
        MovementKind::Charge,
        100,
        32,
        t0 + TimeDelta::hours(1),
    )];
    let weekly = Schedule {
        cadence: Cadence::Weekly(Weekday::Wed),
        delay_days: 0,
    };
    let payouts = make_payouts(&movements, &weekly, t0, t0 + TimeDelta::days(14)).unwrap();
    assert_eq!(payouts.len(), 1);
    assert_eq!(payouts[0].cutoff, t0 + TimeDelta::days(2));
    assert_eq!(payouts[0].pay_date, payouts[0].cutoff);
    let manual = Schedule {
        cadence: Cadence::Manual,
        delay_days: 2,
    };
    assert!(
        make_payouts(&movements, &manual, t0, t0 + TimeDelta::days(14))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_window_too_long_is_refused() {
    let t0 = monday();
    let too_far = t0 + TimeDelta::days(MAX_WINDOW_DAYS + 1);
    assert_eq!(
        cutoffs(&Schedule::default(), t0, too_far),
        Err(SettlementError::WindowTooLong)
    );
    assert_eq!(
        cutoffs(&Schedule::default(), t0, t0 + TimeDelta::days(3))
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn totals_that_do_not_fit_are_an_error() {
    let t0 = monday() + TimeDelta::hours(1);
    let movements = vec![
        line(MovementKind::Adjustment, i64::MAX, 0, t0),
        line(MovementKind::Adjustment, 1, 0, t0),
    ];
    let payouts = make_payouts(
        &movements,
        &Schedule::default(),
        monday(),
        monday() + TimeDelta::days(1),
    );
    assert_eq!(payouts, Err(SettlementError::Overflow));
}

const KINDS: [MovementKind; 6] = [
    MovementKind::Charge,
    MovementKind::Refund,
    MovementKind::Dispute,
    MovementKind::DisputeReversal,
    MovementKind::Fee,
    MovementKind::Adjustment,
];

/// `count` movements over 30 days from `start`, drawn from `seed` the way the
/// ledger will make them: a charge pays a fee, a dispute is a debit plus its fee.
fn random_movements(seed: u64, count: usize, start: DateTime<Utc>) -> Vec<Movement> {
    let mut rng = Rng::new(seed);
    let models = [TRX_FEES, PIN_FEES, STRIPE_FEES, OPENPAY_FEES];
    let mxn = Currency::from_code("MXN").unwrap();
    let currencies = [Currency::AUD, mxn, Currency::JPY, Currency::KWD];
    (0..count)
        .map(|i| {
            let kind = *rng.pick(&KINDS);
            let model = rng.pick(&models);
            let currency = *rng.pick(&currencies);
            let amount = rng.range_i64(1..100_000_000);
            let card = CardClass {
                amex: rng.chance(1, 4),
                international: rng.chance(1, 3),
            };
            let (gross, fee) = match kind {
                MovementKind::Charge => (amount, model.charge_fee(amount, currency, card).unwrap()),
                MovementKind::Dispute => (-amount, model.dispute_fee(currency).unwrap()),
                MovementKind::Refund => (-amount, Fee::default()),
                MovementKind::Fee => (0, model.charge_fee(amount, currency, card).unwrap()),
                MovementKind::DisputeReversal => (amount, Fee::default()),
                MovementKind::Adjustment => (rng.range_i64(-amount..amount), Fee::default()),
            };
            let at = start + TimeDelta::seconds(rng.range_i64(-86_400..30 * 86_400));
            Movement::new(kind, format!("mv_{i}"), currency, gross, fee, at).unwrap()
        })
        .collect()
}

fn schedule_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("daily".to_string()),
        (0u8..=14).prop_map(|d| format!("daily:{d}")),
        prop::sample::select(vec!["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
            .prop_map(|day| format!("weekly:{day}")),
        (prop::sample::select(vec!["mon", "thu", "sun"]), 0u8..=14)
            .prop_map(|(day, d)| format!("weekly:{day}:{d}")),
        Just("manual".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Every movement available by the last cut-off is in exactly one payout, in
    /// the first cut-off at or after it; none later is in any; every line and
    /// every payout satisfies gross − fee − fee_tax = net to the minor unit.
    #[test]
    fn every_movement_is_paid_out_once_and_nets_hold(
        seed in any::<u64>(),
        count in 0usize..80,
        text in schedule_text(),
        start_minutes in 0i64..10_080,
        days in 0i64..40,
    ) {
        let schedule: Schedule = text.parse().unwrap();
        let after = monday() + TimeDelta::minutes(start_minutes);
        let until = after + TimeDelta::days(days) + TimeDelta::minutes(start_minutes % 97);
        let movements = random_movements(seed, count, after);
        let cuts = cutoffs(&schedule, after, until).unwrap();
        let payouts = make_payouts(&movements, &schedule, after, until).unwrap();

        let mut times_paid = vec![0u32; movements.len()];
        for payout in &payouts {
            prop_assert!(!payout.lines.is_empty());
            prop_assert_eq!(payout.gross - payout.fee - payout.fee_tax, payout.net);
            prop_assert_eq!(payout.pay_date - payout.cutoff, TimeDelta::days(i64::from(schedule.delay_days)));
            let previous_cut = cuts.iter().rev().find(|c| **c < payout.cutoff);
            let sum = |part: fn(&Movement) -> i64| payout.lines.iter().map(|&i| part(&movements[i])).sum::<i64>();
            prop_assert_eq!(
                (sum(|m| m.gross), sum(|m| m.fee), sum(|m| m.fee_tax), sum(|m| m.net)),
                (payout.gross, payout.fee, payout.fee_tax, payout.net)
            );
            for &i in &payout.lines {
                let m = &movements[i];
                times_paid[i] += 1;
                prop_assert_eq!(m.currency, payout.currency);
                prop_assert!(m.available_at <= payout.cutoff);
                prop_assert!(previous_cut.is_none_or(|p| m.available_at > *p));
            }
        }
        for (m, paid) in movements.iter().zip(&times_paid) {
            prop_assert_eq!(m.gross - m.fee - m.fee_tax, m.net);
            let due = cuts.last().is_some_and(|last| m.available_at <= *last);
            prop_assert_eq!(*paid, u32::from(due), "{:?}", m);
        }
    }
}
