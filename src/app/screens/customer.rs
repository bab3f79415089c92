//! One customer: their details, saved cards, subscriptions and charges, and the
//! irreversible actions on them (each confirmed in a dialog first).

use super::super::effect::Effect;
use super::super::keymap::Intent;
use super::super::model::{Loadable, Mode, Model, ToastKind};
use super::super::msg::Answer;
use super::charge;
use super::{Hint, Pane, loadable};
use crate::app::copy_menu::Copying;
use crate::app::offers::{self, Act};
use crate::domain::{Card, Charge, Customer, Subscription};

use super::super::charge_list::ChargeList;
use super::super::dialogs::confirm::{ConfirmDialog, Irreversible};
use super::super::dialogs::new_charge;
use super::super::paged::Paged;
use super::super::request::{PageAnswer, PageAsk};
use super::short_list::ShortList;

/// Which part of the customer pane has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Charges,
    Cards,
    Subscriptions,
}

impl Section {
    pub fn next(self) -> Section {
        match self {
            Section::Charges => Section::Cards,
            Section::Cards => Section::Subscriptions,
            Section::Subscriptions => Section::Charges,
        }
    }
}

#[derive(Debug, Clone)]
pub struct CustomerPane {
    pub id: String,
    pub customer: Loadable<Customer>,
    pub cards: ShortList<Card>,
    pub subscriptions: ShortList<Subscription>,
    /// The customer's charges: the same list, table and actions as the charges pane.
    pub charges: Paged<ChargeList>,
    pub section: Section,
}

impl CustomerPane {
    pub fn new(id: &str) -> CustomerPane {
        CustomerPane {
            id: id.to_string(),
            customer: Loadable::Loading,
            cards: ShortList::default(),
            subscriptions: ShortList::default(),
            charges: Paged {
                loading: true,
                ..Paged::default()
            },
            section: Section::Charges,
        }
    }

    pub fn selected_card(&self) -> Option<&Card> {
        self.cards.selected()
    }

    pub fn selected_subscription(&self) -> Option<&Subscription> {
        self.subscriptions.selected()
    }
}

pub(crate) fn open_customer(model: &mut Model, id: &str) -> Vec<Effect> {
    if !offers::allowed(model, Act::Customers) {
        return Vec::new();
    }
    let mut pane = CustomerPane::new(id);
    let effect = load(model, &mut pane);
    model.screens.push(Pane::Customer(Box::new(pane)));
    model.touch();
    vec![effect]
}

/// Asks for the customer afresh and for the first page of their charges, in a new
/// generation: a page asked for by the list being replaced is dropped.
fn load(model: &mut Model, pane: &mut CustomerPane) -> Effect {
    pane.charges.generation = model.generations.fresh();
    Effect::LoadCustomer {
        id: pane.id.clone(),
        charges: pane.charges.ask(None),
    }
}

/// Reads the customer on top again after a change to them (a card deleted, a
/// subscription cancelled); their charges' first page merges into the list held.
pub(crate) fn reload_customer(model: &mut Model, id: String) -> Vec<Effect> {
    let generation = customer_panes(model, &id)
        .last()
        .map(|pane| pane.charges.generation)
        .unwrap_or_default();
    let charges = PageAsk {
        cursor: None,
        generation,
    };
    vec![Effect::LoadCustomer { id, charges }]
}

/// Every open customer pane for this customer.
pub(crate) fn customer_panes<'a>(
    model: &'a mut Model,
    id: &'a str,
) -> impl Iterator<Item = &'a mut CustomerPane> {
    model
        .screens
        .above_mut()
        .filter_map(move |pane| match pane {
            Pane::Customer(customer) if customer.id == id => Some(customer.as_mut()),
            _ => None,
        })
}

pub(crate) fn on_customer(model: &mut Model, answer: Answer<Customer>) -> Vec<Effect> {
    let jumped = crate::app::jump::JumpTo::Customer;
    crate::app::jump::answered(model, jumped, &answer.id, &answer.result);
    into_panes(model, answer, |pane, loaded| pane.customer = loaded.clone())
}

/// Puts an answer about customer `id` into every pane showing them.
fn into_panes<T>(
    model: &mut Model,
    answer: Answer<T>,
    put: impl Fn(&mut CustomerPane, &Loadable<T>),
) -> Vec<Effect> {
    let loaded = loadable(answer.result);
    for pane in customer_panes(model, &answer.id) {
        put(pane, &loaded);
    }
    model.touch();
    Vec::new()
}

pub(crate) fn on_cards(model: &mut Model, answer: Answer<Vec<Card>>) -> Vec<Effect> {
    into_panes(model, answer, |pane, loaded| pane.cards.load(loaded))
}

pub(crate) fn on_subscriptions(
    model: &mut Model,
    mut answer: Answer<Vec<Subscription>>,
) -> Vec<Effect> {
    // A gateway without subscriptions answers "unsupported": that is no failure, and
    // the box says so in plain words.
    if !model.session.caps.subscriptions {
        answer.result = Ok(Vec::new());
    }
    into_panes(model, answer, |pane, loaded| {
        pane.subscriptions.load(loaded)
    })
}

