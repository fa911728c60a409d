//! Background jobs on the store: enqueued inside a command's transaction, run in-process,
//! retried with backoff, never lost and never run twice at once.
//!
//! # The loop
//!
//! ```text
//! command: tx ─ INSERT domain row ─ jobs::enqueue(tx, "report.build", &payload) ─ COMMIT
//!                                                                   │ (wake-up after commit)
//! runner:  claim (UPDATE … RETURNING) → handler(Job<P>) → Done::with(writes) → COMMIT with
//!          state = 'done'            ↘ progress(n, of) → publish(TOPIC) → <progress> re-renders
//! ```
//!
//! - **Enqueue is an outbox.** [`enqueue`] is a plain `INSERT` into orion's table
//!   `_orion_jobs`, made with the caller's [`Tx`](crate::store::Tx): the job commits or rolls
//!   back with the domain write. [`enqueue_at`] delays it.
//! - **Claiming is atomic.** A runner claims due jobs with one `UPDATE … RETURNING` in a
//!   `BEGIN IMMEDIATE` transaction, so two runners — even in two processes sharing the file —
//!   never run the same attempt twice.
//! - **Database effects are exactly once.** A handler returns [`Done`], whose writes commit in
//!   the same transaction that marks the job done, and only while its attempt still holds the
//!   job. External effects (an email, an HTTP call) are at-least-once: a crash after the email
//!   and before the commit sends it again, so make them idempotent (a key the provider dedupes).
//! - **Retries.** A handler that returns an error or panics fails the attempt; the job is
//!   retried after an exponential backoff with jitter ([`Retry`]). After the last allowed
//!   attempt it is **dead**: kept, inspectable ([`get`], [`list`]) and re-queueable
//!   ([`requeue`]). A handler whose failure no retry can fix returns a [`permanent`] error:
//!   dead at once. A panic never stops the runner.
//! - **Leases.** A claim lasts [`JobsOptions::lease`] and is renewed while the handler runs. If
//!   the worker dies (`kill -9`, power loss), the renewals stop and the job is claimed again once
//!   the lease has expired — not before.
//! - **Progress.** [`Job::progress`] records `n of total` on the job and publishes [`TOPIC`]
//!   after the commit; a region subscribed to it re-reads [`Record::progress`] and its
//!   `<progress>` moves for every viewer. Handlers that keep their progress in the app's own
//!   tables write it with [`Job::write`] and publish the app's topic.
//!
//! # Example
//!
//! ```no_run
//! use orion::jobs::{self, Done, Job, Jobs};
//! use orion::{Ctx, Reply, Result, Store, command};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize)]
//! struct Build {
//!     report: i64,
//! }
//!
//! #[command("/reports")]
//! async fn request_report(ctx: Ctx) -> Result<Reply> {
//!     ctx.store
//!         .write(|tx| {
//!             tx.execute("INSERT INTO reports (body) VALUES (NULL)", ())?;
//!             let report = tx.last_insert_rowid();
//!             jobs::enqueue(tx, "report.build", &Build { report })?; // commits with the insert
//!             tx.publish("reports");
//!             Ok(())
//!         })
//!         .await?;
//!     Ok(Reply::new())
//! }
//!
//! async fn build(job: Job<Build>) -> Result<Done> {
//!     let mut body = String::new();
//!     for step in 1..=3 {
//!         body.push_str(&format!("part {step}\n")); // the work
//!         job.progress(step, 3).await?; // every viewer's <progress> moves
//!     }
//!     let report = job.payload.report;
//!     // Committed with `state = 'done'`, exactly once.
//!     Ok(Done::with(move |tx| {
//!         tx.execute("UPDATE reports SET body = ?2 WHERE id = ?1", (report, &body))?;
//!         tx.publish("reports");
//!         Ok(())
//!     }))
//! }
//!
//! # async fn main_(store: Store) -> anyhow::Result<()> {
//! let jobs = Jobs::new(&store).handle("report.build", build).start()?;
//! // … serve until shutdown …
//! jobs.stop().await?; // finishes the attempts in flight
//! store.close()?;
//! # Ok(())
//! # }
//! ```
//!
//! # Time, and tests
//!
//! Job times are wall-clock milliseconds (another process must read them alike). A runner
//! reads "now" as the wall-clock time it started at plus the time *tokio* says has passed, so
//! in a test with tokio's clock paused, backoffs, leases and `run_at` move only with
//! `tokio::time::advance` (or tokio's auto-advance), and its own writes wait on tokio's
//! blocking pool, where tokio sees them as work in flight and does not auto-advance meanwhile.
//! Two habits keep such a test exact: give the runner a long [`JobsOptions::poll`] (enqueues
//! in the process wake it anyway), and make the test's own writes blocking
//! ([`Store::transaction`](crate::Store::transaction)): while a test `.await`s
//! [`Store::write`](crate::Store::write), tokio may jump the clock to the runner's next timer.
//!
//! # Layout
//!
//! `enqueue.rs` (the outbox insert, [`JobId`]), `job.rs` ([`Job`], [`Done`], handler
//! erasure), `runner.rs` ([`Jobs`], [`Running`], the scheduler), `claim.rs` (the fenced
//! statements of an attempt), `retry.rs` ([`Retry`], [`permanent`]), `record.rs` (inspection and
//! re-queueing), `schema.rs` (the table), `clock.rs` (job time), `write.rs` (how the runner writes).

mod claim;
mod clock;
mod enqueue;
mod job;
mod record;
mod retry;
mod runner;
mod schema;
mod write;

pub use self::enqueue::{JobId, enqueue, enqueue_at};
pub use self::job::{Done, Job};
pub(crate) use self::record::list_of;
pub use self::record::{Progress, Record, State, get, list, requeue};
pub use self::retry::{Retry, is_permanent, permanent};
pub use self::runner::{Jobs, JobsOptions, Running};
pub use self::schema::setup;

/// The bus topic published after every change of a job's state or progress (enqueued,
/// claimed, progressed, done, failed, dead, re-queued). A region showing jobs subscribes to it.
pub const TOPIC: &str = "orion.jobs";

/// The topic an enqueue publishes to wake this process's runners; theirs alone.
pub(crate) const WAKE: &str = "orion.jobs.enqueued";

#[cfg(test)]
mod tests;
