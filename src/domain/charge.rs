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
    pub amount: Money,
    pub captured: Money,
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

    /// What could still be refunded: captured less already refunded.
    pub fn refundable(&self) -> Money {
        self.captured
            .checked_sub(self.refunded)
            .unwrap_or_else(|_| Money::zero(self.currency()))
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
