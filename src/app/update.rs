//! `update`: the only code that changes the `Model`. It does no I/O; it returns the
//! effects it wants run, whose results come back as `Msg`s.

use chrono::{DateTime, TimeDelta, Utc};
use crossterm::event::{MouseEvent, MouseEventKind};

use super::charge_list::ChargeList;
use super::dialog::DialogState;
use super::effect::Effect;
use super::keymap::Intent;
use super::keys;
use super::model::{Loadable, Mode, Model, NEW_MARK_FOR, PREFETCH, SearchNote, ToastKind};
use super::msg::{Msg, Polled};
use super::panes::{Pane, Section};
use super::poll::REFRESH_PER_POLL;
use super::quitting;
use super::update_panes;
use crate::domain::{Action, Charge, ChargeFilter, Cursor, Refund};
use crate::gateway::{GatewayError, OperationKey};
use crate::money::Money;
use crate::ui::layout;

pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let effects = dispatch(model, msg);
    quitting::track(model, &effects);
    effects
}

fn dispatch(model: &mut Model, msg: Msg) -> Vec<Effect> {
    // Once told to stop, nothing the operator does starts anything new.
    if model.stopping.is_some() && matches!(msg, Msg::Key(_) | Msg::Mouse(_) | Msg::Paste(_)) {
        return Vec::new();
    }
    match msg {
        Msg::Key(key) => keys::on_key(model, key),
        Msg::Mouse(mouse) => on_mouse(model, mouse),
        Msg::Paste(text) => keys::on_paste(model, &text),
        Msg::Resize(width, height) => {
            model.screen = (width, height);
            keep_selection_in_view(model);
            model.touch();
            Vec::new()
        }
        Msg::Tick(now) => on_tick(model, now),
        Msg::Spin => {
            if model.in_flight() {
                model.spinner = model.spinner.wrapping_add(1);
                model.touch();
            }
            Vec::new()
        }
        Msg::Polled(result) => on_polled(model, result),
        Msg::OlderLoaded(result) => on_older(model, result),
        Msg::Searched {
            filter_text,
            result,
        } => on_searched(model, &filter_text, result),
        Msg::RefundsLoaded { charge_id, result } => on_refunds(model, &charge_id, result),
        Msg::ActionDone {
            key,
            action,
            charge_id,
            amount,
            result,
        } => on_action_done(model, &key, action, &charge_id, amount, result),
        Msg::CustomersLoaded(result) => update_panes::on_customers(model, result),
        Msg::CustomerLoaded { id, result } => update_panes::on_customer(model, &id, result),
        Msg::CardsLoaded {
            customer_id,
            result,
        } => update_panes::on_cards(model, &customer_id, result),
        Msg::SubscriptionsLoaded {
            customer_id,
            result,
        } => update_panes::on_subscriptions(model, &customer_id, result),
        Msg::CustomerChargesLoaded {
            customer_id,
            result,
        } => update_panes::on_customer_charges(model, &customer_id, result),
        Msg::RefundListLoaded(result) => update_panes::on_refund_list(model, result),
        Msg::ChargeLoaded { id, result } => update_panes::on_charge_loaded(model, &id, result),
        Msg::Verified { session, result } => update_panes::on_verified(model, &session, result),
        Msg::ConfirmedDone {
            key,
            action,
            result,
        } => update_panes::on_confirmed_done(model, &key, &action, result),
        Msg::CustomerCharged {
            customer_id,
            result,
            ..
        } => update_panes::on_customer_charged(model, &customer_id, result),
        Msg::DisputesLoaded(result) => update_panes::on_disputes(model, result),
        Msg::DisputeLoaded { key, result } => update_panes::on_dispute(model, key.as_ref(), result),
        Msg::ChargeDisputeLoaded { charge_id, result } => {
            update_panes::on_charge_dispute(model, &charge_id, result)
        }
        Msg::Unreadable { list, skipped } => {
            model.note_unreadable(list, &skipped);
            Vec::new()
        }
        Msg::Copied(result) => {
            match result {
                Ok(how) => model.toast(ToastKind::Info, format!("Copied the charge id ({how})")),
                Err(why) => model.toast(ToastKind::Error, format!("Could not copy: {why}")),
            }
            Vec::new()
        }
        Msg::ProfileFailed(why) => {
            model.toast(ToastKind::Error, why);
            Vec::new()
        }
        Msg::Interrupted(checked) => {
            let kind = if checked.answer.is_ok() {
                ToastKind::Info
            } else {
                ToastKind::Error
            };
            model.notice(kind, checked.notice());
            Vec::new()
        }
        Msg::WriteSettled(key) => {
            quitting::settled(model, &key);
            Vec::new()
        }
        Msg::Signal(signal) => {
            quitting::on_signal(model, Some(signal));
            Vec::new()
        }
        Msg::Terminate => {
            quitting::on_signal(model, None);
            Vec::new()
        }
    }
}

