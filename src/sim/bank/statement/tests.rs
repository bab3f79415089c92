use chrono::{Days, NaiveDate};

use super::*;

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() + Days::new(n)
}

/// Thirty AUD payouts, one a day, of 100.00 + n cents (one a debit).
fn payouts() -> Vec<Paid> {
    (0..30)
        .map(|n| Paid {
            id: format!("po_{n:02}"),
            reference: format!("GW REF {n:02}"),
            currency: Currency::AUD,
            net: if n == 7 { -4_321 } else { 10_000 + n },
            pay_date: day(n as u64),
        })
        .collect()
}

fn noise(spec: &str) -> BankNoise {
    spec.parse().unwrap()
}

fn of_kind(s: &Statement, kind: AnomalyKind) -> Vec<&Anomaly> {
    s.anomalies.iter().filter(|a| a.kind == kind).collect()
}

#[test]
fn without_noise_every_payout_is_one_deposit_as_paid() {
    let s = statement(1, "trx", &BankNoise::NONE, &payouts(), day(40));
    assert!(s.anomalies.is_empty());
    assert_eq!(s.lines.len(), 30);
    for (line, p) in s.lines.iter().zip(payouts()) {
        assert_eq!(line.kind, LineKind::Deposit);
        assert_eq!((line.amount, line.booked), (p.net, p.pay_date));
        assert_eq!(line.reference, p.reference);
        assert_eq!(line.payouts, [p.id]);
        assert_eq!(line.id, format!("{}-AUD-0001", p.pay_date.format("%Y%m%d")));
    }
}

#[test]
fn only_what_is_booked_by_today_shows_and_it_never_changes() {
    let noisy = noise(DEMO_NOISE_FOR_TEST);
    let early = statement(9, "pin", &noisy, &payouts()[..12], day(10));
    let later = statement(9, "pin", &noisy, &payouts(), day(40));
    assert!(early.lines.iter().all(|l| l.booked <= day(10)));
    assert_eq!(early.lines[..], later.lines[..early.lines.len()]);
    assert_eq!(
        early.anomalies[..],
        later.anomalies[..early.anomalies.len()]
    );
}

const DEMO_NOISE_FOR_TEST: &str = "merge=0.2,fee=0.3,late=0.3,ref=0.3,lost=0.1,unrelated=0.3";

#[test]
fn each_kind_of_noise_is_told_in_the_truth() {
    let all = payouts();
    let lost = statement(1, "trx", &noise("lost=1"), &all, day(40));
    assert!(lost.lines.is_empty());
    assert_eq!(of_kind(&lost, AnomalyKind::Lost).len(), 30);

    let merged = statement(1, "trx", &noise("merge=1"), &all, day(40));
    assert_eq!(merged.lines.len(), 15);
    for (line, pair) in merged.lines.iter().zip(all.chunks(2)) {
        assert_eq!(line.amount, pair[0].net + pair[1].net);
        assert_eq!(
            (line.booked, &line.reference),
            (pair[1].pay_date, &pair[0].reference)
        );
    }
    assert_eq!(of_kind(&merged, AnomalyKind::Merged).len(), 15);

    let fees = statement(1, "trx", &noise("fee=1,unrelated=1"), &all, day(40));
    assert_eq!(fees.lines.len(), 90);
    let fee_lines: Vec<_> = fees
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::BankFee)
        .collect();
    assert_eq!(fee_lines.len(), 30);
    assert!(fee_lines.iter().all(|l| BANK_FEES.contains(&-l.amount)));
    let told: Vec<_> = of_kind(&fees, AnomalyKind::BankFee)
        .iter()
        .map(|a| a.line.clone())
        .collect();
    assert!(fee_lines.iter().all(|l| told.contains(&Some(l.id.clone()))));
    assert_eq!(of_kind(&fees, AnomalyKind::Unrelated).len(), 30);

    let late = statement(1, "trx", &noise("late=1,ref=1"), &all, day(40));
    for (line, p) in late.lines.iter().zip(&all) {
        let days = (line.booked - p.pay_date).num_days();
        assert!((1..=2).contains(&days), "{line:?}");
        assert_ne!(line.reference, p.reference);
    }
    let spoiled = of_kind(&late, AnomalyKind::ReferenceTruncated).len()
        + of_kind(&late, AnomalyKind::ReferenceChanged).len();
    assert_eq!(spoiled, 30);
}

