//! [`Retry`]: how a failed attempt is retried — exponential backoff with jitter, a maximum
//! number of attempts, then the dead-letter state.
//!
//! After attempt `n` fails, the job waits a random delay between half and all of
//! `base · 2^(n−1)` (capped at `max`): the "equal jitter" of the AWS architecture blog's
//! *Exponential Backoff And Jitter*. The random half keeps a burst of jobs that failed together
//! (a provider was down) from retrying in lock-step; the fixed half keeps the backoff growing.
//! The randomness comes from the operating system (`getrandom`).
//!
//! A failure that waiting cannot fix (a refused address, a payload the handler rejects) is
//! marked [`permanent`]: the job is dead after that attempt, whatever attempts are left.

use std::time::Duration;

use crate::Error;

/// How failed attempts are retried. Start from the default and change what you need:
///
/// ```
/// use std::time::Duration;
/// use orion::jobs::Retry;
///
/// let retry = Retry { max_attempts: 3, ..Retry::default() };
/// assert_eq!(retry.ceiling(1), Duration::from_secs(1));
/// assert_eq!(retry.ceiling(3), Duration::from_secs(4));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all, the first included; after the last one fails the job is dead.
    /// `0` is taken as `1`. A worker that died mid-job used up its attempt.
    pub max_attempts: u32,
    /// The delay ceiling after the first failure; it doubles with each further failure.
    pub base: Duration,
    /// The largest delay ceiling.
    pub max: Duration,
}

impl Default for Retry {
    /// Five attempts, waiting up to 1 s, 2 s, 4 s and 8 s between them; at most 10 minutes.
    fn default() -> Retry {
        Retry { max_attempts: 5, base: Duration::from_secs(1), max: Duration::from_secs(600) }
    }
}

impl Retry {
    /// The attempts allowed, at least 1.
    pub fn attempts(&self) -> u32 {
        self.max_attempts.max(1)
    }

    /// The longest delay after failed attempt `attempt` (1 for the first):
    /// `base · 2^(attempt−1)`, at most `max`.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(63);
        let factor = 1u32.checked_shl(doublings).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.max)
    }

    /// The delay after failed attempt `attempt`: random, between half of
    /// [`ceiling`](Retry::ceiling) and all of it.
    pub fn delay(&self, attempt: u32) -> Duration {
        self.delay_with(attempt, random())
    }

    /// [`delay`](Retry::delay) with the random number given (for tests).
    pub(crate) fn delay_with(&self, attempt: u32, random: u64) -> Duration {
        let ceiling = self.ceiling(attempt).as_millis();
        let floor = ceiling / 2;
        let spread = ceiling - floor + 1;
        let millis = floor + u128::from(random) % spread;
        Duration::from_millis(u64::try_from(millis).unwrap_or(u64::MAX))
    }
}

/// Marks `error` as one no retry can fix: the attempt that fails with it makes the job dead at
/// once, with `error`'s message as its last error, however many attempts are left.
///
/// Return it from a handler (or from the writes of its [`Done`](super::Done)) for a failure
/// that will not go away by waiting. [`requeue`](super::requeue) still brings the job back,
/// after the cause is fixed.
///
/// ```
/// use orion::jobs::{self, Done, Job};
/// use orion::Error;
///
/// async fn send(job: Job<String>) -> orion::Result<Done> {
///     if !job.payload.contains('@') {
///         return Err(jobs::permanent(Error::bad_request(format!("`{}` is not an email address", job.payload))));
///     }
///     Ok(Done::new())
/// }
/// ```
pub fn permanent(error: Error) -> Error {
    let (kind, message) = (error.kind(), error.message().to_owned());
    Error::new(kind, message).with_source(Permanent(error))
}

/// Whether `error` was marked with [`permanent`].
pub fn is_permanent(error: &Error) -> bool {
    std::error::Error::source(error).is_some_and(|source| source.is::<Permanent>())
}

/// The mark of a [`permanent`] failure, with the original error as its source.
#[derive(Debug, thiserror::Error)]
#[error("no retry can fix this")]
struct Permanent(#[source] Error);

/// A random number from the operating system; if it has none to give, the clock's nanoseconds
/// (jitter only needs to differ between workers, not to be secret).
fn random() -> u64 {
    getrandom::u64().unwrap_or_else(|_| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        now.map_or(0, |d| u64::from(d.subsec_nanos()))
    })
}
