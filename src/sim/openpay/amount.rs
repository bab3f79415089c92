//! Openpay's limits on money: the currencies it takes and the largest amount,
//! and the strict parse of a request's amount (decimal major units, see
//! [`major_units`]).

use rust_decimal::Decimal;

use super::error::OpenpayError;
use crate::sim::common::major_units::{exponent, parse_decimal, text_of, to_minor};

/// The largest amount accepted: 99,999,999.99 in a two-decimal currency.
pub(crate) const MAX_MAJOR: i64 = 99_999_999;

/// Currencies the dialect accepts: Openpay's Mexico (MXN, USD), Colombia (COP)
/// and Peru (PEN). None of them has a zero exponent.
pub(crate) const CURRENCIES: [&str; 4] = ["MXN", "USD", "COP", "PEN"];

/// Parse `text` (major units) into minor units of `currency`: greater than
/// zero, at most the currency's decimals, at most [`MAX_MAJOR`] whole units.
pub(crate) fn parse(field: &str, text: &str, currency: &str) -> Result<i64, OpenpayError> {
    let exp = exponent(currency);
    let bad = || {
        OpenpayError::bad_request(format!(
            "{field} must be a number greater than zero with up to {exp} decimal digits"
        ))
    };
    let d = parse_decimal(text).ok_or_else(bad)?;
    if d <= Decimal::ZERO || d.normalize().scale() > exp {
        return Err(bad());
    }
    let limit = (MAX_MAJOR + 1) * 10i64.pow(exp) - 1;
    match to_minor(d, exp) {
        Some(minor) if minor <= limit => Ok(minor),
        _ => Err(OpenpayError::bad_request(format!(
            "{field} must be less than or equal to {}",
            text_of(limit, exp)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_round_trips() {
        for (t, minor) in [
            ("100.00", 10_000),
            ("100", 10_000),
            ("0.01", 1),
            ("99999999.99", 9_999_999_999),
            ("12.5", 1_250),
        ] {
            assert_eq!(parse("amount", t, "MXN").ok(), Some(minor), "{t}");
        }
        assert_eq!(parse("amount", "1500", "JPY").ok(), Some(1500));
        assert!(parse("amount", "15.5", "JPY").is_err());
    }

    #[test]
    fn rejects() {
        for t in [
            "0",
            "0.00",
            "-1",
            "0.001",
            "1e2",
            "",
            "abc",
            "100000000",
            "1.2.3",
        ] {
            assert!(parse("amount", t, "MXN").is_err(), "{t}");
        }
    }
}
