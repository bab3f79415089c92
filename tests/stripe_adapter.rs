//! What only the Stripe adapter does, over real HTTP against the simulator's Stripe
//! dialect: search paging, declines, partial capture, disputes, customers and
//! idempotent replay of writes. What every adapter does (paging, reads, a wrong key, bad
//! answers) is in tests/gateway_contract.rs.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use chrono::Utc;
use common::assert_matches;
use common::simulator::{Adapted, Dialect, Sim, retrying, seeded};
use common::{assert_refused, made, refunds_of};
use paydeck::domain::{
    CardDetails, Charge, ChargeFilter, ChargeStatus, Cursor, DisputeStatus, NewCharge, NewCustomer,
    Page, PageRequest, PaymentSource,
};
use paydeck::gateway::http::HttpConfig;
use paydeck::gateway::stripe::{CAPABILITIES, StripeGateway};
use paydeck::gateway::{
    Cards, Charges, Customers, Disputes, Gateway, GatewayError, OperationKey, Refunds, RetryPolicy,
};
use paydeck::money::{Currency, Money};
use paydeck::secret::Secret;
use paydeck::sim::SimConfig;
use serde_json::Value;

type StripeSim = Adapted<StripeGateway>;

/// A Stripe simulator (seed 11, 30 customers) of `charges` charges with `faults`.
async fn stripe_sim(charges: usize, faults: &str) -> StripeSim {
    let config = SimConfig {
        seed: 11,
        faults: common::faults(faults),
        ..seeded(charges, 30)
    };
    Adapted::start(Dialect::Stripe, config, Sim::stripe).await
}

fn usd(minor: i64) -> Money {
    Money::from_minor(minor, Currency::USD)
}

fn key() -> OperationKey {
    OperationKey::new()
}

fn token(name: &str) -> PaymentSource {
    PaymentSource::CardToken(name.into())
}

fn new_charge(amount: Money, capture: bool, source: PaymentSource) -> NewCharge {
    NewCharge {
        amount,
        email: "jenny.rosen@example.com".into(),
        description: "Two pounds of coffee".into(),
        ip_address: "203.0.113.9".into(),
        capture,
        source,
        metadata: BTreeMap::from([("order_id".to_string(), "6735".to_string())]),
    }
}

async fn authorised(sim: &StripeSim, minor: i64) -> Charge {
    made(
        &sim.gateway,
        &new_charge(usd(minor), false, token("tok_visa")),
    )
    .await
}

async fn captured(sim: &StripeSim, minor: i64) -> Charge {
    made(
        &sim.gateway,
        &new_charge(usd(minor), true, token("tok_visa")),
    )
    .await
}

/// The first `size` charges that `filter` lets through.
async fn first_page(sim: &StripeSim, size: u32, filter: &ChargeFilter) -> Page<Charge> {
    sim.gateway
        .list_charges(&PageRequest::first(size), filter)
        .await
        .expect("a page of charges")
}

#[tokio::test]
async fn dates_narrow_the_list_and_searches_page_by_token() {
    let sim = stripe_sim(0, "").await;
    let mut made = Vec::new();
    for i in 0..7 {
        made.push(captured(&sim, 1000 + i).await);
    }
    // Dates alone: the list, narrowed by `created`.
    let filter = ChargeFilter {
        from: Some(Utc::now() - chrono::Duration::hours(1)),
        until: Some(Utc::now() + chrono::Duration::hours(1)),
        ..ChargeFilter::default()
    };
    let listed = first_page(&sim, 100, &filter).await;
    assert_eq!(listed.items.len(), 7);
    let past = ChargeFilter {
        until: Some(Utc::now() - chrono::Duration::days(400)),
        ..ChargeFilter::default()
    };
    let none = first_page(&sim, 100, &past).await;
    assert!(none.items.is_empty());

    // Text Stripe can search for: the Search API, paged by `next_page`.
    let filter = ChargeFilter {
        text: "4242".into(),
        from: Some(Utc::now() - chrono::Duration::hours(1)),
        ..ChargeFilter::default()
    };
    let mut request = PageRequest::first(3);
    let mut found = HashSet::new();
    for _ in 0..10 {
        let page = sim
            .gateway
            .list_charges(&request, &filter)
            .await
            .expect("search");
        for charge in &page.items {
            assert_eq!(charge.card.as_ref().map(|c| c.last4.as_str()), Some("4242"));
            found.insert(charge.id.clone());
        }
        match page.next {
            Some(next) => {
                assert_matches!(next, Cursor::After(_));
                request = PageRequest::at(next, 3);
            }
            None => break,
        }
    }
    let ours: HashSet<String> = made.iter().map(|c| c.id.clone()).collect();
    assert_eq!(found, ours);

    // A charge id is fetched outright.
    let by_id = ChargeFilter {
        text: made[2].id.clone(),
        ..ChargeFilter::default()
    };
    let page = first_page(&sim, 10, &by_id).await;
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, made[2].id);
}

