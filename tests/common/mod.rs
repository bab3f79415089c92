//! Shared set-up for the integration tests: the simulator and its adapters over
//! loopback, test cards and charges, terminals and profiles.
#![allow(dead_code)]

pub mod bank_truth;
pub mod board_exports;
pub mod demo;
pub mod exactly_once;
pub mod hostile;
/// The library's throwaway PostgreSQL cluster, the same file (it needs only
/// `postgres`, `uuid` and `libc`).
#[path = "../../src/store/sessions/pg_cluster.rs"]
pub mod pg_cluster;
pub mod profile;
pub mod pty;
pub mod ran;
pub mod recon_bank;
pub mod resumed;
pub mod simulator;
pub mod synced;
pub mod xlsx;

use std::collections::BTreeMap;

use paydeck::domain::{
    CardDetails, Charge, ChargeStatus, NewCharge, NewCustomer, Page, PageRequest, PaymentSource,
    Refund,
};
use paydeck::gateway::pin::PinGateway;
use paydeck::gateway::{Gateway, GatewayError, OperationKey};
use paydeck::money::{Currency, Money};
use paydeck::secret::Secret;
use paydeck::sim::SimConfig;
use serde_json::Value;

/// `assert!(matches!(value, pattern))` that prints the value when it does not match,
/// after an optional context (the standard library's `assert_matches!` is not stable).
#[allow(unused_macros)] // each test binary uses some of them
macro_rules! assert_matches {
    ($value:expr, $pattern:pat $(if $guard:expr)? $(,)?) => {
        match &$value {
            $pattern $(if $guard)? => {}
            other => panic!("{}: {other:?}", stringify!($value)),
        }
    };
    ($value:expr, $pattern:pat $(if $guard:expr)?, $($context:tt)+) => {
        match &$value {
            $pattern $(if $guard)? => {}
            other => panic!("{}: {other:?}", format_args!($($context)+)),
        }
    };
}
#[allow(unused_imports)] // each test binary uses some of them
pub(crate) use assert_matches;

#[allow(unused_imports)] // each test binary uses some of them
pub use simulator::{Adapted, Dialect, Sim, faults, quick_http, start};

/// The Pin dialect and its adapter.
pub type PinSim = Adapted<PinGateway>;

/// A Pin simulator of `charges` charges (seed 7, 40 customers) with `faults`, and its
/// adapter.
pub async fn pin_sim(charges: usize, faults: &str) -> PinSim {
    let config = SimConfig {
        faults: simulator::faults(faults),
        ..simulator::adapter_config(charges)
    };
    Adapted::start(Dialect::Pin, config, Sim::pin).await
}

impl PinSim {
    /// A raw request to the Pin dialect, for what the adapter does not do itself.
    pub async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        form: &[(&str, &str)],
    ) -> (u16, Value) {
        let response = reqwest::Client::new()
            .request(method, format!("{}/{path}", self.url))
            .basic_auth(&self.key, Some(""))
            .form(form)
            .send()
            .await
            .expect("raw request");
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    /// A single-use card token for a test card number.
    pub async fn card_token(&self, number: &str) -> String {
        let (status, body) = self
            .raw(
                reqwest::Method::POST,
                "cards",
                &[
                    ("number", number),
                    ("expiry_month", "12"),
                    ("expiry_year", "2035"),
                    ("cvc", "123"),
                    ("name", "Roland Robot"),
                    ("address_line1", "42 Sevenoaks St"),
                    ("address_city", "Lathlain"),
                    ("address_country", "Australia"),
                ],
            )
            .await;
        assert_eq!(status, 201, "card token: {body}");
        body["response"]["token"]
            .as_str()
            .expect("card token")
            .to_string()
    }
}

pub fn test_card(number: &str) -> PaymentSource {
    PaymentSource::Card(CardDetails {
        number: Secret::new(number),
        expiry_month: 12,
        expiry_year: 2035,
        cvc: Secret::new("123"),
        name: "Roland Robot".into(),
        address_line1: "42 Sevenoaks St".into(),
        address_city: "Lathlain".into(),
        address_country: "Australia".into(),
    })
}

