//! The runner: [`Jobs`] (handlers registered per kind, and options) and [`Running`] (a started
//! runner, stopped gracefully).
//!
//! One scheduler task per runner claims due jobs while it has free slots, and spawns one task
//! per attempt. It sleeps until the earliest of: a publish of an enqueue in this process (the
//! wake-up is delivered after the enqueuing transaction commits), an attempt finishing, the
//! next job falling due (a `run_at`, or a lease expiring), or the poll interval (how jobs
//! enqueued by another process are noticed). Looking for due jobs is a read; only a claim
//! writes, so an idle runner costs no fsync.
//!
//! An attempt's task runs the handler and, every third of the lease, renews the lease, so a
//! handler may run longer than its lease while its worker lives; when the worker dies, the
//! renewals stop and another worker claims the job once the lease expires.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::{Instant, MissedTickBehavior};

use super::claim::{Attempt, Claimant, Claimed};
use super::clock::{Clock, millis};
use super::job::{AsyncHandler, BlockingHandler, Handler, Outcome};
use super::retry::is_permanent;
use super::write::write;
use super::{Done, Job, Retry, WAKE, schema};
use crate::store::Store;
use crate::{Error, Result};

/// How a runner runs. Start from the default and change what you need:
///
/// ```
/// use std::time::Duration;
/// use orion::jobs::JobsOptions;
///
/// let options = JobsOptions { lease: Duration::from_secs(120), ..JobsOptions::default() };
/// assert_eq!(options.concurrency, 8);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobsOptions {
    /// The most attempts running at once in this runner (`0` is taken as `1`).
    pub concurrency: usize,
    /// How long a claim lasts without renewal. Renewed every third of it while the handler
    /// runs; after a crash, the job is retried this long after the last renewal.
    pub lease: Duration,
    /// How often to look for jobs nobody woke this runner for: enqueued by another process.
    pub poll: Duration,
    /// How failed attempts are retried.
    pub retry: Retry,
}

impl Default for JobsOptions {
    fn default() -> JobsOptions {
        JobsOptions {
            concurrency: 8,
            lease: Duration::from_secs(30),
            poll: Duration::from_secs(1),
            retry: Retry::default(),
        }
    }
}

/// A job runner being set up: its store, options and one handler per kind.
///
/// ```no_run
/// use orion::jobs::{Done, Job, Jobs};
///
/// async fn build(job: Job<i64>) -> orion::Result<Done> {
///     Ok(Done::new())
/// }
///
/// # async fn example(store: orion::Store) -> orion::Result<()> {
/// let jobs = Jobs::new(&store).handle("report.build", build).start()?;
/// // … serve …
/// jobs.stop().await?;
/// # Ok(())
/// # }
/// ```
pub struct Jobs {
    store: Store,
    options: JobsOptions,
    handlers: Vec<(String, Arc<dyn Handler>)>,
}

impl Jobs {
    /// A runner for `store` with the default [`JobsOptions`].
    pub fn new(store: &Store) -> Jobs {
        Jobs::with_options(store, JobsOptions::default())
    }

    /// A runner for `store` with `options`.
    pub fn with_options(store: &Store, options: JobsOptions) -> Jobs {
        Jobs { store: store.clone(), options, handlers: Vec::new() }
    }

