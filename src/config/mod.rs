//! The config file: gateway profiles, key bindings, theme and polling, as TOML in the
//! platform config directory (`~/.config/paydeck/config.toml` on Linux;
//! `PAYDECK_CONFIG_DIR` overrides the directory) or wherever `--config PATH` says.
//!
//! Every mistake is reported as `<file>:<line>:<col>: <what is wrong>; <what to write
//! instead>`. Secret keys never go in the file: a profile names an environment
//! variable (`key_env`) or a command (`key_command`) that gives the key.

mod error;
mod key_command;
mod key_source;
mod parse;
mod profiles;
mod store;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use error::{ConfigError, Location};
pub use key_source::{KeySource, MAX_KEY_BYTES};
pub use store::StoreSettings;

use crate::gateway::GatewayDescriptor;

/// The poll interval when the file does not give one.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(5);
/// The shortest poll interval allowed, to be kind to the gateways.
pub const MIN_POLL_INTERVAL: Duration = Duration::from_secs(2);

/// Everything the config file says. `Default` is what an empty file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from; `None` when it was made in code.
    pub path: Option<PathBuf>,
    pub poll_interval: Duration,
    pub theme: ThemeName,
    /// The zone times are shown in and filter dates counted in; the system's by default.
    pub timezone: crate::timezone::Zone,
    /// Removes every mutating action for every profile (see [`Config::is_read_only`]).
    pub read_only: bool,
    /// The profile to open when none is named; checked to exist.
    pub default_profile: Option<String>,
    /// Who is at the keyboard, written to the audit log next to the OS user.
    pub operator: Option<String>,
    /// `[keys]` in file order: action name and the keys that replace its defaults,
    /// already checked with `Keymap::with_overrides`.
    pub keys: Vec<(String, Vec<String>)>,
    /// In file order; names are unique.
    pub profiles: Vec<Profile>,
    /// `[store]`: the shared PostgreSQL for reconciliation sessions, if any.
    pub store: StoreSettings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            poll_interval: DEFAULT_POLL_INTERVAL,
            theme: ThemeName::Dark,
            timezone: crate::timezone::Zone::Local,
            read_only: false,
            default_profile: None,
            operator: None,
            keys: Vec::new(),
            profiles: Vec::new(),
            store: StoreSettings::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
    Mono,
}

impl ThemeName {
    pub const ALL: [ThemeName; 3] = [ThemeName::Dark, ThemeName::Light, ThemeName::Mono];

    /// The name written in the config: `dark`, `light`, `mono`.
    pub fn name(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::Mono => "mono",
        }
    }

    pub fn from_name(name: &str) -> Option<ThemeName> {
        ThemeName::ALL.into_iter().find(|t| t.name() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Environment {
    Test,
    Live,
}

impl Environment {
    pub const ALL: [Environment; 2] = [Environment::Test, Environment::Live];

    /// The name written in the config: `test`, `live`.
    pub fn name(self) -> &'static str {
        match self {
            Environment::Test => "test",
            Environment::Live => "live",
        }
    }

    pub fn from_name(name: &str) -> Option<Environment> {
        Environment::ALL.into_iter().find(|e| e.name() == name)
    }

    pub fn is_live(self) -> bool {
        self == Environment::Live
    }
}

/// One `[[profile]]`: a gateway account to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    /// The gateway it opens, from `gateway::registry::GATEWAYS`.
    pub gateway: &'static GatewayDescriptor,
    pub environment: Environment,
    /// Overrides the gateway's own URL for the environment (e.g. the simulator);
    /// starts with `http://` or `https://` (`https://` only for live profiles).
    pub base_url: Option<String>,
    pub key: KeySource,
    /// This profile's own setting; see [`Config::is_read_only`].
    pub read_only: bool,
    /// Only for a gateway that takes it (`GatewayDescriptor::profile_keys`), and
    /// required there: Openpay's.
    pub merchant_id: Option<String>,
    /// Likewise: Openpay's `mx`, `co` or `pe`.
    pub country: Option<String>,
}

/// The countries Openpay serves, as written in `country`.
pub const OPENPAY_COUNTRIES: [&str; 3] = ["mx", "co", "pe"];

