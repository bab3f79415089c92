//! The Search API (`/v1/charges/search`, `/v1/customers/search`) and its query
//! language (reference §2):
//!
//! * clause = `[-]field op value`; clauses are joined by spaces or `AND` (all must
//!   hold) or by `OR` (any); a query may not mix `AND` and `OR`; no parentheses.
//! * ops: `:` exact (case-insensitive), `~` substring (string fields, ≥ 3 chars),
//!   `>`, `<`, `>=`, `<=`, `=` (numeric fields). `field:null` tests absence.
//! * values: `'single'` or `"double"` quoted (backslash escapes), or bare
//!   (numbers, `null`, and — leniently — single words).
//! * `metadata['key']` / `metadata["key"]` fields are tokens.
//!
//! Results are newest first and immediately consistent (real Stripe may lag up
//! to a minute). `next_page` is an opaque token bound to the query; `page` with
//! another query's token is a 400. `total_count` appears with `expand[]=total_count`.

use std::sync::Arc;

use axum::extract::State;
use base64::Engine;
use serde_json::{Value, json};

use super::list::limit;
use super::render::{self, ChargeExpand, amount_refunded, customer_name};
use super::test_cards::brand;
use super::{QueryParams, StripeError, StripeResult, StripeState, allow, expands, ok};
use crate::sim::ledger::{Charge, ChargeState, Customer, Ledger, Record, Table};

