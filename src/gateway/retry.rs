//! How often and how patiently the HTTP layer tries again.

use std::collections::hash_map::RandomState;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use super::error::GatewayError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The first backoff; each later one doubles, up to `max_delay`.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// The longest single wait honoured; a longer `Retry-After` is waited for only
    /// this long.
    pub max_retry_after: Duration,
    /// All the waiting one call may do between its attempts. A call that would wait
    /// longer gives up with the last error instead, and a `Retry-After` longer than
    /// this is not waited for at all: the error says how long the gateway asked for,
    /// and the poller comes back later.
    pub max_total_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(10),
            max_total_wait: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` (`attempt` counts from 1): exponential with
    /// full jitter so that many clients do not retry in step, but never less than the
    /// gateway's `Retry-After`.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.max_delay);
        let jittered = exp.mul_f64(0.5) + exp.mul_f64(0.5).mul_f64(unit_random());
        match retry_after {
            Some(wait) => wait.min(self.max_retry_after).max(jittered),
            None => jittered,
        }
    }

    /// The wait before trying again after `error` at attempt `attempt`, having waited
    /// `waited` already in this call; `None` when it is not worth waiting: attempts
    /// are used up, the gateway asks for longer than the whole `max_total_wait`, or
    /// the wait would take the call past it.
    pub fn wait_after(
        &self,
        attempt: u32,
        error: &GatewayError,
        waited: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let asked = error.retry_after();
        if asked.is_some_and(|asked| asked > self.max_total_wait) {
            tracing::info!(%error, "not waiting as long as the gateway asks");
            return None;
        }
        let wait = self.delay(attempt, asked);
        (waited.saturating_add(wait) <= self.max_total_wait).then_some(wait)
    }
}

/// Runs `attempt` until it succeeds, fails for good, or the policy's attempts run out,
/// waiting between tries while the failure is transient. Only for calls that cannot
/// apply twice: reads, and writes the gateway de-duplicates.
pub async fn retry_transient<T, A, F>(
    policy: RetryPolicy,
    mut attempt: A,
) -> Result<T, GatewayError>
where
    A: FnMut() -> F,
    F: Future<Output = Result<T, GatewayError>>,
{
    let mut tries = 1;
    let mut waited = Duration::ZERO;
    loop {
        let error = match attempt().await {
            Err(e) if e.is_transient() => e,
            other => return other,
        };
        let Some(wait) = policy.wait_after(tries, &error, waited) else {
            return Err(error);
        };
        tokio::time::sleep(wait).await;
        waited += wait;
        tries += 1;
    }
}

/// A number in [0, 1) for jitter; not for anything that needs to be unpredictable.
fn unit_random() -> f64 {
    let bits = RandomState::new().build_hasher().finish() >> 11;
    bits as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_honours_retry_after() {
        let p = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(800),
            max_retry_after: Duration::from_secs(10),
            max_total_wait: Duration::from_secs(60),
        };
        for _ in 0..50 {
            let first = p.delay(1, None);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let late = p.delay(10, None);
            assert!(late >= Duration::from_millis(400) && late <= Duration::from_millis(800));
            assert!(p.delay(1, Some(Duration::from_secs(3))) >= Duration::from_secs(3));
            assert_eq!(
                p.delay(1, Some(Duration::from_secs(600))),
                Duration::from_secs(10)
            );
        }
    }

    #[test]
    fn a_wait_longer_than_the_cap_is_not_waited_for_at_all() {
        let p = RetryPolicy::default();
        let asked = |secs| GatewayError::RateLimited {
            retry_after: Some(Duration::from_secs(secs)),
        };
        assert_eq!(p.wait_after(1, &asked(999_999_999), Duration::ZERO), None);
        assert_eq!(
            p.wait_after(1, &asked(3), Duration::ZERO),
            Some(Duration::from_secs(3))
        );
        // Honoured waits are capped, and add up to the call's budget and no further.
        assert_eq!(
            p.wait_after(1, &asked(15), Duration::ZERO),
            Some(p.max_retry_after)
        );
        assert_eq!(p.wait_after(2, &asked(15), Duration::from_secs(15)), None);
        assert_eq!(
            p.wait_after(p.max_attempts, &asked(1), Duration::ZERO),
            None
        );
    }
}
