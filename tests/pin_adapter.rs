//! What only the Pin adapter does, over real HTTP against the simulator's Pin dialect:
//! every test card, captures in full only, 3-D Secure, customers, cards and
//! subscriptions. What every adapter does (paging, reads, a wrong key, bad answers) is
//! in tests/gateway_contract.rs.

mod common;

use common::hostile::{self, Answer};
use common::{
    PinSim, ada, assert_matches, assert_refused, made, new_charge, pin_sim, quick_http, test_card,
};
use paydeck::domain::{
    Charge, ChargeFilter, ChargeStatus, LineKind, LineTotals, NetCheck, PageRequest, PaymentSource,
    Payout, PayoutPlace, PayoutStatus, RefundStatus, SubscriptionState,
};
use paydeck::gateway::paging::every_page;
use paydeck::gateway::pin::PinGateway;
use paydeck::gateway::{
    Cards, Charges, Customers, Gateway, GatewayError, OperationKey, Payouts, Refunds, Subscriptions,
};
use paydeck::money::{Currency, Money};
use paydeck::secret::Secret;
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

/// Every payout of `gateway` read back by id, its line items (every page) checked:
/// each line's net check holds, their nets add up to the payout, and the count is
/// the one the transfer gives. The charges each payout's lines name, by payout.
async fn read_back_payouts(gateway: &PinGateway) -> Vec<(Payout, Vec<String>)> {
    let all = every_page(
        100,
        50,
        |page| async move { gateway.list_payouts(&page).await },
    )
    .await
    .expect("payouts");
    let created: Vec<_> = all.iter().map(|p| p.created).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "not newest first");
    let mut read = Vec::new();
    for listed in all {
        let payout = gateway.get_payout(&listed.id).await.expect("payout");
        assert_eq!(payout, listed);
        let id = payout.id.as_str();
        let lines = every_page(100, 50, |page| async move {
            gateway.payout_lines(id, &page).await
        })
        .await
        .expect("lines");
        assert_eq!(Some(lines.len() as u64), payout.line_count, "{id}");
        for line in &lines {
            assert_eq!(line.net_check(), NetCheck::Holds, "{line:?}");
            assert!(
                line.charge_id.is_some(),
                "every line names its charge: {line:?}"
            );
        }
        let totals = LineTotals::of(&lines).expect("totals");
        assert_eq!(totals.currencies().count(), 1, "{id}");
        let sums = totals
            .of_currency(payout.amount.currency)
            .expect("its currency");
        assert_eq!(sums.net, payout.amount, "{id}");
        let charges = lines
            .iter()
            .filter(|l| l.kind == LineKind::Charge)
            .filter_map(|l| l.charge_id.clone())
            .collect();
        read.push((payout, charges));
    }
    read
}

/// Transfers as payouts over HTTP: a capture joins exactly one transfer once the
/// clock passes a cut-off, is paid after the delay, and its settlement names that
/// transfer with the fee its card pays; a fresh capture is not paid out yet.
#[tokio::test]
async fn transfers_are_payouts_and_a_capture_is_in_exactly_one() {
    let sim = pin_sim(30, "").await;
    let early = captured(&sim, 10_000).await;
    sim.gateway
        .refund(&early.id, aud(2_500), None, &key())
        .await
        .expect("refund");
    sim.advance_clock(4 * 86_400).await;
    let fresh = captured(&sim, 4_000).await;

    let payouts = read_back_payouts(&sim.gateway).await;
    assert!(payouts.iter().any(|(p, _)| p.status == PayoutStatus::Paid));
    let holding: Vec<&Payout> = payouts
        .iter()
        .filter(|(_, charges)| charges.contains(&early.id))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(holding.len(), 1, "in exactly one transfer");
    let paid_out = holding[0];
    assert_eq!(paid_out.status, PayoutStatus::Paid);
    assert!(paid_out.arrival.is_some());
    let account = paid_out.bank_account.as_ref().expect("account");
    assert_eq!(account.last4.len(), 4);

    let settled = sim
        .gateway
        .charge_settlement(&early.id)
        .await
        .expect("settlement");
    assert_eq!(
        settled.payout,
        PayoutPlace::PaidOut {
            payout_id: paid_out.id.clone()
        }
    );
    // 1.75 % + 30c on Pin's domestic test card; Pin has no tax on its fee.
    let amounts = settled.amounts.expect("fee and net");
    assert_eq!((amounts.fee, amounts.fee_tax), (aud(205), aud(0)));
    assert_eq!(amounts.net, aud(9_795));
    assert!(amounts.checks());
    let not_yet = sim
        .gateway
        .charge_settlement(&fresh.id)
        .await
        .expect("settlement");
    assert_eq!(not_yet.payout, PayoutPlace::NotYet { expected_by: None });
    let authorised = authorised(&sim, 1_000).await;
    let unknown = sim.gateway.charge_settlement(&authorised.id).await;
    assert_eq!(
        unknown.map(|s| (s.amounts, s.payout)).expect("settlement"),
        (None, PayoutPlace::Unknown)
    );

    let balance = sim.gateway.balance().await.expect("balance");
    let pending = balance
        .of_currency(Currency::AUD)
        .and_then(|a| a.pending)
        .expect("AUD pending");
    assert!(
        pending.amount >= aud(3_000).amount,
        "the fresh capture is pending: {pending}"
    );
}

