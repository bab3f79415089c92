//! Key bindings as data: which key means which intent. The defaults follow k9s and
//! lazygit; the config's `[keys]` table replaces the keys of any intent, and its
//! sub-tables the keys of the other modes (`mode_keys`).

use std::collections::HashMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::mode_keys::{KeyMode, ModeAction, ModeKeys};

/// What the operator means by a key, before the current screen decides what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Intent {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    HalfPageDown,
    HalfPageUp,
    Open,
    Back,
    SwitchFocus,
    Filter,
    Command,
    Help,
    Capture,
    Void,
    Refund,
    Copy,
    Refresh,
    RawJson,
    OpenCustomer,
    Verify3ds,
    NewCharge,
    DeleteCard,
    CancelSubscription,
    DeleteCustomer,
    SubmitEvidence,
    AcceptDispute,
    ToggleTimezone,
    Quit,
}

impl Intent {
    pub const ALL: [Intent; 30] = [
        Intent::Up,
        Intent::Down,
        Intent::Top,
        Intent::Bottom,
        Intent::PageUp,
        Intent::PageDown,
        Intent::HalfPageDown,
        Intent::HalfPageUp,
        Intent::Open,
        Intent::Back,
        Intent::SwitchFocus,
        Intent::Filter,
        Intent::Command,
        Intent::Help,
        Intent::Capture,
        Intent::Void,
        Intent::Refund,
        Intent::Copy,
        Intent::Refresh,
        Intent::RawJson,
        Intent::OpenCustomer,
        Intent::Verify3ds,
        Intent::NewCharge,
        Intent::DeleteCard,
        Intent::CancelSubscription,
        Intent::DeleteCustomer,
        Intent::SubmitEvidence,
        Intent::AcceptDispute,
        Intent::ToggleTimezone,
        Intent::Quit,
    ];

    /// The name used in the config's `[keys]` table.
    pub fn name(self) -> &'static str {
        match self {
            Intent::Up => "up",
            Intent::Down => "down",
            Intent::Top => "top",
            Intent::Bottom => "bottom",
            Intent::PageUp => "page_up",
            Intent::PageDown => "page_down",
            Intent::HalfPageDown => "half_page_down",
            Intent::HalfPageUp => "half_page_up",
            Intent::Open => "open",
            Intent::Back => "back",
            Intent::SwitchFocus => "switch_focus",
            Intent::Filter => "filter",
            Intent::Command => "command",
            Intent::Help => "help",
            Intent::Capture => "capture",
            Intent::Void => "void",
            Intent::Refund => "refund",
            Intent::Copy => "copy",
            Intent::Refresh => "refresh",
            Intent::RawJson => "raw_json",
            Intent::OpenCustomer => "open_customer",
            Intent::Verify3ds => "verify_3ds",
            Intent::NewCharge => "new_charge",
            Intent::DeleteCard => "delete_card",
            Intent::CancelSubscription => "cancel_subscription",
            Intent::DeleteCustomer => "delete_customer",
            Intent::SubmitEvidence => "submit_evidence",
            Intent::AcceptDispute => "accept_dispute",
            Intent::ToggleTimezone => "toggle_timezone",
            Intent::Quit => "quit",
        }
    }

    pub fn from_name(name: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|i| i.name() == name)
    }

    /// What the intent does, for the help overlay.
    pub fn describe(self) -> &'static str {
        match self {
            Intent::Up => "move up",
            Intent::Down => "move down",
            Intent::Top => "first charge",
            Intent::Bottom => "last charge",
            Intent::PageUp => "page up",
            Intent::PageDown => "page down",
            Intent::HalfPageDown => "half a page down",
            Intent::HalfPageUp => "half a page up",
            Intent::Open => "open the charge",
            Intent::Back => "back / close",
            Intent::SwitchFocus => "switch between list and detail",
            Intent::Filter => "filter charges",
            Intent::Command => "command line",
            Intent::Help => "this help",
            Intent::Capture => "capture an authorisation",
            Intent::Void => "void an authorisation",
            Intent::Refund => "refund a captured charge",
            Intent::Copy => "copy the charge id",
            Intent::Refresh => "refresh now",
            Intent::RawJson => "show the gateway's JSON",
            Intent::OpenCustomer => "open the charge's customer",
            Intent::Verify3ds => "verify a 3-D Secure charge",
            Intent::NewCharge => "charge the customer's saved card",
            Intent::DeleteCard => "delete a saved card",
            Intent::CancelSubscription => "cancel a subscription",
            Intent::DeleteCustomer => "delete the customer",
            Intent::SubmitEvidence => "submit evidence for a dispute",
            Intent::AcceptDispute => "accept (close) a dispute",
            Intent::ToggleTimezone => "times in UTC or your zone",
            Intent::Quit => "quit",
        }
    }
}

