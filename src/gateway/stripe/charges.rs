//! Stripe charges: listing and searching them, reading one, and the keyed writes on
//! them (create, capture, release).

use async_trait::async_trait;

use super::query::ChargeQuery;
use super::request::{Form, METADATA_VALUE_MAX, minor, source_fields, truncated};
use super::wire::Paging;
use super::{StripeGateway, query, request, wire};
use crate::domain::{Charge, ChargeFilter, Cursor, NewCharge, Page, PageRequest};
use crate::gateway::http::Request;
use crate::gateway::paths;
use crate::gateway::transport::Transport;
use crate::gateway::{Charges, GatewayError, OperationKey, Result};
use crate::money::Money;

#[async_trait]
impl Charges for StripeGateway {
    async fn list_charges(
        &self,
        page: &PageRequest,
        filter: &ChargeFilter,
    ) -> Result<Page<Charge>> {
        match query::charge_query(filter) {
            ChargeQuery::Search(query) => search_page(self, &query, page).await,
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
                let mut request = request::get("charges").query("expand[]", "data.refunds");
                for (name, value) in params {
                    request = request.query(&name, value);
                }
                self.page(request, page, wire::charge).await
            }
        }
    }

    async fn get_charge(&self, id: &str) -> Result<Charge> {
        self.one(charge_request(id)?, wire::charge).await
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
        self.post("charge", "charges", form, key, wire::charge)
            .await
    }

    async fn capture(&self, id: &str, amount: Money, key: &OperationKey) -> Result<Charge> {
        // Less than the authorisation captures that much and releases the rest.
        let mut form = Form::default();
        form.put("amount", minor(amount)?);
        self.post(
            "capture",
            paths::below("charges", id, "capture")?,
            form,
            key,
            wire::charge,
        )
        .await
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
        self.post("release", "refunds", form, key, wire::refund)
            .await?;
        self.get_charge(id).await
    }
}

/// One page of charge search results; the cursor is Stripe's `next_page` token.
async fn search_page(
    stripe: &StripeGateway,
    query: &str,
    page: &PageRequest,
) -> Result<Page<Charge>> {
    let mut request = request::get("charges/search")
        .list()
        .query("query", query)
        .query("limit", page.limit.clamp(1, 100))
        .query("expand[]", "data.refunds");
    if let Some(Cursor::After(token)) = &page.cursor {
        request = request.query("page", token);
    }
    let list: wire::List = stripe.http.read_json(&request).await?;
    Ok(list.into_raw(Paging::Search)?.decode(wire::charge))
}

/// A charge, its refunds expanded.
fn charge_request(id: &str) -> Result<Request> {
    Ok(request::get(paths::record("charges", id)?).query("expand[]", "refunds"))
}
