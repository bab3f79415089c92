//! `EXPLAIN QUERY PLAN` for the first page of each case of the filter grammar: each is
//! driven by an index (or by k itself, bounded by the page or the short-text budget),
//! and only the amount index, whose range the probe has bounded, may sort.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::PageFrom;
use super::page::{Walk, page_sql, short_text_sql};
use super::plan::{Driver, choose};
use super::sql::Compiled;
use super::text::SHORT_TEXT_BUDGET;
use crate::app::fixtures::{charge, t0};
use crate::domain::{Charge, ChargeFilter, ChargeStatus};
use crate::money::{Currency, Money};
use crate::store::Store;

/// 2,000 charges, one a minute: mostly captured AUD, a few disputed or refunded, every
/// 41st in yen, twenty customers.
fn skewed_store() -> Store {
    let charges: Vec<Charge> = (1..=2000)
        .map(|n| {
            let status = if n % 97 == 0 {
                ChargeStatus::Disputed
            } else if n % 53 == 0 {
                ChargeStatus::Refunded
            } else {
                ChargeStatus::Captured
            };
            let mut c = charge(n, status);
            if n % 41 == 0 {
                let yen = Money::from_minor(n * 10, Currency::JPY);
                c.amount = yen;
                c.captured = yen;
                c.refunded = Money::zero(Currency::JPY);
            }
            c.customer_id = Some(format!("cus_{}", n % 20));
            c
        })
        .collect();
    let mut store = Store::open_in_memory().unwrap();
    store.upsert_charges(&charges, t0()).unwrap();
    store
}

/// The driver chosen for the first page of `filter`, and its plan's lines.
fn first_page_plan(store: &Store, filter: &ChargeFilter) -> (Option<Driver>, Vec<String>) {
    let compiled = Compiled::new(store.conn(), filter).unwrap();
    let walk = Walk::of(PageFrom::Newest).within(compiled.time_keys());
    let (driver, (sql, params)) = if compiled.has_short_text() {
        (None, short_text_sql(&compiled, walk, SHORT_TEXT_BUDGET))
    } else {
        let driver = choose(store.conn(), &compiled, walk.keys).unwrap();
        (Some(driver), page_sql(&compiled, driver, walk, 60))
    };
    let mut statement = store
        .conn()
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap();
    let lines = statement
        .query_map(rusqlite::params_from_iter(params.0.iter()), |r| {
            r.get::<_, String>(3)
        })
        .unwrap()
        .map(|line| line.unwrap())
        .collect();
    (driver, lines)
}

fn minutes(n: i64) -> chrono::DateTime<chrono::Utc> {
    t0() - chrono::TimeDelta::hours(2) + chrono::TimeDelta::minutes(n)
}

#[test]
fn every_grammar_case_reads_its_first_page_through_an_index() {
    use ChargeStatus::*;
    let base = ChargeFilter::default;
    let text = |t: &str| ChargeFilter {
        text: t.into(),
        ..base()
    };
    let cases: Vec<(&str, ChargeFilter, Option<Driver>, &str)> = vec![
        ("none", base(), Some(Driver::Key), "SCAN c"),
        (
            "status",
            ChargeFilter {
                statuses: [Disputed].into(),
                ..base()
            },
            Some(Driver::Status),
            "SEARCH c USING INDEX charge_status (status=?)",
        ),
        (
            "two statuses",
            ChargeFilter {
                statuses: [Disputed, Refunded].into(),
                ..base()
            },
            Some(Driver::Status),
            "SEARCH c USING INDEX charge_status (status=?)",
        ),
        (
            "date range",
            ChargeFilter {
                from: Some(minutes(100)),
                until: Some(minutes(300)),
                ..base()
            },
            Some(Driver::Key),
            "SEARCH c USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)",
        ),
        (
            "currency",
            ChargeFilter {
                currency: Some(Currency::JPY),
                ..base()
            },
            Some(Driver::Currency),
            "SEARCH c USING INDEX charge_currency (currency=?)",
        ),
        (
            "min/max",
            ChargeFilter {
                min_amount: Some(Decimal::from_str("10.00").unwrap()),
                max_amount: Some(Decimal::from_str("50").unwrap()),
                ..base()
            },
            Some(Driver::Amount),
            "SEARCH c USING INDEX charge_amount (currency=? AND amount>? AND amount<?)",
        ),
        (
            "customer",
            text("cus_7"),
            Some(Driver::Text),
            "SCAN charge_fts VIRTUAL TABLE INDEX",
        ),
        (
            "text",
            text("buyer12"),
            Some(Driver::Text),
            "SCAN charge_fts VIRTUAL TABLE INDEX",
        ),
        ("short text", text("12"), None, "SCAN c"),
        (
            "text and status",
            ChargeFilter {
                statuses: [Disputed].into(),
                ..text("buyer1")
            },
            Some(Driver::Status),
            "SEARCH c USING INDEX charge_status (status=?)",
        ),
    ];
    let store = skewed_store();
    for analysed in [false, true] {
        if analysed {
            store.conn().execute_batch("ANALYZE").unwrap();
        }
        for (name, filter, driver, expected) in &cases {
            let (chosen, plan) = first_page_plan(&store, filter);
            assert_eq!(chosen, *driver, "{name}: {plan:?}");
            assert!(
                plan.iter().any(|line| line.starts_with(expected)),
                "{name} (analysed: {analysed}): {plan:?}"
            );
            // A bare SCAN is only a k walk cut short by a LIMIT: the page or the
            // short-text budget. Only the amount index's bounded range is sorted.
            let scans = plan
                .iter()
                .any(|line| line == "SCAN c" || line.starts_with("SCAN c "));
            assert!(
                !scans || ["none", "short text"].contains(name),
                "{name}: {plan:?}"
            );
            let sorts = plan.iter().any(|line| line.contains("TEMP B-TREE"));
            assert!(!sorts || *name == "min/max", "{name}: {plan:?}");
        }
    }
}
