//! From TOML text to a checked [`Config`], walking the parsed document with its spans
//! so that every message can say where the mistake is.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::time::Duration;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Config, ConfigError, Location, MIN_POLL_INTERVAL, ThemeName};
use crate::app::keymap::{Chord, Keymap};
use crate::app::mode_keys::KeyMode;
use crate::timezone::Zone;

pub(super) const TOP_KEYS: [&str; 9] = [
    "poll_interval_secs",
    "theme",
    "timezone",
    "read_only",
    "default_profile",
    "operator",
    "keys",
    "profile",
    "store",
];

/// An operator's name longer than this is not a name.
const MAX_OPERATOR: usize = 80;

pub(super) type Value<'i> = Spanned<DeValue<'i>>;

pub(super) fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let doc = DeTable::parse(text).map_err(|e| syntax_error(&e, text, path))?;
    let cx = Cx { text, path };
    let mut config = Config {
        path: Some(path.to_path_buf()),
        ..Config::default()
    };
    let mut default_profile = None;
    for (key, key_span, value) in entries(doc.get_ref()) {
        match key {
            "poll_interval_secs" => config.poll_interval = cx.poll_interval(value)?,
            "theme" => {
                let name = cx.string(key, value, "one of \"dark\", \"light\", \"mono\"")?;
                config.theme = ThemeName::from_name(name).ok_or_else(|| {
                    cx.unknown_name(value, "theme", name, &ThemeName::ALL.map(ThemeName::name))
                })?;
            }
            "timezone" => {
                let name = cx.string(
                    key,
                    value,
                    "\"local\", \"UTC\" or an offset like \"+10:00\"",
                )?;
                config.timezone = Zone::parse(name).map_err(|why| cx.at(value.span(), why))?;
            }
            "read_only" => config.read_only = cx.boolean(key, value)?,
            "default_profile" => {
                let name = cx.string(key, value, "the name of a [[profile]]")?;
                default_profile = Some((name.to_string(), value.span()));
            }
            "operator" => config.operator = Some(cx.operator(value)?),
            "keys" => config.keys = cx.keys(value)?,
            "profile" => config.profiles = cx.profiles(value)?,
            "store" => config.store = cx.store(value)?,
            _ if is_literal_key(key) => return Err(cx.literal_key(key, key_span, "")),
            _ => {
                return Err(cx.unknown_key(
                    key,
                    key_span,
                    "at the top level",
                    &TOP_KEYS,
                    "poll_interval_secs, theme, timezone, read_only, default_profile, operator, [keys], [[profile]], [store]",
                ));
            }
        }
    }
    if let Some((name, span)) = default_profile {
        if !config.profiles.iter().any(|p| p.name == name) {
            let names: Vec<String> = config
                .profiles
                .iter()
                .map(|p| format!("{:?}", p.name))
                .collect();
            let instead = if names.is_empty() {
                "add a [[profile]] with that name, or remove default_profile".to_string()
            } else {
                format!("write one of {}", names.join(", "))
            };
            return Err(cx.at(
                span,
                format!("default_profile is {name:?}, but no profile has that name; {instead}"),
            ));
        }
        config.default_profile = Some(name);
    }
    Ok(config)
}

/// A table's entries in the order they appear in the file.
/// Each is the key, where the key is written, and the value.
pub(super) fn entries<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(&'t str, Range<usize>, &'t Value<'i>)> {
    let mut entries: Vec<_> = table
        .iter()
        .map(|(key, value)| (key.get_ref().as_ref(), key.span(), value))
        .collect();
    entries.sort_by_key(|(_, span, _)| span.start);
    entries
}

fn syntax_error(error: &toml::de::Error, text: &str, path: &Path) -> ConfigError {
    let what = error.message().trim().replace('\n', "; ");
    let named = error
        .span()
        .and_then(|span| text.get(span))
        .filter(|s| !s.contains('\n'));
    let message = match named {
        Some(key) if what == "duplicate key" => {
            format!(
                "`{}` is set twice (duplicate key); keep only one",
                key.trim()
            )
        }
        _ => format!("this is not valid TOML: {what}; see https://toml.io for the syntax"),
    };
    match error.span() {
        Some(span) => ConfigError::at(path, text, span.start, message),
        None => ConfigError::in_file(path, message),
    }
}