    /// Runs jobs of `kind` with the `async` function `handler`, on the async workers.
    ///
    /// `P` is the payload type: the JSON stored by [`enqueue`](super::enqueue) is read back
    /// as `P`. Keep CPU-heavy work out of an async handler (it would hold a worker thread,
    /// and its lease renewals with it): use [`handle_blocking`](Jobs::handle_blocking).
    pub fn handle<P, F, Fut>(mut self, kind: &str, handler: F) -> Jobs
    where
        P: DeserializeOwned + Send + 'static,
        F: Fn(Job<P>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Done>> + Send + 'static,
    {
        self.handlers.push((kind.to_owned(), Arc::new(AsyncHandler::new(handler))));
        self
    }

    /// Runs jobs of `kind` with the blocking function `handler`, on tokio's blocking threads
    /// (`spawn_blocking`): for CPU-heavy work, or blocking libraries.
    pub fn handle_blocking<P, F>(mut self, kind: &str, handler: F) -> Jobs
    where
        P: DeserializeOwned + Send + 'static,
        F: Fn(Job<P>) -> Result<Done> + Send + Sync + 'static,
    {
        self.handlers.push((kind.to_owned(), Arc::new(BlockingHandler::new(handler))));
        self
    }

    /// Creates the jobs table if needed (blocking, like [`Store::migrate`]) and starts
    /// running jobs on the current tokio runtime.
    ///
    /// Fails if a kind has two handlers, or when called outside a tokio runtime.
    pub fn start(self) -> Result<Running> {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return Err(Error::internal(
                "`Jobs::start` was called outside a tokio runtime: call it from `#[tokio::main]` code",
            ));
        };
        let mut handlers: HashMap<String, Arc<dyn Handler>> = HashMap::new();
        for (kind, handler) in self.handlers {
            if handlers.insert(kind.clone(), handler).is_some() {
                return Err(Error::internal(format!(
                    "the job kind `{kind}` has two handlers: register each kind once with `Jobs::handle`"
                )));
            }
        }
        schema::setup(&self.store)?;
        let mut kinds: Vec<&str> = handlers.keys().map(String::as_str).collect();
        kinds.sort_unstable();
        let worker = format!("{}-{:08x}", std::process::id(), getrandom::u32().unwrap_or_default());
        let claimant = Claimant {
            kinds: serde_json::to_string(&kinds).map_err(|e| Error::internal(e.to_string()))?,
            worker: worker.clone(),
            lease_ms: millis(self.options.lease).max(1),
            max_attempts: self.options.retry.attempts(),
        };
        let runner =
            Arc::new(Runner { store: self.store, claimant, handlers, options: self.options, clock: Clock::start() });
        let (stop, stopped) = watch::channel(());
        let task = runtime.spawn(runner.schedule(stopped));
        Ok(Running { stop: Some(stop), task: Some(task), worker })
    }
}

impl fmt::Debug for Jobs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<&str> = self.handlers.iter().map(|(kind, _)| kind.as_str()).collect();
        f.debug_struct("Jobs").field("kinds", &kinds).field("options", &self.options).finish_non_exhaustive()
    }
}

/// A started runner. [`stop`](Running::stop) it before closing the store; dropping it stops
/// claiming too, without waiting for the attempts in flight.
pub struct Running {
    stop: Option<watch::Sender<()>>,
    task: Option<JoinHandle<()>>,
    worker: String,
}

impl Running {
    /// This runner's name, recorded on the jobs it claims (`{pid}-{random}`).
    pub fn worker(&self) -> &str {
        &self.worker
    }

    /// Stops claiming jobs and waits for the attempts in flight to finish and record their
    /// outcome. An attempt that never finishes is abandoned by cancelling this future (e.g.
    /// with `tokio::time::timeout`); its job is retried once its lease expires.
    pub async fn stop(mut self) -> Result<()> {
        drop(self.stop.take());
        match self.task.take() {
            Some(task) => task.await.map_err(|error| Error::internal(format!("the job runner stopped: {error}"))),
            None => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        drop(self.stop.take());
    }
}

impl fmt::Debug for Running {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Running").field("worker", &self.worker).finish_non_exhaustive()
    }
}

/// A started runner's shared state.
struct Runner {
    store: Store,
    claimant: Claimant,
    handlers: HashMap<String, Arc<dyn Handler>>,
    options: JobsOptions,
    clock: Clock,
}

impl Runner {
    /// The scheduler: claims while there are free slots, then waits for something to change.
    async fn schedule(self: Arc<Runner>, mut stop: watch::Receiver<()>) {
        let mut wake = self.store.bus().subscribe(&[WAKE]);
        let mut attempts = JoinSet::new();
        let concurrency = self.options.concurrency.max(1);
        let poll = millis(self.options.poll).max(1);
        // `stop` is never sent a value: dropping its sender is the signal.
        while stop.has_changed().is_ok() {
            let now = self.clock.now();
            let mut until = now.saturating_add(poll);
            let free = concurrency.saturating_sub(attempts.len());
            if free > 0 {
                match self.claimant.next_due(&self.store) {
                    Ok(Some(due)) if due <= now => match self.claim(free).await {
                        Ok(claimed) if !claimed.is_empty() => {
                            for claimed in claimed {
                                attempts.spawn(self.clone().attempt(claimed));
                            }
                            continue;
                        }
                        Ok(_) => {}
                        Err(error) => tracing::error!(%error, "claiming jobs failed; trying again at the next poll"),
                    },
                    Ok(Some(due)) => until = until.min(due),
                    Ok(None) => {}
                    Err(error) => tracing::error!(%error, "looking for due jobs failed; trying again at the next poll"),
                }
            }
            tokio::select! {
                biased;
                _ = stop.changed() => break,
                Some(_) = attempts.join_next(), if !attempts.is_empty() => {}
                _ = wake.changed() => {}
                _ = tokio::time::sleep_until(self.clock.instant_at(until)) => {}
            }
        }
        while attempts.join_next().await.is_some() {}
    }

