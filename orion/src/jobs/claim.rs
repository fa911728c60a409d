//! The statements of an attempt's life: claim, renew, report progress, complete, fail.
//!
//! **Claiming** is one `UPDATE … RETURNING` in a `BEGIN IMMEDIATE` transaction: SQLite lets
//! one writer in at a time, across processes too, so two workers can never both move the same
//! row to `running` with the same attempt number — the second sees it already taken.
//!
//! Every later write on behalf of an attempt is **fenced** by `(id, claims, state =
//! 'running')`. A worker whose lease expired and whose job was claimed again (`claims` moved
//! on) changes zero rows, and the transaction it was part of — the handler's own writes
//! included — rolls back. That is what makes a handler's database effects exactly-once: they
//! commit only together with `state = 'done'`, and only while the attempt still holds the job.

use super::{JobId, TOPIC};
use crate::store::{FromRow, Row, Store, Tx};
use crate::{Error, Result};

/// One attempt at a job: the job, which claim of it this is (the fence), and which attempt
/// against the retry budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attempt {
    pub(crate) id: JobId,
    pub(crate) claim: i64,
    pub(crate) attempt: u32,
}

/// A job just claimed.
#[derive(Debug)]
pub(crate) struct Claimed {
    pub(crate) attempt: Attempt,
    pub(crate) kind: String,
    pub(crate) payload: String,
}

impl FromRow for Claimed {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Claimed> {
        Ok(Claimed {
            attempt: Attempt { id: row.get(0)?, attempt: row.get(3)?, claim: row.get(4)? },
            kind: row.get(1)?,
            payload: row.get(2)?,
        })
    }
}

/// What a runner claims with: which kinds, as who, for how long.
#[derive(Debug, Clone)]
pub(crate) struct Claimant {
    /// The kinds it has handlers for, as a JSON array (read with `json_each`).
    pub(crate) kinds: String,
    /// Its name, recorded on the jobs it holds.
    pub(crate) worker: String,
    /// How long a claim lasts without renewal, in milliseconds.
    pub(crate) lease_ms: i64,
    /// Attempts allowed per job.
    pub(crate) max_attempts: u32,
}

/// The jobs of the claimant's kinds, due at `now`, ordered by when they fell due: queued ones
/// whose `run_at` has come, and running ones whose lease expired.
const DUE: &str = "
SELECT id FROM (
    SELECT id, due FROM (
        SELECT id, lease_until AS due FROM _orion_jobs
        WHERE state = 'running' AND lease_until <= ?1 AND attempts < ?5
          AND kind IN (SELECT value FROM json_each(?4))
        ORDER BY lease_until LIMIT ?6)
    UNION ALL
    SELECT id, due FROM (
        SELECT id, run_at AS due FROM _orion_jobs
        WHERE state = 'queued' AND run_at <= ?1
          AND kind IN (SELECT value FROM json_each(?4))
        ORDER BY run_at LIMIT ?6)
    ORDER BY due, id LIMIT ?6)";

impl Claimant {
    /// Claims up to `limit` due jobs at `now`, in one statement; first buries the jobs whose
    /// last allowed attempt died with its worker.
    pub(crate) fn claim(&self, tx: &Tx<'_>, now: i64, limit: usize) -> Result<Vec<Claimed>> {
        let buried = tx.execute(
            "UPDATE _orion_jobs SET state = 'dead', lease_until = NULL, finished_at = ?1, \
             last_error = 'attempt ' || attempts || ' stopped without finishing (its worker died or \
             lost the database) and was the last one allowed' \
             WHERE state = 'running' AND lease_until <= ?1 AND attempts >= ?2 \
               AND kind IN (SELECT value FROM json_each(?3))",
            (now, self.max_attempts, &self.kinds),
        )?;
        let claimed: Vec<Claimed> = tx.query(
            &format!(
                "UPDATE _orion_jobs SET \
                   last_error = CASE WHEN state = 'running' THEN 'attempt ' || attempts || \
                     ' stopped without finishing (its worker died or lost the database)' \
                     ELSE last_error END, \
                   state = 'running', attempts = attempts + 1, claims = claims + 1, lease_until = ?2, \
                   worker = ?3 \
                 WHERE id IN ({DUE}) \
                 RETURNING id, kind, payload, attempts, claims"
            ),
            (
                now,
                now.saturating_add(self.lease_ms),
                &self.worker,
                &self.kinds,
                self.max_attempts,
                sql_int(u64::try_from(limit).unwrap_or(u64::MAX)),
            ),
        )?;
        if buried > 0 || !claimed.is_empty() {
            tx.publish(TOPIC);
        }
        Ok(claimed)
    }

