//! Fuzzing what the operator types and what paydeck reads from disk: the filter
//! bar's query language (charges and refunds), the command line, and the config file
//! (real files from `tests/configs/` and `config.example.toml`, mutated, and deep
//! nesting). Nothing may panic; what parses must make sense. (`key_command` output
//! is fuzzed where it is read, in `src/config/key_source.rs`.)
//!
//! Short run in `cargo test`; the long run:
//! `PAYDECK_FUZZ_CASES=200000 cargo test --release --test fuzz_inputs -- --nocapture`.

mod fuzzing;

use std::path::Path;

use paydeck::app::{command, filter_query};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// [`fuzzing::run`] for one of this file's targets.
fn fuzz<S: Strategy>(
    name: &str,
    short: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    fuzzing::run(&format!("fuzz_inputs {name}"), short, strategy, test);
}

// ---- the filter bar --------------------------------------------------------------

/// A fixed today, so `today`, `7d` and `mtd` mean the same in every run.
/// 24 November 2026, in +10:00: dates are days in the shown zone, so a fixed offset
/// also walks the zone's arithmetic at the ends of the calendar.
fn today() -> filter_query::Today {
    // 02:00 UTC is noon on the 24th in +10:00.
    let now = chrono::DateTime::from_timestamp(1_795_485_600, 0).unwrap();
    let today = filter_query::today(now, paydeck::timezone::Zone::parse("+10:00").unwrap());
    assert_eq!(today.date.to_string(), "2026-11-24");
    today
}

fn filter_word() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "status", "s", "from", "to", "on", "min", "max", "cur", "currency", "expires", "STATUS",
        "From", "x", "",
    ]);
    let value = prop_oneof![
        prop::sample::select(vec![
            "2026-11-24",
            "262143-12-31",
            "+262143-12-31",
            "-262144-01-01",
            "262142-12-31",
            "0000-01-01",
            "9999-12-31",
            "2026-02-30",
            "2026-13-01",
            "1970-01-01",
            "79228162514264337593543950335",
            "79228162514264337593543950336",
            "-0",
            "0",
            "1e5",
            "0.0000000000000000000000000001",
            "12.50",
            "-3",
            "",
            "AUD",
            "XXX",
            "usd",
            "JPY",
            "authorised,captured",
            "part-refunded",
            ",,,",
            "pending",
            "succeeded",
            "failed",
            "24h",
            "90d",
            "91d",
            "0h",
            "18446744073709551616d",
        ])
        .prop_map(str::to_string),
        "\\PC{0,16}",
    ];
    prop_oneof![
        3 => (key, value).prop_map(|(k, v)| format!("{k}:{v}")),
        1 => "\\PC{0,12}",
    ]
}

fn filter_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(filter_word(), 0..8).prop_map(|w| w.join(" ")),
        1 => "\\PC{0,80}",
    ]
}

#[test]
fn the_charge_filter_parses_anything_typed() {
    fuzz("charge filter", 1000, filter_text(), |text| {
        if let Ok(f) = filter_query::parse(&text, today()) {
            if let (Some(from), Some(until)) = (f.from, f.until) {
                prop_assert!(from < until, "{text:?}");
            }
            if let (Some(min), Some(max)) = (f.min_amount, f.max_amount) {
                prop_assert!(min <= max, "{text:?}");
            }
            if let Some(before) = f.expires_before {
                let ahead = before - today().now;
                prop_assert!(ahead > chrono::TimeDelta::zero(), "{text:?}");
                prop_assert!(ahead <= chrono::TimeDelta::days(90), "{text:?}");
            }
            prop_assert!(f.text.len() <= text.len());
        }
        Ok(())
    });
}

#[test]
fn the_refund_filter_parses_anything_typed() {
    fuzz("refund filter", 1000, filter_text(), |text| {
        if let Ok(f) = filter_query::parse_refunds(&text, today())
            && let (Some(from), Some(until)) = (f.from, f.until)
        {
            prop_assert!(from < until, "{text:?}");
        }
        Ok(())
    });
}

/// The first find: the last day chrono can hold, plus the day `to:` adds, overflowed.
#[test]
fn the_last_representable_day_is_an_error_not_a_crash() {
    for text in ["to:262142-12-31", "on:262142-12-31", "to:+262142-12-31"] {
        assert!(filter_query::parse(text, today()).is_err(), "{text}");
        assert!(
            filter_query::parse_refunds(text, today()).is_err(),
            "{text}"
        );
    }
}

/// The second: the refunds pane took a `from:` after its `to:` and showed nothing.
#[test]
fn a_refund_range_that_ends_before_it_starts_is_an_error() {
    let err = filter_query::parse_refunds("from:2026-11-02 to:2026-11-01", today()).unwrap_err();
    assert_eq!(err, "from: is after to:");
}

#[test]
fn the_command_line_parses_anything_typed() {
    let line = prop_oneof![
        (
            prop::sample::select(vec![
                "charges",
                "customers",
                "refunds",
                "disputes",
                "verify",
                "refresh",
                "profile",
                "help",
                "q",
                "quit",
                "",
            ]),
            "\\PC{0,20}"
        )
            .prop_map(|(c, rest)| format!("{c} {rest}")),
        "\\PC{0,40}",
    ];
    fuzz("command line", 1000, line, |line| {
        for caps in [
            &paydeck::gateway::pin::CAPABILITIES,
            &paydeck::gateway::stripe::CAPABILITIES,
            &paydeck::gateway::openpay::CAPABILITIES,
            &paydeck::gateway::trx::CAPABILITIES,
        ] {
            let _ = command::parse(&line, caps);
        }
        Ok(())
    });
}

