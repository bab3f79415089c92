//! Money as decimal major units on JSON (Openpay writes `100.00`, the transactions
//! gateway `"12.50"`): both directions go through the JSON *text* and never through a
//! float.
//!
//! * Reading: an amount field is captured as its raw JSON text (`RawValue`) and parsed
//!   with `Decimal::from_str_exact`; a JSON number and a JSON string holding one are
//!   both accepted.
//! * Writing: the amount is rendered with exactly the currency's decimals
//!   (`Money::plain`), after `to_minor` has refused anything finer than the currency,
//!   as a JSON string ([`to_json_string`]) or as a `serde_json::Number` that keeps that
//!   text ([`to_json_number`]). The number needs serde_json's `arbitrary_precision`
//!   (enabled through rust_decimal's `serde-with-arbitrary-precision` feature in
//!   Cargo.toml); a unit test below fails if the feature is ever lost and the number
//!   would be written through an `f64`.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::gateway::GatewayError;
use crate::money::Money;

/// A decimal read from the exact text of a JSON number (or string).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount(pub Decimal);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        parse_decimal(raw.get())
            .map(Amount)
            .ok_or_else(|| serde::de::Error::custom(format!("{} is not an amount", raw.get())))
    }
}

/// The exact decimal of a JSON number's text, or of a JSON string holding one; an
/// empty string is no amount.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let text = text.trim();
    let unquoted;
    let digits = if text.starts_with('"') {
        unquoted = serde_json::from_str::<String>(text).ok()?;
        unquoted.trim()
    } else {
        text
    };
    if digits.is_empty() {
        return None;
    }
    if digits.contains(['e', 'E']) {
        Decimal::from_scientific(digits).ok()
    } else {
        Decimal::from_str_exact(digits).ok()
    }
}

/// The amount as a JSON number written with exactly the currency's decimals:
/// `100.00`, `0.01`, `1500` (JPY).
pub fn to_json_number(amount: Money) -> Result<Value, GatewayError> {
    // `to_minor` refuses amounts finer than the currency instead of rounding them.
    amount.to_minor()?;
    let text = amount.plain();
    let number = serde_json::Number::from_str(&text)
        .map_err(|e| GatewayError::invalid(format!("cannot send {text} as an amount: {e}")))?;
    Ok(Value::Number(number))
}

/// The amount as a JSON string with exactly the currency's decimals: `"100.00"`,
/// `"0.01"`, `"1500"` (JPY).
pub fn to_json_string(amount: Money) -> Result<Value, GatewayError> {
    amount.to_minor()?;
    Ok(Value::String(amount.plain()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    #[derive(Deserialize)]
    struct Holder {
        amount: Amount,
    }

    fn read(json: &str) -> Decimal {
        serde_json::from_str::<Holder>(json).unwrap().amount.0
    }

    #[test]
    fn amounts_are_read_exactly_from_the_text() {
        assert_eq!(read(r#"{"amount":0.1}"#).to_string(), "0.1");
        assert_eq!(read(r#"{"amount":100.00}"#).to_string(), "100.00");
        assert_eq!(read(r#"{"amount":99999999.99}"#).to_string(), "99999999.99");
        assert_eq!(read(r#"{"amount":0.01}"#).to_string(), "0.01");
        assert_eq!(read(r#"{"amount":"250.50"}"#).to_string(), "250.50");
        assert_eq!(read(r#"{"amount":"12.50"}"#).to_string(), "12.50");
        assert_eq!(read(r#"{"amount":666}"#).to_string(), "666");
        assert_eq!(read(r#"{"amount":"666"}"#).to_string(), "666");
        assert_eq!(read(r#"{"amount":1.5e2}"#), Decimal::new(150, 0));
        // Digits a float would lose are kept.
        assert_eq!(
            read(r#"{"amount":12345678901234567.89}"#).to_string(),
            "12345678901234567.89"
        );
        assert_eq!(
            read(r#"{"amount":"12345678901234567.89"}"#).to_string(),
            "12345678901234567.89"
        );
        for bad in [
            r#"{"amount":"ten"}"#,
            r#"{"amount":""}"#,
            r#"{"amount":null}"#,
        ] {
            assert!(serde_json::from_str::<Holder>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn amounts_are_written_with_exactly_the_currency_decimals() {
        let mxn = Currency::from_code("MXN").unwrap();
        let cases = [
            (10000, "100.00"),
            (1250, "12.50"),
            (1, "0.01"),
            (9999999999, "99999999.99"),
            (10, "0.10"),
        ];
        for (minor, text) in cases {
            let money = Money::from_minor(minor, mxn);
            let number = serde_json::json!({ "amount": to_json_number(money).unwrap() });
            assert_eq!(number.to_string(), format!(r#"{{"amount":{text}}}"#));
            let string = serde_json::json!({ "amount": to_json_string(money).unwrap() });
            assert_eq!(string.to_string(), format!(r#"{{"amount":"{text}"}}"#));
        }
        let jpy = Money::from_minor(1500, Currency::JPY);
        assert_eq!(to_json_number(jpy).unwrap().to_string(), "1500");
        assert_eq!(to_json_string(jpy).unwrap(), Value::String("1500".into()));
    }

    #[test]
    fn an_amount_finer_than_its_currency_is_refused_not_rounded() {
        let money = Money {
            amount: Decimal::new(1001, 3),
            currency: Currency::USD,
        };
        assert!(to_json_number(money).is_err());
        assert!(to_json_string(money).is_err());
    }

    #[test]
    fn written_amounts_read_back_the_same() {
        let mxn = Currency::from_code("MXN").unwrap();
        for minor in [1, 10, 10000, 123456, 9999999999] {
            let money = Money::from_minor(minor, mxn);
            for written in [to_json_number(money), to_json_string(money)] {
                let text = written.unwrap().to_string();
                assert_eq!(parse_decimal(&text).unwrap(), money.amount);
            }
        }
    }
}
