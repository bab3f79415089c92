//! The SQL answers what `ChargeFilter::matches` answers: for filters of every shape,
//! over a store with several currencies, statuses, days, shared seconds, missing fields
//! and awkward text, a walk through every page (both ways, with every driver the filter
//! allows) returns exactly the matching charges in k order, and the totals and the
//! "newer than" counts equal sums taken in Rust.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::page::page;
use super::plan::{Driver, candidates};
use super::sql::Compiled;
use super::totals::searched_totals;
use super::{PageFrom, SHORT_TEXT_BUDGET, StoreKey, StorePage};
use crate::domain::{CardBrand, CardSummary, Charge, ChargeFilter, ChargeStatus};
use crate::money::{Currency, Money};
use crate::store::Store;

const CURRENCIES: [&str; 4] = ["AUD", "JPY", "KWD", "USD"];
const DESCRIPTIONS: [Option<&str>; 6] = [
    Some("Coffee beans"),
    Some("Pour-over KETTLE"),
    Some("gift card \"x\""),
    Some("100% cotton_tee"),
    Some("Crème brûlée"),
    None,
];

pub(super) fn start() -> DateTime<Utc> {
    DateTime::from_timestamp(1_764_000_000, 0).unwrap()
}

/// `n` charges over about five days, deterministic and varied.
pub(super) fn varied_charges(n: u64) -> Vec<Charge> {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    let mut created = start();
    (0..n)
        .map(|i| {
            // Every seventh charge shares the previous one's second (k's hash decides).
            if i % 7 != 0 {
                created += TimeDelta::milliseconds(next(3_600_000) as i64 + 1);
            }
            let currency = Currency::from_code(CURRENCIES[next(4) as usize]).unwrap();
            let amount = Money::from_minor(next(200_000) as i64 - 1_000, currency);
            let status = ChargeStatus::ALL[next(9) as usize];
            let captured = match status {
                ChargeStatus::Captured
                | ChargeStatus::PartiallyRefunded
                | ChargeStatus::Refunded
                | ChargeStatus::Disputed => amount,
                _ => Money::zero(currency),
            };
            let refunded = match status {
                ChargeStatus::Refunded => amount,
                ChargeStatus::PartiallyRefunded => Money::from_minor(next(500) as i64, currency),
                _ => Money::zero(currency),
            };
            let mut metadata = BTreeMap::new();
            if next(2) == 0 {
                metadata.insert("order".into(), format!("A-{i}"));
            }
            if next(5) == 0 {
                metadata.insert("note".into(), "line1\nline2 50%".into());
            }
            let id = if i % 3 == 0 {
                format!("ch_{i:05}")
            } else {
                format!("CH_x{i}y")
            };
            Charge {
                created,
                captured,
                refunded,
                email: (next(4) != 0).then(|| format!("Buyer{}@Example.com", i % 50)),
                description: DESCRIPTIONS[next(6) as usize].map(str::to_string),
                customer_id: (next(3) != 0).then(|| format!("cus_{}", i % 13)),
                card: (next(5) != 0).then(|| CardSummary {
                    brand: CardBrand::Visa,
                    last4: ["4242", "0005", "1881"][next(3) as usize].into(),
                    expiry_month: 1,
                    expiry_year: 2030,
                }),
                metadata,
                // A quarter with no known expiry; the rest from a day before their
                // creation to four days after, at odd milliseconds. Derived from `i`, not
                // `next`, so the other fields stay what they were.
                authorisation_expires: (i % 4 != 1).then(|| {
                    created
                        + TimeDelta::milliseconds(
                            (i as i64 * 7_919_933) % (5 * 86_400_000) - 86_400_000,
                        )
                }),
                ..Charge::bare(&id, amount, status)
            }
        })
        .collect()
}

/// The store and its charges, newest first, read back with their keys.
type Held = (Store, Vec<(StoreKey, Charge)>);

thread_local! {
    static STORE: RefCell<Option<Held>> = const { RefCell::new(None) };
}

/// Runs `check` against the shared varied store and its charges, newest first.
pub(super) fn with_store<T>(check: impl FnOnce(&Store, &[(StoreKey, Charge)]) -> T) -> T {
    STORE.with(|cell| {
        let mut slot = cell.borrow_mut();
        let (store, held) = slot.get_or_insert_with(|| {
            let mut store = Store::open_in_memory().unwrap();
            store.upsert_charges(&varied_charges(400), start()).unwrap();
            // Read straight from the table, not through the code under test.
            let held: Vec<(StoreKey, Charge)> = store
                .conn()
                .prepare("SELECT k, id FROM charge ORDER BY k DESC")
                .unwrap()
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
                .unwrap()
                .map(|row| {
                    let (k, id) = row.unwrap();
                    (StoreKey(k), store.charge(&id).unwrap().unwrap())
                })
                .collect();
            (store, held)
        });
        check(store, held)
    })
}

