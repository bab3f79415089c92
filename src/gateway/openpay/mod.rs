//! The Openpay adapter (API v1, Mexico, Colombia and Peru): HTTP Basic with the private
//! key, the merchant id in every path, JSON bodies, decimal major units, offset paging.
//!
//! Openpay has no idempotency keys, so every write that is not idempotent by nature
//! goes through `write_with_check` with a check that reads the target back. A charge
//! carries its operation key as `order_id`, which Openpay keeps unique among all
//! transactions: an ambiguous create is found by listing with `order_id=`, and a
//! retry that Openpay refuses as a duplicate order (1006) had been applied. A customer
//! carries it as `external_id` the same way (duplicate: 2003).

mod cards;
mod changes;
mod charges;
mod customers;
mod errors;
mod payouts;
mod refunds;
mod request;
mod wire;

use std::sync::Arc;

use serde_json::value::RawValue;

use super::http::{Auth, HttpClient, HttpConfig, Request};
use super::list_records::RawPage;
use super::registry::{BaseUrl, GatewayDescriptor, ProfileSettings, adapter};
use super::transport::{Exchange, OneClient, Transport};
use super::{Capabilities, Disputes, Gateway, GatewayError, Result, Subscriptions};
use crate::domain::{Cursor, PageRequest};
use crate::gateway::paths;
use crate::money::Currency;
use crate::secret::Secret;

use request::{MAX_LIMIT, paged};

/// The API root, `/v1` included, for a country (`mx`, `co`, `pe`) and mode.
pub fn base_url(country: &str, live: bool) -> Option<&'static str> {
    let url = match (country.trim().to_ascii_lowercase().as_str(), live) {
        ("mx", true) => "https://api.openpay.mx/v1",
        ("mx", false) => "https://sandbox-api.openpay.mx/v1",
        ("co", true) => "https://api.openpay.co/v1",
        ("co", false) => "https://sandbox-api.openpay.co/v1",
        ("pe", true) => "https://api.openpay.pe/v1",
        ("pe", false) => "https://sandbox-api.openpay.pe/v1",
        _ => return None,
    };
    Some(url)
}

/// What Openpay can do. Releasing a pre-authorisation is Openpay's "cancel", done by
/// refunding the uncaptured charge; partial confirmation and partial refunds exist.
pub const CAPABILITIES: Capabilities = Capabilities {
    partial_capture: true,
    void: true,
    partial_void: false,
    void_name: "cancel",
    void_note: Some(
        "Openpay cancels a pre-authorisation by refunding it in full; no money has moved",
    ),
    partial_refund: true,
    refund_reason: true,
    // Dates, amounts and a single status narrow on the server; text only locally.
    server_search: true,
    customers: true,
    refund_list: false,
    delete_primary_card: true,
    subscriptions: false,
    disputes: false,
    three_d_secure: false,
    idempotency_keys: false,
    payouts: true,
    payout_lines: true,
    balance: true,
    charge_settlement: true,
    changes: super::ChangeFeed::Window { days: 7 },
};

/// Openpay as the registry knows it.
pub const DESCRIPTOR: GatewayDescriptor = GatewayDescriptor {
    config_name: "openpay",
    label: "Openpay",
    capabilities: CAPABILITIES,
    base_url: BaseUrl::ByCountry(base_url),
    profile_keys: &["merchant_id", "country"],
    build,
};

/// The adapter for a profile whose API is at `url`.
fn build(url: &str, settings: ProfileSettings<'_>) -> Result<Arc<dyn Gateway>> {
    let merchant = settings.merchant_id.ok_or_else(|| {
        GatewayError::invalid(format!(
            "profile {:?}: an Openpay profile needs merchant_id",
            settings.profile
        ))
    })?;
    let gateway = OpenpayGateway::new(url, merchant, settings.key, settings.http);
    adapter(gateway)
}

