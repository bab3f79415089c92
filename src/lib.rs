//! paydeck: a keyboard-driven terminal dashboard for card payments.

pub mod domain;
pub mod gateway;
pub mod logging;
pub mod money;
pub mod secret;
pub mod sim;
