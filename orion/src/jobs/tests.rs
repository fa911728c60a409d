//! Unit tests of the pure parts: the backoff's bounds and jitter, progress percentages,
//! and the clock's conversions.

use std::time::{Duration, UNIX_EPOCH};

use super::clock::{system_time, unix_ms};
use super::{Progress, Retry};

fn retry(base_ms: u64, max_ms: u64) -> Retry {
    Retry { max_attempts: 10, base: Duration::from_millis(base_ms), max: Duration::from_millis(max_ms) }
}

/// `(attempt, random) → delay in ms` for each case.
fn check(retry: Retry, cases: &[(u32, u64, u64)]) {
    for &(attempt, random, expected) in cases {
        let delay = retry.delay_with(attempt, random);
        assert_eq!(delay, Duration::from_millis(expected), "attempt {attempt}, random {random}");
    }
}

#[test]
fn the_ceiling_doubles_from_base_up_to_max() {
    let retry = retry(1_000, 60_000);
    let ceilings: Vec<u64> = (1..=9).map(|n| retry.ceiling(n).as_millis() as u64).collect();
    assert_eq!(ceilings, [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    assert_eq!(retry.ceiling(0), Duration::from_millis(1_000), "attempt 0 is taken as the first");
    assert_eq!(retry.ceiling(u32::MAX), Duration::from_millis(60_000), "no overflow");
}

#[test]
fn the_delay_is_between_half_the_ceiling_and_all_of_it() {
    // random 0 → the floor; the largest remainder → the ceiling; a remainder wraps.
    check(
        retry(1_000, 60_000),
        &[
            (1, 0, 500),
            (1, 500, 1_000),
            (1, 501, 500),
            (2, 0, 1_000),
            (2, 1_000, 2_000),
            (3, 123, 2_123),
            (10, u64::MAX, 30_000 + u64::MAX % 30_001),
        ],
    );
    check(retry(0, 0), &[(1, 7, 0), (5, u64::MAX, 0)]);
}

#[test]
fn random_delays_stay_within_their_bounds_and_spread() {
    let retry = Retry::default();
    for attempt in 1..=4 {
        let ceiling = retry.ceiling(attempt);
        let delays: Vec<Duration> = (0..64).map(|_| retry.delay(attempt)).collect();
        assert!(delays.iter().all(|d| *d >= ceiling / 2 && *d <= ceiling), "attempt {attempt}: {delays:?}");
        let first = delays[0];
        assert!(delays.iter().any(|d| *d != first), "64 delays from the OS's randomness are not all equal");
    }
}

#[test]
fn max_attempts_is_at_least_one() {
    assert_eq!(Retry { max_attempts: 0, ..Retry::default() }.attempts(), 1);
    assert_eq!(Retry::default().attempts(), 5);
}

#[test]
fn progress_is_a_whole_percentage() {
    let percent = |done, total| Progress { done, total }.percent();
    assert_eq!([percent(0, 0), percent(0, 4), percent(1, 3), percent(3, 3), percent(9, 3)], [0, 0, 33, 100, 100]);
}

#[test]
fn unix_milliseconds_round_trip() {
    for ms in [0, 1, 1_767_225_600_123, -1_500] {
        assert_eq!(unix_ms(system_time(ms)), ms);
    }
    assert_eq!(unix_ms(UNIX_EPOCH + Duration::from_millis(42)), 42);
}
