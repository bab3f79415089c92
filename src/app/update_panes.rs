//! `update` for the screens above the charges list: opening them, and taking in what the
//! gateway sends back for customers, cards, subscriptions, refunds and single charges.

use super::confirm::Irreversible;
use super::dialog::DialogState;
use super::effect::Effect;
use super::model::{Loadable, Mode, Model, ToastKind};
use super::panes::{
    ChargePane, CustomerPane, CustomersPane, DisputesPane, Pane, RefundsPane, customer_matches,
    dispute_order,
};
use crate::domain::{Card, Charge, ChargeStatus, Customer, Dispute, Page, Refund, Subscription};
use crate::gateway::{GatewayError, OperationKey};

/// Says, in neutral words, that this gateway has no `what`; the screen is not opened.
pub(super) fn not_here(model: &mut Model, what: &str) -> Vec<Effect> {
    let text = format!("{} has no {what} paydeck can read", model.session.gateway);
    model.toast(ToastKind::Info, text);
    Vec::new()
}

pub(super) fn open_customers(model: &mut Model) -> Vec<Effect> {
    if !model.session.caps.customers {
        return not_here(model, "customers");
    }
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
    if !model.session.caps.customers {
        return not_here(model, "customers");
    }
    model
        .panes
        .push(Pane::Customer(Box::new(CustomerPane::new(id))));
    model.touch();
    vec![Effect::LoadCustomer(id.to_string())]
}

pub(super) fn open_refunds(model: &mut Model) -> Vec<Effect> {
    if !model.session.caps.refund_list {
        let text = format!(
            "{} has no list of all refunds; a charge's refunds are on the charge (Enter)",
            model.session.gateway
        );
        model.toast(ToastKind::Info, text);
        return Vec::new();
    }
    if matches!(model.pane(), Some(Pane::Refunds(_))) {
        return Vec::new();
    }
    let mut pane = RefundsPane::default();
    pane.list.loading = true;
    model.panes.push(Pane::Refunds(pane));
    model.touch();
    vec![Effect::LoadRefundList(None)]
}

/// A charge on its own. The held copy shows at once, and the gateway's is asked for
/// anyway: a list's copy may be older than what happened to it since (a dispute).
pub(super) fn open_charge(model: &mut Model, id: &str) -> Vec<Effect> {
    let held = model.find_charge(id).cloned();
    let mut effects = vec![
        Effect::LoadRefunds(id.to_string()),
        Effect::LoadCharge(id.to_string()),
    ];
    let (dispute, more) = super::keys::dispute_of(model, id);
    effects.extend(more);
    let mut pane = ChargePane::new(id, held);
    pane.detail.dispute = dispute;
    model.panes.push(Pane::Charge(Box::new(pane)));
    model.touch();
    effects
}

/// The charge of a dispute chosen on the disputes screen: the same pane, with the
/// dispute already known, so its section and its keys are there at once.
pub(super) fn open_disputed_charge(model: &mut Model, dispute: Dispute) -> Vec<Effect> {
    let mut effects = open_charge(model, &dispute.charge_id);
    effects.retain(|e| !matches!(e, Effect::LoadChargeDispute(_)));
    if let Some(Pane::Charge(pane)) = model.panes.last_mut() {
        pane.detail.dispute = Loadable::Loaded(Some(dispute));
    }
    effects
}

/// For an open charge the gateway now says is disputed, whose dispute is not yet
/// known: ask for it, so the detail shows it and its keys work.
pub(super) fn load_disputes_now_known(model: &mut Model, charge: &Charge) -> Vec<Effect> {
    if charge.status != ChargeStatus::Disputed || !model.session.caps.disputes {
        return Vec::new();
    }
    let panes = model.panes.iter_mut().filter_map(|pane| match pane {
        Pane::Charge(pane) => Some(&mut pane.detail),
        _ => None,
    });
    let mut wanted = false;
    for detail in model.detail.iter_mut().chain(panes) {
        if detail.charge_id == charge.id && detail.dispute == Loadable::Loaded(None) {
            detail.dispute = Loadable::Loading;
            wanted = true;
        }
    }
    if wanted {
        vec![Effect::LoadChargeDispute(charge.id.clone())]
    } else {
        Vec::new()
    }
}

pub(super) fn open_disputes(model: &mut Model) -> Vec<Effect> {
    if !model.session.caps.disputes {
        return not_here(model, "disputes");
    }
    if matches!(model.pane(), Some(Pane::Disputes(_))) {
        return Vec::new();
    }
    let mut pane = DisputesPane::default();
    pane.list.loading = true;
    model.panes.push(Pane::Disputes(pane));
    model.touch();
    vec![Effect::LoadDisputes(None)]
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
    let more = more_for_filter(pane);
    model.touch();
    more
}

/// The most customers a filter loads on its own to search through.
pub(super) const FILTER_LOADS_UP_TO: usize = 5_000;

/// No gateway searches customers by name, so while a filter is in force the next page
/// is loaded on its own, up to a bound, and the screen says how far the search has got.
pub(super) fn more_for_filter(pane: &mut CustomersPane) -> Vec<Effect> {
    let list = &mut pane.list;
    let wanted = !list.filter_text.is_empty() && list.error.is_none() && !list.loading;
    match &list.next {
        Some(next) if wanted && list.len() < FILTER_LOADS_UP_TO => {
            list.loading = true;
            vec![Effect::LoadCustomers(Some(next.clone()))]
        }
        _ => Vec::new(),
    }
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
    // A gateway without subscriptions answers "unsupported": that is no failure, and
    // the box says so in plain words.
    let result = if model.session.caps.subscriptions {
        result
    } else {
        Ok(Vec::new())
    };
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
            load_disputes_now_known(model, &charge)
        }
        Err(e) => {
            for pane in &mut model.panes {
                if let Pane::Charge(pane) = pane {
                    // A copy already shown stays: the newer one just could not be read.
                    if pane.detail.charge_id == id && !matches!(pane.charge, Loadable::Loaded(_)) {
                        pane.charge = Loadable::Failed(e.to_string());
                    }
                }
            }
            model.touch();
            Vec::new()
        }
    }
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

