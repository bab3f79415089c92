//! Stripe's test cards (reference §7): raw numbers, `pm_card_*` and `tok_*`
//! shortcuts, and what each does. Decline codes are stored on the ledger charge
//! as the Stripe `decline_code`; [`failure`] turns any stored code (Pin-seeded
//! ones too) into Stripe's `failure_code`, `decline_code` and message.

/// What a card does when charged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Behaviour {
    Approve,
    /// Declined with this `decline_code`.
    Decline(&'static str),
    /// Succeeds, then a dispute opens: (reason, inquiry?).
    Dispute(&'static str, bool),
    /// Succeeds; its refunds stay pending until the clock settles them.
    PendingRefund,
}

/// (number, pm shortcut, tok shortcut, behaviour). Refunds on the
/// `refundFail` card succeed and later fail on Stripe; the ledger has no
/// failed refunds, so here they simply succeed.
#[rustfmt::skip]
const CARDS: [(&str, &str, &str, Behaviour); 20] = [
    ("4242424242424242", "pm_card_visa", "tok_visa", Behaviour::Approve),
    ("4000056655665556", "pm_card_visa_debit", "tok_visa_debit", Behaviour::Approve),
    ("5555555555554444", "pm_card_mastercard", "tok_mastercard", Behaviour::Approve),
    ("378282246310005", "pm_card_amex", "tok_amex", Behaviour::Approve),
    ("6011111111111117", "pm_card_discover", "tok_discover", Behaviour::Approve),
    ("4000000000000077", "pm_card_bypassPending", "tok_bypassPending", Behaviour::Approve),
    ("4000000000007726", "pm_card_pendingRefund", "tok_pendingRefund", Behaviour::PendingRefund),
    ("4000000000005126", "pm_card_refundFail", "tok_refundFail", Behaviour::Approve),
    ("4000000000000002", "pm_card_visa_chargeDeclined", "tok_chargeDeclined", Behaviour::Decline("generic_decline")),
    ("4000000000009995", "pm_card_visa_chargeDeclinedInsufficientFunds", "tok_chargeDeclinedInsufficientFunds", Behaviour::Decline("insufficient_funds")),
    ("4000000000009987", "pm_card_visa_chargeDeclinedLostCard", "tok_chargeDeclinedLostCard", Behaviour::Decline("lost_card")),
    ("4000000000009979", "pm_card_visa_chargeDeclinedStolenCard", "tok_chargeDeclinedStolenCard", Behaviour::Decline("stolen_card")),
    ("4000000000000069", "pm_card_chargeDeclinedExpiredCard", "tok_chargeDeclinedExpiredCard", Behaviour::Decline("expired_card")),
    ("4000000000000127", "pm_card_chargeDeclinedIncorrectCvc", "tok_chargeDeclinedIncorrectCvc", Behaviour::Decline("incorrect_cvc")),
    ("4000000000000119", "pm_card_chargeDeclinedProcessingError", "tok_chargeDeclinedProcessingError", Behaviour::Decline("processing_error")),
    ("4000000000006975", "pm_card_visa_chargeDeclinedVelocityLimitExceeded", "tok_visa_chargeDeclinedVelocityLimitExceeded", Behaviour::Decline("card_velocity_exceeded")),
    ("4100000000000019", "pm_card_radarBlock", "tok_radarBlock", Behaviour::Decline("radar_block")),
    ("4000000000000259", "pm_card_createDispute", "tok_createDispute", Behaviour::Dispute("fraudulent", false)),
    ("4000000000002685", "pm_card_createDisputeProductNotReceived", "tok_createDisputeProductNotReceived", Behaviour::Dispute("product_not_received", false)),
    ("4000000000001976", "pm_card_createDisputeInquiry", "tok_createDisputeInquiry", Behaviour::Dispute("general", true)),
];

/// The test card behind a `pm_card_*` / `tok_*` shortcut: (number, behaviour).
pub(crate) fn by_shortcut(name: &str) -> Option<(&'static str, Behaviour)> {
    CARDS
        .iter()
        .find(|c| c.1 == name || c.2 == name)
        .map(|c| (c.0, c.3))
}

/// What a (Luhn-valid) number does; unknown numbers are approved.
pub(crate) fn by_number(digits: &str) -> Behaviour {
    CARDS
        .iter()
        .find(|c| c.0 == digits)
        .map_or(Behaviour::Approve, |c| c.3)
}

/// Stripe's view of a stored decline code: (`failure_code`, `decline_code`, message).
/// Codes from the shared seed generators (Pin's vocabulary) are translated.
#[rustfmt::skip]
pub(crate) fn failure(stored: &str) -> (&'static str, &'static str, &'static str) {
    const DECLINED: &str = "Your card was declined.";
    match stored {
        "insufficient_funds" => ("card_declined", "insufficient_funds", "Your card has insufficient funds."),
        "lost_card" => ("card_declined", "lost_card", DECLINED),
        "stolen_card" => ("card_declined", "stolen_card", DECLINED),
        "expired_card" | "invalid_card" => ("expired_card", "expired_card", "Your card has expired."),
        "incorrect_cvc" | "invalid_cvv" => ("incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."),
        "processing_error" | "gateway_error" => (
            "processing_error",
            "processing_error",
            "An error occurred while processing your card. Try again in a little bit.",
        ),
        "card_velocity_exceeded" => ("card_declined", "card_velocity_exceeded", DECLINED),
        "suspected_fraud" | "radar_block" => ("card_declined", "fraudulent", DECLINED),
        _ => ("card_declined", "generic_decline", DECLINED),
    }
}

/// What the issuer said with a decline (`decline_code`): Stripe's `advice_code`,
/// the network's advice code and its decline code (ISO 8583 response codes;
/// Visa's `N7` for a CVV mismatch).
pub(crate) fn network_decline(
    decline_code: &str,
) -> (
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
) {
    match decline_code {
        "insufficient_funds" => (Some("try_again_later"), Some("02"), Some("51")),
        "lost_card" => (Some("do_not_try_again"), Some("03"), Some("41")),
        "stolen_card" => (Some("do_not_try_again"), Some("03"), Some("43")),
        "expired_card" => (Some("confirm_card_data"), None, Some("54")),
        "incorrect_cvc" => (Some("confirm_card_data"), None, Some("N7")),
        "card_velocity_exceeded" => (Some("try_again_later"), Some("02"), Some("61")),
        "processing_error" => (Some("try_again_later"), None, Some("96")),
        _ => (None, None, Some("05")),
    }
}

/// Stripe's brand for the ledger's scheme name.
pub(crate) fn brand(scheme: &str) -> &'static str {
    match scheme {
        "visa" => "visa",
        "master" | "mastercard" => "mastercard",
        "american_express" | "amex" => "amex",
        "diners" => "diners",
        "jcb" => "jcb",
        "discover" => "discover",
        _ => "unknown",
    }
}

/// The capitalised brand of legacy Card objects (`Visa`, `MasterCard`, ...).
pub(crate) fn legacy_brand(scheme: &str) -> &'static str {
    match brand(scheme) {
        "visa" => "Visa",
        "mastercard" => "MasterCard",
        "amex" => "American Express",
        "diners" => "Diners Club",
        "jcb" => "JCB",
        "discover" => "Discover",
        _ => "Unknown",
    }
}
