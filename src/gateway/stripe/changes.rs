//! Changed charges: nothing to ask yet, so a sync re-reads the charges created within
//! the authorisation lifetime (`ChangeFeed::Window`), where captures, voids and expiry
//! happen.

use super::StripeGateway;
use crate::gateway::Changes;

impl Changes for StripeGateway {}