pub(super) fn on_confirmed_done(
    model: &mut Model,
    key: &OperationKey,
    action: &Irreversible,
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
            let customer = action.customer_id().unwrap_or_default().to_string();
            match action {
                Irreversible::DeleteCustomer { .. } => {
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
                Irreversible::DeleteCard { card_id, .. } => {
                    model.toast(ToastKind::Success, format!("Deleted card {card_id}"));
                    vec![Effect::LoadCustomer(customer)]
                }
                Irreversible::CloseDispute { dispute_id } => {
                    model.toast(ToastKind::Success, format!("Accepted dispute {dispute_id}"));
                    // Its charge is read again too: accepting moves its money for good.
                    let charge = charge_of_dispute(model, dispute_id).map(Effect::LoadCharge);
                    std::iter::once(Effect::LoadDispute(dispute_id.clone()))
                        .chain(charge)
                        .collect()
                }
                Irreversible::CancelSubscription {
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

/// The charge a dispute shown somewhere is about.
fn charge_of_dispute(model: &Model, dispute_id: &str) -> Option<String> {
    let in_detail = |detail: &super::model::Detail| match &detail.dispute {
        Loadable::Loaded(Some(d)) if d.id == dispute_id => Some(d.charge_id.clone()),
        _ => None,
    };
    model
        .panes
        .iter()
        .find_map(|pane| match pane {
            Pane::Disputes(pane) => pane
                .list
                .items()
                .iter()
                .find(|d| d.id == dispute_id)
                .map(|d| d.charge_id.clone()),
            Pane::Charge(pane) => in_detail(&pane.detail),
            _ => None,
        })
        .or_else(|| model.detail.as_ref().and_then(in_detail))
}

fn disputes_pane(model: &mut Model) -> Option<&mut DisputesPane> {
    model.panes.iter_mut().rev().find_map(|pane| match pane {
        Pane::Disputes(disputes) => Some(disputes),
        _ => None,
    })
}

pub(super) fn on_disputes(
    model: &mut Model,
    result: Result<Page<Dispute>, GatewayError>,
) -> Vec<Effect> {
    let Some(pane) = disputes_pane(model) else {
        return Vec::new();
    };
    match result {
        Ok(page) => {
            pane.list.append(page, |_| true);
            pane.list.sort_by(dispute_order, |_| true);
        }
        Err(e) => {
            pane.list.loading = false;
            pane.list.error = Some(e.to_string());
        }
    }
    model.touch();
    Vec::new()
}

/// A dispute as it is now: into the list, into any open charge's detail, and, when it
/// answers evidence the operator submitted, closing that dialog.
pub(super) fn on_dispute(
    model: &mut Model,
    key: Option<&OperationKey>,
    result: Result<Box<Dispute>, GatewayError>,
) -> Vec<Effect> {
    model.touch();
    let dialog = match &model.mode {
        Mode::Evidence(d) if key.is_some() => Some(d.dispute_id.clone()),
        _ => None,
    };
    match result {
        Ok(dispute) => {
            model.busy.remove(&dispute.id);
            if let Some(pane) = disputes_pane(model) {
                let id = dispute.id.clone();
                pane.list
                    .replace(|d| d.id == id, Some((*dispute).clone()), |_| true);
            }
            set_charge_dispute(
                model,
                &dispute.charge_id,
                Loadable::Loaded(Some((*dispute).clone())),
            );
            if key.is_some() {
                if dialog.as_deref() == Some(dispute.id.as_str()) {
                    model.mode = Mode::Normal;
                }
                model.toast(
                    ToastKind::Success,
                    format!(
                        "Evidence submitted for {}: {}",
                        dispute.id,
                        dispute.status.label()
                    ),
                );
            }
        }
        Err(e) => {
            if let Some(id) = &dialog {
                model.busy.remove(id);
            }
            let words = e.to_string();
            match &mut model.mode {
                Mode::Evidence(d) if dialog.is_some() => d.state = DialogState::Failed(words),
                _ => model.toast(
                    ToastKind::Error,
                    format!("Could not read the dispute: {words}"),
                ),
            }
        }
    }
    Vec::new()
}

pub(super) fn on_charge_dispute(
    model: &mut Model,
    charge_id: &str,
    result: Result<Option<Box<Dispute>>, GatewayError>,
) -> Vec<Effect> {
    let loaded = match result {
        Ok(dispute) => Loadable::Loaded(dispute.map(|d| *d)),
        Err(e) => Loadable::Failed(e.to_string()),
    };
    set_charge_dispute(model, charge_id, loaded);
    model.touch();
    Vec::new()
}

fn set_charge_dispute(model: &mut Model, charge_id: &str, dispute: Loadable<Option<Dispute>>) {
    let panes = model.panes.iter_mut().filter_map(|pane| match pane {
        Pane::Charge(pane) => Some(&mut pane.detail),
        _ => None,
    });
    for detail in model.detail.iter_mut().chain(panes) {
        if detail.charge_id == charge_id {
            detail.dispute = dispute.clone();
        }
    }
}
