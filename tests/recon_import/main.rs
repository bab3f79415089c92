//! The bank statement import of issue 15: what the simulator's bank writes in
//! each format reads back line for line, real banks' shapes of export read as
//! they mean, the same file twice adds nothing, and bad input is refused with
//! the file, the line and what to do, never a panic.

#[path = "../common/mod.rs"]
mod common;

mod bank_samples;
mod dedupe;
mod refusals;
mod sim_round_trip;

use std::path::PathBuf;

/// A file of `tests/fixtures/recon`.
fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/recon")
        .join(name)
}
