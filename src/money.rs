//! Exact money: a `Decimal` amount in an ISO 4217 currency, conversion to and from the
//! integer minor units most gateways put on the wire, display for people, and a strict
//! parser for amounts an operator types. There are no floats anywhere in here.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The largest number of digits we accept in a typed amount: beyond this the minor
/// units could overflow an `i64` for some currency, and no real charge is that large.
const MAX_DIGITS: usize = 15;

/// An ISO 4217 currency that has a minor-unit exponent (funds and metals do not).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(iso_currency::Currency);

impl Currency {
    pub const AUD: Currency = Currency(iso_currency::Currency::AUD);
    pub const USD: Currency = Currency(iso_currency::Currency::USD);
    pub const JPY: Currency = Currency(iso_currency::Currency::JPY);
    pub const KWD: Currency = Currency(iso_currency::Currency::KWD);

    /// Looks a currency up by its code, in any letter case.
    pub fn from_code(code: &str) -> Result<Currency, MoneyError> {
        let upper = code.trim().to_ascii_uppercase();
        match iso_currency::Currency::from_code(&upper) {
            Some(c) if c.exponent().is_some() => Ok(Currency(c)),
            Some(_) => Err(MoneyError::NoMinorUnit(upper)),
            None => Err(MoneyError::UnknownCurrency(code.trim().to_string())),
        }
    }

    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// Digits after the decimal point: 2 for AUD, 0 for JPY, 3 for KWD.
    pub fn exponent(self) -> u32 {
        // `from_code` admits only currencies that have an exponent.
        u32::from(self.0.exponent().unwrap_or(0))
    }

    /// A prefix that cannot be mistaken for another currency's: several currencies
    /// share `$`, and an operator refunding in the wrong one is a real risk.
    pub fn symbol(self) -> &'static str {
        match self.code() {
            "AUD" => "A$",
            "NZD" => "NZ$",
            "USD" => "US$",
            "CAD" => "CA$",
            "SGD" => "S$",
            "HKD" => "HK$",
            "MXN" => "MX$",
            "EUR" => "€",
            "GBP" => "£",
            "JPY" => "¥",
            "INR" => "₹",
            "KRW" => "₩",
            _ => "",
        }
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::from_code(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Currency::from_code(&code).map_err(serde::de::Error::custom)
    }
}

/// What can go wrong with money that is not the operator's typing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("{0:?} is not an ISO 4217 currency code")]
    UnknownCurrency(String),
    #[error("{0} has no minor unit, so it cannot be charged")]
    NoMinorUnit(String),
    #[error("{amount} has more decimal places than {currency} allows ({exponent})")]
    TooPrecise {
        amount: Decimal,
        currency: Currency,
        exponent: u32,
    },
    #[error("{0} does not fit in the gateway's integer amount")]
    Overflow(Decimal),
    #[error("cannot combine {0} with {1}")]
    CurrencyMismatch(Currency, Currency),
}

