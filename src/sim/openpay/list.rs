//! Openpay's list parameters: `creation`, `creation[gte]`, `creation[lte]`
//! (`yyyy-mm-dd`, in Openpay's time zone), `amount`, `amount[gte]`,
//! `amount[lte]` (decimal major units), `status`, `order_id`, `external_id`,
//! and `offset` / `limit` paging (default 0 / 10, `limit` at most 100).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::error::OpenpayError;
use super::render;
use crate::sim::common::major_units;

/// Largest page.
pub(crate) const MAX_LIMIT: usize = 100;
const DEFAULT_LIMIT: usize = 10;

/// The query string as flat `name=value` pairs (brackets kept in names).
#[derive(Debug, Default)]
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(raw: Option<&str>) -> Result<Self, OpenpayError> {
        serde_urlencoded::from_str(raw.unwrap_or(""))
            .map(Query)
            .map_err(|e| OpenpayError::bad_request(format!("Bad query string: {e}")))
    }

    /// The last value given for `name`, trimmed; `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn count(&self, name: &str, default: usize) -> Result<usize, OpenpayError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v.parse::<usize>().map_err(|_| {
                OpenpayError::bad_request(format!("{name} must be a whole number of zero or more"))
            }),
        }
    }

    fn date(&self, name: &str) -> Result<Option<NaiveDate>, OpenpayError> {
        self.get(name)
            .map(|v| {
                NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                    OpenpayError::bad_request(format!("{name} must be a date as yyyy-mm-dd"))
                })
            })
            .transpose()
    }

    fn decimal(&self, name: &str) -> Result<Option<Decimal>, OpenpayError> {
        self.get(name)
            .map(|v| {
                major_units::parse_decimal(v).ok_or_else(|| {
                    OpenpayError::bad_request(format!("{name} must be a decimal number"))
                })
            })
            .transpose()
    }
}

/// `offset` and `limit`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Page {
    pub offset: usize,
    pub limit: usize,
}

impl Page {
    pub fn parse(q: &Query) -> Result<Self, OpenpayError> {
        let offset = q.count("offset", 0)?;
        let limit = q.count("limit", DEFAULT_LIMIT)?;
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(OpenpayError::bad_request(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        Ok(Page { offset, limit })
    }

    /// A list route's query string and the page it asks for.
    pub fn read(raw: Option<&str>) -> Result<(Query, Page), OpenpayError> {
        let q = Query::parse(raw)?;
        let page = Page::parse(&q)?;
        Ok((q, page))
    }

    /// The page of `items` (already filtered and ordered).
    pub fn apply<T>(self, items: impl Iterator<Item = T>) -> Vec<T> {
        items.skip(self.offset).take(self.limit).collect()
    }
}

/// A filter on one value: `name`, `name[gte]` and `name[lte]`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds<T> {
    eq: Option<T>,
    gte: Option<T>,
    lte: Option<T>,
}

impl<T: PartialOrd> Bounds<T> {
    fn read(
        name: &str,
        read: impl Fn(&str) -> Result<Option<T>, OpenpayError>,
    ) -> Result<Self, OpenpayError> {
        Ok(Bounds {
            eq: read(name)?,
            gte: read(&format!("{name}[gte]"))?,
            lte: read(&format!("{name}[lte]"))?,
        })
    }

    /// True when `x` passes every bound given.
    pub fn contains(&self, x: &T) -> bool {
        self.eq.as_ref().is_none_or(|v| x == v)
            && self.gte.as_ref().is_none_or(|v| x >= v)
            && self.lte.as_ref().is_none_or(|v| x <= v)
    }
}

/// The creation-date filters, compared on the local date in Openpay's zone.
pub(crate) type Creation = Bounds<NaiveDate>;

impl Creation {
    pub fn parse(q: &Query) -> Result<Self, OpenpayError> {
        Bounds::read("creation", |name| q.date(name))
    }

    pub fn matches(&self, t: DateTime<Utc>) -> bool {
        self.contains(&render::local_date(t))
    }
}

/// The amount filters (major units, exact).
pub(crate) type Amount = Bounds<Decimal>;

impl Amount {
    pub fn parse(q: &Query) -> Result<Self, OpenpayError> {
        Bounds::read("amount", |name| q.decimal(name))
    }
}

/// Every status Openpay documents for a transaction, lower case.
pub(crate) const STATUSES: [&str; 9] = [
    "in_progress",
    "completed",
    "refunded",
    "chargeback_pending",
    "chargeback_accepted",
    "chargeback_adjustment",
    "charge_pending",
    "cancelled",
    "failed",
];

/// The `status` filter, lower-cased (Openpay documents it in upper case).
pub(crate) fn status(q: &Query) -> Result<Option<String>, OpenpayError> {
    match q.get("status").map(str::to_ascii_lowercase) {
        None => Ok(None),
        Some(s) if STATUSES.contains(&s.as_str()) => Ok(Some(s)),
        Some(s) => Err(OpenpayError::bad_request(format!(
            "status '{s}' is not one of {}",
            STATUSES.join(", ").to_ascii_uppercase()
        ))),
    }
}
