//! Reconciliation (issue 15): proving that every bank deposit is a payout.
//! This first part reads the bank's side: a statement file in CSV (with a
//! column mapping chosen once per bank), OFX or camt.053 becomes
//! [`StatementLine`]s with exact amounts, and each line gets an identity so
//! that importing the same file twice adds nothing ([`import::dedupe`]).

pub mod import;
pub mod statement;

pub use statement::{Detail, Statement, StatementLine};
