//! The screens the operator moves between. The charges list is always at the bottom of
//! the path; customers, a customer, refunds and a single charge stack on top of it, and
//! `Esc` goes back along the path. The header shows the path as a breadcrumb. Each
//! screen has one home here: its state, what its keys do and what the gateway's
//! answers do to it.

pub mod balance;
pub mod charge;
pub mod charges;
pub mod customer;
pub mod customers;
pub mod disputes;
pub(crate) mod list_screen;
pub mod payout;
pub mod payouts;
pub mod recon;
pub mod recon_labels;
pub mod recon_live;
pub mod recon_marks;
pub mod refunds;
pub mod sessions;
pub mod short_list;
pub mod stack;
pub mod stats;

use super::effect::Effect;
use super::filter_query;
use super::keymap::Intent;
use super::layout;
use super::listing::Listing;
use super::model::{Loadable, Model};
use super::request::PageAsk;
use crate::gateway::GatewayError;

pub use balance::BalancePane;
pub use charge::{ChargeCopy, ChargeDetail, DetailView};
pub use customer::{CustomerPane, Section};
pub use customers::{CustomersPane, customer_matches};
pub use disputes::{DisputesPane, dispute_order};
pub use payout::PayoutPane;
pub use payouts::PayoutsPane;
pub use recon::ReconPane;
pub use refunds::{RefundFilter, RefundsPane};
pub use sessions::SessionsPane;
pub use stack::Screens;
pub use stats::StatsPane;

#[derive(Debug, Clone)]
pub enum Pane {
    Customers(CustomersPane),
    Customer(Box<CustomerPane>),
    Refunds(RefundsPane),
    Charge(Box<ChargeDetail>),
    Disputes(DisputesPane),
    Payouts(PayoutsPane),
    Payout(Box<PayoutPane>),
    Balance(BalancePane),
    /// `:recon`: the sessions.
    Sessions(SessionsPane),
    /// `:recon NAME`: one session.
    Recon(Box<ReconPane>),
    /// `:stats`: the charges list's filter added up over a period.
    Stats(Box<StatsPane>),
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
            Pane::Charge(detail) => format!("charge {}", detail.charge_id),
            Pane::Disputes(_) => "disputes".into(),
            Pane::Payouts(_) => "payouts".into(),
            Pane::Payout(pane) => format!("payout {}", pane.payout_id),
            Pane::Balance(_) => "balance".into(),
            Pane::Sessions(_) => "recon".into(),
            Pane::Recon(pane) => format!("recon {}", pane.name),
            Pane::Stats(_) => "stats".into(),
        }
    }
}

/// Whether the list on top is sorted by the operator while the gateway has more of it
/// than is loaded: its order is that of the rows loaded, and the status line says so.
pub fn sorted_partly(model: &Model) -> bool {
    fn partly<T>(list: &Listing<T>) -> bool {
        list.order().is_some() && list.next.is_some()
    }
    match model.screens.top() {
        Some(Pane::Customers(pane)) => partly(&pane.list),
        Some(Pane::Refunds(pane)) => partly(&pane.list),
        Some(Pane::Disputes(pane)) => partly(&pane.list),
        Some(Pane::Payouts(pane)) => partly(&pane.list),
        _ => false,
    }
}

