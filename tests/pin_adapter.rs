//! What only the Pin adapter does, over real HTTP against the simulator's Pin dialect:
//! every test card, captures in full only, 3-D Secure, customers, cards and
//! subscriptions. What every adapter does (paging, reads, a wrong key, bad answers) is
//! in tests/gateway_contract.rs.

mod common;

use common::{PinSim, ada, assert_refused, made, new_charge, pin_sim, test_card};
use paydeck::domain::{
    Charge, ChargeFilter, ChargeStatus, PageRequest, PaymentSource, RefundStatus, SubscriptionState,
};
use paydeck::gateway::{
    Cards, Charges, Customers, Gateway, GatewayError, OperationKey, Refunds, Subscriptions,
};
use paydeck::money::{Currency, Money};
use reqwest::Method;

fn aud(minor: i64) -> Money {
    Money::from_minor(minor, Currency::AUD)
}

fn key() -> OperationKey {
    OperationKey::new()
}

async fn authorised(sim: &PinSim, minor: i64) -> Charge {
    made(&sim.gateway, &new_charge(aud(minor), false, approved())).await
}

async fn captured(sim: &PinSim, minor: i64) -> Charge {
    made(&sim.gateway, &new_charge(aud(minor), true, approved())).await
}

/// Pin's test card that every charge succeeds on.
fn approved() -> PaymentSource {
    test_card("4200000000000000")
}

/// Pin's declining cards are in tests/gateway_contract.rs.
#[tokio::test]
async fn both_success_cards_capture_in_full() {
    let sim = pin_sim(0, "").await;
    for number in ["4200000000000000", "5520000000000000"] {
        let charge = sim
            .gateway
            .create_charge(&new_charge(aud(1234), true, test_card(number)), &key())
            .await
            .expect("a success card succeeds");
        assert_eq!(charge.status, ChargeStatus::Captured);
        assert_eq!(charge.captured, aud(1234));
        assert_eq!(
            charge.card.as_ref().map(|c| &c.last4[..]),
            Some(&number[12..])
        );
    }
}

#[tokio::test]
async fn invalid_cards_get_validation_errors_with_fields() {
    let sim = pin_sim(0, "").await;
    let result = sim
        .gateway
        .create_charge(
            &new_charge(aud(1234), true, test_card("5520000000000099")),
            &key(),
        )
        .await;
    match result {
        Err(GatewayError::Validation { fields, .. }) => {
            assert!(
                fields.iter().any(|f| f.field == "card.number"),
                "{fields:?}"
            )
        }
        other => panic!("expected 422, got {other:?}"),
    }
}

#[tokio::test]
async fn pin_refuses_a_partial_capture() {
    let sim = pin_sim(0, "").await;
    let charge = authorised(&sim, 4000).await;
    let partial = sim.gateway.capture(&charge.id, aud(1000), &key()).await;
    assert!(partial.is_err(), "{partial:?}");
    let unchanged = sim.gateway.get_charge(&charge.id).await.expect("get");
    assert_eq!(unchanged.status, ChargeStatus::Authorised);
}

#[tokio::test]
async fn refunds_settle_over_time() {
    let sim = pin_sim(0, "").await;
    let charge = captured(&sim, 4000).await;
    let refund = sim
        .gateway
        .refund(&charge.id, aud(100), None, &key())
        .await
        .expect("refund");
    assert_eq!(refund.status, RefundStatus::Pending);
    sim.advance_clock(3600).await;
    let settled = sim
        .gateway
        .get_refund(&refund.id)
        .await
        .expect("get refund");
    assert_eq!(settled.status, RefundStatus::Succeeded);
}

#[tokio::test]
async fn searches_on_the_server() {
    let sim = pin_sim(60, "").await;
    let mut charge = new_charge(aud(777), true, test_card("4200000000000000"));
    charge.email = "needle.haystack@example.org".into();
    let created = sim
        .gateway
        .create_charge(&charge, &key())
        .await
        .expect("charge");
    let filter = ChargeFilter {
        text: "needle.haystack".into(),
        ..ChargeFilter::default()
    };
    let found = sim
        .gateway
        .list_charges(&PageRequest::first(25), &filter)
        .await
        .expect("search");
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].id, created.id);
}

