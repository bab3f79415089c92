//! Commands beside the dashboard: `paydeck sync`, and connecting a profile's gateway
//! the way the dashboard does.

pub mod connect;
pub mod sync;
