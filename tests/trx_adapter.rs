//! The adapter for the transactions gateway of seed 002 over real HTTP against the
//! simulator's TRX dialect: every route, the server's clamping of pages, date filters,
//! sorting both ways, exact decimal-string money, and access tokens that expire by the
//! gateway's clock and are renewed once however many calls need them. What every
//! adapter does (paging, reads, a wrong key, bad answers) is in
//! tests/gateway_contract.rs.

mod common;

use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use common::assert_matches;
use common::simulator::adapter_config;
use common::{Adapted, Dialect, Sim, every_page, made, new_charge, quick_http, test_card};
use paydeck::domain::{
    ChargeFilter, ChargeStatus, Cursor, PageRequest, PaymentSource, PayoutPlace, RefundStatus,
};
use paydeck::gateway::trx::{ORDER_ID_METADATA, TrxGateway};
use paydeck::gateway::{Charges, Disputes, GatewayError, OperationKey, Payouts, Refunds};
use paydeck::money::{Currency, Money};
use paydeck::secret::Secret;
use rust_decimal::Decimal;
use serde_json::Value;

type TrxSim = Adapted<TrxGateway>;

async fn trx_sim(charges: usize) -> TrxSim {
    Adapted::start(Dialect::Trx, adapter_config(charges), Sim::trx).await
}

/// `GET {url}/{path_and_query}` with `token`, which may be one the test let expire.
async fn raw_get(s: &TrxSim, token: &str, path_and_query: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(format!("{}/{path_and_query}", s.url))
        .bearer_auth(token)
        .send()
        .await
        .expect("raw request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn usd(text: &str) -> Money {
    Money::new(Decimal::from_str(text).expect("decimal"), Currency::USD).expect("money")
}

fn created(t: &Value) -> DateTime<Utc> {
    t["created_at"]
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .expect("created_at")
        .with_timezone(&Utc)
}

#[tokio::test]
async fn charges_are_listed_newest_first_in_offset_pages() {
    let s = trx_sim(250).await;
    let first = s
        .gateway
        .list_charges(&PageRequest::first(25), &ChargeFilter::default())
        .await
        .expect("first page");
    assert_eq!(first.items.len(), 25);
    let total = first.total.expect("total");
    assert!(total > 25, "{total}");
    assert_eq!(first.next, Some(Cursor::Offset(25)));
    assert!(first.items.windows(2).all(|w| w[0].created >= w[1].created));
    let second = s
        .gateway
        .list_charges(
            &PageRequest::at(Cursor::Offset(25), 25),
            &ChargeFilter::default(),
        )
        .await
        .expect("second page");
    assert!(first.items.last().unwrap().created >= second.items[0].created);
    let ids: std::collections::HashSet<_> = first.items.iter().map(|c| &c.id).collect();
    assert!(second.items.iter().all(|c| !ids.contains(&c.id)));
    // The last page says so.
    let last = s
        .gateway
        .list_charges(
            &PageRequest::at(Cursor::Offset(total - 3), 100),
            &ChargeFilter::default(),
        )
        .await
        .expect("last page");
    assert_eq!(last.items.len(), 3);
    assert_eq!(last.next, None);
    // A page smaller than the server's smallest comes back at the server's size.
    let small = s
        .gateway
        .list_charges(&PageRequest::first(3), &ChargeFilter::default())
        .await
        .expect("small page");
    assert_eq!(small.items.len(), 10);
    assert_eq!(small.next, Some(Cursor::Offset(10)));
    // Every one is a payment with an exact amount and the statuses the domain knows.
    let charge = s.gateway.get_charge(&first.items[0].id).await.expect("get");
    assert_eq!(charge, first.items[0]);
    s.sim.shutdown().await;
}

#[tokio::test]
async fn the_server_clamps_limit_and_offset() {
    let s = trx_sim(250).await;
    let token = s.trx_token().await;
    for (query, offset, limit) in [
        ("limit=5", 0, 10),
        ("limit=10", 0, 10),
        ("limit=11", 0, 11),
        ("limit=500", 0, 100),
        ("limit=100", 0, 100),
        ("offset=-3&limit=20", 0, 20),
        ("offset=7", 7, 10),
    ] {
        let (status, body) = raw_get(&s, &token, &format!("transactions?{query}")).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(body["offset"], offset, "{query}");
        assert_eq!(body["limit"], limit, "{query}");
        assert_eq!(
            body["data"].as_array().map(Vec::len),
            Some(limit),
            "{query}"
        );
    }
    let (status, body) = raw_get(&s, &token, "transactions?limit=ten").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["field"], "limit");
    s.sim.shutdown().await;
}

