//! A gateway's page cursor as `sync_state.cursor` keeps it: `page:3`, `offset:200`,
//! `after:ch_123`.

use chrono::Utc;

use crate::domain::{Charge, Cursor};
use crate::store::SyncState;

pub fn to_text(cursor: &Cursor) -> String {
    match cursor {
        Cursor::Page(n) => format!("page:{n}"),
        Cursor::Offset(n) => format!("offset:{n}"),
        Cursor::After(id) => format!("after:{id}"),
    }
}

/// `state` past a page of `charges`: its cursor where the list goes on (none once
/// `last`), its dates and count widened.
pub fn advance(state: &mut SyncState, charges: &[Charge], next: Option<&Cursor>, last: bool) {
    state.cover(charges);
    state.fetched += charges.len() as u64;
    state.cursor = if last { None } else { next.map(to_text) };
    state.done = last;
    state.updated_at = Utc::now();
}

/// `None` for text this build did not write: the sync then starts that phase afresh.
pub fn from_text(text: &str) -> Option<Cursor> {
    let (kind, value) = text.split_once(':')?;
    match kind {
        "page" => value.parse().ok().map(Cursor::Page),
        "offset" => value.parse().ok().map(Cursor::Offset),
        "after" if !value.is_empty() => Some(Cursor::After(value.to_string())),
        _ => None,
    }
}

/// The cursor `i` pages past `cursor`, for reading pages side by side; only numbered
/// and offset pages can be worked out ahead (`limit` items a page).
pub fn ahead(cursor: &Cursor, i: u32, limit: u32) -> Option<Cursor> {
    match cursor {
        Cursor::Page(n) => n.checked_add(i).map(Cursor::Page),
        Cursor::Offset(n) => Some(Cursor::Offset(n + u64::from(i) * u64::from(limit))),
        Cursor::After(_) => (i == 0).then(|| cursor.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cursor_reads_back_and_strange_text_does_not() {
        for cursor in [
            Cursor::Page(3),
            Cursor::Offset(200),
            Cursor::After("ch_1:x".into()),
        ] {
            assert_eq!(from_text(&to_text(&cursor)), Some(cursor));
        }
        for text in ["", "page:", "page:x", "after:", "seek:1"] {
            assert_eq!(from_text(text), None, "{text}");
        }
    }

    #[test]
    fn only_numbered_pages_are_worked_out_ahead() {
        assert_eq!(ahead(&Cursor::Page(2), 3, 100), Some(Cursor::Page(5)));
        assert_eq!(
            ahead(&Cursor::Offset(100), 2, 100),
            Some(Cursor::Offset(300))
        );
        let after = Cursor::After("ch_1".into());
        assert_eq!(ahead(&after, 0, 100), Some(after.clone()));
        assert_eq!(ahead(&after, 1, 100), None);
    }
}
