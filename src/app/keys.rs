//! What a key does, by what has the keyboard: the table, the filter bar, the command
//! line, an action dialog or the help.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::command::{self, Command};
use super::confirm::{ConfirmDialog, Irreversible};
use super::dialog::{ActionDialog, DialogState};
use super::dialog_keys;
use super::effect::Effect;
use super::evidence::EvidenceDialog;
use super::filter_query;
use super::keymap::Intent;
use super::model::{Detail, Focus, Loadable, Mode, Model, ToastKind};
use super::pane_keys;
use super::panes::{Pane, Section, customer_matches};
use super::quitting;
use super::update::{
    apply_filter, keep_selection_in_view, load_older_if_wanted, screen_rect, start_poll,
};
use super::update_panes;
use crate::domain::{Action, ChargeStatus, Dispute, check_action};
use crate::timezone::Zone;
use crate::ui::layout;

pub fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if matches!(model.mode, Mode::QuitAnyway) {
        quitting::on_key(model, key);
        return Vec::new();
    }
    // Ctrl-C leaves from anywhere, as a terminal user expects (asking first if a write
    // is in flight).
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        quitting::request_quit(model);
        return Vec::new();
    }
    match &model.mode {
        Mode::Normal => on_normal_key(model, key),
        Mode::Help { .. } => on_help_key(model, key),
        Mode::Filter { .. } => on_filter_key(model, key),
        Mode::Command { .. } => on_command_key(model, key),
        Mode::Dialog(_) => dialog_keys::on_action_key(model, key),
        Mode::Confirm(_) => dialog_keys::on_confirm_key(model, key),
        Mode::NewCharge(_) => dialog_keys::on_new_charge_key(model, key),
        Mode::Evidence(_) => dialog_keys::on_evidence_key(model, key),
        Mode::QuitAnyway => Vec::new(),
    }
}

/// The help closes with the keys that opened it and scrolls with the moving keys.
fn on_help_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let intent = model.keymap.intent(&key);
    if matches!(intent, Some(Intent::Back | Intent::Help | Intent::Quit)) {
        model.mode = Mode::Normal;
        model.touch();
        return Vec::new();
    }
    let area = layout::overlay_area(&layout::regions(screen_rect(model), model));
    let page = crate::ui::help_page_rows(model, area);
    let max = crate::ui::help_max_scroll(model, area);
    if let (Some(delta), Mode::Help { scroll }) = (
        intent.and_then(|i| pane_keys::movement(i, page)),
        &mut model.mode,
    ) {
        *scroll = pane_keys::scrolled(*scroll, delta, max);
        model.touch();
    }
    Vec::new()
}

/// Pasted text goes into whichever field is being edited; the table ignores it. The
/// evidence editor keeps the paste's line breaks.
pub fn on_paste(model: &mut Model, text: &str) -> Vec<Effect> {
    if let Mode::Evidence(dialog) = &mut model.mode {
        if dialog.state != DialogState::Working {
            dialog.input.insert_str(text);
            dialog.state = DialogState::Editing;
            model.touch();
        }
        return Vec::new();
    }
    let mut effects = Vec::new();
    for c in text.chars().filter(|c| !c.is_control()) {
        let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        match model.mode {
            Mode::Normal | Mode::Help { .. } | Mode::QuitAnyway => return effects,
            _ => effects.extend(on_key(model, key)),
        }
    }
    effects
}

