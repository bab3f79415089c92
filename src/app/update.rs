//! `update`: the only code that changes the `Model`. It does no I/O; it returns the
//! effects it wants run, whose results come back as `Msg`s. Each screen and dialog
//! takes in its own answers (`screens`, `dialogs`); this routes them.

use chrono::{DateTime, Utc};
use crossterm::event::{MouseEvent, MouseEventKind};

use super::dialogs;
use super::effect::Effect;
use super::keys;
use super::layout;
use super::model::{Mode, Model, ToastKind};
use super::msg::Msg;
use super::profile_switch;
use super::quitting;
use super::screens::{
    self, CustomersPane, DisputesPane, PayoutsPane, RefundsPane, balance, charge, charges,
    customer, disputes, list_screen, payout,
};
use super::store_window;

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
    // While a profile opens, the mouse and pastes would act on the one being left.
    if model.opening.is_some() && matches!(msg, Msg::Mouse(_) | Msg::Paste(_)) {
        return Vec::new();
    }
    match msg {
        Msg::Key(key) if profile_switch::holds_key(model, &key) => Vec::new(),
        Msg::Key(key) => keys::on_key(model, key),
        Msg::Mouse(mouse) => on_mouse(model, mouse),
        Msg::Paste(text) => keys::on_paste(model, &text),
        Msg::Resize(width, height) => {
            model.screen = (width, height);
            charges::keep_selection_in_view(model);
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
        Msg::Polled(result) => {
            let news = matches!(&result, Ok(p) if !p.newer.is_empty() || !p.refreshed.is_empty());
            let mut effects = charges::on_polled(model, result);
            if news {
                effects.extend(super::screens::stats::on_news(model, false));
            }
            effects
        }
        Msg::OlderLoaded(result) => charges::on_older(model, result),
        Msg::StoreOpened(result) => store_window::on_opened(model, result),
        Msg::StorePaged { ask, result } => store_window::on_paged(model, ask, result),
        Msg::StorePartlyTotalled {
            generation,
            partial,
        } => store_window::on_partly_totalled(model, generation, partial),
        Msg::StatsRead { generation, result } => {
            super::screens::stats::on_stats(model, generation, result.map(|s| *s))
        }
        Msg::StoreTotalled { generation, result } => {
            store_window::on_totalled(model, generation, result)
        }
        Msg::SyncProgress(text) => store_window::on_sync_progress(model, text),
        Msg::Synced(result) => {
            let mut effects = store_window::on_synced(model, result);
            effects.extend(super::screens::stats::on_news(model, true));
            effects
        }
        Msg::StoreWriteFailed(why) => {
            model.toast(
                ToastKind::Error,
                format!("Could not write to the local store: {why}"),
            );
            Vec::new()
        }
        Msg::RawLoaded(answer) => charge::on_raw(model, answer),
        Msg::Searched { generation, result } => charges::on_searched(model, generation, result),
        Msg::RefundsLoaded(answer) => charge::on_refunds(model, answer),
        Msg::ActionDone {
            key,
            action,
            charge_id,
            amount,
            result,
        } => dialogs::action::on_done(model, &key, action, &charge_id, amount, result),
        Msg::CustomersLoaded(answer) => list_screen::on_page::<CustomersPane>(model, answer),
        Msg::CustomerLoaded(answer) => customer::on_customer(model, answer),
        Msg::CardsLoaded(answer) => customer::on_cards(model, answer),
        Msg::SubscriptionsLoaded(answer) => customer::on_subscriptions(model, answer),
        Msg::CustomerChargesLoaded {
            customer_id,
            answer,
        } => customer::on_customer_charges(model, &customer_id, answer),
        Msg::RefundListLoaded(answer) => list_screen::on_page::<RefundsPane>(model, answer),
        Msg::ChargeLoaded(answer) => charge::on_charge_loaded(model, answer),
        Msg::Verified(answer) => charge::on_verified(model, answer),
        Msg::ConfirmedDone {
            key,
            action,
            result,
        } => dialogs::confirm::on_done(model, &key, &action, result),
        Msg::CustomerCharged { answer, .. } => dialogs::new_charge::on_done(model, answer),
        Msg::DisputesLoaded(answer) => list_screen::on_page::<DisputesPane>(model, answer),
        Msg::DisputeLoaded { key, result } => disputes::on_dispute(model, key.as_ref(), result),
        Msg::ChargeDisputeLoaded(answer) => disputes::on_charge_dispute(model, answer),
        Msg::PayoutsLoaded(answer) => list_screen::on_page::<PayoutsPane>(model, answer),
        Msg::PayoutLoaded(answer) => payout::on_payout(model, answer),
        Msg::PayoutLinesLoaded { payout_id, answer } => payout::on_lines(model, &payout_id, answer),
        Msg::BalanceLoaded(result) => balance::on_balance(model, result),
        Msg::ChargeSettlementLoaded(answer) => charge::on_settlement(model, answer),
        Msg::Unreadable { list, skipped } => {
            model.note_unreadable(list, &skipped);
            Vec::new()
        }
        Msg::Drawn(drawn) => {
            model.drawn = drawn;
            Vec::new()
        }
        Msg::Copied { what, result } => {
            match result {
                Ok(how) => model.toast(ToastKind::Info, format!("Copied the {what} ({how})")),
                Err(why) => model.toast(ToastKind::Error, format!("Could not copy: {why}")),
            }
            Vec::new()
        }
        Msg::ProfileOpened(session) => {
            profile_switch::on_opened(model, *session);
            Vec::new()
        }
        Msg::ProfileFailed(why) => {
            profile_switch::on_failed(model, why);
            Vec::new()
        }
        Msg::ProfileWaiting(waited) => {
            profile_switch::on_waiting(model, waited);
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
        Msg::Recon(answer) => screens::recon::on_answer(model, answer),
        Msg::StoreNews(news) => screens::recon_live::on_news(model, news),
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
    charges::start_poll(model)
}

fn on_mouse(model: &mut Model, mouse: MouseEvent) -> Vec<Effect> {
    if !matches!(model.mode, Mode::Normal) {
        return Vec::new();
    }
    match mouse.kind {
        MouseEventKind::ScrollDown => screens::on_wheel(model, true),
        MouseEventKind::ScrollUp => screens::on_wheel(model, false),
        MouseEventKind::Down(_) => {
            let regions = layout::regions(crate::app::layout::screen(model), model);
            let Some(row) = layout::table_row_at(&regions, mouse.column, mouse.row) else {
                return Vec::new();
            };
            let rows = layout::table_body_rows(&regions);
            screens::on_click(model, row, rows)
        }
        _ => Vec::new(),
    }
}
