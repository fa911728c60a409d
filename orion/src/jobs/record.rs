//! Inspecting jobs, and re-queueing dead ones: [`Record`], [`State`], [`get`], [`list`],
//! [`requeue`].
//!
//! A job is never deleted by the runner: a finished one stays `done`, and one that used up its
//! attempts stays `dead` with its last error, so a dead-letter view is a [`list`] of
//! [`State::Dead`] and a button that calls [`requeue`]. Reads take `&impl Sql`, so they run on
//! the store (a region's model), on a snapshot, or inside a write.

use std::fmt;
use std::time::SystemTime;

use rusqlite::Row;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ValueRef};

use super::clock::{system_time, unix_ms};
use super::{JobId, TOPIC, WAKE, schema};
use crate::Result;
use crate::store::{FromRow, Sql, Tx};

/// Where a job is in its life. A closed set: these four, stored as their lowercase names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Waiting for its `run_at`, or for a free runner.
    Queued,
    /// Claimed by a worker, whose lease has not been released.
    Running,
    /// Its handler succeeded; its database effects committed with this state.
    Done,
    /// It failed on every allowed attempt (or its payload cannot be read); kept for
    /// inspection until [`requeue`]d.
    Dead,
}

impl State {
    /// The name stored in the `state` column.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Running => "running",
            State::Done => "done",
            State::Dead => "dead",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromSql for State {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<State> {
        match value.as_str()? {
            "queued" => Ok(State::Queued),
            "running" => Ok(State::Running),
            "done" => Ok(State::Done),
            "dead" => Ok(State::Dead),
            other => Err(FromSqlError::Other(format!("`{other}` is not a job state").into())),
        }
    }
}

/// How far a job's handler says it got, as `done` out of `total` (both 0 until it reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Progress {
    /// Steps done.
    pub done: u64,
    /// Steps in all.
    pub total: u64,
}

impl Progress {
    /// Whole percent done, 0 to 100 (0 while `total` is 0).
    pub fn percent(self) -> u64 {
        (self.done.min(self.total) * 100).checked_div(self.total).unwrap_or(0)
    }
}

/// One job as stored: what it is, where it is, and how its attempts went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Its id.
    pub id: JobId,
    /// Its kind, which picks the handler.
    pub kind: String,
    /// Its payload, as the JSON it was stored as.
    pub payload: String,
    /// Where it is in its life.
    pub state: State,
    /// Attempts used of the retry budget: the one running now, or the last one (a
    /// [`requeue`] starts a fresh budget).
    pub attempts: u32,
    /// When it may run next (while queued).
    pub run_at: SystemTime,
    /// When its worker's claim expires (while running).
    pub lease_until: Option<SystemTime>,
    /// The worker that holds, or last held, it.
    pub worker: Option<String>,
    /// The progress its handler last reported.
    pub progress: Progress,
    /// Why its last failed attempt failed (kept after a later success, for history).
    pub last_error: Option<String>,
    /// When it was enqueued.
    pub created_at: SystemTime,
    /// When it became done or dead.
    pub finished_at: Option<SystemTime>,
}

const COLUMNS: &str = "id, kind, payload, state, attempts, run_at, lease_until, worker, progress, total, \
                       last_error, created_at, finished_at";

impl FromRow for Record {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Record> {
        let time = |index: usize| row.get::<_, i64>(index).map(system_time);
        let maybe_time = |index: usize| row.get::<_, Option<i64>>(index).map(|ms| ms.map(system_time));
        Ok(Record {
            id: row.get(0)?,
            kind: row.get(1)?,
            payload: row.get(2)?,
            state: row.get(3)?,
            attempts: row.get(4)?,
            run_at: time(5)?,
            lease_until: maybe_time(6)?,
            worker: row.get(7)?,
            progress: Progress { done: count(row.get(8)?), total: count(row.get(9)?) },
            last_error: row.get(10)?,
            created_at: time(11)?,
            finished_at: maybe_time(12)?,
        })
    }
}

/// A stored count back as a `u64` (never negative).
fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The job `id`, or `None` if there is no such job.
pub fn get(db: &impl Sql, id: JobId) -> Result<Option<Record>> {
    schema::or_none(db.query_one(&format!("SELECT {COLUMNS} FROM _orion_jobs WHERE id = ?1"), [id]))
}

/// Up to `limit` jobs in `state`, oldest first: `list(db, State::Dead, 100)` is the
/// dead-letter queue.
pub fn list(db: &impl Sql, state: State, limit: u32) -> Result<Vec<Record>> {
    let sql = format!("SELECT {COLUMNS} FROM _orion_jobs WHERE state = ?1 ORDER BY id LIMIT ?2");
    schema::or_none(db.query(&sql, (state.as_str(), limit)))
}

/// Up to `limit` jobs of `kind` in `state`, oldest first (a dead-letter view of one kind).
pub(crate) fn list_of(db: &impl Sql, kind: &str, state: State, limit: u32) -> Result<Vec<Record>> {
    let sql = format!("SELECT {COLUMNS} FROM _orion_jobs WHERE state = ?1 AND kind = ?2 ORDER BY id LIMIT ?3");
    schema::or_none(db.query(&sql, (state.as_str(), kind, limit)))
}

/// Puts a dead job back in the queue, to run now with a fresh set of attempts; returns
/// `false` (and changes nothing) unless job `id` is dead.
///
/// Its last error stays on the record, for history. Like
/// [`enqueue`](super::enqueue), it takes the transaction, so a "retry" command can re-queue a
/// job together with its own writes.
pub fn requeue(tx: &Tx<'_>, id: JobId) -> Result<bool> {
    let now = unix_ms(SystemTime::now());
    let changed = schema::or_none(tx.execute(
        "UPDATE _orion_jobs SET state = 'queued', attempts = 0, run_at = ?2, lease_until = NULL, \
         finished_at = NULL WHERE id = ?1 AND state = 'dead'",
        (id, now),
    ))?;
    if changed == 0 {
        return Ok(false);
    }
    tx.publish(WAKE);
    tx.publish(TOPIC);
    Ok(true)
}
