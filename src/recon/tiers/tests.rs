//! Each tier and each exception on hand-built inputs, with the near misses that must
//! not match. 2026-11-27 is a Friday; the default window runs from Thursday 26 to
//! Friday 4 December for a payout arriving on it. Amounts are written as
//! dollars_cents.
#![allow(clippy::inconsistent_digit_grouping)]

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::domain::{BalanceLine, LineAmounts, LineKind, Payout, PayoutStatus, RawJson};
use crate::money::{Currency, Money};
use crate::recon::matching::{
    ExceptionKind, MatchConfig, MatchInput, MatchOutcome, PayoutWithLines, ProposalKind, Tier,
    UnpaidCharge,
};
use crate::recon::{FeeBand, StatementLine, auto_match};

const AUD: Currency = Currency::AUD;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn aud(minor: i64) -> Money {
    Money::from_minor(minor, AUD)
}

fn line(booked: &str, minor: i64, text: &str, reference: &str) -> StatementLine {
    StatementLine {
        at_line: 1,
        booked: day(booked),
        value_date: None,
        amount: aud(minor),
        text: text.to_string(),
        reference: reference.to_string(),
        other_refs: Vec::new(),
        bank_id: None,
        details: Vec::new(),
    }
}

fn payout(id: &str, minor: i64, arrival: &str, reference: &str) -> PayoutWithLines {
    PayoutWithLines {
        payout: Payout {
            id: id.to_string(),
            status: PayoutStatus::Paid,
            amount: aud(minor),
            created: day(arrival).and_hms_opt(0, 0, 0).unwrap().and_utc() - TimeDelta::days(2),
            arrival: Some(day(arrival)),
            bank_reference: Some(reference.to_string()).filter(|r| !r.is_empty()),
            statement_descriptor: None,
            bank_account: None,
            automatic: Some(true),
            line_count: None,
            raw: RawJson::default(),
        },
        lines: Vec::new(),
    }
}

fn balance_line(kind: LineKind, charge: &str, gross: i64, fee: i64) -> BalanceLine {
    BalanceLine {
        kind,
        source_id: None,
        charge_id: Some(charge.to_string()),
        amounts: LineAmounts {
            gross: aud(gross),
            fee: aud(fee),
            fee_tax: aud(0),
            net: aud(gross - fee),
        },
        occurred: DateTime::<Utc>::UNIX_EPOCH,
        raw: RawJson::default(),
    }
}

/// Auto-match with the default config, as of `as_of`, from the start of November.
fn run_as_of(lines: &[StatementLine], payouts: &[PayoutWithLines], as_of: &str) -> MatchOutcome {
    let input = MatchInput {
        lines,
        payouts,
        unpaid: &[],
        from: day("2026-11-01"),
        as_of: day(as_of),
    };
    auto_match(&input, &MatchConfig::default())
}

/// One statement line against `payouts`, as of the end of December.
fn run_line(line: StatementLine, payouts: &[PayoutWithLines]) -> MatchOutcome {
    run(&[line], payouts)
}

/// As of the end of December: every window has closed.
fn run(lines: &[StatementLine], payouts: &[PayoutWithLines]) -> MatchOutcome {
    run_as_of(lines, payouts, "2026-12-31")
}

fn kinds(outcome: &MatchOutcome) -> Vec<ExceptionKind> {
    outcome.exceptions.iter().map(|e| e.kind).collect()
}

#[test]
fn tier_one_matches_the_reference_for_the_same_amount_only() {
    let payouts = [payout("tfer_1", 120_00, "2026-11-27", "PIN TFER ABCDEFGH")];
    let outcome = run_line(
        line("2026-11-27", 120_00, "PIN PAYMENTS", "pin tfer abcdefgh"),
        &payouts,
    );
    assert_eq!(outcome.matches.len(), 1);
    let m = &outcome.matches[0];
    assert_eq!(
        (m.deposit, m.payout.as_str(), m.tier),
        (0, "tfer_1", Tier::Reference)
    );
    assert!(m.why.contains("\"PIN TFER ABCDEFGH\""), "{}", m.why);
    assert!(outcome.exceptions.is_empty(), "{:?}", outcome.exceptions);

    // A cent more: the reference alone matches nothing.
    let outcome = run_line(
        line("2026-11-27", 120_01, "PIN PAYMENTS", "PIN TFER ABCDEFGH"),
        &payouts,
    );
    assert!(outcome.matches.is_empty() && outcome.proposals.is_empty());
    assert_eq!(
        kinds(&outcome),
        [
            ExceptionKind::DepositWithoutPayout,
            ExceptionKind::PayoutWithoutDeposit
        ]
    );
    // Booked a sixth business day after the arrival date: outside the window.
    let outcome = run_line(
        line("2026-12-07", 120_00, "PIN PAYMENTS", "PIN TFER ABCDEFGH"),
        &payouts,
    );
    assert!(outcome.matches.is_empty());
}

