//! The runner's clock: wall-clock milliseconds that move with tokio's clock.
//!
//! Job times (`run_at`, leases) are stored as Unix milliseconds, because another process
//! sharing the file must read them the same way. The runner reads "now" as the wall-clock time
//! it started at plus the time tokio says has passed since: in production that is the wall
//! clock, and in a test with tokio's clock paused (`start_paused`, `advance`) job time moves
//! only when the test moves it, so backoffs, leases and `run_at` run in virtual time.
//!
//! If the wall clock is stepped forward (a machine that booted with a stale clock, then got
//! NTP), it gets ahead of tokio's monotonic one, and jobs enqueued "now" would look like they
//! are due later: when the wall clock is more than [`STEP`] ahead, the clock jumps forward to
//! it. It never goes back, so a lease never shortens. Processes sharing a file must agree on
//! the time (run them on one machine, or keep their clocks in sync).

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

/// How far the wall clock may get ahead before the clock follows it, in milliseconds.
const STEP: i64 = 1_000;

/// Wall-clock milliseconds anchored to tokio's clock when the runner started.
#[derive(Debug)]
pub(crate) struct Clock {
    /// Unix milliseconds at `instant`.
    start_ms: i64,
    instant: Instant,
    /// Milliseconds added since, when the wall clock was stepped forward.
    stepped: AtomicI64,
}

impl Clock {
    /// A clock reading the wall clock now, and tokio's clock from now on.
    pub(crate) fn start() -> Clock {
        Clock { start_ms: unix_ms(SystemTime::now()), instant: Instant::now(), stepped: AtomicI64::new(0) }
    }

    /// Now, in Unix milliseconds.
    pub(crate) fn now(&self) -> i64 {
        let anchored = self.start_ms.saturating_add(millis(self.instant.elapsed()));
        let behind = unix_ms(SystemTime::now()).saturating_sub(anchored);
        let stepped = self.stepped.load(Ordering::Relaxed);
        if behind > stepped.saturating_add(STEP) {
            self.stepped.fetch_max(behind, Ordering::Relaxed);
        }
        anchored.saturating_add(self.stepped.load(Ordering::Relaxed))
    }

    /// The tokio instant at which this clock reads `ms` (now, if `ms` is in the past).
    pub(crate) fn instant_at(&self, ms: i64) -> Instant {
        let now = self.now();
        Instant::now() + Duration::from_millis(u64::try_from(ms.saturating_sub(now)).unwrap_or(0))
    }
}

/// `time` in Unix milliseconds (negative before 1970).
pub(crate) fn unix_ms(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => millis(after),
        Err(before) => -millis(before.duration()),
    }
}

/// Unix milliseconds back to a `SystemTime`.
pub(crate) fn system_time(ms: i64) -> SystemTime {
    let offset = Duration::from_millis(ms.unsigned_abs());
    if ms >= 0 { UNIX_EPOCH + offset } else { UNIX_EPOCH - offset }
}

/// `duration` in whole milliseconds, saturating.
pub(crate) fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
