//! The rollup kept by delta always equals the GROUP BY it stands for, whatever order of
//! inserts and updates (status, money, currency, time) brought the charges there.

use proptest::prelude::*;

use super::Store;
use super::charges::ROLLUP_BY_GROUP_BY;
use crate::app::fixtures::{charge, t0};
use crate::domain::{Charge, ChargeStatus};
use crate::money::{Currency, Money};

/// One write: a new charge, or a change to one already written (`which` picks it).
#[derive(Debug, Clone)]
struct Write {
    new: bool,
    which: usize,
    status: usize,
    currency: usize,
    amount: i64,
    captured_share: i64,
    refunded_share: i64,
    minutes: i64,
}

fn write() -> impl Strategy<Value = Write> {
    (
        any::<bool>(),
        any::<usize>(),
        0..9usize,
        0..3usize,
        0..1_000_000i64,
        0..=100i64,
        0..=100i64,
        // About four days either side: changes of time cross days.
        -6_000..6_000i64,
    )
        .prop_map(
            |(new, which, status, currency, amount, captured_share, refunded_share, minutes)| {
                Write {
                    new,
                    which,
                    status,
                    currency,
                    amount,
                    captured_share,
                    refunded_share,
                    minutes,
                }
            },
        )
}

fn apply(w: &Write, id_number: i64) -> Charge {
    let currency = [Currency::AUD, Currency::JPY, Currency::KWD][w.currency];
    let mut c = charge(id_number, ChargeStatus::ALL[w.status]);
    let money = |minor| Money::from_minor(minor, currency);
    let captured = w.amount * w.captured_share / 100;
    c.amount = money(w.amount);
    c.captured = money(captured);
    c.released = money(0);
    c.refunded = money(captured * w.refunded_share / 100);
    c.created = t0() + chrono::TimeDelta::minutes(w.minutes);
    c
}

/// The first column of every row `sql` answers, collected.
pub(super) fn column<T: rusqlite::types::FromSql, C: FromIterator<T>>(
    conn: &rusqlite::Connection,
    sql: &str,
) -> C {
    let mut statement = conn.prepare(sql).unwrap();
    statement
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|value| value.unwrap())
        .collect()
}

/// The rows of a seven-column rollup-shaped query, for comparing tables.
pub(super) fn table(store: &Store, sql: &str) -> Vec<(i64, i64, String, i64, i64, i64, i64)> {
    let mut statement = store.conn().prepare(sql).unwrap();
    statement
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap()
        .map(|row| row.unwrap())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_rollup_equals_group_by_after_any_inserts_and_updates(
        batches in prop::collection::vec(prop::collection::vec(write(), 1..6), 1..12)
    ) {
        let mut store = Store::open_in_memory().unwrap();
        let mut written = 0i64;
        for batch in &batches {
            let charges: Vec<Charge> = batch
                .iter()
                .map(|w| {
                    if w.new || written == 0 {
                        written += 1;
                        apply(w, written)
                    } else {
                        apply(w, 1 + (w.which % written as usize) as i64)
                    }
                })
                .collect();
            store.upsert_charges(&charges, t0()).unwrap();
        }
        prop_assert_eq!(
            table(&store, "SELECT day, status, currency, n, amount, captured, refunded \
                           FROM charge_rollup ORDER BY 1, 2, 3"),
            table(&store, &format!("{ROLLUP_BY_GROUP_BY} ORDER BY 1, 2, 3"))
        );
    }
}
