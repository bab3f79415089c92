//! What only the Openpay adapter does, over real HTTP against the simulator's Openpay
//! dialect: a merchant id, every filter, the error codes and exact money. What every
//! adapter does (paging, reads, a wrong key, bad answers) is in
//! tests/gateway_contract.rs.

mod common;

use std::collections::{BTreeSet, HashSet};
use std::str::FromStr;

use chrono::{Duration, FixedOffset, NaiveDate, NaiveTime};
use common::assert_matches;
use common::simulator::adapter_config;
use common::{Adapted, Dialect, Sim, new_charge, quick_http, refunds_of, test_card};
use paydeck::domain::{
    BalanceLine, CardDetails, Charge, ChargeFilter, ChargeStatus, Cursor, CustomerUpdate, LineKind,
    LineTotals, NewCustomer, PageRequest, PaymentSource, PayoutPlace, PayoutStatus, RefundStatus,
};
use paydeck::gateway::openpay::{self, OpenpayGateway};
use paydeck::gateway::{
    Cards, Charges, Customers, Disputes, Gateway, GatewayError, OperationKey, Payouts, Refunds,
    Subscriptions,
};
use paydeck::money::{Currency, Money};
use paydeck::secret::Secret;
use rust_decimal::Decimal;

type OpenpaySim = Adapted<OpenpayGateway>;

async fn openpay_sim(charges: usize) -> OpenpaySim {
    Adapted::start(Dialect::Openpay, adapter_config(charges), Sim::openpay).await
}

fn mxn(text: &str) -> Money {
    let currency = Currency::from_code("MXN").expect("MXN");
    Money::new(Decimal::from_str(text).expect("decimal"), currency).expect("money")
}

fn key() -> OperationKey {
    OperationKey::new()
}

const APPROVED: &str = "4111111111111111";

async fn create(sim: &OpenpaySim, amount: &str, capture: bool, number: &str) -> Charge {
    sim.gateway
        .create_charge(&new_charge(mxn(amount), capture, test_card(number)), &key())
        .await
        .expect("charge")
}

async fn every_charge(sim: &OpenpaySim, filter: &ChargeFilter) -> Vec<Charge> {
    let mut request = PageRequest::first(100);
    let mut all = Vec::new();
    loop {
        let page = sim
            .gateway
            .list_charges(&request, filter)
            .await
            .expect("page");
        all.extend(page.items);
        match page.next {
            Some(next) => request = PageRequest::at(next, 100),
            None => return all,
        }
    }
}

#[tokio::test]
async fn a_wrong_merchant_is_unauthorised() {
    // A wrong key is in tests/gateway_contract.rs; Openpay also names a merchant.
    let sim = openpay_sim(5).await;
    let (base, _) = sim.openpay_base_and_merchant();
    let wrong_merchant = OpenpayGateway::new(
        &base,
        "mzzzzzzzzzzzzzzzzzzz",
        Secret::new(sim.key.clone()),
        quick_http(),
    )
    .expect("adapter");
    match wrong_merchant
        .list_charges(&PageRequest::first(5), &ChargeFilter::default())
        .await
    {
        Err(GatewayError::Unauthorised { message }) => {
            assert!(message.contains("merchant id"), "{message}")
        }
        other => panic!("expected 1002, got {other:?}"),
    }
}

#[tokio::test]
async fn money_round_trips_exactly_in_decimal_major_units() {
    let sim = openpay_sim(0).await;
    for text in ["100.00", "0.01", "99999999.99", "0.10", "1234.56"] {
        let charge = create(&sim, text, true, APPROVED).await;
        assert_eq!(charge.status, ChargeStatus::Captured);
        assert_eq!(charge.amount.plain(), text);
        assert_eq!(charge.captured.plain(), text);
        let fetched = sim.gateway.get_charge(&charge.id).await.expect("get");
        assert_eq!(fetched.amount, mxn(text));
        // What Openpay sent is the exact decimal, not a float's rendering of it.
        let (status, body) = sim.get_text(&format!("charges/{}", charge.id)).await;
        assert_eq!(status, 200);
        assert!(
            body.contains(&format!("\"amount\":{text}")),
            "{text} not on the wire as sent: {body}"
        );
    }
    let too_big = sim
        .gateway
        .create_charge(
            &new_charge(mxn("100000000.00"), true, test_card(APPROVED)),
            &key(),
        )
        .await;
    assert_matches!(too_big, Err(GatewayError::Validation { .. }));
}

