//! A busy merchant's month for the reconciliation benches: a Pin profile's store of
//! 100,000 charges with their payouts and balance lines, synced (`sync::run`) from the
//! simulator in this process, and a bank statement of 1,000 lines in OFX: the
//! simulator's statement of every currency's payouts (with the demo's noise: merged
//! deposits, bank fees, late deposits, unrelated lines), and the account's other
//! bookings (suppliers, wages, card purchases, transfers in) up to 1,000 lines.
//!
//! Built once and cached under `target/bench-recon/seed<N>-<charges>-<lines>-v<schema>/`:
//! `store/bench.sqlite` and `statement.ofx`. The simulator counts back from the
//! moment it starts, so a fixture's dates are those of the day it was built.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use paydeck::gateway::Gateway;
use paydeck::gateway::http::HttpConfig;
use paydeck::gateway::pin::PinGateway;
use paydeck::secret::Secret;
use paydeck::sim::{self, BankNoise, SimConfig};
use paydeck::store::{PAYOUTS_MAX, SCHEMA_VERSION, Store, StoreHandle};
use paydeck::sync::{SyncOptions, SyncProgress};

use super::store_fixture::{SEED, target_dir};

/// A busy merchant's month.
pub const CHARGES: usize = 100_000;
/// Bank lines in the statement.
pub const LINES: usize = 1_000;
/// The profile the store is named for.
pub const PROFILE: &str = "bench";

/// Where one fixture's files are.
pub struct ReconFixture {
    /// The directory the profile's store is in (`Store::path_for(store_dir, PROFILE)`).
    pub store_dir: PathBuf,
    pub statement: PathBuf,
}

/// The fixture, built first if it is not cached.
pub fn cached() -> ReconFixture {
    let dir = target_dir()
        .join("bench-recon")
        .join(format!("seed{SEED}-{CHARGES}-{LINES}-v{SCHEMA_VERSION}"));
    let fixture = ReconFixture {
        store_dir: dir.join("store"),
        statement: dir.join("statement.ofx"),
    };
    if !fixture.statement.exists() {
        // A build cut short leaves no statement: start it again from nothing.
        let _ = std::fs::remove_dir_all(&dir);
        build(&fixture);
    }
    fixture
}

fn build(fixture: &ReconFixture) {
    let started = std::time::Instant::now();
    eprintln!("building the reconciliation fixture (once): {CHARGES} charges, synced");
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let config = SimConfig {
            seed: SEED,
            charges: CHARGES,
            customers: 5_000,
            live_per_minute: 0,
            bank_noise: BankNoise::default(),
            ..SimConfig::default()
        };
        let running = sim::start(listener, config).await.expect("the simulator");
        let pin = running.dialect("PIN").expect("the Pin dialect").clone();
        eprintln!(
            "  simulator seeded, {:.0} s",
            started.elapsed().as_secs_f64()
        );
        let gateway: Arc<dyn Gateway> = Arc::new(
            PinGateway::new(
                &pin.url,
                Secret::new(pin.key.clone()),
                HttpConfig::default(),
            )
            .expect("the adapter"),
        );
        let store = Store::open(&Store::path_for(&fixture.store_dir, PROFILE)).expect("a store");
        let writer = StoreHandle::spawn(store, "bench-store").expect("its thread");
        let (progress, _watch) = tokio::sync::watch::channel(SyncProgress::default());
        paydeck::sync::run(gateway, writer.clone(), SyncOptions::default(), progress)
            .await
            .expect("the sync");
        eprintln!("  synced, {:.0} s", started.elapsed().as_secs_f64());
        let currencies = writer
            .call(|store: &mut Store| {
                let all = store.payouts_between(
                    chrono::DateTime::<chrono::Utc>::MIN_UTC,
                    chrono::DateTime::<chrono::Utc>::MAX_UTC,
                    PAYOUTS_MAX,
                )?;
                let mut codes: Vec<&'static str> =
                    all.iter().map(|p| p.amount.currency.code()).collect();
                codes.sort_unstable();
                codes.dedup();
                Ok((all.len(), codes))
            })
            .await
            .expect("the payouts");
        eprintln!("  {} payouts in {:?}", currencies.0, currencies.1);
        let root = format!("http://{}", running.addr);
        let mut statements = Vec::new();
        for code in &currencies.1 {
            statements.push(sim_statement(&root, &pin.key, code).await);
        }
        drop(writer);
        running.shutdown().await;
        let text = with_other_lines(&statements, LINES);
        std::fs::write(&fixture.statement, text).expect("write the statement");
    });
    eprintln!(
        "built the reconciliation fixture in {:.0} s",
        started.elapsed().as_secs_f64()
    );
}

