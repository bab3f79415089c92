//! Key bindings of the modes that are not the main screens: the filter bar, the command
//! line, each dialog and the quit prompt. Data like the main keys, remapped in the same
//! `[keys]` table under a sub-table named after the mode (`[keys.evidence]`,
//! `send = "ctrl-enter"`). What a mode does not bind is typed into its text fields.

use std::collections::HashMap;

use crossterm::event::KeyEvent;

use super::keymap::{Chord, KeyTable};

/// A mode with keys of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyMode {
    Filter,
    Command,
    /// Capture, void and refund.
    Dialog,
    /// The confirmations before something that cannot be undone.
    Confirm,
    NewCharge,
    Evidence,
    /// "Quit anyway?"
    QuitPrompt,
    /// A reconciliation session's own keys (`:recon NAME`), looked up before the main
    /// screens' on that screen.
    Recon,
    /// The statistics screen's own keys (`:stats`), looked up before the main screens'.
    Stats,
}

/// What a key means in a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModeAction {
    /// Apply the filter, run the command, send the dialog, answer yes.
    Send,
    /// Close without sending; answer no.
    Close,
    /// Complete the command line.
    Complete,
    NextField,
    PreviousField,
    /// Flip a yes/no field.
    Toggle,
    /// Reconciliation: accept the proposal, or match the picked items.
    Match,
    /// Reconciliation: undo the selected item's match or proposal.
    Unmatch,
    /// Reconciliation: flag with a note.
    Flag,
    /// Reconciliation: ignore with a reason.
    Ignore,
    /// Reconciliation: add a note.
    Note,
    /// Reconciliation: pick (or unpick) the selected item for a match by hand.
    Pick,
    /// Reconciliation: import a statement file.
    Import,
    /// Reconciliation: claim the selected exception for oneself, or give it up.
    Claim,
    /// Statistics: the period before.
    Earlier,
    /// Statistics: the period after.
    Later,
    /// Statistics: a shorter period (month, week, day, hour).
    ZoomIn,
    /// Statistics: a longer period.
    ZoomOut,
    /// Statistics: the exact figures as a table, or the charts.
    ToggleTable,
    /// Statistics: the next currency in the volume chart.
    NextCurrency,
    /// Statistics: the charges list of authorisations lapsing within a day.
    Expiring,
}

impl ModeAction {
    pub fn name(self) -> &'static str {
        match self {
            ModeAction::Send => "send",
            ModeAction::Close => "close",
            ModeAction::Complete => "complete",
            ModeAction::NextField => "next_field",
            ModeAction::PreviousField => "previous_field",
            ModeAction::Toggle => "toggle",
            ModeAction::Match => "match",
            ModeAction::Unmatch => "unmatch",
            ModeAction::Flag => "flag",
            ModeAction::Ignore => "ignore",
            ModeAction::Note => "note",
            ModeAction::Pick => "pick",
            ModeAction::Import => "import",
            ModeAction::Claim => "claim",
            ModeAction::Earlier => "earlier",
            ModeAction::Later => "later",
            ModeAction::ZoomIn => "zoom_in",
            ModeAction::ZoomOut => "zoom_out",
            ModeAction::ToggleTable => "table",
            ModeAction::NextCurrency => "currency",
            ModeAction::Expiring => "expiring",
        }
    }
}

impl KeyMode {
    pub const ALL: [KeyMode; 9] = [
        KeyMode::Filter,
        KeyMode::Command,
        KeyMode::Dialog,
        KeyMode::Confirm,
        KeyMode::NewCharge,
        KeyMode::Evidence,
        KeyMode::QuitPrompt,
        KeyMode::Recon,
        KeyMode::Stats,
    ];

    /// The sub-table of `[keys]` that remaps this mode.
    pub fn name(self) -> &'static str {
        match self {
            KeyMode::Filter => "filter",
            KeyMode::Command => "command",
            KeyMode::Dialog => "dialog",
            KeyMode::Confirm => "confirm",
            KeyMode::NewCharge => "new_charge",
            KeyMode::Evidence => "evidence",
            KeyMode::QuitPrompt => "quit_prompt",
            KeyMode::Recon => "recon",
            KeyMode::Stats => "stats",
        }
    }

    pub fn from_name(name: &str) -> Option<KeyMode> {
        KeyMode::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The actions of this mode with their default keys: today's keys.
    pub fn defaults(self) -> &'static [(ModeAction, &'static [&'static str])] {
        use ModeAction::*;
        match self {
            KeyMode::Filter => &[(Send, &["enter"]), (Close, &["esc"])],
            KeyMode::Command => &[(Send, &["enter"]), (Close, &["esc"]), (Complete, &["tab"])],
            KeyMode::Dialog => &[
                (Send, &["enter"]),
                (Close, &["esc"]),
                (NextField, &["tab", "shift-tab"]),
            ],
            KeyMode::Confirm => &[(Send, &["enter"]), (Close, &["esc"])],
            KeyMode::NewCharge => &[
                (Send, &["enter"]),
                (Close, &["esc"]),
                (NextField, &["tab"]),
                (PreviousField, &["shift-tab"]),
                (Toggle, &["space"]),
            ],
            KeyMode::Evidence => &[(Send, &["ctrl-s"]), (Close, &["esc"])],
            KeyMode::QuitPrompt => &[(Send, &["y", "Y"]), (Close, &["n", "N", "q", "esc"])],
            KeyMode::Recon => &[
                (Match, &["m"]),
                (Unmatch, &["u"]),
                (Flag, &["f"]),
                (Ignore, &["i"]),
                (Note, &["n"]),
                (Pick, &["space"]),
                (Import, &["I"]),
                (Claim, &["c"]),
            ],
            KeyMode::Stats => &[
                (Earlier, &["["]),
                (Later, &["]"]),
                (ZoomIn, &["+", "="]),
                (ZoomOut, &["-"]),
                (ToggleTable, &["t"]),
                (NextCurrency, &["c"]),
                (Expiring, &["e"]),
            ],
        }
    }

    pub fn action_named(self, name: &str) -> Option<ModeAction> {
        self.defaults()
            .iter()
            .map(|(action, _)| *action)
            .find(|a| a.name() == name)
    }
}

