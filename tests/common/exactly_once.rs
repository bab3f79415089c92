//! Nothing twice, nothing lost, for any gateway: one workload of hundreds of writes
//! through an adapter against a simulator that fails a fifth of requests, applies some
//! writes but loses their answers, drops connections and garbles bodies; then what every
//! exactly-once test checks: the faults really happened, and the simulator's record of
//! applied writes matches what the adapter reported, write by write.

use std::collections::HashMap;
use std::sync::Arc;

use paydeck::domain::{Charge, NewCharge};
use paydeck::gateway::{Gateway, GatewayError, OperationKey};
use paydeck::money::{Currency, Money};
use paydeck::sim::SimConfig;
use serde_json::Value;
use tokio::task::JoinSet;

use super::simulator::{self, Dialect, Sim, faults};
use super::{new_charge, test_card};

/// A card every gateway without keys approves.
const APPROVED: &str = "4111111111111111";

/// A fifth of requests fail, a tenth of writes apply but lose their answer, and some
/// connections drop or answer with a truncated body.
pub const FAULTS: &str = "error_rate=0.2,commit_then_fail=0.1,reset_rate=0.03,malformed_rate=0.04";

/// How many authorisations the workload creates.
pub const CHARGES: usize = 120;

/// A simulator of no charges under [`FAULTS`], seeded as the gateway's test has it.
pub async fn start(dialect: Dialect, seed: u64, customers: usize) -> Sim {
    let config = SimConfig {
        seed,
        charges: 0,
        customers,
        live_per_minute: 0,
        faults: faults(FAULTS),
        ..SimConfig::default()
    };
    simulator::start(dialect, config).await
}

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

/// One write: its kind as the simulator's log names it, its target, what was reported.
pub type Write = (&'static str, String, Outcome);

/// The writes of the workload, as each gateway's test shapes them.
pub struct Workload {
    /// The `i`th authorisation to create.
    pub charge: Box<dyn Fn(usize) -> NewCharge + Send + Sync>,
    /// Every third authorisation is voided instead of captured.
    pub void_every_third: bool,
    /// Left uncaptured of each captured charge (nothing: captured in full).
    pub held_back: Option<Money>,
    /// Each captured charge is refunded this, twice, with this reason.
    pub refund: Money,
    pub reason: Option<&'static str>,
}

/// What the workload did.
pub struct Report {
    /// The authorisations the adapter reported created.
    pub charges: Vec<Charge>,
    pub create_failures: usize,
    /// Every write after the creates, with what the adapter reported.
    pub writes: Vec<Write>,
}

impl Workload {
    /// The workload for a gateway without keys, in `currency` (of two decimals): every
    /// third authorisation voided, the others captured but for 5.00 and refunded 1.00
    /// twice, with a reason.
    pub fn unkeyed(currency: Currency) -> Workload {
        let money = move |minor: usize| {
            Money::from_minor(i64::try_from(minor).expect("a small amount"), currency)
        };
        Workload {
            // 10.00, 11.01, 12.02, ...
            charge: Box::new(move |i| {
                new_charge(money((10 + i) * 100 + i % 100), false, test_card(APPROVED))
            }),
            void_every_third: true,
            held_back: Some(money(500)),
            refund: money(100),
            reason: Some("exactly once"),
        }
    }

    /// Runs the workload through `gateway` and checks what it did, as
    /// [`Report::assert_exactly_once`] says.
    pub async fn run_and_check(&self, sim: &Sim, gateway: Arc<dyn Gateway>, expect: Expect) {
        let report = self.run(gateway.clone()).await;
        report
            .assert_exactly_once(sim, gateway.as_ref(), self, expect)
            .await;
    }

    /// Creates [`CHARGES`] authorisations concurrently, then captures (and refunds
    /// twice) or voids each one, all through the simulator's faults.
    pub async fn run(&self, gateway: Arc<dyn Gateway>) -> Report {
        let mut tasks = JoinSet::new();
        for i in 0..CHARGES {
            let gateway = gateway.clone();
            let charge = (self.charge)(i);
            tasks.spawn(async move { gateway.create_charge(&charge, &OperationKey::new()).await });
        }
        let mut charges: Vec<Charge> = Vec::new();
        let mut create_failures = 0;
        while let Some(joined) = tasks.join_next().await {
            match joined.expect("task") {
                Ok(charge) => charges.push(charge),
                Err(e) => {
                    assert!(
                        !matches!(e, GatewayError::Unconfirmed { .. }),
                        "unconfirmed create: {e}"
                    );
                    create_failures += 1;
                }
            }
        }

        let mut tasks = JoinSet::new();
        for (i, charge) in charges.iter().cloned().enumerate() {
            let gateway = gateway.clone();
            let void = self.void_every_third && i % 3 == 2;
            let capture = match self.held_back {
                Some(part) => charge.amount.checked_sub(part).expect("same currency"),
                None => charge.amount,
            };
            let (refund, reason) = (self.refund, self.reason);
            tasks.spawn(async move {
                let g = gateway.as_ref();
                let id = charge.id.clone();
                let write =
                    |kind, result: Result<(), GatewayError>| (kind, id.clone(), result.into());
                if void {
                    let voided = g.void(&charge.id, &OperationKey::new()).await;
                    return vec![write("void", voided.map(drop))];
                }
                let captured = g
                    .capture(&charge.id, capture, &OperationKey::new())
                    .await
                    .map(drop);
                let ok = captured.is_ok();
                let mut writes = vec![write("capture", captured)];
                if ok {
                    for _ in 0..2 {
                        let refunded = g
                            .refund(&charge.id, refund, reason, &OperationKey::new())
                            .await;
                        writes.push(write("refund", refunded.map(drop)));
                    }
                }
                writes
            });
        }
        let mut writes = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            writes.extend(joined.expect("task"));
        }
        Report {
            charges,
            create_failures,
            writes,
        }
    }
}