pub(crate) fn on_customer_charges(
    model: &mut Model,
    id: &str,
    answer: PageAnswer<Charge>,
) -> Vec<Effect> {
    let generation = answer.generation;
    let Some(pane) = customer_panes(model, id).find(|p| p.charges.generation == generation) else {
        return Vec::new(); // for a list since replaced, or a screen since closed
    };
    match pane.charges.accept(answer) {
        Some(Ok(items)) => {
            pane.charges.append_older(items);
        }
        Some(Err(e)) => model.toast(
            ToastKind::Error,
            format!("Could not load the customer's charges: {e}"),
        ),
        None => {}
    }
    model.touch();
    Vec::new()
}

/// What a key does on this screen.
pub(crate) fn on_key(
    model: &mut Model,
    intent: Intent,
    delta: Option<isize>,
    rows: usize,
) -> Vec<Effect> {
    let Some(Pane::Customer(pane)) = model.screens.top_mut() else {
        return Vec::new();
    };
    if let Some(delta) = delta {
        move_in_section(pane, delta, rows);
        return more_charges(pane);
    }
    on_customer_key(model, intent)
}

fn move_in_section(pane: &mut CustomerPane, delta: isize, rows: usize) {
    match pane.section {
        Section::Charges => {
            pane.charges.move_by(delta);
            pane.charges.scroll_into_view(rows);
        }
        Section::Cards => pane.cards.move_by(delta),
        Section::Subscriptions => pane.subscriptions.move_by(delta),
    }
}

/// The customer's next page of charges when the selection nears the end.
fn more_charges(pane: &mut CustomerPane) -> Vec<Effect> {
    let near_end = pane.charges.selected_row() + 50 >= pane.charges.visible_len();
    if !near_end || pane.section != Section::Charges {
        return Vec::new();
    }
    let customer_id = pane.id.clone();
    pane.charges
        .ask_next()
        .map(|ask| Effect::LoadCustomerCharges { customer_id, ask })
        .into_iter()
        .collect()
}

fn on_customer_key(model: &mut Model, intent: Intent) -> Vec<Effect> {
    let Some(Pane::Customer(pane)) = model.screens.top_mut() else {
        return Vec::new();
    };
    match intent {
        Intent::SwitchFocus => {
            pane.section = pane.section.next();
            Vec::new()
        }
        Intent::Open if pane.section == Section::Charges => {
            match pane.charges.selected().map(|c| c.id.clone()) {
                Some(id) => charge::open_charge(model, &id),
                None => Vec::new(),
            }
        }
        Intent::Copy => vec![Effect::Copy(Copying::id("customer", &pane.id))],
        Intent::Refresh => {
            let mut fresh = CustomerPane {
                section: pane.section,
                ..CustomerPane::new(&pane.id)
            };
            let effect = load(model, &mut fresh);
            if let Some(Pane::Customer(pane)) = model.screens.top_mut() {
                **pane = fresh;
            }
            vec![effect]
        }
        Intent::DeleteCard => confirm(model, delete_card),
        Intent::CancelSubscription => confirm(model, cancel_subscription),
        Intent::DeleteCustomer => confirm(model, delete_customer),
        Intent::NewCharge => new_charge::open(model),
        _ => Vec::new(),
    }
}

pub(crate) fn top_customer(model: &Model) -> Option<&CustomerPane> {
    match model.screens.top() {
        Some(Pane::Customer(pane)) => Some(pane),
        _ => None,
    }
}

/// Opens the confirmation `dialog` writes for the customer on top, where it has
/// something to confirm (`offers` has checked that nothing of its target is in flight).
fn confirm(
    model: &mut Model,
    dialog: fn(&Model, &CustomerPane) -> Option<ConfirmDialog>,
) -> Vec<Effect> {
    if let Some(dialog) = top_customer(model).and_then(|pane| dialog(model, pane)) {
        model.mode = Mode::Confirm(dialog);
    }
    Vec::new()
}

fn delete_card(model: &Model, pane: &CustomerPane) -> Option<ConfirmDialog> {
    let gateway = model.session.gateway;
    let card = pane.selected_card()?;
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
    Some(dialog)
}

fn cancel_subscription(_: &Model, pane: &CustomerPane) -> Option<ConfirmDialog> {
    let sub = pane.selected_subscription()?;
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
    Some(ConfirmDialog::new(action, "Cancel subscription", sentence))
}

fn delete_customer(_: &Model, pane: &CustomerPane) -> Option<ConfirmDialog> {
    let Loadable::Loaded(customer) = &pane.customer else {
        return None;
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
    Some(dialog)
}

/// The status line's keys on a customer: those of the section in front, then what may
/// be done to the customer.
pub(crate) fn hints(model: &Model, pane: &CustomerPane) -> Vec<Hint> {
    let mut out = vec![(Intent::SwitchFocus, "section")];
    match pane.section {
        Section::Charges => {
            if pane.charges.selected().is_some() {
                out.push((Intent::Open, "open"));
            }
            let acts = [
                (Act::Capture, "capture"),
                (Act::Void, model.session.caps.void_name),
                (Act::Refund, "refund"),
                (Act::Verify3ds, "verify 3DS"),
            ];
            out.extend(offers::offered(model, &acts));
            out.push((Intent::Filter, "filter"));
        }
        Section::Cards => out.extend(offers::offered(model, &[(Act::DeleteCard, "delete card")])),
        Section::Subscriptions => out.extend(offers::offered(
            model,
            &[(Act::CancelSubscription, "cancel")],
        )),
    }
    let acts = [
        (Act::NewCharge, "new charge"),
        (Act::DeleteCustomer, "delete customer"),
    ];
    out.extend(offers::offered(model, &acts));
    out.push((Intent::Back, "back"));
    out
}