/// A key the status line shows: the intent, shown as whatever key the keymap binds to
/// it, and what it does there.
pub type Hint = (Intent, &'static str);

/// What the screen on top offers now, for the status line to show; each screen says
/// its own, from `offers`.
pub fn hints(model: &Model) -> Vec<Hint> {
    match model.screens.top() {
        None => charges::hints(model),
        Some(Pane::Customers(pane)) => customers::hints(pane),
        Some(Pane::Refunds(pane)) => refunds::hints(pane),
        Some(Pane::Customer(pane)) => customer::hints(model, pane),
        Some(Pane::Disputes(pane)) => disputes::hints(model, pane),
        Some(Pane::Charge(detail)) => charge::hints(model, detail),
        Some(Pane::Payouts(pane)) => payouts::hints(pane),
        Some(Pane::Payout(pane)) => payout::hints(pane),
        Some(Pane::Balance(_)) => balance::hints(),
        Some(Pane::Sessions(pane)) => sessions::hints(pane),
        Some(Pane::Recon(pane)) => recon::hints(pane),
        Some(Pane::Stats(_)) => stats::hints(),
    }
}

/// What a key does on the screen on top.
pub(crate) fn on_key(model: &mut Model, intent: Intent) -> Vec<Effect> {
    if model.screens.at_bottom() {
        return charges::on_key(model, intent);
    }
    let rows = list_rows(model);
    let delta = movement(intent, rows);
    model.touch();
    match model.screens.top() {
        Some(Pane::Customers(_)) => {
            list_screen::on_key::<CustomersPane>(model, intent, delta, rows)
        }
        Some(Pane::Refunds(_)) => list_screen::on_key::<RefundsPane>(model, intent, delta, rows),
        Some(Pane::Disputes(_)) => list_screen::on_key::<DisputesPane>(model, intent, delta, rows),
        Some(Pane::Charge(_)) => charge::on_key(model, intent, delta),
        Some(Pane::Customer(_)) => customer::on_key(model, intent, delta, rows),
        Some(Pane::Payouts(_)) => list_screen::on_key::<PayoutsPane>(model, intent, delta, rows),
        Some(Pane::Payout(_)) => payout::on_key(model, intent, delta, rows),
        Some(Pane::Balance(_)) => balance::on_key(model, intent),
        Some(Pane::Sessions(_)) => sessions::on_key(model, intent, delta),
        Some(Pane::Recon(_)) => recon::on_key(model, intent, delta.map(|d| (d, rows))),
        Some(Pane::Stats(_)) => stats::on_key(model, intent, delta),
        None => Vec::new(),
    }
}

/// The mouse wheel: three rows down or up the list on top.
pub(crate) fn on_wheel(model: &mut Model, down: bool) -> Vec<Effect> {
    if model.screens.at_bottom() {
        return charges::move_selection(model, if down { 3 } else { -3 });
    }
    let intent = if down { Intent::Down } else { Intent::Up };
    (0..3).flat_map(|_| on_key(model, intent)).collect()
}

/// A click on the `row`th row of the table on top, which shows `rows` rows.
pub(crate) fn on_click(model: &mut Model, row: usize, rows: usize) -> Vec<Effect> {
    model.touch();
    match model.screens.top_mut() {
        None => {
            let list = &mut model.screens.charges.list;
            let first = layout::first_row_of(list, rows);
            list.select_row(first + row);
            charges::load_older_if_wanted(model).into_iter().collect()
        }
        Some(Pane::Customer(pane)) if pane.section == Section::Charges => {
            let first = layout::first_row_of(&pane.charges, rows);
            pane.charges.select_row(first + row);
            Vec::new()
        }
        Some(Pane::Customers(pane)) => select_at(&mut pane.list, row),
        Some(Pane::Refunds(pane)) => select_at(&mut pane.list, row),
        Some(Pane::Payouts(pane)) => select_at(&mut pane.list, row),
        Some(Pane::Payout(pane)) => pane
            .lines
            .as_mut()
            .map(|lines| select_at(lines, row))
            .unwrap_or_default(),
        Some(
            Pane::Customer(_)
            | Pane::Charge(_)
            | Pane::Disputes(_)
            | Pane::Balance(_)
            | Pane::Sessions(_)
            | Pane::Recon(_)
            | Pane::Stats(_),
        ) => Vec::new(),
    }
}

/// Selects the `row`th row on screen of a listing.
fn select_at<T>(list: &mut Listing<T>, row: usize) -> Vec<Effect> {
    let first = list.offset();
    list.select_row(first + row);
    Vec::new()
}

/// Applies checked filter text to the list on top.
pub(crate) fn apply_filter(model: &mut Model, text: &str) -> Vec<Effect> {
    let rows = list_rows(model);
    let today = filter_query::today(model.now, model.zone);
    match model.screens.top_mut() {
        None => match filter_query::parse(text, today) {
            Ok(filter) => charges::apply_filter(model, text, filter),
            Err(_) => Vec::new(),
        },
        Some(Pane::Customers(pane)) => {
            pane.list.set_filter(text, customer_matches(text));
            customers::more_for_filter(pane)
        }
        Some(Pane::Refunds(pane)) => {
            if let Ok(filter) = filter_query::parse_refunds(text, today) {
                pane.list.set_filter(text, |r| filter.matches(r));
                pane.filter = filter;
            }
            Vec::new()
        }
        Some(Pane::Customer(pane)) => {
            if let Ok(filter) = filter_query::parse(text, today) {
                pane.charges.filter_text = text.trim().to_string();
                pane.charges.set_filter(filter);
                pane.charges.scroll_into_view(rows);
            }
            Vec::new()
        }
        // The rest have no filter.
        Some(_) => Vec::new(),
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

pub(crate) fn loadable<T>(result: Result<T, GatewayError>) -> Loadable<T> {
    match result {
        Ok(value) => Loadable::Loaded(value),
        Err(e) => Loadable::Failed(e.to_string()),
    }
}