fn on_normal_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Some(intent) = model.keymap.intent(&key) else {
        return Vec::new();
    };
    match intent {
        Intent::Command => {
            model.mode = Mode::Command {
                input: Input::default(),
                error: None,
            };
            model.touch();
            return Vec::new();
        }
        Intent::Help => {
            model.mode = Mode::Help { scroll: 0 };
            model.touch();
            return Vec::new();
        }
        Intent::Quit => {
            quitting::request_quit(model);
            return Vec::new();
        }
        Intent::Back if !model.panes.is_empty() => {
            model.panes.pop();
            model.touch();
            return Vec::new();
        }
        Intent::Filter => return open_filter(model),
        Intent::ToggleTimezone => return toggle_zone(model),
        Intent::Capture | Intent::Void | Intent::Refund if model.session.read_only => {
            model.toast(
                ToastKind::Info,
                "Read-only: capture, void and refund are off",
            );
            return Vec::new();
        }
        Intent::Capture => return open_dialog(model, Action::Capture),
        Intent::Void => return open_dialog(model, Action::Void),
        Intent::Refund => return open_dialog(model, Action::Refund),
        Intent::OpenCustomer => return open_customer_of_target(model),
        Intent::SubmitEvidence | Intent::AcceptDispute => return dispute_action(model, intent),
        Intent::Verify3ds => return verify_target(model),
        _ => {}
    }
    if model.pane().is_some() {
        return pane_keys::on_key(model, intent);
    }
    let rows = layout::table_body_rows(&layout::regions(screen_rect(model), model)).max(1) as isize;
    let detail_focused = model.detail.is_some() && model.focus == Focus::Detail;
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
        Intent::Top => move_selection(model, isize::MIN / 2),
        Intent::Bottom => go_to_end(model),
        Intent::Open => open_detail(model),
        Intent::Back => {
            if model.detail.take().is_some() {
                model.focus = Focus::Table;
                keep_selection_in_view(model);
                model.touch();
                Vec::new()
            } else if !model.filter_text.is_empty() {
                apply_filter(model, "", Default::default())
            } else {
                Vec::new()
            }
        }
        Intent::SwitchFocus => {
            if model.detail.is_some() {
                model.focus = match model.focus {
                    Focus::Table => Focus::Detail,
                    Focus::Detail => Focus::Table,
                };
                model.touch();
            }
            Vec::new()
        }
        Intent::Copy => match target(model) {
            Some(id) => vec![Effect::Copy(id)],
            None => Vec::new(),
        },
        Intent::Refresh => refresh(model),
        Intent::RawJson => {
            if let Some(detail) = &mut model.detail {
                detail.raw = !detail.raw;
                detail.scroll = 0;
                model.touch();
            }
            Vec::new()
        }
        // Handled above, or meaning nothing on the charges list.
        _ => Vec::new(),
    }
}

/// Flips the shown times between the configured zone and UTC, and counts the list's
/// filter dates again in the zone now shown.
fn toggle_zone(model: &mut Model) -> Vec<Effect> {
    model.zone = if model.zone == Zone::Utc {
        model.configured_zone
    } else {
        Zone::Utc
    };
    let label = model.zone.label(model.now);
    let text = match model.zone {
        Zone::Local => format!("Times in local time ({label})"),
        _ => format!("Times in {label}"),
    };
    model.toast(ToastKind::Info, text);
    let filter = match model.pane() {
        None => Some(model.filter_text.clone()),
        Some(Pane::Refunds(pane)) => Some(pane.list.filter_text.clone()),
        Some(Pane::Customer(pane)) => Some(pane.charges_filter.clone()),
        Some(_) => None,
    };
    match filter {
        Some(text) if filter_query::has_dates(&text) => apply_pane_filter(model, &text),
        _ => Vec::new(),
    }
}

/// The filter bar, for whichever list is on screen.
fn open_filter(model: &mut Model) -> Vec<Effect> {
    let text = match model.pane() {
        None => Some(model.filter_text.clone()),
        Some(Pane::Customers(pane)) => Some(pane.list.filter_text.clone()),
        Some(Pane::Refunds(pane)) => Some(pane.list.filter_text.clone()),
        Some(Pane::Customer(pane)) => Some(pane.charges_filter.clone()),
        Some(Pane::Charge(_) | Pane::Disputes(_)) => None,
    };
    if let Some(text) = text {
        model.mode = Mode::Filter {
            input: Input::new(text),
            error: None,
        };
        model.touch();
    }
    Vec::new()
}

/// The dispute the keys act on: the selected one on the disputes screen, else the
/// open charge's.
fn target_dispute(model: &Model) -> Option<Dispute> {
    let loaded = |detail: &Detail| match &detail.dispute {
        Loadable::Loaded(Some(dispute)) => Some(dispute.clone()),
        _ => None,
    };
    match model.pane() {
        Some(Pane::Disputes(pane)) => pane.list.selected().cloned(),
        Some(Pane::Charge(pane)) => loaded(&pane.detail),
        Some(_) => None,
        None => model.detail.as_ref().and_then(loaded),
    }
}

