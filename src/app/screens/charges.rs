//! The charges list, always at the bottom of the screens: polled for news, paged
//! towards older charges, filtered locally and searched on the gateway, with the open
//! charge beside it or in its place.

use crate::app::copy_menu::Copying;
use chrono::TimeDelta;

use super::super::charge_list::ChargeList;
use super::super::effect::Effect;
use super::super::keymap::Intent;
use super::super::model::{Focus, Model, NEW_MARK_FOR, PREFETCH, SearchNote, ToastKind};
use super::super::msg::Polled;
use super::super::offers::target;
use super::super::paged::Paged;
use super::super::poll::REFRESH_PER_POLL;
use super::super::request::{Generation, PageAnswer};
use super::super::sort::{self, SortScreen};
use super::super::store_window::{self, StoreWindow};
use super::Hint;
use super::charge::{self, ChargeDetail};
use super::movement;
use crate::app::layout;
use crate::domain::{Charge, ChargeFilter, Cursor};
use crate::gateway::GatewayError;

/// The charges list's state: what is held, what a search found, the filter in force and
/// the charge open beside it.
#[derive(Debug, Clone)]
pub struct ChargesScreen {
    /// The charges on screen: everything held, paged towards older charges, or a server
    /// search's matches.
    pub list: Paged<ChargeList>,
    /// Everything held, set aside while a server search's matches are on screen.
    pub stash: Option<ChargeList>,
    /// A server-side search is running for the filter in force.
    pub searching: bool,
    /// The generation of the search in force: an answer to one since replaced is dropped.
    pub search: Generation,
    /// What the last server search found, and what local matching added to it.
    pub search_note: Option<SearchNote>,
    pub focus: Focus,
    /// The charge open beside the list (or in its place on a narrow screen), read from
    /// the list.
    pub detail: Option<ChargeDetail>,
    /// With a local store, `list` holds only a window over it (`None`: no store, the
    /// list holds what was read from the gateway).
    pub store: Option<StoreWindow>,
}

impl Default for ChargesScreen {
    fn default() -> Self {
        ChargesScreen {
            list: Paged::default(),
            stash: None,
            searching: false,
            search: Generation::default(),
            search_note: None,
            focus: Focus::Table,
            detail: None,
            store: None,
        }
    }
}

impl ChargesScreen {
    /// A held copy of a charge, shown or set aside during a search.
    pub fn held_charge(&self, id: &str) -> Option<&Charge> {
        self.list
            .get(id)
            .or_else(|| self.stash.as_ref().and_then(|s| s.get(id)))
    }

    /// Puts a newer copy of a charge where it is held; true if anything changed.
    pub fn update_charge(&mut self, charge: &Charge) -> bool {
        let mut changed = self.list.update(charge.clone());
        if let Some(stash) = &mut self.stash {
            changed |= stash.update(charge.clone());
        }
        changed
    }
}

/// What a key does on the charges list (and the charge open beside or over it).
pub(crate) fn on_key(model: &mut Model, intent: Intent) -> Vec<Effect> {
    let rows = layout::table_body_rows(&layout::regions(crate::app::layout::screen(model), model))
        .max(1) as isize;
    let detail_focused =
        model.screens.charges.detail.is_some() && model.screens.charges.focus == Focus::Detail;
    match intent {
        Intent::Up
        | Intent::Down
        | Intent::PageUp
        | Intent::PageDown
        | Intent::HalfPageUp
        | Intent::HalfPageDown
        | Intent::Top
        | Intent::Bottom
            if detail_focused =>
        {
            scroll_detail(model, intent);
            Vec::new()
        }
        Intent::Up => move_selection(model, -1),
        Intent::Down => move_selection(model, 1),
        Intent::PageUp => move_selection(model, -rows),
        Intent::PageDown => move_selection(model, rows),
        Intent::HalfPageUp => move_selection(model, -(rows / 2).max(1)),
        Intent::HalfPageDown => move_selection(model, (rows / 2).max(1)),
        Intent::Top if model.screens.charges.store.is_some() => {
            store_window::go_to_end(model, false)
        }
        Intent::Bottom if model.screens.charges.store.is_some() => {
            store_window::go_to_end(model, true)
        }
        Intent::Top => move_selection(model, isize::MIN / 2),
        Intent::Bottom => go_to_end(model),
        Intent::Open => open_detail(model),
        Intent::Back => {
            if model.screens.charges.detail.take().is_some() {
                model.screens.charges.focus = Focus::Table;
                keep_selection_in_view(model);
                model.touch();
                Vec::new()
            } else if !model.screens.charges.list.filter_text.is_empty() {
                apply_filter(model, "", Default::default())
            } else {
                Vec::new()
            }
        }
        Intent::SwitchFocus => {
            if model.screens.charges.detail.is_some() {
                model.screens.charges.focus = match model.screens.charges.focus {
                    Focus::Table => Focus::Detail,
                    Focus::Detail => Focus::Table,
                };
                model.touch();
            }
            Vec::new()
        }
        Intent::Copy => match target(model) {
            Some(target) => vec![Effect::Copy(Copying::id("charge", target.id))],
            None => Vec::new(),
        },
        Intent::Refresh => refresh(model),
        Intent::SortBy | Intent::SortReverse => sort(model, intent == Intent::SortReverse),
        Intent::RawJson => {
            let Some(detail) = &model.screens.charges.detail else {
                return Vec::new();
            };
            let id = detail.charge_id.clone();
            let kept = held(model)
                .get(&id)
                .is_some_and(|c| !c.raw.as_str().is_empty());
            model.touch();
            match &mut model.screens.charges.detail {
                Some(detail) => detail.toggle_raw(kept),
                None => Vec::new(),
            }
        }
        // Handled above, or meaning nothing on the charges list.
        _ => Vec::new(),
    }
}

