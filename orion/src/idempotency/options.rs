//! [`IdempotencyOptions`]: how long a completed key is remembered, how long a claim is held.

use std::time::Duration;

use super::Clock;

/// How an [`Idempotency`](super::Idempotency) keeps its keys. Start from the default:
///
/// ```
/// use std::time::Duration;
/// use orion::idempotency::IdempotencyOptions;
///
/// let options = IdempotencyOptions { retention: Duration::from_secs(7 * 24 * 3600), ..IdempotencyOptions::default() };
/// assert_eq!(options.lease, Duration::from_secs(30));
/// ```
#[derive(Debug, Clone)]
pub struct IdempotencyOptions {
    /// How long a completed key replays its result; after that the key is forgotten and a
    /// request with it runs again. 24 hours by default (what Stripe keeps its keys for), which
    /// covers every retry schedule of an at-least-once sender that gives up within a day.
    pub retention: Duration,
    /// How long an unfinished claim blocks its key when nothing renews it. A running effect
    /// renews its claim every third of the lease, so the lease only matters when the process
    /// holding the claim died: its key answers "in flight" (409) until the lease has passed,
    /// then the next caller runs the effect again. 30 seconds by default.
    pub lease: Duration,
    /// The clock retention and leases are measured by; [`Clock::system`] unless a test
    /// injects a [`ManualClock`](super::ManualClock).
    pub clock: Clock,
}

impl Default for IdempotencyOptions {
    fn default() -> IdempotencyOptions {
        IdempotencyOptions {
            retention: Duration::from_secs(24 * 60 * 60),
            lease: Duration::from_secs(30),
            clock: Clock::system(),
        }
    }
}
