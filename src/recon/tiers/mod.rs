//! The tiers of auto-match, each over what the tiers before it left unmatched.

pub mod amount;
pub mod proposals;
pub mod reference;

#[cfg(test)]
mod tests;
