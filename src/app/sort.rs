//! Sorting a list by one of its columns: the columns each screen sorts by, the sort in
//! force on each screen (kept while the program runs, across profiles too), and what
//! the sort keys do to it. The charges list sorts in the store's query; the other
//! lists, paged from the gateway, sort the rows they have loaded and say so.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::domain::{Customer, Dispute, Payout, Refund};
use crate::money::Money;
use crate::store::query::{ChargeOrder, ChargeSortKey};

/// A screen with a sort of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortScreen {
    Charges,
    Customers,
    Refunds,
    Payouts,
    Disputes,
}

/// A column a list sorts by: its title in the table, and which way the first press
/// sorts it (newest, largest and most urgent first; names A to Z).
#[derive(Debug, Clone, Copy)]
pub struct SortColumn {
    pub title: &'static str,
    pub descending: bool,
}

const fn column(title: &'static str, descending: bool) -> SortColumn {
    SortColumn { title, descending }
}

/// One of a screen's columns, and which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: usize,
    pub descending: bool,
}

/// The sort in force on each screen; a screen not here shows its own order (the
/// gateway's, or the store's newest first).
#[derive(Debug, Clone, Default)]
pub struct Sorts(HashMap<SortScreen, Sort>);

impl Sorts {
    pub fn get(&self, screen: SortScreen) -> Option<Sort> {
        self.0.get(&screen).copied()
    }

    /// The sort key: the next column, each its own way first; after the last, the
    /// screen's own order again.
    pub fn cycle(&mut self, screen: SortScreen, columns: &[SortColumn]) -> Option<Sort> {
        let next = match self.get(screen) {
            None => 0,
            Some(sort) => sort.column + 1,
        };
        match columns.get(next) {
            Some(col) => self.set(screen, next, col.descending),
            None => {
                self.0.remove(&screen);
                None
            }
        }
    }

    /// The reverse key: the same column the other way (the first column, from the
    /// screen's own order).
    pub fn reverse(&mut self, screen: SortScreen, columns: &[SortColumn]) -> Option<Sort> {
        match self.get(screen) {
            Some(sort) => self.set(screen, sort.column, !sort.descending),
            None => {
                let first = columns.first()?;
                self.set(screen, 0, !first.descending)
            }
        }
    }

    fn set(&mut self, screen: SortScreen, column: usize, descending: bool) -> Option<Sort> {
        let sort = Sort { column, descending };
        self.0.insert(screen, sort);
        Some(sort)
    }
}

/// A list a screen sorts in memory: its screen, its columns and how two rows compare
/// in one of them (ascending).
pub trait Sortable: Sized {
    const SCREEN: SortScreen;
    const COLUMNS: &'static [SortColumn];
    fn compare(column: usize, a: &Self, b: &Self) -> Ordering;
}

/// A sort as a listing applies it.
#[derive(Debug, Clone)]
pub struct RowOrder<T> {
    pub sort: Sort,
    compare: fn(usize, &T, &T) -> Ordering,
}

impl<T> RowOrder<T> {
    pub fn of(sort: Sort) -> RowOrder<T>
    where
        T: Sortable,
    {
        RowOrder {
            sort,
            compare: T::compare,
        }
    }

    pub fn compare(&self, a: &T, b: &T) -> Ordering {
        let ordering = (self.compare)(self.sort.column, a, b);
        if self.sort.descending {
            ordering.reverse()
        } else {
            ordering
        }
    }
}

/// Money of one currency before another's: amounts of two currencies are never
/// compared with each other, so a sort by amount groups them.
fn by_amount(a: &Money, b: &Money) -> Ordering {
    a.currency
        .code()
        .cmp(b.currency.code())
        .then(a.amount.cmp(&b.amount))
}

/// Text as the operator reads it: case aside, the empty last.
fn by_text(a: Option<&str>, b: Option<&str>) -> Ordering {
    let key = |t: Option<&str>| {
        let t = t.unwrap_or("").trim();
        (t.is_empty(), t.to_lowercase())
    };
    key(a).cmp(&key(b))
}

/// The charges list's columns, sorted by the store: each with its key there.
pub const CHARGE_COLUMNS: [(SortColumn, ChargeSortKey); 4] = [
    (column("created", true), ChargeSortKey::Created),
    (column("amount", true), ChargeSortKey::Amount),
    (column("status", false), ChargeSortKey::Status),
    (column("email", false), ChargeSortKey::Email),
];

/// The charges list's columns alone, for `Sorts`.
pub fn charge_columns() -> [SortColumn; 4] {
    CHARGE_COLUMNS.map(|(col, _)| col)
}

