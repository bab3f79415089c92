//! A card's brand, masked number and expiry as the gateways write them, read once for
//! every adapter.

use serde_json::Value;

use crate::domain::CardBrand;

/// A brand by any of the names the gateways use: `visa`, `mastercard`, `master`,
/// `american_express`, `American Express`, `diners_club`... Carnet and anything newer
/// is `Other`.
pub fn card_brand(name: Option<&str>) -> CardBrand {
    let name = name
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-'], "_");
    match name.as_str() {
        "visa" => CardBrand::Visa,
        "mastercard" | "master" | "master_card" => CardBrand::Mastercard,
        "amex" | "american_express" => CardBrand::Amex,
        "diners" | "diners_club" => CardBrand::Diners,
        "discover" => CardBrand::Discover,
        "jcb" => CardBrand::Jcb,
        _ => CardBrand::Other,
    }
}

/// The last four digits of `XXXX-XXXX-XXXX-0000`, `411111XXXXXX1111` or `4242`,
/// whatever the masking looks like.
pub fn last4(masked: Option<&str>) -> String {
    let digits: Vec<char> = masked
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits[digits.len().saturating_sub(4)..].iter().collect()
}

/// An expiry month and year written as numbers or strings (`12`, `"12"`), the year
/// with two digits or four (`"25"` is 2025); what cannot be read is 0.
pub fn expiry(month: Option<&Value>, year: Option<&Value>) -> (u8, u16) {
    let month = small_number(month)
        .and_then(|m| u8::try_from(m).ok())
        .unwrap_or(0);
    let year = small_number(year).map_or(0, |y| if y < 100 { 2000 + y } else { y });
    (month, year)
}

/// `12` or `"12"`.
fn small_number(value: Option<&Value>) -> Option<u16> {
    match value? {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn brands_by_every_gateways_name() {
        for (brand, names) in [
            (CardBrand::Visa, &["visa", "Visa"][..]),
            (CardBrand::Mastercard, &["master", "MasterCard"]),
            (
                CardBrand::Amex,
                &["american_express", "American Express", "amex"],
            ),
            (CardBrand::Diners, &["diners_club", "Diners Club"]),
            (CardBrand::Discover, &["discover"]),
            (CardBrand::Jcb, &["jcb"]),
            (CardBrand::Other, &["carnet", ""]),
        ] {
            for name in names {
                assert_eq!(card_brand(Some(name)), brand, "{name}");
            }
        }
        assert_eq!(card_brand(None), CardBrand::Other);
    }

    #[test]
    fn last_four_from_any_masking() {
        assert_eq!(last4(Some("XXXX-XXXX-XXXX-0000")), "0000");
        assert_eq!(last4(Some("XXXX-XXXXXX-X0005")), "0005");
        assert_eq!(last4(Some("411111XXXXXX1111")), "1111");
        assert_eq!(last4(Some("42")), "42");
        assert_eq!(last4(None), "");
    }

    #[test]
    fn expiries_as_numbers_or_strings_with_two_digit_years() {
        assert_eq!(expiry(Some(&json!("12")), Some(&json!("25"))), (12, 2025));
        assert_eq!(expiry(Some(&json!(1)), Some(&json!(2029))), (1, 2029));
        assert_eq!(expiry(Some(&json!(" 3 ")), None), (3, 0));
        assert_eq!(expiry(Some(&json!(300)), Some(&json!(null))), (0, 0));
        assert_eq!(expiry(None, Some(&json!("soon"))), (0, 0));
    }
}
