//! The Pin Payments adapter (REST API v1). Pin has no idempotency keys and captures
//! only whole authorisations, so every write that is not idempotent by nature goes
//! through `write_with_check` with a check that reads the target back.

mod cards;
mod changes;
mod charges;
mod customers;
mod errors;
mod form;
mod payouts;
mod refunds;
mod subscriptions;
mod wire;

use super::http::{Auth, HttpClient, HttpConfig, Request};
use super::list_records::RawPage;
use super::registry::{BaseUrl, GatewayDescriptor, adapter};
use super::transport::{OneClient, Transport};
use super::{Capabilities, Disputes, Gateway, Result};
use crate::domain::{Charge, Cursor, Page, PageRequest};
use crate::secret::Secret;

pub const LIVE_URL: &str = "https://api.pinpayments.com/1";
pub const TEST_URL: &str = "https://test-api.pinpayments.com/1";

/// Decodes a body of `GET /charges` into the domain model: what every charge listing
/// costs, measured in `benches/pin_page.rs`.
pub fn parse_charge_page(body: &[u8]) -> Result<Page<Charge>> {
    let response = super::http::Response {
        status: 200,
        body: bytes::Bytes::copy_from_slice(body),
    };
    Ok(response
        .json::<wire::List>()?
        .into_raw()
        .decode(wire::charge))
}

/// What Pin can do: void and partial refunds, but only whole captures, and no
/// idempotency keys (so writes are checked before any retry).
pub const CAPABILITIES: Capabilities = Capabilities {
    partial_capture: false,
    void: true,
    partial_void: false,
    void_name: "void",
    void_note: None,
    partial_refund: true,
    refund_reason: false,
    server_search: true,
    customers: true,
    refund_list: true,
    delete_primary_card: false,
    subscriptions: true,
    disputes: false,
    three_d_secure: true,
    idempotency_keys: false,
    payouts: true,
    payout_lines: true,
    balance: true,
    charge_settlement: true,
    changes: super::ChangeFeed::Events {
        kept_days: 30,
        expiry_days: Some(7),
    },
};

/// Pin Payments as the registry knows it.
pub const DESCRIPTOR: GatewayDescriptor = GatewayDescriptor {
    config_name: "pin",
    label: "Pin Payments",
    capabilities: CAPABILITIES,
    base_url: BaseUrl::ByMode {
        test: TEST_URL,
        live: LIVE_URL,
    },
    profile_keys: &[],
    build: |url, profile| adapter(PinGateway::new(url, profile.key, profile.http)),
};

#[derive(Debug, Clone)]
pub struct PinGateway {
    http: HttpClient,
}

impl PinGateway {
    pub fn new(base_url: &str, secret_key: Secret, config: HttpConfig) -> Result<PinGateway> {
        let http = HttpClient::new(base_url, Auth::BasicKey(secret_key), config, errors::decode)?;
        Ok(PinGateway { http })
    }
}

impl OneClient for PinGateway {
    type Record = wire::Single;

    fn http(&self) -> &HttpClient {
        &self.http
    }
}

impl Transport for PinGateway {
    async fn read_page(&self, request: Request, page: &PageRequest) -> Result<RawPage> {
        let number = match &page.cursor {
            Some(Cursor::Page(n)) => *n,
            _ => 1,
        };
        let request = request
            .list()
            .query("page", number)
            .query("per_page", page.limit.clamp(1, 100));
        let list: wire::List = self.http.read_json(&request).await?;
        Ok(list.into_raw())
    }
}

impl Gateway for PinGateway {
    fn descriptor(&self) -> &'static GatewayDescriptor {
        &DESCRIPTOR
    }
}

/// Pin has no disputes API.
impl Disputes for PinGateway {}
