//! `paydeck export` from outside, as a script runs it: the built binary against the
//! simulator. Every format is read back through a parser (`jq` for JSON and NDJSON,
//! the csv crate, the XLSX reader the reconciliation's tests use) and its rows checked
//! against the simulator's own list; a hostile description comes out guarded in CSV
//! and XLSX; every kind on every gateway that lists it, under faults; a gateway that
//! keeps failing ends with a non-zero exit and a clear message.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use common::profile::SimCli as Setup;
use common::ran::Ran;
use common::simulator::{Dialect, faults, quick_http, seeded};
use common::xlsx::{csv_rows, read, text_rows};
use common::{every_page, made, order};
use paydeck::gateway::Gateway;
use paydeck::money::Currency;
use paydeck::recon::export::decimal_text;
use paydeck::sim::SimConfig;
use serde_json::Value;

/// A charge's text that a spreadsheet would run as a formula.
const HOSTILE: &str = "=HYPERLINK(\"http://evil.example\",\"refund\")";

impl Setup {
    fn run(&self, args: &[&str]) -> Ran {
        Ran::from(self.output(args))
    }

    fn ok(&self, args: &[&str]) -> Ran {
        let ran = self.run(args);
        assert_eq!(ran.code, 0, "{args:?}: {}", ran.stderr);
        ran
    }

    fn gateway(&self) -> Box<dyn Gateway> {
        self.sim.gateway(quick_http())
    }
}

