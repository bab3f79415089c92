//! One kind of ledger record (charges, refunds, disputes, customers,
//! subscriptions): kept in insertion order, found by token, listed newest
//! first. Indexes into it stay valid, since nothing is ever removed.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};

use chrono::{DateTime, TimeDelta, Utc};

use super::{Charge, Customer, Dispute, LedgerError, Refund, Subscription};

/// What a [`Table`] needs of its records.
pub trait Record {
    /// The kind a `NotFound` names (`charge`).
    const KIND: &'static str;

    /// Its token.
    fn token(&self) -> &str;

    /// When it was created, for newest-first lists.
    fn created_at(&self) -> DateTime<Utc>;
}

/// Each kind of record a ledger keeps in a [`Table`], and the name its
/// `NotFound` gives it.
macro_rules! records {
    ($($record:ty => $kind:literal),* $(,)?) => {$(
        impl Record for $record {
            const KIND: &'static str = $kind;

            fn token(&self) -> &str {
                &self.token
            }

            fn created_at(&self) -> DateTime<Utc> {
                self.created_at
            }
        }
    )*};
}

records! {
    Charge => "charge",
    Refund => "refund",
    Dispute => "dispute",
    Customer => "customer",
    Subscription => "subscription",
}

/// Records of one kind in insertion order, with an index by token. It reads
/// as a slice; only [`Table::push`] adds to it.
#[derive(Debug)]
pub struct Table<T> {
    items: Vec<T>,
    by_token: HashMap<String, usize>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            items: Vec::new(),
            by_token: HashMap::new(),
        }
    }
}

impl<T: Record> Table<T> {
    /// Add `item` as `token`; returns its index.
    pub(super) fn push(&mut self, token: String, item: T) -> usize {
        let ix = self.items.len();
        self.items.push(item);
        self.by_token.insert(token, ix);
        ix
    }

    /// The index of `token`, or `NotFound`.
    pub fn index_of(&self, token: &str) -> Result<usize, LedgerError> {
        self.by_token
            .get(token)
            .copied()
            .ok_or_else(|| LedgerError::not_found(T::KIND, token))
    }

    /// The record `token`, or `NotFound`.
    pub fn by_token(&self, token: &str) -> Result<&T, LedgerError> {
        self.index_of(token).map(|i| &self.items[i])
    }

    /// Every record, newest first by creation time; ties keep insertion
    /// order reversed.
    pub fn newest_first(&self) -> Vec<&T> {
        let mut list: Vec<(usize, &T)> = self.items.iter().enumerate().collect();
        list.sort_by(|(a, x), (b, y)| y.created_at().cmp(&x.created_at()).then(b.cmp(a)));
        list.into_iter().map(|(_, item)| item).collect()
    }
}

/// Take out of `waiting` (indexes into `table`, in order) those whose records
/// are `delay` old or older at `now`: what a time rule applies to.
pub(super) fn take_due<T: Record>(
    waiting: &mut Vec<usize>,
    table: &Table<T>,
    delay: TimeDelta,
    now: DateTime<Utc>,
) -> Vec<usize> {
    let (due, still) = waiting
        .iter()
        .partition(|&&i| table[i].created_at() + delay <= now);
    *waiting = still;
    due
}

impl<T> Deref for Table<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<T> DerefMut for Table<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.items
    }
}

impl<'a, T> IntoIterator for &'a Table<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}
