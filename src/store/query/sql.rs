//! A `ChargeFilter` as SQL predicates over `charge c`, exact to `ChargeFilter::matches`:
//! each part of the filter becomes one predicate, and the k range that the dates (and a
//! page's keyset bound) allow, so a plan can seek instead of scan.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::text::{fts_phrase, indexable, meta_predicate, needle};
use crate::domain::ChargeFilter;
use crate::money::Currency;
use crate::store::Result;
use crate::store::charge_row::CHARGE_COLUMNS;
use crate::store::status_code::status_code;

/// Numbered parameters: the text of a predicate names `?N`, so one predicate can be
/// repeated in several arms of a UNION and bound once.
#[derive(Debug, Default)]
pub(super) struct Params(pub Vec<Value>);

impl Params {
    pub fn bind(&mut self, value: impl Into<Value>) -> String {
        self.0.push(value.into());
        format!("?{}", self.0.len())
    }
}

/// `[lo, hi)` on k; `None` is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct KeyRange {
    pub lo: Option<i64>,
    pub hi: Option<i64>,
}

impl KeyRange {
    /// Every k a charge created in `[from_ms, until_ms)` can have. k is the creation
    /// second shifted left 20 bits plus a hash probed upwards on a collision, so the
    /// upper end keeps one second of slack for a probe that spilt over.
    pub fn for_time(from_ms: Option<i64>, until_ms: Option<i64>) -> KeyRange {
        KeyRange {
            lo: from_ms.map(|ms| ms.div_euclid(1000).saturating_mul(1 << 20)),
            hi: until_ms.map(|ms| {
                (ms.saturating_sub(1).div_euclid(1000).saturating_add(2)).saturating_mul(1 << 20)
            }),
        }
    }

    pub fn and(self, other: KeyRange) -> KeyRange {
        KeyRange {
            lo: max_of(self.lo, other.lo),
            hi: min_of(self.hi, other.hi),
        }
    }

    /// The predicates, on `column` (`c.k`, or an FTS table's `rowid`).
    pub fn predicates(&self, column: &str, params: &mut Params) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(lo) = self.lo {
            out.push(format!("{column} >= {}", params.bind(lo)));
        }
        if let Some(hi) = self.hi {
            out.push(format!("{column} < {}", params.bind(hi)));
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        matches!((self.lo, self.hi), (Some(lo), Some(hi)) if lo >= hi)
    }
}

