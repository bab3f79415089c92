//! One `[[profile]]` table: a gateway account, and where its key comes from.

use std::collections::HashMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::key_source::{KEY_NAMES, SecretNames};
use super::parse::{Cx, TOP_KEYS, Value, entries, is_literal_key, quoted};
use super::{ConfigError, Environment, KeySource, OPENPAY_COUNTRIES, Profile};
use crate::gateway::registry;

const PROFILE_KEYS: [&str; 9] = [
    "name",
    "gateway",
    "environment",
    "base_url",
    "key_env",
    "key_command",
    "read_only",
    "merchant_id",
    "country",
];

impl Cx<'_> {
    pub(super) fn profiles(&self, value: &Value<'_>) -> Result<Vec<Profile>, ConfigError> {
        let expected = "a [[profile]] table for each profile (two brackets)";
        let DeValue::Array(items) = value.get_ref() else {
            return Err(match value.get_ref() {
                DeValue::Table(_) => self.at(
                    value.span(),
                    format!("`profile` is a single [profile] table; write {expected}"),
                ),
                _ => self.wrong_type("profile", value, expected),
            });
        };
        let mut profiles: Vec<Profile> = Vec::new();
        let mut lines: HashMap<String, usize> = HashMap::new();
        for item in items.iter() {
            let DeValue::Table(table) = item.get_ref() else {
                return Err(self.wrong_type("profile", item, expected));
            };
            let (profile, name_span) = self.profile(table, item.span())?;
            if let Some(line) = lines.get(&profile.name) {
                return Err(self.at(
                    name_span,
                    format!(
                        "profile name {:?} is already used by the profile at line {line}; \
                         give each profile a different name",
                        profile.name
                    ),
                ));
            }
            lines.insert(profile.name.clone(), self.line_of(item.span()));
            profiles.push(profile);
        }
        Ok(profiles)
    }

    /// One `[[profile]]`, and where its name is written.
    fn profile(
        &self,
        table: &DeTable<'_>,
        span: Range<usize>,
    ) -> Result<(Profile, Range<usize>), ConfigError> {
        let mut name = None;
        let mut gateway = None;
        let mut environment = None;
        let mut base_url: Option<(String, Range<usize>)> = None;
        let mut key: Option<(KeySource, &str)> = None;
        let mut read_only = false;
        let mut merchant_id = None;
        let mut country = None;
        // Settings only some gateways take, in file order.
        let mut gateway_only: Vec<(&str, Range<usize>)> = Vec::new();
        for (k, k_span, value) in entries(table) {
            match k {
                "name" => {
                    name = Some((
                        self.text(k, value, "a name for the profile, such as \"pin-test\"")?,
                        value.span(),
                    ))
                }
                "gateway" => {
                    let valid = registry::names();
                    let g = self.string(k, value, &format!("one of {}", quoted(&valid)))?;
                    gateway = Some(
                        registry::find(g)
                            .ok_or_else(|| self.unknown_name(value, "gateway", g, &valid))?,
                    );
                }
                "environment" => {
                    let valid = Environment::ALL.map(Environment::name);
                    let e = self.string(k, value, "\"test\" or \"live\"")?;
                    environment = Some(
                        Environment::from_name(e)
                            .ok_or_else(|| self.unknown_name(value, "environment", e, &valid))?,
                    );
                }
                "base_url" => {
                    let url = self.text(
                        k,
                        value,
                        "the gateway's API address, such as \"https://test-api.pinpayments.com/1\"",
                    )?;
                    if !url.starts_with("https://") && !url.starts_with("http://") {
                        return Err(self.at(
                            value.span(),
                            "base_url does not start with https:// or http://; write the whole address, \
                             such as \"https://test-api.pinpayments.com/1\""
                                .to_string(),
                        ));
                    }
                    base_url = Some((url, value.span()));
                }
                "key_env" | "key_command" => {
                    if let Some((_, first)) = key {
                        return Err(self.at(
                            k_span.clone(),
                            format!("this profile has both {first} and {k}; keep only one of them"),
                        ));
                    }
                    key = Some(if k == "key_env" {
                        (
                            KeySource::Env(self.env_name(KEY_NAMES, "PIN_SECRET_KEY", value)?),
                            "key_env",
                        )
                    } else {
                        let command = self.text(
                            k,
                            value,
                            "a command that prints the key, such as \"pass show pin/test\"",
                        )?;
                        (KeySource::Command(command), "key_command")
                    });
                }
                "read_only" => read_only = self.boolean(k, value)?,
                "merchant_id" => {
                    merchant_id = Some(self.text(k, value, "the Openpay merchant id")?);
                    gateway_only.push((k, k_span.clone()));
                }
                "country" => {
                    let c = self.string(k, value, "\"mx\", \"co\" or \"pe\"")?;
                    if !OPENPAY_COUNTRIES.contains(&c) {
                        return Err(self.unknown_name(
                            value,
                            "Openpay country",
                            c,
                            &OPENPAY_COUNTRIES,
                        ));
                    }
                    country = Some(c.to_string());
                    gateway_only.push((k, k_span.clone()));
                }
                _ if is_literal_key(k) => {
                    return Err(self.literal_key(k, k_span, " (in a [[profile]])"));
                }
                _ if TOP_KEYS.contains(&k) => {
                    return Err(self.misplaced(k, k_span, "a [[profile]]"));
                }
                _ => {
                    return Err(self.unknown_key(
                        k,
                        k_span,
                        "in a [[profile]]",
                        &PROFILE_KEYS,
                        &PROFILE_KEYS.join(", "),
                    ));
                }
            }
        }
        let Some((name, name_span)) = name else {
            return Err(self.at(
                span,
                "this [[profile]] has no name; add name = \"pin-test\" (any name you like)"
                    .to_string(),
            ));
        };
        let missing = |what: &str, write: &str| {
            self.at(
                span.clone(),
                format!("profile {name:?} has no {what}; add {write}"),
            )
        };
        let gateway = gateway.ok_or_else(|| {
            missing(
                "gateway",
                &format!("gateway = one of {}", quoted(&registry::names())),
            )
        })?;
        let environment = environment.ok_or_else(|| {
            missing(
                "environment",
                "environment = \"test\" or environment = \"live\"",
            )
        })?;
        let (key, _) = key.ok_or_else(|| {
            missing(
                "key",
                "key_env = \"NAME\" (an environment variable that holds the key) or \
                 key_command = \"pass show pin/test\" (a command that prints it)",
            )
        })?;
        if let Some((url, url_span)) = &base_url
            && environment.is_live()
            && !url.starts_with("https://")
        {
            return Err(self.at(
                url_span.clone(),
                "a live profile's base_url uses http://; write https://".to_string(),
            ));
        }
        let required = [
            (
                "merchant_id",
                merchant_id.is_some(),
                "merchant_id = \"...\" (from the Openpay dashboard)",
            ),
            (
                "country",
                country.is_some(),
                "country = \"mx\", \"co\" or \"pe\"",
            ),
        ];
        for (key, given, write) in required {
            if gateway.profile_keys.contains(&key) && !given {
                return Err(missing(key, write));
            }
        }
        if let Some((k, k_span)) = gateway_only
            .into_iter()
            .find(|(k, _)| !gateway.profile_keys.contains(k))
        {
            let takers: Vec<&str> = registry::GATEWAYS
                .iter()
                .filter(|g| g.profile_keys.contains(&k))
                .map(|g| g.label)
                .collect();
            return Err(self.at(
                k_span,
                format!(
                    "`{k}` is only for {} profiles, and this one is {}; remove it",
                    takers.join(" or "),
                    gateway.config_name
                ),
            ));
        }
        let profile = Profile {
            name,
            gateway,
            environment,
            base_url: base_url.map(|(url, _)| url),
            key,
            read_only,
            merchant_id,
            country,
        };
        Ok((profile, name_span))
    }

    /// The name of an environment variable (`names.env`, such as `example`); a value
    /// that is not one (a pasted key, say) is refused without being shown.
    pub(super) fn env_name(
        &self,
        names: SecretNames,
        example: &str,
        value: &Value<'_>,
    ) -> Result<String, ConfigError> {
        let SecretNames { env, short, .. } = names;
        let name = self.string(
            env,
            value,
            &format!("the name of an environment variable, such as \"{example}\""),
        )?;
        let is_name = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        // Stripe's secret and restricted keys; other gateways' keys have no prefix.
        let looks_like_a_key = ["sk_live_", "sk_test_", "rk_live_", "rk_test_"]
            .iter()
            .any(|p| name.starts_with(p));
        if !is_name || looks_like_a_key {
            return Err(self.at(
                value.span(),
                format!(
                    "{env} is not the name of an environment variable (it may be the {short} itself, \
                     which never goes in the file); write the variable's name, such as {env} = \"{example}\""
                ),
            ));
        }
        Ok(name.to_string())
    }
}