/// Evidence or acceptance, for a dispute that still needs a response.
fn dispute_action(model: &mut Model, intent: Intent) -> Vec<Effect> {
    let Some(dispute) = target_dispute(model) else {
        return Vec::new();
    };
    if model.session.read_only {
        model.toast(ToastKind::Info, "Read-only: disputes cannot be answered");
        return Vec::new();
    }
    if !dispute.status.needs_response() {
        let text = format!(
            "{} is {}; only a dispute that needs a response can be answered",
            dispute.id,
            dispute.status.label()
        );
        model.toast(ToastKind::Info, text);
        return Vec::new();
    }
    if let Some(what) = model.busy.get(&dispute.id) {
        let text = format!("A {what} of {} is still in flight", dispute.id);
        model.toast(ToastKind::Info, text);
        return Vec::new();
    }
    model.mode = if intent == Intent::SubmitEvidence {
        Mode::Evidence(EvidenceDialog::new(&dispute))
    } else {
        let sentence = format!(
            "Accept the {} dispute of {} on {}: no evidence is sent, the money stays with the cardholder, and this cannot be undone.",
            dispute.reason, dispute.amount, dispute.charge_id
        );
        let action = Irreversible::CloseDispute {
            dispute_id: dispute.id.clone(),
        };
        Mode::Confirm(ConfirmDialog::new(action, "Accept dispute", sentence))
    };
    model.touch();
    Vec::new()
}

fn open_customer_of_target(model: &mut Model) -> Vec<Effect> {
    let Some(id) = target(model) else {
        return Vec::new();
    };
    match model.find_charge(&id).and_then(|c| c.customer_id.clone()) {
        Some(customer) => update_panes::open_customer(model, &customer),
        None => {
            model.toast(ToastKind::Info, format!("{id} has no saved customer"));
            Vec::new()
        }
    }
}

/// Verifies the target charge's 3-D Secure session, where the gateway told us it.
fn verify_target(model: &mut Model) -> Vec<Effect> {
    let Some(id) = target(model) else {
        return Vec::new();
    };
    if model.session.read_only {
        model.toast(ToastKind::Info, "Read-only: verifying 3-D Secure is off");
        return Vec::new();
    }
    let Some(charge) = model.find_charge(&id) else {
        return Vec::new();
    };
    if charge.status != ChargeStatus::Pending3ds {
        let text = format!(
            "Only a charge waiting on 3-D Secure can be verified; {id} is {}",
            charge.status
        );
        model.toast(ToastKind::Info, text);
        return Vec::new();
    }
    match charge.three_d_secure_session.clone() {
        Some(session) => {
            model.busy.insert(id, "verify");
            model.touch();
            vec![Effect::Verify {
                key: model.key_mint.next_key(),
                session,
            }]
        }
        None => {
            model.toast(
                ToastKind::Info,
                "The gateway sends this charge's session token to your callback URL; verify it with :verify TOKEN",
            );
            Vec::new()
        }
    }
}

/// The charge an action applies to: the open one, else the selected one, on whichever
/// screen is on top.
pub(super) fn target(model: &Model) -> Option<String> {
    match model.pane() {
        Some(Pane::Customer(pane)) if pane.section == Section::Charges => {
            pane.charges.selected().map(|c| c.id.clone())
        }
        Some(Pane::Charge(pane)) => Some(pane.detail.charge_id.clone()),
        Some(_) => None,
        None => match (&model.detail, model.focus) {
            (Some(detail), Focus::Detail) => Some(detail.charge_id.clone()),
            _ => model.charges.selected().map(|c| c.id.clone()),
        },
    }
}

/// `G`: the last charge there is, not the last loaded. Older pages are loaded one
/// after another (the status line counts them) with the selection following, until the
/// gateway has no more; any other move stops it.
fn go_to_end(model: &mut Model) -> Vec<Effect> {
    let effects = move_selection(model, isize::MAX / 2);
    model.older.to_end = model.older.next.is_some() && model.stash.is_none();
    if model.older.to_end {
        model.touch();
        if effects.is_empty() {
            return load_older_if_wanted(model).into_iter().collect();
        }
    }
    effects
}

