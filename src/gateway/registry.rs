//! Every gateway paydeck can open, described once: what a profile calls it
//! (`gateway = "pin"`), what the screen calls it, what it can do, where its API is and
//! how to build its adapter for a profile. The config checks a profile's gateway
//! against [`GATEWAYS`] and lists them in its errors; `main` builds the adapter from the
//! profile's descriptor. Adding a gateway is its folder under `gateway/` and one line
//! in [`GATEWAYS`] (docs/adding-a-gateway.md).

use std::sync::Arc;

use super::http::HttpConfig;
use super::{Capabilities, Gateway, openpay, pin, stripe, trx};
use crate::secret::Secret;

/// Every gateway, in the order the config's messages list them.
pub static GATEWAYS: &[&GatewayDescriptor] = &[
    &pin::DESCRIPTOR,
    &stripe::DESCRIPTOR,
    &openpay::DESCRIPTOR,
    &trx::DESCRIPTOR,
];

/// The gateway a profile names, by its config name.
pub fn find(name: &str) -> Option<&'static GatewayDescriptor> {
    GATEWAYS.iter().copied().find(|g| g.config_name == name)
}

/// Every config name, in [`GATEWAYS`] order: `pin`, `stripe`...
pub fn names() -> Vec<&'static str> {
    GATEWAYS.iter().map(|g| g.config_name).collect()
}

/// One gateway, as paydeck knows it before it connects.
pub struct GatewayDescriptor {
    /// The name written in a profile: `gateway = "pin"`.
    pub config_name: &'static str,
    /// The name shown to people: "Pin Payments".
    pub label: &'static str,
    pub capabilities: Capabilities,
    /// Where its API is when the profile does not say (`base_url`).
    pub base_url: BaseUrl,
    /// Profile settings this gateway requires beyond the common ones (Openpay's
    /// `merchant_id` and `country`); a profile of another gateway may not have them.
    pub profile_keys: &'static [&'static str],
    /// Builds the adapter for a profile whose API is at the given root ([`Self::url`]);
    /// an error that is the profile's names it.
    pub build: fn(&str, ProfileSettings<'_>) -> super::Result<Arc<dyn Gateway>>,
}

/// Where a gateway's API is, by mode.
pub enum BaseUrl {
    /// One address for test and live; the key decides which (Stripe).
    Same(&'static str),
    /// An address for each mode (Pin).
    ByMode {
        test: &'static str,
        live: &'static str,
    },
    /// An address for each country and mode (Openpay); `None` for a country it does
    /// not serve. A profile without a country is `mx`.
    ByCountry(fn(country: &str, live: bool) -> Option<&'static str>),
    /// None published: the profile gives `base_url`, shaped like `example`.
    FromProfile { example: &'static str },
}

/// A built adapter, as a descriptor's `build` answers it.
pub fn adapter<G: Gateway + 'static>(built: super::Result<G>) -> super::Result<Arc<dyn Gateway>> {
    Ok(Arc::new(built?))
}

/// What a profile says about its gateway account, for building the adapter.
pub struct ProfileSettings<'a> {
    /// The profile's name, for errors.
    pub profile: &'a str,
    pub live: bool,
    pub base_url: Option<&'a str>,
    pub merchant_id: Option<&'a str>,
    pub country: Option<&'a str>,
    pub key: Secret,
    pub http: HttpConfig,
}

impl GatewayDescriptor {
    /// The adapter for a profile, its API where [`Self::url`] says; the error in words.
    pub fn connect(&self, settings: ProfileSettings<'_>) -> Result<Arc<dyn Gateway>, String> {
        let url = self.url(&settings)?;
        (self.build)(&url, settings).map_err(|e| e.to_string())
    }

    /// The API root for a profile: its own `base_url`, else the gateway's for its mode
    /// (and country).
    pub fn url(&self, settings: &ProfileSettings<'_>) -> Result<String, String> {
        if let Some(url) = settings.base_url {
            return Ok(url.to_string());
        }
        let profile = settings.profile;
        match &self.base_url {
            BaseUrl::Same(url) => Ok(url.to_string()),
            BaseUrl::ByMode { test, live } => {
                Ok(if settings.live { live } else { test }.to_string())
            }
            BaseUrl::ByCountry(by_country) => {
                let country = settings.country.unwrap_or("mx");
                by_country(country, settings.live)
                    .map(String::from)
                    .ok_or_else(|| {
                        format!(
                            "profile {profile:?}: {} has no country {country:?}",
                            self.label
                        )
                    })
            }
            BaseUrl::FromProfile { example } => Err(format!(
                "profile {profile:?}: a {} profile needs base_url, e.g. {example}",
                self.config_name
            )),
        }
    }
}

/// Descriptors are the same when they are the same gateway.
impl PartialEq for GatewayDescriptor {
    fn eq(&self, other: &Self) -> bool {
        self.config_name == other.config_name
    }
}

impl Eq for GatewayDescriptor {}

impl std::fmt::Debug for GatewayDescriptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.config_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings<'a>(
        base_url: Option<&'a str>,
        live: bool,
        country: Option<&'a str>,
    ) -> ProfileSettings<'a> {
        ProfileSettings {
            profile: "p",
            live,
            base_url,
            merchant_id: Some("m"),
            country,
            // Every gateway's key shape: the transactions gateway's is `id:secret`.
            key: Secret::new("cli_x:sec_y"),
            http: HttpConfig::default(),
        }
    }

    #[test]
    fn names_are_unique_and_found() {
        let names = names();
        for name in &names {
            assert_eq!(find(name).map(|g| g.config_name), Some(*name));
            assert_eq!(names.iter().filter(|n| *n == name).count(), 1, "{name}");
        }
        assert_eq!(names, ["pin", "stripe", "openpay", "trx"]);
        assert!(find("paypal").is_none());
    }

    #[test]
    fn each_gateway_says_where_its_api_is() {
        let url = |name: &str, s: ProfileSettings<'_>| find(name).unwrap().url(&s);
        assert_eq!(
            url("pin", settings(None, false, None)).unwrap(),
            pin::TEST_URL
        );
        assert_eq!(
            url("pin", settings(None, true, None)).unwrap(),
            pin::LIVE_URL
        );
        assert_eq!(
            url("stripe", settings(None, false, None)).unwrap(),
            stripe::LIVE_URL
        );
        assert_eq!(
            url("openpay", settings(None, true, Some("co"))).unwrap(),
            "https://api.openpay.co/v1"
        );
        assert_eq!(
            url("openpay", settings(None, false, None)).unwrap(),
            "https://sandbox-api.openpay.mx/v1"
        );
        assert_eq!(
            url("openpay", settings(None, false, Some("ar"))).unwrap_err(),
            "profile \"p\": Openpay has no country \"ar\""
        );
        assert!(
            url("trx", settings(None, false, None))
                .unwrap_err()
                .contains("a trx profile needs base_url")
        );
        let own = "http://127.0.0.1:4010/trx/v1";
        assert_eq!(url("trx", settings(Some(own), false, None)).unwrap(), own);
    }

    #[test]
    fn labels_and_capabilities_are_the_adapters_own() {
        for gateway in GATEWAYS {
            let built = gateway
                .connect(settings(Some("http://127.0.0.1:1/v1"), false, None))
                .unwrap_or_else(|e| panic!("{}: {e}", gateway.config_name));
            assert_eq!(built.name(), gateway.label);
            assert_eq!(built.capabilities(), gateway.capabilities);
        }
    }
}
