//! What keys do on the screens above the charges list: customers, one customer, refunds
//! and a single charge. Keys that mean the same everywhere (help, commands, actions on
//! a charge) are handled in `keys` before these.

use super::confirm::{ConfirmDialog, Irreversible};
use super::effect::Effect;
use super::keymap::Intent;
use super::listing::Listing;
use super::model::{Loadable, Mode, Model, ToastKind};
use super::new_charge::NewChargeDialog;
use super::panes::{CustomerPane, Pane, Section};
use super::update::screen_rect;
use super::update_panes;
use crate::domain::Cursor;
use crate::money::Currency;

/// A text's scroll position moved by `delta` lines, never above its first line nor
/// past the point where its last line is at the bottom (`max`). A position stored
/// beyond `max` (the text shrank since) counts as `max`, so one key up shows a change.
pub(super) fn scrolled(current: u16, delta: isize, max: u16) -> u16 {
    let from = i64::from(current.min(max));
    let delta = i64::try_from(delta).unwrap_or(if delta < 0 { i64::MIN } else { i64::MAX });
    let to = from.saturating_add(delta).clamp(0, i64::from(max));
    u16::try_from(to).unwrap_or(max)
}

/// Rows the list on screen shows, for paging keys.
pub(super) fn list_rows(model: &Model) -> usize {
    crate::ui::layout::list_body_rows(screen_rect(model), model).max(1)
}

/// How far a movement key moves, in rows.
pub(super) fn movement(intent: Intent, rows: usize) -> Option<isize> {
    let rows = rows as isize;
    Some(match intent {
        Intent::Up => -1,
        Intent::Down => 1,
        Intent::PageUp => -rows,
        Intent::PageDown => rows,
        Intent::HalfPageUp => -(rows / 2).max(1),
        Intent::HalfPageDown => (rows / 2).max(1),
        Intent::Top => isize::MIN / 2,
        Intent::Bottom => isize::MAX / 2,
        _ => return None,
    })
}

pub(super) fn on_key(model: &mut Model, intent: Intent) -> Vec<Effect> {
    let rows = list_rows(model);
    let delta = movement(intent, rows);
    let max_scroll = crate::ui::detail_max_scroll(model, screen_rect(model));
    model.touch();
    match model.panes.last_mut() {
        Some(Pane::Customers(pane)) => {
            let list = &mut pane.list;
            if let Some(delta) = delta {
                return move_in_listing(list, delta, rows)
                    .map(Effect::LoadCustomers)
                    .into_iter()
                    .collect();
            }
            match intent {
                Intent::Open => match list.selected().map(|c| c.id.clone()) {
                    Some(id) => update_panes::open_customer(model, &id),
                    None => Vec::new(),
                },
                Intent::Copy => list
                    .selected()
                    .map(|c| Effect::Copy(c.id.clone()))
                    .into_iter()
                    .collect(),
                Intent::Refresh => {
                    model.panes.pop();
                    update_panes::open_customers(model)
                }
                _ => Vec::new(),
            }
        }
        Some(Pane::Refunds(pane)) => {
            let list = &mut pane.list;
            if let Some(delta) = delta {
                return move_in_listing(list, delta, rows)
                    .map(Effect::LoadRefundList)
                    .into_iter()
                    .collect();
            }
            match intent {
                Intent::Open => match list.selected().map(|r| r.charge_id.clone()) {
                    Some(id) => update_panes::open_charge(model, &id),
                    None => Vec::new(),
                },
                Intent::Copy => list
                    .selected()
                    .map(|r| Effect::Copy(r.id.clone()))
                    .into_iter()
                    .collect(),
                Intent::Refresh => {
                    model.panes.pop();
                    update_panes::open_refunds(model)
                }
                _ => Vec::new(),
            }
        }
        Some(Pane::Disputes(pane)) => {
            let list = &mut pane.list;
            if let Some(delta) = delta {
                return move_in_listing(list, delta, rows)
                    .map(Effect::LoadDisputes)
                    .into_iter()
                    .collect();
            }
            match intent {
                Intent::Open => match list.selected().cloned() {
                    Some(dispute) => update_panes::open_disputed_charge(model, dispute),
                    None => Vec::new(),
                },
                Intent::Copy => list
                    .selected()
                    .map(|d| Effect::Copy(d.id.clone()))
                    .into_iter()
                    .collect(),
                Intent::Refresh => {
                    model.panes.pop();
                    update_panes::open_disputes(model)
                }
                _ => Vec::new(),
            }
        }
        Some(Pane::Charge(pane)) => {
            if let Some(delta) = delta {
                pane.detail.scroll = scrolled(pane.detail.scroll, delta, max_scroll);
                return Vec::new();
            }
            let id = pane.detail.charge_id.clone();
            match intent {
                Intent::RawJson => {
                    pane.detail.raw = !pane.detail.raw;
                    pane.detail.scroll = 0;
                    Vec::new()
                }
                Intent::Copy => vec![Effect::Copy(id)],
                Intent::Refresh => {
                    pane.detail.refunds = Loadable::Loading;
                    vec![Effect::LoadCharge(id.clone()), Effect::LoadRefunds(id)]
                }
                _ => Vec::new(),
            }
        }
        Some(Pane::Customer(pane)) => {
            if let Some(delta) = delta {
                move_in_section(pane, delta, rows);
                return more_charges(pane);
            }
            on_customer_key(model, intent)
        }
        None => Vec::new(),
    }
}

