//! The screens the operator has open, as a stack: the charges list always at the
//! bottom, the screens opened from it above, the top one on screen with the keys.
//! Whatever differs by which screen is on top is answered here, in one `match` per
//! question, so that nothing else in `app` or `ui` lists the screens.

use super::super::charge_list::ChargeList;
use super::super::model::Focus;
use super::super::paged::{Paged, RowCounts};
use super::charge::{ChargeDetail, Shown};
use super::charges::ChargesScreen;
use super::{Pane, Section};
use crate::domain::{Charge, Dispute};

#[derive(Debug, Clone, Default)]
pub struct Screens {
    /// The bottom of the stack, never closed.
    pub charges: ChargesScreen,
    /// Screens opened on top of the charges list, last on top.
    above: Vec<Pane>,
}

/// Which kind of filter the list on top takes, for checking and hinting its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    /// `status:… from:… to:…` and text, over charges.
    Charges,
    /// The same over refunds.
    Refunds,
    /// Any text: names and emails.
    Customers,
}

/// The filter of the list on top, as its filter bar shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListFilter<'a> {
    pub kind: FilterKind,
    /// The text of the filter in force.
    pub text: &'a str,
    /// Rows the filter lets through.
    pub shown: usize,
    /// Rows held.
    pub held: usize,
    /// The gateway is searching for more.
    pub searching: bool,
    /// This is the charges list itself (whose server search says where results came from).
    pub on_charges: bool,
}

impl<'a> ListFilter<'a> {
    fn of<R: RowCounts>(kind: FilterKind, list: &'a Paged<R>, searching: bool) -> ListFilter<'a> {
        let (shown, held) = list.shown_and_held();
        ListFilter {
            kind,
            text: &list.filter_text,
            shown,
            held,
            searching,
            on_charges: false,
        }
    }
}

/// How the body of the screen on top is laid out.
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    /// The charges table, with the open charge beside or in place of it.
    ChargesList { detail_open: bool },
    /// One table filling the body.
    Table,
    /// A customer's boxes, their charges' table below.
    Customer(&'a super::CustomerPane),
    /// One charge filling the body.
    Charge,
    /// A payout's fields, its lines' table below, their totals under it.
    Payout(&'a super::PayoutPane),
}

/// The charge the keys act on: its id, and the charge itself once it is loaded.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub id: &'a str,
    pub charge: Option<&'a Charge>,
}

impl<'a> Target<'a> {
    fn of(charge: &'a Charge) -> Target<'a> {
        Target {
            id: &charge.id,
            charge: Some(charge),
        }
    }
}

impl Screens {
    /// The screen on top, `None` while it is the charges list.
    pub fn top(&self) -> Option<&Pane> {
        self.above.last()
    }

    pub fn top_mut(&mut self) -> Option<&mut Pane> {
        self.above.last_mut()
    }

    /// Whether the charges list is on top.
    pub fn at_bottom(&self) -> bool {
        self.above.is_empty()
    }

    pub fn push(&mut self, pane: Pane) {
        self.above.push(pane);
    }

    /// Closes the screen on top; false on the charges list, which stays.
    pub fn pop(&mut self) -> bool {
        self.above.pop().is_some()
    }

    /// Back to the charges list.
    pub fn clear(&mut self) {
        self.above.clear();
    }

    /// The screens above the charges list, bottom first.
    pub fn above(&self) -> impl DoubleEndedIterator<Item = &Pane> {
        self.above.iter()
    }

    pub fn above_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut Pane> {
        self.above.iter_mut()
    }

    /// Closes every screen `close` picks.
    pub fn close_where(&mut self, close: impl Fn(&Pane) -> bool) {
        self.above.retain(|pane| !close(pane));
    }

    /// The breadcrumb: `charges › customer ada@example.com › charge ch_…`.
    pub fn crumbs(&self) -> Vec<String> {
        std::iter::once("charges".to_string())
            .chain(self.above.iter().map(Pane::crumb))
            .collect()
    }

    /// Every open charge's detail: beside the charges list and each charge screen.
    pub fn details_mut(&mut self) -> impl Iterator<Item = &mut ChargeDetail> {
        let above = self.above.iter_mut().filter_map(|pane| match pane {
            Pane::Charge(detail) => Some(&mut **detail),
            _ => None,
        });
        self.charges.detail.iter_mut().chain(above)
    }

    /// Every open detail of charge `id`.
    pub fn details_of<'a>(&'a mut self, id: &'a str) -> impl Iterator<Item = &'a mut ChargeDetail> {
        self.details_mut()
            .filter(move |detail| detail.charge_id == id)
    }

    /// Every open charge's detail, to read.
    pub fn details(&self) -> impl Iterator<Item = &ChargeDetail> {
        let above = self.above.iter().filter_map(|pane| match pane {
            Pane::Charge(detail) => Some(&**detail),
            _ => None,
        });
        self.charges.detail.iter().chain(above)
    }

    /// The dispute the keys act on: the selected one on the disputes screen, else the
    /// open charge's.
    pub fn target_dispute(&self) -> Option<&Dispute> {
        match self.above.last() {
            Some(Pane::Disputes(pane)) => pane.list.selected(),
            Some(Pane::Charge(detail)) => detail.loaded_dispute(),
            Some(_) => None,
            None => self
                .charges
                .detail
                .as_ref()
                .and_then(ChargeDetail::loaded_dispute),
        }
    }

    /// A held copy of a charge, wherever it is shown, the screens on top first.
    pub fn find_charge(&self, id: &str) -> Option<&Charge> {
        let above = self.above.iter().rev().find_map(|pane| match pane {
            Pane::Customer(customer) => customer.charges.get(id),
            Pane::Charge(detail) => detail.own_copy().filter(|c| c.id == id),
            _ => None,
        });
        above.or_else(|| self.charges.held_charge(id))
    }