/// One key with its modifiers, as written in the config: `j`, `G`, `ctrl-d`, `enter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Chord {
    pub fn from_event(event: &KeyEvent) -> Chord {
        Chord {
            code: match event.code {
                // Terminals report shifted letters as upper case, some with SHIFT too.
                KeyCode::Char(c) => KeyCode::Char(c),
                KeyCode::BackTab => KeyCode::BackTab,
                other => other,
            },
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// Parses `ctrl-d`, `alt-x`, `G`, `?`, `enter`, `esc`, `tab`, `pgdn`, `f5`, `space`.
    pub fn parse(spec: &str) -> Result<Chord, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = spec.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(tail) = lower
                .strip_prefix("ctrl-")
                .or_else(|| lower.strip_prefix("c-"))
            {
                ctrl = true;
                rest = &rest[rest.len() - tail.len()..];
            } else if let Some(tail) = lower
                .strip_prefix("alt-")
                .or_else(|| lower.strip_prefix("m-"))
            {
                alt = true;
                rest = &rest[rest.len() - tail.len()..];
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            f if f.len() > 1
                && f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
                    _ => {
                        return Err(format!(
                            "{spec:?} is not a key; write a single character (j, G, ?), a name (enter, esc, tab, space, up, pgdn, home, f5) or ctrl-/alt- with one of those"
                        ));
                    }
                }
            }
        };
        Ok(Chord { code, ctrl, alt })
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: HashMap<Chord, Intent>,
    /// The filter bar's, the command line's, each dialog's and the quit prompt's.
    pub modes: ModeKeys,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut keymap = Keymap {
            bindings: HashMap::new(),
            modes: ModeKeys::default(),
        };
        for intent in Intent::ALL {
            for spec in default_keys(intent) {
                if let Ok(chord) = Chord::parse(spec) {
                    keymap.bindings.insert(chord, intent);
                }
            }
        }
        keymap
    }
}

fn default_keys(intent: Intent) -> &'static [&'static str] {
    match intent {
        Intent::Up => &["k", "up"],
        Intent::Down => &["j", "down"],
        Intent::Top => &["g", "home"],
        Intent::Bottom => &["G", "end"],
        Intent::PageUp => &["pgup"],
        Intent::PageDown => &["pgdn"],
        Intent::HalfPageDown => &["ctrl-d"],
        Intent::HalfPageUp => &["ctrl-u"],
        Intent::Open => &["enter"],
        Intent::Back => &["esc"],
        Intent::SwitchFocus => &["tab"],
        Intent::Filter => &["/"],
        Intent::Command => &[":"],
        Intent::Help => &["?"],
        Intent::Capture => &["c"],
        Intent::Void => &["v"],
        Intent::Refund => &["r"],
        Intent::Copy => &["y"],
        Intent::Refresh => &["R"],
        Intent::RawJson => &["J"],
        Intent::OpenCustomer => &["o"],
        Intent::Verify3ds => &["a"],
        Intent::NewCharge => &["n"],
        Intent::DeleteCard => &["d"],
        Intent::CancelSubscription => &["x"],
        Intent::DeleteCustomer => &["D"],
        Intent::SubmitEvidence => &["e"],
        Intent::AcceptDispute => &["A"],
        Intent::ToggleTimezone => &["Z"],
        Intent::Quit => &["q", "ctrl-c"],
    }
}