/// Every mode's bindings.
#[derive(Debug, Clone)]
pub struct ModeKeys {
    tables: HashMap<KeyMode, KeyTable<ModeAction>>,
}

impl Default for ModeKeys {
    fn default() -> Self {
        let tables = KeyMode::ALL
            .into_iter()
            .map(|mode| {
                (
                    mode,
                    KeyTable::with_defaults(mode.defaults().iter().copied()),
                )
            })
            .collect();
        ModeKeys { tables }
    }
}

impl ModeKeys {
    pub fn action(&self, mode: KeyMode, event: &KeyEvent) -> Option<ModeAction> {
        self.tables.get(&mode)?.action(event)
    }

    /// Replaces the keys of `mode`'s `action_name` with `specs`; a key another action of
    /// the mode had moves to this one. The error says what is wrong and what is expected.
    pub fn remap(
        &mut self,
        mode: KeyMode,
        action_name: &str,
        specs: &[String],
    ) -> Result<(), String> {
        let action = mode.action_named(action_name).ok_or_else(|| {
            let names: Vec<&str> = mode.defaults().iter().map(|(a, _)| a.name()).collect();
            format!(
                "{action_name:?} is not an action of {}; expected one of {}",
                mode.name(),
                names.join(", ")
            )
        })?;
        self.tables
            .entry(mode)
            .or_insert_with(|| KeyTable::with_defaults([]))
            .rebind(action, specs)
    }
    /// Every action of every mode still has a key (one can lose its last key to another
    /// action's remapping); the error names it and says what to write.
    pub fn check_complete(&self) -> Result<(), String> {
        for mode in KeyMode::ALL {
            for (action, defaults) in mode.defaults() {
                if self.keys_for(mode, *action).is_empty() {
                    let keys: Vec<String> = defaults.iter().map(|k| format!("{k:?}")).collect();
                    return Err(format!(
                        "{}.{} has no key left (another action of [keys.{}] took it); give it one, such as {} = [{}] under [keys.{}]",
                        mode.name(),
                        action.name(),
                        mode.name(),
                        action.name(),
                        keys.join(", "),
                        mode.name()
                    ));
                }
            }
        }
        Ok(())
    }

    /// The key to show for an action in a mode: its first default key while it has it
    /// (`tab` before `shift-tab`), else the first it was given.
    pub fn key_for(&self, mode: KeyMode, action: ModeAction) -> String {
        let defaults = mode
            .defaults()
            .iter()
            .find(|(a, _)| *a == action)
            .map_or(&[][..], |(_, keys)| *keys);
        let table = self.tables.get(&mode);
        defaults
            .iter()
            .filter_map(|spec| Chord::parse(spec).ok())
            .find(|chord| table.is_some_and(|t| t.binds(*chord, action)))
            .map(|chord| chord.to_string())
            .unwrap_or_else(|| {
                let keys = self.keys_for(mode, action);
                keys.split('/').next().unwrap_or("").to_string()
            })
    }

    /// The keys of an action in a mode, for hints: `enter`, `ctrl-s`.
    pub fn keys_for(&self, mode: KeyMode, action: ModeAction) -> String {
        self.tables
            .get(&mode)
            .map(|table| table.keys_for(action))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn the_defaults_are_the_keys_the_dialogs_always_took() {
        let k = ModeKeys::default();
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(k.action(KeyMode::Evidence, &ctrl_s), Some(ModeAction::Send));
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(k.action(KeyMode::Evidence, &enter), None, "a new line");
        assert_eq!(k.action(KeyMode::Dialog, &enter), Some(ModeAction::Send));
        let back = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(
            k.action(KeyMode::Dialog, &back),
            Some(ModeAction::NextField)
        );
        assert_eq!(
            k.action(KeyMode::NewCharge, &back),
            Some(ModeAction::PreviousField)
        );
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(k.action(KeyMode::QuitPrompt, &q), Some(ModeAction::Close));
    }

    #[test]
    fn a_remapped_key_replaces_the_default_and_an_action_left_without_keys_is_refused() {
        let mut k = ModeKeys::default();
        k.remap(KeyMode::Evidence, "send", &["ctrl-enter".into()])
            .unwrap();
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(k.action(KeyMode::Evidence, &ctrl_s), None);
        let ctrl_enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::CONTROL);
        assert_eq!(
            k.action(KeyMode::Evidence, &ctrl_enter),
            Some(ModeAction::Send)
        );
        k.remap(KeyMode::Dialog, "close", &["enter".into()])
            .unwrap();
        let err = k.check_complete().unwrap_err();
        assert!(
            err.contains("dialog.send has no key left")
                && err.contains("send = [\"enter\"] under [keys.dialog]"),
            "{err}"
        );
        let err = k
            .remap(KeyMode::Dialog, "toggle", &["t".into()])
            .unwrap_err();
        assert!(
            err.contains("expected one of send, close, next_field"),
            "{err}"
        );
    }
}