// ---- the config file -------------------------------------------------------------

fn config_seeds() -> Vec<String> {
    let mut seeds = vec![std::fs::read_to_string("config.example.toml").unwrap()];
    for dir in ["tests/configs/valid", "tests/configs/invalid"] {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for p in paths {
            seeds.push(std::fs::read_to_string(p).unwrap());
        }
    }
    seeds
}

/// TOML that is valid somewhere, or nearly: what a mutation splices in.
const TOML_BITS: &[&str] = &[
    "[",
    "]",
    "[[",
    "]]",
    "=",
    "\"",
    "'''",
    "\"\"\"",
    "\\",
    "\n",
    "#",
    ",",
    "{",
    "}",
    ".",
    "[profiles.x]",
    "[[profiles]]",
    "key_env = 1",
    "key_command = \"\"",
    "gateway = \"pin\"",
    "gateway = \"openpay\"",
    "environment = \"live\"",
    "base_url = \"http://x\"",
    "poll_interval = inf",
    "poll_interval = nan",
    "poll_interval = -1",
    "poll_interval = 99999999999999999999",
    "default_profile = \"\"",
    "theme = \"\"",
    "read_only = 1979-05-27T07:32:00Z",
    "[keys]",
    "quit = \"ctrl-alt-shift-q\"",
    "refund = [\"r\", \"\"]",
    "a.b.c.d.e.f = 1",
    "\u{feff}",
    "\u{0}",
    "é",
    "merchant_id = \"m/x\"",
];

fn config_text() -> impl Strategy<Value = String> {
    let seeds = std::sync::Arc::new(config_seeds());
    let n = seeds.len();
    let (s1, s2) = (seeds.clone(), seeds.clone());
    prop_oneof![
        // Byte flips, then read as the loader would (lossily here, to reach the parser).
        2 => (0..n, prop::collection::vec((any::<usize>(), any::<u8>()), 1..6)).prop_map(
            move |(i, flips)| {
                let mut bytes = seeds[i].clone().into_bytes();
                for (at, x) in flips {
                    if !bytes.is_empty() {
                        let at = at % bytes.len();
                        bytes[at] ^= x | 1;
                    }
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }
        ),
        // Lines dropped, repeated or swapped; TOML fragments spliced in.
        4 => (
            0..n,
            prop::collection::vec(
                (any::<usize>(), 0u8..4, prop::sample::select(TOML_BITS)),
                1..6
            )
        )
            .prop_map(move |(i, ops)| {
                let mut lines: Vec<String> = s1[i].lines().map(str::to_string).collect();
                for (at, op, bit) in ops {
                    let len = lines.len().max(1);
                    let at = at % len;
                    match (op, lines.is_empty()) {
                        (0, false) => {
                            lines.remove(at);
                        }
                        (1, false) => {
                            let l = lines[at].clone();
                            lines.insert(at, l);
                        }
                        (2, false) => lines.swap(at, (at * 7 + 3) % len),
                        _ => {
                            let l = lines.get(at).cloned().unwrap_or_default();
                            let cut = (at * 13) % (l.len() + 1);
                            let cut = (0..=cut).rev().find(|c| l.is_char_boundary(*c)).unwrap_or(0);
                            let new = format!("{}{bit}{}", &l[..cut], &l[cut..]);
                            if lines.is_empty() {
                                lines.push(new);
                            } else {
                                lines[at] = new;
                            }
                        }
                    }
                }
                lines.join("\n")
            }),
        1 => (0..n, any::<usize>()).prop_map(move |(i, at)| {
            let s = &s2[i];
            let cut = at % (s.len() + 1);
            let cut = (0..=cut).rev().find(|c| s.is_char_boundary(*c)).unwrap_or(0);
            s[..cut].to_string()
        }),
        1 => prop::collection::vec(prop::sample::select(TOML_BITS), 0..30).prop_map(|b| b.join(" ")),
        1 => "\\PC{0,200}",
    ]
}

#[test]
fn the_config_parser_survives_mutated_files() {
    fuzz("config file", 1500, config_text(), |text| {
        match paydeck::config::parse(&text, Path::new("fuzz.toml")) {
            Ok(config) => {
                // Whatever parsed names a default profile it has, if any.
                let _ = format!("{config:?}");
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.contains("fuzz.toml"), "{msg}");
            }
        }
        Ok(())
    });
}

/// Deep nesting in a config file is refused, not a stack overflow, on a test thread's
/// small stack: arrays, inline tables and dotted keys.
#[test]
fn deep_nesting_in_a_config_file_is_refused() {
    let depth = 50_000;
    let texts = [
        format!("a = {}{}", "[".repeat(depth), "]".repeat(depth)),
        format!("a = {}1{}", "{ b = ".repeat(depth), " }".repeat(depth)),
        format!("{} = 1", vec!["a"; depth].join(".")),
        format!("[{}]", vec!["a"; depth].join(".")),
        format!(
            "[profiles.p]\ngateway = \"pin\"\nkey_env = \"K\"\nx = {}",
            "[".repeat(depth)
        ),
    ];
    for text in texts {
        let r = paydeck::config::parse(&text, Path::new("deep.toml"));
        assert!(r.is_err(), "{}", &text[..40]);
    }
}
