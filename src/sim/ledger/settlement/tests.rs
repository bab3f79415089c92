//! Payouts made from movements: by hand for the rules a reader checks at a
//! glance, and a property over random seeds, movements and schedules.

use chrono::{DateTime, TimeDelta, Utc, Weekday};
use proptest::prelude::*;

use super::fees::{OPENPAY_FEES, PIN_FEES, STRIPE_FEES, TRX_FEES};
use super::*;
use crate::money::Currency;
use crate::sim::ledger::{
    CaptureRule, Card, DisputeStatus, Ledger, NewCharge, NewDispute, Outcome, RefundState, Source,
};
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

/// One thing that moves money in a ledger, or the clock.
#[derive(Debug, Clone)]
enum Step {
    /// A charge on a card of this class, in the currency picked, captured at
    /// once or left authorised.
    Charge {
        amount: i64,
        currency: usize,
        amex: bool,
        international: bool,
        capture: bool,
    },
    /// Capture (part of) an authorised charge.
    Capture {
        pick: usize,
        amount: i64,
    },
    Refund {
        pick: usize,
        amount: Option<i64>,
    },
    /// Open a dispute, then win it, lose it or leave it open.
    Dispute {
        pick: usize,
        end: u8,
    },
    Advance {
        seconds: i64,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (1i64..5_000_000, 0usize..3, any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
            |(amount, currency, amex, international, capture)| Step::Charge {
                amount,
                currency,
                amex,
                international,
                capture,
            }
        ),
        1 => (any::<usize>(), 1i64..5_000_000).prop_map(|(pick, amount)| Step::Capture { pick, amount }),
        2 => (any::<usize>(), prop::option::of(1i64..5_000_000))
            .prop_map(|(pick, amount)| Step::Refund { pick, amount }),
        1 => (any::<usize>(), 0u8..3).prop_map(|(pick, end)| Step::Dispute { pick, end }),
        3 => (0i64..(4 * 86_400)).prop_map(|seconds| Step::Advance { seconds }),
    ]
}

/// A movement as the ledger's own records say it must be: kind, charge,
/// object and gross.
type Expected = (String, String, String, i64);

fn expected(m: &Movement) -> Expected {
    let kind = format!("{:?}", m.kind);
    (kind, m.source.clone(), m.object.clone(), m.gross)
}

/// What the charges, refunds and disputes of `l` must have moved.
fn owed(l: &Ledger) -> Vec<Expected> {
    let mut owed = Vec::new();
    let mut add = |kind: MovementKind, charge: &str, object: &str, gross: i64| {
        owed.push((format!("{kind:?}"), charge.into(), object.into(), gross));
    };
    for c in l.charges().iter().filter(|c| c.is_captured()) {
        add(MovementKind::Charge, &c.token, &c.token, c.captured_amount);
    }
    let settled = l
        .refunds()
        .iter()
        .filter(|r| !r.release && r.state == RefundState::Succeeded);
    for r in settled {
        add(MovementKind::Refund, &r.charge, &r.token, -r.amount);
    }
    for d in l.disputes().iter() {
        add(MovementKind::Dispute, &d.charge, &d.token, -d.amount);
        if d.status == DisputeStatus::Won {
            add(MovementKind::DisputeReversal, &d.charge, &d.token, d.amount);
        }
    }
    owed.sort();
    owed
}

