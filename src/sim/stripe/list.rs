//! Cursor lists (reference §2): newest first, `limit` 1..=100 (default 10),
//! `starting_after` / `ending_before` (mutually exclusive), `created` filters.
//!
//! Items are ordered by (created, insertion index), newest first. A cursor is any
//! existing object id of the listed kind, even one the filters exclude: paging
//! continues from its position. An unknown cursor id is a 404 `resource_missing`
//! naming the cursor parameter (the reference leaves 400 vs 404 open).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{StripeError, StripeResult, allow, int, ok};
use crate::sim::form::Params;
use crate::sim::ledger::Record;

pub(crate) const DEFAULT_LIMIT: i64 = 10;
pub(crate) const MAX_LIMIT: i64 = 100;

/// `created=N` or `created[gt|gte|lt|lte]=N`, in Unix seconds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Range {
    pub gt: Option<i64>,
    pub gte: Option<i64>,
    pub lt: Option<i64>,
    pub lte: Option<i64>,
}

impl Range {
    pub fn parse(p: &Params, name: &str) -> Result<Range, StripeError> {
        match p.get(name) {
            None | Some(Value::Null) => Ok(Range::default()),
            Some(Value::Object(m)) => {
                let mut r = Range::default();
                for k in m.keys() {
                    let v = int(p, &format!("{name}.{k}"))?;
                    match k.as_str() {
                        "gt" => r.gt = v,
                        "gte" => r.gte = v,
                        "lt" => r.lt = v,
                        "lte" => r.lte = v,
                        _ => {
                            return Err(StripeError::invalid(format!(
                                "Received unknown parameter: {name}[{k}]"
                            ))
                            .code("parameter_unknown")
                            .param(&format!("{name}[{k}]")));
                        }
                    }
                }
                Ok(r)
            }
            Some(_) => {
                let v = int(p, name)?;
                Ok(Range {
                    gte: v,
                    lte: v,
                    ..Range::default()
                })
            }
        }
    }

    pub fn contains(&self, t: i64) -> bool {
        self.gt.is_none_or(|b| t > b)
            && self.gte.is_none_or(|b| t >= b)
            && self.lt.is_none_or(|b| t < b)
            && self.lte.is_none_or(|b| t <= b)
    }
}

/// Which way a page goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Cursor {
    None,
    After(String),
    Before(String),
}

#[derive(Clone, Debug)]
pub(crate) struct ListQuery {
    pub limit: usize,
    pub cursor: Cursor,
    pub created: Range,
}

/// Validate `limit` (1..=100).
pub(crate) fn limit(p: &Params) -> Result<usize, StripeError> {
    let l = int(p, "limit")?.unwrap_or(DEFAULT_LIMIT);
    if l < 1 {
        return Err(StripeError::invalid(format!(
            "This value must be greater than or equal to 1 (it currently is '{l}')."
        ))
        .param("limit"));
    }
    if l > MAX_LIMIT {
        return Err(StripeError::invalid(format!(
            "This value must be less than or equal to {MAX_LIMIT} (it currently is '{l}')."
        ))
        .param("limit"));
    }
    Ok(usize::try_from(l).unwrap_or(10))
}

impl ListQuery {
    pub fn parse(p: &Params) -> Result<ListQuery, StripeError> {
        let limit = limit(p)?;
        let after = p.text("starting_after");
        let before = p.text("ending_before");
        let cursor = match (after, before) {
            (Some(_), Some(_)) => {
                return Err(StripeError::invalid(
                    "You may only specify one of these parameters: starting_after, ending_before.",
                ));
            }
            (Some(a), None) => Cursor::After(a),
            (None, Some(b)) => Cursor::Before(b),
            (None, None) => Cursor::None,
        };
        Ok(ListQuery {
            limit,
            cursor,
            created: Range::parse(p, "created")?,
        })
    }
}

/// 400 `parameter_unknown` for a parameter that is neither a cursor
/// (`limit`, `starting_after`, `ending_before`) nor one of the list's `own`.
pub(crate) fn allow_list(p: &Params, own: &[&str]) -> Result<(), StripeError> {
    let known: Vec<&str> = ["limit", "starting_after", "ending_before"]
        .into_iter()
        .chain(own.iter().copied())
        .collect();
    allow(p, &known)
}

/// The `charge` filter of `/v1/refunds` and `/v1/disputes`; a `payment_intent`
/// matches nothing (the simulator makes none).
pub(crate) struct ByCharge {
    charge: Option<String>,
    nothing: bool,
}

impl ByCharge {
    /// The list parameters that go with it.
    pub const PARAMS: [&str; 3] = ["charge", "payment_intent", "created"];

    pub fn parse(p: &Params) -> ByCharge {
        ByCharge {
            charge: p.text("charge"),
            nothing: p.has("payment_intent"),
        }
    }

