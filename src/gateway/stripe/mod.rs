//! The Stripe adapter (API v1): Bearer key, form-encoded bodies with bracket
//! notation, integer minor units, Unix-second times, cursor paging.
//!
//! Every write carries its operation key as `Idempotency-Key`. Stripe stores the first
//! result for a key and replays it, so a write that failed ambiguously is simply sent
//! again with the same key (`write_idempotent`), never checked and never doubled.

mod errors;
mod query;
mod request;
mod wire;

use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use reqwest::Method;
use serde_json::value::RawValue;

use super::http::{Auth, HttpClient, HttpConfig, Request};
use super::list_records::whole;
use super::paging::every_page;
use super::write_once::write_idempotent;
use super::{Capabilities, Gateway, GatewayError, OperationKey, Result};
use crate::domain::{
    Card, Charge, ChargeFilter, Cursor, Customer, CustomerUpdate, Dispute, NewCharge, NewCustomer,
    Page, PageRequest, PaymentSource, Refund,
};
use crate::money::Money;
use crate::secret::Secret;

use query::ChargeQuery;
use request::{
    Form, METADATA_VALUE_MAX, full_name, get, minor, source_fields, stripe_reason, truncated,
    write_request,
};
use wire::Paging;

pub const LIVE_URL: &str = "https://api.stripe.com";
/// The API version every request pins, so the account's default cannot change the
/// shapes under us (the version whose Charge the reference describes).
pub const API_VERSION: &str = "2026-06-24.dahlia";

/// Pages fetched at most when collecting a whole small list (a charge's refunds).
const MAX_PAGES: usize = 40;

/// What Stripe can do. "Void" is releasing the authorisation, which Stripe does by
/// refunding the uncaptured charge; the UI calls it by that name.
pub const CAPABILITIES: Capabilities = Capabilities {
    partial_capture: true,
    void: true,
    partial_void: false,
    void_name: "release",
    void_note: Some("Stripe does this as a refund of the uncaptured charge; no money has moved"),
    partial_refund: true,
    refund_reason: true,
    server_search: true,
    customers: true,
    refund_list: true,
    delete_primary_card: true,
    subscriptions: false,
    disputes: true,
    three_d_secure: false,
    idempotency_keys: true,
};

#[derive(Debug, Clone)]
pub struct StripeGateway {
    http: HttpClient,
}

/// After a write's retries run out on failures that may have reached Stripe, the write
/// may have happened: say so, rather than that it failed.
fn unconfirmed(operation: &str, error: GatewayError) -> GatewayError {
    if !error.certainly_not_applied() {
        GatewayError::Unconfirmed {
            operation: operation.to_string(),
            last: Box::new(error),
        }
    } else {
        error
    }
}

impl StripeGateway {
    pub fn new(base_url: &str, secret_key: Secret, config: HttpConfig) -> Result<StripeGateway> {
        let http = HttpClient::new(base_url, Auth::Bearer(secret_key), config, errors::decode)?;
        Ok(StripeGateway { http })
    }

    async fn one<T>(&self, request: Request, convert: fn(&RawValue) -> Result<T>) -> Result<T> {
        let raw: Box<RawValue> = self.http.read_json(&request).await?;
        convert(&raw)
    }

    /// One page of a list endpoint, `starting_after` the cursor.
    async fn page<T>(
        &self,
        request: Request,
        page: &PageRequest,
        convert: fn(&RawValue) -> Result<T>,
    ) -> Result<Page<T>> {
        let mut request = request.list().query("limit", page.limit.clamp(1, 100));
        if let Some(Cursor::After(id)) = &page.cursor {
            request = request.query("starting_after", id);
        }
        let list: wire::List = self.http.read_json(&request).await?;
        list.into_page(convert, Paging::List)
    }

    /// One page of charge search results; the cursor is Stripe's `next_page` token.
    async fn search_page(&self, query: &str, page: &PageRequest) -> Result<Page<Charge>> {
        let mut request = get("charges/search")
            .list()
            .query("query", query)
            .query("limit", page.limit.clamp(1, 100))
            .query("expand[]", "data.refunds");
        if let Some(Cursor::After(token)) = &page.cursor {
            request = request.query("page", token);
        }
        let list: wire::List = self.http.read_json(&request).await?;
        list.into_page(wire::charge, Paging::Search)
    }

