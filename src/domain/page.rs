//! Paging in whichever form a gateway uses: page numbers, cursors or offsets.

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// 1-based page number (Pin).
    Page(u32),
    /// After this object id (Stripe).
    After(String),
    /// Skip this many (Openpay, the transactions gateway).
    Offset(u64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// `None` is the first page, newest first.
    pub cursor: Option<Cursor>,
    pub limit: u32,
}

impl PageRequest {
    pub fn first(limit: u32) -> PageRequest {
        PageRequest {
            cursor: None,
            limit,
        }
    }

    pub fn at(cursor: Cursor, limit: u32) -> PageRequest {
        PageRequest {
            cursor: Some(cursor),
            limit,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// `None` on the last page.
    pub next: Option<Cursor>,
    /// How many match in all, where the gateway says.
    pub total: Option<u64>,
    /// Records of this page paydeck could not read, left out of `items`: the page is
    /// partial when there are any.
    pub skipped: Vec<Skipped>,
}

impl<T> Page<T> {
    /// Some of the page's records could not be read.
    pub fn is_partial(&self) -> bool {
        !self.skipped.is_empty()
    }
}

/// A record of a list that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The record's id, where even that could be read.
    pub id: Option<String>,
    pub why: String,
}

impl Skipped {
    /// The id, or what to call a record without one.
    pub fn name(&self) -> &str {
        self.id.as_deref().unwrap_or("a record without an id")
    }
}
