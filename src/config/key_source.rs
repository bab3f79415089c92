//! Where a profile's secret key comes from: an environment variable or a command,
//! never the config file.

use std::time::Duration;

use super::ConfigError;
use super::key_command::{self, Failure, Printed};
use crate::secret::Secret;

/// The longest key accepted, in bytes. Gateway keys are tens of characters (Stripe's
/// longest, restricted keys, about 110); anything near this is not a key.
pub const MAX_KEY_BYTES: usize = 4096;

/// Where a profile's secret key comes from. A config file can only name an
/// environment variable or a command; `Literal` is for keys paydeck made itself
/// (the `--demo` simulator). `Debug` never shows a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// The name of an environment variable that holds the key.
    Env(String),
    /// A shell command (run with `sh -c`) that prints the key on stdout.
    Command(String),
    /// A key held in memory; never read from a file.
    Literal(Secret),
}

/// What a secret and its two settings are called in messages: a profile's key
/// (`key_env`, `key_command`) or the store's password (`password_env`, `password_command`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretNames {
    pub env: &'static str,
    pub command: &'static str,
    /// The secret itself, as "the secret key".
    pub thing: &'static str,
    /// Short, as in "more than a key can be".
    pub short: &'static str,
}

/// A gateway profile's secret key.
pub const KEY_NAMES: SecretNames = SecretNames {
    env: "key_env",
    command: "key_command",
    thing: "secret key",
    short: "key",
};

/// The shared store's database password.
pub const PASSWORD_NAMES: SecretNames = SecretNames {
    env: "password_env",
    command: "password_command",
    thing: "database password",
    short: "password",
};

impl KeySource {
    /// Reads the key. `Env`: the variable must be set and not blank. `Command`: runs
    /// it with `sh -c` and takes its stdout, trimmed; it must exit with status 0 within
    /// two minutes and print exactly one non-empty line. Either way the key is at most
    /// [`MAX_KEY_BYTES`]. Errors name the variable or the command and never contain
    /// what the command printed.
    pub fn resolve(&self) -> Result<Secret, ConfigError> {
        self.resolve_waiting(&mut |_| {})
    }

    /// As [`KeySource::resolve`]; while a command runs, `waiting` is told how long it
    /// has been running, once a second, so the operator knows what paydeck waits for.
    pub fn resolve_waiting(
        &self,
        waiting: &mut dyn FnMut(Duration),
    ) -> Result<Secret, ConfigError> {
        self.resolve_named(KEY_NAMES, waiting)
    }

    /// As [`KeySource::resolve_waiting`], for the secret `names` calls it in messages.
    pub fn resolve_named(
        &self,
        names: SecretNames,
        waiting: &mut dyn FnMut(Duration),
    ) -> Result<Secret, ConfigError> {
        match self {
            KeySource::Literal(secret) => Ok(secret.clone()),
            KeySource::Env(name) => resolve_env(name, names),
            KeySource::Command(command) => {
                resolve_command(command, names, key_command::TIMEOUT, waiting)
            }
        }
    }
}

fn resolve_env(name: &str, names: SecretNames) -> Result<Secret, ConfigError> {
    let SecretNames {
        env,
        command,
        thing,
        short,
    } = names;
    match std::env::var(name) {
        Ok(value) if value.trim().len() > MAX_KEY_BYTES => Err(ConfigError::new(format!(
            "the environment variable {name} ({env}) holds {} bytes, more than a {short} can \
             be (at most {MAX_KEY_BYTES}); set it to the {thing} alone",
            value.trim().len()
        ))),
        Ok(value) if !value.trim().is_empty() => Ok(Secret::new(value.trim())),
        Ok(_) => Err(ConfigError::new(format!(
            "the environment variable {name} ({env}) is empty; set it to the {thing}, \
             or use {command}"
        ))),
        Err(std::env::VarError::NotPresent) => Err(ConfigError::new(format!(
            "the environment variable {name} ({env}) is not set; export {name}=<{thing}> \
             before starting paydeck, or use {command}"
        ))),
        Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::new(format!(
            "the environment variable {name} ({env}) is not valid UTF-8; set it to the {thing}"
        ))),
    }
}

