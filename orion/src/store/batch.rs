//! One commit of the writer: a batch of writes in one transaction, made durable by one fsync.
//!
//! With the write queue off a batch is always one write; with it on, it is every write queued
//! when the writer became free (up to [`StoreOptions::max_batch`](super::StoreOptions)). So
//! under load the writer commits many writes per fsync, and alone a write waits for nothing.
//!
//! 1. `BEGIN IMMEDIATE` (waiting up to the busy timeout for another process's write lock).
//! 2. Each write runs in a `SAVEPOINT` of its own. One that returns `Err`, panics, or leaves a
//!    deferred foreign-key violation ([`deferred`](super::deferred)) is rolled back to its
//!    savepoint — alone — and answered with its error; the others stay. A write that runs alone
//!    needs no savepoint: its transaction is its own.
//! 3. The commit sequence advances once and marks the topics of the writes that stay
//!    ([`sequence`](super::sequence)).
//! 4. One `COMMIT`: with `synchronous=FULL`, one fsync of the WAL, for the whole batch.
//! 5. The topics are published on the bus with the commit's sequence, and only then is every
//!    write answered: a caller's `.await` returns after its write is durable, and a subscriber
//!    woken by a publish reads a state that includes it.
//!
//! A write that ends the transaction itself (`COMMIT` or `ROLLBACK` inside the closure, which
//! [`Tx`] forbids) or after which SQLite rolled the transaction back (a full disk, an I/O error)
//! ends the batch early: a marker row in a `TEMP` table tells whether what ran before it was
//! committed or lost, and those writes are answered accordingly; the writes after it run in a
//! new transaction.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, Statement};

use super::deferred::DeferredKeys;
use super::oracle::Oracle;
use super::sequence::{self, Seq};
use super::writer::Job;
use super::{StoreOptions, Tx};
use crate::{Bus, Error, ErrorKind, Result};

/// The writer thread's state between batches.
pub(super) struct Committer {
    pub(super) conn: Connection,
    bus: Bus,
    /// The newest commit that returned from `COMMIT`, read by `Store::committed`.
    committed: Arc<AtomicU64>,
    /// The newest commit published on the bus, read by [`Store::seq`](super::Store::seq).
    published: Arc<AtomicU64>,
    deferred: DeferredKeys,
    path: PathBuf,
    busy_timeout: Duration,
    /// Whether the open transaction holds the batch marker row.
    marked: bool,
    /// The store's tenancy oracle, handed to every [`Tx`].
    oracle: Oracle,
}

/// How one write of a batch ended.
enum Status {
    /// It asked to commit and passed the checks: it commits with the batch.
    Stays,
    /// Its closure returned `Err` or panicked: rolled back, answered with its own outcome.
    RolledBack,
    /// Rolled back by the writer (a deferred key, or the batch was lost): answered with this.
    Failed(Error),
}

impl Committer {
    /// The writer's state over `conn`; `[committed, published]` are the store's counters.
    pub(super) fn new(
        conn: Connection,
        bus: Bus,
        [committed, published]: [Arc<AtomicU64>; 2],
        path: PathBuf,
        options: &StoreOptions,
        oracle: Oracle,
    ) -> Result<Committer> {
        conn.execute_batch("CREATE TEMP TABLE IF NOT EXISTS _orion_batch (open INTEGER NOT NULL)")?;
        Ok(Committer {
            conn,
            bus,
            committed,
            published,
            deferred: DeferredKeys::default(),
            path,
            busy_timeout: options.busy_timeout,
            marked: false,
            oracle,
        })
    }

    /// Runs `jobs` — in one transaction, unless one of them ends it — and answers each.
    pub(super) fn commit(&mut self, jobs: Vec<Box<dyn Job>>) {
        let mut queued = VecDeque::from(jobs);
        while !queued.is_empty() {
            self.transaction(&mut queued);
        }
    }