#[tokio::test]
async fn filters_by_date_amount_and_status_on_the_server() {
    let sim = openpay_sim(300).await;
    let everything = every_charge(&sim, &ChargeFilter::default()).await;
    assert_eq!(everything.len(), 300);

    // Dates: the server's answer holds every charge in the range, and is narrower
    // than everything (it widens by a day at each end, never narrows).
    let newest = everything[0].created;
    let from = newest - Duration::days(10);
    let until = newest - Duration::days(3);
    let dated = ChargeFilter {
        from: Some(from),
        until: Some(until),
        ..ChargeFilter::default()
    };
    let served = every_charge(&sim, &dated).await;
    let served_ids: HashSet<&str> = served.iter().map(|c| c.id.as_str()).collect();
    let wanted: Vec<&Charge> = everything.iter().filter(|c| dated.matches(c)).collect();
    assert!(!wanted.is_empty(), "the seed has charges in the range");
    for charge in &wanted {
        assert!(
            served_ids.contains(charge.id.as_str()),
            "{} missing",
            charge.id
        );
    }
    assert!(served.len() < everything.len(), "dates did not narrow");
    // The server compares whole dates in Openpay's zone (UTC-6), from the day before
    // `from` to the day after `until`; a fixed two-day margin around the instants
    // failed whenever `until` fell before 06:00 UTC.
    let zone = FixedOffset::west_opt(6 * 3600).expect("a valid offset");
    let midnight = |day: NaiveDate| {
        day.and_time(NaiveTime::MIN)
            .and_local_timezone(zone)
            .unwrap()
    };
    let first = midnight(from.date_naive() - Duration::days(1));
    let after_last = midnight((until - Duration::nanoseconds(1)).date_naive() + Duration::days(2));
    for charge in &served {
        assert!(charge.created >= first, "{} before {first}", charge.created);
        assert!(
            charge.created < after_last,
            "{} after {after_last}",
            charge.created
        );
    }

    // Amounts are exact and inclusive.
    let pivot = everything[7].amount.amount;
    let low = ChargeFilter {
        max_amount: Some(pivot),
        ..ChargeFilter::default()
    };
    let high = ChargeFilter {
        min_amount: Some(pivot),
        ..ChargeFilter::default()
    };
    let at_most = every_charge(&sim, &low).await;
    let at_least = every_charge(&sim, &high).await;
    assert!(at_most.iter().all(|c| c.amount.amount <= pivot));
    assert!(at_least.iter().all(|c| c.amount.amount >= pivot));
    assert!(
        at_most
            .iter()
            .chain(&at_least)
            .any(|c| c.amount.amount == pivot)
    );
    let expected_low = everything.iter().filter(|c| low.matches(c)).count();
    let expected_high = everything.iter().filter(|c| high.matches(c)).count();
    assert_eq!(at_most.len(), expected_low);
    assert_eq!(at_least.len(), expected_high);

    // A single status that maps to one Openpay status is asked for on the server.
    for status in [
        ChargeStatus::Authorised,
        ChargeStatus::Voided,
        ChargeStatus::Declined,
    ] {
        let filter = ChargeFilter {
            statuses: BTreeSet::from([status]),
            ..ChargeFilter::default()
        };
        let served = every_charge(&sim, &filter).await;
        let expected = everything.iter().filter(|c| c.status == status).count();
        assert!(expected > 0, "the seed has {status} charges");
        assert_eq!(served.len(), expected, "{status}");
        assert!(served.iter().all(|c| c.status == status), "{status}");
    }
    // `COMPLETED` also holds partly refunded charges; the caller trims those.
    let captured = ChargeFilter {
        statuses: BTreeSet::from([ChargeStatus::Captured]),
        ..ChargeFilter::default()
    };
    let served = every_charge(&sim, &captured).await;
    assert!(served.iter().any(|c| c.status == ChargeStatus::Captured));
    assert!(served.iter().all(|c| matches!(
        c.status,
        ChargeStatus::Captured | ChargeStatus::PartiallyRefunded | ChargeStatus::Refunded
    )));
    assert!(served.len() < everything.len());
}

