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

use async_trait::async_trait;
use serde_json::value::RawValue;

use super::http::{Auth, HttpClient, HttpConfig, Request};
use super::list_records::whole;
use super::paging::every_page;
use super::registry::{BaseUrl, GatewayDescriptor, ProfileSettings};
use super::{Capabilities, Gateway, OperationKey, Result};
use crate::domain::{
    Card, Charge, ChargeFilter, Cursor, Customer, CustomerUpdate, NewCharge, NewCustomer, Page,
    PageRequest, Refund, Subscription,
};
use crate::money::Money;
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

#[async_trait]
impl Gateway for PinGateway {
    fn name(&self) -> &'static str {
        DESCRIPTOR.label
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    async fn list_charges(
        &self,
        page: &PageRequest,
        filter: &ChargeFilter,
    ) -> Result<Page<Charge>> {
        charges::list(self, page, filter).await
    }

    async fn get_charge(&self, id: &str) -> Result<Charge> {
        charges::get(self, id).await
    }

    async fn create_charge(&self, charge: &NewCharge, key: &OperationKey) -> Result<Charge> {
        charges::create(self, charge, key).await
    }

    async fn capture(&self, id: &str, amount: Money, key: &OperationKey) -> Result<Charge> {
        charges::capture(self, id, amount, key).await
    }

    async fn void(&self, id: &str, key: &OperationKey) -> Result<Charge> {
        charges::void(self, id, key).await
    }

    async fn refund(
        &self,
        charge_id: &str,
        amount: Money,
        reason: Option<&str>,
        key: &OperationKey,
    ) -> Result<Refund> {
        refunds::create(self, charge_id, amount, reason, key).await
    }

    async fn charge_refunds(&self, charge_id: &str) -> Result<Vec<Refund>> {
        refunds::of_charge(self, charge_id).await
    }

    async fn list_refunds(&self, page: &PageRequest) -> Result<Page<Refund>> {
        refunds::list(self, page).await
    }

    async fn get_refund(&self, id: &str) -> Result<Refund> {
        refunds::get(self, id).await
    }

    async fn verify_3ds(&self, session_token: &str) -> Result<Charge> {
        charges::verify_3ds(self, session_token).await
    }

    async fn list_customers(&self, page: &PageRequest) -> Result<Page<Customer>> {
        customers::list(self, page).await
    }

    async fn get_customer(&self, id: &str) -> Result<Customer> {
        customers::get(self, id).await
    }

    async fn create_customer(
        &self,
        customer: &NewCustomer,
        key: &OperationKey,
    ) -> Result<Customer> {
        customers::create(self, customer, key).await
    }

    async fn update_customer(
        &self,
        id: &str,
        update: &CustomerUpdate,
        key: &OperationKey,
    ) -> Result<Customer> {
        customers::update(self, id, update, key).await
    }

    async fn delete_customer(&self, id: &str, key: &OperationKey) -> Result<()> {
        customers::delete(self, id, key).await
    }

    async fn customer_charges(&self, id: &str, page: &PageRequest) -> Result<Page<Charge>> {
        customers::charges(self, id, page).await
    }

    async fn customer_cards(&self, id: &str) -> Result<Vec<Card>> {
        cards::of_customer(self, id).await
    }

    async fn add_card(
        &self,
        customer_id: &str,
        card_token: &str,
        key: &OperationKey,
    ) -> Result<Card> {
        cards::add(self, customer_id, card_token, key).await
    }

    async fn delete_card(
        &self,
        customer_id: &str,
        card_id: &str,
        key: &OperationKey,
    ) -> Result<()> {
        cards::delete(self, customer_id, card_id, key).await
    }

    async fn customer_subscriptions(&self, customer_id: &str) -> Result<Vec<Subscription>> {
        subscriptions::of_customer(self, customer_id).await
    }

    async fn cancel_subscription(
        &self,
        customer_id: &str,
        subscription_id: &str,
        key: &OperationKey,
    ) -> Result<Subscription> {
        subscriptions::cancel(self, customer_id, subscription_id, key).await
    }
}
