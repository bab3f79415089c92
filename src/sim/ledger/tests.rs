//! Ledger unit tests and state-machine proptests.

use std::collections::HashMap;

use chrono::TimeDelta;
use proptest::prelude::*;

use super::*;

pub(super) fn new_charge(amount: i64, capture: bool, outcome: Outcome) -> NewCharge {
    NewCharge {
        amount,
        currency: "AUD".into(),
        description: "beans".into(),
        email: "a@example.com".into(),
        ip_address: "192.0.2.1".into(),
        card: Card::default(),
        customer_token: None,
        capture,
        metadata: Vec::new(),
        outcome,
        callback_url: None,
        reference: None,
    }
}

#[test]
fn capture_void_errors() {
    let mut l = Ledger::new(1);
    let a = l.create_charge(new_charge(500, false, Outcome::Approved), Source::Api);
    assert_eq!(
        l.capture(&a, Some(400), CaptureRule::FullOnly, Source::Api),
        Err(LedgerError::AmountMismatch {
            expected: 500,
            given: 400
        })
    );
    assert_eq!(
        l.capture(&a, None, CaptureRule::FullOnly, Source::Api),
        Ok(())
    );
    assert_eq!(
        l.capture(&a, None, CaptureRule::FullOnly, Source::Api),
        Err(LedgerError::AlreadyCaptured)
    );
    assert_eq!(l.void(&a, Source::Api), Err(LedgerError::AlreadyCaptured));
    let b = l.create_charge(new_charge(500, false, Outcome::Approved), Source::Api);
    assert_eq!(l.void(&b, Source::Api), Ok(()));
    assert_eq!(
        l.capture(&b, None, CaptureRule::FullOnly, Source::Api),
        Err(LedgerError::Voided)
    );
    assert_eq!(
        l.refund(&b, None, Source::Api),
        Err(LedgerError::NotCaptured)
    );
    let ops: Vec<&str> = l.operations_since(0).iter().map(|o| o.operation).collect();
    assert_eq!(ops, ["create_charge", "capture", "create_charge", "void"]);
}

#[test]
fn expiry_and_refund_settlement_by_clock() {
    let mut l = Ledger::new(2);
    let a = l.create_charge(new_charge(500, false, Outcome::Approved), Source::Api);
    let b = l.create_charge(new_charge(900, true, Outcome::Approved), Source::Api);
    let r = l.refund(&b, Some(300), Source::Api).unwrap_or_default();
    assert!(l.refund_pending(&b));
    l.advance(TimeDelta::seconds(61));
    assert!(!l.refund_pending(&b));
    assert_eq!(
        l.refund_by_token(&r).map(|r| r.state),
        Ok(RefundState::Succeeded)
    );
    l.advance(AUTHORISATION_WINDOW);
    assert_eq!(
        l.charge(&a).map(|c| c.state.clone()),
        Ok(ChargeState::Expired)
    );
    assert_eq!(
        l.capture(&a, None, CaptureRule::FullOnly, Source::Api),
        Err(LedgerError::Expired)
    );
    assert_eq!(
        l.refund(&b, Some(601), Source::Api),
        Err(LedgerError::RefundExceedsCaptured {
            requested: 601,
            refundable: 600
        })
    );
    let clock: Vec<&str> = l
        .operations_since(0)
        .iter()
        .filter(|o| o.source == Source::Clock)
        .map(|o| o.operation)
        .collect();
    assert_eq!(clock, ["refund_succeeded", "expire"]);
}

#[test]
fn three_ds_completes_once() {
    let mut l = Ledger::new(3);
    let a = l.create_charge(new_charge(700, true, Outcome::Authenticate), Source::Api);
    let session = l
        .charge(&a)
        .ok()
        .and_then(|c| c.session_token.clone())
        .unwrap_or_default();
    assert_eq!(
        l.verify_3ds(&session, Source::Api).as_deref(),
        Ok(a.as_str())
    );
    assert_eq!(
        l.verify_3ds(&session, Source::Api).as_deref(),
        Ok(a.as_str())
    );
    assert!(l.charge(&a).is_ok_and(Charge::is_captured));
    let n = l
        .operations_since(0)
        .iter()
        .filter(|o| o.operation == "verify_3ds")
        .count();
    assert_eq!(n, 1);
}

