//! Charging a customer's saved card (phone and repeat orders). The card is the one the
//! gateway holds; paydeck never takes a card number.

use crossterm::event::{Event, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::super::effect::Effect;
use super::super::mode_keys::ModeAction;
use super::super::model::{Loadable, Mode, Model, ToastKind};
use super::super::msg::Answer;
use super::super::screens::customer;
use super::{DialogState, answered};
use crate::domain::Charge;
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

pub(crate) fn open(model: &mut Model) -> Vec<Effect> {
    let Some(pane) = customer::top_customer(model) else {
        return Vec::new();
    };
    let Loadable::Loaded(customer) = &pane.customer else {
        return Vec::new();
    };
    // `offers` has checked the card and that no charge for this customer is in flight.
    let Some(card) = &customer.primary_card else {
        return Vec::new();
    };
    let label = format!("{} ••{} (primary)", card.brand.label(), card.last4);
    // Repeat orders are usually in the currency of the last one.
    let currency = pane
        .charges
        .newest()
        .map_or(Currency::AUD, |c| c.currency());
    let dialog = NewChargeDialog::new(&customer.id, &customer.email, label, currency);
    model.mode = Mode::NewCharge(dialog);
    Vec::new()
}

/// A key the dialog takes itself, `action` in its mode's keys.
pub(super) fn on_key(model: &mut Model, action: Option<ModeAction>, key: KeyEvent) -> Vec<Effect> {
    let Mode::NewCharge(dialog) = &mut model.mode else {
        return Vec::new();
    };
    match action {
        Some(ModeAction::Send) => {
            let (Ok(amount), Ok(description)) = (dialog.amount(), dialog.description()) else {
                // Not complete (the dialog says why): Enter moves on, as Tab does.
                dialog.field = dialog.field.next();
                return Vec::new();
            };
            dialog.state = DialogState::Working;
            let customer_id = dialog.customer_id.clone();
            let effect = Effect::ChargeCustomer {
                key: model.key_mint.next_key(),
                customer_id: customer_id.clone(),
                email: dialog.email.clone(),
                amount,
                description,
                capture: dialog.capture,
            };
            model.busy.insert(customer_id, "charge");
            model.sent_at = Some(model.now);
            vec![effect]
        }
        Some(ModeAction::NextField) => {
            dialog.field = dialog.field.next();
            Vec::new()
        }
        Some(ModeAction::PreviousField) => {
            for _ in 0..3 {
                dialog.field = dialog.field.next();
            }
            Vec::new()
        }
        Some(ModeAction::Toggle) if dialog.field == ChargeField::Capture => {
            dialog.capture = !dialog.capture;
            Vec::new()
        }
        _ => {
            dialog.state = DialogState::Editing;
            let event = Event::Key(key);
            match dialog.field {
                ChargeField::Amount => dialog.amount.handle_event(&event),
                ChargeField::Currency => dialog.currency.handle_event(&event),
                ChargeField::Description => dialog.description.handle_event(&event),
                ChargeField::Capture => None,
            };
            Vec::new()
        }
    }
}

/// The gateway's answer to the charge of a customer's card.
pub(crate) fn on_done(model: &mut Model, charged: Answer<Box<Charge>>) -> Vec<Effect> {
    let (customer_id, result) = (charged.id.as_str(), charged.result);
    let open = matches!(&model.mode, Mode::NewCharge(d) if d.customer_id == customer_id);
    let failed = || format!("Charging {customer_id}");
    let Some(charge) = answered(model, customer_id, open, result, failed) else {
        return Vec::new();
    };
    let text = format!("{} {} on {}", charge.status, charge.amount, charge.id);
    for pane in customer::customer_panes(model, customer_id) {
        pane.charges.merge_newer(vec![(*charge).clone()]);
    }
    model.toast(ToastKind::Success, text);
    Vec::new()
}
