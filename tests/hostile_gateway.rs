//! What a hostile or broken gateway cannot do to paydeck: the real adapters, pointed at
//! a loopback server (`common::hostile`) that sends endless, huge, drip-fed and
//! half-broken answers, or asks to be left alone for thirty years.

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

use common::assert_matches;
use common::hostile::{self, Answer, Hostile};
use paydeck::domain::{Charge, ChargeFilter, Page, PageRequest, Skipped};
use paydeck::gateway::http::HttpConfig;
use paydeck::gateway::openpay::OpenpayGateway;
use paydeck::gateway::pin::PinGateway;
use paydeck::gateway::trx::TrxGateway;
use paydeck::gateway::{Charges, Customers, Gateway, GatewayError, Refunds, RetryPolicy};
use paydeck::secret::Secret;

/// A guard for calls that must come back promptly; reaching it is a failure, never a
/// measurement.
const PROMPTLY: Duration = Duration::from_secs(20);

fn pin(server: &Hostile, config: HttpConfig) -> PinGateway {
    paydeck::gateway::http::install_crypto_provider();
    PinGateway::new(
        &format!("{}/1", server.url),
        Secret::new("sk_hostile"),
        config,
    )
    .expect("adapter")
}

async fn charges(gateway: &dyn Gateway) -> Result<Page<Charge>, GatewayError> {
    tokio::time::timeout(
        PROMPTLY,
        gateway.list_charges(&PageRequest::first(25), &ChargeFilter::default()),
    )
    .await
    .expect("the call came back")
}

/// Small timeouts so that the slow answers end in a moment.
fn impatient() -> HttpConfig {
    HttpConfig {
        timeout: Duration::from_secs(2),
        read_timeout: Duration::from_millis(300),
        retry: RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        },
        ..HttpConfig::default()
    }
}

