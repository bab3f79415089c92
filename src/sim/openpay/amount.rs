//! Money on Openpay's wire: decimal major units (`100.00`), read from the
//! request's own text and never through a float, written with exactly the
//! currency's number of decimals.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde_json::value::RawValue;

use super::error::OpenpayError;
use crate::money::Currency;

/// The largest amount accepted: 99,999,999.99 in a two-decimal currency.
pub(crate) const MAX_MAJOR: i64 = 99_999_999;

/// Currencies the dialect accepts: Openpay's Mexico (MXN, USD), Colombia (COP)
/// and Peru (PEN). None of them has a zero exponent.
pub(crate) const CURRENCIES: [&str; 4] = ["MXN", "USD", "COP", "PEN"];

/// Digits after the decimal point for `currency` (2 if unknown).
pub(crate) fn exponent(currency: &str) -> u32 {
    Currency::from_code(currency).map_or(2, Currency::exponent)
}

/// The text of top-level field `name` in a JSON body exactly as sent (a number
/// such as `100.00`, or the contents of a string such as `"100.00"`).
pub(crate) fn raw_field(body: &[u8], name: &str) -> Option<String> {
    let map: HashMap<String, Box<RawValue>> = serde_json::from_slice(body).ok()?;
    let raw = map.get(name)?.get().trim();
    if raw.starts_with('"') {
        serde_json::from_str::<String>(raw).ok()
    } else if raw == "null" {
        None
    } else {
        Some(raw.to_string())
    }
}

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

/// A plain decimal (`12`, `12.5`, `0.01`), no exponent, no sign but `-`.
pub(crate) fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let plain = !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    if !plain {
        return None;
    }
    Decimal::from_str_exact(t).ok()
}

fn to_minor(d: Decimal, exp: u32) -> Option<i64> {
    let mut d = d.normalize();
    if d.scale() > exp {
        return None;
    }
    d.rescale(exp);
    i64::try_from(d.mantissa()).ok()
}

/// Minor units as a decimal in major units.
pub(crate) fn major(minor: i64, currency: &str) -> Decimal {
    Decimal::new(minor, exponent(currency))
}

fn text_of(minor: i64, exp: u32) -> String {
    Decimal::new(minor, exp).to_string()
}

/// `100.00`: minor units written with exactly the currency's decimals.
pub(crate) fn text(minor: i64, currency: &str) -> String {
    text_of(minor, exponent(currency))
}

/// [`text`] as a raw JSON number for a serialised response.
pub(crate) fn json(minor: i64, currency: &str) -> Box<RawValue> {
    // A decimal's text is always a valid JSON number.
    RawValue::from_string(text(minor, currency)).expect("a decimal is a JSON number")
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
        assert_eq!(text(10_000, "MXN"), "100.00");
        assert_eq!(text(1, "USD"), "0.01");
        assert_eq!(text(9_999_999_999, "MXN"), "99999999.99");
        assert_eq!(text(1500, "JPY"), "1500");
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

    #[test]
    fn raw_text() {
        let body = br#"{"amount": 100.00, "b": "x", "c": "0.10"}"#;
        assert_eq!(raw_field(body, "amount").as_deref(), Some("100.00"));
        assert_eq!(raw_field(body, "c").as_deref(), Some("0.10"));
        assert_eq!(raw_field(body, "d"), None);
    }
}
