//! Stripe disputes: listing and reading them, the one of a charge, and the keyed
//! writes of evidence and closing.

use reqwest::Method;

use super::request::{Form, write_request};
use super::{StripeGateway, request, wire};
use crate::domain::{Dispute, Page, PageRequest};
use crate::gateway::http::segment;
use crate::gateway::list_records::whole;
use crate::gateway::{OperationKey, Result};

pub(super) async fn list(stripe: &StripeGateway, page: &PageRequest) -> Result<Page<Dispute>> {
    stripe
        .page(request::get("disputes"), page, wire::dispute)
        .await
}

pub(super) async fn get(stripe: &StripeGateway, id: &str) -> Result<Dispute> {
    stripe
        .one(
            request::get(format!("disputes/{}", segment(id)?)),
            wire::dispute,
        )
        .await
}

pub(super) async fn of_charge(stripe: &StripeGateway, charge_id: &str) -> Result<Option<Dispute>> {
    let request = request::get("disputes").query("charge", charge_id);
    // A dispute left out could be the one that stands.
    let page = whole(
        stripe
            .page(request, &PageRequest::first(10), wire::dispute)
            .await?,
    )?;
    // Newest first: the one that stands.
    Ok(page.items.into_iter().next())
}

pub(super) async fn submit_evidence(
    stripe: &StripeGateway,
    id: &str,
    text: &str,
    key: &OperationKey,
) -> Result<Dispute> {
    let mut form = Form::default();
    form.put("evidence[uncategorized_text]", text)
        .put("submit", "true");
    let request = write_request(
        Method::POST,
        format!("disputes/{}", segment(id)?),
        form,
        key,
    );
    stripe
        .write("evidence submission", &request, wire::dispute)
        .await
}

pub(super) async fn close(stripe: &StripeGateway, id: &str, key: &OperationKey) -> Result<Dispute> {
    let request = write_request(
        Method::POST,
        format!("disputes/{}/close", segment(id)?),
        Form::default(),
        key,
    );
    stripe
        .write("dispute closure", &request, wire::dispute)
        .await
}