impl Profile {
    /// The profile's key, from its environment variable or command. Errors name the
    /// profile as well as the variable or command.
    pub fn resolve_key(&self) -> Result<crate::secret::Secret, ConfigError> {
        self.resolve_key_waiting(&mut |_| {})
    }

    /// As [`Profile::resolve_key`]; `waiting` hears once a second how long a
    /// `key_command` has been running.
    pub fn resolve_key_waiting(
        &self,
        waiting: &mut dyn FnMut(std::time::Duration),
    ) -> Result<crate::secret::Secret, ConfigError> {
        self.key
            .resolve_waiting(waiting)
            .map_err(|e| e.prefixed(&format!("profile {:?}: ", self.name)))
    }
}

impl Config {
    /// The profile named `name`; without a name, `default_profile`, else the first.
    /// The error lists the profiles that exist.
    pub fn profile(&self, name: Option<&str>) -> Result<&Profile, ConfigError> {
        let error = |message: String| match &self.path {
            Some(path) => ConfigError::in_file(path, message),
            None => ConfigError::new(message),
        };
        if self.profiles.is_empty() {
            return Err(error(
                "there are no profiles; add a [[profile]] table with name, gateway, \
                 environment and key_env or key_command (see config.example.toml)"
                    .to_string(),
            ));
        }
        match name.or(self.default_profile.as_deref()) {
            None => Ok(&self.profiles[0]),
            Some(wanted) => self
                .profiles
                .iter()
                .find(|p| p.name == wanted)
                .ok_or_else(|| {
                    let names: Vec<String> = self
                        .profiles
                        .iter()
                        .map(|p| format!("{:?}", p.name))
                        .collect();
                    error(format!(
                        "there is no profile named {wanted:?}; the profiles are {}",
                        names.join(", ")
                    ))
                }),
        }
    }

    /// Whether mutating actions are off for `profile`: the top-level `read_only` turns
    /// them off for every profile, a profile's own `read_only` for that profile.
    pub fn is_read_only(&self, profile: &Profile) -> bool {
        self.read_only || profile.read_only
    }
}

/// `config.toml` in `$PAYDECK_CONFIG_DIR` if that is set, else in the platform config
/// directory (`~/.config/paydeck` on Linux). `None` when there is no home directory.
pub fn default_path() -> Option<PathBuf> {
    default_path_from(std::env::var_os("PAYDECK_CONFIG_DIR"))
}

fn default_path_from(dir_override: Option<std::ffi::OsString>) -> Option<PathBuf> {
    let dir = match dir_override.filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => directories::ProjectDirs::from("", "", "paydeck")?
            .config_dir()
            .to_path_buf(),
    };
    Some(dir.join("config.toml"))
}

/// Reads and checks the config. With a path (`--config`), the file must exist. Without
/// one, reads [`default_path`]; `Ok(None)` when no file exists there.
pub fn load(path: Option<&Path>) -> Result<Option<Config>, ConfigError> {
    load_from(path, default_path())
}

fn load_from(path: Option<&Path>, default: Option<PathBuf>) -> Result<Option<Config>, ConfigError> {
    let path = match (path, default) {
        (Some(path), _) => path.to_path_buf(),
        (None, Some(default)) if default.exists() => default,
        (None, _) => return Ok(None),
    };
    let bytes = std::fs::read(&path)
        .map_err(|e| ConfigError::in_file(&path, format!("cannot read the config file: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        ConfigError::at(
            &path,
            &text,
            offset,
            "this is not UTF-8; save the file as UTF-8",
        )
    })?;
    parse(&text, &path).map(Some)
}

