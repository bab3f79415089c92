//! The change log: what each mutation logs, clock rules in time order, the cap
//! and pruning.

use chrono::TimeDelta;

use super::*;

fn new_charge(capture: bool) -> NewCharge {
    super::tests::new_charge(500, capture, Outcome::Approved)
}

fn kinds(l: &Ledger) -> Vec<(ChangeKind, String)> {
    l.changes()
        .iter()
        .map(|c| (c.kind, c.object.clone()))
        .collect()
}

#[test]
fn each_mutation_logs_its_change_on_its_object() {
    let mut l = Ledger::new(3);
    let held = l.create_charge(new_charge(false), Source::Api);
    let paid = l.create_charge(new_charge(true), Source::Api);
    let dropped = l.create_charge(new_charge(false), Source::Api);
    l.capture(&held, None, CaptureRule::FullOnly, Source::Api)
        .unwrap();
    l.void(&dropped, Source::Api).unwrap();
    let refund = l.refund(&paid, Some(100), Source::Api).unwrap();
    let new = NewDispute {
        charge: paid.clone(),
        reason: "fraudulent".into(),
        status: DisputeStatus::NeedsResponse,
        evidence: Vec::new(),
        submission_count: 0,
    };
    let dispute = l.open_dispute(new, Source::Api).unwrap();
    l.close_dispute(&dispute, Source::Api).unwrap();
    use ChangeKind::*;
    let want = [
        (ChargeCreated, &held),
        (ChargeCreated, &paid),
        (ChargeCreated, &dropped),
        (ChargeCaptured, &held),
        (ChargeVoided, &dropped),
        (RefundCreated, &refund),
        (DisputeCreated, &dispute),
        (DisputeClosed, &dispute),
    ];
    let want: Vec<(ChangeKind, String)> = want.iter().map(|(k, o)| (*k, o.to_string())).collect();
    assert_eq!(kinds(&l), want);
    let seqs: Vec<u64> = l.changes().iter().map(|c| c.seq).collect();
    assert_eq!(seqs, (1..=8).collect::<Vec<_>>());
}

#[test]
fn a_tick_logs_its_rules_in_the_order_they_fell_due() {
    let mut l = Ledger::new(4);
    let paid = l.create_charge(new_charge(true), Source::Api);
    let first = l.create_charge(new_charge(false), Source::Api);
    l.advance(TimeDelta::hours(1));
    let second = l.create_charge(new_charge(false), Source::Api);
    // Settles a minute before `first` expires: due first, applied after it.
    l.advance(AUTHORISATION_WINDOW - TimeDelta::hours(1) - TimeDelta::seconds(120));
    let refund = l.refund(&paid, None, Source::Api).unwrap();
    let created = |t: &str| l.charge(t).unwrap().created_at;
    let (first_at, second_at) = (created(&first), created(&second));
    let before = l.changes().len();
    // One jump past both expiries and the refund's settlement.
    l.advance(TimeDelta::days(1));
    let ticked: Vec<&Change> = l.changes().iter().skip(before).collect();
    let got: Vec<(ChangeKind, &str)> = ticked.iter().map(|c| (c.kind, c.object.as_str())).collect();
    assert_eq!(
        got,
        [
            (ChangeKind::RefundSucceeded, refund.as_str()),
            (ChangeKind::ChargeExpired, first.as_str()),
            (ChangeKind::ChargeExpired, second.as_str()),
        ]
    );
    assert_eq!(ticked[1].at, first_at + AUTHORISATION_WINDOW);
    assert_eq!(ticked[2].at, second_at + AUTHORISATION_WINDOW);
    let seqs: Vec<u64> = l.changes().iter().map(|c| c.seq).collect();
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
    let times: Vec<_> = l.changes().iter().map(|c| c.at).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
}

#[test]
fn the_log_keeps_its_cap_and_prunes_to_a_time() {
    let mut l = Ledger::new(5);
    l.set_change_cap(3);
    for _ in 0..5 {
        l.create_charge(new_charge(true), Source::Api);
        l.advance(TimeDelta::hours(1));
    }
    let seqs: Vec<u64> = l.changes().iter().map(|c| c.seq).collect();
    assert_eq!(seqs, [3, 4, 5]);
    assert!(l.change(2).is_none());
    assert_eq!(l.change(4).map(|c| c.seq), Some(4));
    let cut = l.change(5).unwrap().at;
    assert_eq!(l.prune_changes(cut), 2);
    assert_eq!(l.feed().map(|c| c.seq).collect::<Vec<_>>(), [5]);
    l.advance(FEED_RETENTION);
    assert_eq!(l.feed().count(), 0, "older than the feed keeps");
    assert!(l.in_feed(5).is_none());
    assert!(l.change(5).is_some(), "still kept until pruned or capped");
}

#[test]
fn seeding_logs_no_changes() {
    let mut l = Ledger::new(6);
    let then = l.now() - TimeDelta::days(3);
    l.pin_clock(Some(then));
    l.create_charge(new_charge(true), Source::Api);
    l.pin_clock(None);
    assert!(l.changes().is_empty());
}
