//! Strategies shared by the fuzz targets: bodies made from real ones by mutation,
//! arbitrary JSON, and the case count (`PAYDECK_FUZZ_CASES`, for long runs).
#![allow(dead_code)]

use proptest::prelude::*;
use serde_json::{Map, Value};

/// Cases per target: `PAYDECK_FUZZ_CASES` when set (the long run), else `short`.
pub fn cases(short: u32) -> u32 {
    std::env::var("PAYDECK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(short)
}

/// A runner for [`cases`]`(short)` cases that saves no failures to disk. The short
/// run is the same every time; a long run explores afresh.
fn runner(short: u32) -> proptest::test_runner::TestRunner {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let config = Config {
        cases: cases(short),
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PAYDECK_FUZZ_CASES").is_some() {
        TestRunner::new(config)
    } else {
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
    }
}

/// Runs `test` over `strategy` for [`cases`]`(short)` cases, prints executions per
/// second under `label`, and panics with the first failure.
pub fn run<S: Strategy>(
    label: &str,
    short: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), proptest::test_runner::TestCaseError>,
) {
    let mut runner = runner(short);
    let cases = runner.config().cases;
    let started = std::time::Instant::now();
    let result = runner.run(&strategy, test);
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{label}: {cases} executions in {secs:.2} s, {:.0} per second",
        f64::from(cases) / secs
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// A fuzzed input and how it was made (what a failure prints: never megabytes).
#[derive(Clone)]
pub struct Fuzzed {
    pub bytes: Vec<u8>,
    pub how: Mutation,
}

impl std::fmt::Debug for Fuzzed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let head = String::from_utf8_lossy(&self.bytes[..self.bytes.len().min(300)]);
        write!(f, "{:?}, {} bytes: {head:?}", self.how, self.bytes.len())
    }
}

#[derive(Debug, Clone)]
pub enum Mutation {
    Seed(usize),
    FlipBytes(usize, Vec<(usize, u8)>),
    Truncate(usize, usize),
    Edits(usize, Vec<(usize, Edit)>),
    Arbitrary,
    Nest,
}

/// One change to one node of a JSON document.
#[derive(Debug, Clone)]
pub enum Edit {
    Replace(Value),
    /// A number no float or `i64` holds (`1e400`, forty digits, `-0.000…1`).
    RawNumber(&'static str),
    LongString(usize),
    Currency(&'static str),
    /// The node wrapped in this many arrays.
    Nest(usize),
    Remove,
    /// An array's first element this many times (a huge list).
    Repeat(usize),
    /// A string that holds a number becomes the number and back; objects become arrays.
    SwapType,
}

const HUGE: &[&str] = &[
    "1e400",
    "-1e400",
    "1e-400",
    "123456789012345678901234567890123456789",
    "-99999999999999999999999999999",
    "79228162514264337593543950336",
    "18446744073709551616",
    "-9223372036854775809",
    "9223372036854775807",
    "0.0000000000000000000000000000001",
    "1.00000000000000000000000000000001",
    "-0",
    "4.9e-324",
];

const CURRENCIES: &[&str] = &[
    "XXX", "ZZZ", "usd", "", "AUDD", "€", "JPY", "BHD", "CLF", "XAU", "aud\u{0}", "ÁUD", "A",
];

/// Field names the gateways use, so arbitrary objects look like records.
const KEYS: &[&str] = &[
    "id",
    "token",
    "object",
    "amount",
    "currency",
    "status",
    "created",
    "created_at",
    "creation_date",
    "data",
    "response",
    "refunds",
    "metadata",
    "card",
    "error",
    "message",
    "has_more",
    "pagination",
    "total",
    "offset",
    "limit",
    "type",
    "transaction_type",
    "amount_refunded",
    "captured",
    "charge",
    "customer",
    "email",
    "description",
    "method",
    "error_code",
    "http_code",
    "category",
    "next_page",
    "url",
    "count",
    "brand",
    "last4",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,24}".prop_map(Value::String),
        prop::sample::select(CURRENCIES).prop_map(Value::from),
    ]
}

/// Arbitrary JSON, a few levels deep, with real field names among the keys.
pub fn json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 96, 10, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..10).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        3 => prop::sample::select(KEYS).prop_map(str::to_string),
                        1 => "\\PC{0,8}",
                    ],
                    inner
                ),
                0..10
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => json().prop_map(Edit::Replace),
        2 => prop::sample::select(HUGE).prop_map(Edit::RawNumber),
        1 => (0usize..300_000).prop_map(Edit::LongString),
        2 => prop::sample::select(CURRENCIES).prop_map(Edit::Currency),
        1 => (1usize..400).prop_map(Edit::Nest),
        2 => Just(Edit::Remove),
        1 => (0usize..20_000).prop_map(Edit::Repeat),
        3 => Just(Edit::SwapType),
    ]
}

