//! The write side: the command that asks for an export (it enqueues the job in its own
//! transaction), the job that builds it, and a command that re-queues a failed one.

use std::time::Duration;

use orion::jobs::{self, Done, Job};
use orion::{Ctx, Reply, Result, command};

use super::sql::{self, CSV_HEADER, TOPIC, csv_line};
use crate::todos::sql as todos;

/// The job kind that builds an export.
pub const BUILD: &str = "export.build";

/// How many steps an export is built in, each reported as progress.
pub const STEPS: u64 = 5;

/// A pause after each step. A real export would spend this time on I/O (object storage, a
/// mailer); here it is what lets you watch the bar move.
pub const STEP_PAUSE: Duration = Duration::from_millis(250);

/// Asks for an export: the row and its job commit together, or neither does.
#[command("/exports")]
pub async fn request_export(ctx: Ctx) -> Result<Reply> {
    ctx.store
        .write(|tx| {
            let export = sql::insert(tx)?;
            // A plain INSERT into orion's jobs table, in this transaction: the outbox. The
            // payload, stored as JSON, is the export's id.
            let job = jobs::enqueue(tx, BUILD, &export)?;
            sql::attach(tx, export, job)?;
            tx.publish(TOPIC);
            Ok(())
        })
        .await?;
    Ok(Reply::new())
}

/// The job: builds the CSV a slice of the list at a time, reporting progress after each
/// step, then stores it in the transaction that marks the job done (so exactly once, even if
/// a step fails and the job is retried).
pub async fn build(job: Job<i64>) -> Result<Done> {
    let todos = todos::all(&job.store)?;
    let mut csv = String::from(CSV_HEADER);
    for step in 1..=STEPS {
        let (from, to) = (slice_end(todos.len(), step - 1), slice_end(todos.len(), step));
        for todo in &todos[from..to] {
            csv.push_str(&csv_line(todo));
        }
        tokio::time::sleep(STEP_PAUSE).await;
        job.progress(step, STEPS).await?;
    }
    let (export, rows) = (job.payload, i64::try_from(todos.len()).unwrap_or(i64::MAX));
    Ok(Done::with(move |tx| {
        sql::finish(tx, export, &csv, rows)?;
        tx.publish(TOPIC);
        Ok(())
    }))
}

/// Where step `step` of [`STEPS`] ends in a list of `len` todos.
fn slice_end(len: usize, step: u64) -> usize {
    usize::try_from(u64::try_from(len).unwrap_or(u64::MAX) * step / STEPS).unwrap_or(len)
}

/// Re-queues an export whose job failed for good (it is dead), for a fresh set of attempts.
#[command("/exports/{id}/retry")]
pub async fn retry(ctx: Ctx, id: i64) -> Result<Reply> {
    let requeued = ctx
        .store
        .write(move |tx| match sql::job(tx, id)? {
            Some(job) => jobs::requeue(tx, job),
            None => Ok(false),
        })
        .await?;
    Ok(if requeued { Reply::new() } else { Reply::new().toast("That export is not waiting for a retry.") })
}
