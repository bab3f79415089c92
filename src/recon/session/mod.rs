//! A reconciliation session at work: what it reads from the profiles' stores
//! ([`gather`]), what auto-match adds to it as events ([`auto_match_events`]), and the
//! board the screen, the `paydeck recon` commands and the exports all show: deposits,
//! payouts and the exceptions queue with their states, the difference-to-zero totals
//! and the sign-off rule ([`Board`]). Everything here is pure but `gather`, so the same
//! session shows the same board wherever it is opened.

mod auto;
mod board;
mod exception_ref;
mod import_event;
mod inputs;
mod manual;
mod scope;
mod totals;

#[cfg(test)]
mod tests;

pub use auto::auto_match_events;
pub use board::{Board, DepositRow, ExceptionRow, ExceptionState, PayoutRow};
pub use exception_ref::exception_ref;
pub use import_event::import_event;
pub use inputs::{ProfileInputs, gather, statement_lines};
pub use manual::{manual_match, match_difference};
pub use scope::scoped;
pub use totals::totals;
