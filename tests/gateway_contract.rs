//! The contract every adapter keeps, whichever gateway it speaks: each test runs once
//! per gateway (`Dialect::ALL`) over real HTTP against the simulator, as far as the
//! gateway's capabilities go. Paging, reading a charge, refusing a wrong key, typed
//! errors for a gateway that answers badly, a key that never shows, and the writes
//! every gateway has (capture, void, refund in part). What only one gateway does lives
//! in its own `tests/<gateway>_adapter.rs`.

mod common;

use std::collections::{HashMap, HashSet};

use common::assert_matches;
use common::simulator::retrying;
use common::{Dialect, Sim, ada, every_page, faults, made, order, quick_http, start, test_card};
use paydeck::domain::{
    Charge, ChargeFilter, ChargeStatus, Cursor, CustomerUpdate, LineKind, NetCheck, NewCharge,
    PageRequest, PaymentSource, PayoutPlace,
};
use paydeck::gateway::openpay::OpenpayGateway;
use paydeck::gateway::pin::PinGateway;
use paydeck::gateway::stripe::StripeGateway;
use paydeck::gateway::trx::TrxGateway;
use paydeck::gateway::{Gateway, GatewayError, OperationKey};
use paydeck::money::{Currency, Money};
use paydeck::secret::Secret;
use paydeck::sim::SimConfig;

/// `dialect`'s simulator with `charges` seeded charges and `spec` faults (seeds and
/// customers as each adapter's own tests have them), and its adapter.
async fn adapted(dialect: Dialect, charges: usize, spec: &str) -> (Sim, Box<dyn Gateway>) {
    let (seed, customers) = match dialect {
        Dialect::Stripe => (11, 30),
        _ => (7, 40),
    };
    let config = SimConfig {
        seed,
        charges,
        customers,
        live_per_minute: 0,
        faults: faults(spec),
        ..SimConfig::default()
    };
    let sim = start(dialect, config).await;
    let gateway = sim.gateway(quick_http());
    (sim, gateway)
}

/// The cursor that follows page `pages` (counted from 1) of 25 ending at `last`.
fn next_cursor(dialect: Dialect, pages: u64, last: &str) -> Cursor {
    match dialect {
        Dialect::Pin => Cursor::Page(u32::try_from(pages + 1).expect("a page number")),
        Dialect::Stripe => Cursor::After(last.to_string()),
        Dialect::Openpay | Dialect::Trx => Cursor::Offset(pages * 25),
    }
}

#[tokio::test]
async fn pages_through_every_charge_newest_first() {
    for dialect in Dialect::ALL {
        let (_sim, gateway) = adapted(dialect, 130, "").await;
        let mut request = PageRequest::first(25);
        let mut seen = HashSet::new();
        let mut previous = None;
        let mut pages = 0;
        loop {
            let page = gateway
                .list_charges(&request, &ChargeFilter::default())
                .await
                .expect("page");
            match dialect {
                Dialect::Pin | Dialect::Trx => assert_eq!(page.total, Some(130), "{dialect:?}"),
                Dialect::Openpay => assert_eq!(page.total, None, "Openpay never says how many"),
                Dialect::Stripe => {}
            }
            for charge in &page.items {
                assert!(seen.insert(charge.id.clone()), "{} listed twice", charge.id);
                if let Some(before) = previous {
                    assert!(charge.created <= before, "{dialect:?}: not newest first");
                }
                previous = Some(charge.created);
            }
            pages += 1;
            match page.next {
                Some(next) => {
                    let last = &page.items.last().expect("a full page").id;
                    assert_eq!(next, next_cursor(dialect, pages, last), "{dialect:?}");
                    request = PageRequest::at(next, 25);
                }
                None => break,
            }
        }
        assert_eq!(pages, 6, "{dialect:?}");
        assert_eq!(seen.len(), 130, "{dialect:?}");
    }
}

#[tokio::test]
async fn a_page_past_the_end_is_empty_and_last() {
    // Stripe pages by the last id seen, so no cursor of its lies past the end.
    for (dialect, past) in [
        (Dialect::Pin, Cursor::Page(9)),
        (Dialect::Openpay, Cursor::Offset(500)),
        (Dialect::Trx, Cursor::Offset(500)),
    ] {
        let (_sim, gateway) = adapted(dialect, 10, "").await;
        let page = gateway
            .list_charges(&PageRequest::at(past, 25), &ChargeFilter::default())
            .await
            .expect("page past the end");
        assert!(page.items.is_empty(), "{dialect:?}");
        assert_eq!(page.next, None, "{dialect:?}");
    }
}