/// A body: a real one as it is, mutated, or arbitrary JSON.
pub fn body(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Fuzzed> {
    let n = seeds.len();
    let seeds = std::sync::Arc::new(seeds);
    let (s1, s2, s3) = (seeds.clone(), seeds.clone(), seeds.clone());
    prop_oneof![
        1 => (0..n).prop_map(move |i| Fuzzed { bytes: seeds[i].clone(), how: Mutation::Seed(i) }),
        2 => (0..n, prop::collection::vec((any::<usize>(), any::<u8>()), 1..8)).prop_map(
            move |(i, flips)| {
                let mut bytes = s1[i].clone();
                for (at, x) in &flips {
                    if !bytes.is_empty() {
                        let at = at % bytes.len();
                        bytes[at] ^= x | 1;
                    }
                }
                Fuzzed { bytes, how: Mutation::FlipBytes(i, flips) }
            }
        ),
        1 => (0..n, any::<usize>()).prop_map(move |(i, at)| {
            let mut bytes = s2[i].clone();
            bytes.truncate(at % (bytes.len() + 1));
            Fuzzed { bytes, how: Mutation::Truncate(i, at) }
        }),
        5 => (0..n, prop::collection::vec((any::<usize>(), edit()), 1..4)).prop_map(
            move |(i, edits)| Fuzzed { bytes: apply(&s3[i], &edits), how: Mutation::Edits(i, edits) }
        ),
        1 => json().prop_map(|v| Fuzzed { bytes: v.to_string().into_bytes(), how: Mutation::Arbitrary }),
    ]
}

/// `seed` with `edits` applied, each at the node its number picks (in document order).
/// Raw text (huge numbers, deep nesting) is spliced in after serialising, so the
/// harness itself never builds or drops a deep `Value`.
pub fn apply(seed: &[u8], edits: &[(usize, Edit)]) -> Vec<u8> {
    let Ok(mut doc) = serde_json::from_slice::<Value>(seed) else {
        return seed.to_vec();
    };
    let mut raw = Vec::new();
    for (at, edit) in edits {
        let count = count_nodes(&doc);
        let mut k = at % count;
        if let Some(node) = nth_node(&mut doc, &mut k) {
            change(node, edit, &mut raw);
        }
    }
    remove_marked(&mut doc);
    let mut text = doc.to_string();
    for (i, r) in raw.iter().enumerate() {
        text = text.replace(&format!("\"@@raw{i}@@\""), r);
    }
    text.into_bytes()
}

const REMOVED: &str = "@@removed@@";

fn change(node: &mut Value, edit: &Edit, raw: &mut Vec<String>) {
    let mut splice = |text: String, node: &mut Value| {
        *node = Value::String(format!("@@raw{}@@", raw.len()));
        raw.push(text);
    };
    match edit {
        Edit::Replace(v) => *node = v.clone(),
        Edit::RawNumber(t) => splice(t.to_string(), node),
        Edit::LongString(n) => *node = Value::String("x".repeat(*n)),
        Edit::Currency(c) => *node = Value::from(*c),
        Edit::Nest(depth) => {
            let inner = node.to_string();
            splice(
                format!("{}{inner}{}", "[".repeat(*depth), "]".repeat(*depth)),
                node,
            );
        }
        Edit::Remove => *node = Value::from(REMOVED),
        Edit::Repeat(n) => {
            let one = match &*node {
                Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
                other => other.clone(),
            };
            *node = Value::Array(vec![one; *n]);
        }
        Edit::SwapType => {
            *node = match node.take() {
                Value::String(s) => serde_json::from_str::<serde_json::Number>(&s)
                    .map(Value::Number)
                    .unwrap_or(Value::Bool(true)),
                Value::Number(n) => Value::String(n.to_string()),
                Value::Object(m) => Value::Array(m.into_iter().map(|(_, v)| v).collect()),
                Value::Array(a) => Value::Object(
                    a.into_iter()
                        .enumerate()
                        .map(|(i, v)| (i.to_string(), v))
                        .collect(),
                ),
                Value::Bool(b) => Value::String(b.to_string()),
                Value::Null => Value::from(0),
            }
        }
    }
}

fn count_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count_nodes).sum(),
        Value::Object(m) => m.values().map(count_nodes).sum(),
        _ => 0,
    }
}

fn nth_node<'a>(v: &'a mut Value, k: &mut usize) -> Option<&'a mut Value> {
    if *k == 0 {
        return Some(v);
    }
    *k -= 1;
    match v {
        Value::Array(a) => a.iter_mut().find_map(|c| nth_node(c, k)),
        Value::Object(m) => m.values_mut().find_map(|c| nth_node(c, k)),
        _ => None,
    }
}

fn remove_marked(v: &mut Value) {
    let marked = |c: &Value| c.as_str() == Some(REMOVED);
    match v {
        Value::Array(a) => {
            a.retain(|c| !marked(c));
            a.iter_mut().for_each(remove_marked);
        }
        Value::Object(m) => {
            m.retain(|_, c| !marked(c));
            m.values_mut().for_each(remove_marked);
        }
        _ => {}
    }
}
