//! Money as decimal major units (`100.00`), as Openpay and the transactions
//! gateway put it on the wire: read from the request's own text and never
//! through a float, written with exactly the currency's number of decimals.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde_json::value::RawValue;

use crate::money::Currency;

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

/// `d` in minor units of a currency with `exp` decimals; `None` if it has
/// more decimals or does not fit.
pub(crate) fn to_minor(d: Decimal, exp: u32) -> Option<i64> {
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

/// Minor units written with `exp` decimals.
pub(crate) fn text_of(minor: i64, exp: u32) -> String {
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
    fn written_with_the_currency_decimals() {
        assert_eq!(text(10_000, "MXN"), "100.00");
        assert_eq!(text(1, "USD"), "0.01");
        assert_eq!(text(9_999_999_999, "MXN"), "99999999.99");
        assert_eq!(text(1500, "JPY"), "1500");
        assert_eq!(major(1_250, "AUD").to_string(), "12.50");
    }

    #[test]
    fn plain_decimals_only() {
        assert_eq!(
            parse_decimal(" 12.5 "),
            Decimal::from_str_exact("12.5").ok()
        );
        for t in ["1e2", "", "abc", "+1", "1.2.3"] {
            assert_eq!(parse_decimal(t), None, "{t}");
        }
        assert_eq!(to_minor(Decimal::new(1_250, 2), 2), Some(1_250));
        assert_eq!(to_minor(Decimal::new(1_255, 3), 2), None);
    }

    #[test]
    fn raw_text() {
        let body = br#"{"amount": 100.00, "b": "x", "c": "0.10"}"#;
        assert_eq!(raw_field(body, "amount").as_deref(), Some("100.00"));
        assert_eq!(raw_field(body, "c").as_deref(), Some("0.10"));
        assert_eq!(raw_field(body, "d"), None);
    }
}