/// The sort keys: the store reads the charges in the new order. Without a store the
/// gateway pages them newest first and no other order of all of them can be shown,
/// so the screen says that rather than sort a few pages.
fn sort(model: &mut Model, reverse: bool) -> Vec<Effect> {
    if model.screens.charges.store.is_none() {
        model.toast(
            ToastKind::Info,
            "The charges come from the gateway a page at a time (no local store): they can only be shown newest first",
        );
        return Vec::new();
    }
    let columns = sort::charge_columns();
    let sort = match reverse {
        true => model.sorts.reverse(SortScreen::Charges, &columns),
        false => model.sorts.cycle(SortScreen::Charges, &columns),
    };
    store_window::sort(model, sort::charge_order(sort))
}

/// `G`: the last charge there is, not the last loaded. Older pages are loaded one
/// after another (the status line counts them) with the selection following, until the
/// gateway has no more; any other move stops it.
fn go_to_end(model: &mut Model) -> Vec<Effect> {
    let effects = move_selection(model, isize::MAX / 2);
    model.screens.charges.list.to_end =
        model.screens.charges.list.next.is_some() && model.screens.charges.stash.is_none();
    if model.screens.charges.list.to_end {
        model.touch();
        if effects.is_empty() {
            return load_older_if_wanted(model).into_iter().collect();
        }
    }
    effects
}

pub fn move_selection(model: &mut Model, delta: isize) -> Vec<Effect> {
    model.screens.charges.list.to_end = false;
    let before = model.screens.charges.list.selected_row();
    model.screens.charges.list.move_by(delta);
    if model.screens.charges.list.selected_row() != before {
        keep_selection_in_view(model);
        model.touch();
    }
    load_older_if_wanted(model).into_iter().collect()
}

/// Scrolls the open charge by a line or a page of its own box, never past its end.
fn scroll_detail(model: &mut Model, intent: Intent) {
    let screen = crate::app::layout::screen(model);
    let max = model.drawn.detail_max_scroll;
    let page = layout::regions(screen, model)
        .detail
        .map_or(1, |d| usize::from(d.height.saturating_sub(2)).max(1));
    let Some(detail) = &mut model.screens.charges.detail else {
        return;
    };
    let Some(delta) = movement(intent, page) else {
        return;
    };
    detail.view.scroll_by(delta, max);
    model.touch();
}

pub(crate) fn open_detail(model: &mut Model) -> Vec<Effect> {
    let Some(id) = model.screens.charges.list.selected().map(|c| c.id.clone()) else {
        return Vec::new();
    };
    let (detail, effects) = charge::open_in_list(model, &id);
    model.screens.charges.detail = Some(detail);
    // Beside the table the list keeps the keys; in place of it the detail takes them.
    let side_by_side = model.screen.0 >= layout::SIDE_BY_SIDE_WIDTH;
    model.screens.charges.focus = if side_by_side {
        Focus::Table
    } else {
        Focus::Detail
    };
    keep_selection_in_view(model);
    model.touch();
    effects
}

