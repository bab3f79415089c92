//! What every exactly-once fault test checks, whichever gateway it drives: the faults
//! really happened, and the simulator's record of applied writes matches what the
//! adapter reported, write by write.

use std::collections::HashMap;

use paydeck::gateway::GatewayError;
use serde_json::Value;

/// A fifth of requests fail, a tenth of writes apply but lose their answer, and some
/// connections drop or answer with a truncated body.
pub const FAULTS: &str = "error_rate=0.2,commit_then_fail=0.1,reset_rate=0.03,malformed_rate=0.04";

/// What the adapter reported for one write.
#[derive(Debug)]
pub enum Outcome {
    Done,
    Failed(GatewayError),
}

impl From<Result<(), GatewayError>> for Outcome {
    fn from(result: Result<(), GatewayError>) -> Outcome {
        match result {
            Ok(()) => Outcome::Done,
            Err(e) => Outcome::Failed(e),
        }
    }
}

/// Applied operations of one kind made through the API, counted by target.
pub fn applied(operations: &[Value], kind: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for op in operations
        .iter()
        .filter(|op| op["operation"] == kind && op["source"] == "api")
    {
        let target = op["target"].as_str().unwrap_or_default().to_string();
        *counts.entry(target).or_default() += 1;
    }
    counts
}

/// The faults the test is about (`/_sim/faults`) happened, many times over.
pub fn assert_faults_injected(injected: &Value) {
    for kind in ["error", "commit_then_fail", "reset", "malformed"] {
        let n = injected[kind].as_u64().unwrap_or(0);
        assert!(n >= 5, "only {n} {kind} faults injected: {injected}");
    }
}

/// Every write reported done was applied exactly once, every write reported failed was
/// not applied, and none was left unconfirmed. Returns how many times each
/// (kind, target) was reported done.
pub fn assert_applied_as_reported<'a>(
    operations: &[Value],
    outcomes: &'a [(&'a str, String, Outcome)],
) -> HashMap<(&'a str, String), usize> {
    let mut expected: HashMap<(&str, String), usize> = HashMap::new();
    for (kind, target, outcome) in outcomes {
        match outcome {
            Outcome::Done => *expected.entry((kind, target.clone())).or_default() += 1,
            Outcome::Failed(GatewayError::Unconfirmed { .. }) => {
                panic!("{kind} on {target} left unconfirmed")
            }
            Outcome::Failed(_) => {
                expected.entry((kind, target.clone())).or_default();
            }
        }
    }
    for ((kind, target), want) in &expected {
        let got = applied(operations, kind).get(target).copied().unwrap_or(0);
        assert_eq!(
            got, *want,
            "{kind} on {target}: applied {got} times, reported done {want} times"
        );
    }
    expected
}
