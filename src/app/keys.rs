//! What a key does, by what has the keyboard: the screen on top, the filter bar, the
//! command line, a dialog or the help. Keys that mean the same on every screen (help,
//! commands, actions on a charge) are handled here; the rest by the screen on top.

use super::mode_keys::{KeyMode, ModeAction};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::command::{self, Command};
use super::dialogs::{self, DialogState, action};
use super::effect::Effect;
use super::filter_query;
use super::keymap::Intent;
use super::model::{Focus, Mode, Model, ToastKind};
use super::offers::{self, Act};
use super::quitting;
use super::screens::{
    self, CustomersPane, DisputesPane, PayoutsPane, RefundsPane, balance, charge, charges,
    customer, disputes, list_screen, payout, stack::FilterKind,
};
use crate::domain::Action;
use crate::timezone::Zone;

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
        Mode::Dialog(_)
        | Mode::Confirm(_)
        | Mode::NewCharge(_)
        | Mode::Evidence(_)
        | Mode::Recon(_) => dialogs::on_key(model, key),
        Mode::QuitAnyway => Vec::new(),
        Mode::CopyMenu(_) => super::copy_menu::on_key(model, key),
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
    let page = model.drawn.help_page_rows;
    let max = model.drawn.help_max_scroll;
    if let (Some(delta), Mode::Help { scroll }) = (
        intent.and_then(|i| screens::movement(i, page)),
        &mut model.mode,
    ) {
        *scroll = screens::scrolled(*scroll, delta, max);
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
    // A session's own keys come before the main screens' there.
    if matches!(model.screens.top(), Some(screens::Pane::Recon(_)))
        && let Some(action) = model.keymap.in_mode(KeyMode::Recon, &key)
    {
        return screens::recon_marks::on_key(model, action);
    }
    if matches!(model.screens.top(), Some(screens::Pane::Stats(_)))
        && let Some(action) = model.keymap.in_mode(KeyMode::Stats, &key)
    {
        return screens::stats::on_action(model, action);
    }
    let Some(intent) = model.keymap.intent(&key) else {
        return Vec::new();
    };
    // Whatever may be refused is asked about first; Copy copies what each screen holds.
    if let Some(act) = Act::of_intent(intent).filter(|act| *act != Act::CopyId)
        && !offers::allowed(model, act)
    {
        return Vec::new();
    }
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
        Intent::Back if model.screens.pop() => {
            model.touch();
            return Vec::new();
        }
        Intent::Filter => return open_filter(model),
        Intent::ToggleTimezone => return toggle_zone(model),
        Intent::Capture => return action::open(model, Action::Capture),
        Intent::Void => return action::open(model, Action::Void),
        Intent::Refund => return action::open(model, Action::Refund),
        Intent::OpenCustomer => return open_customer_of_target(model),
        Intent::SubmitEvidence | Intent::AcceptDispute => {
            return disputes::dispute_action(model, intent);
        }
        Intent::Verify3ds => return charge::verify_target(model),
        Intent::OpenPayout => return payout::open_payout_of_target(model),
        Intent::CopyMenu => return super::copy_menu::open(model),
        _ => {}
    }
    screens::on_key(model, intent)
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
    if matches!(model.screens.top(), Some(screens::Pane::Stats(_))) {
        return screens::stats::on_zone(model);
    }
    // Customers are filtered by any text, never by dates.
    let filter = model
        .screens
        .filter()
        .filter(|f| f.kind != FilterKind::Customers)
        .map(|f| f.text.to_string());
    match filter {
        Some(text) if filter_query::has_dates(&text) => screens::apply_filter(model, &text),
        _ => Vec::new(),
    }
}

/// The filter bar, for whichever list is on screen.
fn open_filter(model: &mut Model) -> Vec<Effect> {
    if let Some(filter) = model.screens.filter() {
        model.mode = Mode::Filter {
            input: Input::new(filter.text.to_string()),
            error: None,
        };
        model.touch();
    }
    Vec::new()
}