/// Moves a listing's selection; when it nears the end of what is loaded, marks the next
/// page as loading and returns where it starts.
fn move_in_listing<T>(list: &mut Listing<T>, delta: isize, rows: usize) -> Option<Option<Cursor>> {
    list.move_by(delta);
    list.scroll_into_view(rows);
    list.wants_more(rows).then(|| {
        list.loading = true;
        list.next.clone()
    })
}

fn move_in_section(pane: &mut CustomerPane, delta: isize, rows: usize) {
    let clamp =
        |row: usize, len: usize| row.saturating_add_signed(delta).min(len.saturating_sub(1));
    match pane.section {
        Section::Charges => {
            pane.charges.move_by(delta);
            pane.charges.scroll_into_view(rows);
        }
        Section::Cards => {
            if let Loadable::Loaded(cards) = &pane.cards {
                pane.card_row = clamp(pane.card_row, cards.len());
            }
        }
        Section::Subscriptions => {
            if let Loadable::Loaded(subs) = &pane.subscriptions {
                pane.subscription_row = clamp(pane.subscription_row, subs.len());
            }
        }
    }
}

/// The customer's next page of charges when the selection nears the end.
fn more_charges(pane: &mut CustomerPane) -> Vec<Effect> {
    let near_end = pane.charges.selected_row() + 50 >= pane.charges.visible_len();
    match &pane.charges_next {
        Some(next) if near_end && !pane.charges_loading && pane.section == Section::Charges => {
            pane.charges_loading = true;
            vec![Effect::LoadCustomerCharges {
                customer_id: pane.id.clone(),
                cursor: Some(next.clone()),
            }]
        }
        _ => Vec::new(),
    }
}

fn on_customer_key(model: &mut Model, intent: Intent) -> Vec<Effect> {
    let read_only = model.session.read_only;
    let Some(Pane::Customer(pane)) = model.panes.last_mut() else {
        return Vec::new();
    };
    let mutating = matches!(
        intent,
        Intent::DeleteCard
            | Intent::CancelSubscription
            | Intent::DeleteCustomer
            | Intent::NewCharge
    );
    if mutating && read_only {
        model.toast(ToastKind::Info, "Read-only: changes to customers are off");
        return Vec::new();
    }
    match intent {
        Intent::SwitchFocus => {
            pane.section = pane.section.next();
            Vec::new()
        }
        Intent::Open if pane.section == Section::Charges => {
            match pane.charges.selected().map(|c| c.id.clone()) {
                Some(id) => update_panes::open_charge(model, &id),
                None => Vec::new(),
            }
        }
        Intent::Copy => vec![Effect::Copy(pane.id.clone())],
        Intent::Refresh => {
            let id = pane.id.clone();
            **pane = CustomerPane {
                section: pane.section,
                ..CustomerPane::new(&id)
            };
            vec![Effect::LoadCustomer(id)]
        }
        Intent::DeleteCard => delete_card(model),
        Intent::CancelSubscription => cancel_subscription(model),
        Intent::DeleteCustomer => delete_customer(model),
        Intent::NewCharge => new_charge(model),
        _ => Vec::new(),
    }
}

fn top_customer(model: &Model) -> Option<&CustomerPane> {
    match model.pane() {
        Some(Pane::Customer(pane)) => Some(pane),
        _ => None,
    }
}

/// Opens a confirmation unless something of the target is already in flight.
fn confirm(model: &mut Model, dialog: ConfirmDialog) -> Vec<Effect> {
    if let Some(what) = model.busy.get(dialog.action.target()) {
        let text = format!("A {what} of {} is still in flight", dialog.action.target());
        model.toast(ToastKind::Info, text);
        return Vec::new();
    }
    model.mode = Mode::Confirm(dialog);
    Vec::new()
}