#[tokio::test]
async fn sorting_both_ways_and_date_filters() {
    let s = trx_sim(250).await;
    let token = s.trx_token().await;
    let (_, asc) = raw_get(
        &s,
        &token,
        "transactions?sort=created_at&direction=ASC&limit=100",
    )
    .await;
    let (_, desc) = raw_get(
        &s,
        &token,
        "transactions?sort=created_at&direction=desc&limit=100",
    )
    .await;
    let asc: Vec<DateTime<Utc>> = asc["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(created)
        .collect();
    let desc: Vec<DateTime<Utc>> = desc["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(created)
        .collect();
    assert!(asc.windows(2).all(|w| w[0] <= w[1]));
    assert!(desc.windows(2).all(|w| w[0] >= w[1]));
    assert!(asc[0] < desc[0]);
    let (_, by_amount) = raw_get(
        &s,
        &token,
        "transactions?sort=order_amount&direction=DESC&limit=50",
    )
    .await;
    let amounts: Vec<Decimal> = by_amount["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| Decimal::from_str(t["order_amount"].as_str().unwrap()).unwrap())
        .collect();
    assert!(amounts.windows(2).all(|w| w[0] >= w[1]), "{amounts:?}");

    // A window of the adapter's dates: every charge in it, and each one the server has.
    let newest = desc[0];
    let filter = ChargeFilter {
        from: Some(newest - Duration::days(10)),
        until: Some(newest - Duration::days(3)),
        ..ChargeFilter::default()
    };
    let mut seen = Vec::new();
    let mut page = PageRequest::first(100);
    loop {
        let got = s.gateway.list_charges(&page, &filter).await.expect("page");
        seen.extend(got.items);
        match got.next {
            Some(next) => page = PageRequest::at(next, 100),
            None => break,
        }
    }
    assert!(!seen.is_empty());
    let from_day = (newest - Duration::days(10)).date_naive();
    let end_day = (newest - Duration::days(3)).date_naive() + Duration::days(1);
    for c in &seen {
        assert!(c.created.date_naive() >= from_day, "{}", c.created);
        assert!(c.created.date_naive() <= end_day, "{}", c.created);
    }
    let wanted = seen.iter().filter(|c| filter.matches(c)).count();
    assert!(wanted > 0);
    // Nothing in the window is missed: compare with a local filter over everything.
    let all_day = (newest - Duration::days(11), newest);
    let since = ChargeFilter {
        from: Some(all_day.0),
        ..ChargeFilter::default()
    };
    let gateway = &s.gateway;
    let everything = every_page(|page| {
        let since = &since;
        async move { gateway.list_charges(&page, since).await.expect("page") }
    })
    .await;
    assert_eq!(
        everything.iter().filter(|c| filter.matches(c)).count(),
        wanted
    );
    // A status that maps is narrowed on the server.
    let authorised = s
        .gateway
        .list_charges(
            &PageRequest::first(50),
            &ChargeFilter {
                statuses: [ChargeStatus::Authorised].into(),
                ..ChargeFilter::default()
            },
        )
        .await
        .expect("authorised");
    assert!(
        authorised
            .items
            .iter()
            .all(|c| c.status == ChargeStatus::Authorised)
    );
    // Bad dates are the server's 400 with the field.
    let (status, body) = raw_get(&s, &token, "transactions?start_date=2024-01-01").await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (400, Some("start_date"))
    );
    s.sim.shutdown().await;
}

#[tokio::test]
async fn authorise_capture_part_refund_twice_and_void_with_exact_money() {
    let s = trx_sim(20).await;
    let g = &s.gateway;
    let key = OperationKey::new();
    let charge = g
        .create_charge(
            &new_charge(usd("12.50"), false, test_card("4242424242424242")),
            &key,
        )
        .await
        .expect("authorise");
    assert_eq!(charge.status, ChargeStatus::Authorised);
    assert_eq!(charge.amount.plain(), "12.50");
    assert_eq!(charge.metadata[ORDER_ID_METADATA], key.as_str());
    assert_eq!(charge.card.as_ref().map(|c| c.last4.as_str()), Some("4242"));
    assert!(charge.authorisation_expires.is_some());
    // The same key again is the same charge, found by its order id, not a second one.
    let again = g
        .create_charge(
            &new_charge(usd("12.50"), false, test_card("4242424242424242")),
            &key,
        )
        .await
        .expect("same key");
    assert_eq!(again.id, charge.id);

    let captured = g
        .capture(&charge.id, usd("10.01"), &OperationKey::new())
        .await
        .expect("capture");
    assert_eq!(captured.status, ChargeStatus::Captured);
    assert_eq!(captured.captured.plain(), "10.01");
    let r1 = g
        .refund(
            &charge.id,
            usd("0.01"),
            Some("one cent"),
            &OperationKey::new(),
        )
        .await
        .expect("refund 1");
    let r2 = g
        .refund(&charge.id, usd("5.00"), None, &OperationKey::new())
        .await
        .expect("refund 2");
    assert_eq!(
        (r1.charge_id.as_str(), r1.amount.plain().as_str()),
        (charge.id.as_str(), "0.01")
    );
    assert_eq!(r1.reason.as_deref(), Some("one cent"));
    assert_eq!(r2.amount.plain(), "5.00");
    assert_ne!(r1.status, RefundStatus::Failed);
    let now = g.get_charge(&charge.id).await.expect("reread");
    assert_eq!(now.status, ChargeStatus::PartiallyRefunded);
    assert_eq!(now.refunded.plain(), "5.01");
    assert_eq!(now.refundable().plain(), "5.00");
    let refunds = g.charge_refunds(&charge.id).await.expect("charge refunds");
    let ids: Vec<&str> = refunds.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, [r1.id.as_str(), r2.id.as_str()]);
    assert_eq!(g.get_refund(&r2.id).await.expect("get refund"), refunds[1]);
    let listed = g
        .list_refunds(&PageRequest::first(10))
        .await
        .expect("list refunds");
    assert_eq!(listed.items[0].id, r2.id);
    // After processing, a refund has succeeded.
    s.advance_clock(120).await;
    let processed = g.get_refund(&r1.id).await.expect("processed");
    assert_eq!(processed.status, RefundStatus::Succeeded);
    // Too much is the gateway's refusal.
    match g
        .refund(&charge.id, usd("5.01"), None, &OperationKey::new())
        .await
    {
        Err(GatewayError::Refused { code, .. }) => assert_eq!(code, "amount_exceeds"),
        other => panic!("{other:?}"),
    }
    // A refund is not a charge, nor a charge a refund.
    assert_matches!(
        g.get_charge(&r1.id).await,
        Err(GatewayError::NotFound { .. })
    );
    assert_matches!(
        g.get_refund(&charge.id).await,
        Err(GatewayError::NotFound { .. })
    );

    let other = g
        .create_charge(
            &new_charge(usd("7.00"), false, test_card("5555555555554444")),
            &OperationKey::new(),
        )
        .await
        .expect("second authorisation");
    // Part of the authorisation released; the rest stays authorised and capturable.
    let part = g
        .void_part(&other.id, usd("2.50"), &OperationKey::new())
        .await
        .expect("partial void");
    assert_eq!(part.status, ChargeStatus::Authorised);
    assert_eq!(part.amount, usd("7.00"));
    assert_eq!(part.held(), usd("4.50"));
    assert_eq!(part.released, usd("2.50"));
    let voided = g.void(&other.id, &OperationKey::new()).await.expect("void");
    assert_eq!(voided.status, ChargeStatus::Voided);
    match g
        .capture(&other.id, usd("4.50"), &OperationKey::new())
        .await
    {
        Err(GatewayError::Refused { code, .. }) => assert_eq!(code, "invalid_state"),
        other => panic!("{other:?}"),
    }
    assert!(g.charge_refunds(&other.id).await.expect("none").is_empty());
    s.sim.shutdown().await;
}

/// Issue 10: void A$30 of an A$80.55 authorisation, capture A$20: the payment shows
/// A$20 taken and A$60.55 released, not A$80.55; and a refund's reason column is its
/// reason, never the payment's description the gateway copies in when none was given.
#[tokio::test]
async fn partial_void_then_capture_reports_each_amount_and_refund_reasons_are_reasons() {
    let s = trx_sim(0).await;
    let g = &s.gateway;
    let mut order = new_charge(usd("80.55"), false, test_card("4242424242424242"));
    order.description = "Espresso machine, deposit".into();
    let charge = g
        .create_charge(&order, &OperationKey::new())
        .await
        .expect("authorise");
    let part = g
        .void_part(&charge.id, usd("30.00"), &OperationKey::new())
        .await
        .expect("partial void");
    assert_eq!(
        (part.amount, part.held(), part.released, part.list_amount()),
        (usd("80.55"), usd("50.55"), usd("30.00"), usd("50.55"))
    );
    let taken = g
        .capture(&charge.id, usd("20.00"), &OperationKey::new())
        .await
        .expect("capture");
    let read = g.get_charge(&charge.id).await.expect("read back");
    for c in [&taken, &read] {
        assert_eq!(c.status, ChargeStatus::Captured);
        assert_eq!(c.amount, usd("80.55"));
        assert_eq!(c.captured, usd("20.00"));
        assert_eq!(c.released, usd("60.55"), "the void and the uncaptured rest");
        assert!(c.refunded.is_zero());
        assert_eq!(c.list_amount(), usd("20.00"));
        assert_eq!(c.refundable(), usd("20.00"));
    }
    let quiet = g
        .refund(&charge.id, usd("5.00"), None, &OperationKey::new())
        .await
        .expect("refund without a reason");
    let said = g
        .refund(
            &charge.id,
            usd("3.00"),
            Some("arrived damaged"),
            &OperationKey::new(),
        )
        .await
        .expect("refund with a reason");
    let after = g.get_charge(&charge.id).await.expect("read back");
    assert_eq!(
        (after.refunded, after.released),
        (usd("8.00"), usd("60.55"))
    );
    let reasons = |refunds: &[paydeck::domain::Refund]| -> Vec<(String, Option<String>)> {
        refunds
            .iter()
            .map(|r| (r.id.clone(), r.reason.clone()))
            .collect()
    };
    let expected = vec![
        (quiet.id.clone(), None),
        (said.id.clone(), Some("arrived damaged".to_string())),
    ];
    let of_charge = g.charge_refunds(&charge.id).await.expect("charge refunds");
    assert_eq!(reasons(&of_charge), expected);
    let listed = g
        .list_refunds(&PageRequest::first(10))
        .await
        .expect("list refunds");
    let mut listed = reasons(&listed.items);
    listed.reverse();
    assert_eq!(listed, expected, "newest first in the list");
    assert_eq!(g.get_refund(&quiet.id).await.expect("one").reason, None);
    s.sim.shutdown().await;
}

#[tokio::test]
async fn authcap_tokens_and_declines() {
    let s = trx_sim(0).await;
    let g = &s.gateway;
    let paid = g
        .create_charge(
            &new_charge(usd("99999999.99"), true, test_card("4242424242424242")),
            &OperationKey::new(),
        )
        .await
        .expect("authcap");
    assert_eq!(paid.status, ChargeStatus::Captured);
    assert_eq!(paid.captured.plain(), "99999999.99");
    match g
        .create_charge(
            // Declined by the contract and by the dialect's (Pin's) table alike.
            &new_charge(usd("1.00"), true, test_card("4100000000000001")),
            &OperationKey::new(),
        )
        .await
    {
        Err(GatewayError::Declined {
            code, charge_id, ..
        }) => {
            assert_eq!(code, "card_declined");
            let declined = g
                .get_charge(&charge_id.expect("declined id"))
                .await
                .expect("get");
            assert_eq!(declined.status, ChargeStatus::Declined);
        }
        other => panic!("{other:?}"),
    }
    match g
        .create_charge(
            &new_charge(
                usd("1.00"),
                true,
                PaymentSource::CardToken("tok_nothing".into()),
            ),
            &OperationKey::new(),
        )
        .await
    {
        Err(GatewayError::NotFound { .. }) => {}
        other => panic!("{other:?}"),
    }
    assert_matches!(
        g.create_charge(
            &new_charge(usd("1.00"), true, PaymentSource::Customer("c".into())),
            &OperationKey::new()
        )
        .await,
        Err(GatewayError::Unsupported(_))
    );
    assert_matches!(
        g.get_charge("trx_01J5XCMDXCFXCAQ1BV8HVG6644").await,
        Err(GatewayError::NotFound { .. })
    );
    s.sim.shutdown().await;
}

#[tokio::test]
async fn chargebacks_are_disputes_of_their_payment() {
    let s = trx_sim(400).await;
    let g = &s.gateway;
    let disputes = g
        .list_disputes(&PageRequest::first(20))
        .await
        .expect("disputes");
    assert!(!disputes.items.is_empty(), "the seed has chargebacks");
    let d = &disputes.items[0];
    assert_eq!(&g.get_dispute(&d.id).await.expect("get dispute"), d);
    let of_charge = g
        .charge_dispute(&d.charge_id)
        .await
        .expect("charge dispute")
        .expect("has one");
    assert_eq!(of_charge.id, d.id);
    let payment = g.get_charge(&d.charge_id).await.expect("payment");
    assert_eq!(d.amount, payment.captured);
    // A payment without one has none.
    let fresh = g
        .create_charge(
            &new_charge(usd("3.00"), true, test_card("4242424242424242")),
            &OperationKey::new(),
        )
        .await
        .expect("charge");
    assert_eq!(g.charge_dispute(&fresh.id).await.expect("none"), None);
    s.sim.shutdown().await;
}

#[tokio::test]
async fn an_expired_token_is_renewed_once_for_all_concurrent_calls() {
    let s = trx_sim(50).await;
    let gateway =
        Arc::new(TrxGateway::from_key(&s.url, Secret::new(s.key.clone()), quick_http()).unwrap());
    let first = PageRequest::first(10);
    gateway
        .list_charges(&first, &ChargeFilter::default())
        .await
        .expect("first call");
    assert_eq!(gateway.token_requests(), 1, "a token fetched on first use");
    gateway
        .list_charges(&first, &ChargeFilter::default())
        .await
        .expect("second call");
    assert_eq!(gateway.token_requests(), 1, "and used again while fresh");

    // Past the token's life on the gateway's clock: the next call still works.
    s.advance_clock(301).await;
    let (status, _) = raw_get(&s, &s.trx_token().await, "transactions?limit=10").await;
    assert_eq!(status, 200, "a fresh token works");
    gateway
        .list_charges(&first, &ChargeFilter::default())
        .await
        .expect("after expiry");
    assert_eq!(gateway.token_requests(), 2);

    // Twenty calls at once after expiry: one token request between them.
    s.advance_clock(301).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let gateway = gateway.clone();
        tasks.spawn(async move {
            let page = PageRequest::at(Cursor::Offset(i), 10);
            gateway.list_charges(&page, &ChargeFilter::default()).await
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.expect("task").expect("call after expiry");
    }
    assert_eq!(gateway.token_requests(), 3, "one renewal for twenty calls");

    // Writes renew too.
    s.advance_clock(301).await;
    let charge = gateway
        .create_charge(
            &new_charge(usd("4.20"), false, test_card("4242424242424242")),
            &OperationKey::new(),
        )
        .await
        .expect("write after expiry");
    assert_eq!(charge.amount.plain(), "4.20");
    assert_eq!(gateway.token_requests(), 4);

    // A token the gateway never issued is refused.
    let (status, body) = raw_get(&s, "not.a.jwt", "transactions").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("invalid_token"))
    );
    s.sim.shutdown().await;
}

