//! What the operator does to a session: the keys of its own (`[keys.recon]`: match,
//! unmatch, flag, ignore, note, pick, import) and the commands `:import`, `:signoff`
//! and `:reopen`. Each mark is one event, recorded by the runner between two audit
//! lines, after which the board is worked out again; what needs words (a note, a
//! reason, a path) asks for them in a dialog first.

use std::path::{Path, PathBuf};

use super::super::dialogs::recon::{Asking, ReconDialog};
use super::super::effect::Effect;
use super::super::mode_keys::ModeAction;
use super::super::model::{Mode, Model, ToastKind};
use super::super::recon_ask::{Import, Mark, ReconAsk};
use super::recon::{Tab, today, top_pane};
use super::recon_labels::label;
use super::recon_live;
use crate::cli::recon::banks;
use crate::recon::export::ExportFormat;
use crate::recon::import::CsvMapping;
use crate::recon::session::{manual_match, match_difference};
use crate::store::sessions::{Event, ItemRef, ItemState};

/// A key of the session's own, on the session screen.
pub(crate) fn on_key(model: &mut Model, action: ModeAction) -> Vec<Effect> {
    model.touch();
    // Only picking stays on the screen; the rest would write (or ask words to write).
    if action != ModeAction::Pick && recon_live::refused_while_down(model) {
        return Vec::new();
    }
    let Some(pane) = top_pane(model) else {
        return Vec::new();
    };
    if pane.board().is_none() {
        return Vec::new();
    }
    let session = pane.name.clone();
    let selected = pane
        .selected()
        .map(|s| (s.item.clone(), s.state, s.match_id));
    let tab = pane.tab;
    match action {
        ModeAction::Pick => {
            let Some((item, state, _)) = selected.filter(|_| tab != Tab::Exceptions) else {
                refuse(
                    model,
                    "Only deposits and payouts are picked for a match (space)",
                );
                return Vec::new();
            };
            if state != ItemState::Open {
                // Named as the rows name it: a bank line's ref is a hash to the operator.
                let shown = pane
                    .board()
                    .map_or_else(|| item.to_string(), |b| label(b, &item));
                let text = format!("{shown} is {}: unmatch it first (u)", state.as_str());
                refuse(model, &text);
                return Vec::new();
            }
            match pane.picked.iter().position(|p| *p == item) {
                Some(at) => {
                    pane.picked.remove(at);
                }
                None => pane.picked.push(item),
            }
            Vec::new()
        }
        ModeAction::Match if !pane.picked.is_empty() => match_picked(model),
        ModeAction::Match => match selected {
            Some((_, ItemState::Proposed, Some(match_id))) => {
                let target = format!("match {match_id}");
                mark(
                    model,
                    "recon_accept",
                    target,
                    None,
                    Event::Accept { match_id },
                )
            }
            _ => {
                refuse(
                    model,
                    "m accepts a proposed match; to match by hand, pick deposits and payouts with space first",
                );
                Vec::new()
            }
        },
        ModeAction::Unmatch => match selected {
            Some((_, ItemState::Matched | ItemState::Proposed, Some(match_id))) => {
                let target = format!("match {match_id}");
                mark(
                    model,
                    "recon_unmatch",
                    target,
                    None,
                    Event::Unmatch { match_id },
                )
            }
            _ => {
                refuse(model, "The selected item is not matched or proposed");
                Vec::new()
            }
        },
        ModeAction::Flag | ModeAction::Ignore | ModeAction::Note => {
            let Some((item, _, _)) = selected else {
                return Vec::new();
            };
            let asking = match action {
                ModeAction::Flag => Asking::Flag(item),
                ModeAction::Ignore => Asking::Ignore(item),
                _ => Asking::Note(item),
            };
            open_dialog(model, &session, asking);
            Vec::new()
        }
        ModeAction::Import => {
            open_dialog(model, &session, Asking::ImportPath);
            Vec::new()
        }
        ModeAction::Claim => {
            let Some((item, _, _)) = selected.filter(|_| tab == Tab::Exceptions) else {
                refuse(
                    model,
                    "c claims an exception, so that other operators leave it to you",
                );
                return Vec::new();
            };
            pane.working = Some("claiming");
            let key = model.key_mint.next_key();
            let today = today(model);
            vec![Effect::Recon(ReconAsk::Claim {
                session,
                key,
                item,
                today,
            })]
        }
        _ => Vec::new(),
    }
}