#[test]
fn customers_cards_subscriptions() {
    let mut l = Ledger::new(4);
    let card = Card {
        last4: "0000".into(),
        ..Card::default()
    };
    let cus = l
        .create_customer(
            NewCustomer {
                email: "x@example.com".into(),
                ..NewCustomer::default()
            },
            CardRef::New(Box::new(card.clone())),
            Source::Api,
        )
        .unwrap_or_default();
    let primary = l
        .customer(&cus)
        .map(|c| c.primary_card.clone())
        .unwrap_or_default();
    let second = l
        .add_card(&cus, CardRef::New(Box::new(card)), Source::Api)
        .unwrap_or_default();
    assert_eq!(
        l.delete_card(&cus, &primary, Source::Api),
        Err(LedgerError::PrimaryCard)
    );
    assert_eq!(l.delete_card(&cus, &second, Source::Api), Ok(()));
    let now = l.now();
    let sub = l.insert_subscription(Subscription {
        token: String::new(),
        plan_token: "plan_x".into(),
        customer_token: cus.clone(),
        card_token: None,
        state: SubscriptionState::Active,
        created_at: now,
        active_interval_started_at: now,
        active_interval_finishes_at: now + TimeDelta::days(3),
        next_billing_date: Some(now + TimeDelta::days(3)),
        cancelled_at: None,
    });
    assert_eq!(l.cancel_subscription(&cus, &sub, Source::Api), Ok(()));
    assert_eq!(
        l.cancel_subscription(&cus, &sub, Source::Api),
        Err(LedgerError::NotCancellable(SubscriptionState::Cancelling))
    );
    l.advance(TimeDelta::days(4));
    assert_eq!(
        l.subscription(&sub).map(|s| s.state),
        Ok(SubscriptionState::Cancelled)
    );
    assert_eq!(l.delete_customer(&cus, Source::Api), Ok(()));
    assert!(l.customer(&cus).is_err());
}

#[derive(Debug, Clone)]
enum Step {
    Create { amount: i64, capture: bool },
    Capture { pick: usize, amount: Option<i64> },
    Void { pick: usize },
    Refund { pick: usize, amount: Option<i64> },
    Advance { seconds: i64 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1i64..100_000, any::<bool>())
            .prop_map(|(amount, capture)| Step::Create { amount, capture }),
        (any::<usize>(), proptest::option::of(-10i64..100_000))
            .prop_map(|(pick, amount)| Step::Capture { pick, amount }),
        any::<usize>().prop_map(|pick| Step::Void { pick }),
        (any::<usize>(), proptest::option::of(-10i64..100_000))
            .prop_map(|(pick, amount)| Step::Refund { pick, amount }),
        (0i64..(9 * 86_400)).prop_map(|seconds| Step::Advance { seconds }),
    ]
}

fn check_invariants(l: &Ledger, frozen: &mut HashMap<String, i64>) {
    let mut per_charge: HashMap<&str, i64> = HashMap::new();
    for r in l.refunds() {
        if !r.release {
            *per_charge.entry(r.charge.as_str()).or_default() += r.amount;
        }
    }
    for c in l.charges() {
        assert!(c.captured_amount <= c.amount, "captured > authorised");
        assert!(
            c.refunded_amount <= c.captured_amount,
            "refunded > captured"
        );
        assert!(c.refunded_amount >= 0 && c.captured_amount >= 0);
        if matches!(c.state, ChargeState::Voided | ChargeState::Expired) {
            assert_eq!(c.captured_amount, 0);
            assert!(c.captured_at.is_none());
        }
        assert_eq!(
            per_charge.get(c.token.as_str()).copied().unwrap_or(0),
            c.refunded_amount,
            "refund money not conserved"
        );
        if c.is_captured() {
            let first = *frozen.entry(c.token.clone()).or_insert(c.captured_amount);
            assert_eq!(first, c.captured_amount, "captured amount changed");
        } else {
            assert!(!frozen.contains_key(&c.token), "capture undone");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn state_machine_invariants(steps in proptest::collection::vec(step(), 1..60), partial in any::<bool>()) {
        let mut l = Ledger::new(9);
        let mut frozen = HashMap::new();
        let rule = if partial { CaptureRule::UpTo } else { CaptureRule::FullOnly };
        for s in steps {
            let n = l.charges().len();
            let tok = |p: usize| if n == 0 { "ch_missing".to_string() } else { l.charges()[p % n].token.clone() };
            match s {
                Step::Create { amount, capture } => {
                    l.create_charge(new_charge(amount, capture, Outcome::Approved), Source::Api);
                }
                Step::Capture { pick, amount } => {
                    let t = tok(pick);
                    let before = l.charge(&t).ok().map(|c| c.state.clone());
                    if l.capture(&t, amount, rule, Source::Api).is_ok() {
                        prop_assert_eq!(before, Some(ChargeState::Authorised));
                    }
                }
                Step::Void { pick } => {
                    let t = tok(pick);
                    let before = l.charge(&t).ok().map(|c| c.state.clone());
                    if l.void(&t, Source::Api).is_ok() {
                        prop_assert_eq!(before, Some(ChargeState::Authorised));
                    }
                }
                Step::Refund { pick, amount } => {
                    let t = tok(pick);
                    let _ = l.refund(&t, amount, Source::Api);
                }
                Step::Advance { seconds } => {
                    l.advance(TimeDelta::seconds(seconds));
                }
            }
            check_invariants(&l, &mut frozen);
        }
        let seqs: Vec<u64> = l.operations_since(0).iter().map(|o| o.seq).collect();
        prop_assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1));
    }
}
