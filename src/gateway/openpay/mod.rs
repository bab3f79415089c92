//! The Openpay adapter (API v1, Mexico, Colombia and Peru): HTTP Basic with the private
//! key, the merchant id in every path, JSON bodies, decimal major units, offset paging.
//!
//! Openpay has no idempotency keys, so every write that is not idempotent by nature
//! goes through `write_with_check` with a check that reads the target back. A charge
//! carries its operation key as `order_id`, which Openpay keeps unique among all
//! transactions: an ambiguous create is found by listing with `order_id=`, and a
//! retry that Openpay refuses as a duplicate order (1006) had been applied. A customer
//! carries it as `external_id` the same way (duplicate: 2003).

mod customers;
mod errors;
mod request;
mod wire;

use std::collections::HashSet;

use async_trait::async_trait;
use reqwest::Method;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

use super::charge_rules::{INVALID_STATE, approved, refundable, same_currency};
use super::decimal_amount::to_json_number;
use super::http::{Auth, HttpClient, HttpConfig, Request};
use super::list_records::{decode_each, whole};
use super::paging::every_page;
use super::write_once::{Applied, capture_applied, charge_shows, void_applied, write_with_check};
use super::{Capabilities, Gateway, GatewayError, OperationKey, Result};
use crate::domain::{
    Card, Charge, ChargeFilter, ChargeStatus, Cursor, Customer, CustomerUpdate, NewCharge,
    NewCustomer, Page, PageRequest, PaymentSource, Refund,
};
use crate::money::Money;
use crate::secret::Secret;

use request::{ChargeSource, MAX_LIMIT, charge_body, paged};

/// Pages fetched at most when collecting a whole small list (a customer's cards).
const MAX_PAGES: usize = 40;

/// The API root, `/v1` included, for a country (`mx`, `co`, `pe`) and mode.
pub fn base_url(country: &str, live: bool) -> Option<&'static str> {
    let url = match (country.trim().to_ascii_lowercase().as_str(), live) {
        ("mx", true) => "https://api.openpay.mx/v1",
        ("mx", false) => "https://sandbox-api.openpay.mx/v1",
        ("co", true) => "https://api.openpay.co/v1",
        ("co", false) => "https://sandbox-api.openpay.co/v1",
        ("pe", true) => "https://api.openpay.pe/v1",
        ("pe", false) => "https://sandbox-api.openpay.pe/v1",
        _ => return None,
    };
    Some(url)
}

/// What Openpay can do. Releasing a pre-authorisation is Openpay's "cancel", done by
/// refunding the uncaptured charge; partial confirmation and partial refunds exist.
pub const CAPABILITIES: Capabilities = Capabilities {
    partial_capture: true,
    void: true,
    partial_void: false,
    void_name: "cancel",
    void_note: Some(
        "Openpay cancels a pre-authorisation by refunding it in full; no money has moved",
    ),
    partial_refund: true,
    refund_reason: true,
    // Dates, amounts and a single status narrow on the server; text only locally.
    server_search: true,
    customers: true,
    refund_list: false,
    delete_primary_card: true,
    subscriptions: false,
    disputes: false,
    three_d_secure: false,
    idempotency_keys: false,
};

#[derive(Debug, Clone)]
pub struct OpenpayGateway {
    http: HttpClient,
}

impl OpenpayGateway {
    /// `base_url` is the API root including `/v1` (see [`base_url`]); requests go to
    /// `{base_url}/{merchant_id}/…`.
    pub fn new(
        base_url: &str,
        merchant_id: &str,
        private_key: Secret,
        config: HttpConfig,
    ) -> Result<OpenpayGateway> {
        let merchant = merchant_id.trim();
        if merchant.is_empty() || merchant.contains(['/', '?', '#']) {
            return Err(GatewayError::Validation {
                message: "an Openpay merchant id is a plain identifier".into(),
                fields: Vec::new(),
            });
        }
        let root = format!("{}/{merchant}", base_url.trim_end_matches('/'));
        let http = HttpClient::new(&root, Auth::BasicKey(private_key), config, errors::decode)?;
        Ok(OpenpayGateway { http })
    }