/// Names that can only mean a secret written into the file.
pub(super) fn is_literal_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["key", "secret", "password", "token", "apikey", "secretkey"].contains(&key.as_str())
        || [
            "_key",
            "-key",
            "_secret",
            "-secret",
            "_token",
            "-token",
            "_password",
        ]
        .iter()
        .any(|suffix| key.ends_with(suffix))
}

fn a_type(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

pub(super) fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The closest of `candidates` to a mistyped `word`, if it is close enough: one
/// edit (a swap of neighbours counts as one) in short words, two in longer ones.
fn suggestion<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word: Vec<char> = word.to_ascii_lowercase().chars().collect();
    candidates
        .iter()
        .map(|c| (edit_distance(&word, &c.chars().collect::<Vec<_>>()), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).clamp(1, 2))
        .min()
        .map(|(_, c)| c)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps
/// of neighbouring characters.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The file being read, for messages.
pub(super) struct Cx<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Cx<'_> {
    pub(super) fn at(&self, span: Range<usize>, message: String) -> ConfigError {
        ConfigError::at(self.path, self.text, span.start, message)
    }

    pub(super) fn line_of(&self, span: Range<usize>) -> usize {
        Location::of_offset(self.text, span.start).line
    }

    pub(super) fn wrong_type(&self, key: &str, value: &Value<'_>, expected: &str) -> ConfigError {
        self.at(
            value.span(),
            format!(
                "`{key}` is {}; expected {expected}",
                a_type(value.get_ref())
            ),
        )
    }

    pub(super) fn string<'v>(
        &self,
        key: &str,
        value: &'v Value<'_>,
        expected: &str,
    ) -> Result<&'v str, ConfigError> {
        match value.get_ref() {
            DeValue::String(s) => Ok(s.as_ref()),
            _ => Err(self.wrong_type(key, value, &format!("a string: {expected}"))),
        }
    }

    /// A string that must say something.
    pub(super) fn text(
        &self,
        key: &str,
        value: &Value<'_>,
        expected: &str,
    ) -> Result<String, ConfigError> {
        let s = self.string(key, value, expected)?;
        if s.trim().is_empty() {
            return Err(self.at(
                value.span(),
                format!("`{key}` is empty; expected {expected}"),
            ));
        }
        Ok(s.trim().to_string())
    }

    /// The person at the keyboard, for the audit log: a name on one line.
    fn operator(&self, value: &Value<'_>) -> Result<String, ConfigError> {
        let expected = "your name for the audit log, such as operator = \"Ada Lovelace\"";
        let name = self.text("operator", value, expected)?;
        if name.chars().any(char::is_control) {
            return Err(self.at(
                value.span(),
                format!("`operator` has a line break or control character; write {expected}"),
            ));
        }
        if name.chars().count() > MAX_OPERATOR {
            return Err(self.at(
                value.span(),
                format!(
                    "`operator` is {} characters long, more than {MAX_OPERATOR}; write a shorter name",
                    name.chars().count()
                ),
            ));
        }
        Ok(name)
    }

    pub(super) fn boolean(&self, key: &str, value: &Value<'_>) -> Result<bool, ConfigError> {
        match value.get_ref() {
            DeValue::Boolean(b) => Ok(*b),
            _ => Err(self.wrong_type(key, value, "true or false (without quotes)")),
        }
    }

    fn poll_interval(&self, value: &Value<'_>) -> Result<Duration, ConfigError> {
        let key = "poll_interval_secs";
        let min = MIN_POLL_INTERVAL.as_secs();
        let expected = format!("a whole number of seconds, at least {min}, such as {key} = 5");
        let DeValue::Integer(n) = value.get_ref() else {
            return Err(self.wrong_type(key, value, &expected));
        };
        let secs = i128::from_str_radix(n.as_str(), n.radix()).unwrap_or(i128::MAX);
        if secs < i128::from(min) {
            return Err(self.at(
                value.span(),
                format!(
                    "{key} is {secs}, but the minimum is {min} seconds; write {key} = {min} or more"
                ),
            ));
        }
        // A day is plenty; anything longer is certainly a mistake.
        if secs > 86_400 {
            return Err(self.at(
                value.span(),
                format!("{key} is {secs}, more than a day; write a number of seconds from {min} to 86400"),
            ));
        }
        Ok(Duration::from_secs(secs as u64))
    }

    pub(super) fn unknown_name(
        &self,
        value: &Value<'_>,
        what: &str,
        name: &str,
        valid: &[&str],
    ) -> ConfigError {
        let hint =
            suggestion(name, valid).map_or(String::new(), |s| format!(" (did you mean {s:?}?)"));
        self.at(
            value.span(),
            format!(
                "unknown {what} {name:?}{hint}; expected one of {}",
                quoted(valid)
            ),
        )
    }

    pub(super) fn unknown_key(
        &self,
        key: &str,
        span: Range<usize>,
        place: &str,
        known: &[&str],
        list: &str,
    ) -> ConfigError {
        let hint =
            suggestion(key, known).map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
        self.at(
            span,
            format!("unknown key `{key}` {place}{hint}; the known keys are {list}"),
        )
    }

    /// A top-level setting written after a table header, so inside that table.
    pub(super) fn misplaced(&self, key: &str, span: Range<usize>, table: &str) -> ConfigError {
        self.at(
            span,
            format!(
                "`{key}` is a top-level setting, but here it is inside {table}; move it above \
                 the first [keys], [[profile]] or [store] table"
            ),
        )
    }

    pub(super) fn literal_key(&self, key: &str, span: Range<usize>, profile: &str) -> ConfigError {
        // Never echo the value: it is a secret.
        self.at(
            span,
            format!(
                "`{key}` puts a secret key in the config file{profile}, and keys never go in the file; \
                 remove it and use key_env = \"NAME\" (an environment variable that holds the key) \
                 or key_command = \"pass show pin/test\" (a command that prints it)"
            ),
        )
    }

    fn keys(&self, value: &Value<'_>) -> Result<Vec<(String, Vec<String>)>, ConfigError> {
        let DeValue::Table(table) = value.get_ref() else {
            return Err(self.wrong_type(
                "keys",
                value,
                "a [keys] table of action = \"key\" or [\"key\", ...]",
            ));
        };
        let mut keys = Vec::new();
        // Keys are taken per mode: `[keys]` itself is the main screens' ("").
        let mut taken: HashMap<(String, Chord), (String, usize)> = HashMap::new();
        let mut bindings = Vec::new();
        for (name, name_span, value) in entries(table) {
            match value.get_ref() {
                // `[keys.dialog]`: the keys of one of the other modes.
                DeValue::Table(mode_table) => {
                    if KeyMode::from_name(name).is_none() {
                        let modes: Vec<&str> = KeyMode::ALL.iter().map(|m| m.name()).collect();
                        return Err(self.at(
                            name_span,
                            format!(
                                "in [keys]: [keys.{name}] is not a mode; the modes with keys of their own are {}",
                                modes.join(", ")
                            ),
                        ));
                    }
                    for (action, span, value) in entries(mode_table) {
                        bindings.push((name.to_string(), format!("{name}.{action}"), span, value));
                    }
                }
                _ => bindings.push((String::new(), name.to_string(), name_span, value)),
            }
        }
        for (mode, action, action_span, value) in bindings {
            let action = action.as_str();
            if TOP_KEYS.contains(&action) {
                return Err(self.misplaced(action, action_span, "[keys]"));
            }
            let expected =
                "a key such as \"j\" or \"ctrl-n\", or a list of them such as [\"j\", \"down\"]";
            let specs: Vec<(&str, Range<usize>)> = match value.get_ref() {
                DeValue::String(s) => vec![(s.as_ref(), value.span())],
                DeValue::Array(items) => items
                    .iter()
                    .map(|item| match item.get_ref() {
                        DeValue::String(s) => Ok((s.as_ref(), item.span())),
                        _ => Err(self.wrong_type(&format!("keys.{action}"), item, expected)),
                    })
                    .collect::<Result<_, _>>()?,
                _ => return Err(self.wrong_type(&format!("keys.{action}"), value, expected)),
            };
            let entry = (
                action.to_string(),
                specs.iter().map(|(s, _)| s.to_string()).collect::<Vec<_>>(),
            );
            if let Err(why) = Keymap::remapped(std::slice::from_ref(&entry)) {
                // Point at the key that is wrong, else at the action's name.
                let known = crate::app::keymap::Intent::from_name(action).is_some()
                    || action.split_once('.').is_some_and(|(m, a)| {
                        KeyMode::from_name(m).is_some_and(|m| m.action_named(a).is_some())
                    });
                let span = specs
                    .iter()
                    .find(|(spec, _)| Chord::parse(spec).is_err())
                    .filter(|_| known)
                    .map_or_else(|| action_span.clone(), |(_, span)| span.clone());
                return Err(self.at(span, format!("in [keys]: {why}")));
            }
            if action == "quit" && specs.is_empty() {
                return Err(self.at(
                    value.span(),
                    "in [keys]: quit has no key left; give it at least one, such as quit = [\"q\"]"
                        .to_string(),
                ));
            }
            for (spec, span) in &specs {
                let Ok(chord) = Chord::parse(spec) else {
                    continue;
                };
                let here = (action.to_string(), self.line_of(span.clone()));
                if let Some((other, line)) = taken
                    .insert((mode.clone(), chord), here)
                    .filter(|(other, _)| other != action)
                {
                    return Err(self.at(
                        span.clone(),
                        format!(
                            "in [keys]: {spec:?} is given to both {other} (line {line}) and {action}; \
                             give each key to one action"
                        ),
                    ));
                }
            }
            keys.push(entry);
        }
        // One mode's remapping may leave another action of it no key at all.
        if let Err(why) = Keymap::with_overrides(&keys) {
            return Err(self.at(value.span(), format!("in [keys]: {why}")));
        }
        Ok(keys)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::config::{Environment, KeySource};

    /// One Pin profile, whole.
    pub(in crate::config) const PIN: &str =
        "[[profile]]\nname = \"p\"\ngateway = \"pin\"\nenvironment = \"test\"\nkey_env = \"K\"\n";

    /// Why `text`, read as `c.toml`, is refused.
    pub(in crate::config) fn err(text: &str) -> String {
        parse(text, Path::new("c.toml")).unwrap_err().to_string()
    }

    /// That `text` is refused, with an error that says `says`.
    #[track_caller]
    pub(in crate::config) fn refused(text: &str, says: &str) {
        let e = err(text);
        assert!(e.contains(says), "{e}");
    }

    /// The names of the keys `text` remaps, in the file's order.
    fn remapped(text: &str) -> (Config, Vec<String>) {
        let c = parse(text, Path::new("c.toml")).unwrap();
        let names = c.keys.iter().map(|(n, _)| n.clone()).collect();
        (c, names)
    }

    #[test]
    fn settings_are_read() {
        let c = parse(
            &format!("poll_interval_secs = 0x10\ntheme = \"mono\"\n{PIN}"),
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(c.poll_interval, Duration::from_secs(16));
        assert_eq!(c.theme, ThemeName::Mono);
        assert_eq!(c.profiles[0].key, KeySource::Env("K".into()));
        assert_eq!(c.profiles[0].environment, Environment::Test);
    }

    #[test]
    fn each_modes_keys_are_remapped_under_its_own_table() {
        let (c, names) = remapped(
            "[keys]\nback = \"esc\"\n[keys.evidence]\nsend = \"ctrl-enter\"\n[keys.dialog]\nsend = \"x\"\n",
        );
        assert_eq!(names, ["back", "evidence.send", "dialog.send"]);
        let keymap = Keymap::with_overrides(&c.keys).unwrap();
        let ctrl_enter = crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Enter,
            crossterm::event::KeyModifiers::CONTROL,
        );
        assert_eq!(
            keymap.in_mode(KeyMode::Evidence, &ctrl_enter),
            Some(crate::app::mode_keys::ModeAction::Send)
        );
    }

    #[test]
    fn a_modes_key_given_twice_or_left_without_one_is_explained_with_its_line() {
        let e = err("[keys.dialog]\nsend = \"x\"\nclose = [\"esc\", \"x\"]\n");
        assert!(e.starts_with("c.toml:3:"), "{e}");
        assert!(
            e.contains("\"x\" is given to both dialog.send (line 2) and dialog.close"),
            "{e}"
        );
        let e = err("[keys.confirm]\nclose = \"enter\"\n");
        assert!(e.contains("confirm.send has no key left"), "{e}");
        assert!(e.contains("send = [\"enter\"] under [keys.confirm]"), "{e}");
        let e = err("[keys.dialogue]\nsend = \"x\"\n");
        assert!(e.starts_with("c.toml:1:"), "{e}");
        assert!(e.contains("[keys.dialogue] is not a mode"), "{e}");
        let e = err("[keys.dialog]\nsned = \"x\"\n");
        assert!(e.starts_with("c.toml:2:"), "{e}");
        assert!(e.contains("expected one of send, close, next_field"), "{e}");
        // The same key in two modes is no conflict.
        assert!(
            parse(
                "[keys]\nquit = \"q\"\n[keys.quit_prompt]\nclose = \"q\"\n",
                Path::new("c.toml")
            )
            .is_ok()
        );
    }

    #[test]
    fn keys_keep_the_files_order() {
        let (c, names) =
            remapped("[keys]\nvoid = \"x\"\ncapture = [\"C\", \"ctrl-k\"]\nback = \"esc\"\n");
        assert_eq!(names, ["void", "capture", "back"]);
        assert_eq!(c.keys[1].1, ["C", "ctrl-k"]);
    }

    #[test]
    fn syntax_errors_say_where() {
        assert!(
            err("theme = \n").starts_with("c.toml:1:"),
            "{}",
            err("theme = \n")
        );
        assert!(err("[keys\n").starts_with("c.toml:1:"));
        refused("a\n", "not valid TOML");
        assert_eq!(
            err("theme = \"dark\"\ntheme = \"mono\"\n"),
            "c.toml:2:1: `theme` is set twice (duplicate key); keep only one"
        );
    }

    #[test]
    fn numbers_out_of_range() {
        refused("poll_interval_secs = -5", "is -5, but the minimum is 2");
        refused(
            "poll_interval_secs = 99999999999999999999999",
            "more than a day",
        );
        refused(
            "poll_interval_secs = 2.5",
            "is a float; expected a whole number",
        );
    }

    #[test]
    fn misplaced_settings_are_explained() {
        let e = err(&format!("{PIN}theme = \"dark\"\n"));
        assert!(
            e.starts_with(
                "c.toml:6:1: `theme` is a top-level setting, but here it is inside a [[profile]]"
            ),
            "{e}"
        );
        refused("[keys]\npoll_interval_secs = 5\n", "inside [keys]");
    }

    #[test]
    fn mistakes_get_suggestions() {
        refused("them = \"dark\"", "(did you mean `theme`?)");
        refused("theme = \"drak\"", "(did you mean \"dark\"?)");
        assert!(!err("zzz = 1").contains("did you mean"));
        assert_eq!(suggestion("pni", &["pin", "stripe"]), Some("pin"));
        assert_eq!(suggestion("stripes", &["pin", "stripe"]), Some("stripe"));
        assert_eq!(suggestion("x", &["pin", "trx"]), None);
    }

    #[test]
    fn literal_keys_are_refused_without_showing_them() {
        for name in [
            "key",
            "secret_key",
            "api_key",
            "private_key",
            "client_secret",
            "Password",
        ] {
            let e = err(&format!("{PIN}{name} = \"hunter2\"\n"));
            assert!(e.contains("keys never go in the file"), "{e}");
            assert!(!e.contains("hunter2"), "{e}");
        }
        assert!(!is_literal_key("key_env"));
        assert!(!is_literal_key("key_command"));
        assert!(!is_literal_key("keys"));
    }

    #[test]
    fn keys_must_be_usable() {
        refused("[keys]\nquit = []\n", "quit has no key left");
        assert!(
            err("[keys]\ndown = [\"j\", 3]\n")
                .starts_with("c.toml:2:14: `keys.down` is an integer")
        );
        refused("keys = \"j\"", "`keys` is a string");
        // the same key twice for one action is harmless
        assert!(
            parse("[keys]\ndown = [\"j\", \"j\"]\n", Path::new("c.toml"))
                .is_ok_and(|c| c.keys.len() == 1)
        );
    }
}