/// Checks `text`, the contents of the file at `path` (used only in messages).
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    parse::parse(text, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn temp_path(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!(
            "paydeck-config-{}-{name}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ))
    }

    fn profile(name: &str) -> Profile {
        Profile {
            name: name.into(),
            gateway: &crate::gateway::pin::DESCRIPTOR,
            environment: Environment::Test,
            base_url: None,
            key: KeySource::Env("PIN_SECRET_KEY".into()),
            read_only: false,
            merchant_id: None,
            country: None,
        }
    }

    #[test]
    fn the_default_is_an_empty_file() {
        let empty = parse("", Path::new("c.toml")).unwrap();
        assert_eq!(
            empty,
            Config {
                path: Some(PathBuf::from("c.toml")),
                ..Config::default()
            }
        );
        assert_eq!(Config::default().poll_interval, Duration::from_secs(5));
        assert_eq!(Config::default().theme, ThemeName::Dark);
    }

    #[test]
    fn profiles_are_found_by_name_then_default_then_first() {
        let mut config = Config {
            profiles: vec![profile("a"), profile("b")],
            ..Config::default()
        };
        assert_eq!(config.profile(None).unwrap().name, "a");
        assert_eq!(config.profile(Some("b")).unwrap().name, "b");
        config.default_profile = Some("b".into());
        assert_eq!(config.profile(None).unwrap().name, "b");
        assert_eq!(config.profile(Some("a")).unwrap().name, "a");
        let err = config.profile(Some("c")).unwrap_err().to_string();
        assert!(err.contains(r#"no profile named "c""#), "{err}");
        assert!(err.contains(r#""a", "b""#), "{err}");
        let err = Config::default().profile(None).unwrap_err().to_string();
        assert!(err.contains("no profiles"), "{err}");
    }

    #[test]
    fn read_only_is_either_setting() {
        let mut config = Config::default();
        let mut p = profile("a");
        assert!(!config.is_read_only(&p));
        p.read_only = true;
        assert!(config.is_read_only(&p));
        p.read_only = false;
        config.read_only = true;
        assert!(config.is_read_only(&p));
    }

    #[test]
    fn labels_and_names() {
        use crate::gateway::registry::{GATEWAYS, find};
        let labels: Vec<&str> = GATEWAYS.iter().map(|g| g.label).collect();
        assert_eq!(
            labels,
            ["Pin Payments", "Stripe", "Openpay", "Transactions gateway"]
        );
        assert_eq!(find("trx").map(|g| g.label), Some("Transactions gateway"));
        assert_eq!(ThemeName::from_name("mono"), Some(ThemeName::Mono));
        assert_eq!(Environment::from_name("Live"), None);
    }

    #[test]
    fn the_default_path_follows_the_override() {
        let path = default_path_from(Some("/etc/pd".into())).unwrap();
        assert_eq!(path, Path::new("/etc/pd/config.toml"));
        if let Some(path) = default_path_from(Some("".into())) {
            assert!(path.ends_with("paydeck/config.toml") || path.ends_with("config.toml"));
        }
    }

    #[test]
    fn loading_without_a_file_gives_none_but_a_named_file_must_exist() {
        let missing = temp_path("missing.toml");
        assert_eq!(load_from(None, Some(missing.clone())).unwrap(), None);
        assert_eq!(load_from(None, None).unwrap(), None);
        let err = load_from(Some(&missing), None).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{}: cannot read", missing.display())),
            "{err}"
        );
    }

    #[test]
    fn loading_reads_the_file() {
        let path = temp_path("config.toml");
        std::fs::write(&path, "theme = \"light\"\n").unwrap();
        let from_default = load_from(None, Some(path.clone()));
        let named = load_from(Some(&path), None);
        std::fs::write(&path, b"theme = \"\xff\"\n").unwrap();
        let not_utf8 = load_from(Some(&path), None);
        let _ = std::fs::remove_file(&path);
        assert_eq!(from_default.unwrap().unwrap().theme, ThemeName::Light);
        assert_eq!(
            named.unwrap().unwrap().path.as_deref(),
            Some(path.as_path())
        );
        let err = not_utf8.unwrap_err().to_string();
        assert!(err.contains(":1:10: this is not UTF-8"), "{err}");
    }

    #[test]
    fn debug_never_shows_a_key() {
        let mut p = profile("demo");
        p.key = KeySource::Literal(Secret::new("pin_sim_hunter2"));
        let config = Config {
            profiles: vec![p],
            ..Config::default()
        };
        let resolved = config.profiles[0].resolve_key().unwrap();
        assert_eq!(resolved.expose(), "pin_sim_hunter2");
        let shown = format!("{config:?} {config:#?} {resolved:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("***"), "{shown}");
    }

    #[test]
    fn key_errors_name_the_profile() {
        let mut p = profile("pin-live");
        p.key = KeySource::Command("exit 1".into());
        let err = p.resolve_key().unwrap_err().to_string();
        assert!(
            err.starts_with(r#"profile "pin-live": key_command `exit 1`"#),
            "{err}"
        );
    }
}
