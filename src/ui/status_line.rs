//! The bottom line: the keys that do something now, and where the selection is.
//! An action the selected charge does not allow is not offered here at all.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format;
use super::theme::Theme;
use crate::app::keymap::Intent;
use crate::app::model::{Focus, Mode, Model};
use crate::domain::{Action, check_action};

/// The first key bound to an intent: `j` of `j/↓`, `/` of `/`.
fn first_key(keys: &str) -> &str {
    if keys.starts_with('/') {
        "/"
    } else {
        keys.split('/').next().unwrap_or("")
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
    match &model.mode {
        Mode::Filter { .. } | Mode::Command { .. } => {
            vec![
                ("enter".into(), "apply".into()),
                ("esc".into(), "cancel".into()),
            ]
        }
        Mode::Dialog(dialog) => {
            if dialog.is_working() {
                vec![("".into(), "waiting for the gateway…".into())]
            } else if matches!(dialog.state, crate::app::dialog::DialogState::Failed(_)) {
                vec![("esc".into(), "close".into())]
            } else {
                let mut keys = vec![
                    ("enter".into(), "confirm".into()),
                    ("esc".into(), "cancel".into()),
                ];
                if dialog.action == Action::Refund {
                    keys.push(("tab".into(), "next field".into()));
                }
                keys
            }
        }
        Mode::Help => vec![(
            format!("{}/{}", k(Intent::Back), k(Intent::Help)),
            "close".into(),
        )],
        Mode::Normal => {
            let mut out = Vec::new();
            let selected = model.charges.selected();
            match (&model.detail, model.focus) {
                (Some(detail), _) => {
                    out.extend(pairs(&[(Intent::Back, "close")]));
                    let raw = if detail.raw { "fields" } else { "raw JSON" };
                    out.push((k(Intent::RawJson), raw.into()));
                    if model.screen.0 >= super::layout::SIDE_BY_SIDE_WIDTH {
                        let other = if model.focus == Focus::Table {
                            "to detail"
                        } else {
                            "to list"
                        };
                        out.push((k(Intent::SwitchFocus), other.into()));
                    }
                }
                (None, _) if selected.is_some() => out.extend(pairs(&[(Intent::Open, "open")])),
                _ => {}
            }
            if let Some(charge) =
                selected.filter(|c| !model.session.read_only && !model.busy.contains_key(&c.id))
            {
                let caps = &model.session.caps;
                for (action, intent, name) in [
                    (Action::Capture, Intent::Capture, "capture"),
                    (Action::Void, Intent::Void, caps.void_name),
                    (Action::Refund, Intent::Refund, "refund"),
                ] {
                    if check_action(action, charge, caps).is_ok() {
                        out.push((k(intent), name.into()));
                    }
                }
            }
            out.extend(pairs(&[(Intent::Filter, "filter")]));
            let (down, up) = (k(Intent::Down), k(Intent::Up));
            if !down.is_empty() && !up.is_empty() {
                out.push((format!("{down}/{up}"), "move".into()));
            }
            if selected.is_some() {
                out.extend(pairs(&[(Intent::Copy, "copy id")]));
            }
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

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    // Right: where the selection is, and how to get help (always shown).
    let mut right = Vec::new();
    let shown = model.charges.visible_len();
    if shown > 0 && matches!(model.mode, Mode::Normal) {
        let row = format::count(model.charges.selected_row() as u64 + 1);
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
    let right_width = u16::try_from(right_width)
        .unwrap_or(u16::MAX)
        .min(area.width);
    let right_area = Rect {
        x: area.x + area.width - right_width,
        width: right_width,
        ..area
    };
    frame.render_widget(Paragraph::new(right), right_area);
}
