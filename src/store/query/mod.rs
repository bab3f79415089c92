//! Reading charges back: pages of a filter in the store's order (newest first, keyset
//! on `k`) and the filter's totals.
//!
//! This first version scans and tests each row with `ChargeFilter::matches`: correct,
//! and the contract the screens are written against; the SQL that makes it fast
//! replaces the bodies, not the signatures.

use rusqlite::params;

use super::charge_row::{CHARGE_COLUMNS, charge_from_row};
use super::{Result, Store};
use crate::domain::{Charge, ChargeFilter};
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

impl Store {
    /// Up to `limit` charges matching `filter`, from `from`, newest first.
    pub fn charge_page(
        &self,
        filter: &ChargeFilter,
        from: PageFrom,
        limit: usize,
    ) -> Result<StorePage> {
        let (condition, ascending, bound) = match from {
            PageFrom::Newest => ("1", false, 0),
            PageFrom::Older(k) => ("k < ?1", false, k.0),
            PageFrom::Newer(k) => ("k > ?1", true, k.0),
            PageFrom::Oldest => ("1", true, 0),
        };
        let order = if ascending { "ASC" } else { "DESC" };
        let sql = format!(
            "SELECT {CHARGE_COLUMNS} FROM charge WHERE {condition} OR ?1 IS NULL ORDER BY k {order}"
        );
        let mut statement = self.conn().prepare_cached(&sql)?;
        let bound = if condition == "1" { None } else { Some(bound) };
        let mut rows = statement.query(params![bound])?;
        let mut page = Vec::new();
        while page.len() < limit {
            let Some(row) = rows.next()? else { break };
            let k = StoreKey(row.get(0)?);
            let charge = charge_from_row(row)?;
            if filter.matches(&charge) {
                page.push((k, charge));
            }
        }
        if ascending {
            page.reverse();
        }
        Ok(StorePage { rows: page })
    }

    /// The count and per-currency sums of every charge matching `filter`.
    pub fn charge_totals(&self, filter: &ChargeFilter) -> Result<Totals> {
        let sql = format!("SELECT {CHARGE_COLUMNS} FROM charge");
        let mut statement = self.conn().prepare_cached(&sql)?;
        let mut rows = statement.query([])?;
        let mut totals = Totals::default();
        while let Some(row) = rows.next()? {
            let charge = charge_from_row(row)?;
            if !filter.matches(&charge) {
                continue;
            }
            totals.count += 1;
            let currency = charge.currency();
            let index = match totals
                .by_currency
                .iter()
                .position(|t| t.currency == currency)
            {
                Some(index) => index,
                None => {
                    totals.by_currency.push(CurrencyTotals {
                        currency,
                        count: 0,
                        gross: Money::zero(currency),
                        refunded: Money::zero(currency),
                        net: Money::zero(currency),
                    });
                    totals.by_currency.len() - 1
                }
            };
            let entry = &mut totals.by_currency[index];
            entry.count += 1;
            entry.gross = Money {
                amount: entry.gross.amount + charge.captured.amount,
                currency,
            };
            entry.refunded = Money {
                amount: entry.refunded.amount + charge.refunded.amount,
                currency,
            };
            entry.net = Money {
                amount: entry.gross.amount - entry.refunded.amount,
                currency,
            };
        }
        totals.by_currency.sort_by_key(|t| t.currency.code());
        Ok(totals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::{charge, t0};
    use crate::domain::ChargeStatus;

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
