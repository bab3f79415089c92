//! A reconciliation session in a pseudo-terminal, on the simulator's bank with noise:
//! the profile's payouts synced into its store, `:recon NAME FROM..TO` creates the
//! session, `:import` reads the simulator's OFX statement and auto-matches it, `m`
//! accepts each proposal, `f` flags each exception with a note, `:signoff` freezes the
//! totals, and the bar's figures on screen are the statement file's. Every mark is in
//! the audit log before and after it was recorded.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::recon_bank::{Bank, bank};
use paydeck::recon::import::ofx;
use paydeck::store::sessions::{ItemKind, ItemState, SessionStore, SqliteSessions};
const NOTE: &str = "looked at with the bank";

/// Waits (bounded) until `ready` holds of the session database.
fn until<T>(what: &str, mut ready: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "waited for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The bar's line for `currency`, its spaces run together.
fn bar(screen: &str, currency: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{currency} ")))
        .unwrap_or("");
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn grouped(minor: i64) -> String {
    paydeck::money::Money::from_minor(minor, paydeck::money::Currency::AUD).grouped()
}

#[test]
fn a_session_imports_the_statement_accepts_flags_and_signs_off_with_the_files_totals() {
    let Bank {
        sim,
        data_dir,
        from,
        to,
        statement: text,
    } = bank("ofx");
    let file = data_dir.join("nov.ofx");
    std::fs::write(&file, &text).expect("the statement file");
    let statement = ofx::parse("nov.ofx", &text).expect("the OFX reads");
    let mut totals: BTreeMap<&str, i64> = BTreeMap::new();
    for line in &statement.lines {
        *totals.entry(line.amount.currency.code()).or_default() += line.amount.to_minor().unwrap();
    }

    let mut pty = sim.open_in(&data_dir);
    pty.send(&format!(":recon nov {from}..{to}\r"));
    pty.wait_for("the new session", |s| {
        s.contains("Created session nov") && s.contains("no statement imported yet")
    });
    pty.send(&format!(":import {}\r", file.display()));
    let lines = statement.lines.len();
    let screen = pty.wait_for("the import and auto-match", |s| {
        s.contains(&format!("{lines} new lines, 0 already imported;")) && s.contains("proposed")
    });
    let aud = totals["AUD"];
    assert!(bar(&screen, "AUD").contains(&grouped(aud)), "{screen}");

    // The session as saved: which deposits are proposed, in the screen's order.
    let mut sessions =
        SqliteSessions::open(&SqliteSessions::path_in(&data_dir)).expect("the session database");
    let id = sessions.find("nov").unwrap().id;
    let view = sessions.load(id).unwrap();
    let proposed: Vec<usize> = view
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            view.items.iter().any(|i| {
                i.item.kind == ItemKind::Deposit
                    && i.item.id == l.identity.as_str()
                    && i.state == ItemState::Proposed
            })
        })
        .map(|(n, _)| n)
        .collect();
    assert!(!proposed.is_empty(), "the noise makes proposals");
    for row in &proposed {
        pty.send(&format!("g{}m", "j".repeat(*row)));
    }
    until("every proposal accepted", || {
        let view = sessions.load(id).ok()?;
        view.matches.iter().all(|m| !m.proposed).then_some(())
    });

    // Each exception flagged with a note, row by row.
    pty.send("\t\t");
    let screen = pty.wait_for("the exceptions", |s| {
        s.contains("exceptions") && s.contains("open)") && !s.contains("recording…")
    });
    let open: usize = screen
        .split("exceptions ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("the exceptions' count");
    assert!(open > 0, "the noise makes exceptions: {screen}");
    pty.send("g");
    for _ in 0..open {
        pty.send("f");
        pty.wait_for("the flag dialog", |s| s.contains("Flag with a note"));
        pty.send(NOTE);
        pty.send("\r");
        pty.wait_for("the dialog closed", |s| !s.contains("Flag with a note"));
        pty.send("j");
    }
    pty.wait_for("every exception flagged", |s| {
        s.contains(&format!("exceptions {open} (0 open)"))
    });

    pty.send(":signoff\r");
    let screen = pty.wait_for("signed off", |s| s.contains("signed off by"));
    let frozen = sessions.load(id).unwrap().frozen;
    for t in &frozen {
        let shown = bar(&screen, &t.currency);
        assert_eq!(t.statement, totals[t.currency.as_str()], "the file's total");
        for figure in [t.statement, t.matched, t.unmatched, t.difference] {
            assert!(shown.contains(&grouped(figure)), "{figure} in {shown:?}");
        }
        assert!(shown.ends_with("(frozen)"), "{shown:?}");
        assert_eq!(t.statement, t.matched + t.unmatched);
    }
    // Exported from the screen, as CSV and as a workbook: the files read back, and
    // the summary's totals are the figures the bar shows.
    let out = data_dir.join("exports");
    pty.send(&format!(":export {}\r", out.display()));
    pty.wait_for("the CSV files", |s| {
        s.contains("Exported") && s.contains("nov-summary.csv")
    });
    pty.send(&format!(":export {} xlsx\r", out.display()));
    pty.wait_for("the workbook", |s| {
        s.contains("Exported") && s.contains("nov.xlsx")
    });
    let csv = |name: &str| common::xlsx::csv_rows(&std::fs::read(out.join(name)).expect(name));
    let summary = csv("nov-summary.csv");
    let sheets = common::xlsx::read(&std::fs::read(out.join("nov.xlsx")).expect("nov.xlsx"));
    let from_workbook = common::xlsx::text_rows(common::xlsx::sheet(&sheets, "Summary"), 5);
    assert_eq!(
        from_workbook, summary,
        "the workbook's summary reads as the CSV's"
    );
    for t in &frozen {
        let shown = bar(&screen, &t.currency);
        let currency = paydeck::money::Currency::from_code(&t.currency).unwrap();
        for (item, minor) in [
            ("statement", t.statement),
            ("matched", t.matched),
            ("unmatched", t.unmatched),
            ("difference", t.difference),
        ] {
            let row = summary
                .iter()
                .find(|r| r[0] == "totals" && r[1] == item && r[2] == t.currency)
                .unwrap_or_else(|| panic!("a {item} row in {summary:?}"));
            let exported = paydeck::money::Money::from_minor(minor, currency);
            assert_eq!(row[3], exported.plain(), "{item}");
            assert!(shown.contains(&exported.grouped()), "{item} {shown:?}");
        }
    }
    let exceptions = csv("nov-exceptions.csv");
    assert_eq!(
        exceptions.len() - 1,
        open,
        "one row per exception on screen"
    );
    assert!(
        exceptions[1..]
            .iter()
            .all(|r| r[1] == "flagged" && r[8] == NOTE)
    );

    let audit = pty.audit_lines();
    // Under the session's name, as `paydeck recon` writes them: never taken for an
    // unfinished gateway action of the profile at the next start.
    assert!(
        audit
            .iter()
            .filter(|l| l["action"]
                .as_str()
                .is_some_and(|a| a.starts_with("recon_")))
            .all(|l| l["profile"] == "recon:nov" && l["gateway"] == "recon"),
        "{audit:?}"
    );
    for action in [
        "recon_import",
        "recon_accept",
        "recon_flag",
        "recon_signoff",
    ] {
        // Marks made in quick succession run side by side: each one's own lines (by
        // its key) are its before and then its after.
        let mut by_key: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
        for l in audit.iter().filter(|l| l["action"] == action) {
            let key = l["key"].as_str().unwrap_or_default();
            by_key.entry(key).or_default().extend(l["phase"].as_str());
        }
        assert!(
            !by_key.is_empty() && by_key.values().all(|p| p == &["before", "after"]),
            "{action}: {by_key:?}"
        );
    }
    pty.quit();
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[test]
fn a_csv_statement_asks_for_its_banks_columns_once_then_reads_with_them() {
    let bank = bank("csv");
    let file = bank.statement_file("nov.csv");
    let lines = bank.statement.lines().count() - 1;
    let mut pty = bank.with_new_session();
    pty.send(&format!(":import {} westpac\r", file.display()));
    pty.wait_for("the guessed columns", |s| {
        s.contains("The bank's CSV columns") && s.contains("Save these columns as bank westpac's")
    });
    pty.send("\r");
    pty.wait_for_text(&format!("{lines} new lines, 0 already imported;"));
    let saved = std::fs::read_to_string(bank.data_dir.join("banks").join("westpac.toml"))
        .expect("the bank's columns saved");
    assert!(
        paydeck::recon::import::CsvMapping::from_toml(&saved).is_ok(),
        "{saved}"
    );
    // The second time, the saved columns read it: nothing is asked, nothing is new.
    pty.send(&format!(":import {} westpac\r", file.display()));
    let screen = pty.wait_for_text(&format!("0 new lines, {lines} already imported;"));
    assert!(!screen.contains("The bank's CSV columns"), "{screen}");
    pty.quit();
    let _ = std::fs::remove_dir_all(&bank.data_dir);
}