#[test]
fn tier_one_reads_a_reference_cut_short_only_when_one_payout_starts_so() {
    let one = [payout("tfer_1", 120_00, "2026-11-27", "PIN TFER ABCDEFGH")];
    let outcome = run_line(
        line("2026-11-27", 120_00, "PIN PAYMENTS", "PIN TFER AB"),
        &one,
    );
    assert_eq!(outcome.matches[0].tier, Tier::Reference);
    assert!(outcome.matches[0].why.contains("cut short"));
    assert_eq!(kinds(&outcome), [ExceptionKind::ReferenceTruncated]);

    // Two open payouts of that amount start the same way: neither tier 1 nor 2.
    let two = [
        payout("tfer_1", 120_00, "2026-11-27", "PIN TFER ABCDEFGH"),
        payout("tfer_2", 120_00, "2026-11-27", "PIN TFER ABXYZXYZ"),
    ];
    let outcome = run_line(
        line("2026-11-27", 120_00, "PIN PAYMENTS", "PIN TFER AB"),
        &two,
    );
    assert!(outcome.matches.is_empty());

    // Another open payout, of another amount, starts the same way: the cut reference
    // names neither, and the amount matches it instead.
    let other_amount = [
        payout("tfer_1", 120_00, "2026-11-27", "PIN TFER ABCDEFGH"),
        payout("tfer_2", 95_00, "2026-11-27", "PIN TFER ABXYZXYZ"),
    ];
    let outcome = run_line(
        line("2026-11-27", 120_00, "PIN PAYMENTS", "PIN TFER AB"),
        &other_amount,
    );
    assert_eq!(outcome.matches[0].tier, Tier::Amount);

    // Five characters are too few to name a payout: the amount matches it instead.
    let outcome = run_line(line("2026-11-27", 120_00, "PIN PAYMENTS", "PIN T"), &one);
    assert_eq!(outcome.matches[0].tier, Tier::Amount);
}

#[test]
fn tier_two_matches_the_only_payout_of_the_amount_in_the_window() {
    let payouts = [
        payout("po_1", 250_00, "2026-11-27", "1111222233334444"),
        payout("po_2", 99_00, "2026-11-27", "5555666677778888"),
    ];
    // A day before the arrival date is in the window; the reference is the bank's own.
    let outcome = run_line(line("2026-11-26", 250_00, "STRIPE", "XYZ 1"), &payouts);
    let m = &outcome.matches[0];
    assert_eq!((m.payout.as_str(), m.tier), ("po_1", Tier::Amount));
    assert!(kinds(&outcome).contains(&ExceptionKind::ReferenceChanged));

    // Two business days before (Wednesday): outside.
    let outcome = run_line(line("2026-11-25", 250_00, "STRIPE", "XYZ 1"), &payouts);
    assert!(outcome.matches.is_empty());

    // Two payouts of that amount in the window: no match.
    let twins = [
        payout("po_1", 250_00, "2026-11-27", "1111222233334444"),
        payout("po_3", 250_00, "2026-11-30", "9999000011112222"),
    ];
    let outcome = run_line(line("2026-11-30", 250_00, "STRIPE", ""), &twins);
    assert!(outcome.matches.is_empty());

    // Two deposits of that amount for one payout: no match either.
    let outcome = run(
        &[
            line("2026-11-27", 250_00, "STRIPE", ""),
            line("2026-11-30", 250_00, "J CITIZEN", ""),
        ],
        &payouts[..1],
    );
    assert!(outcome.matches.is_empty());
}