#[tokio::test]
async fn authorise_capture_part_then_refund_in_parts() {
    let sim = openpay_sim(0).await;
    let charge = create(&sim, "100.00", false, APPROVED).await;
    assert_eq!(charge.status, ChargeStatus::Authorised);
    assert!(charge.captured.is_zero());
    assert_eq!(
        charge.metadata["order_id"].len(),
        35,
        "the key is the order id"
    );

    let captured = sim
        .gateway
        .capture(&charge.id, mxn("60.00"), &key())
        .await
        .expect("capture");
    assert_eq!(captured.status, ChargeStatus::Captured);
    assert_eq!(captured.captured, mxn("60.00"));
    assert_eq!(captured.list_amount(), mxn("60.00"), "what was taken");
    assert!(captured.refunded.is_zero(), "nothing was refunded");

    let refund = sim
        .gateway
        .refund(&charge.id, mxn("10.50"), Some("damaged in transit"), &key())
        .await
        .expect("refund");
    assert_eq!(refund.amount, mxn("10.50"));
    assert_eq!(refund.charge_id, charge.id);
    assert_eq!(refund.status, RefundStatus::Succeeded);
    assert_eq!(refund.reason.as_deref(), Some("damaged in transit"));
    let after = sim.gateway.get_charge(&charge.id).await.expect("get");
    assert_eq!(after.status, ChargeStatus::PartiallyRefunded);
    assert_eq!(after.refunded, mxn("10.50"));
    assert_eq!(after.refundable(), mxn("49.50"));
    let refunds = refunds_of(&sim.gateway, &charge.id).await;
    assert_eq!(
        refunds.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        [refund.id.as_str()]
    );

    let rest = sim
        .gateway
        .refund(&charge.id, mxn("49.50"), None, &key())
        .await
        .expect("second refund");
    assert_ne!(rest.id, refund.id);
    assert_eq!(rest.amount, mxn("49.50"));
    let done = sim.gateway.get_charge(&charge.id).await.expect("get");
    assert_eq!(done.status, ChargeStatus::Refunded);
    assert_eq!(done.refunded, mxn("60.00"), "both refunds count");
    assert!(done.refundable().is_zero());
    let both = refunds_of(&sim.gateway, &charge.id).await;
    assert_eq!(both.len(), 2, "every refund is listed: {both:?}");
    let again = sim
        .gateway
        .refund(&charge.id, mxn("1.00"), None, &key())
        .await;
    assert_matches!(again, Err(GatewayError::Refused { .. }));
}