#[cfg(test)]
mod tests {

    use crate::config::parse::tests::{PIN, err, refused};

    #[test]
    fn profiles_need_their_parts() {
        let openpay_us = "[[profile]]\nname = \"o\"\ngateway = \"openpay\"\nenvironment = \"test\"\nkey_env = \"K\"\nmerchant_id = \"m\"\ncountry = \"us\"\n";
        for (text, says) in [
            ("[[profile]]\ngateway = \"pin\"\n", "has no name"),
            (
                "[[profile]]\nname = \"p\"\nenvironment = \"test\"\nkey_env = \"K\"\n",
                "has no gateway",
            ),
            (
                "[[profile]]\nname = \"p\"\ngateway = \"pin\"\nkey_env = \"K\"\n",
                "has no environment",
            ),
            ("[[profile]]\nname = \"  \"\n", "`name` is empty"),
            ("profile = 3", "`profile` is an integer"),
            (
                &format!("{PIN}country = \"mx\"\n"),
                "`country` is only for Openpay profiles",
            ),
            (
                openpay_us,
                "unknown Openpay country \"us\"; expected one of \"mx\", \"co\", \"pe\"",
            ),
            (
                &format!("{PIN}base_url = \"api.example.com\"\n"),
                "does not start with https://",
            ),
        ] {
            refused(text, says);
        }
        let e = err(&PIN.replace("key_env = \"K\"", "key_env = \"1BAD NAME\""));
        assert!(
            e.contains("not the name of an environment variable") && !e.contains("1BAD"),
            "{e}"
        );
    }
}