    /// After migrations: the sequence moved on the writer's own connection.
    pub(super) fn reread_sequence(&self) {
        match sequence::current(&self.conn) {
            Ok(seq) => {
                self.committed.fetch_max(seq.get(), Ordering::SeqCst);
                self.published.fetch_max(seq.get(), Ordering::SeqCst);
            }
            Err(error) => tracing::error!(%error, "reading the commit sequence after migrations failed"),
        }
    }

    /// One transaction over the front of `queued`; leaves in `queued` the writes it did not run
    /// (only when one of them ended the transaction).
    fn transaction(&mut self, queued: &mut VecDeque<Box<dyn Job>>) {
        if let Err(error) = self.begin(queued.len() > 1) {
            let error = self.begin_error(error);
            for job in queued.drain(..) {
                job.answer(Err(copy(&error)));
            }
            return;
        }
        let changes_before = self.conn.total_changes();
        let mut ran: Vec<(Box<dyn Job>, Status)> = Vec::with_capacity(queued.len());
        let mut topics: Vec<Box<str>> = Vec::new();
        if queued.len() == 1 {
            let mut job = queued.pop_front().expect("one write is queued");
            let tx = Tx::new(&self.conn, &self.oracle);
            let commits = job.run(&tx);
            let job_topics = tx.into_topics();
            if self.conn.is_autocommit() {
                // Committed by the closure itself, or rolled back by SQLite after an error in it.
                job.answer(if commits { Err(ended_itself()) } else { Ok(()) });
                return;
            }
            if commits {
                add_topics(&mut topics, job_topics);
                ran.push((job, Status::Stays));
            } else {
                ran.push((job, Status::RolledBack));
            }
        } else {
            let ended = match Savepoints::prepare(&self.conn, &self.oracle) {
                Ok(mut savepoints) => savepoints.run_all(queued, &mut self.deferred, &mut ran, &mut topics),
                Err(error) => {
                    rollback(&self.conn);
                    let error = Error::from(error);
                    for job in queued.drain(..) {
                        job.answer(Err(copy(&error)));
                    }
                    return;
                }
            };
            if let Some(ended) = ended {
                self.transaction_ended(ran, ended, topics);
                return;
            }
        }
        self.finish(ran, topics, changes_before);
    }

