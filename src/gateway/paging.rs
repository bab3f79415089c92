//! Lists read page by page, the same way for every adapter (and for the dashboard's
//! search): offset paging, the one status a listing can narrow by (and its query),
//! and following pages to the end of a short list.

use std::future::Future;

use super::error::GatewayError;
use super::http::Request;
use crate::domain::{ChargeFilter, ChargeStatus, Cursor, Page, PageRequest};

/// `offset` and `limit` for a page of an offset-paged list, the limit kept within the
/// server's `min..=max`; returns the offset asked for.
pub fn offset_query(request: Request, page: &PageRequest, min: u32, max: u32) -> (Request, u64) {
    let offset = match &page.cursor {
        Some(Cursor::Offset(n)) => *n,
        _ => 0,
    };
    let request = request
        .query("offset", offset)
        .query("limit", page.limit.clamp(min, max));
    (request, offset)
}

/// The status a filter asks for when it asks for exactly one: the most a gateway's
/// listing narrows by. Several are filtered locally only.
pub fn single_status(filter: &ChargeFilter) -> Option<ChargeStatus> {
    let mut statuses = filter.statuses.iter();
    match (statuses.next(), statuses.next()) {
        (Some(only), None) => Some(*only),
        _ => None,
    }
}

/// `status=` the gateway's word for the one status a filter asks for, where `word`
/// gives one: a status the gateway spreads over several words, like several statuses,
/// is filtered locally only.
pub fn status_query(
    request: Request,
    filter: &ChargeFilter,
    word: fn(ChargeStatus) -> Option<&'static str>,
) -> Request {
    match single_status(filter).and_then(word) {
        Some(status) => request.query("status", status),
        None => request,
    }
}

/// Every item of a list, following pages of `limit` items, at most `max_pages` of
/// them; `fetch` reads one page and decides what a page with unreadable records means.
pub async fn every_page<T, F, Fut>(
    limit: u32,
    max_pages: usize,
    mut fetch: F,
) -> Result<Vec<T>, GatewayError>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = Result<Page<T>, GatewayError>>,
{
    let mut items = Vec::new();
    let mut request = PageRequest::first(limit);
    for _ in 0..max_pages {
        let page = fetch(request).await?;
        items.extend(page.items);
        match page.next {
            Some(next) => request = PageRequest::at(next, limit),
            None => break,
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::BTreeSet;

    use super::*;

    fn numbers(from: u64, to: u64, next: Option<u64>) -> Page<u64> {
        Page {
            items: (from..to).collect(),
            next: next.map(Cursor::Offset),
            total: None,
            skipped: Vec::new(),
        }
    }

    #[tokio::test]
    async fn pages_are_followed_to_the_end_and_no_further_than_the_bound() {
        let asked = RefCell::new(Vec::new());
        let all = every_page(2, 10, |at| {
            asked.borrow_mut().push(at.cursor.clone());
            let from = match at.cursor {
                Some(Cursor::Offset(n)) => n,
                _ => 0,
            };
            async move { Ok(numbers(from, from + 2, (from < 4).then_some(from + 2))) }
        })
        .await
        .unwrap();
        assert_eq!(all, [0, 1, 2, 3, 4, 5]);
        assert_eq!(asked.borrow().len(), 3);
        let endless = every_page(2, 3, |_| async { Ok(numbers(0, 1, Some(1))) })
            .await
            .unwrap();
        assert_eq!(endless.len(), 3);
    }

    #[test]
    fn one_status_narrows_and_several_do_not() {
        let only = |statuses: &[ChargeStatus]| {
            single_status(&ChargeFilter {
                statuses: statuses.iter().copied().collect::<BTreeSet<_>>(),
                ..ChargeFilter::default()
            })
        };
        assert_eq!(only(&[ChargeStatus::Voided]), Some(ChargeStatus::Voided));
        assert_eq!(only(&[]), None);
        assert_eq!(only(&[ChargeStatus::Voided, ChargeStatus::Captured]), None);
    }

    #[test]
    fn only_one_status_with_a_word_is_sent() {
        let word = |status| (status == ChargeStatus::Voided).then_some("VOID");
        let sent = |statuses: &[ChargeStatus]| {
            let filter = ChargeFilter {
                statuses: statuses.iter().copied().collect(),
                ..ChargeFilter::default()
            };
            status_query(Request::get("t"), &filter, word).query
        };
        let status = ("status".to_string(), "VOID".to_string());
        assert_eq!(sent(&[ChargeStatus::Voided]), [status]);
        assert!(sent(&[ChargeStatus::Captured]).is_empty());
        assert!(sent(&[ChargeStatus::Voided, ChargeStatus::Captured]).is_empty());
        assert!(sent(&[]).is_empty());
    }

    #[test]
    fn offsets_and_limits_within_the_servers_bounds() {
        let q = |limit, cursor| {
            offset_query(Request::get("t"), &PageRequest { cursor, limit }, 10, 100)
        };
        let (five, offset) = q(5, None);
        assert_eq!(offset, 0);
        assert_eq!(five.query[1], ("limit".into(), "10".into()));
        let (many, offset) = q(500, Some(Cursor::Offset(30)));
        assert_eq!(offset, 30);
        assert_eq!(many.query[0].1, "30");
        assert_eq!(many.query[1].1, "100");
    }
}
