//! The Stripe adapter's money after capture, over real HTTP against the
//! simulator's Stripe dialect: payouts and their balance transactions as lines,
//! the balance, and a charge's fee, net and payout.

mod common;

use std::collections::HashSet;

use common::hostile::{self, Answer, Hostile};
use common::simulator::{Adapted, Dialect, Sim, seeded};
use common::{assert_matches, every_page, made, new_charge};
use paydeck::domain::{
    Charge, LineKind, LineTotals, PageRequest, PaymentSource, PayoutPlace, PayoutStatus,
};
use paydeck::gateway::stripe::StripeGateway;
use paydeck::gateway::{GatewayError, Payouts};
use paydeck::money::{Currency, Money};
use paydeck::sim::SimConfig;
use serde_json::json;

type StripeSim = Adapted<StripeGateway>;

const DAY: u64 = 86_400;

async fn stripe_sim(charges: usize) -> StripeSim {
    let config = SimConfig {
        seed: 11,
        ..seeded(charges, 20)
    };
    Adapted::start(Dialect::Stripe, config, Sim::stripe).await
}

async fn captured(s: &StripeSim, minor: i64, capture: bool) -> Charge {
    let order = new_charge(
        Money::from_minor(minor, Currency::USD),
        capture,
        PaymentSource::CardToken("tok_visa".into()),
    );
    made(&s.gateway, &order).await
}

#[tokio::test]
async fn payouts_are_read_with_lines_that_add_up_to_each_amount() {
    let s = stripe_sim(150).await;
    s.advance_clock(4 * DAY).await;
    let gateway = &s.gateway;
    // Pages of 3 follow Stripe's cursor to the same list as one page of 100.
    let mut paged = Vec::new();
    let mut page = PageRequest::first(3);
    loop {
        let got = gateway.list_payouts(&page).await.expect("payouts");
        paged.extend(got.items);
        match got.next {
            Some(next) => page = PageRequest::at(next, 3),
            None => break,
        }
    }
    let payouts =
        every_page(|p| async move { gateway.list_payouts(&p).await.expect("payouts") }).await;
    assert_eq!(paged, payouts);
    assert!(payouts.len() >= 4, "{} payouts", payouts.len());
    assert!(payouts.windows(2).all(|w| w[0].created >= w[1].created));
    let paid: Vec<_> = payouts
        .iter()
        .filter(|p| p.status == PayoutStatus::Paid)
        .collect();
    assert!(!paid.is_empty(), "nothing paid after four days");
    for p in &paid {
        assert!(p.bank_reference.is_some(), "{p:?}");
        assert!(p.arrival.is_some());
    }
    let mut kinds = HashSet::new();
    for listed in &payouts {
        let payout = gateway.get_payout(&listed.id).await.expect("payout");
        assert_eq!(&payout, listed);
        let account = payout.bank_account.as_ref().expect("the masked account");
        assert_eq!(account.last4, "6789");
        assert_eq!(payout.automatic, Some(true));
        let id = payout.id.as_str();
        let lines =
            every_page(|p| async move { gateway.payout_lines(id, &p).await.expect("lines") }).await;
        assert!(!lines.is_empty());
        for line in &lines {
            assert!(line.amounts.checks(), "{line:?}");
            assert_ne!(
                line.kind,
                LineKind::Payout,
                "the payout is not its own line"
            );
            let charge = line.charge_id.as_deref().unwrap_or("");
            assert!(charge.starts_with("ch_"), "{line:?}");
            kinds.insert(line.kind);
        }
        let totals = LineTotals::of(&lines).expect("totals");
        let sums = totals
            .of_currency(payout.amount.currency)
            .expect("the payout's currency");
        assert_eq!(sums.net, payout.amount, "{id}");
        assert_eq!(totals.currencies().count(), 1);
    }
    for kind in [LineKind::Charge, LineKind::Refund, LineKind::Dispute] {
        assert!(kinds.contains(&kind), "no {kind:?} line");
    }
    let balance = gateway.balance().await.expect("balance");
    let aud = balance.of_currency(Currency::AUD).expect("AUD");
    assert!(aud.pending.is_some());

    let unknown = gateway.get_payout("po_nosuchpayout00000000000").await;
    assert_matches!(unknown, Err(GatewayError::NotFound { .. }));
    let lines = gateway
        .payout_lines("po_nosuchpayout00000000000", &PageRequest::first(10))
        .await;
    assert_matches!(lines, Err(GatewayError::NotFound { .. }));
    // An id that would add a filter to the query never leaves the adapter.
    let hostile = gateway
        .payout_lines("po_1&type=charge", &PageRequest::first(10))
        .await;
    assert_matches!(hostile, Err(GatewayError::NotFound { message }) if message.contains("not a payout id"));
    s.sim.running.shutdown().await;
}

