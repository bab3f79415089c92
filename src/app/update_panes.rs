//! `update` for the screens above the charges list: opening them, and taking in what the
//! gateway sends back for customers, cards, subscriptions, refunds and single charges.

use super::confirm::CustomerAction;
use super::dialog::DialogState;
use super::effect::Effect;
use super::model::{Loadable, Mode, Model, ToastKind};
use super::panes::{ChargePane, CustomerPane, CustomersPane, Pane, RefundsPane, customer_matches};
use crate::domain::{Card, Charge, Customer, Page, Refund, Subscription};
use crate::gateway::{GatewayError, OperationKey};

pub(super) fn open_customers(model: &mut Model) -> Vec<Effect> {
    if matches!(model.pane(), Some(Pane::Customers(_))) {
        return Vec::new();
    }
    let mut pane = CustomersPane::default();
    pane.list.loading = true;
    model.panes.push(Pane::Customers(pane));
    model.touch();
    vec![Effect::LoadCustomers(None)]
}

pub(super) fn open_customer(model: &mut Model, id: &str) -> Vec<Effect> {
    model
        .panes
        .push(Pane::Customer(Box::new(CustomerPane::new(id))));
    model.touch();
    vec![Effect::LoadCustomer(id.to_string())]
}

pub(super) fn open_refunds(model: &mut Model) -> Vec<Effect> {
    if matches!(model.pane(), Some(Pane::Refunds(_))) {
        return Vec::new();
    }
    let mut pane = RefundsPane::default();
    pane.list.loading = true;
    model.panes.push(Pane::Refunds(pane));
    model.touch();
    vec![Effect::LoadRefundList(None)]
}

pub(super) fn open_charge(model: &mut Model, id: &str) -> Vec<Effect> {
    let held = model.find_charge(id).cloned();
    let mut effects = vec![Effect::LoadRefunds(id.to_string())];
    if held.is_none() {
        effects.push(Effect::LoadCharge(id.to_string()));
    }
    model
        .panes
        .push(Pane::Charge(Box::new(ChargePane::new(id, held))));
    model.touch();
    effects
}

/// Every open customer pane for this customer.
fn customer_panes<'a>(
    model: &'a mut Model,
    id: &'a str,
) -> impl Iterator<Item = &'a mut CustomerPane> {
    model.panes.iter_mut().filter_map(move |pane| match pane {
        Pane::Customer(customer) if customer.id == id => Some(customer.as_mut()),
        _ => None,
    })
}

fn customers_pane(model: &mut Model) -> Option<&mut CustomersPane> {
    model.panes.iter_mut().rev().find_map(|pane| match pane {
        Pane::Customers(customers) => Some(customers),
        _ => None,
    })
}

fn loadable<T>(result: Result<T, GatewayError>) -> Loadable<T> {
    match result {
        Ok(value) => Loadable::Loaded(value),
        Err(e) => Loadable::Failed(e.to_string()),
    }
}

pub(super) fn on_customers(
    model: &mut Model,
    result: Result<Page<Customer>, GatewayError>,
) -> Vec<Effect> {
    let Some(pane) = customers_pane(model) else {
        return Vec::new();
    };
    match result {
        Ok(page) => {
            let text = pane.list.filter_text.clone();
            pane.list.append(page, customer_matches(&text));
        }
        Err(e) => {
            pane.list.loading = false;
            pane.list.error = Some(e.to_string());
        }
    }
    model.touch();
    Vec::new()
}

pub(super) fn on_customer(
    model: &mut Model,
    id: &str,
    result: Result<Customer, GatewayError>,
) -> Vec<Effect> {
    let loaded = loadable(result);
    for pane in customer_panes(model, id) {
        pane.customer = loaded.clone();
    }
    model.touch();
    Vec::new()
}

pub(super) fn on_cards(
    model: &mut Model,
    id: &str,
    result: Result<Vec<Card>, GatewayError>,
) -> Vec<Effect> {
    let loaded = loadable(result);
    for pane in customer_panes(model, id) {
        if let Loadable::Loaded(cards) = &loaded {
            pane.card_row = pane.card_row.min(cards.len().saturating_sub(1));
        }
        pane.cards = loaded.clone();
    }
    model.touch();
    Vec::new()
}

pub(super) fn on_subscriptions(
    model: &mut Model,
    id: &str,
    result: Result<Vec<Subscription>, GatewayError>,
) -> Vec<Effect> {
    let loaded = loadable(result);
    for pane in customer_panes(model, id) {
        if let Loadable::Loaded(subs) = &loaded {
            pane.subscription_row = pane.subscription_row.min(subs.len().saturating_sub(1));
        }
        pane.subscriptions = loaded.clone();
    }
    model.touch();
    Vec::new()
}

pub(super) fn on_customer_charges(
    model: &mut Model,
    id: &str,
    result: Result<Page<Charge>, GatewayError>,
) -> Vec<Effect> {
    let mut failed = None;
    for pane in customer_panes(model, id) {
        pane.charges_loading = false;
        match &result {
            Ok(page) => {
                pane.charges_loaded = true;
                pane.charges_next = page.next.clone();
                pane.charges.append_older(page.items.clone());
            }
            Err(e) => failed = Some(e.to_string()),
        }
    }
    if let Some(why) = failed {
        model.toast(
            ToastKind::Error,
            format!("Could not load the customer's charges: {why}"),
        );
    }
    model.touch();
    Vec::new()
}

