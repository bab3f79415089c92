//! Text as the statement formats want it: amounts in major units, XML and CSV
//! escaping of everything that comes from the gateway side.

use crate::sim::common::major_units;

use super::Account;

/// `1193.28` or `-2.50`: minor units in the account's currency.
pub fn amount(account: &Account<'_>, minor: i64) -> String {
    major_units::text(minor, account.currency.code())
}

/// `1193.28` whatever the sign (camt.053 puts the sign in `CdtDbtInd`).
pub fn unsigned(account: &Account<'_>, minor: i64) -> String {
    amount(account, minor.saturating_abs())
}

/// `CRDT` for money in (or none), `DBIT` for money out.
pub fn credit_or_debit(minor: i64) -> &'static str {
    if minor < 0 { "DBIT" } else { "CRDT" }
}

/// `text` safe between XML tags or in an attribute: the five special
/// characters escaped, and characters XML 1.0 cannot carry dropped.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c < ' ' || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters of `text` (for the formats' field limits).
pub fn clip(text: &str, max: usize) -> &str {
    text.char_indices()
        .nth(max)
        .map_or(text, |(i, _)| &text[..i])
}

/// One CSV field as RFC 4180 has it: quoted (with quotes doubled) when it holds
/// a comma, a quote, a line break or a space at either end.
pub fn csv_field(text: &str) -> String {
    let plain = !text.contains([',', '"', '\n', '\r']) && text.trim() == text;
    if plain {
        text.to_string()
    } else {
        format!("\"{}\"", text.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateway_text_cannot_break_out() {
        assert_eq!(
            xml("a<b>&\"c'\u{0}\u{1b}\td"),
            "a&lt;b&gt;&amp;&quot;c&apos; d"
        );
        assert_eq!(csv_field("TRX STL 01AB"), "TRX STL 01AB");
        assert_eq!(csv_field("a,\"b\"\nc"), "\"a,\"\"b\"\"\nc\"");
        assert_eq!(csv_field(" padded"), "\" padded\"");
        assert_eq!(clip("ÄÖÜabc", 4), "ÄÖÜa");
        assert_eq!(clip("ab", 4), "ab");
    }
}
