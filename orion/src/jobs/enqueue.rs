//! Enqueueing: a plain `INSERT` inside the caller's transaction (a transactional outbox).
//!
//! A command that writes a domain row and enqueues the work that follows from it does both in
//! one [`Tx`]: they commit together or not at all. A rolled-back transaction leaves no job,
//! and no runner is woken (the wake-up is a publish, delivered only after the commit).

use std::fmt;
use std::time::SystemTime;

use rusqlite::types::{FromSql, FromSqlResult, ToSqlOutput, ValueRef};
use serde::Serialize;

use super::clock::unix_ms;
use super::{TOPIC, WAKE, schema};
use crate::store::{ToSql, Tx};
use crate::{Error, Result};

/// A job's id: the rowid of its row in `_orion_jobs`.
///
/// Store it in your own tables (it is [`ToSql`] and [`FromSql`]) to find the job again, for
/// instance to show its progress with [`get`](super::get).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub i64);

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ToSql for JobId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        self.0.to_sql()
    }
}

impl FromSql for JobId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<JobId> {
        i64::column_result(value).map(JobId)
    }
}

/// Enqueues a job of `kind` with `payload` (stored as JSON), to run as soon as a runner is
/// free; returns its id.
///
/// It is an `INSERT` in `tx`: the job exists once `tx` commits, and not at all if it rolls
/// back. After the commit, runners in this process are woken at once; runners in other
/// processes sharing the file notice it at their next poll.
///
/// ```
/// # use orion::store::Tx;
/// #[derive(serde::Serialize)]
/// struct Build {
///     report: i64,
/// }
///
/// fn request_report(tx: &Tx<'_>) -> orion::Result<()> {
///     tx.execute("INSERT INTO reports (state) VALUES ('queued')", ())?;
///     let report = tx.last_insert_rowid();
///     orion::jobs::enqueue(tx, "report.build", &Build { report })?;
///     Ok(())
/// }
/// ```
pub fn enqueue(tx: &Tx<'_>, kind: &str, payload: &impl Serialize) -> Result<JobId> {
    enqueue_at(tx, kind, payload, SystemTime::now())
}

/// Enqueues a job of `kind` that runs no earlier than `run_at` (a delayed job).
///
/// Like [`enqueue`], it commits or rolls back with `tx`.
pub fn enqueue_at(tx: &Tx<'_>, kind: &str, payload: &impl Serialize, run_at: SystemTime) -> Result<JobId> {
    if kind.is_empty() {
        return Err(Error::internal("a job needs a kind: pass a name such as `\"report.build\"` to `enqueue`"));
    }
    let payload = serde_json::to_string(payload).map_err(|error| {
        Error::internal(format!(
            "the payload of a `{kind}` job cannot be written as JSON: {error}: enqueue plain data \
             (a struct deriving `Serialize`, with string keys)"
        ))
        .with_source(error)
    })?;
    let now = unix_ms(SystemTime::now());
    let row = (kind, &payload, unix_ms(run_at), now);
    let insert = "INSERT INTO _orion_jobs (kind, payload, run_at, created_at) VALUES (?1, ?2, ?3, ?4)";
    match tx.execute(insert, row) {
        Err(error) if schema::is_missing(&error) => {
            schema::create(tx)?;
            tx.execute(insert, row)?;
        }
        other => {
            other?;
        }
    }
    let id = JobId(tx.last_insert_rowid());
    tx.publish(WAKE);
    tx.publish(TOPIC);
    Ok(id)
}
