//! What a charge filter becomes on Stripe: a Search API query where the text names
//! something Stripe can search for, else a plain list narrowed by `created`.
//!
//! Stripe's charge search knows ids of customers, card last 4s, amounts, currencies,
//! dates and a few flags, but not emails or descriptions; the caller filters locally
//! as well, so text Stripe cannot search for leaves the list to be filtered here.

use rust_decimal::Decimal;

use crate::domain::{ChargeFilter, ChargeStatus};
use crate::money::Money;

/// How a filter is asked of Stripe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeQuery {
    /// `GET /v1/charges` with these extra parameters (`created[gte]`, `created[lt]`).
    List(Vec<(String, String)>),
    /// `GET /v1/charges/search?query=...`.
    Search(String),
    /// The text is a charge id: fetch that one charge.
    Id(String),
}

pub fn charge_query(filter: &ChargeFilter) -> ChargeQuery {
    let text = filter.text.trim();
    if is_charge_id(text) {
        return ChargeQuery::Id(text.to_string());
    }
    match text_clause(text) {
        Some(clause) => {
            let mut clauses = vec![clause];
            clauses.extend(narrowing_clauses(filter));
            ChargeQuery::Search(clauses.join(" AND "))
        }
        None => {
            let mut params = Vec::new();
            if let Some(from) = filter.from {
                params.push(("created[gte]".into(), from.timestamp().to_string()));
            }
            if let Some(until) = filter.until {
                params.push(("created[lt]".into(), until.timestamp().to_string()));
            }
            ChargeQuery::List(params)
        }
    }
}

fn is_charge_id(text: &str) -> bool {
    (text.starts_with("ch_") || text.starts_with("py_"))
        && text.len() > 3
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The search clause for what the operator typed, where Stripe can search for it.
fn text_clause(text: &str) -> Option<String> {
    if text.starts_with("cus_") && !text.contains(char::is_whitespace) {
        return Some(format!("customer:{}", quoted(text)));
    }
    if text.len() == 4 && text.chars().all(|c| c.is_ascii_digit()) {
        return Some(format!(
            "payment_method_details.card.last4:{}",
            quoted(text)
        ));
    }
    None
}

/// Everything else in the filter that Stripe's grammar can say, ANDed to the text.
fn narrowing_clauses(filter: &ChargeFilter) -> Vec<String> {
    let mut clauses = Vec::new();
    if let Some(from) = filter.from {
        clauses.push(format!("created>={}", from.timestamp()));
    }
    if let Some(until) = filter.until {
        clauses.push(format!("created<{}", until.timestamp()));
    }
    if let Some(currency) = filter.currency {
        clauses.push(format!(
            "currency:{}",
            quoted(&currency.code().to_ascii_lowercase())
        ));
        // Amounts are in the filter's currency's major units; only with a currency
        // can they become Stripe's minor units.
        let minor = |major: Decimal| Money::new(major, currency).ok()?.to_minor().ok();
        if let Some(min) = filter.min_amount.and_then(minor) {
            clauses.push(format!("amount>={min}"));
        }
        if let Some(max) = filter.max_amount.and_then(minor) {
            clauses.push(format!("amount<={max}"));
        }
    }
    // One status at most: several would need OR, which cannot be mixed with AND.
    if filter.statuses.len() == 1 {
        let clause = match filter.statuses.iter().next() {
            Some(ChargeStatus::Declined) => Some("status:\"failed\""),
            Some(ChargeStatus::Disputed) => Some("disputed:\"true\""),
            // A released authorisation is "refunded" too; the local filter tells them apart.
            Some(ChargeStatus::Refunded) => Some("refunded:\"true\""),
            Some(ChargeStatus::PartiallyRefunded) => Some("refunded:\"false\""),
            _ => None,
        };
        clauses.extend(clause.map(String::from));
    }
    clauses
}

/// A string value in double quotes, with `"` and `\` escaped.
fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::money::Currency;

    #[test]
    fn searchable_text_becomes_a_search_with_everything_else_anded() {
        let filter = ChargeFilter {
            text: " 4242 ".into(),
            from: Some(Utc.timestamp_opt(1_700_000_000, 0).unwrap()),
            currency: Some(Currency::USD),
            min_amount: Some(Decimal::new(1050, 2)),
            statuses: BTreeSet::from([ChargeStatus::Disputed]),
            ..ChargeFilter::default()
        };
        assert_eq!(
            charge_query(&filter),
            ChargeQuery::Search(
                "payment_method_details.card.last4:\"4242\" AND created>=1700000000 AND currency:\"usd\" AND amount>=1050 AND disputed:\"true\"".into()
            )
        );
        let customer = ChargeFilter {
            text: "cus_abc".into(),
            ..ChargeFilter::default()
        };
        assert_eq!(
            charge_query(&customer),
            ChargeQuery::Search("customer:\"cus_abc\"".into())
        );
    }

    #[test]
    fn dates_alone_narrow_the_list_and_ids_are_fetched() {
        let filter = ChargeFilter {
            text: "somebody@example.com".into(),
            from: Some(Utc.timestamp_opt(1_700_000_000, 0).unwrap()),
            until: Some(Utc.timestamp_opt(1_700_086_400, 0).unwrap()),
            ..ChargeFilter::default()
        };
        assert_eq!(
            charge_query(&filter),
            ChargeQuery::List(vec![
                ("created[gte]".into(), "1700000000".into()),
                ("created[lt]".into(), "1700086400".into()),
            ])
        );
        let id = ChargeFilter {
            text: "ch_3Abc".into(),
            ..ChargeFilter::default()
        };
        assert_eq!(charge_query(&id), ChargeQuery::Id("ch_3Abc".into()));
        assert_eq!(quoted(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
