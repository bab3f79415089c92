//! The adapter for the transactions gateway of seed 002 (contract: `docs/trx-gateway.md`):
//! a JWT from client credentials as Bearer on every call, JSON bodies, decimal-string
//! amounts in major units, offset paging that the server clamps to 10..100.
//!
//! Payments, refunds and chargebacks are all "transactions": a charge is a `PAYMENT`,
//! a refund a `REFUND` and a dispute a `CHARGEBACK`, the last two naming their payment
//! in `parent_id`.
//!
//! The gateway has no idempotency keys, so every write goes through `write_with_check`:
//! a payment carries its operation key as `order_id`, which the gateway keeps unique
//! among payments (a second one is refused with `duplicate_order_id`) and looks up; a
//! capture or void is checked by reading the payment back; a refund by whether the
//! payment's `refunded_amount` grew, and then found as the newest `REFUND` of it.

mod changes;
mod charges;
mod disputes;
mod errors;
mod payouts;
mod refunds;
mod request;
mod token;
mod wire;

use std::future::Future;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::http::{Auth, HttpClient, HttpConfig, Request, Response};
use super::list_records::RawPage;
use super::registry::{BaseUrl, GatewayDescriptor, adapter};
use super::transport::{Exchange, Transport};
use super::{
    Capabilities, Cards, Customers, Gateway, GatewayError, Result, RetryPolicy, Subscriptions,
};
use crate::domain::{Charge, Cursor, PageRequest};
use crate::secret::Secret;

use request::{MAX_LIMIT, MIN_LIMIT, paged};
use token::Tokens;

use wire::Kind;

pub use wire::{EXTERNAL_ID_METADATA, ORDER_ID_METADATA};

/// Pages of 100 read at most when searching the list for a payment's refunds or
/// chargeback.
const MAX_PAGES: usize = 200;

/// What the transactions gateway can do.
pub const CAPABILITIES: Capabilities = Capabilities {
    partial_capture: true,
    void: true,
    partial_void: true,
    void_name: "void",
    void_note: None,
    partial_refund: true,
    refund_reason: true,
    // Dates and a single status narrow on the server; the rest only locally.
    server_search: true,
    customers: false,
    refund_list: true,
    delete_primary_card: false,
    subscriptions: false,
    // Chargebacks are read; there is no evidence to submit and nothing to accept.
    disputes: true,
    three_d_secure: false,
    idempotency_keys: false,
    // Settlement batches, their lines, the balance, and a payment's fee and batch
    // (docs/trx-gateway.md).
    payouts: true,
    payout_lines: true,
    balance: true,
    charge_settlement: true,
    changes: super::ChangeFeed::UpdatedAt,
};

/// Transactions gateway as the registry knows it.
pub const DESCRIPTOR: GatewayDescriptor = GatewayDescriptor {
    config_name: "trx",
    label: "Transactions gateway",
    capabilities: CAPABILITIES,
    // The gateway of seed 002 publishes no host: the profile must name it.
    base_url: BaseUrl::FromProfile {
        example: "https://…/trx/v1",
    },
    profile_keys: &[],
    build: |url, profile| adapter(TrxGateway::from_key(url, profile.key, profile.http)),
};

#[derive(Debug, Clone)]
pub struct TrxGateway {
    tokens: Arc<Tokens>,
}

/// An id goes into a path as it is, so it must be a plain identifier; any other is not
/// found (said with `what` it was meant to be: a transaction, a settlement).
fn plain_id<'a>(id: &'a str, what: &str) -> Result<&'a str> {
    let id = id.trim();
    if !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        Ok(id)
    } else {
        Err(GatewayError::NotFound {
            message: format!("{:?} is not a {what} id", super::error::clipped(id)),
        })
    }
}

impl TrxGateway {
    /// `base_url` is the API root including `/v1`; requests go to `{base_url}/…`.
    pub fn new(
        base_url: &str,
        client_id: &str,
        client_secret: Secret,
        config: HttpConfig,
    ) -> Result<TrxGateway> {
        let client_id = client_id.trim();
        if client_id.is_empty() || client_secret.expose().is_empty() {
            return Err(GatewayError::invalid(
                "the transactions gateway needs a client id and a client secret",
            ));
        }
        let http = HttpClient::new(base_url, Auth::None, config, errors::decode)?;
        Ok(TrxGateway {
            tokens: Arc::new(Tokens::new(http, client_id.to_string(), client_secret)),
        })
    }

    /// From paydeck's key for this gateway, `<client_id>:<client_secret>`, split at the
    /// first `:`.
    pub fn from_key(base_url: &str, key: Secret, config: HttpConfig) -> Result<TrxGateway> {
        match key.expose().split_once(':') {
            Some((id, secret)) if !id.trim().is_empty() && !secret.is_empty() => {
                TrxGateway::new(base_url, id, Secret::new(secret), config)
            }
            // Never say what the key was.
            _ => Err(GatewayError::invalid(
                "the key must be <client_id>:<client_secret>",
            )),
        }
    }