/// An exact amount of one currency.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    /// Money from a decimal, refusing more decimal places than the currency has.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Money, MoneyError> {
        let amount = amount.normalize();
        if amount.scale() > currency.exponent() {
            return Err(MoneyError::TooPrecise {
                amount,
                currency,
                exponent: currency.exponent(),
            });
        }
        Ok(Money { amount, currency })
    }

    pub fn zero(currency: Currency) -> Money {
        Money {
            amount: Decimal::ZERO,
            currency,
        }
    }

    /// Money from integer minor units (cents, yen, fils).
    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        Money {
            amount: Decimal::new(minor, currency.exponent()).normalize(),
            currency,
        }
    }

    /// The integer minor units for the wire; exact or an error, never rounded.
    pub fn to_minor(&self) -> Result<i64, MoneyError> {
        let exponent = self.currency.exponent();
        let mut scaled = self.amount.normalize();
        if scaled.scale() > exponent {
            return Err(MoneyError::TooPrecise {
                amount: self.amount,
                currency: self.currency,
                exponent,
            });
        }
        scaled.rescale(exponent);
        i64::try_from(scaled.mantissa()).map_err(|_| MoneyError::Overflow(self.amount))
    }

    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    pub fn is_positive(&self) -> bool {
        self.amount.is_sign_positive() && !self.amount.is_zero()
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.combine(other, Decimal::checked_add)
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.combine(other, Decimal::checked_sub)
    }

    /// `op` on two amounts of one currency; `None` from `op` is an overflow.
    fn combine(
        self,
        other: Money,
        op: fn(Decimal, Decimal) -> Option<Decimal>,
    ) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let amount = op(self.amount, other.amount).ok_or(MoneyError::Overflow(self.amount))?;
        Ok(Money {
            amount,
            currency: self.currency,
        })
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(self.currency, other.currency))
        }
    }

    /// The amount with exactly the currency's decimals and nothing else: `1234.50`,
    /// for logs and files that machines read.
    pub fn plain(&self) -> String {
        let mut fixed = self.amount;
        fixed.rescale(self.currency.exponent());
        fixed.to_string()
    }

    /// The amount with exactly the currency's decimals and thousands grouped,
    /// without a symbol: `1,234.50`, `1,235` (JPY).
    pub fn grouped(&self) -> String {
        let mut fixed = self.amount;
        fixed.rescale(self.currency.exponent());
        let text = fixed.abs().to_string();
        let (whole, fraction) = match text.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (text.as_str(), None),
        };
        let mut out = String::with_capacity(text.len() + whole.len() / 3 + 1);
        if fixed.is_sign_negative() && !fixed.is_zero() {
            out.push('-');
        }
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(digit);
        }
        if let Some(fraction) = fraction {
            out.push('.');
            out.push_str(fraction);
        }
        out
    }
}

impl fmt::Display for Money {
    /// `A$1,234.50`; currencies without a distinctive symbol read `1,234.50 CHF`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grouped = self.grouped();
        let symbol = self.currency.symbol();
        let (sign, digits) = match grouped.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", grouped.as_str()),
        };
        if symbol.is_empty() {
            write!(f, "{sign}{digits} {}", self.currency.code())
        } else {
            write!(f, "{sign}{symbol}{digits}")
        }
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency.code())
    }
}

/// Why a typed amount was refused; the `Display` text is shown in the dialog as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("Enter an amount, e.g. 12.50")]
    Empty,
    #[error("The amount must be positive; leave out the minus sign")]
    Negative,
    #[error("The amount must be more than zero")]
    Zero,
    #[error("Write the amount in full, e.g. 1000, not in scientific notation")]
    Exponent,
    #[error("{0:?} cannot be part of an amount; use digits, commas and one decimal point")]
    BadCharacter(char),
    #[error("An amount has at most one decimal point")]
    TwoPoints,
    #[error("Put a digit beside the decimal point, e.g. 0.50 or 12.00")]
    BareDecimalPoint,
    #[error("Commas separate thousands, e.g. 1,234.50")]
    MisplacedComma,
    #[error("{currency} has no decimal places; enter a whole number")]
    NoDecimals { currency: Currency },
    #[error("{currency} has at most {exponent} decimal places")]
    TooManyDecimals { currency: Currency, exponent: u32 },
    #[error("That amount is too large")]
    TooLarge,
}

/// Parses what an operator typed as an amount of `currency`.
///
/// Accepts digits with optional thousands commas and an optional decimal point with at
/// most as many decimals as the currency has: `12`, `12.5`, `12.50`, `1,234.50`, and
/// the shorthands `.5` (0.50) and `5.` (5.00). Refuses everything else with a reason, and never panics.
pub fn parse_amount(input: &str, currency: Currency) -> Result<Money, AmountError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    if text.starts_with('-') {
        return Err(AmountError::Negative);
    }
    if let Some(bad) = text
        .chars()
        .find(|c| !(c.is_ascii_digit() || *c == ',' || *c == '.'))
    {
        return Err(if bad == 'e' || bad == 'E' {
            AmountError::Exponent
        } else {
            AmountError::BadCharacter(bad)
        });
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((_, f)) if f.contains('.') => return Err(AmountError::TwoPoints),
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let fraction = fraction.unwrap_or("");
    // `.5` and `5.` are what people type; a point with no digit on either side is not.
    if whole.is_empty() && fraction.is_empty() {
        return Err(AmountError::BareDecimalPoint);
    }
    if fraction.contains(',') || !commas_group_thousands(whole) {
        return Err(AmountError::MisplacedComma);
    }
    let exponent = currency.exponent();
    if fraction.len() > exponent as usize {
        return Err(if exponent == 0 {
            AmountError::NoDecimals { currency }
        } else {
            AmountError::TooManyDecimals { currency, exponent }
        });
    }
    let mut digits: String = whole.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() {
        digits.push('0');
    }
    let significant = digits.trim_start_matches('0').len();
    if significant + fraction.len() > MAX_DIGITS {
        return Err(AmountError::TooLarge);
    }
    let plain = if fraction.is_empty() {
        digits
    } else {
        format!("{digits}.{fraction}")
    };
    let amount = Decimal::from_str_exact(&plain).map_err(|_| AmountError::TooLarge)?;
    if amount.is_zero() {
        return Err(AmountError::Zero);
    }
    Money::new(amount, currency).map_err(|_| AmountError::TooManyDecimals { currency, exponent })
}

