//! Pin charges: listing and searching them, reading one, and the writes on them
//! (create, capture, void), each checked before a retry since Pin keys none of them.

use async_trait::async_trait;
use chrono::Duration;

use super::form::{minor, source_fields};
use super::{PinGateway, wire};
use crate::domain::{Charge, ChargeFilter, NewCharge, Page, PageRequest};
use crate::gateway::charge_rules::approved;
use crate::gateway::http::Request;
use crate::gateway::list_records::whole;
use crate::gateway::paths;
use crate::gateway::transport::Transport;
use crate::gateway::write_once::{Applied, capture_applied, charge_shows, void_applied};
use crate::gateway::{Charges, OperationKey, Result};
use crate::money::Money;

/// The metadata key that ties a charge to the paydeck operation that created it, so an
/// ambiguous create can be found again by searching for the key.
const OPERATION_METADATA: &str = "paydeck_operation";

#[async_trait]
impl Charges for PinGateway {
    async fn list_charges(
        &self,
        page: &PageRequest,
        filter: &ChargeFilter,
    ) -> Result<Page<Charge>> {
        let request = search_request(filter).unwrap_or_else(|| Request::get("charges"));
        self.page(request, page, wire::charge).await
    }

    async fn get_charge(&self, id: &str) -> Result<Charge> {
        self.one(Request::get(paths::record("charges", id)?), wire::charge)
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
        let request = Request::post("charges").form(fields);
        self.write_checked("charge", &request, wire::charge, || find_created(self, key))
            .await
    }

    async fn capture(&self, id: &str, amount: Money, _key: &OperationKey) -> Result<Charge> {
        // Pin captures whole authorisations only; the amount makes Pin refuse a capture
        // of anything else rather than capture what we did not mean.
        let request = Request::put(paths::below("charges", id, "capture")?)
            .form(vec![("amount".into(), minor(amount)?)]);
        self.write_checked("capture", &request, wire::charge, || {
            charge_shows(self.get_charge(id), capture_applied)
        })
        .await
    }

    async fn void(&self, id: &str, _key: &OperationKey) -> Result<Charge> {
        let request = Request::put(paths::below("charges", id, "void")?);
        self.write_checked("void", &request, wire::charge, || {
            charge_shows(self.get_charge(id), void_applied)
        })
        .await
    }

    async fn verify_3ds(&self, session_token: &str) -> Result<Charge> {
        let request = Request::get("charges/verify").query("session_token", session_token);
        self.one(request, wire::charge).await
    }
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

async fn find_created(pin: &PinGateway, key: &OperationKey) -> Result<Applied<Charge>> {
    let request = Request::get("charges/search").query("query", key.as_str());
    // A charge left out could be the one we look for.
    let page = whole(
        pin.page(request, &PageRequest::first(25), wire::charge)
            .await?,
    )?;
    let found = page
        .items
        .into_iter()
        .find(|c| c.metadata.get(OPERATION_METADATA).map(String::as_str) == Some(key.as_str()));
    // A declined charge was made, and is the answer: the decline.
    found.map(approved).transpose().map(Applied::from)
}
