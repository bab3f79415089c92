//! One dialect's ledger as its routes, the admin routes and the live-traffic
//! task share it.

use std::sync::{Arc, Mutex, MutexGuard};

use super::super::ledger::Ledger;

/// A ledger behind a lock, shared by the tasks that serve one dialect.
#[derive(Debug, Clone)]
pub(crate) struct SharedLedger(Arc<Mutex<Ledger>>);

impl SharedLedger {
    pub fn new(ledger: Ledger) -> Self {
        SharedLedger(Arc::new(Mutex::new(ledger)))
    }

    /// Lock the ledger and apply due time rules (expiries, settlements). A
    /// panicked holder does not poison it. Never hold across `.await`.
    pub fn lock(&self) -> MutexGuard<'_, Ledger> {
        let mut l = self.lock_untimed();
        l.tick();
        l
    }

    /// Lock the ledger without applying time rules (to read the clock).
    pub fn lock_untimed(&self) -> MutexGuard<'_, Ledger> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
