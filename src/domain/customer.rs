use super::raw::RawJson;
use chrono::{DateTime, Datelike, Utc};

use super::charge::{CardBrand, PaymentSource};

/// A card saved on a customer; masked.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub id: String,
    pub brand: CardBrand,
    pub last4: String,
    pub expiry_month: u8,
    pub expiry_year: u16,
    pub name: Option<String>,
    pub primary: bool,
    pub customer_id: Option<String>,
    pub raw: RawJson,
}

impl Card {
    /// A card is good to the end of its expiry month.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        let (year, month) = (now.year(), now.month());
        let expiry = (i32::from(self.expiry_year), u32::from(self.expiry_month));
        expiry < (year, month)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub id: String,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub notes: Option<String>,
    pub created: DateTime<Utc>,
    pub primary_card: Option<Card>,
    pub raw: RawJson,
}

impl Customer {
    pub fn display_name(&self) -> String {
        match (&self.first_name, &self.last_name) {
            (Some(f), Some(l)) => format!("{f} {l}"),
            (Some(n), None) | (None, Some(n)) => n.clone(),
            (None, None) => self.email.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewCustomer {
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub notes: Option<String>,
    pub card: PaymentSource,
}

/// Contact fields to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CustomerUpdate {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub notes: Option<String>,
    /// Make this existing card of the customer's the primary one.
    pub primary_card_id: Option<String>,
}
