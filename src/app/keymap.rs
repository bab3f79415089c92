//! Key bindings as data: which key means which intent. One table (`INTENTS`) gives each
//! intent its config name, its words in the help, its default keys (after k9s and
//! lazygit) and its help group; one `KeyTable` type binds keys for the main screens and
//! for each other mode (`mode_keys`). The config's `[keys]` table replaces the keys of
//! any intent, and its sub-tables the keys of the other modes.

use std::collections::HashMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::mode_keys::{KeyMode, ModeAction, ModeKeys};

/// What the operator means by a key, before the current screen decides what it does.
/// Declared in the order of `INTENTS`, whose rows it indexes.
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
    SortBy,
    SortReverse,
    Command,
    Capture,
    Void,
    Refund,
    Refresh,
    Help,
    RawJson,
    Copy,
    CopyMenu,
    OpenCustomer,
    Verify3ds,
    NewCharge,
    DeleteCard,
    CancelSubscription,
    DeleteCustomer,
    SubmitEvidence,
    AcceptDispute,
    OpenPayout,
    ToggleTimezone,
    Quit,
}

/// Where the help lists an intent: one group each, in the order of `HelpGroup::ALL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpGroup {
    Moving,
    Acting,
    Other,
    Looking,
    Customers,
}

impl HelpGroup {
    /// The first three make the help's left column.
    pub const ALL: [HelpGroup; 5] = [
        HelpGroup::Moving,
        HelpGroup::Acting,
        HelpGroup::Other,
        HelpGroup::Looking,
        HelpGroup::Customers,
    ];

    pub fn name(self) -> &'static str {
        match self {
            HelpGroup::Moving => "moving",
            HelpGroup::Acting => "acting",
            HelpGroup::Other => "other",
            HelpGroup::Looking => "looking",
            HelpGroup::Customers => "customers & refunds",
        }
    }

    /// Its intents, in the table's order.
    pub fn intents(self) -> impl Iterator<Item = Intent> {
        INTENTS
            .iter()
            .filter(move |row| row.group == self)
            .map(|row| row.intent)
    }
}

/// One intent: its name in the config's `[keys]` table, what the help says it does, its
/// default keys and its group in the help.
struct IntentRow {
    intent: Intent,
    name: &'static str,
    describe: &'static str,
    keys: &'static [&'static str],
    group: HelpGroup,
}

const fn row(
    intent: Intent,
    name: &'static str,
    describe: &'static str,
    keys: &'static [&'static str],
    group: HelpGroup,
) -> IntentRow {
    IntentRow {
        intent,
        name,
        describe,
        keys,
        group,
    }
}

/// Every intent once, in the order the help lists each group's and config errors list
/// their names. The defaults follow k9s and lazygit.
#[rustfmt::skip]
const INTENTS: [IntentRow; 34] = {
    use HelpGroup::*;
    use Intent as I;
    [
        row(I::Up, "up", "move up", &["k", "up"], Moving),
        row(I::Down, "down", "move down", &["j", "down"], Moving),
        row(I::Top, "top", "first charge", &["g", "home"], Moving),
        row(I::Bottom, "bottom", "last charge", &["G", "end"], Moving),
        row(I::PageUp, "page_up", "page up", &["pgup"], Moving),
        row(I::PageDown, "page_down", "page down", &["pgdn"], Moving),
        row(I::HalfPageDown, "half_page_down", "half a page down", &["ctrl-d"], Moving),
        row(I::HalfPageUp, "half_page_up", "half a page up", &["ctrl-u"], Moving),
        row(I::Open, "open", "open the charge", &["enter"], Looking),
        row(I::Back, "back", "back / close", &["esc"], Looking),
        row(I::SwitchFocus, "switch_focus", "switch between list and detail", &["tab"], Looking),
        row(I::Filter, "filter", "filter charges", &["/"], Looking),
        row(I::SortBy, "sort_by", "sort by the next column", &["s"], Looking),
        row(I::SortReverse, "sort_reverse", "reverse the sort", &["S"], Looking),
        row(I::Command, "command", "command line", &[":"], Other),
        row(I::Capture, "capture", "capture an authorisation", &["c"], Acting),
        row(I::Void, "void", "void an authorisation", &["v"], Acting),
        row(I::Refund, "refund", "refund a captured charge", &["r"], Acting),
        row(I::Refresh, "refresh", "refresh now", &["R"], Other),
        row(I::Help, "help", "this help", &["?"], Other),
        row(I::RawJson, "raw_json", "show the gateway's JSON", &["J"], Looking),
        row(I::Copy, "copy", "copy the id", &["y"], Looking),
        row(I::CopyMenu, "copy_menu", "copy the amount, email or JSON", &["Y"], Looking),
        row(I::OpenCustomer, "open_customer", "open the charge's customer", &["o"], Customers),
        row(I::Verify3ds, "verify_3ds", "verify a 3-D Secure charge", &["a"], Customers),
        row(I::NewCharge, "new_charge", "charge the customer's saved card", &["n"], Customers),
        row(I::DeleteCard, "delete_card", "delete a saved card", &["d"], Customers),
        row(I::CancelSubscription, "cancel_subscription", "cancel a subscription", &["x"], Customers),
        row(I::DeleteCustomer, "delete_customer", "delete the customer", &["D"], Customers),
        row(I::SubmitEvidence, "submit_evidence", "submit evidence for a dispute", &["e"], Customers),
        row(I::AcceptDispute, "accept_dispute", "accept (close) a dispute", &["A"], Customers),
        row(I::OpenPayout, "open_payout", "open the charge's payout", &["p"], Looking),
        row(I::ToggleTimezone, "toggle_timezone", "times in UTC or your zone", &["Z"], Looking),
        row(I::Quit, "quit", "quit", &["q", "ctrl-c"], Other),
    ]
};