#[tokio::test]
async fn creates_charges_from_tokens_cards_and_customers() {
    let sim = stripe_sim(0, "").await;
    let charge = captured(&sim, 2000).await;
    assert_eq!(charge.captured, usd(2000));
    assert_eq!(charge.email.as_deref(), Some("jenny.rosen@example.com"));
    assert_eq!(charge.metadata["order_id"], "6735");
    let card = charge.card.expect("card");
    assert_eq!((card.last4.as_str(), card.brand.label()), ("4242", "Visa"));

    let raw_card = PaymentSource::Card(CardDetails {
        number: Secret::new("5555555555554444"),
        expiry_month: 12,
        expiry_year: 2035,
        cvc: Secret::new("123"),
        name: "Jenny Rosen".into(),
        address_line1: "1 Main St".into(),
        address_city: "Springfield".into(),
        address_country: "US".into(),
    });
    let from_card = sim
        .gateway
        .create_charge(&new_charge(usd(1500), true, raw_card), &key())
        .await
        .expect("raw card charge");
    assert_eq!(from_card.card.map(|c| c.last4), Some("4444".into()));

    let yen = sim
        .gateway
        .create_charge(
            &new_charge(
                Money::from_minor(500, Currency::JPY),
                true,
                token("tok_visa"),
            ),
            &key(),
        )
        .await
        .expect("zero-decimal charge");
    assert_eq!(yen.amount, Money::from_minor(500, Currency::JPY));
}

#[tokio::test]
async fn a_hold_lasts_a_week_and_is_captured_in_part_releasing_the_rest() {
    let sim = stripe_sim(0, "").await;
    let charge = authorised(&sim, 4000).await;
    let expires = charge.authorisation_expires.expect("expiry");
    let week = charge.created + chrono::Duration::days(7);
    assert!((expires - week).num_seconds().abs() <= 60, "{expires}");
    let part = sim
        .gateway
        .capture(&charge.id, usd(3000), &key())
        .await
        .expect("partial capture");
    assert_eq!(part.status, ChargeStatus::Captured);
    assert_eq!(part.captured, usd(3000));
    assert!(part.refunded.is_zero(), "the release is not a refund");
    assert_eq!(part.refundable(), usd(3000));
    // A second capture is refused by Stripe's own code.
    let again = sim.gateway.capture(&charge.id, usd(1000), &key()).await;
    assert_matches!(again, Err(GatewayError::Refused { code, .. }) if code == "charge_already_captured");

    let charge = authorised(&sim, 4000).await;
    let too_much = sim.gateway.capture(&charge.id, usd(5000), &key()).await;
    assert_refused(&too_much);
}

