//! The charges the dashboard holds, newest first, and the filtered view of them with
//! the operator's selection. Built for a million rows: new charges go on the front and
//! older pages on the back without moving anything, and the selection follows its
//! charge, not its row.

use std::collections::{HashMap, VecDeque};

use super::selection::Selection;
use crate::domain::{Charge, ChargeFilter};

/// A position that does not change when charges are added at either end: the front
/// counts down from zero, the back counts up.
type Seq = i64;

#[derive(Debug, Default, Clone)]
pub struct ChargeList {
    charges: VecDeque<Charge>,
    /// The `Seq` of `charges[0]`.
    head: Seq,
    by_id: HashMap<String, Seq>,
    filter: ChargeFilter,
    /// The charges that match the filter, newest first.
    visible: VecDeque<Seq>,
    at: Selection,
}

/// What merging a batch of charges did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Merged {
    /// Ids of charges that were not held before.
    pub added: Vec<String>,
    /// How many held charges changed.
    pub changed: usize,
}

impl Merged {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed == 0
    }
}

impl ChargeList {
    pub fn len(&self) -> usize {
        self.charges.len()
    }

    pub fn is_empty(&self) -> bool {
        self.charges.is_empty()
    }

    /// How many charges match the filter.
    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    pub fn filter(&self) -> &ChargeFilter {
        &self.filter
    }

    pub fn get(&self, id: &str) -> Option<&Charge> {
        self.by_id.get(id).and_then(|seq| self.at_seq(*seq))
    }

    fn at_seq(&self, seq: Seq) -> Option<&Charge> {
        usize::try_from(seq - self.head)
            .ok()
            .and_then(|i| self.charges.get(i))
    }

    /// The newest charge held, where polling for newer ones starts.
    pub fn newest(&self) -> Option<&Charge> {
        self.charges.front()
    }

    /// Every charge, newest first.
    pub fn iter(&self) -> impl Iterator<Item = &Charge> {
        self.charges.iter()
    }

    /// The `row`th charge of the filtered view.
    pub fn row(&self, row: usize) -> Option<&Charge> {
        self.visible.get(row).and_then(|seq| self.at_seq(*seq))
    }

    /// The rows from `start`, at most `count`: only what is on screen is touched.
    pub fn rows(&self, start: usize, count: usize) -> impl Iterator<Item = &Charge> {
        self.visible
            .range(start.min(self.visible.len())..(start + count).min(self.visible.len()))
            .filter_map(|seq| self.at_seq(*seq))
    }

    pub fn selected_row(&self) -> usize {
        self.at.row
    }

    pub fn selected(&self) -> Option<&Charge> {
        self.row(self.at.row)
    }

    pub fn offset(&self) -> usize {
        self.at.offset
    }

    /// Adds charges newer than any held (a poll's result, newest first) on the front,
    /// and updates the ones already held. The selection stays on its charge, and the
    /// screen stays where it was unless the operator is watching the top.
    pub fn merge_newer(&mut self, batch: Vec<Charge>) -> Merged {
        let mut merged = Merged::default();
        let mut fresh = Vec::new();
        for charge in batch {
            match self.by_id.get(&charge.id) {
                Some(&seq) => merged.changed += usize::from(self.replace(seq, charge)),
                None => fresh.push(charge),
            }
        }
        let mut shown = 0;
        // Oldest of the new first, so the newest ends up at the very front.
        for charge in fresh.into_iter().rev() {
            self.head -= 1;
            let seq = self.head;
            merged.added.push(charge.id.clone());
            if self.filter.matches(&charge) {
                self.visible.push_front(seq);
                shown += 1;
            }
            self.by_id.insert(charge.id.clone(), seq);
            self.charges.push_front(charge);
        }
        if shown > 0 && !self.visible.is_empty() && self.visible.len() > shown {
            self.at.row += shown;
            // Someone at the top is watching for new charges: let them appear there.
            if self.at.offset > 0 {
                self.at.offset += shown;
            }
        }
        merged
    }

    /// Adds an older page (newest first) on the back; charges already held are updated.
    pub fn append_older(&mut self, batch: Vec<Charge>) -> Merged {
        let mut merged = Merged::default();
        for charge in batch {
            if let Some(&seq) = self.by_id.get(&charge.id) {
                merged.changed += usize::from(self.replace(seq, charge));
                continue;
            }
            let seq = self.head + self.charges.len() as Seq;
            merged.added.push(charge.id.clone());
            if self.filter.matches(&charge) {
                self.visible.push_back(seq);
            }
            self.by_id.insert(charge.id.clone(), seq);
            self.charges.push_back(charge);
        }
        merged
    }

