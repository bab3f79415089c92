//! Nothing twice: how a mutating call is retried.
//!
//! A write that failed *ambiguously* (timeout, dropped connection, 5xx, unreadable
//! response) may have been applied. It is never simply sent again:
//!
//! * with an idempotency key the gateway honours, the same request with the same key is
//!   sent again, and the gateway replays the first result if there was one
//!   ([`write_idempotent`]);
//! * without one, the gateway is asked first: a `check` reads the target back and says
//!   whether the write already happened ([`write_with_check`]). If it did, its result is
//!   returned as success; if it did not, the write is sent again; if the gateway cannot
//!   be asked, the outcome is reported as unconfirmed, never as failed.
//!
//! A failure that certainly changed nothing (refused before sending, 429, a 4xx the
//! gateway decided on) is final or retried as it is, with no check.

use std::future::Future;

use super::error::GatewayError;
use super::retry::{RetryPolicy, retry_transient};
use crate::domain::{Charge, ChargeStatus};

/// A stable name for one operator action, generated before the first attempt and
/// written to the audit log: sent as the idempotency key where the gateway takes one,
/// and used to find the result of an ambiguous write where it does not.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OperationKey(String);

impl OperationKey {
    pub fn new() -> OperationKey {
        OperationKey::from_uuid(uuid::Uuid::new_v4())
    }