#[derive(Debug, Clone)]
pub struct OpenpayGateway {
    http: HttpClient,
    /// The currency of the merchant's account, which its `balance` is in.
    account_currency: Currency,
}

/// Openpay keeps an account in its country's currency: Colombian pesos, Peruvian
/// soles, and Mexican pesos otherwise (the simulator too).
fn account_currency(base_url: &str) -> Currency {
    let code = if base_url.contains(".openpay.co") {
        "COP"
    } else if base_url.contains(".openpay.pe") {
        "PEN"
    } else {
        "MXN"
    };
    Currency::from_code(code).unwrap_or(Currency::USD)
}

impl OpenpayGateway {
    /// `base_url` is the API root including `/v1` (see [`base_url`]); requests go to
    /// `{base_url}/{merchant_id}/…`.
    pub fn new(
        base_url: &str,
        merchant_id: &str,
        private_key: Secret,
        config: HttpConfig,
    ) -> Result<OpenpayGateway> {
        let merchant = merchant_id.trim();
        if merchant.is_empty() || merchant.contains(['/', '?', '#']) {
            return Err(GatewayError::invalid(
                "an Openpay merchant id is a plain identifier",
            ));
        }
        let root = format!("{}/{merchant}", base_url.trim_end_matches('/'));
        let http = HttpClient::new(&root, Auth::BasicKey(private_key), config, errors::decode)?;
        Ok(OpenpayGateway {
            http,
            account_currency: account_currency(base_url),
        })
    }

    async fn charge_raw(&self, id: &str) -> Result<Box<RawValue>> {
        self.read_record(&Request::get(paths::record("charges", id)?))
            .await
    }
}

impl OneClient for OpenpayGateway {
    type Record = Box<RawValue>;

    fn http(&self) -> &HttpClient {
        &self.http
    }
}

impl Transport for OpenpayGateway {
    /// Openpay answers a bare array and never a total, so a full page means there may
    /// be more.
    async fn read_page(&self, request: Request, page: &PageRequest) -> Result<RawPage> {
        let (request, offset) = paged(request.list(), page);
        let records: Vec<Box<RawValue>> = self.http.read_json(&request).await?;
        let asked = u64::from(page.limit.clamp(1, MAX_LIMIT));
        let next = (records.len() as u64 >= asked).then(|| Cursor::Offset(offset + asked));
        Ok(RawPage {
            records,
            next,
            total: None,
        })
    }
}

impl Gateway for OpenpayGateway {
    fn descriptor(&self) -> &'static GatewayDescriptor {
        &DESCRIPTOR
    }
}

/// Openpay's subscriptions and disputes are not in paydeck.
impl Subscriptions for OpenpayGateway {}
impl Disputes for OpenpayGateway {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_for_every_country_and_mode() {
        assert_eq!(
            base_url("mx", false),
            Some("https://sandbox-api.openpay.mx/v1")
        );
        assert_eq!(base_url("MX", true), Some("https://api.openpay.mx/v1"));
        assert_eq!(base_url("co", true), Some("https://api.openpay.co/v1"));
        assert_eq!(
            base_url("co", false),
            Some("https://sandbox-api.openpay.co/v1")
        );
        assert_eq!(base_url("pe", true), Some("https://api.openpay.pe/v1"));
        assert_eq!(
            base_url("pe", false),
            Some("https://sandbox-api.openpay.pe/v1")
        );
        assert_eq!(base_url("ar", true), None);
    }

    #[test]
    fn a_merchant_id_must_be_a_plain_identifier() {
        let make = |m: &str| {
            OpenpayGateway::new(
                "https://sandbox-api.openpay.mx/v1/",
                m,
                Secret::new("sk_x"),
                HttpConfig::default(),
            )
        };
        assert!(make("mzdtln0bmtms6o3kck8f").is_ok());
        assert!(make("").is_err());
        assert!(make("a/b").is_err());
    }
}