    /// Every item of a short list, following pages.
    async fn all<T>(
        &self,
        request: Request,
        convert: fn(&RawValue) -> Result<T>,
    ) -> Result<Vec<T>> {
        every_page(100, MAX_PAGES, |at| {
            let request = request.clone();
            async move { whole(self.page(request, &at, convert).await?) }
        })
        .await
    }

    /// A keyed write, resent with its key while failures are transient: Stripe replays
    /// the first result, so it cannot apply twice. A response we cannot read is one
    /// such failure.
    async fn write<T>(
        &self,
        operation: &str,
        request: &Request,
        convert: fn(&RawValue) -> Result<T>,
    ) -> Result<T> {
        write_idempotent(self.http.retry_policy(), || async {
            let raw: Box<RawValue> = self.http.send(request).await?.json()?;
            convert(&raw)
        })
        .await
        .map_err(|e| unconfirmed(operation, e))
    }

    /// A DELETE: idempotent by nature, but Stripe keys only POSTs and answers a second
    /// DELETE with 404, so after an attempt that may have gone through, "no such
    /// object" means it did.
    async fn delete(&self, operation: &str, path: String, key: &OperationKey) -> Result<()> {
        let request = write_request(Method::DELETE, path, Form::default(), key);
        let maybe_applied = AtomicBool::new(false);
        write_idempotent(self.http.retry_policy(), || async {
            match self.http.send(&request).await {
                Ok(_) => Ok(()),
                Err(GatewayError::NotFound { .. }) if maybe_applied.load(Ordering::Relaxed) => {
                    Ok(())
                }
                Err(e) => {
                    if !e.certainly_not_applied() {
                        maybe_applied.store(true, Ordering::Relaxed);
                    }
                    Err(e)
                }
            }
        })
        .await
        .map_err(|e| unconfirmed(operation, e))
    }

    fn charge_request(id: &str) -> Request {
        get(format!("charges/{id}")).query("expand[]", "refunds")
    }

    fn customer_request(id: &str) -> Request {
        get(format!("customers/{id}"))
            .query("expand[]", "invoice_settings.default_payment_method")
            .query("expand[]", "default_source")
    }
}

#[async_trait]
impl Gateway for StripeGateway {
    fn name(&self) -> &'static str {
        "Stripe"
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    async fn list_charges(
        &self,
        page: &PageRequest,
        filter: &ChargeFilter,
    ) -> Result<Page<Charge>> {
        match query::charge_query(filter) {
            ChargeQuery::Search(query) => self.search_page(&query, page).await,
            ChargeQuery::Id(id) => {
                let items = match self.get_charge(&id).await {
                    Ok(charge) => vec![charge],
                    Err(GatewayError::NotFound { .. }) => Vec::new(),
                    Err(e) => return Err(e),
                };
                Ok(Page {
                    total: Some(items.len() as u64),
                    items,
                    next: None,
                    skipped: Vec::new(),
                })
            }
            ChargeQuery::List(params) => {
                let mut request = get("charges").query("expand[]", "data.refunds");
                for (name, value) in params {
                    request = request.query(&name, value);
                }
                self.page(request, page, wire::charge).await
            }
        }
    }

    async fn get_charge(&self, id: &str) -> Result<Charge> {
        self.one(Self::charge_request(id), wire::charge).await
    }

    async fn create_charge(&self, charge: &NewCharge, key: &OperationKey) -> Result<Charge> {
        let mut form = Form::default();
        form.put("amount", minor(charge.amount)?)
            .put(
                "currency",
                charge.amount.currency.code().to_ascii_lowercase(),
            )
            .put("capture", charge.capture.to_string());
        if !charge.description.is_empty() {
            form.put("description", charge.description.clone());
        }
        // Not `receipt_email`: Stripe would email the payer a receipt nobody asked
        // paydeck to send. The email is kept in metadata, where the dashboard finds it.
        if !charge.email.is_empty() {
            form.put("metadata[email]", charge.email.clone());
        }
        for (k, v) in &charge.metadata {
            form.put(format!("metadata[{k}]"), truncated(v, METADATA_VALUE_MAX));
        }
        source_fields(&charge.source, &mut form);
        let request = write_request(Method::POST, "charges", form, key);
        self.write("charge", &request, wire::charge).await
    }

