//! Charges: what a card was asked to pay, and where that request stands now.

use super::raw::RawJson;
use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::money::{Currency, Money};
use crate::secret::Secret;

/// A charge's state, the same words whatever the gateway calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeStatus {
    Authorised,
    Captured,
    PartiallyRefunded,
    Refunded,
    Voided,
    Expired,
    Declined,
    Pending3ds,
    Disputed,
}

impl ChargeStatus {
    pub const ALL: [ChargeStatus; 9] = [
        ChargeStatus::Authorised,
        ChargeStatus::Captured,
        ChargeStatus::PartiallyRefunded,
        ChargeStatus::Refunded,
        ChargeStatus::Voided,
        ChargeStatus::Expired,
        ChargeStatus::Declined,
        ChargeStatus::Pending3ds,
        ChargeStatus::Disputed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ChargeStatus::Authorised => "authorised",
            ChargeStatus::Captured => "captured",
            ChargeStatus::PartiallyRefunded => "part refunded",
            ChargeStatus::Refunded => "refunded",
            ChargeStatus::Voided => "voided",
            ChargeStatus::Expired => "expired",
            ChargeStatus::Declined => "declined",
            ChargeStatus::Pending3ds => "pending 3DS",
            ChargeStatus::Disputed => "disputed",
        }
    }

    /// Whether the gateway may still change this charge without us asking, so the
    /// poller should look at it again.
    pub fn may_change(self) -> bool {
        matches!(
            self,
            ChargeStatus::Authorised | ChargeStatus::Pending3ds | ChargeStatus::Disputed
        )
    }
}

impl fmt::Display for ChargeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardBrand {
    Visa,
    Mastercard,
    Amex,
    Diners,
    Discover,
    Jcb,
    Other,
}

impl CardBrand {
    pub fn label(self) -> &'static str {
        match self {
            CardBrand::Visa => "Visa",
            CardBrand::Mastercard => "Mastercard",
            CardBrand::Amex => "Amex",
            CardBrand::Diners => "Diners",
            CardBrand::Discover => "Discover",
            CardBrand::Jcb => "JCB",
            CardBrand::Other => "Card",
        }
    }
}

/// The masked card a charge was made on: never more than the last four digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardSummary {
    pub brand: CardBrand,
    pub last4: String,
    pub expiry_month: u8,
    pub expiry_year: u16,
}

/// Why the gateway refused a charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Charge {
    pub id: String,
    pub created: DateTime<Utc>,
    /// What the card was asked for: the authorisation, where there was one.
    pub amount: Money,
    /// What was taken from the authorisation (all of `amount` for a charge captured at once).
    pub captured: Money,
    /// Authorised money let go without being captured: a void, a partial void, the
    /// uncaptured rest of a partial capture. Never a refund: no money came back.
    pub released: Money,
    /// Captured money given back.
    pub refunded: Money,
    pub status: ChargeStatus,
    pub refund_pending: bool,
    pub captured_at: Option<DateTime<Utc>>,
    /// When an uncaptured authorisation lapses, where the gateway says or we know.
    pub authorisation_expires: Option<DateTime<Utc>>,
    pub email: Option<String>,
    pub description: Option<String>,
    pub card: Option<CardSummary>,
    pub customer_id: Option<String>,
    pub ip: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub failure: Option<Failure>,
    /// For a charge waiting on 3-D Secure, the session to verify, where the gateway
    /// says it (otherwise it reaches the merchant's callback URL).
    pub three_d_secure_session: Option<String>,
    /// The gateway's own JSON for this charge, for the detail view.
    pub raw: RawJson,
}

impl Charge {
    pub fn currency(&self) -> Currency {
        self.amount.currency
    }

    /// What could still be refunded: captured less already refunded, on a charge
    /// that can be refunded at all (not one under or lost to a dispute).
    pub fn refundable(&self) -> Money {
        let zero = Money::zero(self.currency());
        if !matches!(
            self.status,
            ChargeStatus::Captured | ChargeStatus::PartiallyRefunded
        ) {
            return zero;
        }
        self.captured.checked_sub(self.refunded).unwrap_or(zero)
    }

