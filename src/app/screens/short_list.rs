//! A short list loaded whole, never paged, with a selected row: a customer's saved cards
//! and their subscriptions.

use super::super::model::Loadable;

#[derive(Debug, Clone, PartialEq)]
pub struct ShortList<T> {
    pub items: Loadable<Vec<T>>,
    /// The selected row; kept within the items once they are loaded.
    pub row: usize,
}

impl<T> Default for ShortList<T> {
    fn default() -> Self {
        ShortList {
            items: Loadable::Loading,
            row: 0,
        }
    }
}

impl<T: Clone> ShortList<T> {
    /// Takes the gateway's answer; the selection stays where it was, or on the last row.
    pub fn load(&mut self, items: &Loadable<Vec<T>>) {
        if let Loadable::Loaded(items) = items {
            self.row = self.row.min(items.len().saturating_sub(1));
        }
        self.items = items.clone();
    }
}

impl<T> ShortList<T> {
    pub fn selected(&self) -> Option<&T> {
        match &self.items {
            Loadable::Loaded(items) => items.get(self.row),
            _ => None,
        }
    }

    /// Moves the selection by `delta` rows, within the items loaded.
    pub fn move_by(&mut self, delta: isize) {
        if let Loadable::Loaded(items) = &self.items {
            let last = items.len().saturating_sub(1);
            self.row = self.row.saturating_add_signed(delta).min(last);
        }
    }

    /// (selected row, rows) once loaded and not empty, for "2 of 3".
    pub fn position(&self) -> Option<(usize, usize)> {
        match &self.items {
            Loadable::Loaded(items) if !items.is_empty() => Some((self.row, items.len())),
            _ => None,
        }
    }
}
