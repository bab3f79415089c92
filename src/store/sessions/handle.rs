//! The session database on its own thread: the UI loop and async tasks `call` it and
//! await the answer, never blocking on SQLite's fsync. Any backend fits.

use std::path::Path;

use super::{Result, SessionError, SessionStore, SqliteSessions};
use crate::store::{Owner, Stopped};

type Boxed = Box<dyn SessionStore>;

/// One backend's thread. Cloning shares the thread; it ends when every clone is dropped.
#[derive(Clone)]
pub struct SessionHandle {
    owner: Owner<Boxed>,
}

impl std::fmt::Debug for SessionHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionHandle")
    }
}

fn stopped(_: Stopped) -> SessionError {
    SessionError::Closed
}

impl SessionHandle {
    /// Moves `store` onto a thread of its own.
    pub fn spawn(store: Boxed) -> Result<SessionHandle> {
        let owner = Owner::spawn(store, "recon-sessions").map_err(|source| SessionError::Io {
            path: "the recon-sessions thread".into(),
            source,
        })?;
        Ok(SessionHandle { owner })
    }

    /// The SQLite sessions of the data directory, on their own thread.
    pub fn open_sqlite(data_dir: &Path) -> Result<SessionHandle> {
        let store = SqliteSessions::open(&SqliteSessions::path_in(data_dir))?;
        SessionHandle::spawn(Box::new(store))
    }

    pub async fn call<T, F>(&self, job: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn SessionStore) -> Result<T> + Send + 'static,
    {
        self.owner
            .call(move |store: &mut Boxed| job(store.as_mut()))
            .await
            .map_err(stopped)?
    }

    pub fn call_blocking<T, F>(&self, job: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn SessionStore) -> Result<T> + Send + 'static,
    {
        self.owner
            .call_blocking(move |store: &mut Boxed| job(store.as_mut()))
            .map_err(stopped)?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sessions::conformance::{november, stamp};

    #[tokio::test]
    async fn async_and_blocking_callers_reach_the_same_database() {
        let dir = std::env::temp_dir().join(format!("paydeck-sessions-{}", uuid::Uuid::new_v4()));
        let handle = SessionHandle::open_sqlite(&dir).unwrap();
        let id = handle
            .call(|store| store.create(&november("nov"), &stamp(0)))
            .await
            .unwrap();
        let seen = handle.clone();
        let found =
            tokio::task::spawn_blocking(move || seen.call_blocking(|store| store.find("nov")))
                .await
                .unwrap()
                .unwrap();
        assert_eq!(found.id, id);
        drop(handle);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