    /// What is still authorised and could be captured or released: the authorisation
    /// less what was captured or released from it.
    pub fn held(&self) -> Money {
        let zero = Money::zero(self.currency());
        if self.status != ChargeStatus::Authorised {
            return zero;
        }
        self.amount
            .checked_sub(self.captured)
            .and_then(|rest| rest.checked_sub(self.released))
            .map_or(zero, |rest| if rest.is_positive() { rest } else { zero })
    }

    /// The one amount a list shows: what is still held for an authorisation, what was
    /// taken for a captured charge (refunds are in its status), else what was asked.
    pub fn list_amount(&self) -> Money {
        match self.status {
            ChargeStatus::Authorised => self.held(),
            ChargeStatus::Captured
            | ChargeStatus::PartiallyRefunded
            | ChargeStatus::Refunded
            | ChargeStatus::Disputed
                if self.captured.is_positive() =>
            {
                self.captured
            }
            _ => self.amount,
        }
    }
}

/// What a new charge is paid with. Paydeck's screens never take a card number; the
/// `Card` form exists for the gateway APIs' test cards.
#[derive(Debug, Clone)]
pub enum PaymentSource {
    Card(CardDetails),
    CardToken(String),
    /// The customer's primary card.
    Customer(String),
}

#[derive(Debug, Clone)]
pub struct CardDetails {
    pub number: Secret,
    pub expiry_month: u8,
    pub expiry_year: u16,
    pub cvc: Secret,
    pub name: String,
    pub address_line1: String,
    pub address_city: String,
    pub address_country: String,
}

#[derive(Debug, Clone)]
pub struct NewCharge {
    pub amount: Money,
    pub email: String,
    pub description: String,
    pub ip_address: String,
    /// False authorises only.
    pub capture: bool,
    pub source: PaymentSource,
    pub metadata: BTreeMap<String, String>,
}

/// The one builder of charges for tests: each fills in what it is about.
#[cfg(test)]
impl Charge {
    /// A charge of `amount` and nothing else: not captured, no customer, no card.
    pub fn bare(id: &str, amount: Money, status: ChargeStatus) -> Charge {
        let zero = Money::zero(amount.currency);
        Charge {
            id: id.into(),
            created: DateTime::UNIX_EPOCH,
            amount,
            captured: zero,
            released: zero,
            refunded: zero,
            status,
            refund_pending: false,
            captured_at: None,
            authorisation_expires: None,
            email: None,
            description: None,
            card: None,
            customer_id: None,
            ip: None,
            metadata: BTreeMap::new(),
            failure: None,
            three_d_secure_session: None,
            raw: RawJson::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn aud(minor: i64) -> Money {
        Money::from_minor(minor, Currency::AUD)
    }

    fn charge(status: ChargeStatus, amount: i64, captured: i64, released: i64) -> Charge {
        Charge {
            captured: aud(captured),
            released: aud(released),
            ..Charge::bare("ch_1", aud(amount), status)
        }
    }

    #[test]
    fn a_partial_capture_shows_what_was_taken_and_a_partial_void_what_is_held() {
        let part = charge(ChargeStatus::Captured, 3640, 2000, 1640);
        assert_eq!(part.list_amount(), aud(2000));
        assert_eq!(part.refundable(), aud(2000));
        assert!(part.held().is_zero());
        let held = charge(ChargeStatus::Authorised, 8055, 0, 3000);
        assert_eq!((held.held(), held.list_amount()), (aud(5055), aud(5055)));
        let voided = charge(ChargeStatus::Voided, 2500, 0, 2500);
        assert_eq!(voided.list_amount(), aud(2500), "what was asked, dimmed");
    }

    #[test]
    fn a_disputed_charge_has_nothing_refundable() {
        let disputed = charge(ChargeStatus::Disputed, 19055, 19055, 0);
        assert!(disputed.refundable().is_zero());
        assert_eq!(disputed.list_amount(), aud(19055));
    }
}