fn max_of(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn min_of(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// One currency's amount bounds in its own minor units, inclusive; `None` is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AmountRange {
    pub currency: String,
    pub lo: Option<i64>,
    pub hi: Option<i64>,
}

impl AmountRange {
    pub fn predicate(&self, params: &mut Params) -> String {
        let mut parts = vec![format!(
            "c.currency = {}",
            params.bind(self.currency.clone())
        )];
        if let Some(lo) = self.lo {
            parts.push(format!("c.amount >= {}", params.bind(lo)));
        }
        if let Some(hi) = self.hi {
            parts.push(format!("c.amount <= {}", params.bind(hi)));
        }
        parts.join(" AND ")
    }
}

/// A filter read against one store: its times in milliseconds, its statuses as stored
/// codes, and its amount bounds expanded per currency the store holds.
#[derive(Debug, Clone)]
pub(super) struct Compiled {
    pub statuses: Vec<i64>,
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub currency: Option<String>,
    /// `None`: no amount bound. `Some(empty)`: no charge can match.
    pub amounts: Option<Vec<AmountRange>>,
    /// The trimmed free text, if any.
    pub text: Option<String>,
    /// `auth_expires` (whole ms) below this; rounded up from the filter's instant, since
    /// for a whole-ms time `t < x` is `t < ceil(x)`.
    pub expires_before_ms: Option<i64>,
}

impl Compiled {
    pub fn new(conn: &Connection, filter: &ChargeFilter) -> Result<Compiled> {
        let amounts = if filter.min_amount.is_some() || filter.max_amount.is_some() {
            let codes = match filter.currency {
                Some(currency) => vec![currency.code().to_string()],
                None => held_currencies(conn)?,
            };
            Some(
                codes
                    .into_iter()
                    .filter_map(|code| {
                        let exponent = Currency::from_code(&code).ok()?.exponent();
                        amount_range(code, exponent, filter.min_amount, filter.max_amount)
                    })
                    .collect(),
            )
        } else {
            None
        };
        Ok(Compiled {
            statuses: filter.statuses.iter().map(|s| status_code(*s)).collect(),
            from_ms: filter.from.map(|t| t.timestamp_millis()),
            until_ms: filter.until.map(|t| t.timestamp_millis()),
            currency: filter.currency.map(|c| c.code().to_string()),
            amounts,
            text: needle(&filter.text).map(str::to_string),
            expires_before_ms: filter.expires_before.map(ceil_millis),
        })
    }

    pub fn time_keys(&self) -> KeyRange {
        KeyRange::for_time(self.from_ms, self.until_ms)
    }

    /// Whether the free text is too short for the trigram index.
    pub fn has_short_text(&self) -> bool {
        self.text.as_deref().is_some_and(|t| !indexable(t))
    }

    /// Whether the rollup can answer: no amount bound, no text and no expiry (the
    /// rollup keeps no expiry times).
    pub fn rollup_answers(&self) -> bool {
        self.amounts.is_none() && self.text.is_none() && self.expires_before_ms.is_none()
    }

    /// Every predicate of the filter on `charge c` (text included as an exact
    /// substring test, whatever index drives), joined with AND; "1" if none.
    pub fn predicates(&self, params: &mut Params) -> String {
        let mut parts = self.structured(params);
        if let Some(text) = &self.text {
            parts.push(text_predicate(text, params));
        }
        join_and(parts)
    }

    /// The predicates without the free text.
    pub fn structured(&self, params: &mut Params) -> Vec<String> {
        let mut parts = Vec::new();
        if !self.statuses.is_empty() {
            let codes: Vec<String> = self.statuses.iter().map(|s| params.bind(*s)).collect();
            parts.push(format!("c.status IN ({})", codes.join(", ")));
        }
        if let Some(from) = self.from_ms {
            parts.push(format!("c.created >= {}", params.bind(from)));
        }
        if let Some(until) = self.until_ms {
            parts.push(format!("c.created < {}", params.bind(until)));
        }
        if let Some(currency) = &self.currency {
            parts.push(format!("c.currency = {}", params.bind(currency.clone())));
        }
        if let Some(before) = self.expires_before_ms {
            parts.push(format!(
                "c.auth_expires IS NOT NULL AND c.auth_expires < {}",
                params.bind(before)
            ));
        }
        if let Some(ranges) = &self.amounts {
            let terms: Vec<String> = ranges
                .iter()
                .map(|r| format!("({})", r.predicate(params)))
                .collect();
            parts.push(if terms.is_empty() {
                "0".into()
            } else {
                format!("({})", terms.join(" OR "))
            });
        }
        parts
    }
}

/// `FROM … WHERE …` over the rows of `compiled` whose k is in `keys`: driven by the
/// trigram index when the free text can use it, else by k.
pub(super) fn scan_from(compiled: &Compiled, keys: KeyRange, params: &mut Params) -> String {
    let rest = compiled.predicates(params);
    match compiled.text.as_deref().filter(|t| indexable(t)) {
        Some(text) => {
            let mut parts = vec![format!(
                "charge_fts MATCH {}",
                params.bind(fts_phrase(text))
            )];
            parts.extend(keys.predicates("charge_fts.rowid", params));
            parts.push(rest);
            format!(
                "FROM charge_fts CROSS JOIN charge c ON c.k = charge_fts.rowid WHERE {}",
                parts.join(" AND ")
            )
        }
        None => {
            let mut parts = keys.predicates("c.k", params);
            parts.push(rest);
            format!("FROM charge c WHERE {}", parts.join(" AND "))
        }
    }
}

pub(super) fn join_and(parts: Vec<String>) -> String {
    if parts.is_empty() {
        "1".into()
    } else {
        parts.join(" AND ")
    }
}

/// `ChargeFilter::matches_text` in SQL: an ASCII-case-insensitive substring of any
/// searched field. SQLite's built-in `lower` folds ASCII only, as the filter does, and
/// `instr` has no wildcards to escape.
pub(super) fn text_predicate(text: &str, params: &mut Params) -> String {
    let n = params.bind(text.to_ascii_lowercase());
    let fields = [
        "c.id",
        "c.email",
        "c.description",
        "c.customer_id",
        "c.last4",
    ]
    .map(|field| format!("instr(lower({field}), {n}) > 0"));
    format!("({} OR {})", fields.join(" OR "), meta_predicate(text, &n))
}

/// `time` in milliseconds, rounded up.
fn ceil_millis(time: DateTime<Utc>) -> i64 {
    let ms = time.timestamp_millis();
    if time.timestamp_subsec_nanos().is_multiple_of(1_000_000) {
        ms
    } else {
        ms.saturating_add(1)
    }
}

/// The store's currencies, by a skip-scan of the currency index: one seek each.
fn held_currencies(conn: &Connection) -> Result<Vec<String>> {
    let mut next = conn.prepare_cached("SELECT min(currency) FROM charge WHERE currency > ?1")?;
    let mut codes = Vec::new();
    let mut after = String::new();
    // ISO 4217 has under 200 currencies; the bound is only against a damaged file.
    while codes.len() < 1000 {
        let found: Option<String> = next.query_row([&after], |r| r.get(0)).optional()?.flatten();
        let Some(code) = found else { break };
        after = code.clone();
        codes.push(code);
    }
    Ok(codes)
}

/// The minor-unit bounds of `min..=max` (major units) in a currency of `exponent`
/// digits, compared exactly: `None` when no amount of that currency can match.
fn amount_range(
    currency: String,
    exponent: u32,
    min: Option<Decimal>,
    max: Option<Decimal>,
) -> Option<AmountRange> {
    let lo = match min.map(|m| scaled(m, exponent, true)) {
        None | Some(Scaled::Below) => None,
        Some(Scaled::Above) => return None,
        Some(Scaled::At(v)) => Some(v),
    };
    let hi = match max.map(|m| scaled(m, exponent, false)) {
        None | Some(Scaled::Above) => None,
        Some(Scaled::Below) => return None,
        Some(Scaled::At(v)) => Some(v),
    };
    if let (Some(lo), Some(hi)) = (lo, hi)
        && lo > hi
    {
        return None;
    }
    Some(AmountRange { currency, lo, hi })
}

enum Scaled {
    /// Below every i64 amount.
    Below,
    At(i64),
    /// Above every i64 amount.
    Above,
}

/// `major` in minor units, rounded up for a lower bound (an amount ≥ 10.005 AUD is
/// ≥ 1001 cents) and down for an upper one.
fn scaled(major: Decimal, exponent: u32, up: bool) -> Scaled {
    let out_of_range = if major.is_sign_negative() {
        Scaled::Below
    } else {
        Scaled::Above
    };
    let Some(minor) = major.checked_mul(Decimal::from(10i64.pow(exponent))) else {
        return out_of_range;
    };
    let rounded = if up { minor.ceil() } else { minor.floor() };
    match rounded.to_i64() {
        Some(v) => Scaled::At(v),
        None => out_of_range,
    }
}

/// `CHARGE_COLUMNS` qualified with `c.`, for queries that join the FTS table (whose
/// columns share names with charge's).
pub(super) fn columns() -> &'static str {
    static COLUMNS: OnceLock<String> = OnceLock::new();
    COLUMNS.get_or_init(|| {
        CHARGE_COLUMNS
            .split(',')
            .map(|column| format!("c.{}", column.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// How many columns `columns()` selects (a query's own columns come after them).
pub(super) fn column_count() -> usize {
    CHARGE_COLUMNS.split(',').count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn amount_bounds_round_inward_in_each_currencys_own_units() {
        let aud = amount_range("AUD".into(), 2, Some(dec("10.005")), Some(dec("20.999")));
        assert_eq!(aud.map(|r| (r.lo, r.hi)), Some((Some(1001), Some(2099))));
        let jpy = amount_range("JPY".into(), 0, Some(dec("10.5")), None);
        assert_eq!(jpy.map(|r| (r.lo, r.hi)), Some((Some(11), None)));
        let kwd = amount_range("KWD".into(), 3, None, Some(dec("-0.0005")));
        assert_eq!(kwd.map(|r| (r.lo, r.hi)), Some((None, Some(-1))));
        // Nothing fits between 10.001 and 10.009 in whole yen.
        assert_eq!(
            amount_range("JPY".into(), 0, Some(dec("10.001")), Some(dec("10.009"))),
            None
        );
        // Bounds beyond any i64 amount: open below, nothing above.
        let huge = dec("79228162514264337593543950335");
        assert_eq!(
            amount_range("AUD".into(), 2, Some(-huge), None).map(|r| r.lo),
            Some(None)
        );
        assert_eq!(amount_range("AUD".into(), 2, Some(huge), None), None);
    }

    #[test]
    fn an_expiry_bound_rounds_up_to_the_next_whole_millisecond() {
        let at = |ms: i64, ns: u32| {
            DateTime::from_timestamp_millis(ms).unwrap() + chrono::TimeDelta::nanoseconds(ns.into())
        };
        assert_eq!(ceil_millis(at(1_500, 0)), 1_500);
        // An expiry at 1.500 s is before 1.5000001 s, so it must stay in.
        assert_eq!(ceil_millis(at(1_500, 100)), 1_501);
        assert_eq!(ceil_millis(at(-1_500, 999_999)), -1_499);
    }

    #[test]
    fn a_time_range_keeps_every_key_its_charges_can_have() {
        let range = KeyRange::for_time(Some(1_500), Some(3_000));
        assert_eq!(range.lo, Some(1 << 20));
        // Created up to 2.999 s: second 2, plus a second of slack for a probe.
        assert_eq!(range.hi, Some(4 << 20));
        assert!(KeyRange::for_time(Some(5_000), Some(5_000)).hi > Some(5 << 20));
    }
}
