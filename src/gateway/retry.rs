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
    /// A `Retry-After` longer than this is not waited for.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
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
    loop {
        match attempt().await {
            Err(e) if e.is_transient() && tries < policy.max_attempts => {
                tokio::time::sleep(policy.delay(tries, e.retry_after())).await;
                tries += 1;
            }
            other => return other,
        }
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
}
