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

mod errors;
mod request;
mod token;
mod wire;

use std::sync::Arc;

use async_trait::async_trait;
use futures_util::StreamExt;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

use super::charge_rules::{approved, refundable, same_currency};
use super::decimal_amount::to_json_string;
use super::http::{Auth, HttpClient, HttpConfig, Request};
use super::list_records::decode_each;
use super::write_once::{Applied, capture_applied, charge_shows, void_applied, write_with_check};
use super::{Capabilities, Gateway, GatewayError, OperationKey, Result};
use crate::domain::{
    CardDetails, Charge, ChargeFilter, ChargeStatus, Cursor, Dispute, NewCharge, Page, PageRequest,
    PaymentSource, Refund,
};
use crate::money::Money;
use crate::secret::Secret;

use request::{MAX_LIMIT, MIN_LIMIT, newest, paged};
use token::Tokens;

/// Payments read at once to tell a refund's reason from its payment's description.
const PARENT_READS: usize = 8;
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
};

#[derive(Debug, Clone)]
pub struct TrxGateway {
    tokens: Arc<Tokens>,
}

/// An id goes into a path as it is, so it must be a plain identifier.
fn plain_id(id: &str) -> Result<&str> {
    let id = id.trim();
    if !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        Ok(id)
    } else {
        Err(GatewayError::NotFound {
            message: format!("{id:?} is not a transaction id"),
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
            return Err(GatewayError::Validation {
                message: "the transactions gateway needs a client id and a client secret".into(),
                fields: Vec::new(),
            });
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
            _ => Err(GatewayError::Validation {
                message: "the key must be <client_id>:<client_secret>".into(),
                fields: Vec::new(),
            }),
        }
    }

    /// How many requests this adapter has sent to the token endpoint.
    pub fn token_requests(&self) -> u64 {
        self.tokens.requests()
    }

    /// A read, retried while transient; a rejected token is renewed once and the read
    /// sent again.
    async fn read<T: DeserializeOwned>(&self, request: &Request) -> Result<T> {
        let authed = self.tokens.current().await?;
        match authed.http.read_json(request).await {
            Err(GatewayError::Unauthorised { .. }) => {
                let renewed = self.tokens.after_rejection(authed.generation).await?;
                renewed.http.read_json(request).await
            }
            other => other,
        }
    }

    /// One attempt at a write (a rejected token certainly changed nothing, so the
    /// write is sent once more with a new one); a body we cannot read makes it
    /// ambiguous.
    async fn write_raw(&self, request: &Request) -> Result<Box<RawValue>> {
        let authed = self.tokens.current().await?;
        let response = match authed.http.send(request).await {
            Err(GatewayError::Unauthorised { .. }) => {
                let renewed = self.tokens.after_rejection(authed.generation).await?;
                renewed.http.send(request).await?
            }
            other => other?,
        };
        response.json()
    }

    async fn transaction_raw(&self, id: &str) -> Result<Box<RawValue>> {
        let id = plain_id(id)?;
        self.read(&Request::get(format!("transactions/{id}"))).await
    }

    /// One page of a list, the server's `offset` and `total` deciding what is next.
    async fn page<T>(
        &self,
        request: Request,
        page: &PageRequest,
        convert: fn(&RawValue) -> Result<T>,
    ) -> Result<Page<T>> {
        let (request, asked) = paged(request.list(), page);
        let body: wire::ListBody = self.read(&request).await?;
        let offset = body.offset.unwrap_or(asked);
        let end = offset + body.data.len() as u64;
        let more = match body.total {
            Some(total) => end < total,
            None => body.data.len() as u64 >= u64::from(page.limit.clamp(MIN_LIMIT, MAX_LIMIT)),
        };
        let (items, skipped) = decode_each(&body.data, convert);
        Ok(Page {
            items,
            next: (more && end > offset).then_some(Cursor::Offset(end)),
            total: body.total,
            skipped,
        })
    }

    /// Walks a list in pages of 100 until `visit` says stop or the list ends.
    async fn walk(
        &self,
        request: Request,
        mut visit: impl FnMut(&RawValue) -> Result<bool>,
    ) -> Result<()> {
        let mut at = PageRequest::first(MAX_LIMIT);
        for _ in 0..MAX_PAGES {
            let page = self
                .page(request.clone(), &at, |raw| Ok(raw.to_owned()))
                .await?;
            for raw in &page.items {
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

    /// The payment a create with this key made, looked up by its `order_id`, declined
    /// or not.
    async fn find_by_order(&self, key: &OperationKey) -> Result<Applied<Charge>> {
        let request = Request::get("transactions/lookup")
            .query("id_type", "order_id")
            .query("id", key.as_str());
        match self.read::<Box<RawValue>>(&request).await {
            Ok(raw) => wire::charge(&raw).map(Applied::Yes),
            Err(GatewayError::NotFound { .. }) => Ok(Applied::No),
            Err(e) => Err(e),
        }
    }

    /// A card token for card details (the API's test cards): asking twice only makes
    /// a second token, so it is retried like a read.
    async fn tokenize(&self, card: &CardDetails) -> Result<String> {
        #[derive(serde::Deserialize)]
        struct Tokenized {
            card_token: String,
        }
        let mut body = json!({
            "card_number": card.number.expose(),
            "expiry_month": card.expiry_month,
            "expiry_year": card.expiry_year,
            "cvv": card.cvc.expose(),
        });
        if !card.name.trim().is_empty() {
            body["holder_name"] = card.name.clone().into();
        }
        let request = Request::new(Method::POST, "intents/tokenization").json(body);
        let tokenized: Tokenized = self.read(&request).await?;
        Ok(tokenized.card_token)
    }

    /// A `REFUND`'s `description` is the reason given for it, or, when none was, a copy
    /// of its payment's description: the product, not a reason. Such copies are dropped.
    async fn reasons_only(&self, refunds: &mut [Refund]) -> Result<()> {
        let mut parents: Vec<String> = refunds
            .iter()
            .filter(|r| r.reason.is_some())
            .map(|r| r.charge_id.clone())
            .collect();
        parents.sort();
        parents.dedup();
        let described: Vec<(String, Option<String>)> =
            futures_util::stream::iter(parents.into_iter().map(|id| async move {
                let payment = self.get_charge(&id).await?;
                Ok::<_, GatewayError>((id, payment.description))
            }))
            .buffer_unordered(PARENT_READS)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_>>()?;
        Self::drop_echoes(refunds, &described);
        Ok(())
    }

    fn drop_echoes(refunds: &mut [Refund], described: &[(String, Option<String>)]) {
        for refund in refunds {
            let echoed = described
                .iter()
                .any(|(id, d)| *id == refund.charge_id && d.is_some() && *d == refund.reason);
            if echoed {
                refund.reason = None;
            }
        }
    }

    /// The newest refund of `payment`, preferring one of `amount`.
    async fn newest_refund(&self, payment: &Charge, amount: Money) -> Result<Option<Refund>> {
        let mut found: Option<Refund> = None;
        self.walk(Self::related(Kind::Refund, payment, "DESC"), |raw| {
            let refund = wire::refund(raw)?;
            if refund.charge_id != payment.id {
                return Ok(false);
            }
            let exact = refund.amount == amount;
            if exact || found.is_none() {
                found = Some(refund);
            }
            Ok(exact)
        })
        .await?;
        Ok(found)
    }
}

#[async_trait]
impl Gateway for TrxGateway {
    fn name(&self) -> &'static str {
        "Transactions gateway"
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    async fn list_charges(
        &self,
        page: &PageRequest,
        filter: &ChargeFilter,
    ) -> Result<Page<Charge>> {
        let request = request::filter_query(newest(Kind::Payment), filter);
        self.page(request, page, wire::charge).await
    }

    async fn get_charge(&self, id: &str) -> Result<Charge> {
        wire::charge(&self.transaction_raw(id).await?)
    }

    async fn create_charge(&self, charge: &NewCharge, key: &OperationKey) -> Result<Charge> {
        let card_token = match &charge.source {
            PaymentSource::CardToken(token) => token.clone(),
            PaymentSource::Card(card) => self.tokenize(card).await?,
            PaymentSource::Customer(_) => {
                return Err(GatewayError::Unsupported("charging a saved customer"));
            }
        };
        let mut body = Map::new();
        let operation = if charge.capture {
            "authcap"
        } else {
            "authorize"
        };
        body.insert("operation".into(), operation.into());
        body.insert("card_token".into(), card_token.into());
        body.insert("amount".into(), to_json_string(charge.amount)?);
        body.insert("currency".into(), charge.amount.currency.code().into());
        body.insert("order_id".into(), key.as_str().into());
        if !charge.description.trim().is_empty() {
            body.insert("description".into(), charge.description.clone().into());
        }
        let request = Request::new(Method::POST, "transactions").json(Value::Object(body));
        // A declined payment is still created (201), so "did it happen" finds it too;
        // only then does the decline become an error.
        let payment = write_with_check(
            self.tokens.anonymous().retry_policy(),
            "charge",
            || async {
                match self.write_raw(&request).await {
                    Ok(raw) => wire::charge(&raw),
                    // Another attempt with this order id got there first.
                    Err(e) if e.is_refusal(errors::DUPLICATE_ORDER_ID) => {
                        match self.find_by_order(key).await? {
                            Applied::Yes(found) => Ok(found),
                            Applied::No => Err(e),
                        }
                    }
                    Err(e) => Err(e),
                }
            },
            || self.find_by_order(key),
        )
        .await?;
        approved(payment)
    }

    async fn capture(&self, id: &str, amount: Money, _key: &OperationKey) -> Result<Charge> {
        let charge = self.get_charge(id).await?;
        same_currency(&charge, amount)?;
        let request = Request::new(Method::POST, format!("transactions/{}/capture", charge.id))
            .json(json!({ "amount": to_json_string(amount)? }));
        write_with_check(
            self.tokens.anonymous().retry_policy(),
            "capture",
            || async { wire::charge(&self.write_raw(&request).await?) },
            || charge_shows(self.get_charge(id), capture_applied),
        )
        .await
    }

    /// Voids the whole remaining authorisation.
    async fn void(&self, id: &str, _key: &OperationKey) -> Result<Charge> {
        let id = plain_id(id)?;
        let request = Request::new(Method::POST, format!("transactions/{id}/void")).json(json!({}));
        write_with_check(
            self.tokens.anonymous().retry_policy(),
            "void",
            || async { wire::charge(&self.write_raw(&request).await?) },
            || charge_shows(self.get_charge(id), void_applied),
        )
        .await
    }

    /// Releases part of the authorisation: the payment stays authorised for the rest.
    async fn void_part(&self, id: &str, amount: Money, _key: &OperationKey) -> Result<Charge> {
        let before = self.get_charge(id).await?;
        same_currency(&before, amount)?;
        let request = Request::new(Method::POST, format!("transactions/{}/void", before.id))
            .json(json!({ "amount": to_json_string(amount)? }));
        let expected = before.held().checked_sub(amount)?;
        write_with_check(
            self.tokens.anonymous().retry_policy(),
            "partial void",
            || async { wire::charge(&self.write_raw(&request).await?) },
            || async {
                // Applied once the authorisation has shrunk by the amount.
                let now = self.get_charge(id).await?;
                let shrunk = now.held() == expected || now.status == ChargeStatus::Voided;
                Ok(Applied::when(shrunk, now))
            },
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
        let before = self.get_charge(charge_id).await?;
        refundable(&before)?;
        same_currency(&before, amount)?;
        let mut body = Map::new();
        body.insert("amount".into(), to_json_string(amount)?);
        if let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) {
            body.insert("reason".into(), reason.into());
        }
        let request = Request::new(Method::POST, format!("transactions/{}/refunds", before.id))
            .json(Value::Object(body));
        write_with_check(
            self.tokens.anonymous().retry_policy(),
            "refund",
            || async { wire::refund(&self.write_raw(&request).await?) },
            // The payment's refunded amount grows with each refund at once: if it has
            // not, nothing happened; if it has, ours is the newest refund of it.
            || async {
                let now = self.get_charge(&before.id).await?;
                if now.refunded.amount <= before.refunded.amount {
                    return Ok(Applied::No);
                }
                match self.newest_refund(&now, amount).await? {
                    Some(refund) => Ok(Applied::Yes(refund)),
                    None => Err(GatewayError::unidentified(
                        "refund",
                        "the charge's refunded amount grew but no new refund is listed",
                    )),
                }
            },
        )
        .await
    }

    /// The refunds of a payment, oldest first: `REFUND`s since the payment was made
    /// whose `parent_id` is it, until they add up to its `refunded_amount`.
    async fn charge_refunds(&self, charge_id: &str) -> Result<Vec<Refund>> {
        let payment = self.get_charge(charge_id).await?;
        let mut refunds: Vec<Refund> = Vec::new();
        if !payment.refunded.is_positive() {
            return Ok(refunds);
        }
        let mut total = Money::zero(payment.currency());
        self.walk(Self::related(Kind::Refund, &payment, "ASC"), |raw| {
            let refund = wire::refund(raw)?;
            if refund.charge_id != payment.id || refunds.iter().any(|r| r.id == refund.id) {
                return Ok(false);
            }
            total = total.checked_add(refund.amount)?;
            refunds.push(refund);
            Ok(total.amount >= payment.refunded.amount)
        })
        .await?;
        Self::drop_echoes(&mut refunds, &[(payment.id, payment.description)]);
        Ok(refunds)
    }

    async fn list_refunds(&self, page: &PageRequest) -> Result<Page<Refund>> {
        let mut found = self.page(newest(Kind::Refund), page, wire::refund).await?;
        self.reasons_only(&mut found.items).await?;
        Ok(found)
    }

    async fn get_refund(&self, id: &str) -> Result<Refund> {
        let mut refund = [wire::refund(&self.transaction_raw(id).await?)?];
        self.reasons_only(&mut refund).await?;
        let [refund] = refund;
        Ok(refund)
    }

    async fn list_disputes(&self, page: &PageRequest) -> Result<Page<Dispute>> {
        self.page(newest(Kind::Chargeback), page, wire::dispute)
            .await
    }

    async fn get_dispute(&self, id: &str) -> Result<Dispute> {
        wire::dispute(&self.transaction_raw(id).await?)
    }

    /// The newest `CHARGEBACK` whose `parent_id` is the charge.
    async fn charge_dispute(&self, charge_id: &str) -> Result<Option<Dispute>> {
        let payment = self.get_charge(charge_id).await?;
        if !payment.captured.is_positive() {
            return Ok(None);
        }
        let mut found = None;
        self.walk(Self::related(Kind::Chargeback, &payment, "DESC"), |raw| {
            let dispute = wire::dispute(raw)?;
            let ours = dispute.charge_id == payment.id;
            if ours {
                found = Some(dispute);
            }
            Ok(ours)
        })
        .await?;
        Ok(found)
    }
}

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
        assert!(plain_id("trx_01J5XCMDXCFXCAQ1BV8HVG6644").is_ok());
        for bad in ["", "a/b", "lookup?id=1", "x y", "../x"] {
            assert!(plain_id(bad).is_err(), "{bad}");
        }
    }
}