/// `R`: the list is read afresh from the gateway, not just polled for news.
pub(crate) fn refresh(model: &mut Model) -> Vec<Effect> {
    model.poll.resync = true;
    model.poll.due_now(model.now);
    let mut effects = start_poll(model);
    if let Some(detail) = &mut model.screens.charges.detail {
        effects.extend(detail.reload());
    }
    model.touch();
    effects
}

/// Starts a poll if one is due and none is running.
pub(crate) fn start_poll(model: &mut Model) -> Vec<Effect> {
    if !model.poll.should_start(model.now) {
        return Vec::new();
    }
    model.poll.started(model.now);
    let resync = std::mem::take(&mut model.poll.resync);
    // Over a store the newest held is the store's, which the runner reads.
    let from_store = model.screens.charges.store.is_some() && !resync;
    let newest = if resync || from_store {
        None
    } else {
        held(model).newest().map(|c| (c.id.clone(), c.created))
    };
    let refresh = to_refresh(model);
    vec![Effect::Poll {
        newest,
        refresh,
        from_store,
    }]
}

/// The charges that may still change, a few per poll in turn, and the open one.
fn to_refresh(model: &mut Model) -> Vec<String> {
    let changing: Vec<&Charge> = held(model)
        .iter()
        .filter(|c| c.status.may_change() || c.refund_pending)
        .collect();
    let mut ids: Vec<String> = Vec::new();
    if !changing.is_empty() {
        let start = model.poll.refresh_cursor % changing.len();
        ids = changing
            .iter()
            .cycle()
            .skip(start)
            .take(REFRESH_PER_POLL.min(changing.len()))
            .map(|c| c.id.clone())
            .collect();
        model.poll.refresh_cursor = start + ids.len();
    }
    if let Some(detail) = &model.screens.charges.detail
        && !ids.contains(&detail.charge_id)
    {
        ids.push(detail.charge_id.clone());
    }
    ids
}

/// All charges held, whether or not a server search is showing.
pub(crate) fn held(model: &Model) -> &ChargeList {
    model
        .screens
        .charges
        .stash
        .as_ref()
        .unwrap_or(&model.screens.charges.list.held)
}

pub(crate) fn on_polled(model: &mut Model, result: Result<Polled, GatewayError>) -> Vec<Effect> {
    let now = model.now;
    let mut polled = match result {
        Ok(polled) => polled,
        Err(e) => {
            let was = model.poll.freshness(now);
            model.poll.failed(now, e.to_string(), e.retry_after());
            if model.poll.freshness(now) != was {
                model.touch();
            }
            return Vec::new();
        }
    };
    let was_fresh_minute = model.poll.last_ok.map(|t| t.timestamp() / 60);
    let was_stale = model.poll.last_error.is_some();
    let recovered = model.poll.failures > 0;
    model.poll.succeeded(now);
    // After an outage what is held may no longer be what the gateway has (charges
    // gone, changed while we could not look): the next poll reads it all afresh. So
    // does a refresh asked for while this poll was running.
    if (recovered && !polled.first) || model.poll.resync {
        model.poll.resync = true;
        model.poll.due_now(now);
    }
    if was_stale || was_fresh_minute != Some(now.timestamp() / 60) {
        model.touch();
    }
    if polled.total.is_some() && polled.total != model.screens.charges.list.total {
        model.screens.charges.list.total = polled.total;
        model.touch();
    }
    if model.screens.charges.store.is_some() {
        return store_window::on_polled(model, polled);
    }
    let mut effects = Vec::new();
    if polled.first {
        // The first poll, or a resync: the gateway's first page replaces what is held.
        let newest = std::mem::take(&mut polled.newer);
        effects.extend(replace_held(model, newest, polled.older.take()));
    }
    let disputed: Vec<Charge> = polled
        .refreshed
        .iter()
        .filter(|c| c.status == crate::domain::ChargeStatus::Disputed)
        .cloned()
        .collect();
    let added = merge_everywhere(model, polled.newer, polled.refreshed);
    for charge in &disputed {
        effects.extend(charge::load_disputes_now_known(model, charge));
    }
    if !polled.first {
        let until = now + TimeDelta::from_std(NEW_MARK_FOR).unwrap_or_default();
        for id in added {
            model.new_marks.insert(id, until);
        }
    }
    keep_selection_in_view(model);
    effects.extend(load_older_if_wanted(model));
    effects
}