pub fn move_selection(model: &mut Model, delta: isize) -> Vec<Effect> {
    model.older.to_end = false;
    let before = model.charges.selected_row();
    model.charges.move_by(delta);
    if model.charges.selected_row() != before {
        keep_selection_in_view(model);
        model.touch();
    }
    load_older_if_wanted(model).into_iter().collect()
}

/// Scrolls the open charge by a line or a page of its own box, never past its end.
fn scroll_detail(model: &mut Model, intent: Intent) {
    let screen = screen_rect(model);
    let max = crate::ui::detail_max_scroll(model, screen);
    let page = layout::regions(screen, model)
        .detail
        .map_or(1, |d| usize::from(d.height.saturating_sub(2)).max(1));
    let Some(detail) = &mut model.detail else {
        return;
    };
    let Some(delta) = pane_keys::movement(intent, page) else {
        return;
    };
    detail.scroll = pane_keys::scrolled(detail.scroll, delta, max);
    model.touch();
}

fn open_detail(model: &mut Model) -> Vec<Effect> {
    let Some(id) = model.charges.selected().map(|c| c.id.clone()) else {
        return Vec::new();
    };
    let (dispute, mut effects) = dispute_of(model, &id);
    model.detail = Some(Detail {
        charge_id: id.clone(),
        raw: false,
        scroll: 0,
        refunds: Loadable::Loading,
        dispute,
    });
    // Beside the table the list keeps the keys; in place of it the detail takes them.
    let side_by_side = model.screen.0 >= layout::SIDE_BY_SIDE_WIDTH;
    model.focus = if side_by_side {
        Focus::Table
    } else {
        Focus::Detail
    };
    keep_selection_in_view(model);
    model.touch();
    effects.push(Effect::LoadRefunds(id));
    effects
}

/// For a disputed charge on a gateway with disputes, the dispute is fetched too.
pub(super) fn dispute_of(
    model: &Model,
    id: &str,
) -> (Loadable<Option<crate::domain::Dispute>>, Vec<Effect>) {
    let disputed = model
        .find_charge(id)
        .is_some_and(|c| c.status == ChargeStatus::Disputed);
    if disputed && model.session.caps.disputes {
        (
            Loadable::Loading,
            vec![Effect::LoadChargeDispute(id.to_string())],
        )
    } else {
        (Loadable::Loaded(None), Vec::new())
    }
}

/// `R`: the list is read afresh from the gateway, not just polled for news.
fn refresh(model: &mut Model) -> Vec<Effect> {
    model.poll.resync = true;
    model.poll.due_now(model.now);
    let mut effects = start_poll(model);
    if let Some(detail) = &mut model.detail {
        detail.refunds = Loadable::Loading;
        effects.push(Effect::LoadRefunds(detail.charge_id.clone()));
    }
    model.touch();
    effects
}

fn open_dialog(model: &mut Model, action: Action) -> Vec<Effect> {
    let Some(id) = target(model) else {
        return Vec::new();
    };
    if model.session.read_only {
        model.toast(
            ToastKind::Info,
            "Read-only: capture, void and refund are off",
        );
        return Vec::new();
    }
    if let Some(what) = model.busy.get(&id) {
        let text = format!("A {what} of {id} is still in flight");
        model.toast(ToastKind::Info, text);
        return Vec::new();
    }
    let Some(charge) = model.find_charge(&id) else {
        return Vec::new();
    };
    match check_action(action, charge, &model.session.caps) {
        Ok(()) => {
            let session = &model.session;
            let dialog = ActionDialog::open(action, charge, &session.caps, session.gateway);
            model.mode = Mode::Dialog(dialog);
            model.touch();
        }
        Err(refusal) => model.toast(ToastKind::Info, capitalise_first(&refusal.0)),
    }
    Vec::new()
}