    /// The key named by `uuid`, for a source of keys that a test can seed.
    pub fn from_uuid(uuid: uuid::Uuid) -> OperationKey {
        OperationKey(format!("pd_{}", uuid.simple()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for OperationKey {
    fn default() -> Self {
        OperationKey::new()
    }
}

impl std::fmt::Display for OperationKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a charge read back shows its capture applied: the check before a capture
/// is retried, and after a capture paydeck was stopped in the middle of.
pub fn capture_applied(charge: &Charge) -> bool {
    charge.status != ChargeStatus::Authorised && charge.captured.is_positive()
}

/// Whether a charge read back shows its authorisation voided, likewise.
pub fn void_applied(charge: &Charge) -> bool {
    charge.status == ChargeStatus::Voided
}

/// What a check found at the gateway.
#[derive(Debug, Clone)]
pub enum Applied<T> {
    /// The write happened; this is its result.
    Yes(T),
    /// The write did not happen; it is safe to send it again.
    No,
}

impl<T> Applied<T> {
    /// `Yes(value)` where the check found the write `done`.
    pub fn when(done: bool, value: T) -> Applied<T> {
        if done {
            Applied::Yes(value)
        } else {
            Applied::No
        }
    }
}

/// What a check looked for: found, the write happened and this is its result.
impl<T> From<Option<T>> for Applied<T> {
    fn from(found: Option<T>) -> Applied<T> {
        match found {
            Some(value) => Applied::Yes(value),
            None => Applied::No,
        }
    }
}

/// The check of a write to a charge: the charge read back, and whether it shows the
/// write (`capture_applied`, `void_applied`).
pub async fn charge_shows<F>(
    read: F,
    applied: fn(&Charge) -> bool,
) -> Result<Applied<Charge>, GatewayError>
where
    F: Future<Output = Result<Charge, GatewayError>>,
{
    let charge = read.await?;
    Ok(Applied::when(applied(&charge), charge))
}

/// The check of a deletion, from reading the object back: gone means it happened.
pub fn deleted<T>(read: Result<T, GatewayError>) -> Result<Applied<()>, GatewayError> {
    match read {
        Err(GatewayError::NotFound { .. }) => Ok(Applied::Yes(())),
        Ok(_) => Ok(Applied::No),
        Err(e) => Err(e),
    }
}

/// Sends a write that cannot apply twice, because the gateway de-duplicates it by key or
/// because it sets state outright (a PUT of fields): every transient failure is
/// retried with the same request, since a replay cannot apply it twice.
pub async fn write_idempotent<T, S, F>(policy: RetryPolicy, send: S) -> Result<T, GatewayError>
where
    S: FnMut() -> F,
    F: Future<Output = Result<T, GatewayError>>,
{
    retry_transient(policy, send).await
}

/// Sends a write the gateway cannot de-duplicate, checking the gateway's state before
/// any retry that could apply it twice. `operation` names it in errors ("capture").
pub async fn write_with_check<T, S, SF, C, CF>(
    policy: RetryPolicy,
    operation: &str,
    mut send: S,
    mut check: C,
) -> Result<T, GatewayError>
where
    S: FnMut() -> SF,
    SF: Future<Output = Result<T, GatewayError>>,
    C: FnMut() -> CF,
    CF: Future<Output = Result<Applied<T>, GatewayError>>,
{
    let mut attempt = 1;
    let mut waited = std::time::Duration::ZERO;
    loop {
        let error = match send().await {
            Ok(result) => return Ok(result),
            Err(e) => e,
        };
        if error.certainly_not_applied() {
            if error.is_transient()
                && let Some(wait) = policy.wait_after(attempt, &error, waited)
            {
                tokio::time::sleep(wait).await;
                waited += wait;
                attempt += 1;
                continue;
            }
            return Err(error);
        }
        tracing::info!(operation, %error, "write failed ambiguously; asking the gateway whether it applied");
        match ask(policy, &mut check).await {
            Ok(Applied::Yes(result)) => {
                tracing::info!(operation, "the write had applied; not sending it again");
                return Ok(result);
            }
            Ok(Applied::No) => match policy.wait_after(attempt, &error, waited) {
                Some(wait) => {
                    tokio::time::sleep(wait).await;
                    waited += wait;
                    attempt += 1;
                }
                // The gateway says it did not happen, and we have tried enough: a real
                // failure.
                None => return Err(error),
            },
            Err(check_error) => {
                tracing::warn!(operation, %check_error, "could not confirm the write");
                return Err(GatewayError::Unconfirmed {
                    operation: operation.to_string(),
                    last: Box::new(error),
                });
            }
        }
    }
}

/// Runs the check, retrying it (it is a read) while the gateway is unhappy.
async fn ask<T, C, CF>(policy: RetryPolicy, check: &mut C) -> Result<Applied<T>, GatewayError>
where
    C: FnMut() -> CF,
    CF: Future<Output = Result<Applied<T>, GatewayError>>,
{
    // Checking matters more than the write itself, so it gets twice the patience.
    let patient = RetryPolicy {
        max_attempts: policy.max_attempts.saturating_mul(2),
        max_total_wait: policy.max_total_wait.saturating_mul(2),
        ..policy
    };
    retry_transient(patient, check).await
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::time::Duration;

    use super::*;

    fn quick() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            max_retry_after: Duration::from_millis(2),
            ..RetryPolicy::default()
        }
    }

    fn reset() -> GatewayError {
        GatewayError::Connection {
            message: "reset".into(),
            before_send: false,
        }
    }

    /// The next of `answers` (the last one again once they run out), counted in `asked`.
    fn next<T: Clone>(asked: &Cell<usize>, answers: &[T]) -> T {
        let n = asked.get();
        asked.set(n + 1);
        answers[n.min(answers.len() - 1)].clone()
    }

    /// A checked write whose attempts answer `sends` and whose checks answer `checks`,
    /// in turn: its result, and how many attempts and checks it made.
    async fn checked_write(
        sends: &[Result<u32, GatewayError>],
        checks: &[Result<Applied<u32>, GatewayError>],
    ) -> (Result<u32, GatewayError>, usize, usize) {
        let (sent, asked) = (Cell::new(0), Cell::new(0));
        let result = write_with_check(
            quick(),
            "capture",
            || std::future::ready(next(&sent, sends)),
            || std::future::ready(next(&asked, checks)),
        )
        .await;
        (result, sent.get(), asked.get())
    }

    #[tokio::test]
    async fn an_applied_write_is_not_sent_again() {
        let (result, sends, _) = checked_write(&[Err(reset())], &[Ok(Applied::Yes(7))]).await;
        assert_eq!(result.unwrap(), 7);
        assert_eq!(sends, 1);
    }

    #[tokio::test]
    async fn a_write_that_did_not_apply_is_sent_again() {
        let sends = [Err(reset()), Err(reset()), Ok(3)];
        let (result, sent, _) = checked_write(&sends, &[Ok(Applied::No)]).await;
        assert_eq!(result.unwrap(), 3);
        assert_eq!(sent, 3);
    }

    #[tokio::test]
    async fn a_definite_refusal_is_final_and_unchecked() {
        let refused = GatewayError::Refused {
            code: "invalid_state".into(),
            message: "already captured".into(),
        };
        let (result, _, checks) = checked_write(&[Err(refused)], &[Ok(Applied::No)]).await;
        assert!(matches!(result, Err(GatewayError::Refused { .. })));
        assert_eq!(checks, 0);
    }

    #[tokio::test]
    async fn an_unanswerable_check_is_unconfirmed_not_failed() {
        let timeout = GatewayError::Timeout;
        let (result, _, _) = checked_write(&[Err(timeout.clone())], &[Err(timeout)]).await;
        assert!(matches!(result, Err(GatewayError::Unconfirmed { .. })));
    }

    #[tokio::test]
    async fn keyed_writes_are_resent_on_transient_failures_only() {
        let sends = Cell::new(0);
        let result = write_idempotent(quick(), || {
            sends.set(sends.get() + 1);
            let n = sends.get();
            async move {
                if n < 2 {
                    Err(GatewayError::Timeout)
                } else {
                    Ok(n)
                }
            }
        })
        .await;
        assert_eq!(result.unwrap(), 2);
        let declined = write_idempotent(quick(), || async {
            Err::<u32, _>(GatewayError::Declined {
                code: "card_declined".into(),
                message: "The card was declined".into(),
                charge_id: None,
            })
        })
        .await;
        assert!(matches!(declined, Err(GatewayError::Declined { .. })));
    }
}
