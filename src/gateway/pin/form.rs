//! Pin's form fields for a write: amounts in minor units, how a charge or a customer
//! is paid for, and a customer's contact fields.

use crate::domain::{CustomerUpdate, PaymentSource};
use crate::gateway::Result;
use crate::money::Money;

pub(super) fn minor(amount: Money) -> Result<String> {
    Ok(amount.to_minor()?.to_string())
}

/// How a charge or customer is paid for, as Pin form fields.
pub(super) fn source_fields(source: &PaymentSource, fields: &mut Vec<(String, String)>) {
    match source {
        PaymentSource::Card(card) => {
            let mut put = |name: &str, value: String| fields.push((format!("card[{name}]"), value));
            put("number", card.number.expose().to_string());
            put("expiry_month", card.expiry_month.to_string());
            put("expiry_year", card.expiry_year.to_string());
            put("cvc", card.cvc.expose().to_string());
            put("name", card.name.clone());
            put("address_line1", card.address_line1.clone());
            put("address_city", card.address_city.clone());
            put("address_country", card.address_country.clone());
        }
        PaymentSource::CardToken(token) => fields.push(("card_token".into(), token.clone())),
        PaymentSource::Customer(id) => fields.push(("customer_token".into(), id.clone())),
    }
}

/// The fields of a customer that `contact` sets, as Pin names them (`contact::as_update`
/// gives a new customer's).
pub(super) fn contact_fields(contact: &CustomerUpdate) -> Vec<(String, String)> {
    let fields = [
        ("email", &contact.email),
        ("first_name", &contact.first_name),
        ("last_name", &contact.last_name),
        ("phone_number", &contact.phone),
        ("company", &contact.company),
        ("notes", &contact.notes),
        ("primary_card_token", &contact.primary_card_id),
    ];
    fields
        .into_iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| (name.to_string(), v.clone())))
        .collect()
}
