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
}