/// Replaces everything held with the gateway's newest page; older pages follow as
/// before. The selection stays on its charge if the gateway still has it. During a
/// search the full list is replaced and the search asked again.
fn replace_held(model: &mut Model, newest: Vec<Charge>, older: Option<Cursor>) -> Vec<Effect> {
    let keep = model.screens.charges.list.selected().map(|c| c.id.clone());
    let mut fresh = ChargeList::default();
    fresh.set_filter(held(model).filter().clone());
    fresh.append_older(newest);
    // A page still on its way continues the list being replaced: its answer is dropped.
    let generation = model.generations.fresh();
    let screen = &mut model.screens.charges;
    screen.list.next = older;
    screen.list.generation = generation;
    if screen.stash.is_some() {
        screen.stash = Some(fresh);
        model.touch();
        return search(model, screen_filter(model));
    }
    if let Some(id) = keep {
        fresh.select_id(&id);
    }
    model.screens.charges.list.held = fresh;
    model.touch();
    Vec::new()
}

/// The filter in force on the charges list.
fn screen_filter(model: &Model) -> ChargeFilter {
    model.screens.charges.list.filter().clone()
}

/// Asks the gateway to search for `filter`, under a new generation: the answer to a
/// search asked before is dropped.
pub(crate) fn search(model: &mut Model, filter: ChargeFilter) -> Vec<Effect> {
    let screen = &mut model.screens.charges;
    screen.searching = true;
    screen.search = model.generations.fresh();
    vec![Effect::Search {
        filter,
        generation: screen.search,
    }]
}

/// Merges news into the list on screen and, during a search, into the full list too.
/// Returns the ids of charges not held before.
fn merge_everywhere(model: &mut Model, newer: Vec<Charge>, refreshed: Vec<Charge>) -> Vec<String> {
    let mut changed = false;
    let mut added = Vec::new();
    if let Some(stash) = &mut model.screens.charges.stash {
        let merged = stash.merge_newer(newer.clone());
        changed |= !merged.is_empty();
        added = merged.added;
    }
    let merged = model.screens.charges.list.merge_newer(newer);
    changed |= !merged.is_empty();
    if model.screens.charges.stash.is_none() {
        added = merged.added;
    }
    for charge in &refreshed {
        changed |= model.update_charge(charge);
    }
    if changed {
        model.touch();
    }
    added
}

/// Fetches the next older page while fewer than `PREFETCH` charges are held, or when
/// the selection nears the end of what is held.
pub(crate) fn load_older_if_wanted(model: &mut Model) -> Option<Effect> {
    if model.screens.charges.store.is_some() {
        return store_window::page_if_wanted(model);
    }
    let rows =
        layout::table_body_rows(&layout::regions(crate::app::layout::screen(model), model)).max(1);
    let screen = &mut model.screens.charges;
    if screen.stash.is_some() {
        return None;
    }
    let list = &mut screen.list;
    let near_end = list.selected_row() + 2 * rows >= list.visible_len();
    if list.len() < PREFETCH || near_end || list.to_end {
        return list.ask_next().map(Effect::LoadOlder);
    }
    None
}

pub(crate) fn on_older(model: &mut Model, answer: PageAnswer<Charge>) -> Vec<Effect> {
    // A page for a list since replaced is dropped, and the new list may ask for its own.
    model.screens.charges.list.loading = false;
    let Some(result) = model.screens.charges.list.accept(answer) else {
        return load_older_if_wanted(model).into_iter().collect();
    };
    match result {
        Ok(items) => {
            let list = &mut model.screens.charges.list;
            let merged = list.append_older(items);
            if !merged.is_empty() {
                model.touch();
            }
            if model.screens.charges.list.to_end {
                // Going to the end: the selection follows each page down.
                model.screens.charges.list.move_by(isize::MAX / 2);
                keep_selection_in_view(model);
                let list = &mut model.screens.charges.list;
                list.to_end = list.next.is_some();
                model.touch();
            }
            load_older_if_wanted(model).into_iter().collect()
        }
        Err(e) => {
            model.screens.charges.list.to_end = false;
            model.toast(
                ToastKind::Error,
                format!("Could not load older charges: {e}"),
            );
            Vec::new()
        }
    }
}