/// An id of the gateway's shape that no charge has.
fn missing_id(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Pin | Dialect::Stripe => "ch_doesnotexist000000000",
        Dialect::Openpay => "trdoesnotexist000000",
        Dialect::Trx => "trx_01DOESNOTEXIST0000000000",
    }
}

#[tokio::test]
async fn gets_a_charge_and_says_when_there_is_none() {
    for dialect in Dialect::ALL {
        let (_sim, gateway) = adapted(dialect, 5, "").await;
        let listed = gateway
            .list_charges(&PageRequest::first(5), &ChargeFilter::default())
            .await
            .expect("list");
        let first = &listed.items[0];
        let fetched = gateway.get_charge(&first.id).await.expect("get");
        assert_eq!(&fetched, first, "{dialect:?}");
        assert!(
            fetched.raw.as_str().contains(&format!("\"{}\"", first.id)),
            "{dialect:?}: raw JSON kept"
        );
        let id = missing_id(dialect);
        match gateway.get_charge(id).await {
            // Openpay's answer names the id it did not find.
            Err(GatewayError::NotFound { message }) => assert!(
                dialect != Dialect::Openpay || message.contains(id),
                "{dialect:?}: {message}"
            ),
            other => panic!("{dialect:?}: expected not found, got {other:?}"),
        }
    }
}

/// A key the gateway does not know, of the shape it gives.
fn wrong_key(sim: &Sim) -> String {
    match sim.dialect {
        Dialect::Pin => "not-the-key".into(),
        Dialect::Stripe => "sk_test_notthekey0000000000001234".into(),
        Dialect::Openpay => "sk_not_the_key".into(),
        Dialect::Trx => {
            let (id, _) = sim.key.split_once(':').expect("client id and secret");
            format!("{id}:sec_wrong")
        }
    }
}

#[tokio::test]
async fn a_wrong_key_is_unauthorised_and_never_shown() {
    for dialect in Dialect::ALL {
        let (sim, _) = adapted(dialect, 5, "").await;
        let wrong = wrong_key(&sim);
        let gateway: Box<dyn Gateway> = match dialect {
            Dialect::Pin => Box::new(
                PinGateway::new(&sim.url, Secret::new(wrong.clone()), quick_http())
                    .expect("adapter"),
            ),
            Dialect::Stripe => Box::new(
                StripeGateway::new(&sim.url, Secret::new(wrong.clone()), retrying(2))
                    .expect("adapter"),
            ),
            Dialect::Openpay => {
                let (base, merchant) = sim.openpay_base_and_merchant();
                Box::new(
                    OpenpayGateway::new(&base, &merchant, Secret::new(wrong.clone()), quick_http())
                        .expect("adapter"),
                )
            }
            Dialect::Trx => Box::new(
                TrxGateway::from_key(&sim.url, Secret::new(wrong.clone()), quick_http())
                    .expect("adapter"),
            ),
        };
        // What each gateway says about the key.
        let says = match dialect {
            Dialect::Pin => "API Key",
            Dialect::Stripe => "Invalid API Key",
            Dialect::Openpay => "merchant id",
            Dialect::Trx => "",
        };
        let listed = gateway
            .list_charges(&PageRequest::first(5), &ChargeFilter::default())
            .await
            .map(drop);
        let got = gateway.get_charge("ch_x").await.map(drop);
        for result in [listed, got] {
            match result {
                Err(e @ GatewayError::Unauthorised { .. }) => {
                    let text = format!("{e} {e:?}");
                    assert!(text.contains(says), "{dialect:?}: {text}");
                    assert!(!text.contains(&wrong), "{dialect:?}: {text}");
                    assert!(!text.contains("sec_"), "{dialect:?}: {text}");
                }
                other => panic!("{dialect:?}: expected unauthorised, got {other:?}"),
            }
        }
    }
}