    async fn capture(&self, id: &str, amount: Money, key: &OperationKey) -> Result<Charge> {
        // Less than the authorisation captures that much and releases the rest.
        let mut form = Form::default();
        form.put("amount", minor(amount)?);
        let request = write_request(Method::POST, format!("charges/{id}/capture"), form, key);
        self.write("capture", &request, wire::charge).await
    }

    async fn void(&self, id: &str, key: &OperationKey) -> Result<Charge> {
        // Stripe has no void: refunding an uncaptured charge releases the whole
        // authorisation. Refuse it for a captured charge, which it would refund.
        let charge = self.get_charge(id).await?;
        if charge.captured.is_positive() {
            return Err(GatewayError::Refused {
                code: "charge_already_captured".into(),
                message: format!(
                    "Charge {id} has been captured; refund it instead of releasing it"
                ),
            });
        }
        let mut form = Form::default();
        form.put("charge", id);
        let request = write_request(Method::POST, "refunds", form, key);
        self.write("release", &request, wire::refund).await?;
        self.get_charge(id).await
    }

    async fn refund(
        &self,
        charge_id: &str,
        amount: Money,
        reason: Option<&str>,
        key: &OperationKey,
    ) -> Result<Refund> {
        let mut form = Form::default();
        form.put("charge", charge_id).put("amount", minor(amount)?);
        if let Some(text) = reason.map(str::trim).filter(|t| !t.is_empty()) {
            if let Some(stripe) = stripe_reason(text) {
                form.put("reason", stripe);
            }
            form.put(
                format!("metadata[{}]", wire::REASON_METADATA),
                truncated(text, METADATA_VALUE_MAX),
            );
        }
        let request = write_request(Method::POST, "refunds", form, key);
        self.write("refund", &request, wire::refund).await
    }

    async fn charge_refunds(&self, charge_id: &str) -> Result<Vec<Refund>> {
        let found = self
            .all(
                get("refunds").query("charge", charge_id),
                wire::refund_unless_release,
            )
            .await?;
        Ok(found.into_iter().flatten().collect())
    }

    async fn list_refunds(&self, page: &PageRequest) -> Result<Page<Refund>> {
        let found = self
            .page(get("refunds"), page, wire::refund_unless_release)
            .await?;
        Ok(Page {
            items: found.items.into_iter().flatten().collect(),
            next: found.next,
            total: found.total,
            skipped: found.skipped,
        })
    }

    async fn get_refund(&self, id: &str) -> Result<Refund> {
        self.one(get(format!("refunds/{id}")), wire::refund).await
    }

    async fn list_customers(&self, page: &PageRequest) -> Result<Page<Customer>> {
        let request = get("customers")
            .query("expand[]", "data.invoice_settings.default_payment_method")
            .query("expand[]", "data.default_source");
        self.page(request, page, wire::customer).await
    }

    async fn get_customer(&self, id: &str) -> Result<Customer> {
        self.one(Self::customer_request(id), wire::customer).await
    }

    async fn create_customer(
        &self,
        customer: &NewCustomer,
        key: &OperationKey,
    ) -> Result<Customer> {
        let mut form = Form::default();
        form.put("email", customer.email.clone())
            .put_some(
                "name",
                full_name(customer.first_name.as_ref(), customer.last_name.as_ref()).as_ref(),
            )
            .put_some("phone", customer.phone.as_ref())
            .put_some("description", customer.notes.as_ref())
            .put_some(
                &format!("metadata[{}]", wire::COMPANY_METADATA),
                customer.company.as_ref(),
            );
        match &customer.card {
            PaymentSource::CardToken(pm) if pm.starts_with("pm_") => {
                form.put("payment_method", pm.clone())
                    .put("invoice_settings[default_payment_method]", pm.clone());
            }
            PaymentSource::Customer(_) => {}
            other => source_fields(other, &mut form),
        }
        form.put("expand[]", "invoice_settings.default_payment_method")
            .put("expand[]", "default_source");
        let request = write_request(Method::POST, "customers", form, key);
        self.write("customer creation", &request, wire::customer)
            .await
    }

