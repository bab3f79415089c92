//! Actions a kill interrupted, checked against the simulator's Pin dialect over HTTP:
//! the gateway's answer for each, written to the audit log once.

mod common;

use common::{PinSim, new_charge, pin_sim, test_card};
use paydeck::app::interrupted::check_all;
use paydeck::audit::{self, AuditLog, Entry};
use paydeck::domain::{Charge, ChargeStatus};
use paydeck::gateway::{Charges, OperationKey, Refunds};
use paydeck::money::{Currency, Money};

fn aud(minor: i64) -> Money {
    Money::from_minor(minor, Currency::AUD)
}

async fn charge(sim: &PinSim, minor: i64, capture: bool) -> Charge {
    sim.gateway
        .create_charge(
            &new_charge(aud(minor), capture, test_card("4200000000000000")),
            &OperationKey::new(),
        )
        .await
        .expect("a charge")
}

/// What a killed paydeck leaves: the `before` line and nothing after it.
fn before(log: &AuditLog, action: &str, target: &str, amount: Money) {
    log.append(&Entry {
        time: audit::timestamp(),
        user: "ada",
        operator: None,
        profile: "pin",
        gateway: "Pin Payments",
        action,
        target,
        amount: Some(amount.plain()),
        currency: Some(amount.currency.code()),
        key: OperationKey::new().as_str(),
        reason: None,
        phase: "before",
        result: None,
    })
    .expect("a before line");
}

#[tokio::test]
async fn each_interrupted_action_gets_the_gateways_answer_once() {
    let sim = pin_sim(10, "").await;
    let path = std::env::temp_dir().join(format!("paydeck-int-{}.jsonl", uuid::Uuid::new_v4()));
    let log = AuditLog::open(&path).expect("log");

    // A capture that reached the gateway before the kill, and one that did not.
    let applied = charge(&sim, 2000, false).await;
    before(&log, "capture", &applied.id, applied.amount);
    let now = sim
        .gateway
        .capture(&applied.id, applied.amount, &OperationKey::new())
        .await
        .expect("capture");
    assert_eq!(now.status, ChargeStatus::Captured);
    let lost = charge(&sim, 3000, false).await;
    before(&log, "capture", &lost.id, lost.amount);
    // A refund that got through.
    let paid = charge(&sim, 4000, true).await;
    before(&log, "refund", &paid.id, aud(1250));
    sim.gateway
        .refund(&paid.id, aud(1250), None, &OperationKey::new())
        .await
        .expect("refund");

    let checked = check_all(&sim.gateway, &log, "pin").await;
    let notices: Vec<String> = checked.iter().map(|c| c.notice()).collect();
    assert_eq!(notices.len(), 3, "{notices:#?}");
    assert!(
        notices[0].starts_with(&format!(
            "A capture of A$20.00 on {} was interrupted",
            applied.id
        )) && notices[0].contains("The gateway says: captured"),
        "{}",
        notices[0]
    );
    assert!(
        notices[1].contains(&format!("A capture of A$30.00 on {}", lost.id))
            && notices[1].contains("The gateway says: not captured"),
        "{}",
        notices[1]
    );
    assert!(
        notices[2].contains(&format!("A refund of A$12.50 on {}", paid.id))
            && notices[2].contains("The gateway says: refunded"),
        "{}",
        notices[2]
    );

    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&path)
        .expect("the log")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let outcomes: Vec<&str> = lines
        .iter()
        .filter(|l| l["phase"] == "after")
        .map(|l| l["result"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(outcomes.len(), 3);
    assert!(outcomes.iter().all(|r| r.starts_with("interrupted: ")));

    // Reported once.
    assert!(check_all(&sim.gateway, &log, "pin").await.is_empty());
    let _ = std::fs::remove_file(path);
}