const MAX_QUERY: usize = 5000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Numeric,
    Token,
    Str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Exact,
    Substring,
    Gt,
    Lt,
    Ge,
    Le,
    Eq,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FieldRef {
    Named(String),
    Metadata(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Val {
    Null,
    Text(String),
    Num(i64),
}

/// A record's value for a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Fv {
    Absent,
    Num(i64),
    Text(String),
}

#[derive(Clone, Debug)]
pub(crate) struct Clause {
    negate: bool,
    field: FieldRef,
    kind: Kind,
    op: Op,
    value: Val,
}

#[derive(Clone, Debug)]
pub(crate) struct Query {
    clauses: Vec<Clause>,
    any: bool,
}

fn syntax(detail: &str) -> StripeError {
    StripeError::invalid(format!(
        "We were unable to parse your search query: {detail}. Try using the format `metadata[\"key\"]:\"value\"` to query for metadata or `key:\"value\"` to query for other fields."
    ))
    .param("query")
}

struct Lexer<'a> {
    s: &'a [u8],
    i: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn quoted(&mut self) -> Result<String, StripeError> {
        let Some(q) = self.peek() else {
            return Err(syntax("expected a value"));
        };
        self.i += 1;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return Err(syntax("unterminated quoted value")),
                Some(b'\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(b) => out.push(b),
                        None => return Err(syntax("unterminated quoted value")),
                    }
                    self.i += 1;
                }
                Some(b) if b == q => {
                    self.i += 1;
                    break;
                }
                Some(b) => {
                    out.push(b);
                    self.i += 1;
                }
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// The next whitespace-delimited word, without consuming it.
    fn word(&self) -> &str {
        let end = self.s[self.i..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(self.s.len(), |n| self.i + n);
        std::str::from_utf8(&self.s[self.i..end]).unwrap_or("")
    }

    fn field(&mut self) -> Result<FieldRef, StripeError> {
        let start = self.i;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        {
            self.i += 1;
        }
        let name = std::str::from_utf8(&self.s[start..self.i])
            .unwrap_or("")
            .to_string();
        if name.is_empty() {
            return Err(syntax("expected a field name"));
        }
        if self.peek() == Some(b'[') {
            if name != "metadata" {
                return Err(syntax(&format!("field `{name}` takes no key")));
            }
            self.i += 1;
            if !matches!(self.peek(), Some(b'\'' | b'"')) {
                return Err(syntax("metadata keys must be quoted"));
            }
            let key = self.quoted()?;
            if self.peek() != Some(b']') {
                return Err(syntax("expected `]` after the metadata key"));
            }
            self.i += 1;
            return Ok(FieldRef::Metadata(key));
        }
        Ok(FieldRef::Named(name))
    }

    fn op(&mut self) -> Result<Op, StripeError> {
        let two = self.s.get(self.i..self.i + 2);
        let (op, n) = match (two, self.peek()) {
            (Some(b">="), _) => (Op::Ge, 2),
            (Some(b"<="), _) => (Op::Le, 2),
            (_, Some(b':')) => (Op::Exact, 1),
            (_, Some(b'~')) => (Op::Substring, 1),
            (_, Some(b'>')) => (Op::Gt, 1),
            (_, Some(b'<')) => (Op::Lt, 1),
            (_, Some(b'=')) => (Op::Eq, 1),
            _ => return Err(syntax("expected an operator (:, ~, >, <, >=, <=, =)")),
        };
        self.i += n;
        Ok(op)
    }

    fn value(&mut self) -> Result<(String, bool), StripeError> {
        match self.peek() {
            Some(b'\'' | b'"') => Ok((self.quoted()?, true)),
            Some(b) if !b.is_ascii_whitespace() => {
                let w = self.word().to_string();
                self.i += w.len();
                Ok((w, false))
            }
            _ => Err(syntax("expected a value")),
        }
    }
}

/// Parse `q` against a resource's field types.
pub(crate) fn parse(
    q: &str,
    schema: impl Fn(&FieldRef) -> Option<Kind>,
) -> Result<Query, StripeError> {
    if q.trim().is_empty() {
        return Err(StripeError::invalid("Missing required param: query.")
            .code("parameter_missing")
            .param("query"));
    }
    if q.len() > MAX_QUERY {
        return Err(StripeError::invalid(format!(
            "The query may be at most {MAX_QUERY} characters."
        ))
        .param("query"));
    }
    let mut lx = Lexer {
        s: q.as_bytes(),
        i: 0,
    };
    let mut clauses = Vec::new();
    let mut joiner: Option<bool> = None;
    let mut pending_joiner = false;
    loop {
        lx.skip_ws();
        if lx.peek().is_none() {
            break;
        }
        let w = lx.word();
        let is_and = w.eq_ignore_ascii_case("and");
        let is_or = w.eq_ignore_ascii_case("or");
        if is_and || is_or {
            if clauses.is_empty() || pending_joiner {
                return Err(syntax(&format!("unexpected `{w}`")));
            }
            if joiner.is_some_and(|j| j != is_or) {
                return Err(syntax("a query may not mix AND and OR"));
            }
            joiner = Some(is_or);
            pending_joiner = true;
            lx.i += w.len();
            continue;
        }
        let negate = lx.peek() == Some(b'-');
        if negate {
            lx.i += 1;
        }
        let field = lx.field()?;
        let op = lx.op()?;
        let (raw, quoted) = lx.value()?;
        let name = match &field {
            FieldRef::Named(n) => n.clone(),
            FieldRef::Metadata(k) => format!("metadata[\"{k}\"]"),
        };
        let kind = schema(&field).ok_or_else(|| {
            StripeError::invalid(format!(
                "Field `{name}` is an unsupported search field for this resource."
            ))
            .param("query")
        })?;
        let value = if !quoted && raw == "null" {
            if op != Op::Exact {
                return Err(syntax("`null` can only be used with `:`"));
            }
            Val::Null
        } else if kind == Kind::Numeric {
            if op == Op::Substring {
                return Err(syntax(&format!(
                    "`~` is not supported for numeric field `{name}`"
                )));
            }
            Val::Num(
                raw.parse()
                    .map_err(|_| syntax(&format!("`{name}` takes a number, not `{raw}`")))?,
            )
        } else {
            match op {
                Op::Exact => {}
                Op::Substring if kind == Kind::Str => {
                    if raw.chars().count() < 3 {
                        return Err(syntax("substring (`~`) values need at least 3 characters"));
                    }
                }
                _ => {
                    return Err(syntax(&format!(
                        "this operator is not supported for field `{name}`"
                    )));
                }
            }
            Val::Text(raw)
        };
        clauses.push(Clause {
            negate,
            field,
            kind,
            op,
            value,
        });
        pending_joiner = false;
    }
    if pending_joiner {
        return Err(syntax("the query ends with AND/OR"));
    }
    Ok(Query {
        clauses,
        any: joiner == Some(true),
    })
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| {
        !c.is_alphanumeric() && c != '@' && c != '.' && c != '_' && c != '-' && c != '+'
    })
    .filter(|w| !w.is_empty())
    .map(str::to_lowercase)
    .collect()
}