/// A charge of `minor` in the gateway's currency on a card it approves: captured, or
/// only authorised.
pub fn order(dialect: Dialect, minor: i64, capture: bool) -> NewCharge {
    let (currency, source) = match dialect {
        Dialect::Pin => (Currency::AUD, test_card("4200000000000000")),
        Dialect::Stripe => (Currency::USD, PaymentSource::CardToken("tok_visa".into())),
        Dialect::Openpay => (
            Currency::from_code("MXN").expect("MXN"),
            test_card("4111111111111111"),
        ),
        Dialect::Trx => (Currency::USD, test_card("4111111111111111")),
    };
    new_charge(Money::from_minor(minor, currency), capture, source)
}

pub fn new_charge(amount: Money, capture: bool, source: PaymentSource) -> NewCharge {
    NewCharge {
        amount,
        email: "roland@pinpayments.com".into(),
        description: "500g of single origin beans".into(),
        ip_address: "203.192.1.172".into(),
        capture,
        source,
        metadata: BTreeMap::new(),
    }
}

/// A new customer, Ada Lovelace, paying with `card`.
pub fn ada(card: PaymentSource) -> NewCustomer {
    NewCustomer {
        email: "ada@example.com".into(),
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        phone: None,
        company: None,
        notes: None,
        card,
    }
}

/// `order` made through `gateway`, in the state it asked for: captured, or only
/// authorised.
pub async fn made(gateway: &dyn Gateway, order: &NewCharge) -> Charge {
    let charge = gateway
        .create_charge(order, &OperationKey::new())
        .await
        .expect("an approved charge");
    let status = if order.capture {
        ChargeStatus::Captured
    } else {
        ChargeStatus::Authorised
    };
    assert_eq!(charge.status, status, "{}", charge.id);
    charge
}

/// The refunds the gateway lists for charge `id`.
pub async fn refunds_of(gateway: &dyn Gateway, id: &str) -> Vec<Refund> {
    gateway
        .charge_refunds(id)
        .await
        .expect("a charge's refunds")
}

/// The gateway said no, as a validation error or a refusal: either way nothing was done.
pub fn assert_refused<T: std::fmt::Debug>(result: &Result<T, GatewayError>) {
    assert_matches!(
        result,
        Err(GatewayError::Validation { .. } | GatewayError::Refused { .. })
    );
}

/// The `se_` session token in a 3-D Secure charge, wherever the dialect puts it.
pub fn find_session_token(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if s.starts_with("se_") => Some(s.clone()),
        Value::String(s) => s
            .split(['?', '&', '=', '/'])
            .find(|part| part.starts_with("se_"))
            .map(String::from),
        Value::Object(map) => map.values().find_map(find_session_token),
        Value::Array(items) => items.iter().find_map(find_session_token),
        _ => None,
    }
}

/// One `paydeck::sync::run` of `gateway` into the store `writer` owns, with the
/// default options: its report.
pub async fn sync_once(
    gateway: &std::sync::Arc<dyn Gateway>,
    writer: &paydeck::store::StoreHandle,
) -> paydeck::sync::SyncReport {
    let (progress, _watched) = tokio::sync::watch::channel(paydeck::sync::SyncProgress::default());
    paydeck::sync::run(
        gateway.clone(),
        writer.clone(),
        paydeck::sync::SyncOptions::default(),
        progress,
    )
    .await
    .expect("a sync")
}

/// Every item of a list the adapter pages through, pages of 100 from the first.
pub async fn every_page<T, F, Fut>(mut read: F) -> Vec<T>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: std::future::Future<Output = Page<T>>,
{
    let mut items = Vec::new();
    let mut page = PageRequest::first(100);
    loop {
        let got = read(page).await;
        items.extend(got.items);
        match got.next {
            Some(next) => page = PageRequest::at(next, 100),
            None => return items,
        }
    }
}