/// Applies the filter bar's text: locally at once, and on the gateway where it can search.
pub(crate) fn apply_filter(model: &mut Model, text: &str, filter: ChargeFilter) -> Vec<Effect> {
    if model.screens.charges.store.is_some() {
        return store_window::apply_filter(model, text, filter);
    }
    let screen = &mut model.screens.charges;
    if let Some(stash) = screen.stash.take() {
        screen.list.held = stash;
    }
    screen.list.filter_text = text.trim().to_string();
    screen.searching = false;
    screen.search_note = None;
    let server = model.session.caps.server_search
        && (!filter.text.trim().is_empty() || filter.from.is_some() || filter.until.is_some());
    screen.list.set_filter(filter.clone());
    keep_selection_in_view(model);
    model.touch();
    if server {
        return search(model, filter);
    }
    Vec::new()
}

/// The gateway's matches replace the table until the filter changes; the full list
/// waits aside and keeps receiving news.
pub(crate) fn on_searched(
    model: &mut Model,
    generation: Generation,
    result: Result<Vec<Charge>, GatewayError>,
) -> Vec<Effect> {
    let screen = &mut model.screens.charges;
    if generation != screen.search || !screen.searching {
        return Vec::new(); // an answer to a search no longer in force
    }
    screen.searching = false;
    let over_store = screen.store.is_some();
    model.touch();
    if over_store {
        return store_window::on_searched(model, result);
    }
    match result {
        Ok(found) => {
            let filter = screen_filter(model);
            let (merged, note) = with_local_matches(model, &filter, found);
            let mut results = ChargeList::default();
            results.set_filter(filter);
            results.append_older(merged);
            let screen = &mut model.screens.charges;
            screen.stash = Some(std::mem::replace(&mut screen.list.held, results));
            screen.search_note = Some(note);
            keep_selection_in_view(model);
        }
        Err(e) => model.toast(
            ToastKind::Error,
            format!("The gateway's search failed ({e}); showing local matches only"),
        ),
    }
    Vec::new()
}

/// The gateway's matches and the held charges that match locally, newest first, and
/// what to say about them. No gateway's search covers every field the filter does (some
/// have no card last 4 or partial ids, others no emails or descriptions), so what is
/// held is matched here as well.
fn with_local_matches(
    model: &Model,
    filter: &crate::domain::ChargeFilter,
    found: Vec<Charge>,
) -> (Vec<Charge>, SearchNote) {
    let from_gateway = found.iter().filter(|c| filter.matches(c)).count();
    let ids: std::collections::HashSet<&str> = found.iter().map(|c| c.id.as_str()).collect();
    let held = &model.screens.charges.list.held;
    let local: Vec<Charge> = held
        .iter()
        .filter(|c| !ids.contains(c.id.as_str()) && filter.matches(c))
        .cloned()
        .collect();
    let note = SearchNote {
        found: from_gateway,
        more: local.len(),
        held: held.len(),
    };
    let mut merged = found;
    merged.extend(local);
    // Newest first, as every list is; the sort is stable, so ties keep their order.
    merged.sort_by_key(|c| std::cmp::Reverse(c.created));
    (merged, note)
}

pub(crate) fn keep_selection_in_view(model: &mut Model) {
    let rows = layout::table_body_rows(&layout::regions(crate::app::layout::screen(model), model));
    model.screens.charges.list.scroll_into_view(rows);
}

/// The status line's keys on the charges list, with or without the open charge beside it.
pub(crate) fn hints(model: &Model) -> Vec<Hint> {
    let screen = &model.screens.charges;
    let mut out = Vec::new();
    match &screen.detail {
        Some(detail) => {
            out.push((Intent::Back, "close"));
            out.push((
                Intent::RawJson,
                if detail.view.raw {
                    "fields"
                } else {
                    "raw JSON"
                },
            ));
            if model.screen.0 >= crate::app::layout::SIDE_BY_SIDE_WIDTH {
                let other = if screen.focus == Focus::Table {
                    "to detail"
                } else {
                    "to list"
                };
                out.push((Intent::SwitchFocus, other));
            }
        }
        None if screen.list.selected().is_some() => out.push((Intent::Open, "open")),
        None => {}
    }
    out.extend(super::charge::actions(model));
    out.push((Intent::Filter, "filter"));
    out
}