impl Keymap {
    /// The defaults, with the keys of each named intent replaced (`mode.action` for a
    /// mode's own keys: `evidence.send`). Errors name the intent or key that is wrong and
    /// say what is expected.
    pub fn with_overrides(overrides: &[(String, Vec<String>)]) -> Result<Keymap, String> {
        let keymap = Keymap::remapped(overrides)?;
        keymap.modes.check_complete()?;
        Ok(keymap)
    }

    /// `with_overrides` without asking whether every mode's action kept a key: for
    /// checking one line of the file at a time.
    pub fn remapped(overrides: &[(String, Vec<String>)]) -> Result<Keymap, String> {
        let mut keymap = Keymap::default();
        for (name, specs) in overrides {
            if let Some((mode, action)) = name.split_once('.') {
                let mode = KeyMode::from_name(mode).ok_or_else(|| {
                    let names: Vec<&str> = KeyMode::ALL.iter().map(|m| m.name()).collect();
                    format!(
                        "[keys.{mode}] is not a mode; expected one of {}",
                        names.join(", ")
                    )
                })?;
                keymap.modes.remap(mode, action, specs)?;
                continue;
            }
            let intent = Intent::from_name(name).ok_or_else(|| {
                let names: Vec<&str> = Intent::ALL.iter().map(|i| i.name()).collect();
                format!(
                    "{name:?} is not an action; expected one of {}",
                    names.join(", ")
                )
            })?;
            keymap.bindings.retain(|_, bound| *bound != intent);
            for spec in specs {
                let chord = Chord::parse(spec)?;
                keymap.bindings.insert(chord, intent);
            }
        }
        Ok(keymap)
    }

    /// What a key means in one of the other modes.
    pub fn in_mode(&self, mode: KeyMode, event: &KeyEvent) -> Option<ModeAction> {
        self.modes.action(mode, event)
    }

    pub fn intent(&self, event: &KeyEvent) -> Option<Intent> {
        self.bindings.get(&Chord::from_event(event)).copied()
    }

    /// The keys bound to an intent, for the status line and help: `j/↓`.
    pub fn keys_for(&self, intent: Intent) -> String {
        let mut chords: Vec<String> = self
            .bindings
            .iter()
            .filter(|(_, bound)| **bound == intent)
            .map(|(chord, _)| chord.to_string())
            .collect();
        // Single characters first, then names, so `j/↓` reads naturally.
        chords.sort_by_key(|c| (c.chars().count() > 1, c.clone()));
        chords.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_cover_the_documented_keys() {
        let k = Keymap::default();
        assert_eq!(
            k.intent(&key(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Intent::Down)
        );
        assert_eq!(
            k.intent(&key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Intent::Bottom)
        );
        assert_eq!(
            k.intent(&key(KeyCode::Char('d'), KeyModifiers::CONTROL)),
            Some(Intent::HalfPageDown)
        );
        assert_eq!(
            k.intent(&key(KeyCode::Char('R'), KeyModifiers::SHIFT)),
            Some(Intent::Refresh)
        );
        assert_eq!(
            k.intent(&key(KeyCode::PageDown, KeyModifiers::NONE)),
            Some(Intent::PageDown)
        );
        assert_eq!(k.keys_for(Intent::Down), "j/↓");
    }

    #[test]
    fn overrides_replace_an_intents_keys() {
        let k = Keymap::with_overrides(&[("capture".into(), vec!["C".into(), "ctrl-k".into()])])
            .unwrap();
        assert_eq!(k.intent(&key(KeyCode::Char('c'), KeyModifiers::NONE)), None);
        assert_eq!(
            k.intent(&key(KeyCode::Char('C'), KeyModifiers::SHIFT)),
            Some(Intent::Capture)
        );
        assert_eq!(
            k.intent(&key(KeyCode::Char('k'), KeyModifiers::CONTROL)),
            Some(Intent::Capture)
        );
    }

    #[test]
    fn bad_overrides_say_what_is_expected() {
        let err = Keymap::with_overrides(&[("capure".into(), vec!["c".into()])]).unwrap_err();
        assert!(err.contains("expected one of"), "{err}");
        let err =
            Keymap::with_overrides(&[("capture".into(), vec!["ctrl-enterx".into()])]).unwrap_err();
        assert!(err.contains("is not a key"), "{err}");
    }
}