    pub fn keeps(&self, charge: &str) -> bool {
        !self.nothing && self.charge.as_deref().is_none_or(|c| c == charge)
    }
}

/// [`paginate`] over ledger records.
pub(crate) fn page_of<'a, T: Record>(
    all: &'a [T],
    keep: impl Fn(&T) -> bool,
    q: &ListQuery,
) -> Result<(Vec<&'a T>, bool), StripeError> {
    paginate(all, T::token, T::created_at, keep, q, T::KIND)
}

/// `/v1/refunds` and `/v1/disputes`: the page of `records` that `p` asks for,
/// with [`ByCharge`] applied to each one's `charge_of`, rendered by `render`
/// in a list envelope for `url`.
pub(crate) fn by_charge<T: Record>(
    records: &[T],
    charge_of: impl Fn(&T) -> &str,
    p: &Params,
    url: &str,
    render: impl Fn(&T) -> Value,
) -> StripeResult {
    allow_list(p, &ByCharge::PARAMS)?;
    let lq = ListQuery::parse(p)?;
    let by = ByCharge::parse(p);
    listed(records, |r| by.keeps(charge_of(r)), &lq, url, render)
}

/// The page of the `records` that `keep` keeps which `q` asks for, rendered
/// by `render` in a list envelope for `url`.
pub(crate) fn listed<T: Record>(
    records: &[T],
    keep: impl Fn(&T) -> bool,
    q: &ListQuery,
    url: &str,
    render: impl Fn(&T) -> Value,
) -> StripeResult {
    let (page, more) = page_of(records, keep, q)?;
    ok(envelope(url, page.into_iter().map(render).collect(), more))
}

/// How [`listed_as`] reads the objects of a list that are not ledger records:
/// each one's id and creation time, and what the list calls them in a 404.
pub(crate) struct Listing<'f, T> {
    pub id: &'f dyn Fn(&T) -> &str,
    pub created: &'f dyn Fn(&T) -> DateTime<Utc>,
    pub kind: &'f str,
    pub url: &'f str,
}

/// [`listed`] for objects that are not ledger records (payouts, balance
/// transactions), read as `how` says.
pub(crate) fn listed_as<T>(
    all: &[T],
    how: &Listing<'_, T>,
    keep: impl Fn(&T) -> bool,
    q: &ListQuery,
    render: impl Fn(&T) -> Value,
) -> StripeResult {
    let (page, more) = paginate(all, how.id, how.created, keep, q, how.kind)?;
    ok(envelope(
        how.url,
        page.into_iter().map(render).collect(),
        more,
    ))
}

/// One page of `all` (insertion order) after filtering with `keep` and the
/// `created` range; returns the page (newest first) and `has_more`.
pub(crate) fn paginate<'a, T>(
    all: &'a [T],
    id: impl Fn(&T) -> &str,
    created: impl Fn(&T) -> DateTime<Utc>,
    keep: impl Fn(&T) -> bool,
    q: &ListQuery,
    kind: &str,
) -> Result<(Vec<&'a T>, bool), StripeError> {
    let key = |i: usize| (created(&all[i]), i);
    let cursor_key = |cid: &str, param: &str| {
        all.iter()
            .position(|t| id(t) == cid)
            .map(key)
            .ok_or_else(|| StripeError::missing(kind, cid, param))
    };
    let mut ix: Vec<usize> = (0..all.len())
        .filter(|&i| keep(&all[i]) && q.created.contains(created(&all[i]).timestamp()))
        .collect();
    ix.sort_by_key(|&i| std::cmp::Reverse(key(i)));
    let (page, more): (Vec<usize>, bool) = match &q.cursor {
        Cursor::None => {
            let more = ix.len() > q.limit;
            (ix.into_iter().take(q.limit).collect(), more)
        }
        Cursor::After(c) => {
            let k = cursor_key(c, "starting_after")?;
            let older: Vec<usize> = ix.into_iter().filter(|&i| key(i) < k).collect();
            let more = older.len() > q.limit;
            (older.into_iter().take(q.limit).collect(), more)
        }
        Cursor::Before(c) => {
            let k = cursor_key(c, "ending_before")?;
            let newer: Vec<usize> = ix.into_iter().filter(|&i| key(i) > k).collect();
            let more = newer.len() > q.limit;
            let skip = newer.len().saturating_sub(q.limit);
            (newer.into_iter().skip(skip).collect(), more)
        }
    };
    Ok((page.into_iter().map(|i| &all[i]).collect(), more))
}

/// `{"object": "list", "url": ..., "has_more": ..., "data": [...]}`
pub(crate) fn envelope(url: &str, data: Vec<Value>, has_more: bool) -> Value {
    json!({"object": "list", "url": url, "has_more": has_more, "data": data})
}