/// Ids go into paths made safe: an unknown or path-like transfer id is Pin's 404,
/// never another endpoint's answer.
#[tokio::test]
async fn unknown_and_path_like_transfer_ids_are_not_found() {
    let sim = pin_sim(10, "").await;
    for id in [
        "tfer_nope",
        "../charges",
        "tfer_x/line_items",
        "?page=2",
        "%2e%2e",
    ] {
        let one = sim.gateway.get_payout(id).await;
        assert_matches!(one, Err(GatewayError::NotFound { .. }));
        let lines = sim.gateway.payout_lines(id, &PageRequest::first(5)).await;
        assert_matches!(lines, Err(GatewayError::NotFound { .. }));
    }
    for id in ["", ".."] {
        assert_matches!(
            sim.gateway.get_payout(id).await,
            Err(GatewayError::NotFound { .. })
        );
    }
}

/// A Pin-shaped server that answers every request with `body`.
async fn answering(body: &str) -> PinGateway {
    let server = hostile::start(Answer::Json(body.to_string())).await;
    paydeck::gateway::http::install_crypto_provider();
    PinGateway::new(
        &format!("{}/1", server.url),
        Secret::new("sk_hostile"),
        quick_http(),
    )
    .expect("adapter")
}

/// Broken or hostile transfer answers are clear errors, never panics or guesses: a
/// bad record in a list is set aside and the rest kept; a bad single record, a bad
/// balance or charge is `Malformed`.
#[tokio::test]
async fn hostile_transfer_answers_are_malformed_not_panics() {
    let good = r#"{"token":"tfer_ok","status":"succeeded","currency":"AUD","amount":5,"created_at":"2026-11-20T00:00:00Z","paid_at":null}"#;
    let list = format!(
        r#"{{"response":[{good},{{"token":"tfer_big","status":"x","currency":"AUD","amount":1e40,"created_at":"2026-11-20T00:00:00Z"}},{{"token":"tfer_zzz","status":"x","currency":"ZZZ","amount":1,"created_at":"2026-11-20T00:00:00Z"}}],"count":3,"pagination":{{"next":null}}}}"#
    );
    let page = answering(&list)
        .await
        .list_payouts(&PageRequest::first(25))
        .await
        .expect("the page");
    assert_eq!(page.items.len(), 1);
    let skipped: Vec<_> = page.skipped.iter().map(|s| s.name()).collect();
    assert_eq!(skipped, ["tfer_big", "tfer_zzz"]);

    for body in [
        r#"{"response":{"token":5}}"#,
        r#"{"response":"\u0000"}"#,
        r#"{"response":{"token":"tfer_1","status":"succeeded","currency":"AUD","amount":"400","created_at":"2026-11-20T00:00:00Z"}}"#,
        r#"{"nothing":"here"}"#,
        "not json at all",
    ] {
        let gateway = answering(body).await;
        assert_matches!(
            gateway.get_payout("tfer_1").await,
            Err(GatewayError::Malformed { .. })
        );
        assert_matches!(gateway.balance().await, Err(GatewayError::Malformed { .. }));
        assert_matches!(
            gateway.charge_settlement("ch_1").await,
            Err(GatewayError::Malformed { .. })
        );
    }
    let lines = answering(
        r#"{"response":[{"type":"charge","amount":-9223372036854775808,"currency":"AUD","created_at":"2026-11-20T00:00:00Z","record":{"amount":9223372036854775807,"total_fees":9223372036854775807}},{"type":"<script>","amount":1}],"pagination":{"next":2}}"#,
    )
    .await
    .payout_lines("tfer_1", &PageRequest::first(25))
    .await
    .expect("the page");
    assert_eq!(lines.skipped.len(), 1, "the line without a currency");
    // Amounts at the ends of i64 do not wrap: the net check says it cannot add them.
    assert_matches!(
        lines.items[0].net_check(),
        NetCheck::Unreadable(_) | NetCheck::Off { .. }
    );
}
