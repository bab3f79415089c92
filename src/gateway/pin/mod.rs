//! The Pin Payments adapter (REST API v1). Pin has no idempotency keys and captures
//! only whole authorisations, so every write that is not idempotent by nature goes
//! through `write_with_check` with a check that reads the target back.

mod errors;
mod wire;

use std::collections::{BTreeMap, HashSet};

use async_trait::async_trait;
use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::value::RawValue;

use super::charge_rules::approved;
use super::http::{Auth, HttpClient, HttpConfig, Request};
use super::list_records::whole;
use super::paging::every_page;
use super::write_once::{
    Applied, capture_applied, charge_shows, deleted, void_applied, write_idempotent,
    write_with_check,
};
use super::{Capabilities, Gateway, OperationKey, Result};
use crate::domain::{
    Card, Charge, ChargeFilter, Cursor, Customer, CustomerUpdate, NewCharge, NewCustomer, Page,
    PageRequest, PaymentSource, Plan, Refund, Subscription,
};
use crate::money::Money;
use crate::secret::Secret;

pub const LIVE_URL: &str = "https://api.pinpayments.com/1";
pub const TEST_URL: &str = "https://test-api.pinpayments.com/1";

/// The metadata key that ties a charge to the paydeck operation that created it, so an
/// ambiguous create can be found again by searching for the key.
const OPERATION_METADATA: &str = "paydeck_operation";
/// Pages fetched at most when collecting a whole small list (a charge's refunds).
const MAX_PAGES: usize = 40;
/// Distinct plans fetched for one customer's subscriptions; past this the rest show
/// their plan ids (a customer rarely has more than a few).
const MAX_PLANS: usize = 10;

/// A gateway token safe to put in a URL path as it is (`plan_ZyDee4HNeUHFHC4SpM2idg`).
fn is_token(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

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
    /// Pin's subscriptions carry only a plan token: fetch each distinct plan once (at
    /// most `MAX_PLANS` of them) so the pane can say its name and price. A plan that
    /// cannot be read leaves its subscriptions showing the plan id rather than failing
    /// the list.
    async fn name_plans(&self, subs: &mut [Subscription]) {
        let mut plans: BTreeMap<String, Option<Plan>> = BTreeMap::new();
        for sub in subs.iter() {
            if plans.len() >= MAX_PLANS || plans.contains_key(&sub.plan_id) {
                continue;
            }
            let plan = if is_token(&sub.plan_id) {
                self.one(Request::get(format!("plans/{}", sub.plan_id)), wire::plan)
                    .await
                    .ok()
            } else {
                None
            };
            plans.insert(sub.plan_id.clone(), plan);
        }
        for sub in subs.iter_mut() {
            sub.plan = plans.get(&sub.plan_id).cloned().flatten();
        }
    }

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

    async fn find_created_charge(&self, key: &OperationKey) -> Result<Applied<Charge>> {
        let request = Request::get("charges/search").query("query", key.as_str());
        // A charge left out could be the one we look for.
        let page = whole(
            self.page(request, &PageRequest::first(25), wire::charge)
                .await?,
        )?;
        let found = page
            .items
            .into_iter()
            .find(|c| c.metadata.get(OPERATION_METADATA).map(String::as_str) == Some(key.as_str()));
        // A declined charge was made, and is the answer: the decline.
        found.map(approved).transpose().map(Applied::from)
    }
}

/// How a charge or customer is paid for, as Pin form fields.
fn source_fields(source: &PaymentSource, fields: &mut Vec<(String, String)>) {
    match source {
        PaymentSource::Card(card) => {
            let mut put = |name: &str, value: String| fields.push((format!("card[{name}]"), value));
            put("number", card.number.expose().to_string());
            put("expiry_month", card.expiry_month.to_string());
            put("expiry_year", card.expiry_year.to_string());
            put("cvc", card.cvc.expose().to_string());
            put("name", card.name.clone());
            put("address_line1", card.address_line1.clone());
            put("address_city", card.address_city.clone());
            put("address_country", card.address_country.clone());
        }
        PaymentSource::CardToken(token) => fields.push(("card_token".into(), token.clone())),
        PaymentSource::Customer(id) => fields.push(("customer_token".into(), id.clone())),
    }
}

fn minor(amount: Money) -> Result<String> {
    Ok(amount.to_minor()?.to_string())
}