    /// `BEGIN IMMEDIATE`, and for a batch of several writes, the marker row that tells later
    /// whether the transaction was committed by a write that ended it.
    fn begin(&mut self, batch: bool) -> rusqlite::Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.marked = batch;
        if batch {
            let started = self
                .deferred
                .start(&self.conn)
                .and_then(|()| self.conn.execute_batch("INSERT INTO temp._orion_batch (open) VALUES (1)"));
            if let Err(error) = started {
                rollback(&self.conn);
                return Err(error);
            }
        }
        Ok(())
    }

    /// Commits what stays (advancing the sequence when something changed), publishes, answers.
    fn finish(&mut self, ran: Vec<(Box<dyn Job>, Status)>, topics: Vec<Box<str>>, changes_before: u64) {
        if !ran.iter().any(|(_, status)| matches!(status, Status::Stays)) {
            rollback(&self.conn);
            answer(ran, None);
            return;
        }
        let changed = self.conn.total_changes() != changes_before || !topics.is_empty();
        let committed = self.commit_transaction(changed, &topics);
        match committed {
            Ok(seq) => {
                if let Some(seq) = seq {
                    self.publish(seq, &topics);
                }
                answer(ran, None);
            }
            Err(error) => {
                rollback(&self.conn);
                answer(ran, Some(error));
            }
        }
    }

    /// Advances the sequence (when `changed`), clears the batch marker, and commits.
    fn commit_transaction(&mut self, changed: bool, topics: &[Box<str>]) -> Result<Option<Seq>> {
        let seq = if changed { Some(sequence::advance(&self.conn, topics.iter().map(|t| &**t))?) } else { None };
        if self.marked {
            self.conn.execute_batch("DELETE FROM temp._orion_batch")?;
        }
        self.conn.execute_batch("COMMIT")?;
        Ok(seq)
    }

    /// Publishes `topics` as changed at `seq` and makes `seq` the store's newest published
    /// commit, in between the two steps of [`Bus::publish_commit`]: a subscriber woken by it
    /// sees it published, and a reader that sees it published finds it in the subscriptions.
    fn publish(&self, seq: Seq, topics: &[Box<str>]) {
        self.committed.fetch_max(seq.get(), Ordering::SeqCst);
        let topics: Vec<&str> = topics.iter().map(|topic| &**topic).collect();
        self.bus.publish_commit(seq, &topics, || {
            self.published.fetch_max(seq.get(), Ordering::SeqCst);
        });
    }

    /// A write of a batch ended the transaction: answers it (`culprit`, and whether its closure
    /// returned `Ok`) and the writes before it, according to whether what they did was
    /// committed or lost.
    fn transaction_ended(
        &mut self,
        ran: Vec<(Box<dyn Job>, Status)>,
        (culprit, commits): (Box<dyn Job>, bool),
        topics: Vec<Box<str>>,
    ) {
        // A closure that returned `Err` is answered with it (SQLite rolled back after an error
        // in it); one that returned `Ok` ended the transaction itself.
        let culprit_answer = if commits { Err(ended_itself()) } else { Ok(()) };
        let committed = self.conn.query_row("SELECT count(*) FROM temp._orion_batch", (), |row| row.get::<_, i64>(0));
        let _ = self.conn.execute_batch("DELETE FROM temp._orion_batch");
        match committed {
            Ok(1) => {
                tracing::error!("a write ran `COMMIT` itself; the writes before it in its batch were committed");
                culprit.answer(culprit_answer);
                // Their rows are durable; advance the sequence for them in a commit of its own.
                let marked = self.conn.execute_batch("BEGIN IMMEDIATE").map_err(Error::from).and_then(|()| {
                    let seq = sequence::advance(&self.conn, topics.iter().map(|t| &**t))?;
                    self.conn.execute_batch("COMMIT")?;
                    Ok(seq)
                });
                match marked {
                    Ok(seq) => self.publish(seq, &topics),
                    Err(error) => {
                        rollback(&self.conn);
                        tracing::error!(%error, "advancing the commit sequence failed");
                    }
                }
                answer(ran, None);
            }
            _ => {
                // Rolled back: by the write itself, or by SQLite after an error in it.
                culprit.answer(culprit_answer);
                let lost = Error::new(
                    ErrorKind::Sql,
                    "the write was rolled back with its whole batch, which another write ended \
                     (SQLite rolls a transaction back after a full disk or an I/O error): retry it",
                );
                let ran = ran.into_iter().map(|(job, status)| match status {
                    Status::Stays => (job, Status::Failed(copy(&lost))),
                    other => (job, other),
                });
                answer(ran.collect(), None);
            }
        }
    }

    /// The error every queued write gets when the transaction could not begin.
    fn begin_error(&self, error: rusqlite::Error) -> Error {
        if error.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) {
            return Error::new(
                ErrorKind::Sql,
                format!(
                    "the database `{}` is locked: another process held its write lock for longer than the \
                     busy timeout ({:?}); retry, or raise `StoreOptions::busy_timeout`",
                    self.path.display(),
                    self.busy_timeout
                ),
            )
            .with_source(error);
        }
        Error::from(error)
    }
}

/// The statements every write of a batch runs, prepared once per batch.
struct Savepoints<'c> {
    conn: &'c Connection,
    oracle: &'c Oracle,
    open: Statement<'c>,
    release: Statement<'c>,
    rollback: Statement<'c>,
    schema_version: Statement<'c>,
}

/// A write that ended the whole transaction, and whether its closure returned `Ok`.
type Ended = (Box<dyn Job>, bool);

