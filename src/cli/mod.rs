//! Commands beside the dashboard: `paydeck sync`, `paydeck recon`, and connecting a
//! profile's gateway the way the dashboard does.

pub mod connect;
pub mod demo_gateways;
pub mod demo_statement;
pub mod export;
pub mod recon;
pub mod sync;