fn resolve_command(
    command: &str,
    names: SecretNames,
    timeout: Duration,
    waiting: &mut dyn FnMut(Duration),
) -> Result<Secret, ConfigError> {
    let fail = |what: &str| {
        ConfigError::new(format!(
            "{} `{command}` {what}; run it yourself to see why, and make it print \
             only the {} (its output is never shown)",
            names.command, names.short
        ))
    };
    let (status, printed) = key_command::run(command, timeout, waiting).map_err(|e| match e {
        Failure::Start(e) => fail(&format!("could not be started ({e})")),
        Failure::Wait(e) => fail(&format!("could not be waited for ({e})")),
        Failure::TimedOut(after) => fail(&format!(
            "did not finish within {} seconds and was stopped, with everything it started",
            after.as_secs()
        )),
        Failure::Unreadable => fail("produced output that could not be read"),
    })?;
    if !status.success() {
        let how = status.code().map_or_else(
            || "was killed by a signal".to_string(),
            |c| format!("exited with status {c}"),
        );
        return Err(fail(&how));
    }
    key_from_printed(&printed, names.short).map_err(|what| fail(&what))
}

/// The key in what a `key_command` printed: one line, trimmed, of printable text, at
/// most [`MAX_KEY_BYTES`]. The error says what was wrong and never quotes the output.
fn key_from_printed(printed: &Printed, short: &str) -> Result<Secret, String> {
    let too_long = |bytes: u64| {
        format!("printed {bytes} bytes, more than a {short} can be (at most {MAX_KEY_BYTES})")
    };
    if printed.total > printed.kept.len() as u64 {
        return Err(too_long(printed.total));
    }
    let text = std::str::from_utf8(&printed.kept)
        .map_err(|_| "printed something that is not UTF-8".to_string())?;
    let key = text.trim();
    if key.is_empty() {
        return Err("printed nothing".into());
    }
    if key.contains('\n') {
        return Err(
            "printed more than one line (for pass, take the first line: `pass show NAME | head -n 1`)"
                .into(),
        );
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(too_long(key.len() as u64));
    }
    // A terminal escape or a NUL is never part of a key: say so rather than send it
    // and be told the key is wrong.
    if key.chars().any(char::is_control) {
        return Err(format!("printed control characters, which no {short} has"));
    }
    Ok(Secret::new(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_prints_the_key() {
        let key = KeySource::Command("printf secret".into())
            .resolve()
            .unwrap();
        assert_eq!(key.expose(), "secret");
        let key = KeySource::Command("printf '  sk_test_1\\n\\n'".into())
            .resolve()
            .unwrap();
        assert_eq!(key.expose(), "sk_test_1");
    }

    #[test]
    fn a_failing_command_is_named_but_its_output_is_not_shown() {
        let err = KeySource::Command("printf leaked; exit 3".into())
            .resolve()
            .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("`printf leaked; exit 3`"), "{msg}");
        assert!(msg.contains("exited with status 3"), "{msg}");
        // the command's text is shown, but nothing it printed: strip the command first
        assert!(
            !msg.replace("printf leaked", "").contains("leaked"),
            "{msg}"
        );

        let err = KeySource::Command("true".into()).resolve().unwrap_err();
        assert!(err.to_string().contains("printed nothing"), "{err}");

        let err = KeySource::Command("echo one; echo tw''o".into())
            .resolve()
            .unwrap_err();
        assert!(err.to_string().contains("more than one line"), "{err}");
        assert!(!err.to_string().contains("two"), "{err}");
    }

    /// Whether `pid` is a process that has not exited (a zombie has).
    fn running(pid: &str) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            let state = stat.rsplit_once(") ").map(|(_, rest)| rest.chars().next());
            !matches!(state, Some(Some('Z' | 'X')))
        })
    }

    #[test]
    fn a_hanging_command_is_stopped_with_everything_it_started() {
        let pid_file = std::env::temp_dir().join(format!("paydeck-key-{}", uuid::Uuid::new_v4()));
        let command = format!("sleep 600 & echo $! > '{}'; wait", pid_file.display());
        let err =
            resolve_command(&command, KEY_NAMES, Duration::from_secs(2), &mut |_| {}).unwrap_err();
        assert!(
            err.to_string().contains("did not finish within 2 seconds"),
            "{err}"
        );
        let pid = std::fs::read_to_string(&pid_file).expect("the command wrote its child's pid");
        let _ = std::fs::remove_file(&pid_file);
        let pid = pid.trim();
        // The kill is sent before resolve returns; give the kernel a moment to act on it.
        let patience = std::time::Instant::now() + Duration::from_secs(10);
        while running(pid) && std::time::Instant::now() < patience {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(
            !running(pid),
            "the command's child {pid} outlived the timeout"
        );
    }

    #[test]
    fn a_key_longer_than_any_key_is_refused_without_being_shown() {
        let err = KeySource::Command("head -c 10485760 /dev/zero | tr '\\0' k".into())
            .resolve()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("printed 10485760 bytes, more than a key can be (at most 4096)"),
            "{err}"
        );
        assert!(!err.contains("kkk"), "{err}");
        let err = KeySource::Command("head -c 5000 /dev/zero | tr '\\0' k".into())
            .resolve()
            .unwrap_err()
            .to_string();
        assert!(err.contains("printed 5000 bytes"), "{err}");
        let key = KeySource::Command("head -c 4096 /dev/zero | tr '\\0' k".into())
            .resolve()
            .unwrap();
        assert_eq!(key.expose().len(), MAX_KEY_BYTES);
    }

    #[test]
    fn a_key_with_control_characters_is_refused() {
        let err = KeySource::Command(r"printf 'sk_test_1\033[0m'".into())
            .resolve()
            .unwrap_err();
        assert!(err.to_string().contains("control characters"), "{err}");
        let err = KeySource::Command(r"printf 'sk_\000test'".into())
            .resolve()
            .unwrap_err();
        assert!(err.to_string().contains("control characters"), "{err}");
    }

    mod fuzz {
        use proptest::prelude::*;

        use super::super::{MAX_KEY_BYTES, Printed, key_from_printed};

        /// Cases: `PAYDECK_FUZZ_CASES` for a long run, else a short one.
        fn cases() -> u32 {
            std::env::var("PAYDECK_FUZZ_CASES")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(512)
        }

        /// What a command might print around a secret: nothing, spaces, newlines,
        /// prompts, escapes, invalid UTF-8, NULs, or a lot.
        fn around() -> impl Strategy<Value = Vec<u8>> {
            prop_oneof![
                Just(Vec::new()),
                prop::collection::vec(
                    prop::sample::select(vec![b' ', b'\n', b'\r', b'\t', 0, 0x1b, 0xff, b'x']),
                    0..8
                ),
                any::<Vec<u8>>(),
                (0usize..MAX_KEY_BYTES + 100).prop_map(|n| vec![b'k'; n]),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig {
                cases: cases(),
                failure_persistence: None,
                ..ProptestConfig::default()
            })]

            /// Any output gives a trimmed, printable, one-line key of bounded length,
            /// or a reason that never quotes what was printed.
            #[test]
            fn any_output_gives_a_key_or_a_reason_without_it(
                before in around(),
                secret in "[A-Za-z0-9_]{12,40}",
                after in around(),
                dropped in prop_oneof![3 => Just(0u64), 1 => any::<u64>()],
            ) {
                let kept = [before, secret.clone().into_bytes(), after].concat();
                let total = (kept.len() as u64).saturating_add(dropped);
                match key_from_printed(&Printed { kept, total }, "key") {
                    Ok(key) => {
                        let key = key.expose();
                        prop_assert!(!key.is_empty() && key.len() <= MAX_KEY_BYTES);
                        prop_assert_eq!(key.trim(), key);
                        prop_assert!(!key.chars().any(char::is_control));
                        prop_assert!(key.contains(&secret));
                        prop_assert_eq!(dropped, 0);
                    }
                    Err(why) => {
                        prop_assert!(!why.contains(&secret), "{}", why);
                        prop_assert!(why.len() < 200);
                    }
                }
            }
        }
    }

    #[test]
    fn a_slow_command_says_how_long_it_has_been_waited_for() {
        let mut told = Vec::new();
        let key = KeySource::Command("sleep 2; printf sk_test_slow".into())
            .resolve_waiting(&mut |waited| told.push(waited.as_secs()))
            .unwrap();
        assert_eq!(key.expose(), "sk_test_slow");
        assert!(told.contains(&1), "told {told:?}");
        let mut quick = Vec::new();
        KeySource::Command("printf sk_test_quick".into())
            .resolve_waiting(&mut |waited| quick.push(waited))
            .unwrap();
        assert!(quick.is_empty(), "a quick command says nothing: {quick:?}");
    }

    #[test]
    fn an_env_var_holds_the_key() {
        // PATH is set wherever the tests run; setting variables would race other tests.
        let key = KeySource::Env("PATH".into()).resolve().unwrap();
        assert!(!key.expose().is_empty());
        let err = KeySource::Env("PAYDECK_TEST_UNSET_VARIABLE_7f3a".into())
            .resolve()
            .unwrap_err();
        assert!(
            err.to_string().contains("PAYDECK_TEST_UNSET_VARIABLE_7f3a"),
            "{err}"
        );
        assert!(err.to_string().contains("is not set"), "{err}");
    }

    #[test]
    fn a_literal_is_returned_and_never_printed() {
        let source = KeySource::Literal(Secret::new("pin_sim_topsecret"));
        assert_eq!(source.resolve().unwrap().expose(), "pin_sim_topsecret");
        assert!(!format!("{source:?}").contains("topsecret"));
    }
}
