//! The screens that are one paged list (customers, refunds, disputes, payouts): opened, moved
//! in, answered and refreshed the same way. Each says only what is its own: its list,
//! how it asks for a page, which items its filter shows, what `Enter` opens and which
//! id `y` copies. Each sorts the rows it has loaded by the columns its items offer.

use super::super::copy_menu::{Copyable, Copying};
use super::super::effect::Effect;
use super::super::keymap::Intent;
use super::super::listing::Listing;
use super::super::model::Model;
use super::super::model::ToastKind;
use super::super::offers::{self, Act};
use super::super::request::{PageAnswer, PageAsk};
use super::super::sort::{RowOrder, Sortable};
use super::{CustomersPane, DisputesPane, Pane, PayoutsPane, RefundsPane, move_in_listing};
use crate::domain::{Customer, Dispute, Payout, Refund};

/// A list screen's place in the stack, its list and how it asks for a page: the same
/// for each but for names, so written by `list_pane!` from one line per screen.
pub(crate) trait ListPane: Default + Sized {
    type Item: Clone + Sortable + Copyable;
    /// This screen in the stack, and the stack's screen as this one if it is.
    fn into_pane(self) -> Pane;
    fn of(pane: &mut Pane) -> Option<&mut Self>;
    fn list(&mut self) -> &mut Listing<Self::Item>;
    /// The request for a page.
    fn load(ask: PageAsk) -> Effect;
}

macro_rules! list_pane {
    ($screen:ty, $variant:ident, $item:ty, $load:ident) => {
        impl ListPane for $screen {
            type Item = $item;
            fn into_pane(self) -> Pane {
                Pane::$variant(self)
            }
            fn of(pane: &mut Pane) -> Option<&mut Self> {
                match pane {
                    Pane::$variant(screen) => Some(screen),
                    _ => None,
                }
            }
            fn list(&mut self) -> &mut Listing<$item> {
                &mut self.list
            }
            fn load(ask: PageAsk) -> Effect {
                Effect::$load(ask)
            }
        }
    };
}

list_pane!(CustomersPane, Customers, Customer, LoadCustomers);
list_pane!(RefundsPane, Refunds, Refund, LoadRefundList);
list_pane!(DisputesPane, Disputes, Dispute, LoadDisputes);
list_pane!(PayoutsPane, Payouts, Payout, LoadPayouts);

/// Which items of a list its filter shows.
pub(crate) type Shows<T> = Box<dyn Fn(&T) -> bool>;

/// What each list screen does its own way.
pub(crate) trait ListScreen: ListPane {
    /// What opening the screen is, for `offers` to allow.
    const ACT: Act;
    /// What `Enter` on an item opens.
    const OPEN_ITEM: fn(&mut Model, Self::Item) -> Vec<Effect>;

    /// Which items the filter in force shows.
    fn shows(&self) -> Shows<Self::Item> {
        Box::new(|_| true)
    }

    /// After a page is taken in (`added`: it was a page, not an error): what else to do.
    fn took_page(&mut self, _added: bool) -> Vec<Effect> {
        Vec::new()
    }
}

/// The screen of kind `S` nearest the top, wherever it is in the stack.
pub(crate) fn find<S: ListScreen>(model: &mut Model) -> Option<&mut S> {
    model.screens.above_mut().rev().find_map(S::of)
}

/// Opens the screen on top, asking for its first page, where `offers` allows it;
/// nothing if it is on top already.
pub(crate) fn open<S: ListScreen>(model: &mut Model) -> Vec<Effect> {
    if !offers::allowed(model, S::ACT) {
        return Vec::new();
    }
    if model.screens.top_mut().and_then(S::of).is_some() {
        return Vec::new();
    }
    let mut screen = S::default();
    let (list, ask) = Listing::first_page(model.generations.fresh());
    *screen.list() = list;
    let sort = model.sorts.get(S::Item::SCREEN);
    screen.list().set_order(sort.map(RowOrder::of));
    model.screens.push(screen.into_pane());
    model.touch();
    vec![S::load(ask)]
}

/// Takes in a page for the screen; an answer for a list since replaced is dropped.
pub(crate) fn on_page<S: ListScreen>(
    model: &mut Model,
    answer: PageAnswer<S::Item>,
) -> Vec<Effect> {
    let Some(screen) = find::<S>(model) else {
        return Vec::new();
    };
    let shows = screen.shows();
    let Some(added) = screen.list().take_answer(answer, shows) else {
        return Vec::new();
    };
    let effects = screen.took_page(added);
    model.touch();
    effects
}

/// What a key does on the screen `S` on top: moving (fetching the next page near the
/// end), opening or copying the selected item, refreshing.
pub(crate) fn on_key<S: ListScreen>(
    model: &mut Model,
    intent: Intent,
    delta: Option<isize>,
    rows: usize,
) -> Vec<Effect> {
    let Some(screen) = model.screens.top_mut().and_then(S::of) else {
        return Vec::new();
    };
    let list = screen.list();
    if let Some(delta) = delta {
        return move_in_listing(list, delta, rows)
            .map(S::load)
            .into_iter()
            .collect();
    }
    match intent {
        Intent::Open => match list.selected().cloned() {
            Some(item) => S::OPEN_ITEM(model, item),
            None => Vec::new(),
        },
        Intent::Copy => list
            .selected()
            .map(|item| Effect::Copy(Copying::id_of(item)))
            .into_iter()
            .collect(),
        Intent::Refresh => {
            model.screens.pop();
            open::<S>(model)
        }
        Intent::SortBy | Intent::SortReverse => {
            sort::<S>(model, intent == Intent::SortReverse, rows)
        }
        _ => Vec::new(),
    }
}

/// The sort keys on the screen `S` on top: the next column, or the other way. A list
/// the gateway has more of sorts only what is loaded (pages still to come are sorted
/// in as they load), and the screen says so. The selection goes to the top.
fn sort<S: ListScreen>(model: &mut Model, reverse: bool, rows: usize) -> Vec<Effect> {
    let (screen, columns) = (S::Item::SCREEN, S::Item::COLUMNS);
    let sort = match reverse {
        true => model.sorts.reverse(screen, columns),
        false => model.sorts.cycle(screen, columns),
    };
    let Some(pane) = model.screens.top_mut().and_then(S::of) else {
        return Vec::new();
    };
    let list = pane.list();
    list.set_order(sort.map(RowOrder::of));
    // A new order starts at its top, as the charges' does.
    list.select_row(0);
    list.scroll_into_view(rows);
    let partly = (sort.is_some() && list.next.is_some()).then(|| list.len());
    if let Some(loaded) = partly {
        model.toast(
            ToastKind::Info,
            format!(
                "Sorted the {loaded} loaded; the gateway has more, which are sorted in as they load"
            ),
        );
    }
    model.touch();
    Vec::new()
}