#[tokio::test]
async fn a_charge_says_its_fee_its_net_and_the_payout_that_took_it() {
    let s = stripe_sim(0).await;
    let gateway = &s.gateway;
    let charge = captured(&s, 2500, true).await;
    let fresh = gateway
        .charge_settlement(&charge.id)
        .await
        .expect("settlement");
    let amounts = fresh.amounts.expect("fee and net once captured");
    // tok_visa is a US card: international, 3.50 % + 30c of 25.00 is 1.18.
    let usd = |minor| Money::from_minor(minor, Currency::USD);
    assert_eq!(
        (amounts.gross, amounts.fee, amounts.fee_tax, amounts.net),
        (usd(2500), usd(118), usd(0), usd(2382))
    );
    assert_matches!(
        fresh.payout,
        PayoutPlace::NotYet {
            expected_by: Some(_)
        }
    );
    let held = captured(&s, 1000, false).await;
    let nothing = gateway.charge_settlement(&held.id).await.expect("held");
    assert_eq!(nothing.amounts, None);
    assert_eq!(nothing.payout, PayoutPlace::Unknown);

    s.advance_clock(3 * DAY).await;
    let settled = gateway.charge_settlement(&charge.id).await.expect("later");
    let PayoutPlace::PaidOut { payout_id } = &settled.payout else {
        panic!("not paid out after three days: {settled:?}");
    };
    let payout = gateway.get_payout(payout_id).await.expect("its payout");
    assert_eq!(payout.amount, usd(2382));
    let lines = gateway
        .payout_lines(payout_id, &PageRequest::first(10))
        .await
        .expect("lines");
    assert_eq!(lines.items.len(), 1);
    assert_eq!(
        lines.items[0].charge_id.as_deref(),
        Some(charge.id.as_str())
    );
    assert_eq!(lines.items[0].amounts, amounts);

    let missing = gateway
        .charge_settlement("ch_nosuchcharge000000000000")
        .await;
    assert_matches!(missing, Err(GatewayError::NotFound { .. }));
    s.sim.running.shutdown().await;
}

/// A server that answers every request with `body`, and the adapter pointed at it.
async fn answering(body: serde_json::Value) -> (Hostile, StripeGateway) {
    let server = hostile::start(Answer::Json(body.to_string())).await;
    let gateway = hostile::stripe(&server);
    (server, gateway)
}

#[tokio::test]
async fn unreadable_answers_are_named_never_guessed() {
    let line = json!({"id": "txn_good", "amount": 1000, "created": 1, "currency": "usd",
        "fee": 59, "fee_details": [], "net": 941, "type": "charge", "source": "ch_1"});
    let mut bad = line.clone();
    bad["id"] = "txn_bad".into();
    bad["amount"] = "1000".into();
    let (_server, gateway) = answering(json!({"object": "list", "has_more": false,
        "url": "/v1/balance_transactions", "data": [line, bad]}))
    .await;
    let page = gateway
        .payout_lines("po_1", &PageRequest::first(10))
        .await
        .expect("a partial page, not an error");
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].source_id.as_deref(), Some("ch_1"));
    assert!(page.is_partial());
    assert_eq!(page.skipped[0].name(), "txn_bad");
    // A list is no payout.
    assert_matches!(
        gateway.get_payout("po_1").await,
        Err(GatewayError::Malformed { .. })
    );

    let (_server, gateway) = answering(json!({"id": "ch_1", "object": "charge",
        "balance_transaction": {"id": "txn_1", "amount": 1000, "created": 1,
            "currency": "usd", "fee": "59", "net": 941, "type": "charge"}}))
    .await;
    assert_matches!(
        gateway.charge_settlement("ch_1").await,
        Err(GatewayError::Malformed { detail, .. }) if detail.contains("balance transaction")
    );
    let (_server, gateway) = answering(json!({"object": "balance",
        "available": [{"amount": 5, "currency": "zzz"}], "pending": []}))
    .await;
    assert_matches!(gateway.balance().await, Err(GatewayError::Malformed { .. }));
}