pub(super) fn on_refund_list(
    model: &mut Model,
    result: Result<Page<Refund>, GatewayError>,
) -> Vec<Effect> {
    let Some(Pane::Refunds(pane)) = model
        .panes
        .iter_mut()
        .rev()
        .find(|p| matches!(p, Pane::Refunds(_)))
    else {
        return Vec::new();
    };
    match result {
        Ok(page) => {
            let filter = pane.filter.clone();
            pane.list.append(page, |r| filter.matches(r));
        }
        Err(e) => {
            pane.list.loading = false;
            pane.list.error = Some(e.to_string());
        }
    }
    model.touch();
    Vec::new()
}

pub(super) fn on_charge_loaded(
    model: &mut Model,
    id: &str,
    result: Result<Box<Charge>, GatewayError>,
) -> Vec<Effect> {
    match result {
        Ok(charge) => {
            model.update_charge(&charge);
        }
        Err(e) => {
            for pane in &mut model.panes {
                if let Pane::Charge(pane) = pane {
                    if pane.detail.charge_id == id {
                        pane.charge = Loadable::Failed(e.to_string());
                    }
                }
            }
            model.touch();
        }
    }
    Vec::new()
}

pub(super) fn on_verified(
    model: &mut Model,
    session: &str,
    result: Result<Box<Charge>, GatewayError>,
) -> Vec<Effect> {
    match result {
        Ok(charge) => {
            let text = format!("3-D Secure verified: {} is {}", charge.id, charge.status);
            model.busy.remove(&charge.id);
            model.update_charge(&charge);
            model.toast(ToastKind::Success, text);
        }
        Err(e) => {
            model.busy.retain(|_, what| *what != "verify");
            model.toast(ToastKind::Error, format!("Verifying {session} failed: {e}"));
        }
    }
    Vec::new()
}

pub(super) fn on_customer_action_done(
    model: &mut Model,
    key: &OperationKey,
    action: &CustomerAction,
    result: Result<(), GatewayError>,
) -> Vec<Effect> {
    model.busy.remove(action.target());
    model.touch();
    let dialog_open = matches!(&model.mode, Mode::Confirm(d) if d.action == *action);
    match result {
        Ok(()) => {
            tracing::info!(%key, action = action.name(), target = action.target(), "customer action done");
            if dialog_open {
                model.mode = Mode::Normal;
            }
            let customer = action.customer_id().to_string();
            match action {
                CustomerAction::DeleteCustomer { .. } => {
                    model
                        .panes
                        .retain(|p| !matches!(p, Pane::Customer(c) if c.id == customer));
                    if let Some(pane) = customers_pane(model) {
                        let text = pane.list.filter_text.clone();
                        pane.list
                            .replace(|c| c.id == customer, None, customer_matches(&text));
                    }
                    model.toast(ToastKind::Success, format!("Deleted customer {customer}"));
                    Vec::new()
                }
                CustomerAction::DeleteCard { card_id, .. } => {
                    model.toast(ToastKind::Success, format!("Deleted card {card_id}"));
                    vec![Effect::LoadCustomer(customer)]
                }
                CustomerAction::CancelSubscription {
                    subscription_id, ..
                } => {
                    model.toast(
                        ToastKind::Success,
                        format!("Cancelled subscription {subscription_id}"),
                    );
                    vec![Effect::LoadCustomer(customer)]
                }
            }
        }
        Err(e) => {
            let words = e.to_string();
            match &mut model.mode {
                Mode::Confirm(dialog) if dialog_open => dialog.state = DialogState::Failed(words),
                _ => model.toast(
                    ToastKind::Error,
                    format!("{} of {} failed: {words}", action.name(), action.target()),
                ),
            }
            Vec::new()
        }
    }
}

pub(super) fn on_customer_charged(
    model: &mut Model,
    customer_id: &str,
    result: Result<Box<Charge>, GatewayError>,
) -> Vec<Effect> {
    model.busy.remove(customer_id);
    model.touch();
    let dialog_open = matches!(&model.mode, Mode::NewCharge(d) if d.customer_id == customer_id);
    match result {
        Ok(charge) => {
            if dialog_open {
                model.mode = Mode::Normal;
            }
            let text = format!("{} {} on {}", charge.status, charge.amount, charge.id);
            for pane in customer_panes(model, customer_id) {
                pane.charges.merge_newer(vec![(*charge).clone()]);
            }
            model.toast(ToastKind::Success, text);
        }
        Err(e) => {
            let words = e.to_string();
            match &mut model.mode {
                Mode::NewCharge(dialog) if dialog_open => dialog.state = DialogState::Failed(words),
                _ => model.toast(
                    ToastKind::Error,
                    format!("Charging {customer_id} failed: {words}"),
                ),
            }
        }
    }
    Vec::new()
}
