//! A list fetched from the gateway a page at a time: the rows held (a `ChargeList` for
//! charges, `Rows` for everything else) and where the next page starts, whether one is
//! on its way, under which generation it was asked for, and whether `G` is loading
//! pages to the end. Every paged list on every screen is one of these.

use std::ops::{Deref, DerefMut};

use super::request::{Generation, PageAnswer, PageAsk};
use crate::domain::{Cursor, Page};
use crate::gateway::GatewayError;

#[derive(Debug, Clone, Default)]
pub struct Paged<R> {
    /// The rows held, with the filter and selection over them.
    pub held: R,
    /// Where the next page starts; `None` once everything is loaded.
    pub next: Option<Cursor>,
    pub loading: bool,
    /// Which life of the list its pages are asked for under (see `request`): an answer
    /// asked for by a list since replaced (a refresh, a resync) is dropped.
    pub generation: Generation,
    /// At least one page has arrived.
    pub loaded: bool,
    /// Why the last page could not be read.
    pub error: Option<String>,
    /// `G` was pressed: pages are loaded until the end, the selection following.
    pub to_end: bool,
    /// The filter bar's text of the filter in force.
    pub filter_text: String,
    /// How many the gateway says it has, where it says.
    pub total: Option<u64>,
}

impl<R> Deref for Paged<R> {
    type Target = R;

    fn deref(&self) -> &R {
        &self.held
    }
}

impl<R> DerefMut for Paged<R> {
    fn deref_mut(&mut self) -> &mut R {
        &mut self.held
    }
}

impl<R: Default> Paged<R> {
    /// A list made afresh, under `generation`, asking for its first page.
    pub fn first_page(generation: Generation) -> (Paged<R>, PageAsk) {
        let mut list: Paged<R> = Paged {
            generation,
            ..Paged::default()
        };
        let ask = list.ask(None);
        (list, ask)
    }
}

impl<R> Paged<R> {
    /// Asks for the page at `cursor`; its answer is awaited.
    pub fn ask(&mut self, cursor: Option<Cursor>) -> PageAsk {
        self.loading = true;
        PageAsk {
            cursor,
            generation: self.generation,
        }
    }

    /// Asks for the next page if there is one and none is on its way.
    pub fn ask_next(&mut self) -> Option<PageAsk> {
        if self.loading {
            return None;
        }
        let next = self.next.clone()?;
        Some(self.ask(Some(next)))
    }

    /// Takes in the answer to one of its pages, returning its result to add. An answer
    /// asked for by a list this one replaced is dropped: `None`. A page's cursor and
    /// total are kept, an error's words too.
    pub fn accept<T>(&mut self, answer: PageAnswer<T>) -> Option<Result<Vec<T>, GatewayError>> {
        if answer.generation != self.generation {
            return None;
        }
        self.loading = false;
        Some(match answer.result {
            Ok(page) => Ok(self.took(page)),
            Err(e) => {
                self.error = Some(e.to_string());
                Err(e)
            }
        })
    }

    /// A page arrived: where the next starts and the total are kept; its items are
    /// the caller's to add.
    pub fn took<T>(&mut self, page: Page<T>) -> Vec<T> {
        self.loading = false;
        self.loaded = true;
        self.error = None;
        self.next = page.next;
        self.total = page.total.or(self.total);
        page.items
    }
}

/// How many rows a list's filter lets through and how many it holds.
pub trait RowCounts {
    fn shown_and_held(&self) -> (usize, usize);
}

impl RowCounts for super::charge_list::ChargeList {
    fn shown_and_held(&self) -> (usize, usize) {
        (self.visible_len(), self.len())
    }
}

impl<T> RowCounts for super::listing::Rows<T> {
    fn shown_and_held(&self) -> (usize, usize) {
        (self.visible_len(), self.len())
    }
}