/// Settlement batches as payouts over HTTP: after the clock passes a cut-off and
/// the settlement delay, the payouts list newest first, one reads back with its
/// lines, every line and the payout hold `gross − fee − fee_tax = net` to the cent,
/// the lines' net adds up to the payout, and the balance answers per currency.
#[tokio::test]
async fn settlement_batches_are_payouts_whose_lines_add_up() {
    use paydeck::domain::{LineTotals, PayoutStatus};

    let s = trx_sim(40).await;
    s.advance_clock(4 * 86_400).await;
    let payouts = s
        .gateway
        .list_payouts(&PageRequest::first(100))
        .await
        .expect("payouts");
    assert!(!payouts.items.is_empty(), "no payout after four days");
    let created: Vec<_> = payouts.items.iter().map(|p| p.created).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "not newest first");
    assert!(
        payouts.items.iter().any(|p| p.status == PayoutStatus::Paid),
        "nothing paid past the delay"
    );
    for listed in &payouts.items {
        let payout = s.gateway.get_payout(&listed.id).await.expect("payout");
        assert_eq!(payout.amount, listed.amount);
        let reference = payout.bank_reference.as_deref().unwrap_or("");
        assert!(
            reference.starts_with("TRX STL ") && reference.len() == 16,
            "{reference}"
        );
        let (id, gateway) = (payout.id.as_str(), &s.gateway);
        let lines =
            every_page(|page| async move { gateway.payout_lines(id, &page).await.expect("lines") })
                .await;
        assert_eq!(Some(lines.len() as u64), payout.line_count);
        for line in &lines {
            assert!(line.amounts.checks(), "{line:?}");
            assert!(line.charge_id.is_some(), "{line:?}");
        }
        let totals = LineTotals::of(&lines).expect("totals");
        assert!(totals.checks());
        let sums = totals
            .of_currency(payout.amount.currency)
            .expect("one currency");
        assert_eq!(sums.net, payout.amount, "{}", payout.id);
        assert_eq!(totals.currencies().count(), 1);
    }
    let balance = s.gateway.balance().await.expect("balance");
    assert!(!balance.amounts.is_empty());
    let unknown = s.gateway.get_payout("stl_01J5ZB3R4W8T2Q6N9M1K7HXC0D").await;
    assert_matches!(unknown, Err(GatewayError::NotFound { .. }));
    let lines = s
        .gateway
        .payout_lines("stl_01J5ZB3R4W8T2Q6N9M1K7HXC0D", &PageRequest::first(10))
        .await;
    assert_matches!(lines, Err(GatewayError::NotFound { .. }));
}