#[tokio::test]
async fn cancel_is_a_refund_of_the_pre_authorisation_and_only_that() {
    let sim = openpay_sim(0).await;
    assert_eq!(sim.gateway.capabilities().void_name, "cancel");
    assert!(sim.gateway.capabilities().void_note.is_some());
    let charge = create(&sim, "250.00", false, APPROVED).await;
    let voided = sim.gateway.void(&charge.id, &key()).await.expect("cancel");
    assert_eq!(voided.status, ChargeStatus::Voided);
    assert!(voided.refunded.is_zero(), "a cancellation moved no money");
    assert_eq!(voided.released, mxn("250.00"), "the whole hold was let go");
    assert!(voided.held().is_zero());
    let again = sim.gateway.void(&charge.id, &key()).await;
    assert_matches!(again, Err(GatewayError::Refused { .. }));
    let capture = sim.gateway.capture(&charge.id, mxn("250.00"), &key()).await;
    match capture {
        Err(GatewayError::Refused { code, .. }) => assert_eq!(code, "3006"),
        other => panic!("capture of a cancelled charge: {other:?}"),
    }

    // Cancelling a captured charge would refund it: the adapter refuses first.
    let captured = create(&sim, "20.00", true, APPROVED).await;
    let refused = sim.gateway.void(&captured.id, &key()).await;
    assert_matches!(refused, Err(GatewayError::Refused { .. }));
    // And refunding an authorised one would cancel it.
    let authorised = create(&sim, "30.00", false, APPROVED).await;
    let refused = sim
        .gateway
        .refund(&authorised.id, mxn("30.00"), None, &key())
        .await;
    assert_matches!(refused, Err(GatewayError::Refused { .. }));
    let untouched = sim.gateway.get_charge(&authorised.id).await.expect("get");
    assert_eq!(untouched.status, ChargeStatus::Authorised);
    let kinds: Vec<String> = sim
        .operations()
        .await
        .iter()
        .filter(|op| op["source"] == "api")
        .map(|op| op["operation"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| *k == "void").count(),
        1,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| *k == "refund").count(),
        0,
        "{kinds:?}"
    );
}

#[tokio::test]
async fn test_cards_decline_with_openpays_codes() {
    let sim = openpay_sim(0).await;
    let cards = [
        ("4222222222222220", "3001"),
        ("4000000000000069", "3002"),
        ("4444444444444448", "3003"),
        ("4000000000000119", "3004"),
        ("4000000000000044", "3005"),
    ];
    for (number, code) in cards {
        let result = sim
            .gateway
            .create_charge(&new_charge(mxn("10.00"), true, test_card(number)), &key())
            .await;
        match result {
            Err(GatewayError::Declined {
                code: got, message, ..
            }) => {
                assert_eq!(got, code, "{number}");
                assert!(!message.is_empty());
            }
            other => panic!("{number}: {other:?}"),
        }
    }
    let declined = every_charge(
        &sim,
        &ChargeFilter {
            statuses: BTreeSet::from([ChargeStatus::Declined]),
            ..ChargeFilter::default()
        },
    )
    .await;
    assert_eq!(declined.len(), cards.len());
    assert!(declined.iter().all(|c| c.failure.is_some()));
}

#[tokio::test]
async fn bad_input_is_a_validation_error() {
    let sim = openpay_sim(0).await;
    let card = |number: &str, year: u16| {
        PaymentSource::Card(CardDetails {
            expiry_year: year,
            ..match test_card(number) {
                PaymentSource::Card(details) => details,
                _ => unreachable!(),
            }
        })
    };
    for (source, what) in [
        (card("4111111111111112", 2035), "Luhn (2004)"),
        (card(APPROVED, 2020), "expired (2005)"),
    ] {
        let result = sim
            .gateway
            .create_charge(&new_charge(mxn("10.00"), true, source), &key())
            .await;
        assert_matches!(result, Err(GatewayError::Validation { .. }), "{what}");
    }
    let charge = create(&sim, "10.00", true, APPROVED).await;
    let over = sim
        .gateway
        .refund(&charge.id, mxn("10.01"), None, &key())
        .await;
    assert_matches!(
        over,
        Err(GatewayError::Validation { .. }),
        "refund above the charge"
    );
    let usd = Money::from_minor(100, Currency::USD);
    let wrong = sim.gateway.refund(&charge.id, usd, None, &key()).await;
    assert_matches!(wrong, Err(GatewayError::Validation { .. }));
}