/// Pin's search takes whole days: `start_date` inclusive, `end_date` exclusive.
fn search_request(filter: &ChargeFilter) -> Option<Request> {
    let text = filter.text.trim();
    if text.is_empty() && filter.from.is_none() && filter.until.is_none() {
        return None;
    }
    let mut request = Request::get("charges/search")
        .query("sort", "created_at")
        .query("direction", "-1");
    if !text.is_empty() {
        request = request.query("query", text);
    }
    if let Some(from) = filter.from {
        request = request.query("start_date", from.format("%Y/%m/%d"));
    }
    if let Some(until) = filter.until {
        // Round up to the next midnight; the caller's local filter trims the rest.
        let day = (until - Duration::nanoseconds(1)).date_naive() + Duration::days(1);
        request = request.query("end_date", day.format("%Y/%m/%d"));
    }
    Some(request)
}

#[async_trait]
impl Gateway for PinGateway {
    fn name(&self) -> &'static str {
        "Pin Payments"
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    async fn list_charges(
        &self,
        page: &PageRequest,
        filter: &ChargeFilter,
    ) -> Result<Page<Charge>> {
        let request = search_request(filter).unwrap_or_else(|| Request::get("charges"));
        self.page(request, page, wire::charge).await
    }

    async fn get_charge(&self, id: &str) -> Result<Charge> {
        self.one(Request::get(format!("charges/{id}")), wire::charge)
            .await
    }

    async fn create_charge(&self, charge: &NewCharge, key: &OperationKey) -> Result<Charge> {
        let mut fields = vec![
            ("amount".to_string(), minor(charge.amount)?),
            ("currency".into(), charge.amount.currency.code().into()),
            ("description".into(), charge.description.clone()),
            ("email".into(), charge.email.clone()),
            ("ip_address".into(), charge.ip_address.clone()),
            ("capture".into(), charge.capture.to_string()),
        ];
        for (k, v) in &charge.metadata {
            fields.push((format!("metadata[{k}]"), v.clone()));
        }
        fields.push((format!("metadata[{OPERATION_METADATA}]"), key.to_string()));
        source_fields(&charge.source, &mut fields);
        let request = Request::new(Method::POST, "charges").form(fields);
        write_with_check(
            self.http.retry_policy(),
            "charge",
            || self.write(&request, wire::charge),
            || self.find_created_charge(key),
        )
        .await
    }

    async fn capture(&self, id: &str, amount: Money, _key: &OperationKey) -> Result<Charge> {
        // Pin captures whole authorisations only; the amount makes Pin refuse a capture
        // of anything else rather than capture what we did not mean.
        let request = Request::new(Method::PUT, format!("charges/{id}/capture"))
            .form(vec![("amount".into(), minor(amount)?)]);
        write_with_check(
            self.http.retry_policy(),
            "capture",
            || self.write(&request, wire::charge),
            || charge_shows(self.get_charge(id), capture_applied),
        )
        .await
    }

    async fn void(&self, id: &str, _key: &OperationKey) -> Result<Charge> {
        let request = Request::new(Method::PUT, format!("charges/{id}/void"));
        write_with_check(
            self.http.retry_policy(),
            "void",
            || self.write(&request, wire::charge),
            || charge_shows(self.get_charge(id), void_applied),
        )
        .await
    }

    async fn refund(
        &self,
        charge_id: &str,
        amount: Money,
        _reason: Option<&str>,
        _key: &OperationKey,
    ) -> Result<Refund> {
        // Several partial refunds of one charge are allowed, so "did it happen" means
        // "is there a refund of this amount that was not there before we asked".
        let before: HashSet<String> = self
            .charge_refunds(charge_id)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let request = Request::new(Method::POST, format!("charges/{charge_id}/refunds"))
            .form(vec![("amount".into(), minor(amount)?)]);
        write_with_check(
            self.http.retry_policy(),
            "refund",
            || self.write(&request, wire::refund),
            || async {
                let now = self.charge_refunds(charge_id).await?;
                Ok(now
                    .into_iter()
                    .find(|r| !before.contains(&r.id) && r.amount == amount)
                    .into())
            },
        )
        .await
    }

    async fn charge_refunds(&self, charge_id: &str) -> Result<Vec<Refund>> {
        self.all(&format!("charges/{charge_id}/refunds"), wire::refund)
            .await
    }

    async fn list_refunds(&self, page: &PageRequest) -> Result<Page<Refund>> {
        self.page(Request::get("refunds"), page, wire::refund).await
    }

    async fn get_refund(&self, id: &str) -> Result<Refund> {
        self.one(Request::get(format!("refunds/{id}")), wire::refund)
            .await
    }

    async fn verify_3ds(&self, session_token: &str) -> Result<Charge> {
        let request = Request::get("charges/verify").query("session_token", session_token);
        self.one(request, wire::charge).await
    }

    async fn list_customers(&self, page: &PageRequest) -> Result<Page<Customer>> {
        self.page(Request::get("customers"), page, wire::customer)
            .await
    }

