//! Openpay's sandbox test cards and the error each declining one answers with,
//! plus the Openpay view of decline codes stored by the shared seed generators.

/// (number, Openpay error code) for the declining test cards; any other
/// Luhn-valid number is approved (4111111111111111, 4242424242424242,
/// 5555555555554444, 345678000000007, ...).
const DECLINING: [(&str, u16); 5] = [
    ("4222222222222220", 3001),
    ("4000000000000069", 3002),
    ("4444444444444448", 3003),
    ("4000000000000119", 3004),
    ("4000000000000044", 3005),
];

/// The Openpay error code a (Luhn-valid) number declines with, if it does.
pub(crate) fn decline(digits: &str) -> Option<u16> {
    DECLINING.iter().find(|c| c.0 == digits).map(|c| c.1)
}

/// Openpay's description of a card error code.
pub(crate) fn message(code: u16) -> &'static str {
    match code {
        3002 => "The card has expired",
        3003 => "The card doesn't have sufficient funds",
        3004 => "The card was reported as stolen",
        3005 => "Fraud risk detected by anti-fraud system",
        3009 => "The card was reported as lost",
        3010 => "The card has a restriction",
        3012 => "Bank authorization is required for this charge",
        _ => "The card was declined by the bank",
    }
}

/// The Openpay error code for a decline code stored on a ledger charge: the
/// dialect stores `"3001"`...; the seed generators store Pin's vocabulary.
pub(crate) fn code_of(stored: &str) -> u16 {
    if let Ok(n) = stored.parse::<u16>() {
        return n;
    }
    match stored {
        "expired_card" | "invalid_card" => 3002,
        "insufficient_funds" => 3003,
        "stolen_card" => 3004,
        "suspected_fraud" | "fraudulent" | "radar_block" => 3005,
        "lost_card" => 3009,
        _ => 3001,
    }
}

/// Openpay's card brand for the ledger's scheme name.
pub(crate) fn brand(scheme: &str) -> &'static str {
    match scheme {
        "visa" => "visa",
        "master" | "mastercard" => "mastercard",
        "american_express" | "amex" => "american_express",
        "carnet" => "carnet",
        _ => "unknown",
    }
}

/// A plausible issuing bank (name, code) for a brand; the simulator knows no BINs.
pub(crate) fn bank(scheme: &str) -> (&'static str, &'static str) {
    match brand(scheme) {
        "visa" => ("BANAMEX", "002"),
        "mastercard" => ("BANCOMER", "012"),
        "american_express" => ("AMERICAN EXPRESS", "103"),
        _ => ("DESCONOCIDO", "000"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::card_number::luhn_valid;

    #[test]
    fn test_cards_are_luhn_valid() {
        for (n, _) in DECLINING {
            assert!(luhn_valid(n), "{n}");
        }
        assert!(luhn_valid("345678000000007"));
        assert_eq!(decline("4111111111111111"), None);
        assert_eq!(code_of("3004"), 3004);
        assert_eq!(code_of("card_declined"), 3001);
    }
}
