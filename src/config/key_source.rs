//! Where a profile's secret key comes from: an environment variable or a command,
//! never the config file.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::ConfigError;
use crate::secret::Secret;

/// How long a `key_command` may take (a password manager may ask for a passphrase).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

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

impl KeySource {
    /// Reads the key. `Env`: the variable must be set and not blank. `Command`: runs
    /// it with `sh -c` and takes its stdout, trimmed; it must exit with status 0 and
    /// print exactly one non-empty line. Errors name the variable or the command and
    /// never contain what the command printed.
    pub fn resolve(&self) -> Result<Secret, ConfigError> {
        match self {
            KeySource::Literal(secret) => Ok(secret.clone()),
            KeySource::Env(name) => resolve_env(name),
            KeySource::Command(command) => resolve_command(command),
        }
    }
}

fn resolve_env(name: &str) -> Result<Secret, ConfigError> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(Secret::new(value.trim())),
        Ok(_) => Err(ConfigError::new(format!(
            "the environment variable {name} (key_env) is empty; set it to the secret key, \
             or use key_command"
        ))),
        Err(std::env::VarError::NotPresent) => Err(ConfigError::new(format!(
            "the environment variable {name} (key_env) is not set; export {name}=<secret key> \
             before starting paydeck, or use key_command"
        ))),
        Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::new(format!(
            "the environment variable {name} (key_env) is not valid UTF-8; set it to the secret key"
        ))),
    }
}

fn resolve_command(command: &str) -> Result<Secret, ConfigError> {
    let fail = |what: &str| {
        ConfigError::new(format!(
            "key_command `{command}` {what}; run it yourself to see why, and make it print \
             only the key (its output is never shown)"
        ))
    };
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| fail(&format!("could not be started ({e})")))?;
    // Read stdout on another thread so a command that prints a lot cannot block
    // while this one waits for it to exit.
    let mut stdout = child.stdout.take().ok_or_else(|| fail("has no stdout"))?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).map(|_| out)
    });
    let deadline = Instant::now() + COMMAND_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(&format!(
                    "did not finish within {} seconds and was stopped",
                    COMMAND_TIMEOUT.as_secs()
                )));
            }
            Err(e) => return Err(fail(&format!("could not be waited for ({e})"))),
        }
    };
    let out = match reader.join() {
        Ok(Ok(out)) => out,
        _ => return Err(fail("produced output that could not be read")),
    };
    if !status.success() {
        let how = status.code().map_or_else(
            || "was killed by a signal".to_string(),
            |c| format!("exited with status {c}"),
        );
        return Err(fail(&how));
    }
    let text = String::from_utf8(out).map_err(|_| fail("printed something that is not UTF-8"))?;
    let key = text.trim();
    if key.is_empty() {
        return Err(fail("printed nothing"));
    }
    if key.contains('\n') {
        return Err(fail(
            "printed more than one line (for pass, take the first line: `pass show NAME | head -n 1`)",
        ));
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