#[tokio::test]
async fn the_same_operation_key_creates_one_charge() {
    let sim = openpay_sim(0).await;
    let key = key();
    let charge = new_charge(mxn("42.00"), true, test_card(APPROVED));
    let first = sim
        .gateway
        .create_charge(&charge, &key)
        .await
        .expect("first");
    // Openpay refuses the order id a second time (1006); the adapter finds the first.
    let second = sim
        .gateway
        .create_charge(&charge, &key)
        .await
        .expect("second");
    assert_eq!(first.id, second.id);
    let creates = sim
        .count_operations(|op| op["operation"] == "create_charge" && op["source"] == "api")
        .await;
    assert_eq!(creates, 1);
}

#[tokio::test]
async fn refunds_live_in_their_charges_only() {
    let sim = openpay_sim(0).await;
    let page = sim.gateway.list_refunds(&PageRequest::first(10)).await;
    assert_matches!(page, Err(GatewayError::Unsupported(_)));
    // So the dashboard does not offer :refunds here.
    assert!(!sim.gateway.capabilities().refund_list);
    let one = sim.gateway.get_refund("tr123").await;
    assert_matches!(one, Err(GatewayError::Unsupported(_)));
    let disputes = sim.gateway.list_disputes(&PageRequest::first(10)).await;
    assert_matches!(disputes, Err(GatewayError::Unsupported(_)));
    let subs = sim.gateway.customer_subscriptions("cus").await;
    assert_matches!(subs, Err(GatewayError::Unsupported(_)));
    assert_eq!(
        openpay::base_url("mx", false),
        Some("https://sandbox-api.openpay.mx/v1")
    );
}

fn new_customer(email: &str) -> NewCustomer {
    NewCustomer {
        email: email.into(),
        first_name: Some("Juan".into()),
        last_name: Some("Vazquez Juarez".into()),
        phone: Some("4423456723".into()),
        company: None,
        notes: None,
        card: test_card("5555555555554444"),
    }
}