/// Time passed: expire what was shown for a while, and poll when due.
fn on_tick(model: &mut Model, now: DateTime<Utc>) -> Vec<Effect> {
    let was = model.poll.freshness(model.now);
    // The header counts down to the next try in whole seconds.
    let countdown = |m: &Model| m.poll.retry_in(m.now).map(|d| d.num_seconds());
    let was_counting = countdown(model);
    model.now = now;
    quitting::on_tick(model, now);
    if model.poll.freshness(now) != was || countdown(model) != was_counting {
        model.touch();
    }
    let toasts = model.toasts.len();
    model.toasts.retain(|t| t.until > now);
    let marks = model.new_marks.len();
    model.new_marks.retain(|_, until| *until > now);
    if model.toasts.len() != toasts || model.new_marks.len() != marks {
        model.touch();
    }
    start_poll(model)
}

/// Starts a poll if one is due and none is running.
pub(super) fn start_poll(model: &mut Model) -> Vec<Effect> {
    if !model.poll.should_start(model.now) {
        return Vec::new();
    }
    model.poll.started(model.now);
    let newest = if std::mem::take(&mut model.poll.resync) {
        None
    } else {
        held(model).newest().map(|c| (c.id.clone(), c.created))
    };
    let refresh = to_refresh(model);
    vec![Effect::Poll { newest, refresh }]
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
    if let Some(detail) = &model.detail {
        if !ids.contains(&detail.charge_id) {
            ids.push(detail.charge_id.clone());
        }
    }
    ids
}

/// All charges held, whether or not a server search is showing.
fn held(model: &Model) -> &ChargeList {
    model.stash.as_ref().unwrap_or(&model.charges)
}