fn keys(rows: &[(StoreKey, Charge)]) -> Vec<StoreKey> {
    rows.iter().map(|(k, _)| *k).collect()
}

/// Every page of `filter` walked down from the newest and up from the oldest.
fn walks(
    store: &Store,
    filter: &ChargeFilter,
    limit: usize,
    driver: Option<Driver>,
) -> (Vec<StoreKey>, Vec<StoreKey>) {
    let read = |from| -> StorePage {
        page(store.conn(), filter, from, limit, driver, SHORT_TEXT_BUDGET)
            .unwrap()
            .page
    };
    let mut down = Vec::new();
    let mut from = PageFrom::Newest;
    loop {
        let got = read(from);
        assert!(got.rows.len() <= limit);
        let Some(last) = got.rows.last() else { break };
        from = PageFrom::Older(last.0);
        down.extend(keys(&got.rows));
    }
    let mut up_pages = Vec::new();
    let mut from = PageFrom::Oldest;
    loop {
        let got = read(from);
        let Some(first) = got.rows.first() else { break };
        from = PageFrom::Newer(first.0);
        up_pages.push(keys(&got.rows));
    }
    let up = up_pages.into_iter().rev().flatten().collect();
    (down, up)
}

fn expected_totals(matching: &[&Charge]) -> (u64, BTreeMap<String, [i64; 4]>) {
    let mut by = BTreeMap::<String, [i64; 4]>::new();
    for charge in matching {
        let entry = by.entry(charge.currency().code().into()).or_default();
        let captured = charge.captured.to_minor().unwrap();
        let refunded = charge.refunded.to_minor().unwrap();
        entry[0] += 1;
        entry[1] += captured;
        entry[2] += refunded;
        entry[3] += captured - refunded;
    }
    (matching.len() as u64, by)
}