    async fn raw(&self, request: &Request) -> Result<Box<RawValue>> {
        self.http.read_json(request).await
    }

    async fn one<T>(&self, request: Request, convert: fn(&RawValue) -> Result<T>) -> Result<T> {
        convert(&self.raw(&request).await?)
    }

    /// One page of a list: Openpay answers a bare array and never a total, so a full
    /// page means there may be more.
    async fn page<T>(
        &self,
        request: Request,
        page: &PageRequest,
        convert: fn(&RawValue) -> Result<T>,
    ) -> Result<Page<T>> {
        let (request, offset) = paged(request.list(), page);
        let items: Vec<Box<RawValue>> = self.http.read_json(&request).await?;
        let asked = u64::from(page.limit.clamp(1, MAX_LIMIT));
        let next = (items.len() as u64 >= asked).then(|| Cursor::Offset(offset + asked));
        let (items, skipped) = decode_each(&items, convert);
        Ok(Page {
            items,
            next,
            total: None,
            skipped,
        })
    }

    /// Every item of a short list, following pages.
    async fn all<T>(&self, path: &str, convert: fn(&RawValue) -> Result<T>) -> Result<Vec<T>> {
        every_page(MAX_LIMIT, MAX_PAGES, |at| async move {
            whole(self.page(Request::get(path), &at, convert).await?)
        })
        .await
    }

    /// A write's response; a body we cannot read makes the write ambiguous.
    async fn write_raw(&self, request: &Request) -> Result<Box<RawValue>> {
        self.http.send(request).await?.json()
    }

    async fn write<T>(&self, request: &Request, convert: fn(&RawValue) -> Result<T>) -> Result<T> {
        convert(&self.write_raw(request).await?)
    }

    async fn charge_raw(&self, id: &str) -> Result<Box<RawValue>> {
        self.raw(&Request::get(format!("charges/{id}"))).await
    }

    /// The charge a create with this key made, looked up by its `order_id`.
    async fn find_by_order(&self, list_path: &str, key: &OperationKey) -> Result<Applied<Charge>> {
        let request = Request::get(list_path)
            .list()
            .query("order_id", key.as_str());
        let items: Vec<Box<RawValue>> = self.http.read_json(&request).await?;
        let Some(raw) = items
            .iter()
            .find(|raw| wire::order_id(raw).as_deref() == Some(key.as_str()))
        else {
            return Ok(Applied::No);
        };
        // A declined charge was made, and is the answer: the decline.
        approved(wire::charge(raw)?).map(Applied::Yes)
    }
}

/// The refund a refund call added: one that was not there before, of the amount asked
/// for where there is one.
fn new_refund(raw: &RawValue, before: &HashSet<String>, amount: Money) -> Result<Option<Refund>> {
    let fresh: Vec<Refund> = wire::refunds(raw)?
        .into_iter()
        .filter(|r| !before.contains(&r.id))
        .collect();
    let exact = fresh.iter().position(|r| r.amount == amount);
    Ok(match exact {
        Some(i) => fresh.into_iter().nth(i),
        None => fresh.into_iter().last(),
    })
}

#[async_trait]
impl Gateway for OpenpayGateway {
    fn name(&self) -> &'static str {
        "Openpay"
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    async fn list_charges(
        &self,
        page: &PageRequest,
        filter: &ChargeFilter,
    ) -> Result<Page<Charge>> {
        let request = request::filter_query(Request::get("charges"), filter);
        self.page(request, page, wire::charge).await
    }

    async fn get_charge(&self, id: &str) -> Result<Charge> {
        self.one(Request::get(format!("charges/{id}")), wire::charge)
            .await
    }

