//! Auto-match scored against the simulated bank's truth (`GET /_sim/bank/truth`):
//! what the matcher showed about the bank and what the truth says it should show,
//! as comparable findings. How each kind of the truth is found is told in
//! `tests/recon_matching.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use paydeck::domain::ChargeFilter;
use paydeck::gateway::Gateway;
use paydeck::recon::{
    ExceptionKind, FeeBand, MatchConfig, MatchInput, MatchOutcome, PayoutWithLines, ProposalKind,
    Statement, UnpaidCharge, auto_match,
};
use paydeck::store::{PAYOUTS_MAX, Store};
use serde_json::Value;

/// (kind, statement line id, payout ids sorted): one finding, or one anomaly.
pub type Finding = (String, Option<String>, Vec<String>);

/// Every payout `store` holds, each with its lines.
pub fn stored_payouts(store: &Store) -> paydeck::store::Result<Vec<PayoutWithLines>> {
    let (from, until) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
    let mut all = Vec::new();
    for payout in store.payouts_between(from, until, PAYOUTS_MAX)? {
        let lines = store.balance_lines(&payout.id)?;
        all.push(PayoutWithLines { payout, lines });
    }
    Ok(all)
}

/// Captured charges that no payout's lines hold, as the gateway lists them.
pub async fn unpaid(gateway: &Arc<dyn Gateway>, payouts: &[PayoutWithLines]) -> Vec<UnpaidCharge> {
    let paid: BTreeSet<&str> = payouts
        .iter()
        .flat_map(|p| &p.lines)
        .filter_map(|l| l.charge_id.as_deref())
        .collect();
    let charges = super::every_page(|page| async move {
        let filter = ChargeFilter::default();
        gateway.list_charges(&page, &filter).await.expect("charges")
    })
    .await;
    charges
        .into_iter()
        .filter(|c| !paid.contains(c.id.as_str()))
        .filter_map(|c| {
            Some(UnpaidCharge {
                captured: c.captured_at?,
                id: c.id,
                amount: c.captured,
            })
        })
        .collect()
}

/// A JSON array of strings, sorted.
pub fn strings(v: &Value) -> Vec<String> {
    let mut all: Vec<String> = v
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    all.sort();
    all
}

/// A `YYYY-MM-DD` field of the truth.
pub fn day(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().expect("a date"), "%Y-%m-%d").expect("a date")
}

/// The bank id (the FITID) of `statement`'s line `at`.
pub fn bank_id(statement: &Statement, at: usize) -> String {
    statement.lines[at].bank_id.clone().expect("a FITID")
}

/// Auto-match over the truth's period (for `gateway`'s fee band).
pub fn auto_match_over(
    gateway: &str,
    truth: &Value,
    statement: &Statement,
    payouts: &[PayoutWithLines],
    unpaid: &[UnpaidCharge],
) -> MatchOutcome {
    let config = MatchConfig {
        fee_band: FeeBand::of(gateway),
        ..MatchConfig::default()
    };
    let input = MatchInput {
        lines: &statement.lines,
        payouts,
        unpaid,
        from: day(&truth["from"]),
        as_of: day(&truth["to"]),
    };
    auto_match(&input, &config)
}

/// What the matcher showed about the bank, as findings.
pub fn findings(outcome: &MatchOutcome, line_id: &dyn Fn(usize) -> String) -> BTreeSet<Finding> {
    let mut found = BTreeSet::new();
    for p in &outcome.proposals {
        let kind = match p.kind {
            ProposalKind::Merged => "merged",
            ProposalKind::BankFeeLine { .. } => "bank_fee",
            ProposalKind::LessFee { .. } => "payout_less_fee",
        };
        found.insert((kind.to_string(), Some(line_id(p.line())), p.payouts.clone()));
    }
    for e in &outcome.exceptions {
        let kind = match e.kind {
            ExceptionKind::LateDeposit => "late",
            ExceptionKind::ReferenceTruncated => "reference_truncated",
            ExceptionKind::ReferenceChanged => "reference_changed",
            ExceptionKind::PayoutWithoutDeposit => "lost",
            ExceptionKind::DepositWithoutPayout => "unrelated",
            _ => continue,
        };
        let line = e.deposits.first().map(|d| line_id(*d));
        found.insert((kind.to_string(), line, e.payouts.clone()));
    }
    found
}

/// What the truth says the matcher must show, and how many of each kind (a lost
/// payout whose window is still open is awaited, not yet an exception).
pub fn expected(
    truth: &Value,
    outcome: &MatchOutcome,
) -> (BTreeSet<Finding>, BTreeMap<String, usize>) {
    let window_open = |id: &str| outcome.awaiting.iter().any(|a| a == id);
    let mut expected = BTreeSet::new();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for a in truth["anomalies"].as_array().expect("anomalies") {
        let kind = a["kind"].as_str().expect("kind").to_string();
        let payouts = strings(&a["payouts"]);
        if kind == "lost" && window_open(&payouts[0]) {
            *kinds.entry("lost, awaited".into()).or_default() += 1;
            continue;
        }
        let line = a["line"].as_str().map(String::from);
        let payouts = if kind == "unrelated" {
            Vec::new()
        } else {
            payouts
        };
        *kinds.entry(kind.clone()).or_default() += 1;
        expected.insert((kind, line, payouts));
    }
    (expected, kinds)
}

/// Fails naming what was missed and what was extra, unless `found` is `expected`.
pub fn assert_found_exactly(found: &BTreeSet<Finding>, expected: &BTreeSet<Finding>, run: &str) {
    let missed: Vec<&Finding> = expected.difference(found).collect();
    let extra: Vec<&Finding> = found.difference(expected).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "{run}: recall misses {missed:?}; precision fails on {extra:?}"
    );
}
