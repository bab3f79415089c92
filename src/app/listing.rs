//! A paged list fetched from the gateway (customers, refunds), filtered locally, with
//! a selection and a scroll position. Charges have their own `ChargeList`, built for a
//! million rows; these lists are smaller and simpler.

use super::request::{Generation, PageAnswer, PageAsk};
use crate::domain::{Cursor, Page};

#[derive(Debug, Clone)]
pub struct Listing<T> {
    items: Vec<T>,
    /// Indexes into `items` that match the filter.
    visible: Vec<usize>,
    selected: usize,
    offset: usize,
    /// Where the next page starts; `None` once everything is loaded.
    pub next: Option<Cursor>,
    pub loading: bool,
    /// Which life of the list its pages are asked for under (see `request`).
    pub generation: Generation,
    /// At least one page has arrived.
    pub loaded: bool,
    pub error: Option<String>,
    /// The filter bar's text of the filter in force.
    pub filter_text: String,
    /// How many the gateway says it has, where it says.
    pub total: Option<u64>,
}

impl<T> Default for Listing<T> {
    fn default() -> Self {
        Listing {
            items: Vec::new(),
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            next: None,
            loading: false,
            generation: Generation::default(),
            loaded: false,
            error: None,
            filter_text: String::new(),
            total: None,
        }
    }
}

impl<T> Listing<T> {
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
        self.row(self.selected)
    }

    pub fn selected_row(&self) -> usize {
        self.selected
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// A list made afresh, under `generation`, asking for its first page.
    pub fn first_page(generation: Generation) -> (Listing<T>, PageAsk) {
        let mut list = Listing {
            generation,
            ..Listing::default()
        };
        let ask = list.ask(None);
        (list, ask)
    }

    /// Asks for the page at `cursor`; its answer is awaited.
    pub fn ask(&mut self, cursor: Option<Cursor>) -> PageAsk {
        self.loading = true;
        PageAsk {
            cursor,
            generation: self.generation,
        }
    }

    /// Takes in the answer to one of its pages: the page appended (`matches` says which
    /// items show) or the error kept. An answer asked for by a list this one replaced (a
    /// refresh) is dropped: `None`. Otherwise whether a page was added.
    pub fn take_answer(
        &mut self,
        answer: PageAnswer<T>,
        matches: impl Fn(&T) -> bool,
    ) -> Option<bool> {
        if answer.generation != self.generation {
            return None;
        }
        match answer.result {
            Ok(page) => {
                self.append(page, matches);
                Some(true)
            }
            Err(e) => {
                self.loading = false;
                self.error = Some(e.to_string());
                Some(false)
            }
        }
    }

    /// Adds the next page at the end.
    pub fn append(&mut self, page: Page<T>, matches: impl Fn(&T) -> bool) {
        self.loading = false;
        self.loaded = true;
        self.error = None;
        self.next = page.next;
        self.total = page.total.or(self.total);
        for item in page.items {
            if matches(&item) {
                self.visible.push(self.items.len());
            }
            self.items.push(item);
        }
    }

    /// Applies a filter; the selection goes back to the top.
    pub fn set_filter(&mut self, text: &str, matches: impl Fn(&T) -> bool) {
        self.filter_text = text.trim().to_string();
        self.visible = (0..self.items.len())
            .filter(|i| matches(&self.items[*i]))
            .collect();
        self.selected = 0;
        self.offset = 0;
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
        let selected = self.selected;
        let offset = self.offset;
        self.visible = (0..self.items.len())
            .filter(|i| matches(&self.items[*i]))
            .collect();
        self.selected = selected.min(self.visible.len().saturating_sub(1));
        self.offset = offset.min(self.selected);
    }

    /// Keeps the items in the given order (after each page, for orders the gateway does
    /// not offer); the filter is applied again and the selection goes to the top.
    pub fn sort_by(
        &mut self,
        order: impl FnMut(&T, &T) -> std::cmp::Ordering,
        matches: impl Fn(&T) -> bool,
    ) {
        self.items.sort_by(order);
        self.visible = (0..self.items.len())
            .filter(|i| matches(&self.items[*i]))
            .collect();
        self.selected = 0;
        self.offset = 0;
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.visible.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn select_row(&mut self, row: usize) {
        self.selected = row.min(self.visible.len().saturating_sub(1));
    }

    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
    }

    /// Whether the selection is close enough to the end to fetch the next page.
    pub fn wants_more(&self, rows: usize) -> bool {
        !self.loading
            && self.next.is_some()
            && self.selected + 2 * rows.max(1) >= self.visible.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