/// Issue 10: after capturing A$20.00 of A$36.40 the remainder is released, not refunded:
/// the amounts say so, the charge's refunds and the list of all refunds leave it out.
#[tokio::test]
async fn a_partial_capture_reports_captured_released_and_refunded_apart() {
    let sim = stripe_sim(0, "").await;
    assert_eq!(CAPABILITIES.void_name, "release");
    let charge = authorised(&sim, 3640).await;
    assert_eq!(charge.held(), usd(3640));
    assert_eq!(charge.list_amount(), usd(3640));
    let part = sim
        .gateway
        .capture(&charge.id, usd(2000), &key())
        .await
        .expect("partial capture");
    let read = sim.gateway.get_charge(&charge.id).await.expect("read back");
    for c in [&part, &read] {
        assert_eq!(c.amount, usd(3640));
        assert_eq!(c.captured, usd(2000));
        assert_eq!(c.released, usd(1640));
        assert!(c.refunded.is_zero(), "{:?}", c.refunded);
        assert_eq!(c.refundable(), usd(2000));
        assert_eq!(c.list_amount(), usd(2000), "the list shows what was taken");
        assert!(c.held().is_zero());
    }
    let refunds = refunds_of(&sim.gateway, &charge.id).await;
    assert!(refunds.is_empty(), "a release is not a refund: {refunds:?}");
    sim.gateway
        .refund(&charge.id, usd(500), None, &key())
        .await
        .expect("refund");
    let after = sim.gateway.get_charge(&charge.id).await.expect("read back");
    assert_eq!(after.refunded, usd(500));
    assert_eq!(after.released, usd(1640));
    assert_eq!(after.refundable(), usd(1500));
    let refunds = refunds_of(&sim.gateway, &charge.id).await;
    assert_eq!(
        refunds.iter().map(|r| r.amount).collect::<Vec<_>>(),
        [usd(500)]
    );
    // Releasing a whole authorisation is no refund either.
    let held = authorised(&sim, 2500).await;
    let voided = sim.gateway.void(&held.id, &key()).await.expect("release");
    assert_eq!(voided.released, usd(2500));
    assert!(voided.refunded.is_zero());
    let all = sim
        .gateway
        .list_refunds(&PageRequest::first(100))
        .await
        .expect("refunds");
    let amounts: Vec<Money> = all.items.iter().map(|r| r.amount).collect();
    assert_eq!(amounts, [usd(500)], "{:?}", all.items);
}

/// Free text is no reason Stripe knows: it is kept in the refund's metadata, and a
/// reason Stripe names is sent as its own. Too much is refused naming the amount.
#[tokio::test]
async fn refunds_keep_their_reasons_and_name_the_amount_when_too_much() {
    let sim = stripe_sim(0, "").await;
    let charge = captured(&sim, 4000).await;
    let first = sim
        .gateway
        .refund(&charge.id, usd(1250), Some("damaged in transit"), &key())
        .await
        .expect("refund");
    assert_eq!(first.reason.as_deref(), Some("damaged in transit"));
    let raw: Value = serde_json::from_str(first.raw.as_str()).expect("raw");
    assert_eq!(
        raw["reason"],
        Value::Null,
        "free text is not Stripe's reason"
    );
    assert_eq!(raw["metadata"]["paydeck_reason"], "damaged in transit");

    let too_much = sim
        .gateway
        .refund(&charge.id, usd(3000), None, &key())
        .await;
    match too_much {
        Err(GatewayError::Validation { fields, .. }) => assert_eq!(fields[0].field, "amount"),
        other => panic!("expected a validation error, got {other:?}"),
    }

    let rest = sim
        .gateway
        .refund(&charge.id, usd(2750), Some("Requested by customer"), &key())
        .await
        .expect("the rest");
    let raw: Value = serde_json::from_str(rest.raw.as_str()).expect("raw");
    assert_eq!(raw["reason"], "requested_by_customer");
    let missing = sim.gateway.get_refund("re_nosuchrefund000000").await;
    assert_matches!(missing, Err(GatewayError::NotFound { .. }));
}

#[tokio::test]
async fn a_resent_write_is_replayed_not_repeated() {
    let sim = stripe_sim(0, "").await;
    let charge = captured(&sim, 4000).await;
    let same = key();
    let first = sim
        .gateway
        .refund(&charge.id, usd(500), Some("duplicate"), &same)
        .await
        .expect("refund");
    let second = sim
        .gateway
        .refund(&charge.id, usd(500), Some("duplicate"), &same)
        .await
        .expect("replayed refund");
    assert_eq!(first.id, second.id);
    let refunds = sim.applied_to("refund", &charge.id).await;
    assert_eq!(refunds, 1);
    let after = sim.gateway.get_charge(&charge.id).await.expect("get");
    assert_eq!(after.refunded, usd(500));

    // The same key for something else is refused, not applied.
    let other = sim
        .gateway
        .refund(&charge.id, usd(700), Some("duplicate"), &same)
        .await;
    assert_matches!(other, Err(GatewayError::Refused { code, .. }) if code == "idempotency_error");

    // A keyed capture likewise.
    let auth = authorised(&sim, 3000).await;
    let capture_key = key();
    let a = sim
        .gateway
        .capture(&auth.id, usd(3000), &capture_key)
        .await
        .expect("capture");
    let b = sim
        .gateway
        .capture(&auth.id, usd(3000), &capture_key)
        .await
        .expect("replayed");
    assert_eq!(a.id, b.id);
    let captures = sim.applied_to("capture", &auth.id).await;
    assert_eq!(captures, 1);
}

