//! Card-number checks and masking. The full number never leaves these
//! functions: callers keep only the scheme, last four and masked form.

/// Digits of a card number with spaces/dashes removed; `None` unless 12–19 digits.
pub fn normalise(raw: &str) -> Option<String> {
    let d: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let ok = (12..=19).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(d)
}

/// The Luhn (mod 10) check.
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b.wrapping_sub(b'0'));
        if d > 9 {
            return false;
        }
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// Scheme name as Pin spells it (`visa`, `master`; the others are our best guess).
pub fn scheme(digits: &str) -> &'static str {
    let p2: u32 = digits.get(..2).and_then(|s| s.parse().ok()).unwrap_or(0);
    let p4: u32 = digits.get(..4).and_then(|s| s.parse().ok()).unwrap_or(0);
    match () {
        _ if digits.starts_with('4') => "visa",
        _ if (51..=55).contains(&p2) || (2221..=2720).contains(&p4) => "master",
        _ if p2 == 34 || p2 == 37 => "american_express",
        _ if p2 == 36 || p2 == 38 || (3000..=3059).contains(&p4) => "diners",
        _ if p2 == 35 => "jcb",
        _ if p4 == 6011 || p2 == 65 => "discover",
        _ => "unknown",
    }
}

/// Last four digits.
pub fn last4(digits: &str) -> String {
    digits
        .get(digits.len().saturating_sub(4)..)
        .unwrap_or("")
        .to_string()
}

/// `XXXX-XXXX-XXXX-1234`. Pin documents this for 16-digit cards only; we use the
/// same shape for every length so clients can always take the last four.
pub fn display_number(digits: &str) -> String {
    format!("XXXX-XXXX-XXXX-{}", last4(digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks() {
        assert!(luhn_valid("4200000000000000"));
        assert!(luhn_valid("372000000000000"));
        assert!(!luhn_valid("5520000000000099"));
        assert!(!luhn_valid(""));
        assert_eq!(
            normalise("4200 0000-0000 0000").as_deref(),
            Some("4200000000000000")
        );
        assert_eq!(normalise("42x0"), None);
        assert_eq!(scheme("5520000000000000"), "master");
        assert_eq!(scheme("372000000000000"), "american_express");
        assert_eq!(display_number("4200000000000000"), "XXXX-XXXX-XXXX-0000");
    }
}
