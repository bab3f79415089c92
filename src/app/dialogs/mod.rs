//! The dialogs: capture / void / refund, the confirmations of what cannot be undone,
//! charging a saved card, and dispute evidence. Each has one home here with its state,
//! its keys, and what the gateway's answer does to it. Enter sends only what the dialog
//! says it will, once.

pub mod action;
pub mod confirm;
pub mod evidence;
pub mod new_charge;
pub mod recon;

use crossterm::event::KeyEvent;

use super::effect::Effect;
use super::mode_keys::{KeyMode, ModeAction};
use super::model::{Mode, Model, ToastKind};
use crate::gateway::GatewayError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogState {
    Editing,
    /// Sent; waiting for the gateway. Nothing more can be sent from this dialog.
    Working,
    /// The gateway said no; the words are its, made plain.
    Failed(String),
}

/// A key while a dialog is open: the keys every dialog answers alike first, then the
/// dialog's own, with what its mode's keys make of the key.
pub(crate) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    model.touch();
    if answered_alike(model, &key) {
        return Vec::new();
    }
    let action = model.keymap.in_mode(key_mode(&model.mode), &key);
    match &model.mode {
        Mode::Dialog(_) => action::on_key(model, action, key),
        Mode::Confirm(_) => confirm::on_key(model, action, key),
        Mode::NewCharge(_) => new_charge::on_key(model, action, key),
        Mode::Evidence(_) => evidence::on_key(model, action, key),
        Mode::Recon(_) => recon::on_key(model, action, key),
        _ => Vec::new(),
    }
}

/// The gateway answered what a dialog sent about `target`: the target is no longer
/// busy; on success the dialog closes if it is still the one that sent (`open`) and the
/// caller gets the answer; on failure that dialog says why, or, once closed, a toast
/// says that `failed()` failed and why.
pub(crate) fn answered<T>(
    model: &mut Model,
    target: &str,
    open: bool,
    result: Result<T, GatewayError>,
    failed: impl FnOnce() -> String,
) -> Option<T> {
    model.busy.remove(target);
    model.touch();
    match result {
        Ok(answer) => {
            if open {
                model.mode = Mode::Normal;
            }
            Some(answer)
        }
        Err(e) => {
            let words = e.to_string();
            match state_mut(&mut model.mode) {
                Some(state) if open => *state = DialogState::Failed(words),
                _ => model.toast(ToastKind::Error, format!("{} failed: {words}", failed())),
            }
            None
        }
    }
}

/// The state of the dialog on screen, if one is.
fn state_mut(mode: &mut Mode) -> Option<&mut DialogState> {
    match mode {
        Mode::Dialog(d) => Some(&mut d.state),
        Mode::Confirm(d) => Some(&mut d.state),
        Mode::NewCharge(d) => Some(&mut d.state),
        Mode::Evidence(d) => Some(&mut d.state),
        Mode::Recon(d) => Some(&mut d.state),
        _ => None,
    }
}

/// Keys every dialog answers alike (its mode's keys, `mode_keys`): close (Esc) closes
/// it (what was already sent keeps going and its result arrives as a toast), nothing
/// else is taken while the gateway works, send (Enter; ctrl-s for evidence) closes it
/// once the gateway has refused and sends nothing while the window is too small to show
/// what it would send. True when the key was one of those.
fn answered_alike(model: &mut Model, key: &KeyEvent) -> bool {
    let Some(state) = state_mut(&mut model.mode) else {
        return false;
    };
    let failed = matches!(state, DialogState::Failed(_));
    let working = *state == DialogState::Working;
    let action = model.keymap.in_mode(key_mode(&model.mode), key);
    let sends = action == Some(ModeAction::Send);
    if action == Some(ModeAction::Close) || (sends && failed) {
        model.mode = Mode::Normal;
        return true;
    }
    if sends && !working && !dialog_fits(model) {
        model.toast(ToastKind::Error, format!("Nothing sent. {TOO_SMALL}"));
        return true;
    }
    working
}

/// Whose keys a dialog takes.
fn key_mode(mode: &Mode) -> KeyMode {
    match mode {
        Mode::Confirm(_) => KeyMode::Confirm,
        Mode::NewCharge(_) => KeyMode::NewCharge,
        Mode::Evidence(_) => KeyMode::Evidence,
        _ => KeyMode::Dialog,
    }
}

/// What a dialog too small to show what it would send says, and what a refused send says.
pub const TOO_SMALL: &str = "Window too small to show what would be sent; make it larger to send";

/// The answer the view gave when it drew the dialog now on screen.
fn dialog_fits(model: &Model) -> bool {
    model.drawn.dialog_fits
}
