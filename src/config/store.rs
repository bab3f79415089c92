//! The `[store]` table: the shared PostgreSQL the reconciliation sessions live in,
//! and where its password comes from (an environment variable or a command, never
//! the file). Without a URL here or in `--store`, the data directory's SQLite is used.

use std::time::Duration;

use toml::de::DeValue;

use super::key_source::{PASSWORD_NAMES, SecretNames};
use super::parse::{Cx, TOP_KEYS, Value, entries, is_literal_key};
use super::{ConfigError, KeySource};
use crate::secret::Secret;
use crate::store::sessions::StoreUrl;

const STORE_KEYS: [&str; 3] = ["url", "password_env", "password_command"];

/// What to write instead of a password in the file.
const INSTEAD: &str = "use password_env = \"PAYDECK_PG_PASSWORD\" (an environment variable that \
                       holds it) or password_command = \"pass show paydeck/pg\" (a command that prints it)";

/// The variable libpq's tools read a password from; taken when the config names
/// no other source.
pub const PGPASSWORD: &str = "PGPASSWORD";

/// `[store]`, as written. `Debug` never shows a password: the file holds none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoreSettings {
    /// `postgres://user@host:5432/paydeck`, checked to hold no password.
    pub url: Option<String>,
    pub password: Option<KeySource>,
}

impl StoreSettings {
    /// The store the sessions live in: `flag` (`--store`), else `url`; `None` when
    /// neither is given (the data directory's SQLite). Its password: the one written
    /// in `flag`, else `password_env` or `password_command`, else `$PGPASSWORD`, else
    /// none (a server that trusts the connection). `waiting` hears once a second how
    /// long a password_command has been running.
    pub fn resolve(
        &self,
        flag: Option<&str>,
        waiting: &mut dyn FnMut(Duration),
    ) -> Result<Option<StoreUrl>, String> {
        let Some(url) = flag.or(self.url.as_deref()) else {
            return Ok(None);
        };
        let url = StoreUrl::parse(url).map_err(|e| e.to_string())?;
        if url.has_password() {
            return Ok(Some(url));
        }
        let password = match &self.password {
            Some(source) => Some(
                source
                    .resolve_named(PASSWORD_NAMES, waiting)
                    .map_err(|e| format!("[store]: {e}"))?,
            ),
            None => std::env::var(PGPASSWORD)
                .ok()
                .filter(|p| !p.is_empty())
                .map(Secret::new),
        };
        Ok(Some(match password {
            Some(password) => url.with_password(password),
            None => url,
        }))
    }
}

