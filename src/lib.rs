//! paydeck: a keyboard-driven terminal dashboard for card payments.

pub mod app;
pub mod atomic_file;
pub mod audit;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod domain;
pub mod gateway;
pub mod logging;
pub mod money;
pub mod recon;
pub mod secret;
pub mod sim;
pub mod stats;
pub mod store;
pub mod sync;
#[cfg(test)]
pub mod test_gateways;
pub mod timezone;
pub mod tui;
pub mod ui;