fn check_agrees(filter: &ChargeFilter, limit: usize) {
    with_store(|store, held| {
        let matching: Vec<&(StoreKey, Charge)> =
            held.iter().filter(|(_, c)| filter.matches(c)).collect();
        let expected: Vec<StoreKey> = matching.iter().map(|(k, _)| *k).collect();
        let compiled = Compiled::new(store.conn(), filter).unwrap();
        let mut drivers: Vec<Option<Driver>> = vec![None];
        drivers.extend(candidates(&compiled).into_iter().map(Some));
        for driver in drivers {
            let (down, up) = walks(store, filter, limit, driver);
            assert_eq!(down, expected, "down, {driver:?}, {filter:?}");
            assert_eq!(up, expected, "up, {driver:?}, {filter:?}");
        }

        let totals = store.charge_totals(filter).unwrap();
        let charges: Vec<&Charge> = matching.iter().map(|(_, c)| c).collect();
        let (count, by) = expected_totals(&charges);
        assert_eq!(totals.count, count, "{filter:?}");
        let got: BTreeMap<String, [i64; 4]> = totals
            .by_currency
            .iter()
            .map(|t| {
                let minor = |m: Money| m.to_minor().unwrap();
                (
                    t.currency.code().to_string(),
                    [
                        t.count as i64,
                        minor(t.gross),
                        minor(t.refunded),
                        minor(t.net),
                    ],
                )
            })
            .collect();
        assert_eq!(got, by, "{filter:?}");

        // "Row N of M": a few positions, the first and the last among them.
        for (index, (k, _)) in matching.iter().enumerate().step_by(37) {
            assert_eq!(
                store.charge_count_newer(filter, *k).unwrap(),
                index as u64,
                "{filter:?}"
            );
        }
        if let Some((k, _)) = matching.last() {
            assert_eq!(
                store.charge_count_newer(filter, *k).unwrap(),
                matching.len() as u64 - 1
            );
        }
    });
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn at(hours: i64, ms: i64) -> DateTime<Utc> {
    start() + TimeDelta::hours(hours) + TimeDelta::milliseconds(ms)
}

fn statuses(list: &[ChargeStatus]) -> BTreeSet<ChargeStatus> {
    list.iter().copied().collect()
}

#[test]
fn every_shape_of_filter_pages_and_totals_as_matches_does() {
    use ChargeStatus::*;
    let base = ChargeFilter::default;
    let aud = Currency::from_code("AUD").unwrap();
    let eur = Currency::from_code("EUR").unwrap();
    let shapes = vec![
        base(),
        ChargeFilter {
            statuses: statuses(&[Disputed]),
            ..base()
        },
        ChargeFilter {
            statuses: statuses(&[Captured, Refunded, Expired]),
            ..base()
        },
        ChargeFilter {
            from: Some(at(30, 123)),
            until: Some(at(80, 999)),
            ..base()
        },
        // Under a day, and across midnight UTC.
        ChargeFilter {
            from: Some(at(20, 1)),
            until: Some(at(30, 0)),
            ..base()
        },
        ChargeFilter {
            until: Some(at(50, 0)),
            statuses: statuses(&[Captured, Declined]),
            currency: Some(aud),
            ..base()
        },
        ChargeFilter {
            currency: Some(Currency::JPY),
            ..base()
        },
        ChargeFilter {
            currency: Some(eur),
            ..base()
        },
        ChargeFilter {
            min_amount: Some(dec("10.005")),
            max_amount: Some(dec("250")),
            ..base()
        },
        ChargeFilter {
            min_amount: Some(dec("150000")),
            ..base()
        },
        ChargeFilter {
            max_amount: Some(dec("-0.0005")),
            currency: Some(Currency::KWD),
            ..base()
        },
        ChargeFilter {
            text: "cus_1".into(),
            ..base()
        },
        ChargeFilter {
            text: "  example.COM ".into(),
            ..base()
        },
        ChargeFilter {
            text: "ee".into(),
            ..base()
        },
        ChargeFilter {
            text: "4".into(),
            statuses: statuses(&[Authorised, Pending3ds]),
            ..base()
        },
        ChargeFilter {
            text: "kettle".into(),
            statuses: statuses(&[Captured]),
            from: Some(at(10, 0)),
            ..base()
        },
        ChargeFilter {
            text: "\"x\"".into(),
            ..base()
        },
        ChargeFilter {
            text: "0%".into(),
            ..base()
        },
        ChargeFilter {
            text: "n_t".into(),
            ..base()
        },
        ChargeFilter {
            text: "line1\nline2".into(),
            ..base()
        },
        ChargeFilter {
            text: "1\nl".into(),
            ..base()
        },
        ChargeFilter {
            text: "CRÈME".into(),
            ..base()
        },
        ChargeFilter {
            text: "x1".into(),
            min_amount: Some(dec("5")),
            ..base()
        },
        // `status:authorised expires:24h`, as the `:stats` screen opens it.
        ChargeFilter {
            statuses: statuses(&[Authorised]),
            expires_before: Some(at(60, 0)),
            ..base()
        },
        // Before every charge was created: only those already expired.
        ChargeFilter {
            expires_before: Some(at(-1, 0)),
            ..base()
        },
        ChargeFilter {
            expires_before: Some(at(90, 999)),
            from: Some(at(40, 0)),
            until: Some(at(100, 0)),
            currency: Some(aud),
            text: "cus_".into(),
            ..base()
        },
    ];
    for filter in &shapes {
        check_agrees(filter, 7);
    }
}

fn any_filter() -> impl Strategy<Value = ChargeFilter> {
    let status = proptest::sample::subsequence(ChargeStatus::ALL.to_vec(), 0..=3);
    let time = proptest::option::of((0i64..130, 0i64..3_600_000));
    let amount = proptest::option::weighted(
        0.3,
        prop_oneof![
            (-20i64..2_000).prop_map(Decimal::from),
            (-20_000i64..2_000_000, 0u32..4).prop_map(|(n, scale)| Decimal::new(n, scale)),
        ],
    );
    let currency = proptest::option::of(proptest::sample::select(vec![
        "AUD", "JPY", "KWD", "USD", "EUR",
    ]));
    let expires = proptest::option::weighted(0.3, (-30i64..150, 0i64..3_600_000, 0i64..1_000_000));
    // Half the filters without text or amount: those are the rollup's.
    let text = prop_oneof![
        2 => Just(String::new()),
        1 => proptest::sample::select(vec![
            "c", "CO", "e1", "42", "A-1", "a-3", "cus_", "BUYER4", "@example", "ch_0",
            "y", "\"", "%", "_", "é", "brûlée", "0 5", "line2 5", "zzz",
        ])
        .prop_map(str::to_string),
        1 => "[a-zA-Z0-9_@.-]{1,5}",
    ];
    (
        status,
        time.clone(),
        time,
        amount.clone(),
        amount,
        currency,
        text,
        expires,
    )
        .prop_map(
            |(statuses, from, until, min_amount, max_amount, currency, text, expires)| {
                ChargeFilter {
                    statuses: statuses.into_iter().collect(),
                    from: from.map(|(h, ms)| at(h, ms)),
                    until: until.map(|(h, ms)| at(h, ms)),
                    min_amount,
                    max_amount,
                    currency: currency.map(|c| Currency::from_code(c).unwrap()),
                    text,
                    // Sub-millisecond too: the store keeps whole milliseconds.
                    expires_before: expires
                        .map(|(h, ms, ns)| at(h, ms) + TimeDelta::nanoseconds(ns)),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn any_filter_pages_and_totals_as_matches_does(filter in any_filter(), limit in 1usize..40) {
        check_agrees(&filter, limit);
    }
}

#[test]
fn an_expiry_bound_at_a_charges_own_expiry_agrees_to_the_nanosecond() {
    let (exact, count) = with_store(|_, held| {
        let known: Vec<DateTime<Utc>> = held
            .iter()
            .filter_map(|(_, c)| c.authorisation_expires)
            .collect();
        (known[known.len() / 2], known.len())
    });
    // Most charges have an expiry, and some do not: both sides of the test are there.
    assert!(count > 250 && count < 400, "{count}");
    let mut matched = BTreeMap::new();
    for nanos in [-1_000_000, -1, 0, 1, 999_999, 1_000_000] {
        let filter = ChargeFilter {
            expires_before: Some(exact + TimeDelta::nanoseconds(nanos)),
            ..ChargeFilter::default()
        };
        let count = with_store(|_, held| held.iter().filter(|(_, c)| filter.matches(c)).count());
        matched.insert(nanos, count);
        check_agrees(&filter, 9);
    }
    // The charge expiring at `exact` is out at `exact` and in a nanosecond later.
    assert_eq!(matched[&-1], matched[&0]);
    assert!(matched[&1] > matched[&0]);
    assert_eq!(matched[&1], matched[&999_999]);
}

#[test]
fn a_short_needle_searches_a_bounded_stretch_and_says_how_far() {
    with_store(|store, held| {
        let filter = ChargeFilter {
            text: "A-".into(),
            ..ChargeFilter::default()
        };
        let searched = |from, budget| page(store.conn(), &filter, from, 100, None, budget).unwrap();
        let first = searched(PageFrom::Newest, 10);
        let scan = first.short_text.unwrap();
        assert_eq!(scan.looked_at, 10);
        assert_eq!(scan.reached, Some(held[9].0));
        assert!(!scan.complete);
        let expected: Vec<StoreKey> = held[..10]
            .iter()
            .filter(|(_, c)| filter.matches(c))
            .map(|(k, _)| *k)
            .collect();
        assert_eq!(keys(&first.page.rows), expected);
        // The next stretch starts past the last charge looked at.
        let next = searched(PageFrom::Older(held[9].0), 10);
        assert_eq!(next.short_text.unwrap().reached, Some(held[19].0));
        // A budget past the end of the store searches it all and says so.
        let all = searched(PageFrom::Older(held[held.len() - 5].0), 10);
        let scan = all.short_text.unwrap();
        assert_eq!((scan.looked_at, scan.complete), (4, true));
        // Needles of three characters or more go to the index and carry no reach.
        let indexed = ChargeFilter {
            text: "A-1".into(),
            ..ChargeFilter::default()
        };
        let page = store
            .charge_page_searched(&indexed, PageFrom::Newest, 5)
            .unwrap();
        assert_eq!(page.short_text, None);
        assert_eq!(page.page.rows.len(), 5);
    });
}

#[test]
fn a_short_needles_totals_cover_the_stretch_its_page_searched() {
    with_store(|store, held| {
        let filter = ChargeFilter {
            text: "A-".into(),
            statuses: [ChargeStatus::Captured, ChargeStatus::Declined].into(),
            ..ChargeFilter::default()
        };
        let sum_of = |rows: &[(StoreKey, Charge)]| {
            let matching: Vec<&Charge> = rows
                .iter()
                .map(|(_, c)| c)
                .filter(|c| filter.matches(c))
                .collect();
            expected_totals(&matching).0
        };
        let partial = searched_totals(store.conn(), &filter, 40).unwrap();
        assert_eq!(partial.totals.count, sum_of(&held[..40]));
        assert_eq!(
            partial.short_text,
            Some(super::ShortTextScan {
                looked_at: 40,
                reached: Some(held[39].0),
                complete: false
            })
        );
        let whole = store.charge_totals_searched(&filter).unwrap();
        assert_eq!(whole.totals, store.charge_totals(&filter).unwrap());
        assert_eq!(whole.totals.count, sum_of(held));
        let scan = whole.short_text.unwrap();
        assert_eq!(
            (scan.looked_at, scan.reached, scan.complete),
            (held.len() as u64, held.last().map(|(k, _)| *k), true)
        );
    });
}