impl Cx<'_> {
    pub(super) fn store(&self, value: &Value<'_>) -> Result<StoreSettings, ConfigError> {
        let DeValue::Table(table) = value.get_ref() else {
            return Err(self.wrong_type(
                "store",
                value,
                "a [store] table with url = \"postgres://user@host:5432/paydeck\"",
            ));
        };
        let mut settings = StoreSettings::default();
        let mut source: Option<&str> = None;
        for (k, k_span, value) in entries(table) {
            match k {
                "url" => settings.url = Some(self.store_url(value)?),
                "password_env" | "password_command" => {
                    if let Some(first) = source {
                        return Err(self.at(
                            k_span,
                            format!("[store] has both {first} and {k}; keep only one of them"),
                        ));
                    }
                    source = Some(k);
                    let SecretNames { env, .. } = PASSWORD_NAMES;
                    settings.password = Some(if k == env {
                        KeySource::Env(self.env_name(
                            PASSWORD_NAMES,
                            "PAYDECK_PG_PASSWORD",
                            value,
                        )?)
                    } else {
                        KeySource::Command(self.text(
                            k,
                            value,
                            "a command that prints the password, such as \"pass show paydeck/pg\"",
                        )?)
                    });
                }
                // Never echo the value: it is a secret.
                _ if is_literal_key(k) => {
                    return Err(self.at(
                        k_span,
                        format!(
                            "`{k}` puts the database password in the config file, and passwords \
                             never go in the file; remove it and {INSTEAD}"
                        ),
                    ));
                }
                _ if TOP_KEYS.contains(&k) => return Err(self.misplaced(k, k_span, "[store]")),
                _ => {
                    return Err(self.unknown_key(
                        k,
                        k_span,
                        "in [store]",
                        &STORE_KEYS,
                        &STORE_KEYS.join(", "),
                    ));
                }
            }
        }
        Ok(settings)
    }

    /// A `postgres://` URL without a password in it.
    fn store_url(&self, value: &Value<'_>) -> Result<String, ConfigError> {
        let example = "url = \"postgres://user@host:5432/paydeck\"";
        let url = self.text(
            "url",
            value,
            &format!("the database's address, such as {example}"),
        )?;
        // The error shows the URL with its password replaced.
        let parsed =
            StoreUrl::parse(&url).map_err(|e| self.at(value.span(), format!("in [store]: {e}")))?;
        if parsed.has_password() {
            return Err(self.at(
                value.span(),
                format!(
                    "[store] url has a password in it, and passwords never go in the file; \
                     remove it from the URL (as {example}) and {INSTEAD}"
                ),
            ));
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::parse::tests::{err, refused};

    fn store(text: &str) -> StoreSettings {
        crate::config::parse(text, Path::new("c.toml"))
            .unwrap()
            .store
    }

    #[test]
    fn the_store_table_is_read() {
        let s = store(
            "[store]\nurl = \"postgres://ana@db.example:5432/paydeck\"\npassword_env = \"PG_PW\"\n",
        );
        assert_eq!(
            s.url.as_deref(),
            Some("postgres://ana@db.example:5432/paydeck")
        );
        assert_eq!(s.password, Some(KeySource::Env("PG_PW".into())));
        let s = store("[store]\npassword_command = \"pass show paydeck/pg\"\n");
        assert_eq!(
            s.password,
            Some(KeySource::Command("pass show paydeck/pg".into()))
        );
        assert_eq!(store(""), StoreSettings::default());
    }

    #[test]
    fn each_mistake_says_where_and_what_to_write() {
        for (text, at, says) in [
            (
                "theme = \"dark\"\n[store]\nurl = \"postgres://ana:hunter2@db/paydeck\"\n",
                "c.toml:3:7: ",
                "remove it from the URL (as url = \"postgres://user@host:5432/paydeck\") and use password_env",
            ),
            (
                "[store]\nurl = \"postgres://ana@db/paydeck?password=hunter2\"\n",
                "c.toml:2:7: ",
                "passwords never go in the file",
            ),
            (
                "[store]\nurl = \"mysql://ana@db/paydeck\"\n",
                "c.toml:2:7: ",
                "a store URL starts with postgres://",
            ),
            (
                "[store]\nurl = \"\"\n",
                "c.toml:2:7: ",
                "`url` is empty; expected the database's address",
            ),
            (
                "[store]\npassword = \"hunter2\"\n",
                "c.toml:2:1: ",
                "`password` puts the database password in the config file",
            ),
            (
                "[store]\npassword_env = \"P\"\npassword_command = \"pass x\"\n",
                "c.toml:3:1: ",
                "[store] has both password_env and password_command; keep only one",
            ),
            (
                "[store]\npassword_env = \"hunter2 x\"\n",
                "c.toml:2:16: ",
                "password_env is not the name of an environment variable (it may be the password itself",
            ),
            (
                "[store]\nurll = \"postgres://db/p\"\n",
                "c.toml:2:1: ",
                "unknown key `urll` in [store] (did you mean `url`?)",
            ),
            (
                "[store]\ntheme = \"dark\"\n",
                "c.toml:2:1: ",
                "`theme` is a top-level setting, but here it is inside [store]",
            ),
            ("store = 3\n", "c.toml:1:9: ", "`store` is an integer"),
        ] {
            let e = err(text);
            assert!(e.starts_with(at), "{text}: {e}");
            refused(text, says);
            assert!(!e.contains("hunter2"), "{e}");
        }
    }

    #[test]
    fn the_flag_overrides_the_file_and_the_password_comes_from_its_source() {
        let settings = StoreSettings {
            url: Some("postgres://ana@file.example/paydeck".into()),
            password: Some(KeySource::Command("printf s3cret-pw".into())),
        };
        let url = settings.resolve(None, &mut |_| {}).unwrap().unwrap();
        assert_eq!(url.target(), "file.example:5432");
        assert_eq!(
            url.config().unwrap().get_password(),
            Some(&b"s3cret-pw"[..])
        );
        let flag = "postgres://bo@flag.example:5433/paydeck";
        let url = settings.resolve(Some(flag), &mut |_| {}).unwrap().unwrap();
        assert_eq!(url.target(), "flag.example:5433");
        assert_eq!(
            url.config().unwrap().get_password(),
            Some(&b"s3cret-pw"[..])
        );
        // A password in --store is taken as it is; the command is not even run.
        let failing = StoreSettings {
            password: Some(KeySource::Command("exit 1".into())),
            ..settings.clone()
        };
        let url = failing
            .resolve(Some("postgres://bo:own@flag.example/p"), &mut |_| {})
            .unwrap()
            .unwrap();
        assert_eq!(url.config().unwrap().get_password(), Some(&b"own"[..]));
        let e = failing.resolve(None, &mut |_| {}).unwrap_err();
        assert!(e.starts_with("[store]: password_command `exit 1`"), "{e}");
        assert_eq!(
            StoreSettings::default().resolve(None, &mut |_| {}),
            Ok(None)
        );
        let e = StoreSettings::default()
            .resolve(Some("http://db/p"), &mut |_| {})
            .unwrap_err();
        assert!(e.contains("starts with postgres://"), "{e}");
        let unset = StoreSettings {
            password: Some(KeySource::Env("PAYDECK_TEST_UNSET_PG_PW_9c1".into())),
            ..settings
        };
        let e = unset.resolve(None, &mut |_| {}).unwrap_err();
        assert!(
            e.contains("PAYDECK_TEST_UNSET_PG_PW_9c1 (password_env) is not set"),
            "{e}"
        );
    }
}
