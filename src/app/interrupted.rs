//! Actions a crash or a kill interrupted: on start (and on opening a profile), every
//! `before` line of the profile without an `after` is checked with the gateway, shown
//! as a notice, and its outcome written to the audit log so that it is reported once.

use std::str::FromStr;

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::quitting::capitalised;
use crate::audit::{self, AuditLog, Entry, Recorded};
use crate::gateway::write_once::{capture_applied, void_applied};
use crate::gateway::{Gateway, GatewayError};
use crate::money::{Currency, Money};

/// A refund made this long before its `before` line still counts as ours: clocks differ.
const CLOCK_SKEW: TimeDelta = TimeDelta::minutes(5);

/// What the gateway said about one interrupted action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// `a capture of A$20.00 on ch_…`
    pub what: String,
    /// The gateway's answer in words, or why it could not be asked (then the action
    /// stays unfinished and is asked about again at the next start).
    pub answer: Result<String, String>,
}

impl Checked {
    /// The notice: always says "interrupted", the action, the amount and the target.
    pub fn notice(&self) -> String {
        match &self.answer {
            Ok(answer) => format!(
                "{} was interrupted: paydeck stopped before the gateway answered. The gateway says: {answer}.",
                capitalised(&self.what)
            ),
            Err(why) => format!(
                "{} was interrupted, and the gateway could not be asked ({why}); paydeck asks again at the next start.",
                capitalised(&self.what)
            ),
        }
    }
}

/// Checks every unfinished action of `profile` in the log, writes each answer to the
/// log as the action's `after` line, and returns what was found.
pub async fn check_all(gateway: &dyn Gateway, log: &AuditLog, profile: &str) -> Vec<Checked> {
    let path = log.path().to_path_buf();
    let wanted = profile.to_string();
    let found = tokio::task::spawn_blocking(move || audit::unfinished(&path, &wanted)).await;
    let unfinished = match found {
        Ok(Ok(list)) => list,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "could not read the audit log back");
            return Vec::new();
        }
        Err(e) => {
            tracing::error!(error = %e, "could not read the audit log back");
            return Vec::new();
        }
    };
    let mut checked = Vec::new();
    for recorded in unfinished {
        let answer = ask(gateway, &recorded).await;
        if let Ok(words) = &answer {
            record(log, &recorded, words).await;
        }
        tracing::warn!(key = %recorded.key, action = %recorded.action, ?answer, "an interrupted action");
        checked.push(Checked {
            what: describe(&recorded),
            answer,
        });
    }
    checked
}

/// The amount as the log wrote it, exact.
fn amount(recorded: &Recorded) -> Option<Money> {
    let currency = Currency::from_code(recorded.currency.as_deref()?).ok()?;
    let amount = Decimal::from_str(recorded.amount.as_deref()?).ok()?;
    Money::new(amount, currency).ok()
}

/// The audit log's action name in words, with its article.
fn action_words(action: &str) -> String {
    match action {
        "capture" => "a capture".into(),
        "void" => "a void".into(),
        "void_part" => "a partial void".into(),
        "refund" => "a refund".into(),
        "charge_customer" => "a charge".into(),
        "authorise_customer" => "an authorisation".into(),
        "verify_3ds" => "a 3-D Secure check".into(),
        "submit_evidence" => "evidence".into(),
        "delete_card" => "deleting a card".into(),
        "cancel_subscription" => "cancelling a subscription".into(),
        "delete_customer" => "deleting a customer".into(),
        "close_dispute" => "accepting a dispute".into(),
        other => format!("a {}", other.replace('_', " ")),
    }
}

fn describe(recorded: &Recorded) -> String {
    let action = action_words(&recorded.action);
    let target = &recorded.target;
    match (amount(recorded), &recorded.amount) {
        (Some(money), _) => format!("{action} of {money} on {target}"),
        (None, Some(text)) => format!("{action} of {text} on {target}"),
        (None, None) => format!("{action} on {target}"),
    }
}

/// Asks the gateway with the reads the adapters use to check a write before a retry.
/// `Err` only when the gateway could not be asked now.
async fn ask(gateway: &dyn Gateway, recorded: &Recorded) -> Result<String, String> {
    let target = recorded.target.as_str();
    let asked = match recorded.action.as_str() {
        "capture" => gateway.get_charge(target).await.map(|charge| {
            if capture_applied(&charge) {
                format!("captured ({} captured)", charge.captured)
            } else {
                format!("not captured; the charge is {}", charge.status)
            }
        }),
        "void" => gateway.get_charge(target).await.map(|charge| {
            if void_applied(&charge) {
                "voided".to_string()
            } else {
                format!("not voided; the charge is {}", charge.status)
            }
        }),
        "void_part" => gateway.get_charge(target).await.map(|charge| {
            format!(
                "the charge is {} with {} authorised",
                charge.status, charge.amount
            )
        }),
        "refund" => {
            let since = DateTime::parse_from_rfc3339(&recorded.time)
                .map(|t| t.with_timezone(&Utc) - CLOCK_SKEW)
                .unwrap_or(DateTime::<Utc>::MIN_UTC);
            let wanted = amount(recorded);
            gateway.charge_refunds(target).await.map(|refunds| {
                match refunds
                    .iter()
                    .find(|r| Some(r.amount) == wanted && r.created >= since)
                {
                    Some(refund) => format!(
                        "refunded ({} {}, {})",
                        refund.id,
                        refund.amount,
                        refund.status.label()
                    ),
                    None => "not refunded; no refund of that amount since then".to_string(),
                }
            })
        }
        other => {
            return Ok(format!(
                "nothing: paydeck cannot ask about a {}; look at {target} yourself",
                other.replace('_', " ")
            ));
        }
    };
    match asked {
        Ok(words) => Ok(words),
        Err(GatewayError::NotFound { .. }) => Ok(format!("it has no {target}")),
        Err(e) => Err(e.to_string()),
    }
}

/// The outcome as the action's `after` line, so that the next start does not ask again.
async fn record(log: &AuditLog, recorded: &Recorded, words: &str) {
    let log = log.clone();
    let recorded = recorded.clone();
    let result = format!("interrupted: {words}");
    let written = tokio::task::spawn_blocking(move || {
        let (user, operator) = log.who();
        log.append(&Entry {
            time: audit::timestamp(),
            user,
            operator,
            profile: &recorded.profile,
            gateway: &recorded.gateway,
            action: &recorded.action,
            target: &recorded.target,
            amount: recorded.amount.clone(),
            currency: recorded.currency.as_deref(),
            key: &recorded.key,
            reason: None,
            phase: "after",
            result: Some(result),
        })
    })
    .await;
    if !matches!(written, Ok(Ok(()))) {
        tracing::error!(?written, "could not write an interrupted action's outcome");
    }
}