/// True when `whole` has no commas, or has them exactly every three digits from the right.
fn commas_group_thousands(whole: &str) -> bool {
    if !whole.contains(',') {
        return true;
    }
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aud(s: &str) -> Result<Money, AmountError> {
        parse_amount(s, Currency::AUD)
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn accepts_what_people_type_for_aud() {
        assert_eq!(aud("12").unwrap().amount, dec("12"));
        assert_eq!(aud("12.5").unwrap().amount, dec("12.5"));
        assert_eq!(aud("12.50").unwrap().to_minor(), Ok(1250));
        assert_eq!(aud("1,234.50").unwrap().to_minor(), Ok(123450));
        assert_eq!(aud("  7.05 ").unwrap().to_minor(), Ok(705));
        assert_eq!(aud("1,000,000").unwrap().to_minor(), Ok(100_000_000));
    }

    #[test]
    fn accepts_a_point_with_digits_on_one_side() {
        assert_eq!(aud(".5").unwrap().to_minor(), Ok(50));
        assert_eq!(aud(".05").unwrap().to_minor(), Ok(5));
        assert_eq!(aud("5.").unwrap().to_minor(), Ok(500));
        assert_eq!(aud("1,234.").unwrap().to_minor(), Ok(123400));
        assert_eq!(parse_amount("5.", Currency::JPY).unwrap().to_minor(), Ok(5));
        assert_eq!(
            parse_amount(".5", Currency::JPY),
            Err(AmountError::NoDecimals {
                currency: Currency::JPY
            })
        );
        assert_eq!(aud(".0"), Err(AmountError::Zero));
    }

    #[test]
    fn refuses_with_a_reason() {
        assert_eq!(
            aud("12.345"),
            Err(AmountError::TooManyDecimals {
                currency: Currency::AUD,
                exponent: 2
            })
        );
        assert_eq!(aud("-3"), Err(AmountError::Negative));
        assert_eq!(aud("0"), Err(AmountError::Zero));
        assert_eq!(aud("0.00"), Err(AmountError::Zero));
        assert_eq!(aud("1e3"), Err(AmountError::Exponent));
        assert_eq!(aud("abc"), Err(AmountError::BadCharacter('a')));
        assert_eq!(aud(""), Err(AmountError::Empty));
        assert_eq!(aud("   "), Err(AmountError::Empty));
        assert_eq!(aud("99999999999999999999"), Err(AmountError::TooLarge));
        assert_eq!(aud("1.2.3"), Err(AmountError::TwoPoints));
        assert_eq!(aud("12,34"), Err(AmountError::MisplacedComma));
        assert_eq!(aud("1234,567.00"), Err(AmountError::MisplacedComma));
        assert_eq!(aud("."), Err(AmountError::BareDecimalPoint));
        assert_eq!(aud(" . "), Err(AmountError::BareDecimalPoint));
        assert_eq!(aud(",.5"), Err(AmountError::MisplacedComma));
        assert_eq!(
            aud(".000"),
            Err(AmountError::TooManyDecimals {
                currency: Currency::AUD,
                exponent: 2
            })
        );
        assert_eq!(
            aud("57.250"),
            Err(AmountError::TooManyDecimals {
                currency: Currency::AUD,
                exponent: 2
            })
        );
        assert_eq!(aud("$12"), Err(AmountError::BadCharacter('$')));
    }

    #[test]
    fn messages_say_why() {
        assert_eq!(
            aud("12.345").unwrap_err().to_string(),
            "AUD has at most 2 decimal places"
        );
        assert_eq!(
            parse_amount("12.5", Currency::JPY).unwrap_err().to_string(),
            "JPY has no decimal places; enter a whole number"
        );
    }

    #[test]
    fn exponents_follow_iso_4217() {
        assert_eq!(Currency::AUD.exponent(), 2);
        assert_eq!(Currency::JPY.exponent(), 0);
        assert_eq!(Currency::KWD.exponent(), 3);
        assert_eq!(Currency::from_code("bhd").unwrap().exponent(), 3);
        assert!(matches!(
            Currency::from_code("XAU"),
            Err(MoneyError::NoMinorUnit(_))
        ));
        assert!(matches!(
            Currency::from_code("ZZZ"),
            Err(MoneyError::UnknownCurrency(_))
        ));
        assert_eq!(
            parse_amount("1.234", Currency::KWD).unwrap().to_minor(),
            Ok(1234)
        );
    }

    #[test]
    fn minor_units_round_trip() {
        for (minor, currency) in [
            (1250, Currency::AUD),
            (1235, Currency::JPY),
            (5, Currency::KWD),
        ] {
            assert_eq!(Money::from_minor(minor, currency).to_minor(), Ok(minor));
        }
        let too_precise = Money {
            amount: dec("1.005"),
            currency: Currency::AUD,
        };
        assert!(matches!(
            too_precise.to_minor(),
            Err(MoneyError::TooPrecise { .. })
        ));
    }

    #[test]
    fn displays_with_symbol_and_grouping() {
        assert_eq!(
            Money::from_minor(123450, Currency::AUD).to_string(),
            "A$1,234.50"
        );
        assert_eq!(
            Money::from_minor(1250, Currency::AUD).to_string(),
            "A$12.50"
        );
        assert_eq!(Money::from_minor(1235, Currency::JPY).to_string(), "¥1,235");
        assert_eq!(
            Money::from_minor(1234, Currency::KWD).to_string(),
            "1.234 KWD"
        );
        assert_eq!(
            Money::from_minor(-300, Currency::USD).to_string(),
            "-US$3.00"
        );
        assert_eq!(Money::from_minor(5, Currency::AUD).to_string(), "A$0.05");
        assert_eq!(
            Money::from_minor(100_000_000, Currency::AUD).grouped(),
            "1,000,000.00"
        );
    }

    #[test]
    fn arithmetic_refuses_mixed_currencies() {
        let a = Money::from_minor(100, Currency::AUD);
        let u = Money::from_minor(100, Currency::USD);
        assert!(a.checked_add(u).is_err());
        assert_eq!(a.checked_sub(a).unwrap(), Money::zero(Currency::AUD));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parser_never_panics(s in "\\PC*") {
                let _ = parse_amount(&s, Currency::AUD);
                let _ = parse_amount(&s, Currency::JPY);
            }

            #[test]
            fn parser_never_panics_on_amount_like_text(s in "[-0-9,.eE ]{0,30}") {
                if let Ok(m) = parse_amount(&s, Currency::KWD) {
                    prop_assert!(m.is_positive());
                    prop_assert!(m.to_minor().is_ok());
                }
            }

            #[test]
            fn a_bare_fraction_or_trailing_point_means_the_same(whole in 0u32..100_000, cents in 0u32..100) {
                let full = parse_amount(&format!("{whole}.{cents:02}"), Currency::AUD);
                if whole == 0 {
                    prop_assert_eq!(parse_amount(&format!(".{cents:02}"), Currency::AUD), full.clone());
                }
                if cents == 0 {
                    prop_assert_eq!(parse_amount(&format!("{whole}."), Currency::AUD), full);
                }
            }

            #[test]
            fn displayed_amounts_parse_back(minor in 1i64..10_000_000_000_000) {
                for currency in [Currency::AUD, Currency::JPY, Currency::KWD] {
                    let money = Money::from_minor(minor, currency);
                    let parsed = parse_amount(&money.grouped(), currency).unwrap();
                    prop_assert_eq!(parsed.to_minor(), Ok(minor));
                }
            }
        }
    }
}
