//! The demo on any of its simulator's four gateways: each dialect's adapter built
//! through its gateway's descriptor, as a profile naming that gateway would build it,
//! and a profile per gateway for `:profile` to switch between.

use std::sync::Arc;

use crate::app::model::Session;
use crate::gateway::Gateway;
use crate::gateway::http::HttpConfig;
use crate::gateway::registry::{self, ProfileSettings};
use crate::secret::Secret;
use crate::sim::DialectInfo;

/// The demo's profiles: one per gateway, named as a profile's `gateway` names it.
pub const PROFILES: [&str; 4] = ["pin", "stripe", "openpay", "trx"];

/// The gateway `--demo` opens on.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DemoGateway {
    #[default]
    Pin,
    Stripe,
    Openpay,
    Trx,
}

impl DemoGateway {
    pub fn profile(self) -> &'static str {
        PROFILES[self as usize]
    }
}

/// The demo's session on the dialect of the simulator that profile `name` names, and
/// its adapter; an unknown name says which there are.
pub fn open(
    dialects: &[DialectInfo],
    name: &str,
    read_only: bool,
) -> Result<(Session, Arc<dyn Gateway>), String> {
    let unknown = || {
        format!(
            "The demo has no profile {name:?}; its profiles: {}",
            PROFILES.join(", ")
        )
    };
    if !PROFILES.contains(&name) {
        return Err(unknown());
    }
    let descriptor = registry::find(name).ok_or_else(unknown)?;
    let dialect = dialects
        .iter()
        .find(|d| d.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| format!("the demo's simulator serves no {name} dialect"))?;
    // Openpay's address ends in the merchant id, which its profile gives apart.
    let merchant = dialect.merchant_id();
    let suffix = merchant.map(|m| format!("/{m}")).unwrap_or_default();
    let base = dialect.url.strip_suffix(&suffix).unwrap_or(&dialect.url);
    let gateway = descriptor.connect(ProfileSettings {
        profile: name,
        live: false,
        base_url: Some(base),
        merchant_id: merchant,
        country: None,
        key: Secret::new(dialect.key.clone()),
        http: HttpConfig::default(),
    })?;
    let session = Session {
        profile: name.to_string(),
        gateway: gateway.name(),
        live: false,
        read_only,
        caps: gateway.capabilities(),
        profiles: PROFILES.map(String::from).to_vec(),
    };
    Ok((session, gateway))
}
