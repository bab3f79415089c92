//! `paydeck recon` from outside, as a script runs it: the built binary against the
//! simulator's noisy bank, after a `paydeck sync` of the profile. A session is made,
//! the statement imported (twice: the second adds nothing), its status read as JSON
//! and checked against the statement and the bank's truth, proposals accepted, a
//! match undone and made again by hand, exceptions flagged, sign-off refused and then
//! done, and reopened; every decision is in the audit log; each ending has its exit
//! code. A CSV needs its bank's column mapping once.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::profile::SimCli as Setup;
use common::ran::Ran;
use common::simulator::{Dialect, seeded};
use common::xlsx::{csv_rows, read, text_rows};
use paydeck::money::{Currency, Money};
use paydeck::recon::import::{CsvMapping, ofx};
use paydeck::sim::{BankNoise, SimConfig};
use rust_decimal::Decimal;
use serde_json::Value;

const HEAVY: &str = "merge=0.15,fee=0.2,late=0.2,ref=0.2,lost=0.1,unrelated=0.2";

impl Setup {
    fn synced(seed: u64) -> Setup {
        let config = SimConfig {
            seed,
            bank_noise: HEAVY.parse::<BankNoise>().expect("noise"),
            ..seeded(600, 40)
        };
        let setup = Setup::start(Dialect::Pin, config, "pin");
        // Before the sync, the session has nothing to read its payouts from.
        setup.ok(&["recon", "new", "early", "--profile", "pin"]);
        setup.fails(
            &["recon", "match", "early"],
            1,
            "run `paydeck sync --profile pin` first",
        );
        setup.ok(&["sync"]);
        setup
    }

    fn run(&self, args: &[&str]) -> Ran {
        Ran::from(self.output(args))
    }

    /// Runs a command that must succeed; its stdout.
    fn ok(&self, args: &[&str]) -> Ran {
        let ran = self.run(args);
        assert_eq!(ran.code, 0, "{args:?}: {}{}", ran.stdout, ran.stderr);
        ran
    }

    /// Runs a command that must succeed, saying `says` on stderr.
    fn ok_saying(&self, args: &[&str], says: &str) -> Ran {
        let ran = self.ok(args);
        assert!(ran.stderr.contains(says), "{args:?}: {}", ran.stderr);
        ran
    }

    /// Runs a command that must end with `code`, saying `says` on stderr.
    fn fails(&self, args: &[&str], code: i32, says: &str) -> Ran {
        let ran = self.run(args);
        assert_eq!(ran.code, code, "{args:?}: {}{}", ran.stdout, ran.stderr);
        assert!(ran.stderr.contains(says), "{args:?}: {}", ran.stderr);
        ran
    }

    fn status(&self, name: &str) -> Value {
        let ran = self.ok(&["recon", "status", name, "--format", "json"]);
        serde_json::from_str(&ran.stdout).expect("status is JSON")
    }

    fn bank(&self, path: &str) -> String {
        let (status, body) = self
            .runtime
            .block_on(self.sim.admin_get(&format!("bank/{path}")));
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.data_dir.join(name);
        std::fs::write(&path, text).expect("a file");
        path.to_str().expect("a UTF-8 path").to_string()
    }

    fn audit(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(self.data_dir.join("audit.jsonl")).unwrap_or_default();
        text.lines()
            .map(|l| serde_json::from_str(l).expect("an audit line is JSON"))
            .collect()
    }
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn with<'a>(rows: &'a Value, field: &str, value: &str) -> Vec<&'a Value> {
    rows.as_array()
        .map(|a| a.iter().filter(|r| r[field] == value).collect())
        .unwrap_or_default()
}

