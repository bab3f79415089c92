//! Reading charges back: pages of a filter in the store's order (newest first, keyset
//! on `k`) and the filter's totals, compiled to SQL over the store's indexes so that a
//! first page never scans the table: `sql` turns the filter into predicates, `plan`
//! picks the index that drives a page, `page` and `totals` run them, `text` holds the
//! free-text rules, `sorted` reads pages in the order of another column. Every answer
//! is the one `ChargeFilter::matches` gives.

mod page;
mod plan;
mod sorted;
mod sql;
mod stats;
mod text;
mod totals;

#[cfg(test)]
mod agreement_tests;
#[cfg(test)]
mod plan_tests;

pub use page::SearchedPage;
pub use sorted::{ChargeOrder, ChargeSortKey};
pub use text::{SHORT_TEXT_BUDGET, ShortTextScan};
pub use totals::SearchedTotals;

use crate::domain::Charge;
use crate::money::{Currency, Money};

/// A charge's place in the store's order: larger is newer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StoreKey(pub i64);

/// Where a page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageFrom {
    /// The newest matching charges.
    Newest,
    /// Matching charges older than this one (scrolling down).
    Older(StoreKey),
    /// Matching charges newer than this one (scrolling up), still returned newest first.
    Newer(StoreKey),
    /// This charge and the matching ones older than it (the same stretch read again).
    Through(StoreKey),
    /// The oldest matching charges (`G`), returned newest first.
    Oldest,
}

/// One page, newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StorePage {
    pub rows: Vec<(StoreKey, Charge)>,
}

/// What a filter's charges add up to, per currency (never summed across currencies).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    pub count: u64,
    pub by_currency: Vec<CurrencyTotals>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CurrencyTotals {
    pub currency: Currency,
    pub count: u64,
    /// Captured.
    pub gross: Money,
    pub refunded: Money,
    /// Captured less refunded.
    pub net: Money,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::{charge, t0};
    use crate::domain::ChargeFilter;
    use crate::domain::ChargeStatus;
    use crate::store::Store;

    fn ids(page: &StorePage) -> Vec<&str> {
        page.rows.iter().map(|(_, c)| c.id.as_str()).collect()
    }

    #[test]
    fn pages_walk_newest_first_both_ways_and_totals_add_up_per_currency() {
        let mut store = Store::open_in_memory().unwrap();
        let charges: Vec<Charge> = (1..=5)
            .map(|n| {
                charge(
                    n,
                    if n % 2 == 0 {
                        ChargeStatus::Captured
                    } else {
                        ChargeStatus::Declined
                    },
                )
            })
            .collect();
        store.upsert_charges(&charges, t0()).unwrap();
        let all = ChargeFilter::default();
        let first = store.charge_page(&all, PageFrom::Newest, 2).unwrap();
        assert_eq!(ids(&first), ["ch_0005", "ch_0004"]);
        let next = store
            .charge_page(&all, PageFrom::Older(first.rows[1].0), 2)
            .unwrap();
        assert_eq!(ids(&next), ["ch_0003", "ch_0002"]);
        let back = store
            .charge_page(&all, PageFrom::Newer(next.rows[0].0), 5)
            .unwrap();
        assert_eq!(ids(&back), ["ch_0005", "ch_0004"]);
        let oldest = store.charge_page(&all, PageFrom::Oldest, 2).unwrap();
        assert_eq!(ids(&oldest), ["ch_0002", "ch_0001"]);

        let captured = ChargeFilter {
            statuses: [ChargeStatus::Captured].into(),
            ..ChargeFilter::default()
        };
        let totals = store.charge_totals(&captured).unwrap();
        assert_eq!(totals.count, 2);
        assert_eq!(totals.by_currency.len(), 1);
        // Charges 2 and 4: A$20.00 + A$40.00 captured, nothing refunded.
        assert_eq!(
            totals.by_currency[0].gross,
            Money::from_minor(6000, Currency::AUD)
        );
        assert_eq!(
            totals.by_currency[0].net,
            Money::from_minor(6000, Currency::AUD)
        );
    }
}