#[test]
fn a_deposit_of_several_payouts_is_proposed_once_and_only_when_one_set_fits() {
    let payouts = [
        payout("tfer_1", 100_00, "2026-11-26", "PIN TFER AAAAAAAA"),
        payout("tfer_2", 230_50, "2026-11-27", "PIN TFER BBBBBBBB"),
        payout("tfer_3", 77_77, "2026-11-27", "PIN TFER CCCCCCCC"),
    ];
    let outcome = run_line(
        line("2026-11-27", 330_50, "PIN PAYMENTS", "PIN TFER AAAAAAAA"),
        &payouts,
    );
    assert!(outcome.matches.is_empty());
    let [p] = &outcome.proposals[..] else {
        panic!("{:?}", outcome.proposals)
    };
    assert_eq!(p.kind, ProposalKind::Merged);
    assert_eq!(p.payouts, ["tfer_1", "tfer_2"]);
    assert_eq!(kinds(&outcome), [ExceptionKind::PayoutWithoutDeposit]);

    // A cent short of any sum: nothing proposed.
    let outcome = run_line(line("2026-11-27", 330_49, "PIN PAYMENTS", ""), &payouts);
    assert!(outcome.proposals.is_empty());

    // Two sets make it (100.00 + 230.50 and 253.00 + 77.50): neither is proposed.
    let mut ambiguous = payouts.to_vec();
    ambiguous[2] = payout("tfer_3", 77_50, "2026-11-27", "");
    ambiguous.push(payout("tfer_4", 253_00, "2026-11-27", ""));
    let outcome = run_line(line("2026-11-27", 330_50, "PIN PAYMENTS", ""), &ambiguous);
    assert!(outcome.proposals.is_empty());
}

#[test]
fn a_payout_less_a_bank_fee_is_proposed_when_the_bank_names_it() {
    let payouts = [payout("tfer_1", 500_00, "2026-11-27", "PIN TFER AAAAAAAA")];
    let outcome = run_line(
        line("2026-11-27", 495_00, "PIN PAYMENTS", "PIN TFER AAAAAAAA"),
        &payouts,
    );
    let [p] = &outcome.proposals[..] else {
        panic!("{:?}", outcome.proposals)
    };
    assert_eq!(p.kind, ProposalKind::LessFee { fee: aud(5_00) });
    assert!(outcome.exceptions.is_empty(), "{:?}", outcome.exceptions);

    // No reference to it: an amount near a payout's is not evidence.
    let outcome = run_line(line("2026-11-27", 495_00, "J CITIZEN", "INV 1"), &payouts);
    assert!(outcome.proposals.is_empty());
    // A fee above the bound (25.00): not proposed.
    let outcome = run_line(
        line("2026-11-27", 474_99, "PIN PAYMENTS", "PIN TFER AAAAAAAA"),
        &payouts,
    );
    assert!(outcome.proposals.is_empty());
}

#[test]
fn a_bank_fee_line_is_proposed_for_the_deposit_of_its_day() {
    let payouts = [payout("tfer_1", 500_00, "2026-11-27", "PIN TFER AAAAAAAA")];
    let deposit = line("2026-11-27", 500_00, "PIN PAYMENTS", "PIN TFER AAAAAAAA");
    let outcome = run(
        &[
            deposit.clone(),
            line("2026-11-27", -2_50, "BANK FEE INWARD PAYMENT", ""),
        ],
        &payouts,
    );
    let [p] = &outcome.proposals[..] else {
        panic!("{:?}", outcome.proposals)
    };
    assert_eq!(
        (&p.kind, p.deposit, p.line()),
        (&ProposalKind::BankFeeLine { fee_line: 1 }, 0, 1)
    );
    assert_eq!(p.payouts, ["tfer_1"]);

    // The same debit from a shop, a fee on another day, or a fee above the bound:
    // lines no payout explains.
    for other in [
        line("2026-11-27", -2_50, "OFFICEWORKS 0412", "CARD 4417"),
        line("2026-11-30", -2_50, "BANK FEE INWARD PAYMENT", ""),
        line("2026-11-27", -25_01, "BANK FEE INWARD PAYMENT", ""),
    ] {
        let outcome = run(&[deposit.clone(), other], &payouts);
        assert!(outcome.proposals.is_empty(), "{:?}", outcome.proposals);
        assert_eq!(kinds(&outcome), [ExceptionKind::DepositWithoutPayout]);
    }
}

#[test]
fn late_deposits_and_missing_payouts_are_exceptions_once_they_can_be_known() {
    let payouts = [
        payout("tfer_1", 500_00, "2026-11-27", "PIN TFER AAAAAAAA"),
        payout("tfer_2", 80_00, "2026-11-30", "PIN TFER BBBBBBBB"),
    ];
    let lines = [line(
        "2026-11-29",
        500_00,
        "PIN PAYMENTS",
        "PIN TFER AAAAAAAA",
    )];
    // On 7 December tfer_2's window (to Monday 7 December) is still open.
    let outcome = run_as_of(&lines, &payouts, "2026-12-07");
    assert_eq!(kinds(&outcome), [ExceptionKind::LateDeposit]);
    assert!(outcome.exceptions[0].why.contains("2 days after"));
    assert_eq!(outcome.awaiting, ["tfer_2"]);
    let outcome = run_as_of(&lines, &payouts, "2026-12-08");
    assert_eq!(
        kinds(&outcome),
        [
            ExceptionKind::PayoutWithoutDeposit,
            ExceptionKind::LateDeposit
        ]
    );
    assert_eq!(outcome.exceptions[0].payouts, ["tfer_2"]);
    assert!(outcome.awaiting.is_empty());
    // A payout paid long before the statement starts is not looked for on it.
    let old = [payout("tfer_0", 10_00, "2026-10-01", "PIN TFER OOOOOOOO")];
    assert!(run(&[], &old).exceptions.is_empty());
}

