//! Stripe's Customer object as a customer: one name split in two, the company in
//! metadata, and the default card as a PaymentMethod or a legacy source.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::cards::card;
use super::{id_of, time};
use crate::domain::{Customer, RawJson};
use crate::gateway::GatewayError;
use crate::gateway::record::{decode, malformed, string_metadata};

#[derive(Deserialize)]
struct StripeCustomer {
    id: String,
    #[serde(default)]
    deleted: bool,
    email: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    description: Option<String>,
    created: Option<i64>,
    metadata: Option<BTreeMap<String, Value>>,
    default_source: Option<Value>,
    invoice_settings: Option<InvoiceSettings>,
}

#[derive(Deserialize)]
struct InvoiceSettings {
    default_payment_method: Option<Value>,
}

/// Where paydeck keeps a customer's company, which Stripe has no field for.
pub const COMPANY_METADATA: &str = "company";

/// The ids of a customer's default PaymentMethod and default source, if any.
pub fn customer_defaults(raw: &RawValue) -> Result<Vec<String>, GatewayError> {
    let stripe: StripeCustomer = decode("customer", raw)?;
    Ok([
        id_of(
            stripe
                .invoice_settings
                .and_then(|s| s.default_payment_method)
                .as_ref(),
        ),
        id_of(stripe.default_source.as_ref()),
    ]
    .into_iter()
    .flatten()
    .collect())
}

pub fn customer(raw: &RawValue) -> Result<Customer, GatewayError> {
    let stripe: StripeCustomer = decode("customer", raw)?;
    if stripe.deleted {
        return Err(GatewayError::NotFound {
            message: format!("Customer {} has been deleted", stripe.id),
        });
    }
    let mut metadata = string_metadata(stripe.metadata);
    // Stripe keeps one name; the first word is taken as the first name, so that
    // `display_name` gives back the name as Stripe has it.
    let name = stripe.name.unwrap_or_default();
    let mut words = name.trim().splitn(2, ' ');
    let first_name = words.next().filter(|w| !w.is_empty()).map(String::from);
    let last_name = words
        .next()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(String::from);
    // The default card, where it came expanded.
    let expanded = stripe
        .invoice_settings
        .and_then(|s| s.default_payment_method)
        .filter(Value::is_object)
        .or(stripe.default_source.filter(Value::is_object));
    let primary_card = match expanded {
        Some(object) => {
            let text = serde_json::value::to_raw_value(&object)
                .map_err(|e| malformed("customer's card", e, raw))?;
            let mut card = card(&text)?;
            card.primary = true;
            Some(card)
        }
        None => None,
    };
    Ok(Customer {
        id: stripe.id,
        email: stripe.email.unwrap_or_default(),
        first_name,
        last_name,
        phone: stripe.phone.filter(|p| !p.is_empty()),
        company: metadata.remove(COMPANY_METADATA),
        notes: stripe.description.filter(|d| !d.is_empty()),
        created: time(stripe.created.unwrap_or(0), raw)?,
        primary_card,
        raw: RawJson::new(raw.get()),
    })
}
