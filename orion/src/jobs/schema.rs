//! The jobs table, `_orion_jobs`: its shape, and creating it.
//!
//! The table is orion's own, not a migration of the app: [`setup`] creates it with
//! `CREATE TABLE IF NOT EXISTS` on the writer, and [`Jobs::start`](super::Jobs::start) calls it.
//! An enqueue into a database that has never been set up creates it in the enqueuing
//! transaction (so a process that only enqueues needs no set-up), and the read functions see a
//! missing table as no jobs at all.
//!
//! Times are Unix milliseconds. `run_at` is when a queued job may run next; `lease_until` is
//! when the claim of a running job expires. `claims` counts every claim of the job and never
//! goes back, so `(id, claims)` names one attempt: every write made on behalf of an attempt
//! checks that pair and `state = 'running'`, which is how a worker that lost its claim is kept
//! from committing anything. `attempts` counts the claims against the retry budget, and a
//! re-queue resets it. Nothing here is UNIQUE except the id: a duplicate run would show, not be
//! hidden.

use crate::store::{Store, Tx};
use crate::{Error, Result};

/// The table's name, also matched in "no such table" errors.
pub(crate) const TABLE: &str = "_orion_jobs";

/// The schema, idempotent. STRICT: SQLite enforces the declared types.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS _orion_jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    claims      INTEGER NOT NULL DEFAULT 0,
    run_at      INTEGER NOT NULL,
    lease_until INTEGER,
    worker      TEXT,
    progress    INTEGER NOT NULL DEFAULT 0,
    total       INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    created_at  INTEGER NOT NULL,
    finished_at INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS _orion_jobs_queued ON _orion_jobs (run_at) WHERE state = 'queued';
CREATE INDEX IF NOT EXISTS _orion_jobs_running ON _orion_jobs (lease_until) WHERE state = 'running';
CREATE INDEX IF NOT EXISTS _orion_jobs_dead ON _orion_jobs (id) WHERE state = 'dead';
";

/// Creates orion's jobs table in `store` if it does not exist yet. Blocks until committed;
/// call it at boot. [`Jobs::start`](super::Jobs::start) calls it for you.
pub fn setup(store: &Store) -> Result<()> {
    store.transaction(create)
}

/// Creates the table inside `tx`.
pub(crate) fn create(tx: &Tx<'_>) -> Result<()> {
    for statement in SCHEMA.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        tx.execute(statement, ())?;
    }
    Ok(())
}

/// Whether `error` says the jobs table does not exist.
pub(crate) fn is_missing(error: &Error) -> bool {
    error.message().contains(&format!("no such table: {TABLE}"))
}

/// Reads through `read`, taking a database without the jobs table as one without jobs.
pub(crate) fn or_none<T: Default>(read: Result<T>) -> Result<T> {
    match read {
        Err(error) if is_missing(&error) => Ok(T::default()),
        other => other,
    }
}