/// How many of the writes must get through in the end.
pub enum Expect {
    /// Every one: the gateway keys its writes, so each is resent until answered.
    All,
    /// Nine in ten: without keys, some writes are given up on rather than risked twice.
    NineInTen,
}

impl Report {
    /// The faults happened; every write reported done was applied exactly once and none
    /// reported failed was; each authorisation reported created was created once and
    /// no other; charges captured once for part read back as that part; and enough of
    /// the writes got through.
    pub async fn assert_exactly_once(
        &self,
        sim: &Sim,
        gateway: &dyn Gateway,
        workload: &Workload,
        expect: Expect,
    ) {
        assert_faults_injected(&sim.injected_faults().await);

        let operations = sim.operations().await;
        let expected = assert_applied_as_reported(&operations, &self.writes);
        let created = applied(&operations, "create_charge");
        for charge in &self.charges {
            assert_eq!(
                created.get(&charge.id),
                Some(&1),
                "charge {} created once",
                charge.id
            );
        }
        assert_eq!(
            created.len(),
            self.charges.len(),
            "a create the adapter reported as failed ({}) was applied",
            self.create_failures
        );
        // The charges read back say the same: each capture for the part.
        if let Some(part) = workload.held_back {
            for charge in &self.charges {
                let Ok(now) = gateway.get_charge(&charge.id).await else {
                    continue;
                };
                if expected.get(&("capture", charge.id.clone())) == Some(&1) {
                    let want = charge.amount.checked_sub(part).expect("same currency");
                    assert_eq!(now.captured, want, "{} captured", charge.id);
                }
            }
        }

        let writes = self.writes.len() + CHARGES;
        let done = self
            .writes
            .iter()
            .filter(|(_, _, o)| matches!(o, Outcome::Done))
            .count()
            + self.charges.len();
        assert!(writes >= 300, "only {writes} writes");
        match expect {
            Expect::All => assert_eq!(
                done, writes,
                "every keyed write should get through in the end"
            ),
            Expect::NineInTen => assert!(
                done * 10 >= writes * 9,
                "only {done} of {writes} writes succeeded"
            ),
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
    outcomes: &'a [Write],
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
