//! Stripe refunds. A refund that released an uncaptured charge is how Stripe voids,
//! so it is left out of the lists: it moved no money.

use reqwest::Method;

use super::request::{Form, METADATA_VALUE_MAX, minor, stripe_reason, truncated, write_request};
use super::{StripeGateway, request, wire};
use crate::domain::{Page, PageRequest, Refund};
use crate::gateway::http::segment;
use crate::gateway::{OperationKey, Result};
use crate::money::Money;

pub(super) async fn create(
    stripe: &StripeGateway,
    charge_id: &str,
    amount: Money,
    reason: Option<&str>,
    key: &OperationKey,
) -> Result<Refund> {
    let mut form = Form::default();
    form.put("charge", charge_id).put("amount", minor(amount)?);
    if let Some(text) = reason.map(str::trim).filter(|t| !t.is_empty()) {
        if let Some(code) = stripe_reason(text) {
            form.put("reason", code);
        }
        form.put(
            format!("metadata[{}]", wire::REASON_METADATA),
            truncated(text, METADATA_VALUE_MAX),
        );
    }
    let request = write_request(Method::POST, "refunds", form, key);
    stripe.write("refund", &request, wire::refund).await
}

pub(super) async fn of_charge(stripe: &StripeGateway, charge_id: &str) -> Result<Vec<Refund>> {
    let found = stripe
        .all(
            request::get("refunds").query("charge", charge_id),
            wire::refund_unless_release,
        )
        .await?;
    Ok(found.into_iter().flatten().collect())
}

pub(super) async fn list(stripe: &StripeGateway, page: &PageRequest) -> Result<Page<Refund>> {
    let found = stripe
        .page(request::get("refunds"), page, wire::refund_unless_release)
        .await?;
    Ok(Page {
        items: found.items.into_iter().flatten().collect(),
        next: found.next,
        total: found.total,
        skipped: found.skipped,
    })
}

pub(super) async fn get(stripe: &StripeGateway, id: &str) -> Result<Refund> {
    stripe
        .one(
            request::get(format!("refunds/{}", segment(id)?)),
            wire::refund,
        )
        .await
}
