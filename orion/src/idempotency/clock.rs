//! [`Clock`]: where idempotency keys and webhook signatures read the time, so tests can move it.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The wall clock that key retention, claim leases and webhook timestamps are measured by.
///
/// [`Clock::system`] in production. A test builds a [`ManualClock`] and hands its
/// [`clock`](ManualClock::clock) to the code under test, then moves time with
/// [`advance`](ManualClock::advance) instead of sleeping. Cheap to clone.
#[derive(Clone, Default)]
pub struct Clock {
    kind: Kind,
}

#[derive(Clone, Default)]
enum Kind {
    #[default]
    System,
    Manual(Arc<Mutex<SystemTime>>),
}

impl Clock {
    /// The operating system's clock.
    pub fn system() -> Clock {
        Clock { kind: Kind::System }
    }

    /// The current time.
    pub fn now(&self) -> SystemTime {
        match &self.kind {
            Kind::System => SystemTime::now(),
            Kind::Manual(now) => *now.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }

    /// The current time in milliseconds since the Unix epoch (how the database stores it).
    pub(crate) fn now_millis(&self) -> i64 {
        millis(self.now())
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::System => f.write_str("Clock::system"),
            Kind::Manual(_) => write!(f, "Clock::manual({:?})", self.now()),
        }
    }
}

/// A clock that only moves when told, for tests.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use orion::idempotency::ManualClock;
///
/// let manual = ManualClock::new(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
/// let clock = manual.clock();
/// manual.advance(Duration::from_secs(301));
/// assert_eq!(clock.now(), UNIX_EPOCH + Duration::from_secs(1_700_000_301));
/// ```
#[derive(Clone)]
pub struct ManualClock {
    now: Arc<Mutex<SystemTime>>,
}

impl ManualClock {
    /// A clock stopped at `start`.
    pub fn new(start: SystemTime) -> ManualClock {
        ManualClock { now: Arc::new(Mutex::new(start)) }
    }

    /// A [`Clock`] that reads this one.
    pub fn clock(&self) -> Clock {
        Clock { kind: Kind::Manual(self.now.clone()) }
    }

    /// Moves the time forward by `by`.
    pub fn advance(&self, by: Duration) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) += by;
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ManualClock({:?})", self.clock().now())
    }
}

/// `time` in milliseconds since the Unix epoch (negative before it).
pub(crate) fn millis(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// `duration` in milliseconds, saturating.
pub(crate) fn duration_millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
