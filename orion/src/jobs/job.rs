//! What a handler gets and gives back: [`Job`] (the payload, the store, fenced writes,
//! progress) and [`Done`] (the writes that commit with "done").
//!
//! A handler is a function from a `Job<P>` to `Result<Done>`. The runner type-erases it behind
//! [`Handler`] (a thin generic shell over a `dyn` core): decode the payload, call the
//! function, and turn a panic into a failed attempt like any other error.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::JobId;
use super::claim::{Attempt, Claimed};
use super::retry::is_permanent;
use super::write::write;
use crate::store::{Store, Tx};
use crate::{Error, Result, guard};

/// A job being run: its payload, and the store to work with.
///
/// Its writes go through [`write`](Job::write) (or [`transaction`](Job::transaction) in a
/// blocking handler), which commit only while this attempt still holds the job. The writes
/// that *are* the job's result belong in the [`Done`] the handler returns: they commit in the
/// same transaction that marks the job done, so they happen exactly once.
pub struct Job<P> {
    /// The job's id.
    pub id: JobId,
    /// Which attempt this is: 1 the first time, 2 on the first retry, and so on.
    pub attempt: u32,
    /// What was enqueued, read back from its JSON.
    pub payload: P,
    /// The app's store, for reads (writes through it directly are not fenced: prefer
    /// [`write`](Job::write)).
    pub store: Store,
    kind: Arc<str>,
    claim: Attempt,
}

impl<P> Job<P> {
    /// The job's kind.
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// Runs `f` in a write transaction that commits only if this attempt still holds the job
    /// (its lease did not expire into another worker's hands); waits without blocking.
    ///
    /// For intermediate writes: steps, partial results, anything a retry may redo.
    pub async fn write<T: Send + 'static>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T> + Send + 'static) -> Result<T> {
        let claim = self.claim;
        write(&self.store, move |tx| {
            claim.fence(tx)?;
            f(tx)
        })
        .await
    }

    /// [`write`](Job::write) for a blocking handler: blocks its thread until committed.
    pub fn transaction<T: Send + 'static>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T> + Send + 'static) -> Result<T> {
        let claim = self.claim;
        self.store.transaction(move |tx| {
            claim.fence(tx)?;
            f(tx)
        })
    }

    /// Records that `done` of `total` steps are done and publishes
    /// [`TOPIC`](super::TOPIC) after the commit, so a region showing the job's
    /// [`Record::progress`](super::Record) re-renders its `<progress>`.
    pub async fn progress(&self, done: u64, total: u64) -> Result<()> {
        let claim = self.claim;
        write(&self.store, move |tx| claim.progress(tx, done, total)).await
    }

    /// [`progress`](Job::progress) for a blocking handler.
    pub fn progress_blocking(&self, done: u64, total: u64) -> Result<()> {
        let claim = self.claim;
        self.store.transaction(move |tx| claim.progress(tx, done, total))
    }
}

impl<P: fmt::Debug> fmt::Debug for Job<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Job")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("attempt", &self.attempt)
            .field("payload", &self.payload)
            .finish_non_exhaustive()
    }
}