fn delete_card(model: &mut Model) -> Vec<Effect> {
    if !model.session.caps.customers {
        return update_panes::not_here(model, "saved cards");
    }
    let caps = model.session.caps;
    let gateway = model.session.gateway;
    let Some(pane) = top_customer(model) else {
        return Vec::new();
    };
    if pane.section != Section::Cards {
        model.toast(ToastKind::Info, "Tab to the cards to delete one");
        return Vec::new();
    }
    let Some(card) = pane.selected_card() else {
        return Vec::new();
    };
    if card.primary && !caps.delete_primary_card {
        // Nothing is sent that the screen already knows will be refused.
        let text = format!(
            "{gateway} will not delete the primary card ••{}: make another card primary on {gateway} first, or delete the customer (D)",
            card.last4
        );
        model.toast(ToastKind::Info, text);
        return Vec::new();
    }
    let action = Irreversible::DeleteCard {
        customer_id: pane.id.clone(),
        card_id: card.id.clone(),
    };
    let sentence = format!(
        "Delete {} ••{} (expires {:02}/{:02}) from this customer. This cannot be undone.",
        card.brand.label(),
        card.last4,
        card.expiry_month,
        card.expiry_year % 100
    );
    let mut dialog = ConfirmDialog::new(action, "Delete card", sentence);
    if card.primary {
        dialog.warning = Some(format!(
            "This is the customer's primary card: {gateway} makes another saved card primary, if there is one."
        ));
    }
    confirm(model, dialog)
}

fn cancel_subscription(model: &mut Model) -> Vec<Effect> {
    if !model.session.caps.subscriptions {
        return update_panes::not_here(model, "subscriptions");
    }
    let Some(pane) = top_customer(model) else {
        return Vec::new();
    };
    if pane.section != Section::Subscriptions {
        model.toast(ToastKind::Info, "Tab to the subscriptions to cancel one");
        return Vec::new();
    }
    let Some(sub) = pane.selected_subscription() else {
        return Vec::new();
    };
    if !sub.state.can_cancel() {
        let text = format!(
            "Only a trial or active subscription can be cancelled; {} is {}",
            sub.id,
            sub.state.label()
        );
        model.toast(ToastKind::Info, text);
        return Vec::new();
    }
    let action = Irreversible::CancelSubscription {
        customer_id: pane.id.clone(),
        subscription_id: sub.id.clone(),
    };
    let sentence = format!(
        "Cancel subscription {} to plan {}. It stops at the end of the period and cannot be undone.",
        sub.id,
        sub.plan
            .as_ref()
            .map_or_else(|| sub.plan_id.clone(), |p| p.label())
    );
    confirm(
        model,
        ConfirmDialog::new(action, "Cancel subscription", sentence),
    )
}

fn delete_customer(model: &mut Model) -> Vec<Effect> {
    let Some(pane) = top_customer(model) else {
        return Vec::new();
    };
    let Loadable::Loaded(customer) = &pane.customer else {
        return Vec::new();
    };
    let action = Irreversible::DeleteCustomer {
        customer_id: customer.id.clone(),
    };
    let sentence = format!(
        "Delete {} ({}) and all their saved cards. This cannot be undone.",
        customer.display_name(),
        customer.email
    );
    let mut dialog = ConfirmDialog::new(action, "Delete customer", sentence);
    dialog.type_to_confirm = Some(customer.email.clone());
    confirm(model, dialog)
}

fn new_charge(model: &mut Model) -> Vec<Effect> {
    let Some(pane) = top_customer(model) else {
        return Vec::new();
    };
    let Loadable::Loaded(customer) = &pane.customer else {
        return Vec::new();
    };
    let Some(card) = &customer.primary_card else {
        model.toast(ToastKind::Info, "This customer has no saved card to charge");
        return Vec::new();
    };
    let label = format!("{} ••{} (primary)", card.brand.label(), card.last4);
    // Repeat orders are usually in the currency of the last one.
    let currency = pane
        .charges
        .newest()
        .map_or(Currency::AUD, |c| c.currency());
    let dialog = NewChargeDialog::new(&customer.id, &customer.email, label, currency);
    if let Some(what) = model.busy.get(&customer.id) {
        let text = format!("A {what} for {} is still in flight", customer.id);
        model.toast(ToastKind::Info, text);
        return Vec::new();
    }
    model.mode = Mode::NewCharge(dialog);
    Vec::new()
}