    /// When the next of the claimant's jobs falls due, read without writing: a queued job's
    /// `run_at`, or the lease expiry of a job another worker runs (this runner renews its own);
    /// `None` when nothing is pending.
    pub(crate) fn next_due(&self, store: &Store) -> Result<Option<i64>> {
        let row: Option<(Option<i64>,)> = super::schema::or_none(store.query_one(
            "SELECT min(due) FROM ( \
               SELECT due FROM (SELECT lease_until AS due FROM _orion_jobs WHERE state = 'running' \
                 AND worker IS NOT ?2 AND kind IN (SELECT value FROM json_each(?1)) \
                 ORDER BY lease_until LIMIT 1) \
               UNION ALL \
               SELECT due FROM (SELECT run_at AS due FROM _orion_jobs WHERE state = 'queued' \
                 AND kind IN (SELECT value FROM json_each(?1)) ORDER BY run_at LIMIT 1))",
            [&self.kinds, &self.worker],
        ))?;
        Ok(row.and_then(|(due,)| due))
    }
}

impl Attempt {
    /// Fails unless this attempt still holds its job; for a write made on its behalf.
    pub(crate) fn fence(self, tx: &Tx<'_>) -> Result<()> {
        let held: Option<(i64,)> = tx.query_one(
            "SELECT 1 FROM _orion_jobs WHERE id = ?1 AND claims = ?2 AND state = 'running'",
            (self.id, self.claim),
        )?;
        held.map(|_| ()).ok_or_else(|| self.lost())
    }

    /// Extends the lease to `until`; `false` if the attempt no longer holds the job.
    pub(crate) fn renew(self, tx: &Tx<'_>, until: i64) -> Result<bool> {
        self.update(tx, "lease_until = ?3", until)
    }

    /// Records progress and publishes [`TOPIC`]; fails if the attempt lost the job.
    pub(crate) fn progress(self, tx: &Tx<'_>, done: u64, total: u64) -> Result<()> {
        let changed = tx.execute(
            "UPDATE _orion_jobs SET progress = ?3, total = ?4 \
             WHERE id = ?1 AND claims = ?2 AND state = 'running'",
            (self.id, self.claim, sql_int(done), sql_int(total)),
        )?;
        if changed == 0 {
            return Err(self.lost());
        }
        tx.publish(TOPIC);
        Ok(())
    }

    /// Marks the job done at `now`; `false` (and nothing changed) if the attempt lost the job.
    pub(crate) fn complete(self, tx: &Tx<'_>, now: i64) -> Result<bool> {
        let done = self.update(tx, "state = 'done', lease_until = NULL, finished_at = ?3", now)?;
        if done {
            tx.publish(TOPIC);
        }
        Ok(done)
    }

    /// Records a failed attempt: queued again for `retry_at`, or dead (at `now`) when `dead`;
    /// `false` if the attempt no longer holds the job.
    pub(crate) fn fail(self, tx: &Tx<'_>, now: i64, retry_at: Option<i64>, error: &str) -> Result<bool> {
        let changed = match retry_at {
            Some(retry_at) => tx.execute(
                "UPDATE _orion_jobs SET state = 'queued', run_at = ?3, lease_until = NULL, last_error = ?4 \
                 WHERE id = ?1 AND claims = ?2 AND state = 'running'",
                (self.id, self.claim, retry_at, error),
            )?,
            None => tx.execute(
                "UPDATE _orion_jobs SET state = 'dead', finished_at = ?3, lease_until = NULL, last_error = ?4 \
                 WHERE id = ?1 AND claims = ?2 AND state = 'running'",
                (self.id, self.claim, now, error),
            )?,
        };
        if changed > 0 {
            tx.publish(TOPIC);
        }
        Ok(changed > 0)
    }

    /// Runs `UPDATE … SET {set}` (with `?3` = `value`) on this attempt's row, fenced.
    fn update(self, tx: &Tx<'_>, set: &str, value: i64) -> Result<bool> {
        let sql = format!("UPDATE _orion_jobs SET {set} WHERE id = ?1 AND claims = ?2 AND state = 'running'");
        Ok(tx.execute(&sql, (self.id, self.claim, value))? == 1)
    }

    /// The error of a write made for an attempt that no longer holds its job.
    pub(crate) fn lost(self) -> Error {
        Error::internal(format!(
            "job {} lost its claim (attempt {}): its lease expired and another worker claimed it, so this \
             write was rolled back; if the handler blocks its async worker thread (which stops the lease \
             renewals), register it with `Jobs::handle_blocking`",
            self.id, self.attempt
        ))
    }
}

/// A count as SQLite's integer (which is signed), saturating.
fn sql_int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