/// `m` over picked items: matched at once when they balance, else the dialog asks a
/// reason for the adjustment line that takes up the difference.
fn match_picked(model: &mut Model) -> Vec<Effect> {
    let Some(pane) = top_pane(model) else {
        return Vec::new();
    };
    let Some(board) = pane.board() else {
        return Vec::new();
    };
    let items = pane.picked.clone();
    let session = pane.name.clone();
    match match_difference(board, &items) {
        Err(why) => {
            refuse(model, &why);
            Vec::new()
        }
        Ok(difference) if difference.is_zero() => match manual_match(board, items, None) {
            Ok(event) => {
                let target = picked_names(&event);
                mark(model, "recon_match", target, None, event)
            }
            Err(why) => {
                refuse(model, &why);
                Vec::new()
            }
        },
        Ok(difference) => {
            open_dialog(model, &session, Asking::Adjust { items, difference });
            Vec::new()
        }
    }
}

fn picked_names(event: &Event) -> String {
    match event {
        Event::Match { items, .. } => items
            .iter()
            .map(ItemRef::token)
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

fn refuse(model: &mut Model, why: &str) {
    model.toast(ToastKind::Error, why.to_string());
}

fn open_dialog(model: &mut Model, session: &str, asking: Asking) {
    let items: Vec<&ItemRef> = match &asking {
        Asking::Flag(item) | Asking::Ignore(item) | Asking::Note(item) => vec![item],
        Asking::Adjust { items, .. } => items.iter().collect(),
        Asking::ImportPath | Asking::Mapping { .. } | Asking::Reload => Vec::new(),
    };
    let board = top_pane(model).and_then(|p| p.board());
    let subject = items
        .into_iter()
        .map(|item| board.map_or_else(|| item.to_string(), |b| label(b, item)))
        .collect();
    let seen = board.map(|b| b.latest);
    let mut dialog = ReconDialog::new(session, asking, subject);
    dialog.seen = seen;
    model.mode = Mode::Recon(Box::new(dialog));
}

/// The effect recording `event` in the session on top, decided on the board shown.
pub(crate) fn mark(
    model: &mut Model,
    action: &'static str,
    target: String,
    reason: Option<String>,
    event: Event,
) -> Vec<Effect> {
    let seen = top_pane(model).and_then(|p| p.board()).map(|b| b.latest);
    mark_seen(model, seen, action, target, reason, event)
}

/// The effect recording `event` in the session on top, decided on the board as of
/// event `seen` (a change by another operator since refuses it), which says it is
/// working.
fn mark_seen(
    model: &mut Model,
    seen: Option<i64>,
    action: &'static str,
    target: String,
    reason: Option<String>,
    event: Event,
) -> Vec<Effect> {
    if recon_live::refused_while_down(model) {
        return Vec::new();
    }
    let key = model.key_mint.next_key();
    let today = today(model);
    let Some(pane) = top_pane(model) else {
        return Vec::new();
    };
    pane.working = Some("recording");
    let session = pane.name.clone();
    vec![Effect::Recon(ReconAsk::Mark(Box::new(Mark {
        session,
        key,
        action,
        target,
        reason,
        event,
        seen,
        today,
    })))]
}

/// Another operator changed what a mark touched since the board shown was read: the
/// operator is asked whether to read the session again (their mark was not kept).
pub(crate) fn ask_to_reload(model: &mut Model, session: &str, why: String) {
    if matches!(model.mode, Mode::Normal) {
        let dialog = ReconDialog::new(session, Asking::Reload, vec![why]);
        model.mode = Mode::Recon(Box::new(dialog));
    } else {
        model.toast(ToastKind::Error, why);
    }
}

/// The dialog's words are in: the mark or import it asked them for.
pub(crate) fn send(model: &mut Model, dialog: &ReconDialog, text: String) -> Vec<Effect> {
    let target = ItemRef::token;
    // Decided on the board the dialog was opened on, not one reloaded behind it since.
    let mark = |model: &mut Model, action, target, reason, event| {
        mark_seen(model, dialog.seen, action, target, reason, event)
    };
    match &dialog.asking {
        Asking::Flag(item) => {
            let event = Event::Flag {
                item: item.clone(),
                note: text.clone(),
            };
            mark(model, "recon_flag", target(item), Some(text), event)
        }
        Asking::Ignore(item) => {
            let event = Event::Ignore {
                item: item.clone(),
                reason: text.clone(),
            };
            mark(model, "recon_ignore", target(item), Some(text), event)
        }
        Asking::Note(item) => {
            let event = Event::Note {
                item: item.clone(),
                text: text.clone(),
            };
            mark(model, "recon_note", target(item), Some(text), event)
        }
        Asking::Adjust { items, .. } => {
            let Some(board) = top_pane(model).and_then(|p| p.board().cloned()) else {
                return Vec::new();
            };
            match manual_match(&board, items.clone(), Some(&text)) {
                Ok(event) => {
                    let target = picked_names(&event);
                    mark(model, "recon_match", target, Some(text), event)
                }
                Err(why) => {
                    refuse(model, &why);
                    Vec::new()
                }
            }
        }
        Asking::ImportPath => {
            let (path, bank) = split_path(&text);
            import(model, path, bank, None)
        }
        Asking::Reload => {
            let today = today(model);
            let Some(pane) = top_pane(model) else {
                return Vec::new();
            };
            pane.working = Some("reading");
            vec![Effect::Recon(ReconAsk::Open {
                name: dialog.session.clone(),
                create: None,
                today,
            })]
        }
        Asking::Mapping {
            path,
            bank,
            mapping,
            ..
        } => import(
            model,
            path.clone(),
            Some(bank.clone()),
            Some((**mapping).clone()),
        ),
    }
}

/// `PATH [BANK]`: the bank is the last word when there are two or more (paths with
/// spaces are typed whole with no bank after them, as OFX and camt.053 need none).
pub fn split_path(text: &str) -> (PathBuf, Option<String>) {
    let text = text.trim();
    match text.rsplit_once(' ') {
        Some((path, bank)) if banks::path_of(Path::new(""), bank).is_ok() => {
            (PathBuf::from(path.trim()), Some(bank.to_string()))
        }
        _ => (PathBuf::from(text), None),
    }
}

/// `:import PATH [BANK]`, or its dialog: into the session on top.
pub(crate) fn import(
    model: &mut Model,
    path: PathBuf,
    bank: Option<String>,
    mapping: Option<CsvMapping>,
) -> Vec<Effect> {
    if recon_live::refused_while_down(model) {
        return Vec::new();
    }
    let key = model.key_mint.next_key();
    let today = today(model);
    let Some(pane) = top_pane(model) else {
        refuse(
            model,
            "Open a session first (:recon NAME), then import into it",
        );
        return Vec::new();
    };
    pane.working = Some("importing");
    let session = pane.name.clone();
    vec![Effect::Recon(ReconAsk::Import(Box::new(Import {
        session,
        key,
        path: expand_home(path),
        bank,
        mapping,
        today,
    })))]
}

/// `~/x` as the shell would read it.
fn expand_home(path: PathBuf) -> PathBuf {
    match (path.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => path,
    }
}

/// A CSV from a bank with no saved mapping: the guess, to confirm before it is saved.
pub(crate) fn confirm_mapping(
    model: &mut Model,
    session: &str,
    path: PathBuf,
    bank: String,
    mapping: CsvMapping,
    doubts: Vec<String>,
) {
    let asking = Asking::Mapping {
        path,
        bank,
        mapping: Box::new(mapping),
        doubts,
    };
    open_dialog(model, session, asking);
    model.touch();
}

/// `:signoff`: refused with the rule's words, else the totals frozen.
pub(crate) fn signoff(model: &mut Model) -> Vec<Effect> {
    let Some(pane) = top_pane(model) else {
        refuse(
            model,
            "Open a session first (:recon NAME), then sign it off",
        );
        return Vec::new();
    };
    let Some(board) = pane.board() else {
        return Vec::new();
    };
    let session = pane.name.clone();
    match board.signoff() {
        Ok(event) => mark(
            model,
            "recon_signoff",
            format!("session {session}"),
            None,
            event,
        ),
        Err(why) => {
            refuse(model, &why);
            Vec::new()
        }
    }
}

/// `:reopen REASON`.
pub(crate) fn reopen(model: &mut Model, reason: String) -> Vec<Effect> {
    let Some(pane) = top_pane(model) else {
        refuse(model, "Open a session first (:recon NAME)");
        return Vec::new();
    };
    let signed = pane.board().is_some_and(|b| b.summary.signed_off.is_some());
    if !signed {
        refuse(model, "The session is not signed off: nothing to reopen");
        return Vec::new();
    }
    let session = pane.name.clone();
    let event = Event::Reopen {
        reason: reason.clone(),
    };
    mark(
        model,
        "recon_reopen",
        format!("session {session}"),
        Some(reason),
        event,
    )
}

/// `:export DIR [csv|xlsx]`: the session's files written into DIR off the UI loop
/// (`~` is the home directory, as in `:import`).
pub(crate) fn export(model: &mut Model, dir: String, format: ExportFormat) -> Vec<Effect> {
    let today = today(model);
    let Some(pane) = top_pane(model) else {
        refuse(model, "Open a session first (:recon NAME), then export it");
        return Vec::new();
    };
    pane.working = Some("exporting");
    let session = pane.name.clone();
    vec![Effect::Recon(ReconAsk::Export {
        session,
        dir: expand_home(PathBuf::from(dir)),
        format,
        today,
    })]
}