/// Runs `steps` on a ledger with clock pinned from `start`, the way a dialect
/// would (each mutation ticks the clock's rules).
fn run(l: &mut Ledger, start: DateTime<Utc>, steps: Vec<Step>) -> DateTime<Utc> {
    let currencies = ["AUD", "JPY", "KWD"];
    let mut now = start;
    l.pin_clock(Some(now));
    l.tick();
    for s in steps {
        let n = l.charges().len();
        let token = |pick: usize| l.charges().get(pick % n.max(1)).map(|c| c.token.clone());
        match s {
            Step::Charge {
                amount,
                currency,
                amex,
                international,
                capture,
            } => {
                let card = Card {
                    scheme: if amex { "american_express" } else { "visa" }.into(),
                    issuing_country: if international { "NZ" } else { "AU" }.into(),
                    ..Card::default()
                };
                let new = NewCharge {
                    amount,
                    currency: currencies[currency].into(),
                    description: "beans".into(),
                    email: "a@example.com".into(),
                    ip_address: "192.0.2.1".into(),
                    card,
                    customer_token: None,
                    capture,
                    metadata: Vec::new(),
                    outcome: Outcome::Approved,
                    callback_url: None,
                    reference: None,
                };
                l.create_charge(new, Source::Api);
            }
            Step::Capture { pick, amount } => {
                if let Some(t) = token(pick) {
                    let _ = l.capture(&t, Some(amount), CaptureRule::UpTo, Source::Api);
                }
            }
            Step::Refund { pick, amount } => {
                if let Some(t) = token(pick) {
                    let _ = l.refund(&t, amount, Source::Api);
                }
            }
            Step::Dispute { pick, end } => {
                let Some(charge) = token(pick) else { continue };
                let new = NewDispute {
                    charge,
                    reason: "fraudulent".into(),
                    status: DisputeStatus::NeedsResponse,
                    evidence: Vec::new(),
                    submission_count: 0,
                };
                let Ok(dispute) = l.open_dispute(new, Source::Api) else {
                    continue;
                };
                let _ = match end {
                    0 => {
                        let won = vec![("text".to_string(), "winning_evidence".to_string())];
                        l.update_dispute(&dispute, won, None, true, Source::Api)
                    }
                    1 => l.close_dispute(&dispute, Source::Api),
                    _ => Ok(()),
                };
            }
            Step::Advance { seconds } => {
                now += TimeDelta::seconds(seconds);
                l.pin_clock(Some(now));
                l.tick();
            }
        }
    }
    now
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

    /// A ledger driven by random captures, refunds, disputes and clock moves,
    /// on a random gateway's fees and a random schedule: every movement its
    /// records owe is in its books exactly once (paid or still unpaid, none
    /// twice, none lost); every one available by the last cut-off (every
    /// charge captured longer ago than its gateway's settling time before that
    /// cut-off) is in exactly one payout; every line and every payout nets to
    /// the minor unit.
    #[test]
    fn a_ledger_pays_every_movement_once_and_nets_hold(
        seed in any::<u64>(),
        model in 0usize..4,
        text in schedule_text(),
        start_minutes in 0i64..10_080,
        steps in prop::collection::vec(step(), 1..80),
    ) {
        let fees = [TRX_FEES, PIN_FEES, STRIPE_FEES, OPENPAY_FEES][model];
        let schedule: Schedule = text.parse().unwrap();
        let mut l = Ledger::new(seed);
        l.settle_with(fees, schedule);
        let start = monday() + TimeDelta::minutes(start_minutes);
        let now = run(&mut l, start, steps);

        let paid: Vec<&Movement> = l.payouts().flat_map(|p| &p.lines).collect();
        let mut booked: Vec<Expected> = paid.iter().copied().chain(l.unpaid_movements()).map(expected).collect();
        booked.sort();
        prop_assert_eq!(&booked, &owed(&l));

        for made in l.payouts() {
            let p = &made.payout;
            prop_assert!(!made.lines.is_empty());
            prop_assert_eq!(p.gross - p.fee - p.fee_tax, p.net);
            let sum = |part: fn(&Movement) -> i64| made.lines.iter().map(part).sum::<i64>();
            prop_assert_eq!((sum(|m| m.gross), sum(|m| m.fee), sum(|m| m.fee_tax), sum(|m| m.net)), (p.gross, p.fee, p.fee_tax, p.net));
            prop_assert_eq!(p.pay_date, schedule.pay_date(p.cutoff));
            for m in &made.lines {
                prop_assert_eq!(m.gross - m.fee - m.fee_tax, m.net);
                prop_assert_eq!(m.currency, p.currency);
                prop_assert!(m.available_at <= p.cutoff);
            }
        }
        let last_cut = cutoffs(&schedule, start, now).unwrap().last().copied();
        for m in l.unpaid_movements() {
            prop_assert_eq!(m.gross - m.fee - m.fee_tax, m.net);
            prop_assert!(last_cut.is_none_or(|cut| m.available_at > cut), "{:?} unpaid", m);
        }
        for c in l.charges().iter() {
            let due = c.captured_at.zip(last_cut).is_some_and(|(at, cut)| at + fees.capture_settles_after <= cut);
            let payouts = paid.iter().filter(|m| m.kind == MovementKind::Charge && m.object == c.token).count();
            prop_assert_eq!(payouts, usize::from(due), "{}", c.token);
        }
    }
}