/// What the contract suite does with customers, with Pin's card tokens and its refusal
/// to delete a customer's primary card, in Pin's words.
#[tokio::test]
async fn cards_come_from_tokens_and_the_primary_one_stays() {
    let sim = pin_sim(50, "").await;
    let gateway = &sim.gateway;

    let token = sim.card_token("5520000000000000").await;
    let customer = gateway
        .create_customer(&ada(PaymentSource::CardToken(token.clone())), &key())
        .await
        .expect("create customer");
    assert_eq!(customer.display_name(), "Ada Lovelace");
    assert_eq!(
        customer.primary_card.as_ref().map(|c| c.last4.as_str()),
        Some("0000")
    );

    let second = sim.card_token("4200000000000000").await;
    let added = gateway
        .add_card(&customer.id, &second, &key())
        .await
        .expect("add card");
    assert!(!added.primary);
    let cards = gateway.customer_cards(&customer.id).await.expect("cards");
    assert_eq!(cards.len(), 2);
    let primary = cards.iter().find(|c| c.primary).expect("a primary card");

    // The dashboard refuses before asking, because the capability says Pin will.
    assert!(!gateway.capabilities().delete_primary_card);
    let refused = gateway.delete_card(&customer.id, &primary.id, &key()).await;
    match refused {
        Err(GatewayError::Refused { code, message }) => {
            assert_eq!(code, "cannot_delete_primary_card");
            assert!(message.contains("primary"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    gateway
        .delete_card(&customer.id, &added.id, &key())
        .await
        .expect("delete non-primary card");
    assert_eq!(
        gateway
            .customer_cards(&customer.id)
            .await
            .expect("cards")
            .len(),
        1
    );
}

#[tokio::test]
async fn cancels_a_running_subscription_once() {
    let sim = pin_sim(50, "").await;
    let gateway = &sim.gateway;
    let mut page = PageRequest::first(100);
    let (customer, subscription) = 'found: loop {
        let customers = gateway.list_customers(&page).await.expect("customers");
        for customer in &customers.items {
            let subs = gateway
                .customer_subscriptions(&customer.id)
                .await
                .expect("subscriptions");
            if let Some(sub) = subs.into_iter().find(|s| s.state.can_cancel()) {
                break 'found (customer.id.clone(), sub);
            }
        }
        page = PageRequest::at(
            customers
                .next
                .expect("seed data has a running subscription"),
            100,
        );
    };
    let cancelled = gateway
        .cancel_subscription(&customer, &subscription.id, &key())
        .await
        .expect("cancel");
    assert_eq!(cancelled.state, SubscriptionState::Cancelling);
    let again = gateway
        .cancel_subscription(&customer, &subscription.id, &key())
        .await;
    assert_refused(&again);
}

#[tokio::test]
async fn verifies_a_3ds_charge() {
    let sim = pin_sim(0, "").await;
    let (status, body) = sim
        .raw(
            Method::POST,
            "charges",
            &[
                ("amount", "5000"),
                ("currency", "AUD"),
                ("description", "3DS"),
                ("email", "s@example.com"),
                ("ip_address", "203.0.113.9"),
                ("card[number]", "4242424242424242"),
                ("card[expiry_month]", "12"),
                ("card[expiry_year]", "2035"),
                ("card[cvc]", "123"),
                ("card[name]", "S"),
                ("card[address_line1]", "1 Way"),
                ("card[address_city]", "Perth"),
                ("card[address_country]", "AU"),
                ("three_d_secure[enabled]", "true"),
                ("three_d_secure[callback_url]", "https://example.com/done"),
            ],
        )
        .await;
    assert!(status == 201 || status == 202, "{status} {body}");
    let id = body["response"]["token"].as_str().expect("token");
    let pending = sim.gateway.get_charge(id).await.expect("get");
    assert_eq!(pending.status, ChargeStatus::Pending3ds);
    let session = common::find_session_token(&body["response"]).expect("a 3DS session token");
    let verified = sim.gateway.verify_3ds(&session).await.expect("verify");
    assert_eq!(verified.id, id);
    assert_eq!(verified.status, ChargeStatus::Captured);
}

#[tokio::test]
async fn subscriptions_come_with_their_plans_name_and_price() {
    let sim = pin_sim(50, "").await;
    let gateway = &sim.gateway;
    let customers = gateway
        .list_customers(&PageRequest::first(100))
        .await
        .expect("customers");
    let mut seen = 0;
    for customer in &customers.items {
        let subs = gateway
            .customer_subscriptions(&customer.id)
            .await
            .expect("subscriptions");
        for sub in subs {
            seen += 1;
            // The seed's two plans, as `GET /plans/{plan}` gives them.
            let plan = sub.plan.as_ref().expect("the plan is named");
            let expected = match plan.name.as_str() {
                "Coffee Club Monthly" => aud(2_900),
                "Paydeck Pro" => aud(4_900),
                other => panic!("unexpected plan {other}"),
            };
            assert_eq!(plan.amount, expected);
            assert_eq!(plan.period(), "month");
            assert_eq!(
                plan.label(),
                format!("{} · {expected}/month", plan.name),
                "{}",
                sub.plan_id
            );
        }
    }
    assert!(seen > 0, "seed data has subscriptions");
}