    async fn update_customer(
        &self,
        id: &str,
        update: &CustomerUpdate,
        key: &OperationKey,
    ) -> Result<Customer> {
        let mut form = Form::default();
        if update.first_name.is_some() || update.last_name.is_some() {
            // One name on Stripe: the half not being changed comes from what is there.
            let current = self.get_customer(id).await?;
            let first = update.first_name.as_ref().or(current.first_name.as_ref());
            let last = update.last_name.as_ref().or(current.last_name.as_ref());
            form.put("name", full_name(first, last).unwrap_or_default());
        }
        form.put_some("email", update.email.as_ref())
            .put_some("phone", update.phone.as_ref())
            .put_some("description", update.notes.as_ref())
            .put_some(
                &format!("metadata[{}]", wire::COMPANY_METADATA),
                update.company.as_ref(),
            );
        match &update.primary_card_id {
            Some(pm) if pm.starts_with("pm_") => {
                form.put("invoice_settings[default_payment_method]", pm.clone());
            }
            Some(source) => {
                form.put("default_source", source.clone());
            }
            None => {}
        }
        form.put("expand[]", "invoice_settings.default_payment_method")
            .put("expand[]", "default_source");
        let request = write_request(Method::POST, format!("customers/{id}"), form, key);
        self.write("customer update", &request, wire::customer)
            .await
    }

    async fn delete_customer(&self, id: &str, key: &OperationKey) -> Result<()> {
        self.delete("customer deletion", format!("customers/{id}"), key)
            .await
    }

    async fn customer_charges(&self, id: &str, page: &PageRequest) -> Result<Page<Charge>> {
        let request = get("charges")
            .query("customer", id)
            .query("expand[]", "data.refunds");
        self.page(request, page, wire::charge).await
    }

    async fn customer_cards(&self, id: &str) -> Result<Vec<Card>> {
        let customer: Box<RawValue> = self.http.read_json(&get(format!("customers/{id}"))).await?;
        let defaults = wire::customer_defaults(&customer)?;
        let request = get(format!("customers/{id}/payment_methods")).query("type", "card");
        let mut cards = self.all(request, wire::card).await?;
        for card in &mut cards {
            card.primary = defaults.contains(&card.id);
        }
        Ok(cards)
    }

    async fn add_card(
        &self,
        customer_id: &str,
        card_token: &str,
        key: &OperationKey,
    ) -> Result<Card> {
        let mut form = Form::default();
        let request = if card_token.starts_with("pm_") {
            form.put("customer", customer_id);
            write_request(
                Method::POST,
                format!("payment_methods/{card_token}/attach"),
                form,
                key,
            )
        } else {
            form.put("source", card_token);
            write_request(
                Method::POST,
                format!("customers/{customer_id}/sources"),
                form,
                key,
            )
        };
        self.write("card addition", &request, wire::card).await
    }

    async fn delete_card(
        &self,
        customer_id: &str,
        card_id: &str,
        key: &OperationKey,
    ) -> Result<()> {
        let request = if card_id.starts_with("pm_") {
            write_request(
                Method::POST,
                format!("payment_methods/{card_id}/detach"),
                Form::default(),
                key,
            )
        } else {
            return self
                .delete(
                    "card deletion",
                    format!("customers/{customer_id}/sources/{card_id}"),
                    key,
                )
                .await;
        };
        self.write("card deletion", &request, |_| Ok(())).await
    }

    async fn list_disputes(&self, page: &PageRequest) -> Result<Page<Dispute>> {
        self.page(get("disputes"), page, wire::dispute).await
    }

    async fn get_dispute(&self, id: &str) -> Result<Dispute> {
        self.one(get(format!("disputes/{id}")), wire::dispute).await
    }

    async fn charge_dispute(&self, charge_id: &str) -> Result<Option<Dispute>> {
        let request = get("disputes").query("charge", charge_id);
        // A dispute left out could be the one that stands.
        let page = whole(
            self.page(request, &PageRequest::first(10), wire::dispute)
                .await?,
        )?;
        // Newest first: the one that stands.
        Ok(page.items.into_iter().next())
    }

    async fn submit_dispute_evidence(
        &self,
        id: &str,
        text: &str,
        key: &OperationKey,
    ) -> Result<Dispute> {
        let mut form = Form::default();
        form.put("evidence[uncategorized_text]", text)
            .put("submit", "true");
        let request = write_request(Method::POST, format!("disputes/{id}"), form, key);
        self.write("evidence submission", &request, wire::dispute)
            .await
    }

    async fn close_dispute(&self, id: &str, key: &OperationKey) -> Result<Dispute> {
        let request = write_request(
            Method::POST,
            format!("disputes/{id}/close"),
            Form::default(),
            key,
        );
        self.write("dispute closure", &request, wire::dispute).await
    }
}
