//! A store connection on its own thread ([`Owner`]), driven from async code: SQLite
//! work never blocks a tokio worker, and the connection never moves.

use std::path::Path;

use rusqlite::InterruptHandle;

use super::owner::{Owner, Stopped};
use super::{Opened, Result, Store, StoreError, StoreIdentity};

/// One connection's thread. Cloning shares the thread; it ends when every clone is dropped.
#[derive(Clone)]
pub struct StoreHandle {
    owner: Owner<Store>,
    interrupt: std::sync::Arc<InterruptHandle>,
}

impl std::fmt::Debug for StoreHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreHandle")
    }
}

fn stopped(_: Stopped) -> StoreError {
    StoreError::Closed("the store thread stopped".into())
}

impl StoreHandle {
    /// Moves `store` onto a new thread named `name`.
    pub fn spawn(store: Store, name: &str) -> Result<StoreHandle> {
        let interrupt = std::sync::Arc::new(store.conn().get_interrupt_handle());
        let owner = Owner::spawn(store, name)
            .map_err(|e| StoreError::Closed(format!("cannot start the {name} thread: {e}")))?;
        Ok(StoreHandle { owner, interrupt })
    }

    /// Runs `job` on the store's thread and returns its answer.
    pub async fn call<T, F>(&self, job: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T> + Send + 'static,
    {
        self.owner.call(job).await.map_err(stopped)?
    }

    /// Runs `job` on the store's thread from blocking code (the headless sync, tests).
    pub fn call_blocking<T, F>(&self, job: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T> + Send + 'static,
    {
        self.owner.call_blocking(job).map_err(stopped)?
    }

    /// Cancels the statement running now, if any (a stale filter's query); it fails
    /// with SQLITE_INTERRUPT and the thread goes on to the next job.
    pub fn interrupt(&self) {
        self.interrupt.interrupt();
    }
}

/// A profile's store as the dashboard uses it: a writer for sync and polls, a reader
/// for pages and totals. WAL lets the reader work while the writer commits.
#[derive(Clone, Debug)]
pub struct StorePair {
    pub writer: StoreHandle,
    pub reader: StoreHandle,
}

impl StorePair {
    pub fn open(path: &Path) -> Result<StorePair> {
        // The writer opens first so that it alone runs the migrations.
        StorePair::around(Store::open(path)?, path)
    }

    /// Opens a profile's store for its gateway account: see [`Store::open_as`].
    pub fn open_as(path: &Path, identity: &StoreIdentity) -> Result<(StorePair, Opened)> {
        let (writer, opened) = Store::open_as(path, identity)?;
        Ok((StorePair::around(writer, path)?, opened))
    }

    fn around(writer: Store, path: &Path) -> Result<StorePair> {
        let writer = StoreHandle::spawn(writer, "store-writer")?;
        let reader = StoreHandle::spawn(Store::open(path)?, "store-reader")?;
        Ok(StorePair { writer, reader })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::{charge, t0};
    use crate::domain::ChargeStatus;

    #[tokio::test]
    async fn the_reader_sees_what_the_writer_committed() {
        let dir = std::env::temp_dir().join(format!("paydeck-pair-{}", uuid::Uuid::new_v4()));
        let pair = StorePair::open(&Store::path_for(&dir, "p")).unwrap();
        let written = pair
            .writer
            .call(|store| store.upsert_charges(&[charge(1, ChargeStatus::Captured)], t0()))
            .await
            .unwrap();
        assert_eq!(written.inserted, 1);
        let held = pair
            .reader
            .call(|store| store.charge_count())
            .await
            .unwrap();
        assert_eq!(held, 1);
        drop(pair);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
