//! A sorted walk returns what sorting the matching charges in Rust gives: every page
//! from the top down and from the bottom up, for each column both ways, under filters
//! of several shapes, and `Through` starts on its own row.

use std::cmp::Ordering;

use super::super::agreement_tests::with_store;
use super::*;
use crate::domain::{Charge, ChargeStatus};
use crate::store::status_code::status_code;

const KEYS: [ChargeSortKey; 4] = [
    ChargeSortKey::Created,
    ChargeSortKey::Amount,
    ChargeSortKey::Status,
    ChargeSortKey::Email,
];

/// The order `order` means, written without SQL: ties broken by k.
fn compare(order: ChargeOrder, a: &(StoreKey, Charge), b: &(StoreKey, Charge)) -> Ordering {
    let ((ka, a), (kb, b)) = (a, b);
    let by = match order.key {
        ChargeSortKey::Created => Ordering::Equal,
        ChargeSortKey::Amount => a
            .amount
            .currency
            .code()
            .cmp(b.amount.currency.code())
            .then(a.amount.amount.cmp(&b.amount.amount)),
        ChargeSortKey::Status => status_code(a.status).cmp(&status_code(b.status)),
        ChargeSortKey::Email => a
            .email
            .as_deref()
            .unwrap_or("")
            .cmp(b.email.as_deref().unwrap_or("")),
    };
    let ordering = by.then(ka.cmp(kb));
    if order.descending {
        ordering.reverse()
    } else {
        ordering
    }
}

fn ids(rows: &[(StoreKey, Charge)]) -> Vec<String> {
    rows.iter().map(|(_, c)| c.id.clone()).collect()
}

fn filters() -> Vec<ChargeFilter> {
    vec![
        ChargeFilter::default(),
        ChargeFilter {
            statuses: [ChargeStatus::Captured, ChargeStatus::Declined].into(),
            ..ChargeFilter::default()
        },
        ChargeFilter {
            text: "coffee".into(),
            ..ChargeFilter::default()
        },
        ChargeFilter {
            text: "x".into(),
            ..ChargeFilter::default()
        },
    ]
}

#[test]
fn sorted_walks_agree_with_a_sort_in_rust_both_ways() {
    with_store(|store, held| {
        for filter in filters() {
            for key in KEYS {
                for descending in [true, false] {
                    let order = ChargeOrder { key, descending };
                    let mut expected: Vec<(StoreKey, Charge)> = held
                        .iter()
                        .filter(|(_, c)| filter.matches(c))
                        .cloned()
                        .collect();
                    expected.sort_by(|a, b| compare(order, a, b));
                    let expected = ids(&expected);
                    assert!(expected.len() > 10, "{filter:?} matches too few to page");

                    let page = |from| store.charge_page_ordered(&filter, order, from, 7).unwrap();
                    let mut down = page(PageFrom::Newest).rows;
                    while let Some((last, _)) = down.last() {
                        let more = page(PageFrom::Older(*last)).rows;
                        if more.is_empty() {
                            break;
                        }
                        down.extend(more);
                    }
                    assert_eq!(ids(&down), expected, "down, {order:?} {filter:?}");

                    let mut up = page(PageFrom::Oldest).rows;
                    while let Some((first, _)) = up.first() {
                        let more = page(PageFrom::Newer(*first)).rows;
                        if more.is_empty() {
                            break;
                        }
                        up.splice(0..0, more);
                    }
                    assert_eq!(ids(&up), expected, "up, {order:?} {filter:?}");

                    let (middle, _) = &down[down.len() / 2];
                    let through = page(PageFrom::Through(*middle)).rows;
                    assert_eq!(
                        ids(&through),
                        expected[down.len() / 2..(down.len() / 2 + 7).min(expected.len())],
                        "through, {order:?} {filter:?}"
                    );
                }
            }
        }
    });
}
