//! What a key does, by what has the keyboard: the table, the filter bar, the command
//! line, an action dialog or the help.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::command::{self, Command};
use super::dialog::{ActionDialog, DialogState, Field};
use super::effect::Effect;
use super::filter_query;
use super::keymap::Intent;
use super::model::{Detail, Focus, Loadable, Mode, Model, ToastKind};
use super::update::{
    apply_filter, keep_selection_in_view, load_older_if_wanted, screen_rect, start_poll,
};
use crate::domain::{Action, check_action};
use crate::gateway::OperationKey;
use crate::ui::layout;

pub fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    // Ctrl-C leaves from anywhere, as a terminal user expects.
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        model.quit = true;
        return Vec::new();
    }
    match &model.mode {
        Mode::Normal => on_normal_key(model, key),
        Mode::Help => {
            if matches!(
                model.keymap.intent(&key),
                Some(Intent::Back | Intent::Help | Intent::Quit)
            ) {
                model.mode = Mode::Normal;
                model.touch();
            }
            Vec::new()
        }
        Mode::Filter { .. } => on_filter_key(model, key),
        Mode::Command { .. } => on_command_key(model, key),
        Mode::Dialog(_) => on_dialog_key(model, key),
    }
}

/// Pasted text goes into whichever field is being edited; the table ignores it.
pub fn on_paste(model: &mut Model, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars().filter(|c| !c.is_control()) {
        let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        match model.mode {
            Mode::Normal | Mode::Help => return effects,
            _ => effects.extend(on_key(model, key)),
        }
    }
    effects
}

fn on_normal_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Some(intent) = model.keymap.intent(&key) else {
        return Vec::new();
    };
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
            scroll_detail(model, intent, rows);
            Vec::new()
        }
        Intent::Up => move_selection(model, -1),
        Intent::Down => move_selection(model, 1),
        Intent::PageUp => move_selection(model, -rows),
        Intent::PageDown => move_selection(model, rows),
        Intent::HalfPageUp => move_selection(model, -(rows / 2).max(1)),
        Intent::HalfPageDown => move_selection(model, (rows / 2).max(1)),
        Intent::Top => move_selection(model, isize::MIN / 2),
        Intent::Bottom => move_selection(model, isize::MAX / 2),
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
        Intent::Filter => {
            let input = Input::new(model.filter_text.clone());
            model.mode = Mode::Filter { input, error: None };
            model.touch();
            Vec::new()
        }
        Intent::Command => {
            model.mode = Mode::Command {
                input: Input::default(),
                error: None,
            };
            model.touch();
            Vec::new()
        }
        Intent::Help => {
            model.mode = Mode::Help;
            model.touch();
            Vec::new()
        }
        Intent::Capture => open_dialog(model, Action::Capture),
        Intent::Void => open_dialog(model, Action::Void),
        Intent::Refund => open_dialog(model, Action::Refund),
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
        Intent::Quit => {
            model.quit = true;
            Vec::new()
        }
    }
}

/// The charge an action applies to: the open one, else the selected one.
fn target(model: &Model) -> Option<String> {
    match (&model.detail, model.focus) {
        (Some(detail), Focus::Detail) => Some(detail.charge_id.clone()),
        _ => model.charges.selected().map(|c| c.id.clone()),
    }
}

pub fn move_selection(model: &mut Model, delta: isize) -> Vec<Effect> {
    let before = model.charges.selected_row();
    model.charges.move_by(delta);
    if model.charges.selected_row() != before {
        keep_selection_in_view(model);
        model.touch();
    }
    load_older_if_wanted(model).into_iter().collect()
}

fn scroll_detail(model: &mut Model, intent: Intent, rows: isize) {
    let Some(detail) = &mut model.detail else {
        return;
    };
    let delta: isize = match intent {
        Intent::Up => -1,
        Intent::Down => 1,
        Intent::PageUp => -rows,
        Intent::PageDown => rows,
        Intent::HalfPageUp => -(rows / 2),
        Intent::HalfPageDown => rows / 2,
        Intent::Top => -(u16::MAX as isize),
        _ => u16::MAX as isize / 2,
    };
    let scroll = (detail.scroll as isize + delta).clamp(0, u16::MAX as isize / 2);
    detail.scroll = scroll as u16;
    model.touch();
}