    async fn claim(&self, limit: usize) -> Result<Vec<Claimed>> {
        let claimant = self.claimant.clone();
        let now = self.clock.now();
        write(&self.store, move |tx| claimant.claim(tx, now, limit)).await
    }

    /// One attempt: run the handler while renewing the lease, then record how it ended.
    ///
    /// The renewal timer stays armed while a renewal is being written (each renewal is a task
    /// of its own), so renewals keep their rhythm even when a write is slow — or when a test's
    /// paused clock jumps ahead while the writer thread works.
    async fn attempt(self: Arc<Runner>, claimed: Claimed) {
        let attempt = claimed.attempt;
        let kind = claimed.kind.clone();
        let Some(handler) = self.handlers.get(&kind) else {
            return; // Unreachable: the claim only takes the kinds that have a handler.
        };
        let mut running = handler.run(claimed, &self.store);
        let every = (self.options.lease / 3).max(Duration::from_millis(1));
        let mut ticks = tokio::time::interval_at(Instant::now() + every, every);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut renewals = JoinSet::new();
        let mut held = true;
        let outcome = loop {
            tokio::select! {
                outcome = &mut running => break outcome,
                _ = ticks.tick(), if held => {
                    let until = self.clock.now().saturating_add(self.claimant.lease_ms);
                    let store = self.store.clone();
                    renewals.spawn(async move { write(&store, move |tx| attempt.renew(tx, until)).await });
                }
                Some(renewed) = renewals.join_next(), if !renewals.is_empty() => match renewed {
                    Ok(Ok(true)) => {}
                    Ok(Ok(false)) => {
                        held = false;
                        lost(attempt, &kind);
                    }
                    Ok(Err(error)) => {
                        tracing::warn!(job = %attempt.id, kind, %error, "renewing a job's lease failed; trying again");
                    }
                    Err(error) => tracing::warn!(job = %attempt.id, kind, %error, "a lease renewal stopped"),
                },
            }
        };
        // No timer of this attempt stays armed while its outcome is written.
        drop(ticks);
        renewals.detach_all();
        let (error, retryable) = match outcome {
            Outcome::Done(done) => match self.complete(attempt, done).await {
                Ok(true) => return,
                Ok(false) => return lost(attempt, &kind),
                Err(error) => {
                    let retryable = !is_permanent(&error);
                    (error, retryable)
                }
            },
            Outcome::Failed(error) => (error, true),
            Outcome::Permanent(error) => (error, false),
        };
        self.fail(attempt, &kind, &error, retryable).await;
    }

    /// Marks the job done with the handler's writes, in one transaction; `Ok(false)` (and
    /// nothing written) if the attempt lost the job.
    async fn complete(&self, attempt: Attempt, done: Done) -> Result<bool> {
        let now = self.clock.now();
        write(&self.store, move |tx| {
            if !attempt.complete(tx, now)? {
                return Ok(false);
            }
            done.write(tx)?;
            Ok(true)
        })
        .await
    }

    /// Records a failed attempt: queued again after a backoff, or dead.
    async fn fail(&self, attempt: Attempt, kind: &str, error: &Error, retryable: bool) {
        let now = self.clock.now();
        let retry = &self.options.retry;
        let retry_at = (retryable && attempt.attempt < retry.attempts())
            .then(|| now.saturating_add(millis(retry.delay(attempt.attempt))));
        let message = error.to_string();
        let recorded = {
            let message = message.clone();
            write(&self.store, move |tx| attempt.fail(tx, now, retry_at, &message)).await
        };
        let (job, attempt_no) = (attempt.id, attempt.attempt);
        match (recorded, retry_at) {
            (Ok(false), _) => lost(attempt, kind),
            (Ok(true), Some(at)) => {
                let delay = Duration::from_millis(u64::try_from(at - now).unwrap_or(0));
                tracing::warn!(%job, kind, attempt = attempt_no, error = %message, ?delay, "a job attempt failed; it will be retried");
            }
            (Ok(true), None) => {
                tracing::error!(%job, kind, attempt = attempt_no, error = %message, "a job failed for good; it is dead until re-queued");
            }
            (Err(store_error), _) => tracing::error!(
                %job, kind, attempt = attempt_no, error = %message, %store_error,
                "recording a failed job attempt failed; the job is retried once its lease expires"
            ),
        }
    }
}

/// Logs an attempt that found its job claimed by another.
fn lost(attempt: Attempt, kind: &str) {
    tracing::warn!(
        job = %attempt.id, kind, attempt = attempt.attempt,
        "a job attempt lost its claim (its lease expired and another worker took it); nothing it wrote afterwards was committed"
    );
}
