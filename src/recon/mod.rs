//! Reconciliation (issue 15): proving that every bank deposit is a payout.
//! The bank's side: a statement file in CSV (with a column mapping chosen once per
//! bank), OFX or camt.053 becomes [`StatementLine`]s with exact amounts, and each line
//! gets an identity so that importing the same file twice adds nothing
//! ([`import::dedupe`]). Then [`auto_match`] matches deposits to payouts in tiers and
//! lists the exceptions, from in-memory inputs to an in-memory answer that a session
//! store persists.

pub mod business_days;
mod exceptions;
pub mod export;
pub mod fee_band;
pub mod import;
pub mod matcher;
pub mod matching;
pub mod session;
pub mod statement;
pub(crate) mod tiers;

pub use fee_band::FeeBand;
pub use matcher::auto_match;
pub use matching::{
    Exception, ExceptionKind, Match, MatchConfig, MatchInput, MatchOutcome, PayoutWithLines,
    Proposal, ProposalKind, Tier, UnpaidCharge,
};
pub use statement::{Detail, Statement, StatementLine};