    /// Puts a newer copy of a charge everywhere it is shown; true if anything changed.
    pub fn update_charge(&mut self, charge: &Charge) -> bool {
        let mut changed = self.charges.update_charge(charge);
        for pane in &mut self.above {
            match pane {
                Pane::Customer(customer) => changed |= customer.charges.update(charge.clone()),
                Pane::Charge(detail) => changed |= detail.take_newer(charge),
                _ => {}
            }
        }
        changed
    }

    /// The charge list on top with its selection: the charges list, or a customer's
    /// charges while they have the keys.
    pub fn charge_list_mut(&mut self) -> Option<&mut ChargeList> {
        match self.above.last_mut() {
            None => Some(&mut self.charges.list),
            Some(Pane::Customer(pane)) if pane.section == Section::Charges => {
                Some(&mut pane.charges)
            }
            Some(_) => None,
        }
    }

    /// The charge the keys act on: on the charges list the open one while the detail
    /// has the keys, else the selected one; a customer's selected charge; the charge
    /// open on its own. `None` elsewhere.
    pub fn target(&self) -> Option<Target<'_>> {
        match self.above.last() {
            Some(Pane::Customer(pane)) if pane.section == Section::Charges => {
                pane.charges.selected().map(Target::of)
            }
            Some(Pane::Charge(detail)) => Some(Target {
                id: &detail.charge_id,
                charge: detail.own_copy(),
            }),
            Some(_) => None,
            None => match (&self.charges.detail, self.charges.focus) {
                (Some(detail), Focus::Detail) => Some(Target {
                    id: &detail.charge_id,
                    charge: self.find_charge(&detail.charge_id),
                }),
                _ => self.charges.list.selected().map(Target::of),
            },
        }
    }

    /// The charge detail on screen (beside or instead of the charges list, or on its
    /// own), the charge it shows, and whether it has the keys.
    pub fn shown_detail(&self) -> Option<(&ChargeDetail, Shown<'_>, bool)> {
        let list = &self.charges.list;
        match self.above.last() {
            Some(Pane::Charge(detail)) => Some((detail, detail.shown(list), true)),
            Some(_) => None,
            None => {
                let detail = self.charges.detail.as_ref()?;
                Some((
                    detail,
                    detail.shown(list),
                    self.charges.focus == Focus::Detail,
                ))
            }
        }
    }

    /// The filter of the list on top; `None` on a screen without one.
    pub fn filter(&self) -> Option<ListFilter<'_>> {
        match self.above.last() {
            None => Some(ListFilter {
                on_charges: true,
                ..ListFilter::of(
                    FilterKind::Charges,
                    &self.charges.list,
                    self.charges.searching,
                )
            }),
            // Loading on its own to search further.
            Some(Pane::Customers(pane)) => Some(ListFilter::of(
                FilterKind::Customers,
                &pane.list,
                pane.list.loading && !pane.list.filter_text.is_empty(),
            )),
            Some(Pane::Refunds(pane)) => {
                Some(ListFilter::of(FilterKind::Refunds, &pane.list, false))
            }
            Some(Pane::Customer(pane)) => {
                Some(ListFilter::of(FilterKind::Charges, &pane.charges, false))
            }
            // The rest have no filter.
            Some(_) => None,
        }
    }

    /// How the body of the screen on top is laid out.
    pub fn body(&self) -> Body<'_> {
        match self.above.last() {
            None => Body::ChargesList {
                detail_open: self.charges.detail.is_some(),
            },
            Some(
                Pane::Customers(_)
                | Pane::Refunds(_)
                | Pane::Disputes(_)
                | Pane::Payouts(_)
                | Pane::Balance(_)
                | Pane::Sessions(_)
                | Pane::Recon(_)
                | Pane::Stats(_),
            ) => Body::Table,
            Some(Pane::Payout(pane)) => Body::Payout(pane),
            Some(Pane::Customer(pane)) => Body::Customer(pane),
            Some(Pane::Charge(_)) => Body::Charge,
        }
    }

    /// The list on top: (selected row, rows shown), for "3 of 12".
    pub fn position(&self) -> Option<(usize, usize)> {
        let of = |row: usize, len: usize| (len > 0).then_some((row, len));
        match self.above.last() {
            None => match &self.charges.store {
                Some(window) => window.position(&self.charges.list),
                None => of(
                    self.charges.list.selected_row(),
                    self.charges.list.visible_len(),
                ),
            },
            Some(Pane::Customers(pane)) => of(pane.list.selected_row(), pane.list.visible_len()),
            Some(Pane::Refunds(pane)) => of(pane.list.selected_row(), pane.list.visible_len()),
            Some(Pane::Customer(pane)) => match pane.section {
                Section::Charges => of(pane.charges.selected_row(), pane.charges.visible_len()),
                Section::Cards => pane.cards.position(),
                Section::Subscriptions => pane.subscriptions.position(),
            },
            Some(Pane::Charge(_)) => None,
            Some(Pane::Disputes(pane)) => of(pane.list.selected_row(), pane.list.visible_len()),
            Some(Pane::Payouts(pane)) => of(pane.list.selected_row(), pane.list.visible_len()),
            Some(Pane::Payout(pane)) => pane
                .lines
                .as_ref()
                .and_then(|l| of(l.selected_row(), l.visible_len())),
            Some(Pane::Balance(_) | Pane::Stats(_)) => None,
            Some(Pane::Sessions(pane)) => pane.list.position(),
            Some(Pane::Recon(pane)) => of(pane.selection().row, pane.len(pane.tab)),
        }
    }
}