impl Intent {
    fn row(self) -> &'static IntentRow {
        &INTENTS[self as usize]
    }

    pub fn all() -> impl Iterator<Item = Intent> {
        INTENTS.iter().map(|row| row.intent)
    }

    /// The name used in the config's `[keys]` table.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    pub fn from_name(name: &str) -> Option<Intent> {
        INTENTS
            .iter()
            .find(|row| row.name == name)
            .map(|row| row.intent)
    }

    /// What the intent does, for the help overlay.
    pub fn describe(self) -> &'static str {
        self.row().describe
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

/// Keys bound to actions of one kind: the main screens' intents, or one mode's actions.
/// A key means one action; an action may have several keys.
#[derive(Debug, Clone)]
pub struct KeyTable<A> {
    bindings: HashMap<Chord, A>,
}

impl<A: Copy + Eq> KeyTable<A> {
    /// Each action with its default keys (written as the config writes them).
    pub fn with_defaults<'a>(defaults: impl IntoIterator<Item = (A, &'a [&'a str])>) -> Self {
        let mut bindings = HashMap::new();
        for (action, specs) in defaults {
            for spec in specs {
                if let Ok(chord) = Chord::parse(spec) {
                    bindings.insert(chord, action);
                }
            }
        }
        KeyTable { bindings }
    }

    pub fn action(&self, event: &KeyEvent) -> Option<A> {
        self.bindings.get(&Chord::from_event(event)).copied()
    }

    /// Replaces `action`'s keys with `specs`; a key another action had moves to this one.
    /// The error names the first key that is not one.
    pub fn rebind(&mut self, action: A, specs: &[String]) -> Result<(), String> {
        let chords = specs
            .iter()
            .map(|s| Chord::parse(s))
            .collect::<Result<Vec<_>, _>>()?;
        self.bindings.retain(|_, bound| *bound != action);
        for chord in chords {
            self.bindings.insert(chord, action);
        }
        Ok(())
    }

    pub fn binds(&self, chord: Chord, action: A) -> bool {
        self.bindings.get(&chord) == Some(&action)
    }

    /// The keys bound to an action, for the status line and help: `j/↓`.
    pub fn keys_for(&self, action: A) -> String {
        let mut chords: Vec<String> = self
            .bindings
            .iter()
            .filter(|(_, bound)| **bound == action)
            .map(|(chord, _)| chord.to_string())
            .collect();
        // Single characters first, then names, so `j/↓` reads naturally.
        chords.sort_by_key(|c| (c.chars().count() > 1, c.clone()));
        chords.join("/")
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    intents: KeyTable<Intent>,
    /// The filter bar's, the command line's, each dialog's and the quit prompt's.
    pub modes: ModeKeys,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            intents: KeyTable::with_defaults(INTENTS.iter().map(|row| (row.intent, row.keys))),
            modes: ModeKeys::default(),
        }
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
                let names: Vec<&str> = Intent::all().map(Intent::name).collect();
                format!(
                    "{name:?} is not an action; expected one of {}",
                    names.join(", ")
                )
            })?;
            keymap.intents.rebind(intent, specs)?;
        }
        Ok(keymap)
    }

    /// What a key means in one of the other modes.
    pub fn in_mode(&self, mode: KeyMode, event: &KeyEvent) -> Option<ModeAction> {
        self.modes.action(mode, event)
    }

    pub fn intent(&self, event: &KeyEvent) -> Option<Intent> {
        self.intents.action(event)
    }

    /// The keys bound to an intent, for the status line and help: `j/↓`.
    pub fn keys_for(&self, intent: Intent) -> String {
        self.intents.keys_for(intent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_intent_is_the_row_it_indexes() {
        for (i, row) in INTENTS.iter().enumerate() {
            assert_eq!(row.intent as usize, i, "{}", row.name);
        }
    }

    #[test]
    fn defaults_cover_the_documented_keys() {
        let k = Keymap::default();
        let cases = [
            (KeyCode::Char('j'), KeyModifiers::NONE, Intent::Down),
            (KeyCode::Char('G'), KeyModifiers::SHIFT, Intent::Bottom),
            (
                KeyCode::Char('d'),
                KeyModifiers::CONTROL,
                Intent::HalfPageDown,
            ),
            (KeyCode::Char('R'), KeyModifiers::SHIFT, Intent::Refresh),
            (KeyCode::PageDown, KeyModifiers::NONE, Intent::PageDown),
        ];
        for (code, modifiers, intent) in cases {
            let event = KeyEvent::new(code, modifiers);
            assert_eq!(k.intent(&event), Some(intent), "{code:?} {modifiers:?}");
        }
        assert_eq!(k.keys_for(Intent::Down), "j/↓");
    }

    #[test]
    fn overrides_replace_an_intents_keys() {
        let k = Keymap::with_overrides(&[("capture".into(), vec!["C".into(), "ctrl-k".into()])])
            .unwrap();
        let intent = |code, modifiers| k.intent(&KeyEvent::new(code, modifiers));
        assert_eq!(intent(KeyCode::Char('c'), KeyModifiers::NONE), None);
        assert_eq!(
            intent(KeyCode::Char('C'), KeyModifiers::SHIFT),
            Some(Intent::Capture)
        );
        assert_eq!(
            intent(KeyCode::Char('k'), KeyModifiers::CONTROL),
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