#[tokio::test]
async fn customers_keep_every_field_page_by_id_and_save_cards_from_tokens() {
    let sim = stripe_sim(20, "").await;
    let gateway = &sim.gateway;
    let customer = gateway
        .create_customer(
            &NewCustomer {
                email: "ada@example.com".into(),
                first_name: Some("Ada".into()),
                last_name: Some("Lovelace".into()),
                phone: Some("+61 400 000 000".into()),
                company: Some("Engines".into()),
                notes: Some("prefers email".into()),
                card: token("tok_mastercard"),
            },
            &key(),
        )
        .await
        .expect("create customer");
    assert_eq!(customer.display_name(), "Ada Lovelace");
    assert_eq!(customer.email, "ada@example.com");
    assert_eq!(customer.company.as_deref(), Some("Engines"));
    assert_eq!(customer.notes.as_deref(), Some("prefers email"));

    let mut page = PageRequest::first(10);
    let mut listed = HashSet::new();
    loop {
        let customers = gateway.list_customers(&page).await.expect("list");
        listed.extend(customers.items.into_iter().map(|c| c.id));
        match customers.next {
            Some(next) => page = PageRequest::at(next, 10),
            None => break,
        }
    }
    assert!(listed.contains(&customer.id));
    assert!(
        listed.len() > 10,
        "paged through {} customers",
        listed.len()
    );

    let cards = gateway.customer_cards(&customer.id).await.expect("cards");
    assert_eq!(cards.len(), 1, "{cards:?}");
    assert_eq!(cards[0].last4, "4444");
    assert!(cards[0].primary);

    let added = gateway
        .add_card(&customer.id, "tok_visa", &key())
        .await
        .expect("add card");
    assert_eq!(added.last4, "4242");
    let cards = gateway.customer_cards(&customer.id).await.expect("cards");
    assert_eq!(cards.len(), 2, "{cards:?}");
    assert!(
        !cards
            .iter()
            .find(|c| c.id == added.id)
            .expect("added")
            .primary
    );
    gateway
        .delete_card(&customer.id, &added.id, &key())
        .await
        .expect("delete card");
    let cards = gateway.customer_cards(&customer.id).await.expect("cards");
    assert_eq!(cards.len(), 1, "{cards:?}");

    // Stripe deletes the default card too (tests/gateway_contract.rs).
    assert!(gateway.capabilities().delete_primary_card);
    let missing = gateway.get_customer("cus_nosuchcustomer00").await;
    assert_matches!(missing, Err(GatewayError::NotFound { .. }));
}

