//! The transactions gateway puts money on the wire as decimal *strings* in major units
//! (`"12.50"`), so both directions go through text and never through a float.
//!
//! * Reading: an amount is captured as its raw JSON text (`RawValue`) and parsed with
//!   `Decimal::from_str_exact`; a bare JSON number is accepted too, read from its text.
//! * Writing: the amount is rendered with exactly the currency's decimals
//!   (`Money::plain`) as a JSON string, after `to_minor` has refused anything finer
//!   than the currency.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::gateway::GatewayError;
use crate::money::Money;

/// A decimal read from the exact text of a JSON string (or number).
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

/// The exact decimal of a JSON string holding one, or of a JSON number's text.
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

/// The amount as a JSON string with exactly the currency's decimals: `"100.00"`,
/// `"0.01"`, `"1500"` (JPY).
pub fn to_wire(amount: Money) -> Result<Value, GatewayError> {
    // `to_minor` refuses amounts finer than the currency instead of rounding them.
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
        assert_eq!(read(r#"{"amount":"0.1"}"#).to_string(), "0.1");
        assert_eq!(read(r#"{"amount":"100.00"}"#).to_string(), "100.00");
        assert_eq!(
            read(r#"{"amount":"99999999.99"}"#).to_string(),
            "99999999.99"
        );
        assert_eq!(read(r#"{"amount":"12.50"}"#).to_string(), "12.50");
        assert_eq!(read(r#"{"amount":12.50}"#).to_string(), "12.50");
        assert_eq!(read(r#"{"amount":"666"}"#).to_string(), "666");
        // Digits a float would lose are kept.
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
    fn amounts_are_written_as_strings_with_exactly_the_currency_decimals() {
        let cases = [
            (1250, "12.50"),
            (1, "0.01"),
            (9999999999, "99999999.99"),
            (10, "0.10"),
        ];
        for (minor, text) in cases {
            let body = serde_json::json!({
                "amount": to_wire(Money::from_minor(minor, Currency::USD)).unwrap()
            });
            assert_eq!(body.to_string(), format!(r#"{{"amount":"{text}"}}"#));
        }
        let jpy = Money::from_minor(1500, Currency::JPY);
        assert_eq!(to_wire(jpy).unwrap(), Value::String("1500".into()));
    }

    #[test]
    fn an_amount_finer_than_its_currency_is_refused_not_rounded() {
        let money = Money {
            amount: Decimal::new(1001, 3),
            currency: Currency::USD,
        };
        assert!(to_wire(money).is_err());
    }

    #[test]
    fn written_amounts_read_back_the_same() {
        for minor in [1, 10, 10000, 123456, 9999999999] {
            let money = Money::from_minor(minor, Currency::USD);
            let text = to_wire(money).unwrap().to_string();
            assert_eq!(parse_decimal(&text).unwrap(), money.amount);
        }
    }
}