#[tokio::test]
async fn customers_cards_and_their_charges() {
    let sim = openpay_sim(0).await;
    let key_one = key();
    let created = sim
        .gateway
        .create_customer(&new_customer("juan@empresa.mx"), &key_one)
        .await
        .expect("customer");
    assert_eq!(created.display_name(), "Juan Vazquez Juarez");
    let card = created.primary_card.clone().expect("the card was saved");
    assert_eq!(card.last4, "4444");
    // Openpay refuses the external id a second time (2003); the adapter finds the first.
    let again = sim
        .gateway
        .create_customer(&new_customer("juan@empresa.mx"), &key_one)
        .await
        .expect("same key");
    assert_eq!(again.id, created.id);

    let fetched = sim.gateway.get_customer(&created.id).await.expect("get");
    assert_eq!(fetched.email, "juan@empresa.mx");
    assert_eq!(fetched.primary_card.map(|c| c.id), Some(card.id.clone()));

    let listed = sim
        .gateway
        .list_customers(&PageRequest::first(100))
        .await
        .expect("list");
    assert!(listed.items.iter().any(|c| c.id == created.id));
    let first_two = sim
        .gateway
        .list_customers(&PageRequest::first(2))
        .await
        .expect("page");
    assert_eq!(first_two.items.len(), 2);
    assert_eq!(first_two.next, Some(Cursor::Offset(2)));

    let updated = sim
        .gateway
        .update_customer(
            &created.id,
            &CustomerUpdate {
                phone: Some("5550001111".into()),
                first_name: Some("Juana".into()),
                ..CustomerUpdate::default()
            },
            &key(),
        )
        .await
        .expect("update");
    assert_eq!(updated.phone.as_deref(), Some("5550001111"));
    assert_eq!(updated.first_name.as_deref(), Some("Juana"));
    assert_eq!(updated.email, "juan@empresa.mx");
    let primary = sim
        .gateway
        .update_customer(
            &created.id,
            &CustomerUpdate {
                primary_card_id: Some(card.id.clone()),
                ..CustomerUpdate::default()
            },
            &key(),
        )
        .await;
    assert_matches!(primary, Err(GatewayError::Unsupported(_)));

    // Charging the customer charges their card, at the customer level.
    let mut charge = new_charge(
        mxn("75.25"),
        false,
        PaymentSource::Customer(created.id.clone()),
    );
    charge.email = created.email.clone();
    let charged = sim
        .gateway
        .create_charge(&charge, &key())
        .await
        .expect("customer charge");
    assert_eq!(charged.customer_id.as_deref(), Some(created.id.as_str()));
    assert_eq!(
        charged.card.as_ref().map(|c| c.last4.as_str()),
        Some("4444")
    );
    let theirs = sim
        .gateway
        .customer_charges(&created.id, &PageRequest::first(10))
        .await
        .expect("customer charges");
    assert_eq!(
        theirs
            .items
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        [charged.id.as_str()]
    );
    assert_eq!(theirs.next, None);

    let cards = sim
        .gateway
        .customer_cards(&created.id)
        .await
        .expect("cards");
    assert_eq!(cards.len(), 1);
    assert!(cards[0].primary);
    // Deleting the primary card below succeeds, as the capability says.
    assert!(sim.gateway.capabilities().delete_primary_card);
    // The dialect keeps no tokens, so saving one is answered 1005.
    let token = sim
        .gateway
        .add_card(&created.id, "tok_unknown", &key())
        .await;
    assert_matches!(token, Err(GatewayError::NotFound { .. }));
    sim.gateway
        .delete_card(&created.id, &card.id, &key())
        .await
        .expect("delete card");
    assert!(
        sim.gateway
            .customer_cards(&created.id)
            .await
            .expect("cards")
            .is_empty()
    );
    let no_card = sim.gateway.create_charge(&charge, &key()).await;
    assert_matches!(no_card, Err(GatewayError::Validation { .. }));

    sim.gateway
        .delete_customer(&created.id, &key())
        .await
        .expect("delete customer");
    let gone = sim.gateway.get_customer(&created.id).await;
    assert_matches!(gone, Err(GatewayError::NotFound { .. }));
}

#[tokio::test]
async fn a_customer_whose_card_is_refused_is_not_left_behind() {
    let sim = openpay_sim(0).await;
    let mut customer = new_customer("sin.tarjeta@empresa.mx");
    customer.card = test_card("4111111111111112");
    let result = sim.gateway.create_customer(&customer, &key()).await;
    assert_matches!(result, Err(GatewayError::Validation { .. }));
    let all = sim
        .gateway
        .list_customers(&PageRequest::first(100))
        .await
        .expect("list");
    assert!(
        all.items
            .iter()
            .all(|c| c.email != "sin.tarjeta@empresa.mx")
    );
}

/// Every line of a payout, read in pages of `limit` (small pages cross from one
/// report list into the next).
async fn payout_lines(sim: &OpenpaySim, id: &str, limit: u32) -> Vec<BalanceLine> {
    let mut request = PageRequest::first(limit);
    let mut all = Vec::new();
    for _ in 0..1_000 {
        let page = sim.gateway.payout_lines(id, &request).await.expect("lines");
        assert!(page.skipped.is_empty(), "{:?}", page.skipped);
        all.extend(page.items);
        match page.next {
            Some(next) => request = PageRequest::at(next, limit),
            None => return all,
        }
    }
    panic!("{id}: lines never end");
}

