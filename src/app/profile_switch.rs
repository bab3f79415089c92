//! `:profile NAME` in `update`: the switch is asked for as an effect, the event loop
//! opens the profile off the loop (its key_command may take a while, bounded as at
//! start) and the outcome comes back as a message, from which `update` builds the
//! dashboard for the new profile.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::effect::Effect;
use super::keymap::Intent;
use super::model::{Model, Session, ToastKind};
use super::quitting;

/// The start of the toast shown while a profile's key_command runs.
pub const WAITING: &str = "waiting for key_command";

/// Asks for `name` to be opened; the dashboard stays on the current profile meanwhile.
pub fn open(model: &mut Model, name: String) -> Vec<Effect> {
    model.opening = Some(name.clone());
    vec![Effect::SwitchProfile(name)]
}

/// The profile's key_command has run for `waited` so far: a toast says so, each second.
pub fn on_waiting(model: &mut Model, waited: Duration) {
    model.toasts.retain(|t| !t.text.starts_with(WAITING));
    model.toast(
        ToastKind::Info,
        format!("{WAITING} ({} s)…", waited.as_secs()),
    );
}

/// The profile is open: everything held belonged to the profile left behind, so the
/// dashboard starts afresh on the new one, keeping only what belongs to the terminal
/// and the operator (size, zone, keys). Its first poll starts on the next tick.
pub fn on_opened(model: &mut Model, session: Session) {
    *model = model.switched_to(session);
}

/// The profile could not be opened: the dashboard stays where it was and says why.
pub fn on_failed(model: &mut Model, why: String) {
    model.opening = None;
    model.toasts.retain(|t| !t.text.starts_with(WAITING));
    model.toast(ToastKind::Error, why);
}

/// While a profile opens, keys would act on the profile being left: only quitting is
/// taken. True when the key was held back.
pub fn holds_key(model: &mut Model, key: &KeyEvent) -> bool {
    if model.opening.is_none() {
        return false;
    }
    let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl_c || model.keymap.intent(key) == Some(Intent::Quit) {
        quitting::request_quit(model);
    }
    true
}
