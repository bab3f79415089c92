//! Charging a customer's saved card (phone and repeat orders). The card is the one the
//! gateway holds; paydeck never takes a card number.

use tui_input::Input;

use super::dialog::DialogState;
use crate::money::{Currency, Money, parse_amount};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeField {
    Amount,
    Currency,
    Description,
    Capture,
}

impl ChargeField {
    pub fn next(self) -> ChargeField {
        match self {
            ChargeField::Amount => ChargeField::Currency,
            ChargeField::Currency => ChargeField::Description,
            ChargeField::Description => ChargeField::Capture,
            ChargeField::Capture => ChargeField::Amount,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewChargeDialog {
    pub customer_id: String,
    pub email: String,
    /// The saved card that will be charged, as shown: "Visa ••4242 (primary)".
    pub card: String,
    pub amount: Input,
    pub currency: Input,
    pub description: Input,
    /// False authorises only.
    pub capture: bool,
    pub field: ChargeField,
    pub state: DialogState,
}

impl NewChargeDialog {
    pub fn new(
        customer_id: &str,
        email: &str,
        card: String,
        currency: Currency,
    ) -> NewChargeDialog {
        NewChargeDialog {
            customer_id: customer_id.to_string(),
            email: email.to_string(),
            card,
            amount: Input::default(),
            currency: Input::new(currency.code().to_string()),
            description: Input::default(),
            capture: true,
            field: ChargeField::Amount,
            state: DialogState::Editing,
        }
    }

    pub fn currency(&self) -> Result<Currency, String> {
        Currency::from_code(self.currency.value()).map_err(|e| e.to_string())
    }

    /// The amount as typed, in the currency as typed.
    pub fn amount(&self) -> Result<Money, String> {
        let currency = self.currency()?;
        parse_amount(self.amount.value(), currency).map_err(|e| e.to_string())
    }

    pub fn description(&self) -> Result<String, String> {
        let text = self.description.value().trim();
        if text.is_empty() {
            Err("Describe the charge; the customer sees it".into())
        } else {
            Ok(text.to_string())
        }
    }

    /// Exactly what Enter will do, or the first reason it cannot yet.
    pub fn confirmation(&self) -> Result<String, String> {
        let amount = self.amount()?;
        let description = self.description()?;
        let verb = if self.capture { "Charge" } else { "Authorise" };
        Ok(format!(
            "{verb} {amount} on {} ({}) for \"{description}\"",
            self.card, self.email
        ))
    }
}
