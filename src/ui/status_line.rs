//! The bottom line: the keys that do something now on the pane on top, and where the
//! selection is. An action the selection does not allow is not offered here at all.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format;
use super::theme::Theme;
use crate::app::dialogs::DialogState;
use crate::app::dialogs::new_charge::ChargeField;
use crate::app::keymap::Intent;
use crate::app::mode_keys::{KeyMode, ModeAction};
use crate::app::model::{Mode, Model};
use crate::app::offers::{self, Act};
use crate::app::screens;
use crate::domain::Action;

/// The first key bound to an intent: `j` of `j/↓`, `/` of `/`.
fn first_key(keys: &str) -> &str {
    if keys.starts_with('/') {
        "/"
    } else {
        keys.split('/').next().unwrap_or("")
    }
}

/// The keys that answer "stay" to "quit anyway?": `n/esc` by default.
fn quit_prompt_stay(model: &Model) -> String {
    let modes = &model.keymap.modes;
    let first = modes.key_for(KeyMode::QuitPrompt, ModeAction::Close);
    let esc = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Esc);
    if first != "esc" && modes.action(KeyMode::QuitPrompt, &esc) == Some(ModeAction::Close) {
        format!("{first}/esc")
    } else {
        first
    }
}

/// The (key, what it does) pairs that apply now, most useful first.
pub fn hints(model: &Model) -> Vec<(String, String)> {
    let k = |intent: Intent| first_key(&model.keymap.keys_for(intent)).to_string();
    let pairs = |list: &[(Intent, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(i, what)| (k(*i), (*what).to_string()))
            .collect()
    };
    if model.stopping.is_some() {
        return vec![("".into(), "stopping: waiting for the gateway…".into())];
    }
    let m = |mode: KeyMode, action: ModeAction| model.keymap.modes.key_for(mode, action);
    match &model.mode {
        Mode::Evidence(dialog) => match &dialog.state {
            DialogState::Working => vec![waiting(model)],
            DialogState::Failed(_) => {
                vec![(m(KeyMode::Evidence, ModeAction::Close), "close".into())]
            }
            DialogState::Editing => vec![
                (m(KeyMode::Evidence, ModeAction::Send), "send".into()),
                ("enter".into(), "new line".into()),
                (m(KeyMode::Evidence, ModeAction::Close), "cancel".into()),
            ],
        },
        Mode::Confirm(dialog) => match &dialog.state {
            DialogState::Working => vec![waiting(model)],
            DialogState::Failed(_) => {
                vec![(m(KeyMode::Confirm, ModeAction::Close), "close".into())]
            }
            DialogState::Editing if dialog.ready() => vec![
                (m(KeyMode::Confirm, ModeAction::Send), "confirm".into()),
                (m(KeyMode::Confirm, ModeAction::Close), "cancel".into()),
            ],
            DialogState::Editing => vec![(m(KeyMode::Confirm, ModeAction::Close), "cancel".into())],
        },
        Mode::NewCharge(dialog) => match &dialog.state {
            DialogState::Working => vec![waiting(model)],
            DialogState::Failed(_) => {
                vec![(m(KeyMode::NewCharge, ModeAction::Close), "close".into())]
            }
            DialogState::Editing => {
                let mut keys = Vec::new();
                if dialog.confirmation().is_ok() {
                    keys.push((m(KeyMode::NewCharge, ModeAction::Send), "confirm".into()));
                }
                keys.push((m(KeyMode::NewCharge, ModeAction::Close), "cancel".into()));
                keys.push((
                    m(KeyMode::NewCharge, ModeAction::NextField),
                    "next field".into(),
                ));
                if dialog.field == ChargeField::Capture {
                    keys.push((
                        m(KeyMode::NewCharge, ModeAction::Toggle),
                        "capture / authorise".into(),
                    ));
                }
                keys
            }
        },
        Mode::Recon(dialog) => {
            let mut keys = Vec::new();
            if dialog.confirmation().is_ok() {
                keys.push((m(KeyMode::Dialog, ModeAction::Send), "record".into()));
            }
            keys.push((m(KeyMode::Dialog, ModeAction::Close), "cancel".into()));
            keys
        }
        Mode::Filter { .. } => {
            vec![
                (m(KeyMode::Filter, ModeAction::Send), "apply".into()),
                (m(KeyMode::Filter, ModeAction::Close), "cancel".into()),
            ]
        }
        Mode::Command { .. } => {
            vec![
                (m(KeyMode::Command, ModeAction::Send), "run".into()),
                (m(KeyMode::Command, ModeAction::Complete), "complete".into()),
                (m(KeyMode::Command, ModeAction::Close), "cancel".into()),
            ]
        }
        Mode::Dialog(dialog) => {
            if dialog.is_working() {
                vec![waiting(model)]
            } else if matches!(dialog.state, crate::app::dialogs::DialogState::Failed(_)) {
                vec![(m(KeyMode::Dialog, ModeAction::Close), "close".into())]
            } else {
                let mut keys = vec![
                    (m(KeyMode::Dialog, ModeAction::Send), "confirm".into()),
                    (m(KeyMode::Dialog, ModeAction::Close), "cancel".into()),
                ];
                if dialog.action == Action::Refund {
                    keys.push((
                        m(KeyMode::Dialog, ModeAction::NextField),
                        "next field".into(),
                    ));
                }
                keys
            }
        }
        Mode::QuitAnyway => vec![
            (
                m(KeyMode::QuitPrompt, ModeAction::Send),
                if model.writes.is_empty() {
                    "quit"
                } else {
                    "quit anyway"
                }
                .into(),
            ),
            (quit_prompt_stay(model), "stay".into()),
        ],
        Mode::CopyMenu(_) => vec![
            (m(KeyMode::Dialog, ModeAction::Send), "copy".into()),
            (
                format!("{}/{}", k(Intent::Down), k(Intent::Up)),
                "choose".into(),
            ),
            (m(KeyMode::Dialog, ModeAction::Close), "close".into()),
        ],
        Mode::Help { .. } => vec![(
            format!("{}/{}", k(Intent::Back), k(Intent::Help)),
            "close".into(),
        )],
        Mode::Normal => {
            let mut out = pairs(&screens::hints(model));
            let (down, up) = (k(Intent::Down), k(Intent::Up));
            if !down.is_empty() && !up.is_empty() {
                out.push((format!("{down}/{up}"), "move".into()));
            }
            out.extend(pairs(&offers::offered(model, &[(Act::CopyId, "copy id")])));
            out.extend(pairs(&[
                (Intent::Refresh, "refresh"),
                (Intent::Command, "command"),
                (Intent::Quit, "quit"),
            ]));
            out.retain(|(key, _)| !key.is_empty());
            out
        }
    }
}

