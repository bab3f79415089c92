//! The Pin Payments adapter (REST API v1). Pin has no idempotency keys and captures
//! only whole authorisations, so every write that is not idempotent by nature goes
//! through `write_with_check` with a check that reads the target back.

mod cards;
mod charges;
mod customers;
mod errors;
mod form;
mod refunds;
mod subscriptions;
mod wire;

use std::sync::Arc;

use serde_json::value::RawValue;

use super::http::{Auth, HttpClient, HttpConfig, Request};
use super::list_records::whole;
use super::paging::every_page;
use super::registry::{BaseUrl, GatewayDescriptor, ProfileSettings};
use super::{Capabilities, Disputes, Gateway, Result};
use crate::domain::{Charge, Cursor, Page, PageRequest};
use crate::secret::Secret;

pub const LIVE_URL: &str = "https://api.pinpayments.com/1";
pub const TEST_URL: &str = "https://test-api.pinpayments.com/1";

/// Pages fetched at most when collecting a whole small list (a charge's refunds).
const MAX_PAGES: usize = 40;

/// Decodes a body of `GET /charges` into the domain model: what every charge listing
/// costs, measured in `benches/pin_page.rs`.
pub fn parse_charge_page(body: &[u8]) -> Result<Page<Charge>> {
    let response = super::http::Response {
        status: 200,
        body: bytes::Bytes::copy_from_slice(body),
    };
    response.json::<wire::List>()?.into_page(wire::charge)
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
    connect,
};

/// The adapter for a profile.
fn connect(settings: ProfileSettings<'_>) -> std::result::Result<Arc<dyn Gateway>, String> {
    let url = DESCRIPTOR.url(&settings)?;
    let gateway = PinGateway::new(&url, settings.key, settings.http).map_err(|e| e.to_string())?;
    Ok(Arc::new(gateway))
}

#[derive(Debug, Clone)]
pub struct PinGateway {
    http: HttpClient,
}

impl PinGateway {
    pub fn new(base_url: &str, secret_key: Secret, config: HttpConfig) -> Result<PinGateway> {
        let http = HttpClient::new(base_url, Auth::BasicKey(secret_key), config, errors::decode)?;
        Ok(PinGateway { http })
    }

    async fn one<T>(&self, request: Request, convert: fn(&RawValue) -> Result<T>) -> Result<T> {
        let single: wire::Single<Box<RawValue>> = self.http.read_json(&request).await?;
        convert(&single.response)
    }

    async fn page<T>(
        &self,
        request: Request,
        page: &PageRequest,
        convert: fn(&RawValue) -> Result<T>,
    ) -> Result<Page<T>> {
        let number = match &page.cursor {
            Some(Cursor::Page(n)) => *n,
            _ => 1,
        };
        let request = request
            .list()
            .query("page", number)
            .query("per_page", page.limit.clamp(1, 100));
        let list: wire::List = self.http.read_json(&request).await?;
        list.into_page(convert)
    }

    /// Every item of a short list, following pages; a record that cannot be read fails
    /// the list, since the exactly-once checks decide from all of it.
    async fn all<T>(&self, path: &str, convert: fn(&RawValue) -> Result<T>) -> Result<Vec<T>> {
        every_page(100, MAX_PAGES, |at| async move {
            whole(self.page(Request::get(path), &at, convert).await?)
        })
        .await
    }

    /// A write's response, decoded; a body we cannot read makes the write ambiguous.
    async fn write<T>(&self, request: &Request, convert: fn(&RawValue) -> Result<T>) -> Result<T> {
        let single: wire::Single<Box<RawValue>> = self.http.send(request).await?.json()?;
        convert(&single.response)
    }
}

impl Gateway for PinGateway {
    fn descriptor(&self) -> &'static GatewayDescriptor {
        &DESCRIPTOR
    }
}

/// Pin has no disputes API.
impl Disputes for PinGateway {}
