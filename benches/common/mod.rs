//! What the benches share. Each bench uses a part of it, hence the allowance.
#![allow(dead_code)]

pub mod recon_fixture;
pub mod store_fixture;