    async fn create_charge(&self, charge: &NewCharge, key: &OperationKey) -> Result<Charge> {
        let (path, source) = match &charge.source {
            PaymentSource::CardToken(token) => {
                ("charges".to_string(), ChargeSource::SourceId(token))
            }
            PaymentSource::Card(card) => ("charges".to_string(), ChargeSource::Card(card)),
            PaymentSource::Customer(customer_id) => {
                let card = self
                    .cards(customer_id)
                    .await?
                    .into_iter()
                    .find(|c| c.primary)
                    .ok_or_else(|| GatewayError::Validation {
                        message: format!("customer {customer_id} has no card that can be charged"),
                        fields: Vec::new(),
                    })?;
                (
                    format!("customers/{customer_id}/charges"),
                    ChargeSource::CustomerCard { card_id: card.id },
                )
            }
        };
        let body = charge_body(charge, &source, key)?;
        let request = Request::new(Method::POST, path.clone()).json(body);
        write_with_check(
            self.http.retry_policy(),
            "charge",
            || async {
                match self.write(&request, wire::charge).await {
                    // Another attempt with this order id got there first.
                    Err(e) if e.is_refusal(errors::DUPLICATE_ORDER) => {
                        match self.find_by_order(&path, key).await? {
                            Applied::Yes(found) => Ok(found),
                            Applied::No => Err(e),
                        }
                    }
                    other => other,
                }
            },
            || self.find_by_order(&path, key),
        )
        .await
    }

    async fn capture(&self, id: &str, amount: Money, _key: &OperationKey) -> Result<Charge> {
        // Openpay's amount has no currency: make sure it is the charge's own first.
        let charge = self.get_charge(id).await?;
        same_currency(&charge, amount)?;
        let request = Request::new(Method::POST, format!("charges/{id}/capture"))
            .json(json!({ "amount": to_json_number(amount)? }));
        write_with_check(
            self.http.retry_policy(),
            "capture",
            || self.write(&request, wire::charge),
            || charge_shows(self.get_charge(id), capture_applied),
        )
        .await
    }

    async fn void(&self, id: &str, _key: &OperationKey) -> Result<Charge> {
        // Openpay's cancel is a refund of the pre-authorisation, and the same call on a
        // captured charge would move money back: every attempt first makes sure the
        // charge is still only authorised.
        let request = Request::new(Method::POST, format!("charges/{id}/refund")).json(json!({}));
        write_with_check(
            self.http.retry_policy(),
            "cancellation",
            || async {
                let charge = self.get_charge(id).await?;
                if charge.status != ChargeStatus::Authorised {
                    return Err(GatewayError::refused(
                        INVALID_STATE,
                        format!(
                            "only an authorised charge can be cancelled; this one is {}",
                            charge.status
                        ),
                    ));
                }
                self.write(&request, wire::charge).await
            },
            || charge_shows(self.get_charge(id), void_applied),
        )
        .await
    }

