//! Auto-match and the exceptions queue against the simulator's bank with noise: the
//! payouts synced into a store (`sync::run`), the statement read from OFX, and every
//! finding compared with `GET /_sim/bank/truth`, on three seeds and two gateways.
//!
//! How each kind of the truth is found (shown to the operator, never silently
//! accepted):
//! - `merged`: a `Merged` proposal of that line and exactly those payouts;
//! - `bank_fee` (the bank books its fee as a line of its own): a `BankFeeLine`
//!   proposal of that fee line for the deposit's payouts;
//! - `late`: a `late_deposit` exception on that line and its payouts (the match or
//!   proposal still stands);
//! - `reference_truncated` / `reference_changed`: an exception of that kind on that
//!   line and its payouts (matched by the cut reference, or by amount);
//! - `lost`: a `payout_without_deposit` exception once the payout's window has closed;
//!   before that, nobody can know the deposit will not come, so the payout must be
//!   listed as awaiting its deposit instead;
//! - `unrelated`: a `deposit_without_payout` exception on that line.
//!
//! Every match must pay the payout the truth says the line pays. The gateway-side
//! exceptions are not the bank's: the simulator's ledger is consistent, so none may
//! show but one dispute debit per dispute line of the payouts.

mod common;

use std::collections::BTreeMap;

use common::bank_truth::{
    assert_found_exactly, auto_match_over, bank_id, expected, findings, unpaid,
};
use common::simulator::{Dialect, Sim, seeded};
use common::synced::Synced;
use paydeck::domain::LineKind;
use paydeck::recon::ExceptionKind;
use paydeck::recon::import::ofx;
use paydeck::sim::{BankNoise, SimConfig};
use serde_json::Value;

/// Every kind of noise often enough to show in each run.
const HEAVY: &str = "merge=0.15,fee=0.2,late=0.2,ref=0.2,lost=0.1,unrelated=0.2";

async fn admin(sim: &Sim, path: &str) -> String {
    let (status, body) = sim.admin_get(&format!("bank/{path}")).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// One run: precision and recall against the truth, with what was compared.
async fn score(dialect: Dialect, seed: u64) -> (usize, BTreeMap<String, usize>) {
    let config = SimConfig {
        seed,
        bank_noise: HEAVY.parse::<BankNoise>().expect("noise"),
        ..seeded(600, 40)
    };
    let synced = Synced::start(dialect, config).await;
    let sim = &synced.sim;
    let payouts = synced.payouts().await;
    let unpaid = unpaid(&synced.gateway, &payouts).await;

    let name = dialect.name();
    let truth: Value = serde_json::from_str(&admin(sim, &format!("truth?dialect={name}")).await)
        .expect("truth is JSON");
    let text = admin(sim, &format!("statement?dialect={name}&format=ofx")).await;
    let statement = ofx::parse("statement.ofx", &text).expect("the OFX reads");
    let outcome = auto_match_over(name, &truth, &statement, &payouts, &unpaid);
    let line_id = |d: usize| bank_id(&statement, d);
    let found = findings(&outcome, &line_id);
    let (expected, mut kinds) = expected(&truth, &outcome);
    assert_found_exactly(&found, &expected, &format!("{name} seed {seed}"));

    // Every accepted match pays what the truth says that line pays.
    let line_of: BTreeMap<String, Option<String>> = truth["payouts"]
        .as_array()
        .expect("payouts")
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["line"].as_str().map(String::from),
            )
        })
        .collect();
    for m in &outcome.matches {
        assert_eq!(
            line_of.get(&m.payout),
            Some(&Some(line_id(m.deposit))),
            "{name} seed {seed}: {m:?}"
        );
    }
    // Awaited payouts are on no line of the truth yet.
    for id in &outcome.awaiting {
        assert!(
            line_of.get(id).is_none_or(Option::is_none),
            "{name} {seed}: {id}"
        );
    }
    // The gateway side: the ledger is consistent; disputes are each shown once.
    let disputes = payouts
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| l.kind == LineKind::Dispute)
        .count();
    let ledger: Vec<_> = outcome
        .exceptions
        .iter()
        .filter(|e| {
            !matches!(
                e.kind,
                ExceptionKind::LateDeposit
                    | ExceptionKind::ReferenceTruncated
                    | ExceptionKind::ReferenceChanged
                    | ExceptionKind::PayoutWithoutDeposit
                    | ExceptionKind::DepositWithoutPayout
                    | ExceptionKind::DisputeDebit
            )
        })
        .collect();
    assert!(ledger.is_empty(), "{name} seed {seed}: {ledger:#?}");
    let shown = outcome
        .exceptions
        .iter()
        .filter(|e| e.kind == ExceptionKind::DisputeDebit)
        .count();
    assert_eq!(shown, disputes, "{name} seed {seed}");
    *kinds.entry("dispute debits".into()).or_default() += disputes;
    *kinds.entry("matched".into()).or_default() += outcome.matches.len();

    synced.stop().await;
    (expected.len(), kinds)
}

/// Precision and recall of 100 % on seeds 11, 12 and 13 of pin and stripe; every kind
/// of noise shows at least once over the runs.
#[tokio::test]
async fn auto_match_finds_every_anomaly_the_truth_lists_and_nothing_else() {
    let mut all: BTreeMap<String, usize> = BTreeMap::new();
    for dialect in Dialect::ALL {
        for seed in [11, 12, 13] {
            let (anomalies, kinds) = score(dialect, seed).await;
            eprintln!(
                "{} seed {seed}: {anomalies} anomalies found, none extra: {kinds:?}",
                dialect.name()
            );
            for (kind, n) in kinds {
                *all.entry(kind).or_default() += n;
            }
        }
    }
    for kind in ["merged", "bank_fee", "late", "lost", "unrelated", "matched"] {
        assert!(
            all.get(kind).is_some_and(|n| *n > 0),
            "no {kind} in {all:?}"
        );
    }
    assert!(
        all.contains_key("reference_truncated") && all.contains_key("reference_changed"),
        "{all:?}"
    );
}
