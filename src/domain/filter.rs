//! Which charges the operator wants to see. The same filter is sent to gateways that
//! search server-side and applied locally to what is loaded for those that cannot.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::charge::{Charge, ChargeStatus};
use crate::money::Currency;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChargeFilter {
    /// Empty means every status.
    pub statuses: BTreeSet<ChargeStatus>,
    /// Created at or after.
    pub from: Option<DateTime<Utc>>,
    /// Created before.
    pub until: Option<DateTime<Utc>>,
    /// Inclusive bounds in major units of the charge's own currency.
    pub min_amount: Option<Decimal>,
    pub max_amount: Option<Decimal>,
    pub currency: Option<Currency>,
    /// The authorisation expires before this instant (`expires:24h`); a charge with no
    /// known expiry never matches.
    pub expires_before: Option<DateTime<Utc>>,
    /// Matched case-insensitively against id, email, description, card last 4,
    /// customer and metadata values.
    pub text: String,
}

impl ChargeFilter {
    pub fn is_empty(&self) -> bool {
        *self == ChargeFilter::default()
    }

    pub fn matches(&self, charge: &Charge) -> bool {
        (self.statuses.is_empty() || self.statuses.contains(&charge.status))
            && self.from.is_none_or(|from| charge.created >= from)
            && self.until.is_none_or(|until| charge.created < until)
            && self
                .min_amount
                .is_none_or(|min| charge.amount.amount >= min)
            && self
                .max_amount
                .is_none_or(|max| charge.amount.amount <= max)
            && self.currency.is_none_or(|c| charge.currency() == c)
            && self.expires_before.is_none_or(|before| {
                charge
                    .authorisation_expires
                    .is_some_and(|expires| expires < before)
            })
            && self.matches_text(charge)
    }

    fn matches_text(&self, charge: &Charge) -> bool {
        let needle = self.text.trim();
        if needle.is_empty() {
            return true;
        }
        let hit = |hay: &str| contains_ignore_case(hay, needle);
        hit(&charge.id)
            || charge.email.as_deref().is_some_and(hit)
            || charge.description.as_deref().is_some_and(hit)
            || charge.customer_id.as_deref().is_some_and(hit)
            || charge.card.as_ref().is_some_and(|c| hit(&c.last4))
            || charge.metadata.values().any(|v| hit(v))
    }
}

/// Substring search that folds ASCII case without allocating: it runs once per
/// charge per keystroke over up to a million charges.
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    if needle.is_empty() {
        return true;
    }
    if needle.len() > hay.len() {
        return false;
    }
    hay.windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_finds_substrings() {
        assert!(contains_ignore_case("Roland@Example.com", "example"));
        assert!(contains_ignore_case("abc", "ABC"));
        assert!(!contains_ignore_case("ab", "abc"));
        assert!(contains_ignore_case("anything", ""));
    }

    #[test]
    fn expires_before_keeps_only_known_expiries_before_the_instant() {
        use crate::money::{Currency, Money};
        let before = DateTime::from_timestamp(1_764_000_000, 0).unwrap();
        let filter = ChargeFilter {
            expires_before: Some(before),
            ..ChargeFilter::default()
        };
        let expiring = |at: Option<DateTime<Utc>>| Charge {
            authorisation_expires: at,
            ..Charge::bare(
                "ch_1",
                Money::from_minor(500, Currency::AUD),
                ChargeStatus::Authorised,
            )
        };
        let second = chrono::TimeDelta::seconds(1);
        assert!(filter.matches(&expiring(Some(before - second))));
        // Long expired but still authorised: the most urgent of all.
        assert!(filter.matches(&expiring(Some(DateTime::UNIX_EPOCH))));
        assert!(!filter.matches(&expiring(Some(before))));
        assert!(!filter.matches(&expiring(Some(before + second))));
        assert!(!filter.matches(&expiring(None)));
        assert!(ChargeFilter::default().matches(&expiring(None)));
        assert!(!filter.is_empty());
    }
}