/// `GET /settlements` narrows by status and currency, and says which field is wrong;
/// an unknown batch is the gateway's own `not_found` error.
#[tokio::test]
async fn settlements_filter_by_status_and_currency_and_refuse_bad_words() {
    let s = trx_sim(40).await;
    s.advance_clock(4 * 86_400).await;
    let token = s.trx_token().await;
    let (status, all) = raw_get(&s, &token, "settlements?limit=100").await;
    assert_eq!(status, 200, "{all}");
    let total = all["total"].as_u64().expect("total");
    assert!(total > 0);
    let (_, paid) = raw_get(&s, &token, "settlements?limit=100&status=PAID").await;
    let (_, pending) = raw_get(&s, &token, "settlements?limit=100&status=pending").await;
    let count = |v: &Value| v["total"].as_u64().expect("total");
    assert_eq!(count(&paid) + count(&pending), total);
    assert!(
        paid["data"]
            .as_array()
            .expect("data")
            .iter()
            .all(|b| b["status"] == "PAID")
    );
    let currency = all["data"][0]["currency"]
        .as_str()
        .expect("currency")
        .to_lowercase();
    let (_, one) = raw_get(
        &s,
        &token,
        &format!("settlements?limit=100&currency={currency}"),
    )
    .await;
    let data = one["data"].as_array().expect("data");
    assert!(!data.is_empty());
    assert!(
        data.iter()
            .all(|b| b["currency"] == all["data"][0]["currency"])
    );
    for (query, field) in [("status=SENT", "status"), ("currency=US", "currency")] {
        let (status, body) = raw_get(&s, &token, &format!("settlements?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    let (status, body) = raw_get(&s, &token, "settlements/stl_nope").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found", "{body}");
}

/// A payment's fee and batch: a fresh capture has its fee and the day its batch is
/// expected to be paid; once batched it names the batch, whose line for it carries
/// the same fee and whose pay date is the one expected.
#[tokio::test]
async fn a_payment_names_its_fee_and_then_its_batch() {
    let s = trx_sim(0).await;
    let card = || test_card("4111111111111111");
    let charge = made(&s.gateway, &new_charge(usd("100.00"), true, card())).await;
    let fresh = s
        .gateway
        .charge_settlement(&charge.id)
        .await
        .expect("fresh");
    let amounts = fresh.amounts.expect("fee and net");
    assert!(amounts.fee.is_positive() && amounts.checks(), "{amounts:?}");
    assert_eq!(amounts.gross, usd("100.00"));
    let expected_by = match fresh.payout {
        PayoutPlace::NotYet { expected_by } => expected_by.expect("a daily schedule's date"),
        other => panic!("{other:?}"),
    };
    s.advance_clock(4 * 86_400).await;
    let settled = s
        .gateway
        .charge_settlement(&charge.id)
        .await
        .expect("settled");
    assert_eq!(settled.amounts, Some(amounts));
    let PayoutPlace::PaidOut { payout_id } = settled.payout else {
        panic!("{:?}", settled.payout)
    };
    let payout = s.gateway.get_payout(&payout_id).await.expect("its payout");
    assert_eq!(payout.arrival, Some(expected_by));
    let (id, gateway) = (payout_id.as_str(), &s.gateway);
    let lines =
        every_page(|page| async move { gateway.payout_lines(id, &page).await.expect("lines") })
            .await;
    let own: Vec<_> = lines
        .iter()
        .filter(|l| l.source_id.as_deref() == Some(charge.id.as_str()))
        .collect();
    assert_eq!(own.len(), 1, "{lines:?}");
    assert_eq!(own[0].amounts, amounts);
    let held = made(&s.gateway, &new_charge(usd("5.00"), false, card())).await;
    let nothing = s.gateway.charge_settlement(&held.id).await.expect("held");
    assert_eq!(
        (nothing.amounts, nothing.payout),
        (None, PayoutPlace::Unknown)
    );
}