    /// The oldest charge held.
    pub fn oldest(&self) -> Option<&Charge> {
        self.charges.back()
    }

    /// Drops up to `n` of the newest charges (a window over the store sliding towards
    /// older ones); the selection stays on its charge. Returns the ids dropped.
    pub fn drop_newest(&mut self, n: usize) -> Vec<String> {
        let mut dropped = Vec::new();
        for _ in 0..n {
            let Some(charge) = self.charges.pop_front() else {
                break;
            };
            let seq = self.head;
            self.head += 1;
            if self.visible.front() == Some(&seq) {
                self.visible.pop_front();
                self.at.row = self.at.row.saturating_sub(1);
                self.at.offset = self.at.offset.saturating_sub(1);
            }
            self.by_id.remove(&charge.id);
            dropped.push(charge.id);
        }
        dropped
    }

    /// Drops up to `n` of the oldest charges (a window sliding towards newer ones);
    /// the selection stays on its charge while it is held. Returns the ids dropped.
    pub fn drop_oldest(&mut self, n: usize) -> Vec<String> {
        let mut dropped = Vec::new();
        for _ in 0..n {
            let Some(charge) = self.charges.pop_back() else {
                break;
            };
            let seq = self.head + self.charges.len() as Seq;
            if self.visible.back() == Some(&seq) {
                self.visible.pop_back();
            }
            self.by_id.remove(&charge.id);
            dropped.push(charge.id);
        }
        self.at.select(self.at.row, self.visible.len());
        self.at.offset = self.at.offset.min(self.at.row);
        dropped
    }

    /// Replaces one held charge with a newer copy of it; false if nothing changed.
    pub fn update(&mut self, charge: Charge) -> bool {
        match self.by_id.get(&charge.id) {
            Some(&seq) => self.replace(seq, charge),
            None => false,
        }
    }

    fn replace(&mut self, seq: Seq, charge: Charge) -> bool {
        let Some(slot) = usize::try_from(seq - self.head)
            .ok()
            .and_then(|i| self.charges.get_mut(i))
        else {
            return false;
        };
        if *slot == charge {
            return false;
        }
        let matched = self.filter.matches(slot);
        let matches = self.filter.matches(&charge);
        *slot = charge;
        if matched != matches {
            self.refilter();
        }
        true
    }

    /// Applies a new filter; the selection stays on its charge if that still shows.
    pub fn set_filter(&mut self, filter: ChargeFilter) {
        self.filter = filter;
        self.refilter();
    }

    fn refilter(&mut self) {
        let keep = self.selected().map(|c| c.id.clone());
        let filter = &self.filter;
        let head = self.head;
        self.visible = self
            .charges
            .iter()
            .enumerate()
            .filter(|(_, c)| filter.matches(c))
            .map(|(i, _)| head + i as Seq)
            .collect();
        let row = keep
            .and_then(|id| self.by_id.get(&id).copied())
            .and_then(|seq| self.visible.iter().position(|s| *s == seq));
        self.at.row = row.unwrap_or(0);
        self.at.offset = self.at.offset.min(self.at.row);
    }

    /// Moves the selection by `delta` rows, clamped to the view.
    pub fn move_by(&mut self, delta: isize) {
        self.at.move_by(delta, self.visible.len());
    }

    /// Selects the charge `id` if it shows; false if it does not.
    pub fn select_id(&mut self, id: &str) -> bool {
        let row = self
            .by_id
            .get(id)
            .and_then(|seq| self.visible.iter().position(|s| s == seq));
        if let Some(row) = row {
            self.at.row = row;
        }
        row.is_some()
    }

    pub fn select_row(&mut self, row: usize) {
        self.at.select(row, self.visible.len());
    }

    /// Puts the selection on `row` and the first row on screen at `offset` (clamped),
    /// for a list read afresh that should look as it did.
    pub fn set_place(&mut self, row: usize, offset: usize) {
        self.at.select(row, self.visible.len());
        self.at.offset = offset.min(self.at.row);
    }

