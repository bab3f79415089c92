//! The dialogs: capture / void / refund, the confirmations of what cannot be undone,
//! charging a saved card, and dispute evidence. Each has one home here with its state,
//! its keys, and what the gateway's answer does to it. Enter sends only what the dialog
//! says it will, once.

pub mod action;
pub mod confirm;
pub mod evidence;
pub mod new_charge;

use crossterm::event::KeyEvent;

use super::mode_keys::{KeyMode, ModeAction};
use super::model::{Mode, Model, ToastKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogState {
    Editing,
    /// Sent; waiting for the gateway. Nothing more can be sent from this dialog.
    Working,
    /// The gateway said no; the words are its, made plain.
    Failed(String),
}

/// Keys every dialog answers alike (its mode's keys, `mode_keys`): close (Esc) closes
/// it (what was already sent keeps going and its result arrives as a toast), nothing
/// else is taken while the gateway works, send (Enter; ctrl-s for evidence) closes it
/// once the gateway has refused and sends nothing while the window is too small to show
/// what it would send. True when the key was one of those.
pub(crate) fn answered_alike(model: &mut Model, key: &KeyEvent) -> bool {
    let state = match &model.mode {
        Mode::Dialog(d) => &d.state,
        Mode::Confirm(d) => &d.state,
        Mode::NewCharge(d) => &d.state,
        Mode::Evidence(d) => &d.state,
        _ => return false,
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