fn capitalise_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn on_filter_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    model.touch();
    let refunds = matches!(model.pane(), Some(Pane::Refunds(_)));
    let customers = matches!(model.pane(), Some(Pane::Customers(_)));
    let today = filter_query::today(model.now, model.zone);
    let check = move |text: &str| -> Option<String> {
        if customers {
            None // names and emails: any text
        } else if refunds {
            filter_query::parse_refunds(text, today).err()
        } else {
            filter_query::parse(text, today).err()
        }
    };
    let Mode::Filter { input, error } = &mut model.mode else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => {
            model.mode = Mode::Normal;
            Vec::new()
        }
        KeyCode::Enter => match check(input.value()) {
            None => {
                let text = input.value().to_string();
                model.mode = Mode::Normal;
                apply_pane_filter(model, &text)
            }
            Some(why) => {
                *error = Some(why);
                Vec::new()
            }
        },
        _ => {
            input.handle_event(&Event::Key(key));
            *error = check(input.value());
            Vec::new()
        }
    }
}

/// Applies checked filter text to the list on screen.
fn apply_pane_filter(model: &mut Model, text: &str) -> Vec<Effect> {
    let rows = pane_keys::list_rows(model);
    let today = filter_query::today(model.now, model.zone);
    match model.panes.last_mut() {
        None => match filter_query::parse(text, today) {
            Ok(filter) => apply_filter(model, text, filter),
            Err(_) => Vec::new(),
        },
        Some(Pane::Customers(pane)) => {
            pane.list.set_filter(text, customer_matches(text));
            update_panes::more_for_filter(pane)
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
                pane.charges_filter = text.trim().to_string();
                pane.charges.set_filter(filter);
                pane.charges.scroll_into_view(rows);
            }
            Vec::new()
        }
        Some(Pane::Charge(_) | Pane::Disputes(_)) => Vec::new(),
    }
}

fn on_command_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    model.touch();
    let Mode::Command { input, error } = &mut model.mode else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => {
            model.mode = Mode::Normal;
            Vec::new()
        }
        KeyCode::Tab => {
            let done =
                command::complete(input.value(), &model.session.caps, &model.session.profiles);
            *input = Input::new(done.line);
            *error = None;
            Vec::new()
        }
        KeyCode::Enter => match command::parse(input.value(), &model.session.caps) {
            Ok(command) => {
                model.mode = Mode::Normal;
                run_command(model, command)
            }
            Err(why) => {
                *error = Some(why);
                Vec::new()
            }
        },
        _ => {
            input.handle_event(&Event::Key(key));
            *error = None;
            Vec::new()
        }
    }
}

fn run_command(model: &mut Model, command: Command) -> Vec<Effect> {
    match command {
        Command::Customers => update_panes::open_customers(model),
        Command::Refunds => update_panes::open_refunds(model),
        Command::Disputes => update_panes::open_disputes(model),
        Command::Verify(session) if model.session.read_only => {
            model.toast(
                ToastKind::Info,
                format!("Read-only: not verifying {session}"),
            );
            Vec::new()
        }
        Command::Verify(session) => vec![Effect::Verify {
            key: model.key_mint.next_key(),
            session,
        }],
        Command::Charges => {
            model.panes.clear();
            model.detail = None;
            model.focus = super::model::Focus::Table;
            keep_selection_in_view(model);
            Vec::new()
        }
        Command::Refresh => refresh(model),
        Command::Quit => {
            quitting::request_quit(model);
            Vec::new()
        }
        Command::Help => {
            model.mode = Mode::Help { scroll: 0 };
            Vec::new()
        }
        Command::Profile(name) if name == model.session.profile => {
            model.toast(ToastKind::Info, format!("Already on profile {name}"));
            Vec::new()
        }
        // The answer to a write would go to the profile left behind, unseen.
        Command::Profile(name) if !model.writes.is_empty() => {
            let what = model
                .writes
                .iter()
                .map(|w| w.what.as_str())
                .collect::<Vec<_>>();
            let text = format!(
                "Not switching to {name}: {} has not been confirmed yet",
                what.join(", ")
            );
            model.toast(ToastKind::Info, text);
            Vec::new()
        }
        Command::Profile(name) if model.session.profiles.contains(&name) => {
            vec![Effect::SwitchProfile(name)]
        }
        Command::Profile(name) => {
            let known = model.session.profiles.join(", ");
            model.mode = Mode::Command {
                input: Input::new(format!("profile {name}")),
                error: Some(format!("No profile {name:?}; profiles: {known}")),
            };
            Vec::new()
        }
    }
}