/// `bytes` through `jq -c FILTER`: one JSON value a line.
fn jq(filter: &str, bytes: &[u8]) -> Vec<Value> {
    let mut child = Command::new("jq")
        .args(["-c", filter])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jq is installed (.ci/run installs it)");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = bytes.to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("jq runs");
    feeder.join().expect("feeder").expect("jq reads");
    assert!(
        out.status.success(),
        "jq {filter}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("jq writes JSON"))
        .collect()
}

/// A row as the tests compare it: amount (exact decimal text), amount_minor, currency
/// and description, by id.
type Rows = BTreeMap<String, (String, i64, String, String)>;

/// The Pin simulator's own list of charges, from its API's JSON, every page.
fn pin_charges(setup: &Setup) -> Rows {
    let mut rows = Rows::new();
    for page in 1.. {
        let (status, body) = setup.runtime.block_on(
            setup
                .sim
                .get_json(&format!("charges?page={page}&per_page=100")),
        );
        assert_eq!(status, 200, "{body}");
        let items = body["response"].as_array().expect("a list").clone();
        if items.is_empty() {
            return rows;
        }
        for item in items {
            let minor = item["amount"].as_i64().expect("amount in cents");
            let code = item["currency"].as_str().expect("currency");
            let currency = Currency::from_code(code).expect("an ISO currency");
            rows.insert(
                item["token"].as_str().expect("token").to_string(),
                (
                    decimal_text(minor, currency),
                    minor,
                    code.to_string(),
                    item["description"].as_str().unwrap_or("").to_string(),
                ),
            );
        }
    }
    rows
}

/// Rows of a table read back (CSV or a sheet), header first, by the columns' names.
fn table_rows(table: &[Vec<String>]) -> Rows {
    let header = &table[0];
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (id, amount, minor, currency, description) = (
        at("id"),
        at("amount"),
        at("amount_minor"),
        at("currency"),
        at("description"),
    );
    table[1..]
        .iter()
        .map(|r| {
            (
                r[id].clone(),
                (
                    r[amount].clone(),
                    r[minor].parse().expect("amount_minor is whole"),
                    r[currency].clone(),
                    r[description].clone(),
                ),
            )
        })
        .collect()
}

/// `[id, amount, amount_minor, currency, description]` arrays from jq.
fn json_rows(values: Vec<Value>) -> Rows {
    values
        .into_iter()
        .map(|v| {
            (
                v[0].as_str().expect("id").to_string(),
                (
                    v[1].as_str().expect("amount is a string").to_string(),
                    v[2].as_i64().expect("amount_minor is a number"),
                    v[3].as_str().expect("currency").to_string(),
                    v[4].as_str().unwrap_or("").to_string(),
                ),
            )
        })
        .collect()
}

const PICK: &str = "[.id, .amount, .amount_minor, .currency, .description]";

/// The simulator's rows with the hostile description as a spreadsheet export writes it.
fn guarded(mut rows: Rows) -> Rows {
    for row in rows.values_mut() {
        if row.3 == HOSTILE {
            row.3 = format!("'{HOSTILE}");
        }
    }
    rows
}

#[test]
fn every_format_reads_back_as_the_simulators_own_charges() {
    let setup = Setup::start(Dialect::Pin, seeded(250, 30), "pin");
    let mut hostile = order(Dialect::Pin, 4_321, true);
    hostile.description = HOSTILE.into();
    let made = setup
        .runtime
        .block_on(made(setup.gateway().as_ref(), &hostile));
    let truth = pin_charges(&setup);
    assert_eq!(truth.len(), 251);
    assert_eq!(truth[&made.id].3, HOSTILE);

    let csv = setup.ok(&["export", "charges", "--format", "csv"]);
    assert!(csv.stderr.contains("from Pin Payments"), "{}", csv.stderr);
    let csv = table_rows(&csv_rows(csv.stdout.as_bytes()));
    assert_eq!(csv[&made.id].3, format!("'{HOSTILE}"), "guarded in CSV");
    assert_eq!(csv, guarded(truth.clone()));

    let json = setup.ok(&["export", "charges", "--format", "json"]);
    let picked = json_rows(jq(&format!(".[] | {PICK}"), json.stdout.as_bytes()));
    assert_eq!(
        picked[&made.id].3, HOSTILE,
        "JSON is no spreadsheet: as it is"
    );
    assert_eq!(picked, truth);

    let ndjson = setup.ok(&["export", "charges", "--format", "ndjson"]);
    assert_eq!(json_rows(jq(PICK, ndjson.stdout.as_bytes())), truth);

    let file = setup.data_dir.join("charges.xlsx");
    std::fs::create_dir_all(&setup.data_dir).expect("data dir");
    let xlsx = setup.ok(&[
        "export",
        "charges",
        "--format",
        "xlsx",
        "--output",
        file.to_str().expect("UTF-8"),
    ]);
    assert!(xlsx.stdout.is_empty(), "data goes to the file alone");
    let sheets = read(&std::fs::read(&file).expect("the workbook"));
    let width = sheets[0].rows[0].len();
    let sheet = table_rows(&text_rows(&sheets[0], width));
    assert_eq!(sheet[&made.id].3, format!("'{HOSTILE}"), "guarded in XLSX");
    assert_eq!(sheet, guarded(truth.clone()));

    // The filter is the dashboard's, the limit stops the rows.
    let captured = setup.ok(&[
        "export",
        "charges",
        "--format",
        "ndjson",
        "--filter",
        "status:captured cur:AUD",
    ]);
    let statuses = jq("[.status, .currency]", captured.stdout.as_bytes());
    assert!(!statuses.is_empty());
    assert!(
        statuses.iter().all(|s| s[0] == "captured" && s[1] == "AUD"),
        "{statuses:?}"
    );
    let five = setup.ok(&["export", "charges", "--format", "ndjson", "--limit", "5"]);
    assert_eq!(jq(".id", five.stdout.as_bytes()).len(), 5);

    // Synced, the store holds every charge: the export reads it, and says so.
    setup.ok(&["sync"]);
    let stored = setup.ok(&["export", "charges", "--format", "ndjson"]);
    assert!(
        stored.stderr.contains("from the local store"),
        "{}",
        stored.stderr
    );
    assert_eq!(json_rows(jq(PICK, stored.stdout.as_bytes())), truth);
}

/// Each kind's ids as the adapter lists them, every page.
fn listed(setup: &Setup, kind: &str) -> Vec<String> {
    let gateway = setup.gateway();
    let gateway = gateway.as_ref();
    setup.runtime.block_on(async {
        macro_rules! ids {
            ($list:ident) => {
                every_page(|page| async move { gateway.$list(&page).await.expect(kind) })
                    .await
                    .into_iter()
                    .map(|o| o.id)
                    .collect()
            };
        }
        match kind {
            "charges" => every_page(|page| async move {
                gateway
                    .list_charges(&page, &Default::default())
                    .await
                    .expect(kind)
            })
            .await
            .into_iter()
            .map(|c| c.id)
            .collect(),
            "refunds" => ids!(list_refunds),
            "customers" => ids!(list_customers),
            "payouts" => ids!(list_payouts),
            _ => ids!(list_disputes),
        }
    })
}

#[test]
fn every_kind_on_every_gateway_under_faults_and_read_only() {
    for dialect in Dialect::ALL {
        let config = SimConfig {
            faults: faults("error_rate=0.15,reset_rate=0.05,rate_limit=0.05,retry_after_s=0"),
            ..seeded(300, 30)
        };
        let setup = Setup::start(dialect, config, dialect.name());
        let caps = setup.gateway().capabilities();
        for (kind, listed_here) in [
            ("charges", true),
            ("refunds", caps.refund_list),
            ("customers", caps.customers),
            ("payouts", caps.payouts),
            ("disputes", caps.disputes),
        ] {
            let ran = setup.run(&["--read-only", "export", kind, "--format", "ndjson"]);
            if !listed_here {
                assert_eq!(ran.code, 1, "{dialect:?} {kind}: {}", ran.stderr);
                assert!(ran.stderr.contains("does not list"), "{}", ran.stderr);
                continue;
            }
            assert_eq!(ran.code, 0, "{dialect:?} {kind}: {}", ran.stderr);
            let mut exported: Vec<String> = jq(".id", ran.stdout.as_bytes())
                .into_iter()
                .map(|v| v.as_str().expect("id").to_string())
                .collect();
            let mut truth = listed(&setup, kind);
            exported.sort();
            truth.sort();
            assert!(!truth.is_empty(), "{dialect:?} {kind}");
            assert_eq!(exported, truth, "{dialect:?} {kind}");
        }
    }
}

#[test]
fn a_failing_gateway_ends_non_zero_with_a_clear_message() {
    let config = SimConfig {
        faults: faults("error_rate=1,retry_after_s=0"),
        ..seeded(50, 5)
    };
    let setup = Setup::start(Dialect::Stripe, config, "stripe");
    let ran = setup.run(&["export", "charges"]);
    assert_eq!(ran.code, 3, "{}", ran.stderr);
    assert!(
        ran.stderr
            .starts_with("paydeck export: reading charges from Stripe failed after 0 written"),
        "{}",
        ran.stderr
    );

    // With the JSON formats the error is JSON too, and a file asked for is not made.
    let file = std::env::temp_dir().join(format!("paydeck-export-{}.json", uuid::Uuid::new_v4()));
    let path = file.to_str().expect("UTF-8");
    let ran = setup.run(&["export", "charges", "--format", "json", "--output", path]);
    assert_eq!(ran.code, 3, "{}", ran.stderr);
    let error: Value = serde_json::from_str(ran.stderr.trim()).expect("a JSON error");
    assert_eq!(error["exit_code"], 3);
    assert!(
        error["error"]
            .as_str()
            .is_some_and(|e| e.contains("from Stripe failed")),
        "{error}"
    );
    assert!(!file.exists(), "no half-written file");

    // A filter paydeck cannot read is refused before anything is read.
    let ran = setup.run(&["export", "charges", "--filter", "stauts:captured"]);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("did you mean status:?"),
        "{}",
        ran.stderr
    );
}