fn on_polled(model: &mut Model, result: Result<Polled, GatewayError>) -> Vec<Effect> {
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
    if polled.total.is_some() && polled.total != model.total {
        model.total = polled.total;
        model.touch();
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
        effects.extend(update_panes::load_disputes_now_known(model, charge));
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
    let keep = model.charges.selected().map(|c| c.id.clone());
    let mut fresh = ChargeList::default();
    fresh.set_filter(held(model).filter().clone());
    fresh.append_older(newest);
    model.older.next = older;
    // A page still on its way continues the list being replaced.
    model.older.discard = model.older.loading;
    model.touch();
    if model.stash.is_some() {
        model.stash = Some(fresh);
        model.searching = true;
        return vec![Effect::Search {
            filter: model.charges.filter().clone(),
            filter_text: model.filter_text.clone(),
        }];
    }
    if let Some(id) = keep {
        fresh.select_id(&id);
    }
    model.charges = fresh;
    Vec::new()
}

/// Merges news into the list on screen and, during a search, into the full list too.
/// Returns the ids of charges not held before.
fn merge_everywhere(model: &mut Model, newer: Vec<Charge>, refreshed: Vec<Charge>) -> Vec<String> {
    let mut changed = false;
    let mut added = Vec::new();
    if let Some(stash) = &mut model.stash {
        let merged = stash.merge_newer(newer.clone());
        changed |= !merged.is_empty();
        added = merged.added;
    }
    let merged = model.charges.merge_newer(newer);
    changed |= !merged.is_empty();
    if model.stash.is_none() {
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
pub(super) fn load_older_if_wanted(model: &mut Model) -> Option<Effect> {
    if model.older.loading || model.stash.is_some() {
        return None;
    }
    let next = model.older.next.clone()?;
    let rows = layout::table_body_rows(&layout::regions(screen_rect(model), model)).max(1);
    let near_end = model.charges.selected_row() + 2 * rows >= model.charges.visible_len();
    if model.charges.len() < PREFETCH || near_end || model.older.to_end {
        model.older.loading = true;
        return Some(Effect::LoadOlder(next));
    }
    None
}

fn on_older(
    model: &mut Model,
    result: Result<crate::domain::Page<Charge>, GatewayError>,
) -> Vec<Effect> {
    model.older.loading = false;
    if std::mem::take(&mut model.older.discard) {
        return load_older_if_wanted(model).into_iter().collect();
    }
    match result {
        Ok(page) => {
            model.older.next = page.next;
            if page.total.is_some() {
                model.total = page.total;
            }
            let merged = model.charges.append_older(page.items);
            if !merged.is_empty() {
                model.touch();
            }
            if model.older.to_end {
                // Going to the end: the selection follows each page down.
                model.charges.move_by(isize::MAX / 2);
                keep_selection_in_view(model);
                model.older.to_end = model.older.next.is_some();
                model.touch();
            }
            load_older_if_wanted(model).into_iter().collect()
        }
        Err(e) => {
            model.older.to_end = false;
            model.toast(
                ToastKind::Error,
                format!("Could not load older charges: {e}"),
            );
            Vec::new()
        }
    }
}

/// Applies the filter bar's text: locally at once, and on the gateway where it can search.
pub(super) fn apply_filter(model: &mut Model, text: &str, filter: ChargeFilter) -> Vec<Effect> {
    if let Some(stash) = model.stash.take() {
        model.charges = stash;
    }
    model.filter_text = text.trim().to_string();
    model.searching = false;
    model.search_note = None;
    let server = model.session.caps.server_search
        && (!filter.text.trim().is_empty() || filter.from.is_some() || filter.until.is_some());
    model.charges.set_filter(filter.clone());
    keep_selection_in_view(model);
    model.touch();
    if server {
        model.searching = true;
        return vec![Effect::Search {
            filter,
            filter_text: model.filter_text.clone(),
        }];
    }
    Vec::new()
}

/// The gateway's matches replace the table until the filter changes; the full list
/// waits aside and keeps receiving news.
fn on_searched(
    model: &mut Model,
    filter_text: &str,
    result: Result<Vec<Charge>, GatewayError>,
) -> Vec<Effect> {
    if filter_text != model.filter_text {
        return Vec::new(); // an answer to a filter no longer in force
    }
    model.searching = false;
    model.touch();
    match result {
        Ok(found) => {
            let filter = model.charges.filter().clone();
            let (merged, note) = with_local_matches(model, &filter, found);
            let mut results = ChargeList::default();
            results.set_filter(filter);
            results.append_older(merged);
            model.stash = Some(std::mem::replace(&mut model.charges, results));
            model.search_note = Some(note);
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
/// what to say about them. No gateway's search covers every field the filter does (Pin
/// has no card last 4 or partial ids, Stripe no emails or descriptions), so what is
/// held is matched here as well.
fn with_local_matches(
    model: &Model,
    filter: &crate::domain::ChargeFilter,
    found: Vec<Charge>,
) -> (Vec<Charge>, SearchNote) {
    let from_gateway = found.iter().filter(|c| filter.matches(c)).count();
    let ids: std::collections::HashSet<&str> = found.iter().map(|c| c.id.as_str()).collect();
    let held = &model.charges;
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

fn on_refunds(
    model: &mut Model,
    charge_id: &str,
    result: Result<Vec<Refund>, GatewayError>,
) -> Vec<Effect> {
    let loaded = match result {
        Ok(refunds) => Loadable::Loaded(refunds),
        Err(e) => Loadable::Failed(e.to_string()),
    };
    let panes = model.panes.iter_mut().filter_map(|pane| match pane {
        Pane::Charge(pane) => Some(&mut pane.detail),
        _ => None,
    });
    for detail in model.detail.iter_mut().chain(panes) {
        if detail.charge_id == charge_id {
            detail.refunds = loaded.clone();
        }
    }
    model.touch();
    Vec::new()
}

fn on_action_done(
    model: &mut Model,
    key: &OperationKey,
    action: Action,
    charge_id: &str,
    amount: Money,
    result: Result<Option<Box<Charge>>, GatewayError>,
) -> Vec<Effect> {
    model.busy.remove(charge_id);
    model.touch();
    let dialog_open =
        matches!(&model.mode, Mode::Dialog(d) if d.charge_id == charge_id && d.is_working());
    match result {
        Ok(charge) => {
            if let Some(charge) = charge {
                model.update_charge(&charge);
            }
            let text = done_text(action, amount, charge_id);
            if dialog_open {
                model.mode = Mode::Normal;
            }
            model.toast(ToastKind::Success, text);
            tracing::info!(%key, ?action, charge_id, "action done");
            let in_pane =
                |p: &Pane| matches!(p, Pane::Charge(c) if c.detail.charge_id == charge_id);
            let showing = model
                .detail
                .as_ref()
                .is_some_and(|d| d.charge_id == charge_id)
                || model.panes.iter().any(in_pane);
            if showing {
                return vec![Effect::LoadRefunds(charge_id.to_string())];
            }
        }
        Err(e) => {
            let words = e.to_string();
            match &mut model.mode {
                Mode::Dialog(dialog) if dialog_open => dialog.state = DialogState::Failed(words),
                _ => model.toast(
                    ToastKind::Error,
                    format!("The {} of {charge_id} failed: {words}", action.name()),
                ),
            }
        }
    }
    Vec::new()
}

fn done_text(action: Action, amount: Money, charge_id: &str) -> String {
    let done = match action {
        Action::Capture => "Captured",
        Action::Void => "Released the authorisation of",
        Action::Refund => "Refunded",
    };
    format!("{done} {amount} on {charge_id}")
}

fn on_mouse(model: &mut Model, mouse: MouseEvent) -> Vec<Effect> {
    if !matches!(model.mode, Mode::Normal) {
        return Vec::new();
    }
    let scroll = |model: &mut Model, intent| -> Vec<Effect> {
        (0..3)
            .flat_map(|_| super::pane_keys::on_key(model, intent))
            .collect()
    };
    match (mouse.kind, model.pane().is_some()) {
        (MouseEventKind::ScrollDown, false) => keys::move_selection(model, 3),
        (MouseEventKind::ScrollUp, false) => keys::move_selection(model, -3),
        (MouseEventKind::ScrollDown, true) => scroll(model, Intent::Down),
        (MouseEventKind::ScrollUp, true) => scroll(model, Intent::Up),
        (MouseEventKind::Down(_), _) => {
            let regions = layout::regions(screen_rect(model), model);
            let Some(row) = layout::table_row_at(&regions, mouse.column, mouse.row) else {
                return Vec::new();
            };
            let rows = layout::table_body_rows(&regions);
            model.touch();
            match model.panes.last_mut() {
                None => {
                    let first = crate::ui::first_row(model, rows);
                    model.charges.select_row(first + row);
                    load_older_if_wanted(model).into_iter().collect()
                }
                Some(Pane::Customer(pane)) if pane.section == Section::Charges => {
                    let first = crate::ui::first_row_of(&pane.charges, rows);
                    pane.charges.select_row(first + row);
                    Vec::new()
                }
                Some(Pane::Customers(pane)) => {
                    pane.list.select_row(pane.list.offset() + row);
                    Vec::new()
                }
                Some(Pane::Refunds(pane)) => {
                    pane.list.select_row(pane.list.offset() + row);
                    Vec::new()
                }
                Some(_) => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

pub(super) fn screen_rect(model: &Model) -> ratatui::layout::Rect {
    ratatui::layout::Rect::new(0, 0, model.screen.0, model.screen.1)
}

pub(super) fn keep_selection_in_view(model: &mut Model) {
    let rows = layout::table_body_rows(&layout::regions(screen_rect(model), model));
    model.charges.scroll_into_view(rows);
}