/// While a dialog's request is out: how long it has been waiting.
fn waiting(model: &Model) -> (String, String) {
    let waited = format::waited(model.sent_at, model.now);
    (String::new(), format!("waiting for the gateway…{waited}"))
}

/// The list on top: (selected row, rows shown), for "3 of 12".
fn position(model: &Model) -> Option<(usize, usize)> {
    model.screens.position()
}

/// While `G` loads its way to the end of the charges: how far it has got.
fn to_end_progress(model: &Model) -> Option<String> {
    if !model.screens.charges.list.to_end || !model.screens.at_bottom() {
        return None;
    }
    let loaded = format::count(model.screens.charges.list.len() as u64);
    Some(match model.screens.charges.list.total {
        Some(total) => format!(
            "{} loading to the end: {loaded} of {}",
            format::spinner(model.spinner),
            format::count(total)
        ),
        None => format!(
            "{} loading to the end: {loaded} so far",
            format::spinner(model.spinner)
        ),
    })
}

/// The background sync's progress, on the charges list, where the status line is wide
/// enough to keep its hints too.
fn sync_progress(model: &Model, width: u16) -> Option<String> {
    let text = model.screens.charges.store.as_ref()?.sync.clone()?;
    (model.screens.at_bottom() && format::width(&text) + 50 <= usize::from(width)).then_some(text)
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    // Right: where the selection is, and how to get help (always shown).
    let mut right = Vec::new();
    if let Some(sync) = sync_progress(model, area.width) {
        right.push(Span::styled(sync, theme.accent));
        right.push(Span::raw("  "));
    }
    if let Some(progress) = to_end_progress(model) {
        right.push(Span::styled(progress, theme.accent));
        right.push(Span::raw("  "));
    } else if let Some((row, shown)) =
        position(model).filter(|_| matches!(model.mode, Mode::Normal))
    {
        if screens::sorted_partly(model) {
            right.push(Span::styled("sorted: loaded only", theme.warn));
            right.push(Span::raw("  "));
        }
        let row = format::count(row as u64 + 1);
        right.push(Span::styled(
            format!("{row} of {}", format::count(shown as u64)),
            theme.dim,
        ));
        right.push(Span::raw("  "));
    }
    if matches!(model.mode, Mode::Normal) {
        let help = first_key(&model.keymap.keys_for(Intent::Help)).to_string();
        if !help.is_empty() {
            right.push(Span::styled(help, theme.key));
            right.push(Span::styled(" help ", theme.dim));
        }
    }
    let right = Line::from(right);
    let right_width = right.width();
    let room = usize::from(area.width).saturating_sub(right_width + 2);

    // Left: as many hints as fit, whole.
    let mut left = vec![Span::raw(" ")];
    let mut used = 1;
    for (i, (key, what)) in hints(model).into_iter().enumerate() {
        let sep = if i == 0 { 0 } else { 2 };
        let needed =
            sep + format::width(&key) + usize::from(!key.is_empty()) + format::width(&what);
        if used + needed > room {
            break;
        }
        if sep > 0 {
            left.push(Span::raw("  "));
        }
        if !key.is_empty() {
            left.push(Span::styled(key, theme.key));
            left.push(Span::raw(" "));
        }
        left.push(Span::styled(what, theme.dim));
        used += needed;
    }
    frame.render_widget(Paragraph::new(Line::from(left)), area);
    frame.render_widget(
        Paragraph::new(right),
        super::header::right_end(area, right_width),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::Keymap;

    #[test]
    fn a_modes_hints_name_its_remapped_keys() {
        let mut model = crate::ui::test_support::model(100, 30);
        model.mode = Mode::QuitAnyway;
        assert_eq!(hints(&model)[1].0, "n/esc");
        let overrides = [
            ("quit_prompt.close".to_string(), vec!["x".to_string()]),
            ("filter.send".to_string(), vec!["ctrl-j".to_string()]),
        ];
        model.keymap = Keymap::with_overrides(&overrides).unwrap();
        assert_eq!(hints(&model)[1].0, "x");
        model.mode = Mode::Filter {
            input: tui_input::Input::default(),
            error: None,
        };
        assert_eq!(hints(&model)[0], ("ctrl-j".into(), "apply".into()));
    }
}