fn clause_matches(c: &Clause, v: &Fv) -> bool {
    let hit = match (&c.value, v) {
        (Val::Null, Fv::Absent) => true,
        (Val::Null, _) | (_, Fv::Absent) => false,
        (Val::Num(want), Fv::Num(have)) => match c.op {
            Op::Gt => have > want,
            Op::Lt => have < want,
            Op::Ge => have >= want,
            Op::Le => have <= want,
            _ => have == want,
        },
        (Val::Text(want), Fv::Text(have)) => match (c.kind, c.op) {
            (Kind::Str, Op::Substring) => have.to_lowercase().contains(&want.to_lowercase()),
            (Kind::Str, _) => {
                let (h, w) = (words(have), words(want));
                have.eq_ignore_ascii_case(want)
                    || (!w.is_empty() && h.windows(w.len()).any(|win| win == w.as_slice()))
            }
            _ => have.eq_ignore_ascii_case(want),
        },
        _ => false,
    };
    hit != c.negate
}

impl Query {
    pub(crate) fn matches(&self, value: impl Fn(&FieldRef) -> Fv) -> bool {
        let mut each = self
            .clauses
            .iter()
            .map(|c| clause_matches(c, &value(&c.field)));
        if self.any {
            each.any(|b| b)
        } else {
            each.all(|b| b)
        }
    }
}

fn text(s: &str) -> Fv {
    if s.is_empty() {
        Fv::Absent
    } else {
        Fv::Text(s.to_string())
    }
}

fn meta(pairs: &[(String, String)], k: &str) -> Fv {
    pairs
        .iter()
        .find(|(mk, _)| mk == k)
        .map_or(Fv::Absent, |(_, v)| Fv::Text(v.clone()))
}

fn charge_field(name: &str) -> Option<Kind> {
    match name {
        "amount" | "created" => Some(Kind::Numeric),
        "currency"
        | "customer"
        | "disputed"
        | "refunded"
        | "status"
        | "billing_details.address.postal_code"
        | "payment_method_details.card.last4"
        | "payment_method_details.card.exp_month"
        | "payment_method_details.card.exp_year"
        | "payment_method_details.card.brand"
        | "payment_method_details.card.fingerprint" => Some(Kind::Token),
        _ => None,
    }
}

fn charge_value(c: &Charge, name: &str) -> Fv {
    match name {
        "amount" => Fv::Num(c.amount),
        "created" => Fv::Num(c.created_at.timestamp()),
        "currency" => Fv::Text(c.currency.to_ascii_lowercase()),
        "customer" => c.customer_token.as_deref().map_or(Fv::Absent, text),
        "disputed" => Fv::Text(c.active_chargebacks.to_string()),
        "refunded" => match amount_refunded(c) {
            0 => Fv::Absent,
            r if r >= c.amount => Fv::Text("true".into()),
            _ => Fv::Text("false".into()),
        },
        "status" => Fv::Text(
            match c.state {
                ChargeState::Declined { .. } => "failed",
                ChargeState::PendingAuthentication => "pending",
                _ => "succeeded",
            }
            .into(),
        ),
        "billing_details.address.postal_code" => {
            c.card.address_postcode.as_deref().map_or(Fv::Absent, text)
        }
        "payment_method_details.card.last4" => text(&c.card.last4),
        "payment_method_details.card.exp_month" => Fv::Text(c.card.expiry_month.to_string()),
        "payment_method_details.card.exp_year" => Fv::Text(c.card.expiry_year.to_string()),
        "payment_method_details.card.brand" => Fv::Text(brand(&c.card.scheme).into()),
        _ => Fv::Absent,
    }
}

fn customer_field(name: &str) -> Option<Kind> {
    match name {
        "created" => Some(Kind::Numeric),
        "email" | "name" | "phone" => Some(Kind::Str),
        _ => None,
    }
}

fn customer_value(c: &Customer, name: &str) -> Fv {
    match name {
        "created" => Fv::Num(c.created_at.timestamp()),
        "email" => text(&c.email),
        "name" => customer_name(c).map_or(Fv::Absent, Fv::Text),
        "phone" => c.phone_number.as_deref().map_or(Fv::Absent, text),
        _ => Fv::Absent,
    }
}

fn query_hash(q: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in q.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn encode_page(q: &str, last_id: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("v1:{}:{last_id}", query_hash(q)))
}

fn decode_page(q: &str, page: &str) -> Result<String, StripeError> {
    let bad = || StripeError::invalid(format!("Invalid page: '{page}'")).param("page");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(page)
        .map_err(|_| bad())?;
    let s = String::from_utf8(raw).map_err(|_| bad())?;
    let mut parts = s.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("v1"), Some(h), Some(id)) if h == query_hash(q) => Ok(id.to_string()),
        _ => Err(bad()),
    }
}