/// Four days on, payouts list newest first and read back; each one's lines
/// (the report's IN, OUT and adjustment lists as one) hold `gross − fee −
/// fee_tax = net` and add up to the payout; a charge line's charge knows it was
/// paid out in that payout, a new charge is not yet paid out, and the balance is
/// the merchant's, in pesos.
#[tokio::test]
async fn payouts_lines_balance_and_a_charges_settlement() {
    let sim = openpay_sim(300).await;
    sim.sim.advance_clock(4 * 86_400).await;
    let payouts = sim
        .gateway
        .list_payouts(&PageRequest::first(100))
        .await
        .expect("payouts");
    assert!(payouts.items.len() >= 2, "{} payouts", payouts.items.len());
    let created: Vec<_> = payouts.items.iter().map(|p| p.created).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(payouts.items.iter().any(|p| p.status == PayoutStatus::Paid));
    let mut kinds = HashSet::new();
    let mut paid_charge = None;
    for listed in &payouts.items {
        let payout = sim.gateway.get_payout(&listed.id).await.expect("payout");
        assert_eq!(payout.amount, listed.amount);
        assert_eq!(
            payout.bank_reference.as_deref(),
            Some(payout.id.to_ascii_uppercase().as_str())
        );
        let last4 = payout.bank_account.as_ref().map(|a| a.last4.len());
        assert_eq!(last4, Some(4));
        let lines = payout_lines(&sim, &payout.id, 7).await;
        assert_eq!(lines, payout_lines(&sim, &payout.id, 100).await);
        for line in &lines {
            assert!(line.amounts.checks(), "{line:?}");
            kinds.insert(line.kind);
        }
        let totals = LineTotals::of(&lines).expect("one currency");
        let sums = totals.of_currency(payout.amount.currency).expect("sums");
        assert_eq!(sums.net, payout.amount, "{}", payout.id);
        if paid_charge.is_none() {
            let charge = lines.iter().find(|l| l.kind == LineKind::Charge);
            paid_charge = charge.map(|l| (l.clone(), payout.id.clone()));
        }
    }
    for kind in [
        LineKind::Charge,
        LineKind::Refund,
        LineKind::Dispute,
        LineKind::Fee,
    ] {
        assert!(kinds.contains(&kind), "no {kind:?} line in {kinds:?}");
    }
    let (line, payout_id) = paid_charge.expect("a charge paid out");
    let charge_id = line
        .charge_id
        .clone()
        .expect("a charge line names its charge");
    let settled = sim
        .gateway
        .charge_settlement(&charge_id)
        .await
        .expect("settlement");
    assert_eq!(settled.amounts, Some(line.amounts));
    assert_eq!(settled.payout, PayoutPlace::PaidOut { payout_id });

    // 2.9 % of 123.45 is 3.58005, + 2.50 = 6.08; IVA 16 % = 0.97.
    let fresh = create(&sim, "123.45", true, APPROVED).await;
    let settled = sim
        .gateway
        .charge_settlement(&fresh.id)
        .await
        .expect("settlement");
    let a = settled.amounts.expect("a captured charge's fee");
    assert_eq!(
        (a.gross, a.fee, a.fee_tax, a.net),
        (mxn("123.45"), mxn("6.08"), mxn("0.97"), mxn("116.40"))
    );
    assert_eq!(settled.payout, PayoutPlace::NotYet { expected_by: None });
    let held = create(&sim, "10.00", false, APPROVED).await;
    let settled = sim
        .gateway
        .charge_settlement(&held.id)
        .await
        .expect("settlement");
    assert_eq!(
        (settled.amounts, settled.payout),
        (None, PayoutPlace::Unknown)
    );

    let balance = sim.gateway.balance().await.expect("balance");
    assert_eq!(balance.amounts.len(), 1);
    let pesos = balance.of_currency(mxn("0").currency).expect("MXN");
    assert_eq!(pesos.pending, None);

    for bad in ["", "../charges", "a/b"] {
        assert!(sim.gateway.get_payout(bad).await.is_err(), "{bad:?}");
        assert!(
            sim.gateway
                .payout_lines(bad, &PageRequest::first(10))
                .await
                .is_err(),
            "{bad:?}"
        );
    }
    assert_matches!(
        sim.gateway.get_payout("trnotapayout000000000").await,
        Err(GatewayError::NotFound { .. })
    );
}
