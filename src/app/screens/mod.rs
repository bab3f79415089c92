//! The screens the operator moves between. The charges list is always at the bottom of
//! the path; customers, a customer, refunds and a single charge stack on top of it, and
//! `Esc` goes back along the path. The header shows the path as a breadcrumb. Each
//! screen has one home here: its state, what its keys do and what the gateway's
//! answers do to it.

pub mod charge;
pub mod charges;
pub mod customer;
pub mod customers;
pub mod disputes;
pub mod refunds;

use super::effect::Effect;
use super::keymap::Intent;
use super::listing::Listing;
use super::model::{Loadable, Model, ToastKind};
use super::request::PageAsk;
use crate::gateway::GatewayError;

pub use charge::ChargePane;
pub use customer::{CustomerPane, Section};
pub use customers::{CustomersPane, customer_matches};
pub use disputes::{DisputesPane, dispute_order};
pub use refunds::{RefundFilter, RefundsPane};

#[derive(Debug, Clone)]
pub enum Pane {
    Customers(CustomersPane),
    Customer(Box<CustomerPane>),
    Refunds(RefundsPane),
    Charge(Box<ChargePane>),
    Disputes(DisputesPane),
}

impl Pane {
    /// The breadcrumb's word for this pane.
    pub fn crumb(&self) -> String {
        match self {
            Pane::Customers(_) => "customers".into(),
            Pane::Customer(pane) => match &pane.customer {
                Loadable::Loaded(customer) => format!("customer {}", customer.email),
                _ => format!("customer {}", pane.id),
            },
            Pane::Refunds(_) => "refunds".into(),
            Pane::Charge(pane) => format!("charge {}", pane.detail.charge_id),
            Pane::Disputes(_) => "disputes".into(),
        }
    }
}

/// What a key does on the screen on top, above the charges list.
pub(crate) fn on_key(model: &mut Model, intent: Intent) -> Vec<Effect> {
    let rows = list_rows(model);
    let delta = movement(intent, rows);
    model.touch();
    match model.pane() {
        Some(Pane::Customers(_)) => customers::on_key(model, intent, delta, rows),
        Some(Pane::Refunds(_)) => refunds::on_key(model, intent, delta, rows),
        Some(Pane::Disputes(_)) => disputes::on_key(model, intent, delta, rows),
        Some(Pane::Charge(_)) => charge::on_key(model, intent, delta),
        Some(Pane::Customer(_)) => customer::on_key(model, intent, delta, rows),
        None => Vec::new(),
    }
}

/// A text's scroll position moved by `delta` lines, never above its first line nor
/// past the point where its last line is at the bottom (`max`). A position stored
/// beyond `max` (the text shrank since) counts as `max`, so one key up shows a change.
pub(crate) fn scrolled(current: u16, delta: isize, max: u16) -> u16 {
    let from = i64::from(current.min(max));
    let delta = i64::try_from(delta).unwrap_or(if delta < 0 { i64::MIN } else { i64::MAX });
    let to = from.saturating_add(delta).clamp(0, i64::from(max));
    u16::try_from(to).unwrap_or(max)
}

/// Rows the list on screen shows, for paging keys.
pub(crate) fn list_rows(model: &Model) -> usize {
    crate::app::layout::list_body_rows(crate::app::layout::screen(model), model).max(1)
}

/// How far a movement key moves, in rows.
pub(crate) fn movement(intent: Intent, rows: usize) -> Option<isize> {
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

/// Moves a listing's selection; when it nears the end of what is loaded, marks the next
/// page as loading and returns where it starts.
pub(crate) fn move_in_listing<T>(
    list: &mut Listing<T>,
    delta: isize,
    rows: usize,
) -> Option<PageAsk> {
    list.move_by(delta);
    list.scroll_into_view(rows);
    list.wants_more(rows).then(|| list.ask(list.next.clone()))
}

/// Says, in neutral words, that this gateway has no `what`; the screen is not opened.
pub(crate) fn not_here(model: &mut Model, what: &str) -> Vec<Effect> {
    let text = format!("{} has no {what} paydeck can read", model.session.gateway);
    model.toast(ToastKind::Info, text);
    Vec::new()
}

pub(crate) fn loadable<T>(result: Result<T, GatewayError>) -> Loadable<T> {
    match result {
        Ok(value) => Loadable::Loaded(value),
        Err(e) => Loadable::Failed(e.to_string()),
    }
}