/// The simulated bank's OFX statement of the Pin account in `currency`.
async fn sim_statement(root: &str, key: &str, currency: &str) -> String {
    let url = format!("{root}/_sim/bank/statement?dialect=pin&currency={currency}&format=ofx");
    let response = reqwest::Client::new()
        .get(url)
        .bearer_auth(key)
        .send()
        .await
        .expect("the statement");
    assert!(response.status().is_success(), "{}", response.status());
    response.text().await.expect("its body")
}

/// Who else the account pays or is paid by: name, reference, sign.
const OTHERS: [(&str, &str, i64); 6] = [
    ("ACME SUPPLIES PTY LTD", "INV", -1),
    ("PAYROLL", "WAGES", -1),
    ("CARD PURCHASE", "CARD 4417", -1),
    ("AGL ENERGY", "BPAY", -1),
    ("TRANSFER FROM SAVINGS", "SWEEP", 1),
    ("J CITIZEN", "REFUND INV", 1),
];

/// One OFX file of the accounts' statements (one `STMTTRNRS` each), the first
/// given the other bookings that bring the lines to `lines`.
fn with_other_lines(statements: &[String], lines: usize) -> String {
    const OPEN: &str = "<STMTTRNRS>";
    const CLOSE: &str = "</STMTTRNRS>";
    let first = &statements[0];
    let block = |s: &str| -> String {
        let from = s.find(OPEN).expect("a STMTTRNRS");
        let to = s.rfind(CLOSE).expect("its end") + CLOSE.len();
        s[from..to].to_string()
    };
    let held: usize = statements
        .iter()
        .map(|s| s.matches("<STMTTRN>").count())
        .sum();
    let dates: Vec<&str> = first
        .split("<DTPOSTED>")
        .skip(1)
        .filter_map(|rest| rest.get(..8))
        .collect();
    let mut others = String::new();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for n in 0..lines.saturating_sub(held) {
        // xorshift: the same lines on every build.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let (name, reference, sign) = OTHERS[(state % OTHERS.len() as u64) as usize];
        let cents = 1_000 + (state >> 8) % 500_000;
        let date = dates[(state >> 32) as usize % dates.len()];
        others.push_str(&format!(
            "<STMTTRN><TRNTYPE>{}</TRNTYPE><DTPOSTED>{date}</DTPOSTED><TRNAMT>{}{}.{:02}</TRNAMT>\
             <FITID>OTHER-{n:05}</FITID><NAME>{name}</NAME><MEMO>{reference} {n}</MEMO></STMTTRN>\n",
            if sign < 0 { "DEBIT" } else { "CREDIT" },
            if sign < 0 { "-" } else { "" },
            cents / 100,
            cents % 100,
        ));
    }
    let end_of_list = first.find("</BANKTRANLIST>").expect("a BANKTRANLIST");
    let mut out = format!("{}{others}", &first[..end_of_list]);
    let after_first = first.rfind(CLOSE).expect("its end") + CLOSE.len();
    out.push_str(&first[end_of_list..after_first]);
    for s in &statements[1..] {
        out.push('\n');
        out.push_str(&block(s));
    }
    out.push_str(&first[after_first..]);
    out
}

/// The profile's store in `store_dir`.
pub fn store_path(store_dir: &Path) -> PathBuf {
    Store::path_for(store_dir, PROFILE)
}