impl<'c> Savepoints<'c> {
    fn prepare(conn: &'c Connection, oracle: &'c Oracle) -> rusqlite::Result<Savepoints<'c>> {
        Ok(Savepoints {
            conn,
            oracle,
            open: conn.prepare("SAVEPOINT orion_write")?,
            release: conn.prepare("RELEASE orion_write")?,
            rollback: conn.prepare("ROLLBACK TO orion_write")?,
            schema_version: conn.prepare("PRAGMA schema_version")?,
        })
    }

    /// Runs the writes of `queued` in order, each in its own savepoint, into `ran` (and the
    /// topics of those that stay into `topics`); stops early at a write that ended the whole
    /// transaction, leaving the writes after it in `queued`.
    fn run_all(
        &mut self,
        queued: &mut VecDeque<Box<dyn Job>>,
        deferred: &mut DeferredKeys,
        ran: &mut Vec<(Box<dyn Job>, Status)>,
        topics: &mut Vec<Box<str>>,
    ) -> Option<Ended> {
        while let Some(job) = queued.pop_front() {
            match self.run(job, deferred, topics) {
                Ok(ran_job) => ran.push(ran_job),
                Err(ended) => return Some(ended),
            }
        }
        None
    }

    /// Runs one write in its own savepoint: released if the write asked to commit and left no
    /// deferred violation, rolled back to otherwise.
    fn run(
        &mut self,
        mut job: Box<dyn Job>,
        deferred: &mut DeferredKeys,
        topics: &mut Vec<Box<str>>,
    ) -> std::result::Result<(Box<dyn Job>, Status), Ended> {
        if let Err(error) = self.open.execute(()) {
            return Ok((job, Status::Failed(error.into())));
        }
        let changes_before = self.conn.total_changes();
        let tx = Tx::new(self.conn, self.oracle);
        let commits = job.run(&tx);
        let deferring = tx.named_defer_foreign_keys();
        let job_topics = tx.into_topics();
        if self.conn.is_autocommit() {
            return Err((job, commits));
        }
        let changed_rows = self.conn.total_changes() != changes_before;
        let checked = self
            .schema_version
            .query_row((), |row| row.get(0))
            .map_err(Error::from)
            .and_then(|version| deferred.check(self.conn, version, deferring, commits && changed_rows));
        let status = match (commits, checked) {
            (true, Ok(())) => Status::Stays,
            (true, Err(error)) => Status::Failed(error),
            (false, _) => Status::RolledBack,
        };
        let ended = match status {
            Status::Stays => self.release.execute(()),
            Status::RolledBack | Status::Failed(_) => self.rollback.execute(()).and_then(|_| self.release.execute(())),
        };
        if let Err(error) = ended {
            // The write released or rolled back our savepoint itself.
            tracing::error!(%error, "ending a write's savepoint failed");
            return Ok((job, Status::Failed(ended_itself())));
        }
        if matches!(status, Status::Stays) {
            add_topics(topics, job_topics);
        }
        Ok((job, status))
    }
}

/// Answers every write that ran: those that stay with `failed` when the commit failed (the
/// first of them with the error itself, source included; the others with a copy).
fn answer(ran: Vec<(Box<dyn Job>, Status)>, mut failed: Option<Error>) {
    let copied = failed.as_ref().map(copy);
    for (job, status) in ran {
        let finished = match status {
            Status::Stays => match failed.take().or_else(|| copied.as_ref().map(copy)) {
                Some(error) => Err(error),
                None => Ok(()),
            },
            Status::RolledBack => Ok(()),
            Status::Failed(error) => Err(error),
        };
        job.answer(finished);
    }
}

fn add_topics(topics: &mut Vec<Box<str>>, more: Vec<Box<str>>) {
    for topic in more {
        if !topics.contains(&topic) {
            topics.push(topic);
        }
    }
}

fn rollback(conn: &Connection) {
    if conn.is_autocommit() {
        return;
    }
    if let Err(error) = conn.execute_batch("ROLLBACK") {
        tracing::error!(%error, "rolling back a write failed");
    }
}

/// The answer of a write whose closure ended the transaction.
fn ended_itself() -> Error {
    Error::internal(
        "the write ended its own transaction (`COMMIT`, `ROLLBACK` or `RELEASE` inside the closure): \
         return `Ok` to commit or `Err` to roll back instead",
    )
}

/// The same kind and message, for answering several writes with one error (the source is not
/// kept: it cannot be cloned).
fn copy(error: &Error) -> Error {
    Error::new(error.kind(), error.message())
}
