//! A profile's gateway: its key resolved (`waiting` hears how long a key_command
//! takes), its adapter built by its gateway's descriptor.

use std::sync::Arc;
use std::time::Duration;

use crate::config::Profile;
use crate::gateway::Gateway;
use crate::gateway::http::HttpConfig;
use crate::gateway::registry::ProfileSettings;

pub fn connect(
    profile: &Profile,
    waiting: &mut dyn FnMut(Duration),
) -> Result<Arc<dyn Gateway>, String> {
    let key = profile
        .resolve_key_waiting(waiting)
        .map_err(|e| e.to_string())?;
    profile.gateway.connect(ProfileSettings {
        profile: &profile.name,
        live: profile.environment.is_live(),
        base_url: profile.base_url.as_deref(),
        merchant_id: profile.merchant_id.as_deref(),
        country: profile.country.as_deref(),
        key,
        http: HttpConfig::default(),
    })
}