#[test]
fn the_payouts_own_lines_raise_the_gateway_side_exceptions() {
    let mut with = payout("tfer_1", 0, "2026-11-27", "PIN TFER AAAAAAAA");
    with.lines = vec![
        balance_line(LineKind::Charge, "ch_1", 100_00, 2_05),
        balance_line(LineKind::Refund, "ch_1", -60_00, 0),
        balance_line(LineKind::Refund, "ch_1", -50_00, 0),
        // 1.00 on 100.00 is below Pin's 1.75 % + 0.30.
        balance_line(LineKind::Charge, "ch_2", 100_00, 1_00),
        balance_line(LineKind::Dispute, "ch_3", -40_00, 0),
    ];
    // The lines net 97.95 + 99.00 − 110.00 − 40.00 = 46.95; the payout says 46.96.
    with.payout.amount = aud(46_96);
    let unpaid = [
        UnpaidCharge {
            id: "ch_old".into(),
            amount: aud(10_00),
            captured: day("2026-11-20").and_hms_opt(9, 0, 0).unwrap().and_utc(),
        },
        UnpaidCharge {
            id: "ch_new".into(),
            amount: aud(10_00),
            captured: day("2026-11-29").and_hms_opt(9, 0, 0).unwrap().and_utc(),
        },
    ];
    let payouts = [with];
    let input = MatchInput {
        lines: &[],
        payouts: &payouts,
        unpaid: &unpaid,
        from: day("2026-11-01"),
        as_of: day("2026-11-30"),
    };
    let config = MatchConfig {
        fee_band: FeeBand::of("pin"),
        ..MatchConfig::default()
    };
    let outcome = auto_match(&input, &config);
    let found: Vec<(ExceptionKind, Vec<String>)> = outcome
        .exceptions
        .iter()
        .map(|e| (e.kind, e.charges.clone()))
        .collect();
    let charges = |c: &str| vec![c.to_string()];
    assert_eq!(
        found,
        [
            (ExceptionKind::LinesDoNotAddUp, vec![]),
            (ExceptionKind::ChargeNotPaidOut, charges("ch_old")),
            (ExceptionKind::FeeOutlier, charges("ch_2")),
            (ExceptionKind::DisputeDebit, charges("ch_3")),
            (ExceptionKind::RefundOverCapture, charges("ch_1")),
        ]
    );
    assert!(
        outcome.exceptions[0].why.contains("46.95"),
        "{}",
        outcome.exceptions[0].why
    );
    assert_eq!(outcome.exceptions[4].amount, aud(-110_00));
    // A statement with no line in its currency does not speak for the payout.
    assert!(outcome.awaiting.is_empty());

    // Lines that add up, fees in the band, refunds within the capture: nothing.
    let mut clean = payouts[0].clone();
    clean.lines.truncate(2);
    clean.payout.amount = aud(37_95);
    let input = MatchInput {
        payouts: std::slice::from_ref(&clean),
        unpaid: &[],
        ..input
    };
    assert!(auto_match(&input, &config).exceptions.is_empty());
}

#[test]
fn the_answer_is_the_same_whatever_order_the_payouts_come_in() {
    let payouts = [
        payout("tfer_1", 100_00, "2026-11-26", "PIN TFER AAAAAAAA"),
        payout("tfer_2", 230_50, "2026-11-27", "PIN TFER BBBBBBBB"),
        payout("tfer_3", 77_77, "2026-11-27", "PIN TFER CCCCCCCC"),
        payout("tfer_4", 12_00, "2026-11-30", "PIN TFER DDDDDDDD"),
    ];
    let lines = [
        line("2026-11-27", 330_50, "PIN PAYMENTS", ""),
        line("2026-11-27", -5_00, "BANK FEE", ""),
        line("2026-11-28", 77_77, "PIN PAYMENTS", "PIN TFER CC"),
        line("2026-11-28", 40_00, "J CITIZEN", "INV 4821"),
    ];
    let forward = run(&lines, &payouts);
    let mut reversed = payouts.to_vec();
    reversed.reverse();
    assert_eq!(run(&lines, &reversed), forward);
    assert_eq!(forward.matches.len(), 1);
    assert_eq!(forward.proposals.len(), 2);
}