fn open_detail(model: &mut Model) -> Vec<Effect> {
    let Some(id) = model.charges.selected().map(|c| c.id.clone()) else {
        return Vec::new();
    };
    model.detail = Some(Detail {
        charge_id: id.clone(),
        raw: false,
        scroll: 0,
        refunds: Loadable::Loading,
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
    vec![Effect::LoadRefunds(id)]
}

fn refresh(model: &mut Model) -> Vec<Effect> {
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
    let Some(charge) = model.charges.get(&id) else {
        return Vec::new();
    };
    match check_action(action, charge, &model.session.caps) {
        Ok(()) => {
            model.mode = Mode::Dialog(ActionDialog::open(action, charge, &model.session.caps));
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
    let Mode::Filter { input, error } = &mut model.mode else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => {
            model.mode = Mode::Normal;
            Vec::new()
        }
        KeyCode::Enter => match filter_query::parse(input.value()) {
            Ok(filter) => {
                let text = input.value().to_string();
                model.mode = Mode::Normal;
                apply_filter(model, &text, filter)
            }
            Err(why) => {
                *error = Some(why);
                Vec::new()
            }
        },
        _ => {
            input.handle_event(&Event::Key(key));
            *error = filter_query::parse(input.value()).err();
            Vec::new()
        }
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
        KeyCode::Enter => match command::parse(input.value()) {
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
        Command::Charges => {
            model.detail = None;
            model.focus = super::model::Focus::Table;
            keep_selection_in_view(model);
            Vec::new()
        }
        Command::Refresh => refresh(model),
        Command::Quit => {
            model.quit = true;
            Vec::new()
        }
        Command::Help => {
            model.mode = Mode::Help;
            Vec::new()
        }
        Command::Profile(name) if name == model.session.profile => {
            model.toast(ToastKind::Info, format!("Already on profile {name}"));
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

fn on_dialog_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    model.touch();
    let Mode::Dialog(dialog) = &mut model.mode else {
        return Vec::new();
    };
    match (key.code, &dialog.state) {
        // Closing while the gateway works leaves the action running; its result is a toast.
        (KeyCode::Esc, _) => {
            model.mode = Mode::Normal;
            Vec::new()
        }
        (_, DialogState::Working) => Vec::new(),
        (KeyCode::Enter, DialogState::Failed(_)) => {
            model.mode = Mode::Normal;
            Vec::new()
        }
        (KeyCode::Enter, DialogState::Editing) => confirm(model),
        (KeyCode::Tab | KeyCode::BackTab, _) => {
            if dialog.action == Action::Refund {
                dialog.field = match dialog.field {
                    Field::Amount => Field::Reason,
                    Field::Reason => Field::Amount,
                };
            }
            Vec::new()
        }
        _ => {
            dialog.state = DialogState::Editing;
            let event = Event::Key(key);
            match dialog.field {
                Field::Amount if dialog.amount_editable => {
                    dialog.amount.handle_event(&event);
                }
                Field::Reason => {
                    dialog.reason.handle_event(&event);
                }
                Field::Amount => {}
            }
            Vec::new()
        }
    }
}

/// Enter on a valid dialog: the operator has read what will happen and confirms it.
fn confirm(model: &mut Model) -> Vec<Effect> {
    let Mode::Dialog(dialog) = &mut model.mode else {
        return Vec::new();
    };
    let Ok(amount) = dialog.amount() else {
        return Vec::new(); // the dialog already says why
    };
    let key = OperationKey::new();
    let charge_id = dialog.charge_id.clone();
    let effect = match dialog.action {
        Action::Capture => Effect::Capture {
            key,
            charge_id: charge_id.clone(),
            amount,
        },
        Action::Void => Effect::Void {
            key,
            charge_id: charge_id.clone(),
            amount,
        },
        Action::Refund => Effect::Refund {
            key,
            charge_id: charge_id.clone(),
            amount,
            reason: dialog.reason(),
        },
    };
    dialog.state = DialogState::Working;
    model.busy.insert(charge_id, dialog.action.name());
    vec![effect]
}
