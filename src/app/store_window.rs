//! The charges list as a window over the local store: a few screens of rows and the
//! store keys of their ends, never every charge. Scrolling past either end, a new
//! filter, `g`/`G` and the poll's news each ask the store for a page (an `Effect`); the
//! page comes back as a `Msg` and is laid into the window here. Nothing here reads the
//! store itself, so `update` and `view` stay free of I/O and a frame costs the same
//! at a thousand charges held or ten million.

use std::collections::HashMap;

use super::charge_list::ChargeList;
use super::effect::Effect;
use chrono::TimeDelta;

use super::model::{Model, NEW_MARK_FOR, ToastKind};
use super::msg::Polled;
use super::request::Generation;
use super::screens::charges::keep_selection_in_view;
use crate::app::layout;
use crate::domain::{Charge, ChargeFilter};
use crate::store::query::{ChargeOrder, PageFrom, SearchedTotals, StoreKey, StorePage, Totals};

/// Rows asked of the store at a time.
pub const STORE_PAGE: usize = 100;
/// Rows the window holds at most: three pages, a few screens at any terminal size.
pub const WINDOW_ROWS: usize = 3 * STORE_PAGE;

/// Where a page from the store goes in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// It becomes the window, with the selection where `Select` says.
    Replace(Select),
    /// Below the window (scrolling down).
    Older,
    /// Above the window (scrolling up).
    Newer,
}

/// Where the selection goes in a window read afresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Select {
    /// On the newest row (a new filter, `g`).
    First,
    /// On the oldest row (`G`).
    Last,
    /// On the charge selected before if the page holds it, else the same row (the
    /// store changed under the window).
    Keep,
}

/// A page of the window asked of the store.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreAsk {
    pub generation: Generation,
    pub filter: ChargeFilter,
    pub order: ChargeOrder,
    pub from: PageFrom,
    pub limit: usize,
    pub fill: Fill,
    /// Asked for a new filter: the reader stops whatever older query it is running.
    pub supersedes: bool,
}