#[tokio::test]
async fn disputes_are_found_answered_and_closed() {
    let sim = stripe_sim(0, "").await;
    let gateway = &sim.gateway;
    let mut disputed = Vec::new();
    for _ in 0..2 {
        let charge = gateway
            .create_charge(
                &new_charge(usd(5000), true, token("tok_createDispute")),
                &key(),
            )
            .await
            .expect("charge that will be disputed");
        disputed.push(charge.id);
    }
    let clean = captured(&sim, 1000).await;
    assert_eq!(gateway.charge_dispute(&clean.id).await.expect("none"), None);

    let first = gateway
        .charge_dispute(&disputed[0])
        .await
        .expect("dispute")
        .expect("the charge has a dispute");
    assert_eq!(first.charge_id, disputed[0]);
    assert!(first.status.needs_response(), "{:?}", first.status);
    assert_eq!(first.amount, usd(5000));
    let charge = gateway.get_charge(&disputed[0]).await.expect("get");
    assert_eq!(charge.status, ChargeStatus::Disputed);

    let listed = gateway
        .list_disputes(&PageRequest::first(10))
        .await
        .expect("list disputes");
    assert!(listed.items.iter().any(|d| d.id == first.id));
    let fetched = gateway.get_dispute(&first.id).await.expect("get dispute");
    assert_eq!(fetched.id, first.id);

    let answered = gateway
        .submit_dispute_evidence(
            &first.id,
            "Delivered to the front desk, signed for.",
            &key(),
        )
        .await
        .expect("evidence");
    assert!(answered.evidence_submitted);
    assert_eq!(answered.status, DisputeStatus::UnderReview);
    let raw: Value = serde_json::from_str(answered.raw.as_str()).expect("raw");
    assert_eq!(
        raw["evidence"]["uncategorized_text"],
        "Delivered to the front desk, signed for."
    );

    let second = gateway
        .charge_dispute(&disputed[1])
        .await
        .expect("dispute")
        .expect("the charge has a dispute");
    let closed = gateway
        .close_dispute(&second.id, &key())
        .await
        .expect("close");
    assert_eq!(closed.status, DisputeStatus::Lost);
    let missing = gateway.get_dispute("dp_nosuchdispute0000").await;
    assert_matches!(missing, Err(GatewayError::NotFound { .. }));
}

#[tokio::test]
async fn a_write_racing_its_own_key_waits_for_the_first_result() {
    let sim = stripe_sim(0, "").await;
    let auth = authorised(&sim, 3000).await;
    let patient = StripeGateway::new(
        &sim.url,
        Secret::new(sim.key.clone()),
        HttpConfig {
            retry: RetryPolicy {
                max_attempts: 30,
                base_delay: Duration::from_millis(20),
                max_delay: Duration::from_millis(60),
                max_retry_after: Duration::from_millis(60),
                ..RetryPolicy::default()
            },
            ..retrying(30)
        },
    )
    .expect("adapter");
    let same = key();
    // The first request holds the key for a while; the adapter's copy meets 409
    // `idempotency_key_in_use`, waits, and gets the first request's result.
    let first = async {
        let response = reqwest::Client::new()
            .post(format!("{}/v1/charges/{}/capture", sim.url, auth.id))
            .bearer_auth(&sim.key)
            .header("Idempotency-Key", same.as_str())
            .header("Paydeck-Sim-Delay-Ms", "300")
            .form(&[("amount", "3000")])
            .send()
            .await
            .expect("first request");
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("json");
        (status, body)
    };
    let second = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        patient.capture(&auth.id, usd(3000), &same).await
    };
    let ((status, body), replayed) = tokio::join!(first, second);
    assert_eq!(status, 200, "{body}");
    let replayed = replayed.expect("the resent capture");
    assert_eq!(replayed.id, body["id"].as_str().unwrap_or_default());
    let captures = sim.applied_to("capture", &auth.id).await;
    assert_eq!(captures, 1);
}

/// A charge awaiting 3-D Secure is `status: "pending"`, uncaptured: waiting on the
/// cardholder, not an authorisation to capture, and with no hold that lapses.
#[tokio::test]
async fn a_charge_awaiting_authentication_is_pending_3ds_not_authorised() {
    let sim = stripe_sim(3000, "").await;
    let mut pending = Vec::new();
    let mut request = PageRequest::first(100);
    loop {
        let page = sim
            .gateway
            .list_charges(&request, &ChargeFilter::default())
            .await
            .expect("a page");
        for charge in page.items {
            let raw: Value = serde_json::from_str(charge.raw.as_str()).expect("raw JSON");
            if raw["status"] == "pending" {
                pending.push(charge);
            }
        }
        match page.next {
            Some(cursor) => request = PageRequest::at(cursor, 100),
            None => break,
        }
    }
    assert!(
        !pending.is_empty(),
        "the seeded charges hold one awaiting 3-D Secure"
    );
    for charge in &pending {
        assert_eq!(charge.status, ChargeStatus::Pending3ds, "{}", charge.id);
        assert_eq!(charge.authorisation_expires, None, "{}", charge.id);
    }
}