/// The (action, phase, result) of the audit lines of `action`.
fn audited(lines: &[Value], action: &str) -> Vec<(String, String)> {
    lines
        .iter()
        .filter(|l| l["action"] == action)
        .map(|l| {
            assert_eq!(l["gateway"], "recon");
            (
                l["phase"].as_str().unwrap_or_default().to_string(),
                l["result"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// `recon export` into a directory of its own: the files it names, read back as rows.
fn exported(s: &Setup, format: &str) -> Vec<(String, Vec<Vec<String>>)> {
    let dir = s.data_dir.join(format!("export-{format}"));
    let dir = dir.to_str().expect("a UTF-8 path");
    let ran = s.ok(&["recon", "export", "nov", "--out", dir, "--format", format]);
    let mut files = Vec::new();
    for path in ran.stdout.lines() {
        assert!(path.starts_with(dir), "{path}");
        let bytes = std::fs::read(path).expect("an exported file");
        if format == "xlsx" {
            for x in read(&bytes) {
                let width = x.rows.first().map_or(0, Vec::len);
                files.push((x.name.to_lowercase(), text_rows(&x, width)));
            }
        } else {
            let name = path.rsplit('-').next().unwrap().trim_end_matches(".csv");
            files.push((name.to_string(), csv_rows(&bytes)));
        }
    }
    files
}

/// The exports of the signed-off session against its status: the summary's totals are
/// the frozen ones, one exceptions row per exception, and the journal balances.
fn check_exports(s: &Setup, status: &Value) {
    let csv = exported(s, "csv");
    let names: Vec<&str> = csv.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["exceptions", "journal", "summary"]);
    let xlsx = exported(s, "xlsx");
    assert_eq!(xlsx, csv, "the workbook's sheets read as the CSV files do");
    let rows = |name: &str| &csv.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(
        rows("exceptions").len() - 1,
        status["exceptions"].as_array().unwrap().len()
    );
    for t in status["frozen"].as_array().unwrap() {
        for item in ["statement", "matched", "unmatched", "difference"] {
            let row = rows("summary")
                .iter()
                .find(|r| r[0] == "totals" && r[1] == item && r[2] == t["currency"])
                .expect("a totals row");
            assert_eq!(row[3], t[item].as_str().unwrap(), "{item}");
        }
    }
    let journal = rows("journal");
    let column = |name: &str| journal[0].iter().position(|c| c == name).unwrap();
    let sum = |c: usize| -> Decimal {
        journal[1..]
            .iter()
            .filter_map(|r| r[c].parse::<Decimal>().ok())
            .sum()
    };
    assert!(journal.len() > 1);
    assert!(sum(column("debit")) > Decimal::ZERO);
    assert_eq!(sum(column("debit")), sum(column("credit")));
}

#[test]
fn a_scripted_session_imports_matches_marks_signs_off_and_reopens() {
    let s = Setup::synced(12);
    let truth: Value = serde_json::from_str(&s.bank("truth?dialect=pin")).expect("truth");
    let (from, to) = (
        truth["from"].as_str().unwrap(),
        truth["to"].as_str().unwrap(),
    );
    let created = s.ok(&[
        "recon",
        "new",
        "nov",
        "--profile",
        "pin",
        "--from",
        from,
        "--to",
        to,
    ]);
    assert_eq!(created.stdout, format!("nov\tpin\t{from}..{to}\topen\n"));
    s.fails(&["recon", "new", "nov", "--profile", "pin"], 3, "");
    let listed = s.ok(&["recon", "list"]).stdout;
    assert_eq!(
        listed.lines().filter(|l| l.starts_with("nov\t")).count(),
        1,
        "{listed}"
    );
    s.fails(
        &["recon", "status", "dec"],
        1,
        "no reconciliation session is named \"dec\"",
    );

    let text = s.bank("statement?dialect=pin&format=ofx");
    let statement = ofx::parse("nov.ofx", &text).expect("the OFX reads");
    let file = s.write("nov.ofx", &text);
    let n = statement.lines.len();
    let first = s.ok_saying(
        &["recon", "import", "nov", &file],
        &format!("{n} new lines, 0 already imported"),
    );
    assert!(first.stdout.starts_with("auto-match: "), "{}", first.stdout);
    let again = s.ok_saying(
        &["recon", "import", "nov", &file],
        &format!("0 new lines, {n} already imported"),
    );
    // Open, it exports what it can: no summary before sign-off.
    let out = s.data_dir.join("open");
    let open_export = ["recon", "export", "nov", "--out", out.to_str().unwrap()];
    let ran = s.ok_saying(&open_export, "no summary is written until it is");
    assert_eq!(ran.stdout.lines().count(), 2, "{}", ran.stdout);
    assert!(
        again
            .stdout
            .starts_with("auto-match: 0 matched, 0 proposed;"),
        "{}",
        again.stdout
    );

    // The bar against the statement: each currency's total is what its lines add up to.
    let status = s.status("nov");
    assert_eq!(status["version"], 1);
    let mut by_currency: BTreeMap<&str, Money> = BTreeMap::new();
    for line in &statement.lines {
        let sum = by_currency
            .entry(line.amount.currency.code())
            .or_insert(Money::zero(line.amount.currency));
        *sum = sum.checked_add(line.amount).unwrap();
    }
    let totals = status["totals"].as_array().expect("totals");
    assert_eq!(totals.len(), by_currency.len());
    for t in totals {
        let sum = by_currency[t["currency"].as_str().unwrap()];
        assert_eq!(t["statement"], sum.plain());
        assert_eq!(t["statement_minor"], sum.to_minor().unwrap());
        let minor = |f: &str| t[f].as_i64().unwrap();
        assert_eq!(
            minor("statement_minor"),
            minor("matched_minor") + minor("unmatched_minor")
        );
    }
    assert_eq!(
        status["counts"]["deposits"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>(),
        n as u64
    );
    // The queue against the truth: a deposit without payout per unrelated line, a late
    // deposit per late one.
    let anomalies = truth["anomalies"].as_array().unwrap();
    let exceptions = &status["exceptions"];
    for (truth_kind, kind) in [
        ("unrelated", "deposit_without_payout"),
        ("late", "late_deposit"),
    ] {
        let expected = anomalies.iter().filter(|a| a["kind"] == truth_kind).count();
        assert!(expected > 0, "heavy noise has {truth_kind} lines");
        assert_eq!(with(exceptions, "kind", kind).len(), expected, "{kind}");
    }

    // Proposals hold sign-off up; accepting them is audited.
    let proposals: Vec<i64> = status["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["proposed"] == true)
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert!(!proposals.is_empty(), "heavy noise makes proposals");
    s.fails(&["recon", "signoff", "nov"], 3, "proposal");
    for id in &proposals {
        s.ok(&["recon", "mark", "nov", "--accept", &id.to_string()]);
    }
    s.fails(
        &[
            "recon",
            "mark",
            "nov",
            "--accept",
            &proposals[0].to_string(),
        ],
        3,
        "",
    );
    s.fails(&["recon", "mark", "nov"], 2, "");
    let accepts = audited(&s.audit(), "recon_accept");
    assert_eq!(accepts.len(), 2 * (proposals.len() + 1));
    assert_eq!(accepts[0], ("before".into(), String::new()));
    assert_eq!(accepts[1], ("after".into(), "ok".into()));
    assert!(
        accepts.last().unwrap().1.starts_with("refused: "),
        "{accepts:?}"
    );

    // A match undone, then made again by hand: a wrong pair needs a reason.
    let status = s.status("nov");
    let single = status["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["tier"] == 1 && strs(&m["items"]).len() == 2 && m["adjustment"].is_null())
        .expect("a tier 1 match");
    let pair = strs(&single["items"]);
    s.ok(&[
        "recon",
        "mark",
        "nov",
        "--unmatch",
        &single["id"].to_string(),
    ]);
    let other = status["payouts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["ref"] != pair[1] && p["currency"] == "AUD")
        .expect("another payout");
    let wrong = other["ref"].as_str().unwrap();
    s.fails(
        &["recon", "mark", "nov", pair[0], wrong],
        3,
        "give a reason",
    );
    s.ok(&["recon", "mark", "nov", pair[0], pair[1]]);

    // Every open exception flagged with a note: sign-off goes through and freezes the bar.
    let status = s.status("nov");
    s.fails(&["recon", "signoff", "nov"], 3, "exception(s) open");
    s.fails(
        &[
            "recon",
            "flag",
            "nov",
            "exception:no_such|po_1|",
            "--note",
            "x",
        ],
        1,
        "is not in session",
    );
    let open = with(&status["exceptions"], "state", "open");
    assert!(open.len() > 1);
    // The first set aside with a reason, the others flagged.
    let ignored = open[0]["ref"].as_str().unwrap();
    s.fails(
        &["recon", "mark", "nov", "--ignore", ignored],
        2,
        "--reason",
    );
    let ignore = ["recon", "mark", "nov", "--ignore", ignored];
    s.ok(&[&ignore[..], &["--reason", "the bank's own transfer"]].concat());
    for e in &open[1..] {
        let note = format!("looked at {}", e["kind"].as_str().unwrap());
        s.ok(&[
            "recon",
            "flag",
            "nov",
            e["ref"].as_str().unwrap(),
            "--note",
            &note,
        ]);
    }
    let deposit = status["deposits"][0]["ref"].as_str().unwrap();
    s.ok(&["recon", "note", "nov", deposit, "called the bank"]);
    let text = s.ok(&["recon", "status", "nov"]).stdout;
    assert!(text.contains("ready to sign off"), "{text}");
    s.ok(&["recon", "signoff", "nov"]);
    let signed = s.status("nov");
    assert!(signed["session"]["signed_off"]["who"].is_string());
    assert_eq!(signed["frozen"], signed["totals"]);
    check_exports(&s, &signed);
    assert_eq!(
        with(&signed["exceptions"], "state", "flagged").len(),
        open.len() - 1
    );
    let set_aside = with(&signed["exceptions"], "state", "ignored");
    assert_eq!(set_aside.len(), 1);
    assert_eq!(set_aside[0]["note"], "the bank's own transfer");
    assert_eq!(signed["deposits"][0]["note"], "called the bank");
    s.fails(&["recon", "signoff", "nov"], 3, "reopen it first");
    s.fails(
        &[
            "recon",
            "flag",
            "nov",
            open[0]["ref"].as_str().unwrap(),
            "--note",
            "late",
        ],
        3,
        "",
    );
    s.ok(&[
        "recon",
        "signoff",
        "nov",
        "--reopen",
        "the bank corrected a line",
    ]);
    assert!(s.status("nov")["session"]["signed_off"].is_null());

    let log = s.audit();
    let signoffs = audited(&log, "recon_signoff");
    let results: Vec<&str> = signoffs
        .iter()
        .filter(|(p, _)| p == "after")
        .map(|(_, r)| r.as_str())
        .collect();
    assert_eq!(results.len(), 4, "{signoffs:?}");
    assert!(
        results[0].starts_with("refused: cannot sign off: proposal"),
        "{results:?}"
    );
    assert_eq!(results[2], "ok");
    assert_eq!(
        audited(&log, "recon_reopen"),
        [
            ("before".into(), String::new()),
            ("after".into(), "ok".into())
        ]
    );
    assert_eq!(audited(&log, "recon_flag").len(), 2 * (open.len() + 1));
    assert_eq!(audited(&log, "recon_ignore").len(), 2);
    let reopen = log.iter().find(|l| l["action"] == "recon_reopen").unwrap();
    assert_eq!(reopen["reason"], "the bank corrected a line");
    assert_eq!(reopen["profile"], "recon:nov");
}

#[test]
fn a_csv_needs_its_banks_mapping_once() {
    let s = Setup::synced(13);
    s.ok(&["recon", "new", "csv", "--profile", "pin"]);
    let text = s.bank("statement?dialect=pin&format=csv");
    let file = s.write("cba.csv", &text);

    // No mapping: the guess on stdout, what to do on stderr, nothing imported.
    let guessed = s.fails(
        &["recon", "import", "csv", &file],
        1,
        "--mapping FILE --bank BANK",
    );
    let mapping = CsvMapping::from_toml(&guessed.stdout).expect("the guess is a mapping");
    assert_eq!(mapping.currency, Some(Currency::AUD));
    assert_eq!(s.status("csv")["deposits"].as_array().unwrap().len(), 0);
    s.fails(
        &["recon", "import", "csv", &file, "--bank", "cba"],
        1,
        "no mapping is saved for bank \"cba\"",
    );
    s.fails(
        &["recon", "import", "csv", &file, "--bank", "../cba"],
        1,
        "a bank's name is",
    );

    let mapping_file = s.write("guess.toml", &guessed.stdout);
    let lines = text.lines().count() - 1;
    let import = ["recon", "import", "csv", &file, "--mapping", &mapping_file];
    s.ok_saying(
        &[&import[..], &["--bank", "cba"]].concat(),
        &format!("{lines} new lines, 0 already imported"),
    );
    let saved = Path::new(&s.data_dir).join("banks").join("cba.toml");
    let saved = std::fs::read_to_string(saved).expect("the bank's mapping is saved");
    assert_eq!(CsvMapping::from_toml(&saved).unwrap(), mapping);
    s.ok_saying(
        &["recon", "import", "csv", &file, "--bank", "cba"],
        &format!("0 new lines, {lines} already imported"),
    );
    assert_eq!(s.status("csv")["deposits"].as_array().unwrap().len(), lines);
}