    async fn get_customer(&self, id: &str) -> Result<Customer> {
        self.one(Request::get(format!("customers/{id}")), wire::customer)
            .await
    }

    async fn create_customer(
        &self,
        customer: &NewCustomer,
        _key: &OperationKey,
    ) -> Result<Customer> {
        let mut fields = vec![("email".to_string(), customer.email.clone())];
        let optional = [
            ("first_name", &customer.first_name),
            ("last_name", &customer.last_name),
            ("phone_number", &customer.phone),
            ("company", &customer.company),
            ("notes", &customer.notes),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                fields.push((name.to_string(), value.clone()));
            }
        }
        source_fields(&customer.card, &mut fields);
        let request = Request::new(Method::POST, "customers").form(fields);
        let started = Utc::now();
        write_with_check(
            self.http.retry_policy(),
            "customer creation",
            || self.write(&request, wire::customer),
            || async {
                // Pin customers carry no metadata: look for a customer with this email
                // created since we asked (allowing for clock skew), newest first.
                let page = whole(self.list_customers(&PageRequest::first(100)).await?)?;
                let since = started - Duration::minutes(5);
                Ok(page
                    .items
                    .into_iter()
                    .find(|c| c.email == customer.email && c.created >= since)
                    .into())
            },
        )
        .await
    }

    async fn update_customer(
        &self,
        id: &str,
        update: &CustomerUpdate,
        _key: &OperationKey,
    ) -> Result<Customer> {
        let changes = [
            ("email", &update.email),
            ("first_name", &update.first_name),
            ("last_name", &update.last_name),
            ("phone_number", &update.phone),
            ("company", &update.company),
            ("notes", &update.notes),
            ("primary_card_token", &update.primary_card_id),
        ];
        let fields = changes
            .into_iter()
            .filter_map(|(name, value)| value.as_ref().map(|v| (name.to_string(), v.clone())))
            .collect();
        let request = Request::new(Method::PUT, format!("customers/{id}")).form(fields);
        // Setting fields to given values cannot apply twice.
        write_idempotent(self.http.retry_policy(), || {
            self.write(&request, wire::customer)
        })
        .await
    }

    async fn delete_customer(&self, id: &str, _key: &OperationKey) -> Result<()> {
        let request = Request::new(Method::DELETE, format!("customers/{id}"));
        write_with_check(
            self.http.retry_policy(),
            "customer deletion",
            || async { self.http.send(&request).await.map(drop) },
            || async { deleted(self.get_customer(id).await) },
        )
        .await
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
        self.all(&format!("customers/{id}/cards"), wire::card).await
    }

    async fn add_card(
        &self,
        customer_id: &str,
        card_token: &str,
        _key: &OperationKey,
    ) -> Result<Card> {
        let request = Request::new(Method::POST, format!("customers/{customer_id}/cards"))
            .form(vec![("card_token".into(), card_token.into())]);
        write_with_check(
            self.http.retry_policy(),
            "card addition",
            || self.write(&request, wire::card),
            || async {
                let cards = self.customer_cards(customer_id).await?;
                Ok(cards.into_iter().find(|c| c.id == card_token).into())
            },
        )
        .await
    }

    async fn delete_card(
        &self,
        customer_id: &str,
        card_id: &str,
        _key: &OperationKey,
    ) -> Result<()> {
        let request = Request::new(
            Method::DELETE,
            format!("customers/{customer_id}/cards/{card_id}"),
        );
        write_with_check(
            self.http.retry_policy(),
            "card deletion",
            || async { self.http.send(&request).await.map(drop) },
            || async {
                let cards = self.customer_cards(customer_id).await?;
                Ok(Applied::when(!cards.iter().any(|c| c.id == card_id), ()))
            },
        )
        .await
    }

    async fn customer_subscriptions(&self, customer_id: &str) -> Result<Vec<Subscription>> {
        let mut subs = self
            .all(
                &format!("customers/{customer_id}/subscriptions"),
                wire::subscription,
            )
            .await?;
        self.name_plans(&mut subs).await;
        Ok(subs)
    }

    async fn cancel_subscription(
        &self,
        customer_id: &str,
        subscription_id: &str,
        _key: &OperationKey,
    ) -> Result<Subscription> {
        let request = Request::new(
            Method::DELETE,
            format!("customers/{customer_id}/subscriptions/{subscription_id}"),
        );
        write_with_check(
            self.http.retry_policy(),
            "subscription cancellation",
            || self.write(&request, wire::subscription),
            || async {
                let subs = self.customer_subscriptions(customer_id).await?;
                Ok(subs
                    .into_iter()
                    .find(|s| s.id == subscription_id && !s.state.can_cancel())
                    .into())
            },
        )
        .await
    }
}
