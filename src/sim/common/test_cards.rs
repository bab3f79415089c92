//! The decline vocabulary of the ledger and the test cards that produce it:
//! Pin's (reference §9.1), which the transactions gateway answers to as well
//! and the seed generators draw from. The card number decides the outcome.

use crate::sim::ledger::Outcome;

/// The description of a failure code, per Pin's error table.
pub fn decline_text(code: &str) -> &'static str {
    match code {
        "card_declined" => "The card was declined",
        "insufficient_funds" => {
            "There are not enough funds available to process the requested amount"
        }
        "invalid_cvv" => "The card verification code (cvc) was not in the correct format",
        "invalid_card" => "The card was invalid",
        "processing_error" => "An error occurred while processing the card",
        "suspected_fraud" => {
            "The transaction was flagged as possibly fraudulent and subsequently declined"
        }
        "gateway_error" => {
            "An upstream error occurred while processing the transaction. Please try again."
        }
        _ => "Sorry, an unknown error has occurred. This is being investigated",
    }
}

/// Every failure code the test cards can produce (seed data draws from it).
pub const DECLINE_CODES: [&str; 8] = [
    "card_declined",
    "insufficient_funds",
    "invalid_cvv",
    "invalid_card",
    "processing_error",
    "suspected_fraud",
    "gateway_error",
    "unknown",
];

/// Outcome for a (Luhn-valid) number; unknown numbers succeed.
pub fn outcome(digits: &str) -> Outcome {
    let code = match digits {
        "4100000000000001" | "5560000000000001" | "371000000000001" => "card_declined",
        "4000000000000002" | "5510000000000002" | "370000000000002" => "insufficient_funds",
        "4900000000000003" | "5550000000000003" | "379000000000003" => "invalid_cvv",
        "4800000000000004" | "5500000000000004" | "378000000000004" => "invalid_card",
        "4700000000000005" | "5590000000000005" | "377000000000005" => "processing_error",
        "4600000000000006" | "5540000000000006" | "376000000000006" => "suspected_fraud",
        "4300000000000009" | "5570000000000009" | "373000000000009" => "gateway_error",
        "4400000000000099" | "5530000000000099" | "374000000000099" => "unknown",
        _ => return Outcome::Approved,
    };
    declined(code)
}

/// A decline with `code` and its description.
pub fn declined(code: &str) -> Outcome {
    Outcome::Declined {
        code: code.to_string(),
        message: decline_text(code).to_string(),
    }
}
