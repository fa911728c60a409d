//! How jobs write: a [`Store::transaction`] on tokio's blocking pool.
//!
//! Commands `.await` [`Store::write`]; the runner and its handlers' fenced writes wait on a
//! blocking-pool thread instead (`spawn_blocking`). Both leave the async workers free during
//! the fsync. The difference is what tokio knows: a task on its blocking pool is work in
//! flight, so a test's paused clock does not auto-advance past a backoff, a lease or a `run_at`
//! while the writer thread is still committing — in virtual time, those are exact. The cost is
//! one pooled thread per write in flight, bounded by the runner's concurrency.

use crate::store::{Store, Tx};
use crate::{Error, Result};

/// Runs `f` in a write transaction and waits, on the blocking pool, until it has committed.
pub(crate) async fn write<T, F>(store: &Store, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Tx<'_>) -> Result<T> + Send + 'static,
{
    let store = store.clone();
    tokio::task::spawn_blocking(move || store.transaction(f))
        .await
        .map_err(|error| Error::internal(format!("a job's write stopped before it answered: {error}")))?
}
