//! The rows of a paged list of customers, refunds or disputes, filtered locally, with
//! a selection and a scroll position. Charges keep theirs in a `ChargeList`, built for
//! a million rows; these lists are smaller and simpler.

use super::paged::Paged;
use super::request::PageAnswer;
use super::selection::Selection;
use super::sort::RowOrder;
use crate::domain::Page;

/// Customers, refunds or disputes, fetched a page at a time.
pub type Listing<T> = Paged<Rows<T>>;

/// The rows of a listing in the order they came, those the filter lets through (in
/// the operator's sort, if any), the selection and the first row on screen.
#[derive(Debug, Clone)]
pub struct Rows<T> {
    items: Vec<T>,
    /// Indexes into `items` that match the filter, in the order shown.
    visible: Vec<usize>,
    at: Selection,
    /// The operator's sort; `None`: the order they came in.
    order: Option<RowOrder<T>>,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows {
            items: Vec::new(),
            visible: Vec::new(),
            at: Selection::default(),
            order: None,
        }
    }
}

impl<T> Rows<T> {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The `row`th item that matches the filter.
    pub fn row(&self, row: usize) -> Option<&T> {
        self.visible.get(row).and_then(|i| self.items.get(*i))
    }

    /// Only the rows on screen.
    pub fn rows(&self, start: usize, count: usize) -> impl Iterator<Item = &T> {
        let end = (start + count).min(self.visible.len());
        self.visible[start.min(end)..end]
            .iter()
            .filter_map(|i| self.items.get(*i))
    }

    pub fn selected(&self) -> Option<&T> {
        self.row(self.at.row)
    }

    pub fn selected_row(&self) -> usize {
        self.at.row
    }

    pub fn offset(&self) -> usize {
        self.at.offset
    }

    /// Adds items at the end (in the sort, where one is in force).
    pub fn extend(&mut self, items: Vec<T>, matches: impl Fn(&T) -> bool) {
        for item in items {
            if matches(&item) {
                self.visible.push(self.items.len());
            }
            self.items.push(item);
        }
        self.reorder();
    }

    /// Applies a filter; the selection goes back to the top.
    pub fn refilter(&mut self, matches: impl Fn(&T) -> bool) {
        self.visible = (0..self.items.len())
            .filter(|i| matches(&self.items[*i]))
            .collect();
        self.reorder();
        self.at = Selection::default();
    }

    /// Shows the rows in `order` (`None`: as they came); the selection stays on its item.
    pub fn set_order(&mut self, order: Option<RowOrder<T>>) {
        self.order = order;
        self.reorder();
    }

    pub fn order(&self) -> Option<&RowOrder<T>> {
        self.order.as_ref()
    }

    /// Puts the visible rows in the order in force, ties in the order they came.
    fn reorder(&mut self) {
        let keep = self.visible.get(self.at.row).copied();
        match &self.order {
            None => self.visible.sort_unstable(),
            Some(order) => {
                let items = &self.items;
                self.visible
                    .sort_by(|a, b| order.compare(&items[*a], &items[*b]).then(a.cmp(b)));
            }
        }
        if let Some(row) = keep.and_then(|i| self.visible.iter().position(|v| *v == i)) {
            self.at.row = row;
        }
    }

    /// Replaces items in place (`same` says which), or removes them when `with` is `None`.
    pub fn replace(
        &mut self,
        same: impl Fn(&T) -> bool,
        with: Option<T>,
        matches: impl Fn(&T) -> bool,
    ) where
        T: Clone,
    {
        match with {
            Some(new) => {
                for item in self.items.iter_mut().filter(|i| same(i)) {
                    *item = new.clone();
                }
            }
            None => self.items.retain(|i| !same(i)),
        }
        self.visible = (0..self.items.len())
            .filter(|i| matches(&self.items[*i]))
            .collect();
        self.reorder();
        self.at.select(self.at.row, self.visible.len());
        self.at.offset = self.at.offset.min(self.at.row);
    }

    /// Keeps the items in the given order (after each page, for orders the gateway does
    /// not offer); the filter is applied again and the selection goes to the top.
    pub fn sort_by(
        &mut self,
        order: impl FnMut(&T, &T) -> std::cmp::Ordering,
        matches: impl Fn(&T) -> bool,
    ) {
        self.items.sort_by(order);
        self.refilter(matches);
    }

    pub fn move_by(&mut self, delta: isize) {
        self.at.move_by(delta, self.visible.len());
    }

    pub fn select_row(&mut self, row: usize) {
        self.at.select(row, self.visible.len());
    }

    pub fn scroll_into_view(&mut self, height: usize) {
        self.at.scroll_into_view(height);
    }
}

impl<T> Listing<T> {
    /// Takes in the answer to one of its pages: the page appended (`matches` says which
    /// items show) or the error kept. An answer asked for by a list this one replaced (a
    /// refresh) is dropped: `None`. Otherwise whether a page was added.
    pub fn take_answer(
        &mut self,
        answer: PageAnswer<T>,
        matches: impl Fn(&T) -> bool,
    ) -> Option<bool> {
        match self.accept(answer)? {
            Ok(items) => {
                self.held.extend(items, matches);
                Some(true)
            }
            Err(_) => Some(false),
        }
    }

    /// Adds the next page at the end.
    pub fn append(&mut self, page: Page<T>, matches: impl Fn(&T) -> bool) {
        let items = self.took(page);
        self.held.extend(items, matches);
    }

    /// Applies a filter; the selection goes back to the top.
    pub fn set_filter(&mut self, text: &str, matches: impl Fn(&T) -> bool) {
        self.filter_text = text.trim().to_string();
        self.held.refilter(matches);
    }

    /// Whether the selection is close enough to the end to fetch the next page.
    pub fn wants_more(&self, rows: usize) -> bool {
        !self.loading
            && self.next.is_some()
            && self.selected_row() + 2 * rows.max(1) >= self.visible_len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Cursor;

    fn page(items: Vec<u32>, next: Option<u32>) -> Page<u32> {
        Page {
            items,
            next: next.map(Cursor::Page),
            total: None,
            skipped: Vec::new(),
        }
    }

    #[test]
    fn pages_filter_and_select() {
        let mut list = Listing::default();
        list.append(page(vec![1, 2, 3, 4], Some(2)), |_| true);
        list.append(page(vec![5, 6], None), |_| true);
        assert_eq!(list.len(), 6);
        assert!(list.next.is_none());
        list.move_by(10);
        assert_eq!(list.selected(), Some(&6));
        list.set_filter("even", |n| n % 2 == 0);
        assert_eq!(list.rows(0, 10).copied().collect::<Vec<_>>(), [2, 4, 6]);
        assert_eq!(list.selected(), Some(&2));
        list.move_by(1);
        list.replace(|n| *n == 4, None, |n| n % 2 == 0);
        assert_eq!(list.rows(0, 10).copied().collect::<Vec<_>>(), [2, 6]);
        assert_eq!(list.selected(), Some(&6));
    }

    #[test]
    fn wants_the_next_page_near_the_end() {
        let mut list = Listing::default();
        list.append(page((0..50).collect(), Some(2)), |_| true);
        assert!(!list.wants_more(10));
        list.move_by(35);
        assert!(list.wants_more(10));
        list.loading = true;
        assert!(!list.wants_more(10));
    }
}