#[tokio::test]
async fn a_truncated_body_is_a_malformed_response() {
    for dialect in Dialect::ALL {
        let (_sim, gateway) = adapted(dialect, 30, "malformed_rate=1").await;
        let result = gateway
            .list_charges(&PageRequest::first(25), &ChargeFilter::default())
            .await;
        match result {
            Err(GatewayError::Malformed { status, body, .. }) => {
                assert_eq!(status, 200, "{dialect:?}");
                // The transactions gateway's truncated page may be cut to nothing.
                assert!(
                    dialect == Dialect::Trx || !body.is_empty(),
                    "{dialect:?}: the body is kept for the log"
                );
            }
            other => panic!("{dialect:?}: expected a malformed response, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn server_errors_and_html_pages_are_unavailable_and_writes_unconfirmed() {
    for dialect in Dialect::ALL {
        let (sim, gateway) = adapted(dialect, 30, "error_rate=1").await;
        let result = gateway.get_charge(missing_id(dialect)).await;
        match result {
            Err(GatewayError::Unavailable {
                status, message, ..
            }) => {
                assert!((500..=503).contains(&status), "{dialect:?}: {status}");
                assert!(
                    !message.contains("<html>"),
                    "{dialect:?}: an HTML page is summarised: {message}"
                );
            }
            other => panic!("{dialect:?}: expected the gateway to be unavailable, got {other:?}"),
        }
        // A keyed write whose answer never comes is neither done nor failed; without
        // keys, the check before the write may fail first, and nothing is sent.
        let some = Money::from_minor(100, Currency::USD);
        let write = gateway
            .capture(missing_id(dialect), some, &OperationKey::new())
            .await;
        let keyed = gateway.capabilities().idempotency_keys;
        assert!(
            match write {
                Err(GatewayError::Unconfirmed { .. }) => true,
                Err(GatewayError::Unavailable { .. }) => !keyed,
                _ => false,
            },
            "{dialect:?}: {write:?}"
        );
        drop(sim);
    }
}

#[tokio::test]
async fn dropped_connections_are_connection_errors() {
    for dialect in Dialect::ALL {
        let (_sim, gateway) = adapted(dialect, 30, "reset_rate=1").await;
        let result = gateway.get_charge(missing_id(dialect)).await;
        assert_matches!(
            result,
            Err(GatewayError::Connection {
                before_send: false,
                ..
            }),
            "{dialect:?}"
        );
    }
}

#[tokio::test]
async fn rate_limits_carry_the_wait() {
    for dialect in Dialect::ALL {
        // With a wait of nothing, and with the gateway's own wait.
        for spec in ["rate_limit=1,retry_after_s=0", "rate_limit=1"] {
            let (_sim, gateway) = adapted(dialect, 30, spec).await;
            let result = gateway.get_charge(missing_id(dialect)).await;
            assert_matches!(
                result,
                Err(GatewayError::RateLimited { .. }),
                "{dialect:?}, {spec}"
            );
        }
    }
}

#[tokio::test]
async fn the_key_never_shows() {
    for dialect in Dialect::ALL {
        let (sim, gateway) = adapted(dialect, 5, "").await;
        let printed = match dialect {
            Dialect::Pin => format!("{:?}", sim.pin(quick_http())),
            Dialect::Stripe => format!("{:?}", sim.stripe(quick_http())),
            Dialect::Openpay => format!("{:?}", sim.openpay(quick_http())),
            Dialect::Trx => format!("{:?}", sim.trx(quick_http())),
        };
        assert!(!printed.contains(&sim.key), "{dialect:?}: {printed}");
        // The transactions gateway prints its client id and leaves the secret out.
        assert!(
            printed.contains("***") || (dialect == Dialect::Trx && !printed.contains("sec_")),
            "{dialect:?}: {printed}"
        );
        let error = gateway.get_charge(missing_id(dialect)).await.unwrap_err();
        assert!(
            !format!("{error} {error:?}").contains(&sim.key),
            "{dialect:?}"
        );
    }
}

/// An authorisation of 10.00 in the gateway's currency, on a card it approves.
fn authorisation(dialect: Dialect) -> NewCharge {
    order(dialect, 1000, false)
}

/// Asks `gateway` to capture the whole of `charge`, which it must refuse.
async fn capture_is_refused(dialect: Dialect, gateway: &dyn Gateway, charge: &Charge) {
    let capture = gateway
        .capture(&charge.id, charge.amount, &OperationKey::new())
        .await;
    assert_matches!(capture, Err(GatewayError::Refused { .. }), "{dialect:?}");
}

#[tokio::test]
async fn an_authorisation_is_captured_once() {
    for dialect in Dialect::ALL {
        let (_sim, gateway) = adapted(dialect, 0, "").await;
        let order = order(dialect, 4000, false);
        let charge = made(gateway.as_ref(), &order).await;
        // Openpay does not say when a pre-authorisation lapses.
        assert!(
            charge.authorisation_expires.is_some() || dialect == Dialect::Openpay,
            "{dialect:?}"
        );
        let captured = gateway
            .capture(&charge.id, order.amount, &OperationKey::new())
            .await
            .expect("capture");
        assert_eq!(captured.status, ChargeStatus::Captured, "{dialect:?}");
        assert_eq!(captured.captured, order.amount, "{dialect:?}");
        capture_is_refused(dialect, gateway.as_ref(), &charge).await;
    }
}

#[tokio::test]
async fn a_void_lets_the_whole_hold_go_and_leaves_a_capture_alone() {
    for dialect in Dialect::ALL {
        let (_sim, gateway) = adapted(dialect, 0, "").await;
        let order = order(dialect, 2500, false);
        let held = made(gateway.as_ref(), &order).await;
        let voided = gateway
            .void(&held.id, &OperationKey::new())
            .await
            .expect("void");
        assert_eq!(voided.status, ChargeStatus::Voided, "{dialect:?}");
        assert_eq!(voided.released, order.amount, "{dialect:?}: the whole hold");
        assert!(voided.refunded.is_zero(), "{dialect:?}: no money moved");
        assert!(voided.held().is_zero(), "{dialect:?}");
        capture_is_refused(dialect, gateway.as_ref(), &held).await;

        let taken = made(gateway.as_ref(), &self::order(dialect, 900, true)).await;
        let void = gateway.void(&taken.id, &OperationKey::new()).await;
        assert_matches!(void, Err(GatewayError::Refused { .. }), "{dialect:?}");
        let unchanged = gateway.get_charge(&taken.id).await.expect("get");
        assert_eq!(unchanged.status, ChargeStatus::Captured, "{dialect:?}");
    }
}

#[tokio::test]
async fn an_authorisation_lapses_after_seven_days() {
    for dialect in Dialect::ALL {
        let (sim, gateway) = adapted(dialect, 0, "").await;
        let order = order(dialect, 2500, false);
        let charge = made(gateway.as_ref(), &order).await;
        sim.advance_clock(8 * 24 * 3600).await;
        let lapsed = gateway.get_charge(&charge.id).await.expect("get");
        // Stripe may show a lapsed authorisation as released; Openpay cancels it.
        let released = matches!(dialect, Dialect::Stripe | Dialect::Openpay);
        assert!(
            lapsed.status == ChargeStatus::Expired
                || (released && lapsed.status == ChargeStatus::Voided),
            "{dialect:?}: {:?}",
            lapsed.status
        );
        capture_is_refused(dialect, gateway.as_ref(), &charge).await;
    }
}

#[tokio::test]
async fn refunds_in_parts_and_not_beyond_the_charge() {
    for dialect in Dialect::ALL {
        let (_sim, gateway) = adapted(dialect, 0, "").await;
        let order = order(dialect, 4000, true);
        let money = |minor| Money::from_minor(minor, order.amount.currency);
        let charge = made(gateway.as_ref(), &order).await;
        let first = gateway
            .refund(
                &charge.id,
                money(1250),
                Some("damaged in transit"),
                &OperationKey::new(),
            )
            .await
            .expect("refund");
        assert_eq!(first.amount, money(1250), "{dialect:?}");
        assert_eq!(first.charge_id, charge.id, "{dialect:?}");
        let after = gateway.get_charge(&charge.id).await.expect("get");
        assert_eq!(after.status, ChargeStatus::PartiallyRefunded, "{dialect:?}");
        assert_eq!(after.refundable(), money(2750), "{dialect:?}");

        let too_much = gateway
            .refund(&charge.id, money(3000), None, &OperationKey::new())
            .await;
        // The transactions gateway refuses it (`amount_exceeds`); the others call the
        // amount invalid.
        assert!(
            match too_much {
                Err(GatewayError::Validation { .. }) => dialect != Dialect::Trx,
                Err(GatewayError::Refused { .. }) => dialect == Dialect::Trx,
                _ => false,
            },
            "{dialect:?}: {too_much:?}"
        );
        let rest = gateway
            .refund(&charge.id, money(2750), None, &OperationKey::new())
            .await
            .expect("the rest");
        let refunded = gateway.get_charge(&charge.id).await.expect("get");
        assert_eq!(refunded.status, ChargeStatus::Refunded, "{dialect:?}");
        assert!(refunded.refundable().is_zero(), "{dialect:?}");
        let once_more = gateway
            .refund(&charge.id, money(1), None, &OperationKey::new())
            .await;
        assert_matches!(
            once_more,
            Err(GatewayError::Refused { .. } | GatewayError::Validation { .. }),
            "{dialect:?}"
        );

        let listed = gateway.charge_refunds(&charge.id).await.expect("refunds");
        let ids: HashSet<&str> = listed.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            HashSet::from([first.id.as_str(), rest.id.as_str()]),
            "{dialect:?}"
        );
        if gateway.capabilities().refund_list {
            let fetched = gateway.get_refund(&first.id).await.expect("get refund");
            assert_eq!(fetched.amount, money(1250), "{dialect:?}");
            let all = gateway
                .list_refunds(&PageRequest::first(25))
                .await
                .expect("refunds");
            assert!(all.items.iter().any(|r| r.id == first.id), "{dialect:?}");
        }
    }
}

#[tokio::test]
async fn captures_voids_and_refunds_in_parts_once_each() {
    for dialect in Dialect::ALL {
        let (sim, gateway) = adapted(dialect, 0, "").await;
        let order = authorisation(dialect);
        let one = Money::from_minor(100, order.amount.currency);

        // Voided: released, and then not capturable.
        let held = gateway
            .create_charge(&order, &OperationKey::new())
            .await
            .expect("an authorisation");
        assert_eq!(held.status, ChargeStatus::Authorised, "{dialect:?}");
        let voided = gateway
            .void(&held.id, &OperationKey::new())
            .await
            .expect("void");
        assert_eq!(voided.status, ChargeStatus::Voided, "{dialect:?}");
        let late = gateway
            .capture(&held.id, order.amount, &OperationKey::new())
            .await;
        assert!(
            late.is_err(),
            "{dialect:?}: captured a voided charge: {late:?}"
        );

        // Captured in full, then refunded in two parts, and not beyond what is left.
        let held = gateway
            .create_charge(&order, &OperationKey::new())
            .await
            .expect("an authorisation");
        let captured = gateway
            .capture(&held.id, order.amount, &OperationKey::new())
            .await
            .expect("capture");
        assert_eq!(captured.status, ChargeStatus::Captured, "{dialect:?}");
        assert_eq!(captured.captured, order.amount, "{dialect:?}");
        let not_voided = gateway.void(&held.id, &OperationKey::new()).await;
        assert!(
            not_voided.is_err(),
            "{dialect:?}: voided a capture: {not_voided:?}"
        );
        for _ in 0..2 {
            gateway
                .refund(&held.id, one, None, &OperationKey::new())
                .await
                .expect("a part refund");
        }
        let beyond = gateway
            .refund(&held.id, order.amount, None, &OperationKey::new())
            .await;
        assert!(
            beyond.is_err(),
            "{dialect:?}: refunded beyond the charge: {beyond:?}"
        );
        let now = gateway.get_charge(&held.id).await.expect("get");
        assert_eq!(
            now.refunded,
            one.checked_add(one).expect("same currency"),
            "{dialect:?}"
        );
        assert_eq!(now.status, ChargeStatus::PartiallyRefunded, "{dialect:?}");
        let refunds = gateway.charge_refunds(&held.id).await.expect("refunds");
        assert_eq!(refunds.len(), 2, "{dialect:?}: {refunds:?}");

        // The simulator applied each write once: one void, one capture, two refunds.
        let operations = sim.operations().await;
        let count = |kind: &str| {
            operations
                .iter()
                .filter(|op| op["operation"] == kind && op["source"] == "api")
                .count()
        };
        assert_eq!(count("void"), 1, "{dialect:?}: {operations:?}");
        assert_eq!(count("capture"), 1, "{dialect:?}: {operations:?}");
        assert_eq!(count("refund"), 2, "{dialect:?}: {operations:?}");
    }
}

/// A card each gateway with customers saves for a new one, and its last 4.
fn customer_card(dialect: Dialect) -> (PaymentSource, &'static str) {
    match dialect {
        Dialect::Stripe => (PaymentSource::CardToken("tok_mastercard".into()), "4444"),
        Dialect::Openpay => (test_card("5555555555554444"), "4444"),
        _ => (test_card("5520000000000000"), "0000"),
    }
}

#[tokio::test]
async fn customers_their_cards_and_charges() {
    for dialect in Dialect::ALL {
        let (_sim, gateway) = adapted(dialect, 0, "").await;
        let capabilities = gateway.capabilities();
        if !capabilities.customers {
            continue;
        }
        let (card, last4) = customer_card(dialect);
        let customer = gateway
            .create_customer(&ada(card), &OperationKey::new())
            .await
            .expect("create customer");
        assert_eq!(customer.display_name(), "Ada Lovelace", "{dialect:?}");
        let update = CustomerUpdate {
            last_name: Some("King".into()),
            company: Some("Analytical Engines".into()),
            ..CustomerUpdate::default()
        };
        let updated = gateway
            .update_customer(&customer.id, &update, &OperationKey::new())
            .await
            .expect("update");
        assert_eq!(updated.display_name(), "Ada King", "{dialect:?}");
        let fetched = gateway.get_customer(&customer.id).await.expect("get");
        assert_eq!(fetched.display_name(), "Ada King", "{dialect:?}");
        // Openpay's customers have no company.
        let company = (dialect != Dialect::Openpay).then_some("Analytical Engines");
        assert_eq!(
            (updated.company.as_deref(), fetched.company.as_deref()),
            (company, company),
            "{dialect:?}"
        );
        let listed = gateway
            .list_customers(&PageRequest::first(100))
            .await
            .expect("list");
        assert!(
            listed.items.iter().any(|c| c.id == customer.id),
            "{dialect:?}"
        );

        let cards = gateway.customer_cards(&customer.id).await.expect("cards");
        assert_eq!(cards.len(), 1, "{dialect:?}: {cards:?}");
        assert_eq!((cards[0].last4.as_str(), cards[0].primary), (last4, true));

        let mut order = order(dialect, 1500, true);
        order.source = PaymentSource::Customer(customer.id.clone());
        let charged = made(gateway.as_ref(), &order).await;
        assert_eq!(
            charged.customer_id.as_deref(),
            Some(customer.id.as_str()),
            "{dialect:?}"
        );
        let theirs = gateway
            .customer_charges(&customer.id, &PageRequest::first(25))
            .await
            .expect("customer charges");
        let ids: Vec<&str> = theirs.items.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, [charged.id.as_str()], "{dialect:?}");

        // The primary card goes where the gateway lets it, as the capability says.
        let deleted = gateway
            .delete_card(&customer.id, &cards[0].id, &OperationKey::new())
            .await;
        let left = gateway.customer_cards(&customer.id).await.expect("cards");
        if capabilities.delete_primary_card {
            assert!(deleted.is_ok() && left.is_empty(), "{dialect:?}: {left:?}");
        } else {
            assert_matches!(deleted, Err(GatewayError::Refused { .. }), "{dialect:?}");
            assert_eq!(left.len(), 1, "{dialect:?}");
        }

        gateway
            .delete_customer(&customer.id, &OperationKey::new())
            .await
            .expect("delete customer");
        let gone = gateway.get_customer(&customer.id).await;
        assert_matches!(gone, Err(GatewayError::NotFound { .. }), "{dialect:?}");
    }
}

/// Pin's declining test cards, which the transactions gateway's simulator shares.
const PIN_DECLINES: [(&str, &str); 16] = [
    ("4100000000000001", "card_declined"),
    ("5560000000000001", "card_declined"),
    ("4000000000000002", "insufficient_funds"),
    ("5510000000000002", "insufficient_funds"),
    ("4900000000000003", "invalid_cvv"),
    ("5550000000000003", "invalid_cvv"),
    ("4800000000000004", "invalid_card"),
    ("5500000000000004", "invalid_card"),
    ("4700000000000005", "processing_error"),
    ("5590000000000005", "processing_error"),
    ("4600000000000006", "suspected_fraud"),
    ("5540000000000006", "suspected_fraud"),
    ("4300000000000009", "gateway_error"),
    ("5570000000000009", "gateway_error"),
    ("4400000000000099", "unknown"),
    ("5530000000000099", "unknown"),
];

/// Stripe's declining test tokens.
const STRIPE_DECLINES: [(&str, &str); 6] = [
    ("tok_chargeDeclined", "generic_decline"),
    ("tok_chargeDeclinedInsufficientFunds", "insufficient_funds"),
    ("tok_chargeDeclinedLostCard", "lost_card"),
    ("tok_chargeDeclinedExpiredCard", "expired_card"),
    ("tok_chargeDeclinedIncorrectCvc", "incorrect_cvc"),
    ("tok_chargeDeclinedProcessingError", "processing_error"),
];

/// Openpay's declining test cards, with its numeric codes.
const OPENPAY_DECLINES: [(&str, &str); 5] = [
    ("4222222222222220", "3001"),
    ("4000000000000069", "3002"),
    ("4444444444444448", "3003"),
    ("4000000000000119", "3004"),
    ("4000000000000044", "3005"),
];

/// What each gateway declines, and the code it declines it with.
fn declining(dialect: Dialect) -> Vec<(PaymentSource, &'static str)> {
    let cards = |table: &[(&str, &'static str)]| -> Vec<(PaymentSource, &'static str)> {
        table
            .iter()
            .map(|(n, code)| (test_card(n), *code))
            .collect()
    };
    match dialect {
        Dialect::Pin | Dialect::Trx => cards(&PIN_DECLINES),
        Dialect::Openpay => cards(&OPENPAY_DECLINES),
        Dialect::Stripe => STRIPE_DECLINES
            .iter()
            .map(|(token, code)| (PaymentSource::CardToken((*token).into()), *code))
            .collect(),
    }
}

#[tokio::test]
async fn declines_name_their_reason_and_the_declined_charge_is_kept() {
    for dialect in Dialect::ALL {
        let (_sim, gateway) = adapted(dialect, 0, "").await;
        for (source, code) in declining(dialect) {
            let mut order = order(dialect, 1234, true);
            order.source = source;
            match gateway.create_charge(&order, &OperationKey::new()).await {
                Err(GatewayError::Declined {
                    code: got,
                    message,
                    charge_id,
                }) => {
                    assert_eq!(got, code, "{dialect:?}");
                    assert!(!message.is_empty(), "{dialect:?}: {code}");
                    // Openpay names no charge; its own tests find them by status.
                    let Some(id) = charge_id else {
                        assert_eq!(dialect, Dialect::Openpay, "the declined charge is named");
                        continue;
                    };
                    let kept = gateway.get_charge(&id).await.expect("kept");
                    assert_eq!(kept.status, ChargeStatus::Declined, "{dialect:?}");
                    let failure = kept.failure.expect("the failure is kept").code;
                    // Stripe keeps the decline's code on the charge as it said it.
                    assert!(dialect != Dialect::Stripe || failure == code, "{failure}");
                }
                other => panic!("{dialect:?}: {code} expected, got {other:?}"),
            }
        }
    }
}

/// Says which gateway leaves out what, so that nothing is skipped silently.
fn not_offered(dialect: Dialect, what: &str) {
    eprintln!("gateway_contract: {dialect:?} does not offer {what}; not checked there");
}

/// Long enough for every capture made before it to be in a closed batch on every
/// gateway: the simulator's default schedule cuts daily, and the transactions
/// gateway batches a payment a day after its capture.
const PAST_THE_SETTLEMENT_DELAY_S: u64 = 4 * 24 * 3600;

/// Money after capture, for every gateway whose capabilities say payouts: charges
/// captured (one refunded in part) before the clock passes the settlement delay are
/// each in exactly one payout's lines, as is every other captured charge; every
/// payout listed is found again with the same amount; every line nets, and a
/// payout's lines net to its amount; the balance reads; and where a charge's
/// settlement is offered, a paid-out charge names its payout and a fresh capture is
/// not yet paid out.
#[tokio::test]
async fn payouts_carry_each_captured_charge_once_and_add_up() {
    let mut checked = Vec::new();
    for dialect in Dialect::ALL {
        let (sim, gateway) = adapted(dialect, 20, "").await;
        let offers = gateway.capabilities();
        if !offers.payouts {
            not_offered(dialect, "payouts");
            continue;
        }
        let first = made(gateway.as_ref(), &order(dialect, 4000, true)).await;
        let second = made(gateway.as_ref(), &order(dialect, 2500, true)).await;
        let part = Money::from_minor(1000, first.amount.currency);
        gateway
            .refund(&first.id, part, None, &OperationKey::new())
            .await
            .expect("refund");
        sim.advance_clock(PAST_THE_SETTLEMENT_DELAY_S).await;
        let fresh = made(gateway.as_ref(), &order(dialect, 1500, true)).await;

        let payouts = every_page(|page| {
            let gateway = gateway.as_ref();
            async move { gateway.list_payouts(&page).await.expect("payouts") }
        })
        .await;
        assert!(!payouts.is_empty(), "{dialect:?}: no payouts");
        let mut paid_in: HashMap<String, Vec<String>> = HashMap::new();
        for payout in &payouts {
            let again = gateway.get_payout(&payout.id).await.expect("get payout");
            assert_eq!(
                (&again.id, again.amount),
                (&payout.id, payout.amount),
                "{dialect:?}"
            );
            if !offers.payout_lines {
                continue;
            }
            let lines = every_page(|page| {
                let (gateway, id) = (gateway.as_ref(), payout.id.clone());
                async move { gateway.payout_lines(&id, &page).await.expect("lines") }
            })
            .await;
            let mut net = Money::zero(payout.amount.currency);
            // A gateway that lists the payout's own withdrawal among its lines
            // (Stripe) nets to zero with it: the payout is what the rest add up to.
            for line in lines.iter().filter(|l| l.kind != LineKind::Payout) {
                assert_eq!(line.net_check(), NetCheck::Holds, "{dialect:?}: {line:?}");
                net = net.checked_add(line.amounts.net).expect("one currency");
                if line.kind == LineKind::Charge {
                    let charge = line
                        .charge_id
                        .clone()
                        .expect("a charge line names its charge");
                    paid_in.entry(charge).or_default().push(payout.id.clone());
                }
            }
            assert_eq!(
                net, payout.amount,
                "{dialect:?}: the lines of {}",
                payout.id
            );
        }
        if offers.payout_lines {
            let charges = every_page(|page| {
                let gateway = gateway.as_ref();
                async move {
                    let all = ChargeFilter::default();
                    gateway.list_charges(&page, &all).await.expect("charges")
                }
            })
            .await;
            let captured: Vec<&Charge> = charges
                .iter()
                .filter(|c| c.captured.is_positive() && c.id != fresh.id)
                .collect();
            assert!(
                captured.len() > 2,
                "{dialect:?}: {} captured",
                captured.len()
            );
            for charge in captured {
                let payouts = paid_in.get(&charge.id).map_or(0, Vec::len);
                assert_eq!(
                    payouts, 1,
                    "{dialect:?}: {} in {payouts} payouts",
                    charge.id
                );
            }
            assert!(
                !paid_in.contains_key(&fresh.id),
                "{dialect:?}: paid out at once"
            );
            for own in [&first.id, &second.id] {
                assert!(paid_in.contains_key(own), "{dialect:?}: {own} not paid out");
            }
        } else {
            not_offered(dialect, "a payout's lines");
        }

        if offers.balance {
            let balance = gateway.balance().await.expect("balance");
            let currency = fresh.amount.currency;
            assert!(
                balance.of_currency(currency).is_some(),
                "{dialect:?}: {balance:?}"
            );
        } else {
            not_offered(dialect, "a balance");
        }

        if offers.charge_settlement {
            let settled = gateway
                .charge_settlement(&second.id)
                .await
                .expect("settlement");
            let amounts = settled.amounts.expect("a paid-out charge's fee and net");
            assert_eq!(amounts.net_check(), NetCheck::Holds, "{dialect:?}");
            assert_eq!(amounts.gross, second.amount, "{dialect:?}");
            let named = match settled.payout {
                PayoutPlace::PaidOut { payout_id } => payout_id,
                other => panic!("{dialect:?}: {} is {other:?}", second.id),
            };
            if offers.payout_lines {
                assert_eq!(paid_in.get(&second.id), Some(&vec![named]), "{dialect:?}");
            } else {
                gateway
                    .get_payout(&named)
                    .await
                    .expect("the payout it names");
            }
            let waiting = gateway
                .charge_settlement(&fresh.id)
                .await
                .expect("settlement");
            assert_matches!(waiting.payout, PayoutPlace::NotYet { .. }, "{dialect:?}");
        } else {
            not_offered(dialect, "a charge's settlement");
        }
        checked.push(dialect);
    }
    eprintln!("gateway_contract: payouts checked on {checked:?}");
    assert!(
        checked.contains(&Dialect::Trx),
        "the transactions gateway has payouts"
    );
}
