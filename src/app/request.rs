//! Which request an answer belongs to. Every list is asked for its pages under a
//! generation, new each time the list is made afresh (a screen opened or refreshed, the
//! charges read anew); an answer carries the generation that asked, and an answer for a
//! list since replaced is dropped instead of being appended to the new one.

use crate::domain::{Cursor, Page, PageRequest};
use crate::gateway::GatewayError;

/// One list's life, from when it was made until it is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Generation(u64);

impl Generation {
    /// Its place in the order generations are handed out: a later one is larger.
    pub fn number(self) -> u64 {
        self.0
    }
}

/// The generations handed out so far; the model holds one, so `update` stays pure.
#[derive(Debug, Clone, Default)]
pub struct Generations {
    last: u64,
}

impl Generations {
    pub fn fresh(&mut self) -> Generation {
        self.last += 1;
        Generation(self.last)
    }
}

/// A page asked for by the list of `generation` (`cursor` `None`: the first page).
#[derive(Debug, Clone, PartialEq)]
pub struct PageAsk {
    pub cursor: Option<Cursor>,
    pub generation: Generation,
}

impl PageAsk {
    /// What the gateway is asked for, `limit` at a time.
    pub fn request(&self, limit: u32) -> PageRequest {
        PageRequest {
            cursor: self.cursor.clone(),
            limit,
        }
    }
}

/// The gateway's answer to a [`PageAsk`].
#[derive(Debug)]
pub struct PageAnswer<T> {
    pub generation: Generation,
    pub result: Result<Page<T>, GatewayError>,
}
