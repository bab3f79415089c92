//! What every format needs from the raw bytes: text (UTF-8, or Windows-1252
//! as older bank exports and OFX 1 files are), line numbers for messages, and
//! amounts read exactly.

use std::borrow::Cow;

use rust_decimal::Decimal;

use crate::money::{Currency, Money, MoneyError};

/// Windows-1252's characters for bytes 0x80..=0x9F (the rest is Latin-1);
/// the five bytes it leaves undefined read as U+FFFD.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž',
    '\u{FFFD}', '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{FFFD}',
    'ž', 'Ÿ',
];

/// The file as text: UTF-8 (a byte-order mark dropped) when it is valid
/// UTF-8, otherwise Windows-1252, which decodes every byte.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(
            bytes
                .iter()
                .map(|&b| match b {
                    0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
                    _ => char::from(b),
                })
                .collect(),
        ),
    }
}

/// Line numbers for byte offsets that only move forward, counted once.
pub struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a str) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of byte `offset` (clamped to the text).
    pub fn line_at(&mut self, offset: usize) -> u64 {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            (self.offset, self.line) = (0, 1);
        }
        let between = self.text.as_bytes().get(self.offset..offset).unwrap_or(&[]);
        self.line += between.iter().filter(|&&b| b == b'\n').count() as u64;
        self.offset = offset;
        self.line
    }
}

/// How a format writes its numbers.
#[derive(Clone, Copy, Debug)]
pub struct NumberStyle {
    pub decimal: char,
    pub thousands: Option<char>,
}

impl NumberStyle {
    /// `1234.56`, as XML formats write it.
    pub const PLAIN: NumberStyle = NumberStyle {
        decimal: '.',
        thousands: None,
    };
}

/// Why an amount's text was refused, finished by the caller with where it was.
#[derive(Debug, PartialEq, Eq)]
pub enum AmountTrouble {
    Empty,
    NotANumber,
    TooPrecise(Currency),
}

/// More digits than any statement amount has; beyond this `Decimal` and the
/// integer minor units could overflow.
const MAX_DIGITS: usize = 18;

/// A statement amount read exactly: an optional sign (`-12.50`, `+12.50`, or
/// a trailing `12.50-` as some banks print debits), digits grouped by
/// `style.thousands` in threes, and at most the currency's decimals.
pub fn parse_amount(
    text: &str,
    style: NumberStyle,
    currency: Currency,
) -> Result<Money, AmountTrouble> {
    let mut body = text.trim();
    if body.is_empty() {
        return Err(AmountTrouble::Empty);
    }
    let mut negative = false;
    if let Some(rest) = body.strip_prefix('-') {
        (negative, body) = (true, rest);
    } else if let Some(rest) = body.strip_prefix('+') {
        body = rest;
    } else if let Some(rest) = body.strip_suffix('-') {
        (negative, body) = (true, rest);
    }
    let (whole, fraction) = match body.split_once(style.decimal) {
        Some((w, f)) => (w, f),
        None => (body, ""),
    };
    let digits: String = match style.thousands {
        Some(sep) if whole.contains(sep) => {
            let mut groups = whole.split(sep);
            let first = groups.next().unwrap_or("");
            let grouped = (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3);
            if !grouped {
                return Err(AmountTrouble::NotANumber);
            }
            whole.chars().filter(|c| *c != sep).collect()
        }
        _ => whole.to_string(),
    };
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (digits.is_empty() && fraction.is_empty())
        || !all_digits(&digits)
        || !all_digits(fraction)
        || digits.len() + fraction.len() > MAX_DIGITS
    {
        return Err(AmountTrouble::NotANumber);
    }
    let whole = if digits.is_empty() { "0" } else { &digits };
    let plain = if fraction.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{fraction}")
    };
    let mut amount = Decimal::from_str_exact(&plain).map_err(|_| AmountTrouble::NotANumber)?;
    if negative {
        amount.set_sign_negative(true);
    }
    Money::new(amount, currency).map_err(|e| match e {
        MoneyError::TooPrecise { .. } => AmountTrouble::TooPrecise(currency),
        _ => AmountTrouble::NotANumber,
    })
}

impl AmountTrouble {
    /// The reason, for `the amount '12,5O' {reason}`.
    pub fn reason(&self) -> String {
        match self {
            AmountTrouble::Empty => "is empty".to_string(),
            AmountTrouble::NotANumber => "is not a number".to_string(),
            AmountTrouble::TooPrecise(c) => {
                format!("has more decimal places than {c} has ({})", c.exponent())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aud(text: &str, style: NumberStyle) -> Result<i64, AmountTrouble> {
        parse_amount(text, style, Currency::AUD).map(|m| m.to_minor().unwrap())
    }

    const EUROPEAN: NumberStyle = NumberStyle {
        decimal: ',',
        thousands: Some('.'),
    };

    #[test]
    fn amounts_read_exactly_in_both_styles() {
        assert_eq!(aud("1193.28", NumberStyle::PLAIN), Ok(119_328));
        assert_eq!(aud("+1193.28", NumberStyle::PLAIN), Ok(119_328));
        assert_eq!(aud("-2.5", NumberStyle::PLAIN), Ok(-250));
        assert_eq!(aud("2.50-", NumberStyle::PLAIN), Ok(-250));
        assert_eq!(aud(".5", NumberStyle::PLAIN), Ok(50));
        assert_eq!(aud("1.234,56", EUROPEAN), Ok(123_456));
        assert_eq!(aud("-12,5", EUROPEAN), Ok(-1_250));
        assert_eq!(
            parse_amount("1.234", NumberStyle::PLAIN, Currency::KWD)
                .unwrap()
                .to_minor(),
            Ok(1_234)
        );
    }

    #[test]
    fn what_is_not_an_amount_is_refused() {
        for bad in ["12,5O", "1,2,3", "1.2.3", "--1", "1e3", "-", ".", "0x10"] {
            assert_eq!(
                aud(bad, NumberStyle::PLAIN),
                Err(AmountTrouble::NotANumber),
                "{bad}"
            );
        }
        assert_eq!(aud("12.34", EUROPEAN), Err(AmountTrouble::NotANumber));
        assert_eq!(aud("  ", EUROPEAN), Err(AmountTrouble::Empty));
        assert_eq!(
            aud("1.005", NumberStyle::PLAIN),
            Err(AmountTrouble::TooPrecise(Currency::AUD))
        );
        assert_eq!(
            aud("1234567890123456789", NumberStyle::PLAIN),
            Err(AmountTrouble::NotANumber)
        );
    }

    #[test]
    fn windows_1252_is_read_when_the_file_is_not_utf8() {
        assert_eq!(decode(b"\xEF\xBB\xBFCaf\xC3\xA9"), "Café");
        assert_eq!(decode(b"Caf\xE9 \x80 5"), "Café € 5");
    }

    #[test]
    fn lines_are_counted_forward_and_back() {
        let mut lines = LineCounter::new("a\nb\nc");
        assert_eq!(lines.line_at(0), 1);
        assert_eq!(lines.line_at(4), 3);
        assert_eq!(lines.line_at(2), 2);
        assert_eq!(lines.line_at(99), 3);
    }
}
