//! Pin refunds: a charge's, every refund, one refund, and refunding a charge, checked
//! before a retry by looking for a new refund of the amount.

use std::collections::HashSet;

use reqwest::Method;

use super::form::minor;
use super::{PinGateway, wire};
use crate::domain::{Page, PageRequest, Refund};
use crate::gateway::http::Request;
use crate::gateway::http::segment;
use crate::gateway::write_once::write_with_check;
use crate::gateway::{OperationKey, Result};
use crate::money::Money;

pub(super) async fn create(
    pin: &PinGateway,
    charge_id: &str,
    amount: Money,
    _reason: Option<&str>,
    _key: &OperationKey,
) -> Result<Refund> {
    // Several partial refunds of one charge are allowed, so "did it happen" means
    // "is there a refund of this amount that was not there before we asked".
    let before: HashSet<String> = of_charge(pin, charge_id)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let request = Request::new(
        Method::POST,
        format!("charges/{}/refunds", segment(charge_id)?),
    )
    .form(vec![("amount".into(), minor(amount)?)]);
    write_with_check(
        pin.http.retry_policy(),
        "refund",
        || pin.write(&request, wire::refund),
        || async {
            let now = of_charge(pin, charge_id).await?;
            Ok(now
                .into_iter()
                .find(|r| !before.contains(&r.id) && r.amount == amount)
                .into())
        },
    )
    .await
}

pub(super) async fn of_charge(pin: &PinGateway, charge_id: &str) -> Result<Vec<Refund>> {
    pin.all(
        &format!("charges/{}/refunds", segment(charge_id)?),
        wire::refund,
    )
    .await
}

pub(super) async fn list(pin: &PinGateway, page: &PageRequest) -> Result<Page<Refund>> {
    pin.page(Request::get("refunds"), page, wire::refund).await
}

pub(super) async fn get(pin: &PinGateway, id: &str) -> Result<Refund> {
    pin.one(
        Request::get(format!("refunds/{}", segment(id)?)),
        wire::refund,
    )
    .await
}