/// The window's state beside its rows (which the charges list's `ChargeList` holds).
#[derive(Debug, Clone, Default)]
pub struct StoreWindow {
    /// The filter the store is asked for (the rows held all match it).
    pub filter: ChargeFilter,
    /// The order the rows are read in: "newest" and "oldest" below mean the first and
    /// last rows in it.
    pub order: ChargeOrder,
    /// The window's life: a page asked under an older one is dropped.
    pub generation: Generation,
    /// The store key of each row held, for the keyset bounds of its ends.
    keys: HashMap<String, StoreKey>,
    /// The window holds the newest matching charge (news shows at its top).
    pub at_newest: bool,
    /// The window holds the oldest matching charge.
    pub at_oldest: bool,
    /// A page is on its way.
    pub paging: bool,
    /// The first page has come from the store.
    pub answered: bool,
    /// The filter's totals, once computed, and the generation they were asked under.
    pub totals: Option<Totals>,
    pub totals_asked: Option<Generation>,
    /// The store changed while the totals were on their way: they are asked again
    /// when they come, rather than a second sum queued behind the first.
    totals_again: bool,
    /// Until the totals come, a short needle's sums over the newest charges only,
    /// shown as such.
    pub partial: Option<SearchedTotals>,
    /// The gateway's server search answered for this filter with this many charges,
    /// now in the store too.
    pub searched: Option<usize>,
    /// How many matching charges are newer than the window's top, where known (for
    /// "41 of 3,000": a window does not know its place by itself).
    above: Option<usize>,
    /// The background sync's progress while it runs (`backfill 1.2M of ~3M · …`).
    pub sync: Option<String>,
    /// The sync has read every older page: the store holds all there is, and the
    /// gateway's search adds nothing.
    pub complete: bool,
    /// When the window was last read again for the sync's news.
    synced_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl StoreWindow {
    /// The key of the newest row held.
    fn top(&self, list: &ChargeList) -> Option<StoreKey> {
        list.newest().and_then(|c| self.keys.get(&c.id)).copied()
    }

    fn bottom(&self, list: &ChargeList) -> Option<StoreKey> {
        list.oldest().and_then(|c| self.keys.get(&c.id)).copied()
    }

    /// Keeps the keys of a page's rows; the charges, for the list.
    fn remember(&mut self, rows: Vec<(StoreKey, Charge)>) -> Vec<Charge> {
        rows.into_iter()
            .map(|(key, charge)| {
                self.keys.insert(charge.id.clone(), key);
                charge
            })
            .collect()
    }

    fn forget(&mut self, ids: Vec<String>) {
        for id in ids {
            self.keys.remove(&id);
        }
    }

    /// The selected row's place among all matching charges, and how many match (the
    /// totals' count once known), for the status line.
    /// `None` while the window holds no row: no place to tell.
    pub fn position(&self, list: &ChargeList) -> Option<(usize, usize)> {
        let (row, held) = (list.selected_row(), list.visible_len());
        if held == 0 {
            return None;
        }
        let count = self
            .totals
            .as_ref()
            .map_or(held, |t| usize::try_from(t.count).unwrap_or(usize::MAX));
        let above = match self.above {
            Some(above) => above,
            None if self.at_oldest => count.saturating_sub(held),
            None => 0,
        };
        Some((above + row, count.max(above + held)))
    }

    /// Totals are being computed and none for this filter are known yet.
    pub fn totals_pending(&self) -> bool {
        self.totals_asked.is_some() && self.totals.is_none()
    }

    /// Which source answered the window: the store, and the gateway's search when it
    /// added to it.
    pub fn source(&self, gateway: &str, searching: bool) -> String {
        match (self.searched, searching) {
            (_, true) => format!("store · {gateway} searching"),
            (Some(_), false) => format!("store + {gateway} search"),
            (None, false) => "store".into(),
        }
    }
}

/// Whether there is a window over the store and `what` holds of it.
fn window_is(model: &Model, what: impl Fn(&StoreWindow) -> bool) -> bool {
    model.screens.charges.store.as_ref().is_some_and(what)
}

/// The store answered whether it opened: the list becomes a window over it and its
/// first page is asked for; if not, the dashboard says why once and reads the gateway.
pub(crate) fn on_opened(model: &mut Model, result: Result<(), String>) -> Vec<Effect> {
    match result {
        Ok(()) => {
            let filter = model.screens.charges.list.filter().clone();
            let order =
                super::sort::charge_order(model.sorts.get(super::sort::SortScreen::Charges));
            model
                .screens
                .charges
                .list
                .set_filter(ChargeFilter::default());
            model.screens.charges.store = Some(StoreWindow {
                filter,
                order,
                ..StoreWindow::default()
            });
            let mut effects = new_query(model);
            effects.push(Effect::Sync);
            effects
        }
        Err(why) => {
            model.screens.charges.store = None;
            model.notice(
                ToastKind::Error,
                format!("The local store is not available ({why}); reading the gateway only"),
            );
            Vec::new()
        }
    }
}

/// A new filter (or the first): the window and its totals are asked afresh, and
/// whatever the reader is still doing for an older one is stopped.
pub(crate) fn new_query(model: &mut Model) -> Vec<Effect> {
    let generation = model.generations.fresh();
    let Some(window) = &mut model.screens.charges.store else {
        return Vec::new();
    };
    window.generation = generation;
    window.totals = None;
    window.totals_asked = Some(generation);
    window.totals_again = false;
    window.partial = None;
    window.searched = None;
    let filter = window.filter.clone();
    vec![
        replace(model, PageFrom::Newest, Select::First, true),
        Effect::StoreTotals { filter, generation },
    ]
}

/// Asks for a page that replaces the window.
fn replace(model: &mut Model, from: PageFrom, select: Select, supersedes: bool) -> Effect {
    let fresh = model.generations.fresh();
    let window = model
        .screens
        .charges
        .store
        .get_or_insert_with(StoreWindow::default);
    if !supersedes {
        window.generation = fresh;
    }
    window.paging = true;
    Effect::StorePage(StoreAsk {
        generation: window.generation,
        filter: window.filter.clone(),
        order: window.order,
        from,
        limit: 2 * STORE_PAGE,
        fill: Fill::Replace(select),
        supersedes,
    })
}

/// The store changed under the window (a poll, a search, the sync): the same stretch
/// is read again, from the newest if the window shows it, and the totals too.
pub(crate) fn refresh(model: &mut Model, totals: bool) -> Vec<Effect> {
    let Some(window) = &model.screens.charges.store else {
        return Vec::new();
    };
    let list = &model.screens.charges.list.held;
    let from = match window.top(list) {
        Some(top) if !window.at_newest => PageFrom::Through(top),
        _ => PageFrom::Newest,
    };
    let mut effects = vec![replace(model, from, Select::Keep, false)];
    if totals && let Some(window) = &mut model.screens.charges.store {
        effects.extend(ask_totals(window));
    }
    effects
}

/// The operator sorted the charges by another column: the window is read afresh from
/// the top of the new order (the totals do not change).
pub(crate) fn sort(model: &mut Model, order: ChargeOrder) -> Vec<Effect> {
    let Some(window) = &mut model.screens.charges.store else {
        return Vec::new();
    };
    window.order = order;
    window.at_newest = false;
    window.at_oldest = false;
    // Until the store answers, no row shows in an order the header does not say.
    model.screens.charges.list.held = ChargeList::default();
    model.touch();
    vec![replace(model, PageFrom::Newest, Select::First, false)]
}

/// Asks for the filter's totals afresh, unless some are on their way: those are
/// asked again when they come. A slow sum (a short needle's, seconds at millions of
/// charges) then still lands while polls and the sync keep changing the store, rather
/// than each change queueing another behind it and dropping the one before.
fn ask_totals(window: &mut StoreWindow) -> Option<Effect> {
    if window.totals_asked.is_some() {
        window.totals_again = true;
        return None;
    }
    let generation = window.generation;
    window.totals_asked = Some(generation);
    Some(Effect::StoreTotals {
        filter: window.filter.clone(),
        generation,
    })
}

/// `g` and `G` over the store: the newest or oldest matching charges, read at once
/// rather than every page between.
pub(crate) fn go_to_end(model: &mut Model, oldest: bool) -> Vec<Effect> {
    let Some(window) = &model.screens.charges.store else {
        return Vec::new();
    };
    let held_already = if oldest {
        window.at_oldest
    } else {
        window.at_newest
    };
    let delta = if oldest {
        isize::MAX / 2
    } else {
        isize::MIN / 2
    };
    if held_already {
        model.screens.charges.list.move_by(delta);
        keep_selection_in_view(model);
        model.touch();
        return Vec::new();
    }
    let from = if oldest {
        PageFrom::Oldest
    } else {
        PageFrom::Newest
    };
    let select = if oldest { Select::Last } else { Select::First };
    vec![replace(model, from, select, false)]
}

/// Asks for the next page beyond the end the selection is near, if the window does
/// not hold that end and no page is on its way.
pub(crate) fn page_if_wanted(model: &mut Model) -> Option<Effect> {
    let rows =
        layout::table_body_rows(&layout::regions(crate::app::layout::screen(model), model)).max(1);
    let screen = &mut model.screens.charges;
    let window = screen.store.as_mut()?;
    let list = &screen.list.held;
    if window.paging || !window.answered {
        return None;
    }
    let row = list.selected_row();
    let (from, fill) = if !window.at_oldest && row + 2 * rows >= list.visible_len() {
        (PageFrom::Older(window.bottom(list)?), Fill::Older)
    } else if !window.at_newest && row < rows {
        (PageFrom::Newer(window.top(list)?), Fill::Newer)
    } else {
        return None;
    };
    window.paging = true;
    Some(Effect::StorePage(StoreAsk {
        generation: window.generation,
        filter: window.filter.clone(),
        order: window.order,
        from,
        limit: STORE_PAGE,
        fill,
        supersedes: false,
    }))
}

/// A page from the store: laid into the window, the selection kept on its charge.
pub(crate) fn on_paged(
    model: &mut Model,
    ask: StoreAsk,
    result: Result<StorePage, String>,
) -> Vec<Effect> {
    let Some(window) = &mut model.screens.charges.store else {
        return Vec::new();
    };
    if ask.generation != window.generation {
        return Vec::new(); // asked for a window since replaced
    }
    window.paging = false;
    let page = match result {
        Ok(page) => page,
        Err(why) => {
            model.toast(
                ToastKind::Error,
                format!("Could not read the local store: {why}"),
            );
            return Vec::new();
        }
    };
    window.answered = true;
    let full = page.rows.len() >= ask.limit;
    if matches!(ask.fill, Fill::Replace(_)) {
        window.keys.clear();
    }
    let charges = window.remember(page.rows);
    let list = &mut model.screens.charges.list.held;
    match ask.fill {
        Fill::Replace(select) => {
            let keep = list.selected().map(|c| c.id.clone());
            let place = (list.selected_row(), list.offset());
            let mut fresh = ChargeList::default();
            fresh.append_older(charges);
            match ask.from {
                PageFrom::Newest => {
                    window.at_newest = true;
                    window.at_oldest = !full;
                    window.above = Some(0);
                }
                PageFrom::Oldest => {
                    window.at_oldest = true;
                    window.at_newest = !full;
                    window.above = (!full).then_some(0);
                }
                PageFrom::Older(_) | PageFrom::Newer(_) | PageFrom::Through(_) => {
                    window.at_newest = false;
                    window.at_oldest = !full;
                }
            }
            match select {
                Select::First => {}
                Select::Last => fresh.move_by(isize::MAX / 2),
                Select::Keep => {
                    let row = match keep {
                        Some(id) if fresh.select_id(&id) => fresh.selected_row(),
                        _ => place.0,
                    };
                    // The screen stays where it was around the selection.
                    fresh.set_place(row, place.1);
                }
            }
            *list = fresh;
        }
        Fill::Older => {
            list.append_older(charges);
            window.at_oldest = !full;
            let over = list.len().saturating_sub(WINDOW_ROWS);
            if over > 0 {
                window.forget(list.drop_newest(over));
                window.at_newest = false;
                window.above = window.above.map(|above| above + over);
            }
        }
        Fill::Newer => {
            let added = charges.len();
            list.merge_newer(charges);
            window.at_newest = !full;
            window.above = match window.at_newest {
                true => Some(0),
                false => window.above.map(|above| above.saturating_sub(added)),
            };
            let over = list.len().saturating_sub(WINDOW_ROWS);
            if over > 0 {
                window.forget(list.drop_oldest(over));
                window.at_oldest = false;
            }
        }
    }
    keep_selection_in_view(model);
    model.touch();
    page_if_wanted(model).into_iter().collect()
}

/// The filter's totals: kept if they answer the filter in force.
pub(crate) fn on_totalled(
    model: &mut Model,
    generation: Generation,
    result: Result<Totals, String>,
) -> Vec<Effect> {
    let Some(window) = &mut model.screens.charges.store else {
        return Vec::new();
    };
    if window.totals_asked != Some(generation) {
        return Vec::new();
    }
    window.totals_asked = None;
    let again = std::mem::take(&mut window.totals_again).then(|| ask_totals(window));
    match result {
        Ok(totals) => {
            window.totals = Some(totals);
            window.partial = None;
        }
        Err(why) => model.toast(
            ToastKind::Error,
            format!("Could not add up the filter's charges: {why}"),
        ),
    }
    model.touch();
    again.flatten().into_iter().collect()
}

/// A short needle's sums over the newest charges: shown until the whole totals of
/// the same ask come (if they came first, or the filter changed, it is dropped).
pub(crate) fn on_partly_totalled(
    model: &mut Model,
    generation: Generation,
    partial: SearchedTotals,
) -> Vec<Effect> {
    let Some(window) = &mut model.screens.charges.store else {
        return Vec::new();
    };
    if window.totals_asked != Some(generation) {
        return Vec::new();
    }
    window.partial = Some(partial);
    model.touch();
    Vec::new()
}

/// The filter bar's filter over the store: the window and totals asked afresh, and
/// the gateway searched too where it can and the store may not hold everything yet.
pub(crate) fn apply_filter(model: &mut Model, text: &str, filter: ChargeFilter) -> Vec<Effect> {
    let screen = &mut model.screens.charges;
    screen.list.filter_text = text.trim().to_string();
    screen.searching = false;
    screen.search_note = None;
    let Some(window) = &mut screen.store else {
        return Vec::new();
    };
    window.filter = filter.clone();
    window.at_newest = false;
    window.at_oldest = false;
    // Until the store answers, no row of the last filter stays on screen to be acted on.
    screen.list.held = ChargeList::default();
    model.touch();
    let mut effects = new_query(model);
    let complete = window_is(model, |w| w.complete);
    let server = model.session.caps.server_search
        && !complete
        && (!filter.text.trim().is_empty() || filter.from.is_some() || filter.until.is_some());
    if server {
        effects.extend(super::screens::charges::search(model, filter));
    }
    effects
}

/// The sync's progress: said in the status line, and the window and totals read again
/// at most once a second, since the sync writes under them.
pub(crate) fn on_sync_progress(model: &mut Model, text: String) -> Vec<Effect> {
    let now = model.now;
    let Some(window) = &mut model.screens.charges.store else {
        return Vec::new();
    };
    window.sync = Some(text);
    let due = window
        .synced_at
        .is_none_or(|at| now - at >= TimeDelta::seconds(1));
    let paging = window.paging;
    if due && !paging {
        window.synced_at = Some(now);
    }
    model.touch();
    if !due || paging {
        return Vec::new();
    }
    refresh(model, true)
}

/// The sync ended: the window and totals are read once more; a failure is said.
pub(crate) fn on_synced(model: &mut Model, result: Result<bool, String>) -> Vec<Effect> {
    let Some(window) = &mut model.screens.charges.store else {
        return Vec::new();
    };
    window.sync = None;
    match result {
        Ok(complete) => window.complete = complete,
        Err(why) => model.toast(
            ToastKind::Error,
            format!("The sync into the local store stopped: {why}"),
        ),
    }
    refresh(model, true)
}

/// The gateway's search answered; the runner has put its charges in the store, so the
/// window and totals are read again and say the search added to them.
pub(crate) fn on_searched(
    model: &mut Model,
    result: Result<Vec<Charge>, crate::gateway::GatewayError>,
) -> Vec<Effect> {
    match result {
        Ok(found) => {
            if let Some(window) = &mut model.screens.charges.store {
                window.searched = Some(found.len());
            }
            refresh(model, true)
        }
        Err(e) => {
            model.toast(
                ToastKind::Error,
                format!("The gateway's search failed ({e}); showing the local store's matches"),
            );
            Vec::new()
        }
    }
}

/// A poll's news, already written to the store by the runner: new charges are marked,
/// and the window and totals read again. The cost does not grow with what the store
/// holds: an upsert of the news and one page.
pub(crate) fn on_polled(model: &mut Model, polled: Polled) -> Vec<Effect> {
    let mut effects = Vec::new();
    let changed = !polled.newer.is_empty() || !polled.refreshed.is_empty();
    if !polled.first {
        let until = model.now + TimeDelta::from_std(NEW_MARK_FOR).unwrap_or_default();
        for charge in &polled.newer {
            model.new_marks.insert(charge.id.clone(), until);
        }
    }
    for charge in &polled.refreshed {
        model.update_charge(charge);
        if charge.status == crate::domain::ChargeStatus::Disputed {
            effects.extend(super::screens::charge::load_disputes_now_known(
                model, charge,
            ));
        }
    }
    let answered = window_is(model, |w| w.answered);
    if changed || !answered {
        effects.extend(refresh(model, changed));
    }
    effects
}

/// The store's answer to one of the window's effects, read on the calling thread: the
/// message the runner sends for it (`None` for any other effect). Tests and benches fill
/// a window from a real store with it.
pub fn answer_here(store: &crate::store::Store, effect: &Effect) -> Option<super::msg::Msg> {
    use super::msg::Msg;
    match effect {
        Effect::StorePage(ask) => Some(Msg::StorePaged {
            ask: ask.clone(),
            result: store
                .charge_page_ordered(&ask.filter, ask.order, ask.from, ask.limit)
                .map_err(|e| e.to_string()),
        }),
        Effect::StoreTotals { filter, generation } => Some(Msg::StoreTotalled {
            generation: *generation,
            result: store.charge_totals(filter).map_err(|e| e.to_string()),
        }),
        Effect::LoadStats(ask) => Some(Msg::StatsRead {
            generation: ask.generation,
            result: store
                .charge_stats(&ask.filter, &ask.period, ask.now)
                .map(Box::new)
                .map_err(|e| e.to_string()),
        }),
        _ => None,
    }
}

/// Runs the window's effects against `store` with [`answer_here`], and those their
/// answers ask for, until there are none left (at most 50 rounds); the others, and any
/// still unanswered after that, are returned.
pub fn settle_here(
    model: &mut Model,
    store: &crate::store::Store,
    mut effects: Vec<Effect>,
) -> Vec<Effect> {
    let mut rest = Vec::new();
    for _ in 0..50 {
        let mut next = Vec::new();
        for effect in effects.drain(..) {
            match answer_here(store, &effect) {
                Some(msg) => next.extend(super::update::update(model, msg)),
                None => rest.push(effect),
            }
        }
        if next.is_empty() {
            return rest;
        }
        effects = next;
    }
    rest.extend(effects);
    rest
}

#[cfg(test)]
#[path = "store_window_tests.rs"]
pub(crate) mod tests;

#[cfg(test)]
#[path = "store_totals_tests.rs"]
mod totals_tests;