#[tokio::test]
async fn an_endless_body_is_cut_off_at_the_cap() {
    let server = hostile::start(Answer::Endless).await;
    let config = HttpConfig::default();
    let result = charges(&pin(&server, config)).await;
    let limit = config.max_list_body as u64;
    match &result {
        Err(e @ GatewayError::TooLarge { limit: said }) => {
            assert_eq!(*said, limit);
            assert_eq!(e.to_string(), "the gateway sent more than 16 MB");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    // Reading stopped at the cap: what the server got out is the cap plus what the
    // sockets' buffers hold, not more.
    let sent = server.seen.body_bytes.load(Ordering::SeqCst);
    assert!(sent < limit + 32 * 1024 * 1024, "{sent} bytes sent");
    assert_eq!(
        server.seen.requests.load(Ordering::SeqCst),
        1,
        "not retried"
    );
}

#[tokio::test]
async fn a_declared_200_mb_body_is_refused_before_it_is_read() {
    let server = hostile::start(Answer::Declared(200 * 1024 * 1024)).await;
    let gateway = pin(&server, HttpConfig::default());
    let result = charges(&gateway).await;
    assert_matches!(result, Err(GatewayError::TooLarge { .. }));
    // A single object's cap is smaller than a list's.
    let one = tokio::time::timeout(PROMPTLY, gateway.get_charge("ch_1"))
        .await
        .expect("the call came back");
    match one {
        Err(e @ GatewayError::TooLarge { .. }) => {
            assert_eq!(e.to_string(), "the gateway sent more than 4 MB");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert_eq!(
        server.seen.requests.load(Ordering::SeqCst),
        2,
        "not retried"
    );
}

#[tokio::test]
async fn a_drip_fed_body_hits_the_timeout_and_says_so() {
    let server = hostile::start(Answer::Drip(Duration::from_millis(50))).await;
    let result = charges(&pin(&server, impatient())).await;
    match result {
        Err(e @ GatewayError::SlowBody { .. }) => {
            assert!(e.to_string().contains("too slowly"), "{e}");
            assert!(e.is_transient(), "worth another try later");
        }
        other => panic!("expected SlowBody, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stalled_body_hits_the_read_timeout() {
    let server = hostile::start(Answer::Stall).await;
    let result = charges(&pin(&server, impatient())).await;
    match result {
        Err(e @ GatewayError::SlowBody { received, .. }) => {
            assert_eq!(received, 14, "the bytes that did arrive");
            assert!(
                e.to_string()
                    .contains("too slowly: the read timed out after 14 bytes"),
                "{e}"
            );
        }
        other => panic!("expected SlowBody, got {other:?}"),
    }
}

#[tokio::test]
async fn a_retry_after_of_thirty_years_is_not_waited_for() {
    let server = hostile::start(Answer::RateLimited("999999999")).await;
    // The shipped retry policy, as the dashboard uses it.
    let result = charges(&pin(&server, HttpConfig::default())).await;
    match result {
        Err(e @ GatewayError::RateLimited { .. }) => {
            assert_eq!(
                e.retry_after(),
                Some(Duration::from_secs(999_999_999)),
                "the wait asked for is kept, for the poller and the operator"
            );
            assert!(e.to_string().ends_with("11574 days"), "{e}");
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(
        server.seen.requests.load(Ordering::SeqCst),
        1,
        "given up at once instead of waiting and asking again"
    );
}

// --- One bad record does not hide the list, on every gateway ---

/// Five good records and two bad ones (an unknown currency, an amount of the wrong
/// type), in the gateway's own list shape.
struct Dialect {
    good: fn(u32) -> String,
    bad_currency: String,
    bad_amount: String,
    list: fn(&[String]) -> String,
}

fn pin_dialect() -> Dialect {
    fn charge(id: &str, amount: &str, currency: &str) -> String {
        format!(
            r#"{{"token":"{id}","success":true,"amount":{amount},"currency":"{currency}",
            "created_at":"2026-11-20T03:10:49Z","captured":true}}"#
        )
    }
    Dialect {
        good: |i| charge(&format!("ch_good{i}"), "4000", "AUD"),
        bad_currency: charge("ch_badcurrency", "4000", "ZZZ"),
        bad_amount: charge("ch_badamount", r#""forty""#, "AUD"),
        list: |items| {
            format!(
                r#"{{"response":[{}],"count":{n},"pagination":{{"current":1,"next":null,"count":{n}}}}}"#,
                items.join(","),
                n = items.len()
            )
        },
    }
}

fn stripe_dialect() -> Dialect {
    fn charge(id: &str, amount: &str, currency: &str) -> String {
        format!(
            r#"{{"id":"{id}","object":"charge","amount":{amount},"amount_captured":{amount},
            "amount_refunded":0,"captured":true,"created":1700000000,"currency":"{currency}",
            "disputed":false,"refunded":false,"status":"succeeded"}}"#
        )
    }
    Dialect {
        good: |i| charge(&format!("ch_good{i}"), "4000", "usd"),
        bad_currency: charge("ch_badcurrency", "4000", "zzz"),
        bad_amount: charge("ch_badamount", "{}", "usd"),
        list: |items| {
            format!(
                r#"{{"object":"list","data":[{}],"has_more":false}}"#,
                items.join(",")
            )
        },
    }
}

fn openpay_dialect() -> Dialect {
    fn charge(id: &str, amount: &str, currency: &str) -> String {
        format!(
            r#"{{"id":"{id}","amount":{amount},"method":"card","status":"completed",
            "currency":"{currency}","creation_date":"2026-01-02T10:00:00-06:00"}}"#
        )
    }
    Dialect {
        good: |i| charge(&format!("trgood{i}"), "100.00", "MXN"),
        bad_currency: charge("trbadcurrency", "100.00", "ZZZ"),
        bad_amount: charge("trbadamount", "[1]", "MXN"),
        list: |items| format!("[{}]", items.join(",")),
    }
}

fn trx_dialect() -> Dialect {
    fn payment(id: &str, amount: &str, currency: &str) -> String {
        format!(
            r#"{{"id":"{id}","type":"PAYMENT","status":"CAPTURED","order_amount":{amount},
            "authorized_amount":"12.50","captured_amount":"12.50","refunded_amount":"0.00",
            "currency":"{currency}","created_at":"2024-08-19T03:10:49Z"}}"#
        )
    }
    Dialect {
        good: |i| payment(&format!("trx_good{i}"), r#""12.50""#, "USD"),
        bad_currency: payment("trx_badcurrency", r#""12.50""#, "ZZZ"),
        bad_amount: payment("trx_badamount", "true", "USD"),
        list: |items| {
            format!(
                r#"{{"data":[{}],"offset":0,"total":{}}}"#,
                items.join(","),
                items.len()
            )
        },
    }
}

/// The page as the gateway sends it: good, bad, good..., so order is kept around the
/// holes.
fn bad_page(dialect: &Dialect) -> String {
    let mut items: Vec<String> = (1..=5).map(dialect.good).collect();
    items.insert(2, dialect.bad_currency.clone());
    items.insert(4, dialect.bad_amount.clone());
    (dialect.list)(&items)
}

fn assert_partial(page: &Page<Charge>, good_prefix: &str, bad_prefix: &str) {
    let ids: Vec<String> = page.items.iter().map(|c| c.id.clone()).collect();
    let expected: Vec<String> = (1..=5).map(|i| format!("{good_prefix}{i}")).collect();
    assert_eq!(ids, expected, "the good records, in order");
    assert!(page.is_partial());
    let names: Vec<&str> = page.skipped.iter().map(Skipped::name).collect();
    assert_eq!(
        names,
        vec![
            format!("{bad_prefix}currency").as_str(),
            format!("{bad_prefix}amount").as_str()
        ]
    );
    assert!(
        page.skipped[0].why.contains("ZZZ") || page.skipped[0].why.contains("zzz"),
        "the reason names the currency: {:?}",
        page.skipped[0]
    );
    assert!(
        page.skipped[1].why.contains("amount") || page.skipped[1].why.contains("invalid type"),
        "the reason names the amount: {:?}",
        page.skipped[1]
    );
}

#[tokio::test]
async fn pin_keeps_the_good_charges_of_a_page_with_bad_ones() {
    let server = hostile::start(Answer::Json(bad_page(&pin_dialect()))).await;
    let page = charges(&pin(&server, HttpConfig::default()))
        .await
        .expect("a partial page, not an error");
    assert_partial(&page, "ch_good", "ch_bad");
}

#[tokio::test]
async fn stripe_keeps_the_good_charges_of_a_page_with_bad_ones() {
    let server = hostile::start(Answer::Json(bad_page(&stripe_dialect()))).await;
    let gateway = hostile::stripe(&server);
    let page = charges(&gateway).await.expect("a partial page");
    assert_partial(&page, "ch_good", "ch_bad");
}

#[tokio::test]
async fn openpay_keeps_the_good_charges_of_a_page_with_bad_ones() {
    let server = hostile::start(Answer::Json(bad_page(&openpay_dialect()))).await;
    paydeck::gateway::http::install_crypto_provider();
    let gateway = OpenpayGateway::new(
        &format!("{}/v1", server.url),
        "mhostile",
        Secret::new("sk_hostile"),
        HttpConfig::default(),
    )
    .expect("adapter");
    let page = charges(&gateway).await.expect("a partial page");
    assert_partial(&page, "trgood", "trbad");
}

#[tokio::test]
async fn the_transactions_gateway_keeps_the_good_charges_of_a_page_with_bad_ones() {
    let server = hostile::start(Answer::Json(bad_page(&trx_dialect()))).await;
    paydeck::gateway::http::install_crypto_provider();
    let gateway = TrxGateway::from_key(
        &format!("{}/trx/v1", server.url),
        Secret::new("client:secret"),
        HttpConfig::default(),
    )
    .expect("adapter");
    let page = charges(&gateway).await.expect("a partial page");
    assert_partial(&page, "trx_good", "trx_bad");
}

#[tokio::test]
async fn other_lists_keep_their_good_records_too() {
    let customer = |id: &str, email: &str| {
        format!(r#"{{"token":"{id}","email":{email},"created_at":"2026-11-20T03:10:49Z"}}"#)
    };
    let items = [
        customer("cus_good1", r#""a@example.com""#),
        customer("cus_bad", "42"),
        customer("cus_good2", r#""b@example.com""#),
    ];
    let body = format!(
        r#"{{"response":[{}],"count":3,"pagination":{{"current":1,"next":null,"count":3}}}}"#,
        items.join(",")
    );
    let server = hostile::start(Answer::Json(body)).await;
    let page = pin(&server, HttpConfig::default())
        .list_customers(&PageRequest::first(25))
        .await
        .expect("a partial page");
    let ids: Vec<&str> = page.items.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, vec!["cus_good1", "cus_good2"]);
    assert_eq!(page.skipped[0].name(), "cus_bad");
}

#[tokio::test]
async fn a_check_before_a_retry_does_not_trust_a_partial_list() {
    // Pin's refunds of a charge are what a refund's check-before-retry reads: a
    // refund left out could be the one that already happened.
    let refund = |id: &str, amount: &str| {
        format!(
            r#"{{"token":"{id}","success":true,"amount":{amount},"currency":"AUD",
            "charge":"ch_1","created_at":"2026-11-20T03:10:49Z"}}"#
        )
    };
    let body = format!(
        r#"{{"response":[{},{}],"count":2,"pagination":{{"current":1,"next":null,"count":2}}}}"#,
        refund("rf_good", "100"),
        refund("rf_bad", "null")
    );
    let server = hostile::start(Answer::Json(body)).await;
    let result = pin(&server, HttpConfig::default())
        .charge_refunds("ch_1")
        .await;
    match result {
        Err(e @ GatewayError::Malformed { .. }) => assert!(e.to_string().contains("rf_bad"), "{e}"),
        other => panic!("expected the whole list to be refused, got {other:?}"),
    }
}
