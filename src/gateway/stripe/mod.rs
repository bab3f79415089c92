//! The Stripe adapter (API v1): Bearer key, form-encoded bodies with bracket
//! notation, integer minor units, Unix-second times, cursor paging.
//!
//! Every write carries its operation key as `Idempotency-Key`. Stripe stores the first
//! result for a key and replays it, so a write that failed ambiguously is simply sent
//! again with the same key (`write_idempotent`), never checked and never doubled.

mod cards;
mod changes;
mod charges;
mod customers;
mod disputes;
mod errors;
mod payouts;
mod query;
mod refunds;
mod request;
mod wire;

use std::sync::atomic::{AtomicBool, Ordering};

use reqwest::Method;
use serde_json::value::RawValue;

use super::http::{Auth, HttpClient, HttpConfig, Request};
use super::list_records::RawPage;
use super::registry::{BaseUrl, GatewayDescriptor, adapter};
use super::transport::{Convert, OneClient, Transport};
use super::write_once::write_idempotent;
use super::{Capabilities, Gateway, GatewayError, OperationKey, Result, Subscriptions};
use crate::domain::{Cursor, PageRequest};
use crate::secret::Secret;

use request::{Form, write_request};
use wire::Paging;

pub const LIVE_URL: &str = "https://api.stripe.com";
/// The API version every request pins, so the account's default cannot change the
/// shapes under us (the version whose Charge the reference describes).
pub const API_VERSION: &str = "2026-06-24.dahlia";

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
    payouts: true,
    payout_lines: true,
    balance: true,
    charge_settlement: true,
    changes: super::ChangeFeed::Events {
        kept_days: 30,
        expiry_days: None,
    },
};

/// Stripe as the registry knows it.
pub const DESCRIPTOR: GatewayDescriptor = GatewayDescriptor {
    config_name: "stripe",
    label: "Stripe",
    capabilities: CAPABILITIES,
    // Stripe serves test and live from one host; the key decides which.
    base_url: BaseUrl::Same(LIVE_URL),
    profile_keys: &[],
    build: |url, profile| adapter(StripeGateway::new(url, profile.key, profile.http)),
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

    /// A keyed write, resent with its key while failures are transient: Stripe replays
    /// the first result, so it cannot apply twice. A response we cannot read is one
    /// such failure.
    async fn keyed_write<T>(
        &self,
        operation: &str,
        request: &Request,
        convert: Convert<T>,
    ) -> Result<T> {
        write_idempotent(self.http.retry_policy(), || self.write(request, convert))
            .await
            .map_err(|e| unconfirmed(operation, e))
    }

    /// A keyed POST of `form` to `path`, its answer decoded.
    async fn post<T>(
        &self,
        operation: &str,
        path: impl AsRef<str> + Send,
        form: Form,
        key: &OperationKey,
        convert: Convert<T>,
    ) -> Result<T> {
        let request = write_request(Method::POST, path, form, key);
        self.keyed_write(operation, &request, convert).await
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
}

impl OneClient for StripeGateway {
    type Record = Box<RawValue>;

    fn http(&self) -> &HttpClient {
        &self.http
    }
}

impl Transport for StripeGateway {
    /// One page of a list endpoint, `starting_after` the cursor.
    async fn read_page(&self, request: Request, page: &PageRequest) -> Result<RawPage> {
        let mut request = request.list().query("limit", page.limit.clamp(1, 100));
        if let Some(Cursor::After(id)) = &page.cursor {
            request = request.query("starting_after", id);
        }
        let list: wire::List = self.http.read_json(&request).await?;
        list.into_raw(Paging::List)
    }
}

impl Gateway for StripeGateway {
    fn descriptor(&self) -> &'static GatewayDescriptor {
        &DESCRIPTOR
    }
}

/// Stripe subscriptions are not in paydeck yet.
impl Subscriptions for StripeGateway {}