    async fn refund(
        &self,
        charge_id: &str,
        amount: Money,
        reason: Option<&str>,
        _key: &OperationKey,
    ) -> Result<Refund> {
        let raw = self.charge_raw(charge_id).await?;
        let charge = wire::charge(&raw)?;
        // A refund of an authorised charge would cancel it instead.
        refundable(&charge)?;
        same_currency(&charge, amount)?;
        // Several partial refunds of one charge are allowed, so "did it happen" means
        // "is there a refund that was not there before we asked".
        let before: HashSet<String> = wire::refunds(&raw)?.into_iter().map(|r| r.id).collect();
        let mut body = Map::new();
        body.insert("amount".into(), to_json_number(amount)?);
        if let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) {
            body.insert("description".into(), reason.into());
        }
        let request = Request::new(Method::POST, format!("charges/{charge_id}/refund"))
            .json(Value::Object(body));
        write_with_check(
            self.http.retry_policy(),
            "refund",
            || async {
                let raw = self.write_raw(&request).await?;
                new_refund(&raw, &before, amount)?.ok_or_else(|| {
                    GatewayError::unidentified("refund", "Openpay's answer shows no new refund")
                })
            },
            || async {
                let raw = self.charge_raw(charge_id).await?;
                Ok(new_refund(&raw, &before, amount)?.into())
            },
        )
        .await
    }

    async fn charge_refunds(&self, charge_id: &str) -> Result<Vec<Refund>> {
        wire::refunds(&self.charge_raw(charge_id).await?)
    }

    /// Openpay has no list of refunds: they live inside their charges.
    async fn list_refunds(&self, _page: &PageRequest) -> Result<Page<Refund>> {
        Err(GatewayError::Unsupported("a list of all refunds"))
    }

    /// Openpay has no refund endpoint: a refund is read from its charge.
    async fn get_refund(&self, _id: &str) -> Result<Refund> {
        Err(GatewayError::Unsupported("looking up a refund on its own"))
    }

    async fn list_customers(&self, page: &PageRequest) -> Result<Page<Customer>> {
        self.page(Request::get("customers"), page, wire::customer)
            .await
    }

    async fn get_customer(&self, id: &str) -> Result<Customer> {
        let customer = self
            .one(Request::get(format!("customers/{id}")), wire::customer)
            .await?;
        self.with_primary_card(customer).await
    }

    async fn create_customer(
        &self,
        customer: &NewCustomer,
        key: &OperationKey,
    ) -> Result<Customer> {
        self.create_customer_with_card(customer, key).await
    }

    async fn update_customer(
        &self,
        id: &str,
        update: &CustomerUpdate,
        key: &OperationKey,
    ) -> Result<Customer> {
        self.replace_customer(id, update, key).await
    }

    async fn delete_customer(&self, id: &str, key: &OperationKey) -> Result<()> {
        self.remove_customer(id, key).await
    }

    async fn customer_charges(&self, id: &str, page: &PageRequest) -> Result<Page<Charge>> {
        self.page(
            Request::get(format!("customers/{id}/charges")),
            page,
            wire::charge,
        )
        .await
    }

    async fn customer_cards(&self, id: &str) -> Result<Vec<Card>> {
        self.cards(id).await
    }

    async fn add_card(
        &self,
        customer_id: &str,
        card_token: &str,
        _key: &OperationKey,
    ) -> Result<Card> {
        let before = self.cards(customer_id).await?;
        self.save_card(customer_id, json!({ "token_id": card_token }), &before)
            .await
    }

    async fn delete_card(
        &self,
        customer_id: &str,
        card_id: &str,
        key: &OperationKey,
    ) -> Result<()> {
        self.remove_card(customer_id, card_id, key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_for_every_country_and_mode() {
        assert_eq!(
            base_url("mx", false),
            Some("https://sandbox-api.openpay.mx/v1")
        );
        assert_eq!(base_url("MX", true), Some("https://api.openpay.mx/v1"));
        assert_eq!(base_url("co", true), Some("https://api.openpay.co/v1"));
        assert_eq!(
            base_url("co", false),
            Some("https://sandbox-api.openpay.co/v1")
        );
        assert_eq!(base_url("pe", true), Some("https://api.openpay.pe/v1"));
        assert_eq!(
            base_url("pe", false),
            Some("https://sandbox-api.openpay.pe/v1")
        );
        assert_eq!(base_url("ar", true), None);
    }

    #[test]
    fn a_merchant_id_must_be_a_plain_identifier() {
        let make = |m: &str| {
            OpenpayGateway::new(
                "https://sandbox-api.openpay.mx/v1/",
                m,
                Secret::new("sk_x"),
                HttpConfig::default(),
            )
        };
        assert!(make("mzdtln0bmtms6o3kck8f").is_ok());
        assert!(make("").is_err());
        assert!(make("a/b").is_err());
    }
}