    /// How many requests this adapter has sent to the token endpoint.
    pub fn token_requests(&self) -> u64 {
        self.tokens.requests()
    }

    /// `call` made with the current token; a rejected token is renewed once and `call`
    /// made again with the new one (a rejected token certainly changed nothing, so
    /// this holds for writes too).
    async fn with_token<T, F, Fut>(&self, call: F) -> Result<T>
    where
        F: Fn(HttpClient) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let authed = self.tokens.current().await?;
        match call(authed.http).await {
            Err(GatewayError::Unauthorised { .. }) => {
                let renewed = self.tokens.after_rejection(authed.generation).await?;
                call(renewed.http).await
            }
            other => other,
        }
    }

    /// A read, retried while transient, with a token renewed if it is rejected.
    async fn read<T: DeserializeOwned>(&self, request: &Request) -> Result<T> {
        self.with_token(|http| async move { http.read_json(request).await })
            .await
    }

    /// One attempt at a write, with a token renewed if it is rejected.
    async fn send_authed(&self, request: &Request) -> Result<Response> {
        self.with_token(|http| async move { http.send(request).await })
            .await
    }

    async fn transaction_raw(&self, id: &str) -> Result<Box<RawValue>> {
        let id = plain_id(id, "transaction")?;
        self.read(&Request::get(format!("transactions/{id}"))).await
    }

    /// Walks a list in pages of 100 until `visit` says stop or the list ends.
    async fn walk(
        &self,
        request: Request,
        mut visit: impl FnMut(&RawValue) -> Result<bool>,
    ) -> Result<()> {
        let mut at = PageRequest::first(MAX_LIMIT);
        for _ in 0..MAX_PAGES {
            let page = self.read_page(request.clone(), &at).await?;
            for raw in &page.records {
                if visit(raw)? {
                    return Ok(());
                }
            }
            match page.next {
                Some(next) => at = PageRequest::at(next, MAX_LIMIT),
                None => return Ok(()),
            }
        }
        Ok(())
    }

    /// Transactions of `kind` made since `payment` was, oldest (`ASC`) or newest first.
    fn related(kind: Kind, payment: &Charge, direction: &str) -> Request {
        Request::get("transactions")
            .query("type", kind.wire())
            .query("sort", "created_at")
            .query("direction", direction)
            .query("start_date", request::start_date(payment.created))
    }
}

impl Exchange for TrxGateway {
    fn retry_policy(&self) -> RetryPolicy {
        self.tokens.anonymous().retry_policy()
    }

    async fn read_record(&self, request: &Request) -> Result<Box<RawValue>> {
        self.read(request).await
    }

    /// A body we cannot read makes the write ambiguous.
    async fn write_record(&self, request: &Request) -> Result<Box<RawValue>> {
        self.send_authed(request).await?.json()
    }

    async fn send(&self, request: &Request) -> Result<()> {
        self.send_authed(request).await.map(drop)
    }
}

impl Transport for TrxGateway {
    /// The server's `offset` and `total` decide what is next.
    async fn read_page(&self, request: Request, page: &PageRequest) -> Result<RawPage> {
        let (request, asked) = paged(request.list(), page);
        let body: wire::ListBody = self.read(&request).await?;
        let offset = body.offset.unwrap_or(asked);
        let end = offset + body.data.len() as u64;
        let more = match body.total {
            Some(total) => end < total,
            None => body.data.len() as u64 >= u64::from(page.limit.clamp(MIN_LIMIT, MAX_LIMIT)),
        };
        Ok(RawPage {
            records: body.data,
            next: (more && end > offset).then_some(Cursor::Offset(end)),
            total: body.total,
        })
    }
}

impl Gateway for TrxGateway {
    fn descriptor(&self) -> &'static GatewayDescriptor {
        &DESCRIPTOR
    }
}

/// The transactions gateway has no customers, saved cards or subscriptions.
impl Customers for TrxGateway {}
impl Cards for TrxGateway {}
impl Subscriptions for TrxGateway {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_split_at_the_first_colon_and_never_shown() {
        let make = |key: &str| {
            TrxGateway::from_key(
                "http://127.0.0.1:1/trx/v1",
                Secret::new(key),
                HttpConfig::default(),
            )
        };
        assert!(make("cli_abc:sec_def").is_ok());
        assert!(make("cli_abc:sec:with:colons").is_ok());
        for bad in ["", "no-colon-secret", ":sec_only", "cli_only:"] {
            match make(bad) {
                Err(GatewayError::Validation { message, .. }) => {
                    assert!(bad.is_empty() || !message.contains(bad), "{message}");
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        let debug = format!("{:?}", make("cli_abc:sec_topsecret").unwrap());
        assert!(!debug.contains("sec_topsecret"), "{debug}");
    }

    #[test]
    fn ids_must_be_plain() {
        assert!(plain_id("trx_01J5XCMDXCFXCAQ1BV8HVG6644", "transaction").is_ok());
        for bad in ["", "a/b", "lookup?id=1", "x y", "../x"] {
            assert!(plain_id(bad, "transaction").is_err(), "{bad}");
        }
    }
}
