//! Which gateway account a store file holds, kept in its `meta` table, so a profile
//! pointed at another account never mixes that account's charges into this one's.
//!
//! Opened for a different account, the store starts afresh: the file is only a copy of
//! what the gateway holds, and the caller is told which account it held, to say so.

use std::path::Path;

use rusqlite::OptionalExtension;

use super::{Result, Store, StoreError};

/// A gateway account: the gateway's config name and what tells its accounts apart
/// (the account id, or the environment and API address). Never a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreIdentity {
    pub gateway: String,
    pub account: String,
}

impl StoreIdentity {
    /// The account text loses any user, password, query or fragment an address
    /// carries, so that no credential reaches the file.
    pub fn new(gateway: &str, account: &str) -> StoreIdentity {
        StoreIdentity {
            gateway: gateway.to_string(),
            account: without_credentials(account),
        }
    }
}

impl std::fmt::Display for StoreIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.gateway, self.account)
    }
}

fn without_credentials(account: &str) -> String {
    let account = account.split(['?', '#']).next().unwrap_or_default();
    match account.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host = authority.rsplit('@').next().unwrap_or(authority);
            format!("{scheme}://{host}{path}")
        }
        None => account.to_string(),
    }
}

/// What opening a store for an account found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// A new store, or one that recorded no account yet: it is this account's now.
    New,
    /// This account's store.
    Held,
    /// The file held another account's data; it was removed and the store started afresh.
    StartedAfresh { held: StoreIdentity },
}

impl Store {
    /// Opens the store at `path` for `identity`. A store that holds another account is
    /// removed (with its WAL) and started afresh, and the answer says which it held.
    pub fn open_as(path: &Path, identity: &StoreIdentity) -> Result<(Store, Opened)> {
        let mut store = Store::open(path)?;
        let opened = match store.identity()? {
            None => Opened::New,
            Some(held) if held == *identity => return Ok((store, Opened::Held)),
            Some(held) => {
                drop(store);
                remove_store_files(path)?;
                store = Store::open(path)?;
                Opened::StartedAfresh { held }
            }
        };
        store.record_identity(identity)?;
        Ok((store, opened))
    }

    /// The account this store holds, if it has recorded one.
    pub fn identity(&self) -> Result<Option<StoreIdentity>> {
        let value = |name: &str| -> Result<Option<String>> {
            Ok(self
                .conn()
                .prepare_cached("SELECT value FROM meta WHERE name = ?1")?
                .query_row([name], |r| r.get(0))
                .optional()?)
        };
        Ok(match (value("gateway")?, value("account")?) {
            (Some(gateway), Some(account)) => Some(StoreIdentity { gateway, account }),
            _ => None,
        })
    }

    fn record_identity(&mut self, identity: &StoreIdentity) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        for (name, value) in [
            ("gateway", &identity.gateway),
            ("account", &identity.account),
        ] {
            tx.execute(
                "INSERT INTO meta (name, value) VALUES (?1, ?2) \
                 ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                [name, value.as_str()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// The store file and the WAL files beside it.
fn remove_store_files(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(&name) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(StoreError::Io {
                    path: name.into(),
                    source,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::{charge, t0};
    use crate::domain::ChargeStatus;

    fn temp_path() -> (std::path::PathBuf, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("paydeck-identity-{}", uuid::Uuid::new_v4()));
        (dir.clone(), Store::path_for(&dir, "p"))
    }

    #[test]
    fn a_store_opened_for_another_account_starts_afresh_and_says_which_it_held() {
        let (dir, path) = temp_path();
        let au = StoreIdentity::new("pin", "test https://test-api.pinpayments.com/1");
        let sim = StoreIdentity::new("pin", "test http://127.0.0.1:9000/pin/1");
        let (mut store, opened) = Store::open_as(&path, &au).unwrap();
        assert_eq!(opened, Opened::New);
        store
            .upsert_charges(&[charge(1, ChargeStatus::Captured)], t0())
            .unwrap();
        drop(store);

        let (store, opened) = Store::open_as(&path, &au).unwrap();
        assert_eq!(opened, Opened::Held);
        assert_eq!(store.charge_count().unwrap(), 1);
        drop(store);

        let (store, opened) = Store::open_as(&path, &sim).unwrap();
        assert_eq!(opened, Opened::StartedAfresh { held: au });
        assert_eq!(store.charge_count().unwrap(), 0);
        assert_eq!(store.identity().unwrap(), Some(sim));
        drop(store);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_account_address_keeps_no_credentials() {
        let id = StoreIdentity::new(
            "trx",
            "live https://cli_x:sec_y@pay.example/api/v2?key=sec_z#f",
        );
        assert_eq!(id.account, "live https://pay.example/api/v2");
        assert_eq!(id.to_string(), "trx live https://pay.example/api/v2");
        assert_eq!(StoreIdentity::new("stripe", "acct_123").account, "acct_123");
    }

    #[test]
    fn a_damaged_file_is_an_error_naming_it_and_saying_what_to_do() {
        let (dir, path) = temp_path();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "not a database ".repeat(400)).unwrap();
        let error = Store::open(&path).unwrap_err().to_string();
        assert!(error.contains(&path.display().to_string()), "{error}");
        assert!(error.contains("delete the file"), "{error}");
        let error = Store::open_as(&path, &StoreIdentity::new("pin", "x"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("delete the file"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