/// The store's order for the charges list's sort.
pub fn charge_order(sort: Option<Sort>) -> ChargeOrder {
    match sort.and_then(|s| CHARGE_COLUMNS.get(s.column).map(|(_, key)| (*key, s))) {
        Some((key, sort)) => ChargeOrder {
            key,
            descending: sort.descending,
        },
        None => ChargeOrder::default(),
    }
}

impl Sortable for Customer {
    const SCREEN: SortScreen = SortScreen::Customers;
    const COLUMNS: &'static [SortColumn] = &[
        column("created", true),
        column("name", false),
        column("email", false),
        column("company", false),
    ];
    fn compare(column: usize, a: &Customer, b: &Customer) -> Ordering {
        let name = |c: &Customer| match (&c.first_name, &c.last_name) {
            (None, None) => None,
            _ => Some(c.display_name()),
        };
        match column {
            0 => a.created.cmp(&b.created),
            1 => by_text(name(a).as_deref(), name(b).as_deref()),
            2 => by_text(Some(&a.email), Some(&b.email)),
            _ => by_text(a.company.as_deref(), b.company.as_deref()),
        }
    }
}

impl Sortable for Refund {
    const SCREEN: SortScreen = SortScreen::Refunds;
    const COLUMNS: &'static [SortColumn] = &[
        column("created", true),
        column("amount", true),
        column("status", false),
    ];
    fn compare(column: usize, a: &Refund, b: &Refund) -> Ordering {
        match column {
            0 => a.created.cmp(&b.created),
            1 => by_amount(&a.amount, &b.amount),
            _ => a.status.label().cmp(b.status.label()),
        }
    }
}

impl Sortable for Payout {
    const SCREEN: SortScreen = SortScreen::Payouts;
    const COLUMNS: &'static [SortColumn] = &[
        column("created", true),
        column("amount", true),
        column("status", false),
        column("arrival", true),
    ];
    fn compare(column: usize, a: &Payout, b: &Payout) -> Ordering {
        match column {
            0 => a.created.cmp(&b.created),
            1 => by_amount(&a.amount, &b.amount),
            2 => a.status.label().cmp(b.status.label()),
            _ => a.arrival.cmp(&b.arrival),
        }
    }
}

impl Sortable for Dispute {
    const SCREEN: SortScreen = SortScreen::Disputes;
    const COLUMNS: &'static [SortColumn] = &[
        column("due", false),
        column("amount", true),
        column("status", false),
        column("reason", false),
    ];
    fn compare(column: usize, a: &Dispute, b: &Dispute) -> Ordering {
        match column {
            // No due date sorts after every due date.
            0 => (a.evidence_due.is_none(), a.evidence_due)
                .cmp(&(b.evidence_due.is_none(), b.evidence_due)),
            1 => by_amount(&a.amount, &b.amount),
            2 => a.status.label().cmp(b.status.label()),
            _ => by_text(Some(&a.reason), Some(&b.reason)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sort_key_cycles_the_columns_and_back_to_the_screens_own_order() {
        let mut sorts = Sorts::default();
        let columns = Refund::COLUMNS;
        let seen: Vec<Option<Sort>> = (0..4)
            .map(|_| sorts.cycle(SortScreen::Refunds, columns))
            .collect();
        let sort = |column, descending| Some(Sort { column, descending });
        assert_eq!(
            seen,
            [sort(0, true), sort(1, true), sort(2, false), None],
            "each column its own way first, then the screen's own order"
        );
        assert_eq!(sorts.get(SortScreen::Refunds), None);
    }

    #[test]
    fn the_reverse_key_flips_the_column_in_force_and_each_screen_keeps_its_own() {
        let mut sorts = Sorts::default();
        let columns = Customer::COLUMNS;
        // From the screen's own order: the first column, the other way.
        assert_eq!(
            sorts.reverse(SortScreen::Customers, columns),
            Some(Sort {
                column: 0,
                descending: false
            })
        );
        sorts.cycle(SortScreen::Customers, columns);
        assert_eq!(
            sorts.reverse(SortScreen::Customers, columns),
            Some(Sort {
                column: 1,
                descending: true
            })
        );
        assert_eq!(sorts.get(SortScreen::Payouts), None);
        sorts.cycle(SortScreen::Payouts, Payout::COLUMNS);
        assert_eq!(sorts.get(SortScreen::Customers).map(|s| s.column), Some(1));
    }

    #[test]
    fn charges_map_to_the_stores_orders() {
        assert_eq!(charge_order(None), ChargeOrder::default());
        assert_eq!(
            charge_order(Some(Sort {
                column: 1,
                descending: false
            })),
            ChargeOrder {
                key: ChargeSortKey::Amount,
                descending: false
            }
        );
    }
}