#[test]
fn the_same_seed_spoils_the_same_payouts() {
    let noisy = noise(DEMO_NOISE_FOR_TEST);
    let a = statement(5, "stripe", &noisy, &payouts(), day(40));
    assert_eq!(
        a.lines,
        statement(5, "stripe", &noisy, &payouts(), day(40)).lines
    );
    assert_ne!(
        a.lines,
        statement(6, "stripe", &noisy, &payouts(), day(40)).lines
    );
    assert_ne!(
        a.lines,
        statement(5, "pin", &noisy, &payouts(), day(40)).lines
    );
}

#[test]
fn a_spoiled_reference_is_never_the_reference() {
    assert_eq!(spoil("TRX STL 01ABCD23", true), "TRX STL 01");
    assert_eq!(spoil("TRX STL 01ABCD23", false), "TRXSTL01ABCD32");
    assert_eq!(spoil("AA", false), "AX");
    // A changed reference never holds the whole of the payout's: the matcher would
    // read it as the payout's own (Stripe's trace id ending in a doubled digit).
    assert_eq!(spoil("9610084609488055", false), "961008460948805X");
    assert_eq!(spoil("12XX", false), "12XY");
    assert_eq!(spoil("A", true), "");
}

/// Every kind at one in a million: the draws spoil none of thirty payouts.
const RARE: &str =
    "merge=0.000001,fee=0.000001,late=0.000001,ref=0.000001,lost=0.000001,unrelated=0.000001";

#[test]
fn every_kind_puts_each_kind_the_draws_left_out_on_one_settled_payout() {
    let rare = noise(RARE);
    assert!(
        statement(3, "pin", &rare, &payouts(), day(40))
            .anomalies
            .is_empty()
    );
    let demo = BankNoise {
        every_kind: true,
        ..rare
    };
    let s = statement(3, "pin", &demo, &payouts(), day(40));
    let mut kinds: Vec<&str> = s.anomalies.iter().map(|a| a.kind.name()).collect();
    kinds.sort_unstable();
    let reference = if kinds.contains(&"reference_changed") {
        "reference_changed"
    } else {
        "reference_truncated"
    };
    let mut want = vec!["bank_fee", "late", "lost", "merged", reference, "unrelated"];
    want.sort_unstable();
    assert_eq!(kinds, want);
    let paid: HashMap<String, NaiveDate> =
        payouts().into_iter().map(|p| (p.id, p.pay_date)).collect();
    for a in &s.anomalies {
        for p in &a.payouts {
            assert!(paid[p] <= day(30), "{a:?} is not settled by day 30");
        }
    }
    // The same again: forcing is as deterministic as the draws.
    assert_eq!(
        statement(3, "pin", &demo, &payouts(), day(40)).lines,
        s.lines
    );
}

#[test]
fn every_kind_forces_only_kinds_with_a_rate_and_only_when_missing() {
    let only_fee = BankNoise {
        every_kind: true,
        ..noise("fee=0.000001")
    };
    let s = statement(3, "pin", &only_fee, &payouts(), day(40));
    let kinds: Vec<&str> = s.anomalies.iter().map(|a| a.kind.name()).collect();
    assert_eq!(kinds, ["bank_fee"]);
    let heavy = noise(DEMO_NOISE_FOR_TEST);
    let drawn = statement(9, "pin", &heavy, &payouts(), day(40));
    let demo = BankNoise {
        every_kind: true,
        ..heavy
    };
    assert_eq!(
        statement(9, "pin", &demo, &payouts(), day(40)).lines,
        drawn.lines
    );
}