fn open_customer_of_target(model: &mut Model) -> Vec<Effect> {
    match offers::target_charge(model).and_then(|c| c.customer_id.clone()) {
        Some(customer) => customer::open_customer(model, &customer),
        None => Vec::new(),
    }
}

fn on_filter_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    model.touch();
    let kind = model.screens.filter().map(|f| f.kind);
    let today = filter_query::today(model.now, model.zone);
    let check = move |text: &str| -> Result<(), String> {
        match kind {
            Some(FilterKind::Customers) => Ok(()), // names and emails: any text
            Some(FilterKind::Refunds) => filter_query::parse_refunds(text, today).map(|_| ()),
            _ => filter_query::parse(text, today).map(|_| ()),
        }
    };
    let read = |text: &str| check(text).map(|()| text.to_string());
    // The filter says what is wrong as it is typed.
    let typed = |text: &str| check(text).err();
    let run = |model: &mut Model, text: String| screens::apply_filter(model, &text);
    on_line_key(model, key, KeyMode::Filter, read, typed, run)
}

fn on_command_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    model.touch();
    if model.keymap.in_mode(KeyMode::Command, &key) == Some(ModeAction::Complete) {
        if let Mode::Command { input, error } = &mut model.mode {
            let done =
                command::complete(input.value(), &model.session.caps, &model.session.profiles);
            *input = Input::new(done.line);
            *error = None;
        }
        return Vec::new();
    }
    let caps = model.session.caps;
    let parse = move |text: &str| command::parse(text, &caps);
    on_line_key(model, key, KeyMode::Command, parse, |_| None, run_command)
}

/// The filter bar and the command line alike: a line of input with what is wrong with
/// it beside it. Close closes; send closes and runs what `read` makes of the line, or
/// says why it cannot; any other key edits the line, and `typed` says what is wrong now.
fn on_line_key<T>(
    model: &mut Model,
    key: KeyEvent,
    mode: KeyMode,
    read: impl Fn(&str) -> Result<T, String>,
    typed: impl Fn(&str) -> Option<String>,
    run: impl FnOnce(&mut Model, T) -> Vec<Effect>,
) -> Vec<Effect> {
    let action = model.keymap.in_mode(mode, &key);
    let (Mode::Filter { input, error } | Mode::Command { input, error }) = &mut model.mode else {
        return Vec::new();
    };
    match action {
        Some(ModeAction::Close) => {
            model.mode = Mode::Normal;
            Vec::new()
        }
        Some(ModeAction::Send) => match read(input.value()) {
            Ok(read) => {
                model.mode = Mode::Normal;
                run(model, read)
            }
            Err(why) => {
                *error = Some(why);
                Vec::new()
            }
        },
        _ => {
            input.handle_event(&Event::Key(key));
            *error = typed(input.value());
            Vec::new()
        }
    }
}

fn run_command(model: &mut Model, command: Command) -> Vec<Effect> {
    match command {
        Command::Customers => list_screen::open::<CustomersPane>(model),
        Command::Refunds => list_screen::open::<RefundsPane>(model),
        Command::Disputes => list_screen::open::<DisputesPane>(model),
        Command::Payouts => list_screen::open::<PayoutsPane>(model),
        Command::Balance => balance::open(model),
        Command::Stats => screens::stats::open(model),
        Command::Recon(None) => screens::sessions::open(model),
        Command::Recon(Some((name, period))) => screens::recon::open(model, &name, period),
        Command::Import(text) => {
            let (path, bank) = screens::recon_marks::split_path(&text);
            screens::recon_marks::import(model, path, bank, None)
        }
        Command::Signoff => screens::recon_marks::signoff(model),
        Command::Reopen(reason) => screens::recon_marks::reopen(model, reason),
        Command::Export { dir, format } => screens::recon_marks::export(model, dir, format),
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
            model.screens.clear();
            model.screens.charges.detail = None;
            model.screens.charges.focus = Focus::Table;
            charges::keep_selection_in_view(model);
            Vec::new()
        }
        Command::Jump(to, id) => super::jump::jump(model, to, id),
        Command::Refresh => charges::refresh(model),
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
            super::profile_switch::open(model, name)
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