/// How to search one kind of ledger record: the kind and value of each named
/// field; `metadata['key']` is a token of every kind.
struct Resource<T: 'static> {
    url: &'static str,
    /// Every record of the kind, in insertion order.
    records: fn(&Ledger) -> &Table<T>,
    field: fn(&str) -> Option<Kind>,
    value: fn(&T, &str) -> Fv,
    keep: fn(&T) -> bool,
    render: fn(&Ledger, &T) -> Value,
}

/// A record whose metadata a query may name (`metadata['key']`).
trait Labelled {
    fn metadata(&self) -> &[(String, String)];
}

impl Labelled for Charge {
    fn metadata(&self) -> &[(String, String)] {
        &self.metadata
    }
}

impl Labelled for Customer {
    fn metadata(&self) -> &[(String, String)] {
        &self.metadata
    }
}

impl<T: Labelled> Resource<T> {
    fn schema(&self, f: &FieldRef) -> Option<Kind> {
        match f {
            FieldRef::Metadata(_) => Some(Kind::Token),
            FieldRef::Named(name) => (self.field)(name),
        }
    }

    fn value(&self, item: &T, f: &FieldRef) -> Fv {
        match f {
            FieldRef::Metadata(k) => meta(item.metadata(), k),
            FieldRef::Named(name) => (self.value)(item, name),
        }
    }
}

/// One search page of a resource: matching records newest first.
fn search<T: Record + Labelled>(
    State(s): State<Arc<StripeState>>,
    QueryParams(p): QueryParams,
    r: &Resource<T>,
) -> StripeResult {
    let l = s.ledger();
    let all = (r.records)(&l);
    allow(&p, &["query", "limit", "page"])?;
    let q = p.str("query").unwrap_or_default();
    let query = parse(&q, |f| r.schema(f))?;
    let limit = limit(&p)?;
    let key = |i: usize| (all[i].created_at(), i);
    let after = match p.text("page") {
        Some(page) => {
            let last = decode_page(&q, &page)?;
            let pos = all.iter().position(|t| t.token() == last).ok_or_else(|| {
                StripeError::invalid(format!("Invalid page: '{page}'")).param("page")
            })?;
            Some(key(pos))
        }
        None => None,
    };
    let mut ix: Vec<usize> = (0..all.len())
        .filter(|&i| (r.keep)(&all[i]) && query.matches(|f| r.value(&all[i], f)))
        .collect();
    ix.sort_by_key(|&i| std::cmp::Reverse(key(i)));
    let total = ix.len();
    let rest: Vec<usize> = ix
        .into_iter()
        .filter(|&i| after.is_none_or(|k| key(i) < k))
        .collect();
    let has_more = rest.len() > limit;
    let page: Vec<usize> = rest.into_iter().take(limit).collect();
    let next_page = match (has_more, page.last()) {
        (true, Some(&i)) => json!(encode_page(&q, all[i].token())),
        _ => Value::Null,
    };
    let mut v = json!({
        "object": "search_result",
        "url": r.url,
        "has_more": has_more,
        "next_page": next_page,
        "data": page.iter().map(|&i| (r.render)(&l, &all[i])).collect::<Vec<_>>(),
    });
    if expands(&p).iter().any(|e| e == "total_count")
        && let Value::Object(m) = &mut v
    {
        m.insert("total_count".into(), json!(total.min(10_000)));
    }
    ok(v)
}

/// `GET /v1/charges/search?query=...`
pub(super) async fn charges(s: State<Arc<StripeState>>, p: QueryParams) -> StripeResult {
    search(s, p, &CHARGES)
}

/// `GET /v1/customers/search?query=...`
pub(super) async fn customers(s: State<Arc<StripeState>>, p: QueryParams) -> StripeResult {
    search(s, p, &CUSTOMERS)
}

const CHARGES: Resource<Charge> = Resource {
    url: "/v1/charges/search",
    records: |l| l.charges(),
    field: charge_field,
    value: charge_value,
    keep: |_| true,
    render: |l, c| render::charge(l, c, ChargeExpand::default()),
};

const CUSTOMERS: Resource<Customer> = Resource {
    url: "/v1/customers/search",
    records: |l| l.customers(),
    field: customer_field,
    value: customer_value,
    keep: |c| !c.deleted,
    render: |l, c| render::customer(l, c, &[]),
};