/// A writing closure that runs inside the transaction marking a job done.
type Finish = Box<dyn FnOnce(&Tx<'_>) -> Result<()> + Send>;

/// A handler's success: the job is done, and these writes (if any) commit with it.
///
/// ```
/// use orion::jobs::{Done, Job};
///
/// async fn count(job: Job<i64>) -> orion::Result<Done> {
///     let n = job.payload * 2; // the work, outside any transaction
///     Ok(Done::with(move |tx| {
///         tx.execute("INSERT INTO results (n) VALUES (?1)", [n])?;
///         tx.publish("results");
///         Ok(())
///     }))
/// }
/// ```
///
/// If the closure fails (or panics), nothing it wrote commits, the job is not done, and the
/// attempt counts as failed. If the attempt lost the job meanwhile, nothing commits either.
#[derive(Default)]
pub struct Done {
    finish: Option<Finish>,
}

impl Done {
    /// Done, with nothing more to write.
    pub fn new() -> Done {
        Done::default()
    }

    /// Done, with `f`'s writes committed in the same transaction that marks the job done.
    pub fn with(f: impl FnOnce(&Tx<'_>) -> Result<()> + Send + 'static) -> Done {
        Done { finish: Some(Box::new(f)) }
    }

    /// Runs the writes in `tx`.
    pub(crate) fn write(self, tx: &Tx<'_>) -> Result<()> {
        match self.finish {
            Some(finish) => finish(tx),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for Done {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Done").field("writes", &self.finish.is_some()).finish()
    }
}

/// How an attempt's handler ended.
pub(crate) enum Outcome {
    /// It succeeded.
    Done(Done),
    /// It returned an error or panicked: retry, or bury after the last attempt.
    Failed(Error),
    /// No retry can help: the payload does not read as the handler's type, or the handler
    /// failed with a [`permanent`](super::permanent) error. Dead at once.
    Permanent(Error),
}

/// An attempt's handler, running.
pub(crate) type HandlerFuture = Pin<Box<dyn Future<Output = Outcome> + Send>>;

/// A handler with its payload type erased.
pub(crate) trait Handler: Send + Sync {
    /// Starts the handler on a claimed job.
    fn run(&self, claimed: Claimed, store: &Store) -> HandlerFuture;
}

/// An `async` handler, run on the async workers.
pub(crate) struct AsyncHandler<P, F> {
    f: F,
    payload: PhantomData<fn() -> P>,
}

/// A blocking handler, run on tokio's blocking threads (`spawn_blocking`).
pub(crate) struct BlockingHandler<P, F> {
    f: Arc<F>,
    payload: PhantomData<fn() -> P>,
}

impl<P, F> AsyncHandler<P, F> {
    pub(crate) fn new(f: F) -> AsyncHandler<P, F> {
        AsyncHandler { f, payload: PhantomData }
    }
}

impl<P, F> BlockingHandler<P, F> {
    pub(crate) fn new(f: F) -> BlockingHandler<P, F> {
        BlockingHandler { f: Arc::new(f), payload: PhantomData }
    }
}

impl<P, F, Fut> Handler for AsyncHandler<P, F>
where
    P: DeserializeOwned + Send + 'static,
    F: Fn(Job<P>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Done>> + Send + 'static,
{
    fn run(&self, claimed: Claimed, store: &Store) -> HandlerFuture {
        let job = match decode::<P>(claimed, store) {
            Ok(job) => job,
            Err(error) => return Box::pin(std::future::ready(Outcome::Permanent(error))),
        };
        let future = match guard::catch_sync(|| (self.f)(job)) {
            Ok(future) => future,
            Err(panic) => return Box::pin(std::future::ready(Outcome::Failed(panic))),
        };
        Box::pin(async move { outcome(guard::catch(future).await.and_then(|result| result)) })
    }
}

impl<P, F> Handler for BlockingHandler<P, F>
where
    P: DeserializeOwned + Send + 'static,
    F: Fn(Job<P>) -> Result<Done> + Send + Sync + 'static,
{
    fn run(&self, claimed: Claimed, store: &Store) -> HandlerFuture {
        let job = match decode::<P>(claimed, store) {
            Ok(job) => job,
            Err(error) => return Box::pin(std::future::ready(Outcome::Permanent(error))),
        };
        let f = self.f.clone();
        let task = tokio::task::spawn_blocking(move || guard::catch_sync(|| f(job)).and_then(|result| result));
        Box::pin(async move {
            outcome(task.await.unwrap_or_else(|error| Err(Error::internal(format!("the handler stopped: {error}")))))
        })
    }
}

fn outcome(result: Result<Done>) -> Outcome {
    match result {
        Ok(done) => Outcome::Done(done),
        Err(error) if is_permanent(&error) => Outcome::Permanent(error),
        Err(error) => Outcome::Failed(error),
    }
}

/// The [`Job`] for a claimed row: its payload read as `P`.
fn decode<P: DeserializeOwned>(claimed: Claimed, store: &Store) -> Result<Job<P>> {
    let Claimed { attempt, kind, payload } = claimed;
    let payload = serde_json::from_str(&payload).map_err(|error| {
        Error::internal(format!(
            "the payload of job {} does not read as `{}`, the payload type of the `{kind}` handler: {error}: \
             enqueue that type (or fix the handler's), then requeue the job with `orion::jobs::requeue`",
            attempt.id,
            std::any::type_name::<P>(),
        ))
        .with_source(error)
    })?;
    Ok(Job {
        id: attempt.id,
        attempt: attempt.attempt,
        payload,
        store: store.clone(),
        kind: kind.into(),
        claim: attempt,
    })
}
