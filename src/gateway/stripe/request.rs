//! How paydeck's requests are written for Stripe: the `/v1` paths, the pinned version,
//! the operation key as `Idempotency-Key`, and form bodies in bracket notation.

use reqwest::Method;

use super::API_VERSION;
use crate::domain::PaymentSource;
use crate::gateway::http::Request;
use crate::gateway::{OperationKey, Result};
use crate::money::Money;

/// Stripe's own refund reasons; any other text goes only into metadata.
const REFUND_REASONS: [&str; 3] = ["duplicate", "fraudulent", "requested_by_customer"];
/// Stripe refuses metadata values longer than this.
pub(super) const METADATA_VALUE_MAX: usize = 500;

/// A form body in Stripe's bracket notation.
#[derive(Default)]
pub(super) struct Form(Vec<(String, String)>);

impl Form {
    pub(super) fn put(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Form {
        self.0.push((name.into(), value.into()));
        self
    }

    pub(super) fn put_some(&mut self, name: &str, value: Option<&String>) -> &mut Form {
        if let Some(value) = value {
            self.put(name, value.clone());
        }
        self
    }
}

pub(super) fn get(path: impl AsRef<str>) -> Request {
    Request::get(format!("v1/{}", path.as_ref())).header("Stripe-Version", API_VERSION)
}

/// A mutating request: form body, pinned version and the operation's key.
pub(super) fn write_request(
    method: Method,
    path: impl AsRef<str>,
    form: Form,
    key: &OperationKey,
) -> Request {
    Request::new(method, format!("v1/{}", path.as_ref()))
        .form(form.0)
        .header("Stripe-Version", API_VERSION)
        .header("Idempotency-Key", key.as_str())
}

pub(super) fn minor(amount: Money) -> Result<String> {
    Ok(amount.to_minor()?.to_string())
}

/// At most `max` characters, cut on a character boundary.
pub(super) fn truncated(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Stripe's `reason` for the operator's text, when the text is one of Stripe's reasons.
pub(super) fn stripe_reason(text: &str) -> Option<&'static str> {
    let normal = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    REFUND_REASONS.into_iter().find(|r| *r == normal)
}

/// How a charge or customer is paid for, as Stripe form fields.
pub(super) fn source_fields(source: &PaymentSource, form: &mut Form) {
    match source {
        // Legacy charges take card, token and source ids; a PaymentMethod is
        // attached to a customer first (see `add_card`).
        PaymentSource::CardToken(token) => {
            form.put("source", token.clone());
        }
        PaymentSource::Customer(id) => {
            form.put("customer", id.clone());
        }
        // The legacy card hash, for test cards; paydeck's screens never take a number.
        PaymentSource::Card(card) => {
            form.put("source[object]", "card")
                .put("source[number]", card.number.expose())
                .put("source[exp_month]", card.expiry_month.to_string())
                .put("source[exp_year]", card.expiry_year.to_string())
                .put("source[cvc]", card.cvc.expose())
                .put("source[name]", card.name.clone())
                .put("source[address_line1]", card.address_line1.clone())
                .put("source[address_city]", card.address_city.clone())
                .put("source[address_country]", card.address_country.clone());
        }
    }
}

/// Stripe keeps one name: the first and last names joined.
pub(super) fn full_name(first: Option<&String>, last: Option<&String>) -> Option<String> {
    let parts: Vec<&str> = [first, last]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_stripe_reasons_become_the_reason() {
        assert_eq!(
            stripe_reason("Requested by customer"),
            Some("requested_by_customer")
        );
        assert_eq!(stripe_reason(" duplicate "), Some("duplicate"));
        assert_eq!(stripe_reason("FRAUDULENT"), Some("fraudulent"));
        assert_eq!(stripe_reason("damaged in transit"), None);
    }

    #[test]
    fn names_join_and_long_text_is_cut() {
        let (ada, love) = (String::from("Ada"), String::from(" Lovelace "));
        assert_eq!(
            full_name(Some(&ada), Some(&love)).as_deref(),
            Some("Ada Lovelace")
        );
        assert_eq!(full_name(None, None), None);
        assert_eq!(truncated(&"é".repeat(600), 500).chars().count(), 500);
    }
}