    /// Keeps the selection on a screen of `height` rows, scrolling as little as possible.
    pub fn scroll_into_view(&mut self, height: usize) {
        self.at.scroll_into_view(height);
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::domain::ChargeStatus;
    use crate::money::{Currency, Money};

    pub fn charge(n: i64, status: ChargeStatus) -> Charge {
        let amount = Money::from_minor(100 * n, Currency::AUD);
        Charge {
            created: Utc.timestamp_opt(1_700_000_000 + n * 60, 0).unwrap(),
            captured: amount,
            email: Some(format!("buyer{n}@example.com")),
            ..Charge::bare(&format!("ch_{n}"), amount, status)
        }
    }

    /// Captured charges `newest` down to `oldest`, newest first as the gateway pages them.
    fn captured(newest: i64, oldest: i64) -> Vec<Charge> {
        (oldest..=newest)
            .rev()
            .map(|n| charge(n, ChargeStatus::Captured))
            .collect()
    }

    /// A list holding the captured charges `newest` down to `oldest`.
    fn holding(newest: i64, oldest: i64) -> ChargeList {
        let mut list = ChargeList::default();
        list.merge_newer(captured(newest, oldest));
        list
    }

    fn ids(list: &ChargeList) -> Vec<String> {
        list.rows(0, 100).map(|c| c.id.clone()).collect()
    }

    #[test]
    fn newer_on_top_older_at_the_bottom() {
        let mut list = holding(5, 4);
        list.append_older(captured(3, 2));
        let merged = list.merge_newer(captured(7, 5));
        assert_eq!(merged.added, ["ch_6", "ch_7"]);
        assert_eq!(merged.changed, 0);
        assert_eq!(ids(&list), ["ch_7", "ch_6", "ch_5", "ch_4", "ch_3", "ch_2"]);
        assert_eq!(list.get("ch_3").map(|c| c.id.as_str()), Some("ch_3"));
    }

    #[test]
    fn the_selection_follows_its_charge_when_new_ones_arrive() {
        let mut list = holding(10, 1);
        list.move_by(3);
        assert_eq!(list.selected().unwrap().id, "ch_7");
        list.merge_newer(captured(12, 11));
        assert_eq!(list.selected().unwrap().id, "ch_7");
        assert_eq!(list.selected_row(), 5);
    }

    #[test]
    fn watching_the_top_keeps_the_top_in_view() {
        let mut list = holding(1, 1);
        list.merge_newer(captured(2, 2));
        assert_eq!(list.selected().unwrap().id, "ch_1");
        assert_eq!(list.offset(), 0);
    }

    #[test]
    fn filters_keep_the_selection_and_track_updates() {
        let mut list = ChargeList::default();
        list.merge_newer(vec![
            charge(4, ChargeStatus::Authorised),
            charge(3, ChargeStatus::Captured),
            charge(2, ChargeStatus::Authorised),
            charge(1, ChargeStatus::Captured),
        ]);
        list.move_by(2);
        list.set_filter(ChargeFilter {
            statuses: [ChargeStatus::Authorised].into(),
            ..ChargeFilter::default()
        });
        assert_eq!(ids(&list), ["ch_4", "ch_2"]);
        assert_eq!(list.selected().unwrap().id, "ch_2");
        assert!(list.update(charge(4, ChargeStatus::Captured)));
        assert_eq!(ids(&list), ["ch_2"]);
        assert!(
            !list.update(charge(4, ChargeStatus::Captured)),
            "unchanged is no update"
        );
        list.merge_newer(vec![
            charge(5, ChargeStatus::Captured),
            charge(6, ChargeStatus::Authorised),
        ]);
        assert_eq!(ids(&list), ["ch_6", "ch_2"]);
    }

    #[test]
    fn a_window_drops_either_end_and_the_selection_keeps_its_charge() {
        let mut list = holding(10, 1);
        list.move_by(5);
        list.scroll_into_view(3);
        assert_eq!(list.selected().unwrap().id, "ch_5");
        assert_eq!(list.drop_newest(3), ["ch_10", "ch_9", "ch_8"]);
        assert_eq!(list.selected().unwrap().id, "ch_5");
        assert_eq!((list.selected_row(), list.offset()), (2, 0));
        assert_eq!(list.drop_oldest(2), ["ch_1", "ch_2"]);
        assert_eq!(ids(&list), ["ch_7", "ch_6", "ch_5", "ch_4", "ch_3"]);
        assert!(list.get("ch_10").is_none() && list.get("ch_1").is_none());
        assert_eq!(list.oldest().unwrap().id, "ch_3");
        // Dropping past the selection leaves it on the last row held.
        list.drop_oldest(3);
        assert_eq!(list.selected().unwrap().id, "ch_6");
    }

    #[test]
    fn moving_and_scrolling_stay_in_bounds() {
        let mut list = ChargeList::default();
        list.move_by(5);
        assert_eq!(list.selected_row(), 0);
        list.merge_newer(captured(50, 1));
        list.move_by(100);
        assert_eq!(list.selected_row(), 49);
        list.scroll_into_view(10);
        assert_eq!(list.offset(), 40);
        list.move_by(-45);
        list.scroll_into_view(10);
        assert_eq!((list.selected_row(), list.offset()), (4, 4));
    }
}
