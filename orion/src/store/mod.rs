//! The store: SQLite, synchronously, through a handful of methods over plain SQL.
//!
//! A [`Store`] is one database file with one writer and several readers:
//!
//! - **Reads** ([`Store::query`], [`Store::query_one`], [`Store::read`]) run on the calling
//!   thread, on a pool of read-only connections. The file is in WAL mode, so a read sees the
//!   last committed state and never waits for a write. The render path reads this way, with no
//!   `.await`.
//! - **Writes** ([`Store::write`] from async code, [`Store::transaction`] and
//!   [`Store::execute`] from blocking code) run on one dedicated writer thread, each in a
//!   `BEGIN IMMEDIATE` transaction. The closure gets a [`Tx`]; returning `Ok` commits,
//!   returning `Err` or panicking rolls back.
//! - **Publish after commit**: [`Tx::publish`] only records a topic; the writer publishes it on
//!   the [`Bus`] once the commit has succeeded. A subscriber woken by it always re-reads a state
//!   that includes the write, and a rolled-back write wakes no one.
//! - **Durable by default**: `synchronous=FULL`, so a write that returned survives power loss;
//!   see [`Synchronous`] for the trade-offs. `foreign_keys` are on, and double-quoted string
//!   literals are off (`"name"` is always an identifier).
//! - **Group commit** (opt-in, [`StoreOptions::write_queue`]): the writes queued while the
//!   writer is busy run in one transaction, each in its own `SAVEPOINT`, and share one `COMMIT`
//!   — one fsync for the batch. A write that fails (`Err`, a panic, a deferred foreign-key
//!   violation) rolls back alone; the others commit. A caller is answered only after the
//!   batch's `COMMIT` returned, so "acknowledged" means "durable" with the queue on or off.
//!   [`Store::flush`] waits for everything queued so far; [`Store::close`] finishes the queue.
//!   Writes are never held back to wait for company: a batch is what is already queued when
//!   the writer becomes free, so a lone write commits at once. Deferred foreign keys cost a
//!   `PRAGMA foreign_key_check` per batched write that changes rows (see `deferred.rs`).
//! - **The commit sequence** ([`Seq`]): every commit that changes something advances a number
//!   kept in the database, and records it as the "last changed" mark of the topics it
//!   publishes. Publishes carry it ([`Bus::publish_at`]), [`Store::seq`] is the newest one
//!   published, and [`Store::changed_since`] answers "did any of these topics change after
//!   commit N?" — also after a restart, and for commits of another process sharing the file.
//!   Live streams use it as their SSE `id` (see [`crate::region`](mod@crate::region)).
//! - **Two processes** may share a file: writes begin with `BEGIN IMMEDIATE` and wait up to
//!   [`StoreOptions::busy_timeout`] for the other's write lock; past it, the queued writes fail
//!   with an error that says so, and the next ones try again.
//! - **Migrations** ([`Store::migrate`]) are applied at boot, in order, once each, never
//!   batched with writes.
//! - **The tenancy oracle** (debug builds; [`StoreOptions::check_tenancy`]): once the
//!   migrations given to [`Store::migrate`] declare tenant-scoped tables
//!   (`-- orion: tenant notes.workspace_id`), raw SQL given to a [`Store`], [`Db`] or [`Tx`] —
//!   and so to the tenant-bound handles of [`crate::tenant`] — that reaches one without being
//!   constrained to `:tenant` fails before it runs, with the caller's file and line. Named
//!   queries were proven while compiling and skip it, and so do statements on global tables
//!   and orion's own; a statement that must reach every tenant's rows says so, with a reason:
//!   [`Store::unscoped`] (or [`Tx::unscoped`], [`Db::unscoped`]).
//!
//! ```
//! use orion::Bus;
//! use orion::store::{Migration, Store, params};
//!
//! # fn main() -> orion::Result<()> {
//! # let dir = std::env::temp_dir().join(format!("orion-store-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir)?;
//! let store = Store::open(&dir.join("app.db"), &Bus::new())?;
//! store.migrate(&[Migration {
//!     name: "20261121120000_create_todos.sql",
//!     sql: "CREATE TABLE todos (id INTEGER PRIMARY KEY, title TEXT NOT NULL)",
//! }])?;
//! store.transaction(|tx| {
//!     tx.execute("INSERT INTO todos (title) VALUES (?1)", params!["buy milk"])?;
//!     tx.publish("todos");
//!     Ok(())
//! })?;
//! let titles: Vec<(String,)> = store.query("SELECT title FROM todos", ())?;
//! assert_eq!(titles, [("buy milk".to_string(),)]);
//! store.close()?;
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! ```
//!
//! # Re-exports
//!
//! The parameter and row types of [rusqlite](https://docs.rs/rusqlite) are part of this API
//! ([`params!`], [`Params`], [`Row`], [`FromSql`], [`ToSql`]), so they are re-exported here,
//! and the crate itself as [`rusqlite`] (for [`FromRow`]'s error type and anything rarer):
//! an app depends on orion alone, and always on the same rusqlite version orion was built
//! with.

mod batch;
mod connection;
mod deferred;
mod migrate;
mod options;
pub(crate) mod oracle;
mod readers;
mod row;
mod sequence;
mod sql;
mod tx;
mod unscoped;
mod writer;

use std::fmt;
use std::panic::Location;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

pub use rusqlite::types::FromSql;
pub use rusqlite::{Params, Row, ToSql, named_params, params};

pub use self::migrate::Migration;
pub use self::options::{StoreOptions, Synchronous};
pub use self::readers::Db;
pub use self::row::FromRow;
pub use self::sequence::Seq;
pub use self::sql::Sql;
pub use self::tx::Tx;
pub use self::unscoped::{UnscopedDb, UnscopedStore, UnscopedTx};

use self::batch::Committer;
use self::oracle::Oracle;
use self::readers::Readers;
use self::writer::{Queue, Writer};
use crate::{Bus, Error, ErrorKind, Result};

/// The rusqlite crate orion is built with (see the module docs, "Re-exports").
pub use rusqlite;

/// A SQLite database: one writer thread, a pool of readers. Cheap to clone; clones share it.
///
/// See the [module documentation](self) for how reads, writes and publishes fit together.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    bus: Bus,
    /// The newest commit that returned from `COMMIT` (see [`Store::committed`]).
    committed: Arc<AtomicU64>,
    /// The newest commit published on the bus (see [`Store::seq`]).
    published: Arc<AtomicU64>,
    /// Checks raw SQL for tenancy in dev (see `oracle.rs`).
    oracle: Oracle,
    // Dropped in this order: the writer finishes its queue before the readers go.
    writer: Writer,
    readers: Readers,
}

impl Store {
    /// Opens (creating if missing) the database at `path` with the default
    /// [`StoreOptions`]; commits publish on `bus`.
    pub fn open(path: &Path, bus: &Bus) -> Result<Store> {
        Store::open_with(path, bus, StoreOptions::default())
    }

    /// Opens (creating if missing) the database at `path` with `options`.
    ///
    /// The writer connection is opened (the file switched to WAL, and orion's internal tables
    /// created) before this returns, so a path that cannot hold a database fails here; readers
    /// open on first use.
    pub fn open_with(path: &Path, bus: &Bus, options: StoreOptions) -> Result<Store> {
        let conn = connection::open_writer(path, &options)?;
        let seq = sequence::create(&conn).and_then(|()| sequence::current(&conn)).map_err(|error| {
            Error::new(
                ErrorKind::Sql,
                format!(
                    "could not create orion's tables (`_orion_commit`, `_orion_topics`) in `{}`: {error}: \
                     check that the file is writable and is not locked by another process",
                    path.display()
                ),
            )
            .with_source(error)
        })?;
        let committed = Arc::new(AtomicU64::new(seq.get()));
        let published = Arc::new(AtomicU64::new(seq.get()));
        let oracle = Oracle::new(&options);
        let counters = [committed.clone(), published.clone()];
        let committer = Committer::new(conn, bus.clone(), counters, path.to_path_buf(), &options, oracle.clone())?;
        let queue = Queue { enabled: options.write_queue, max_batch: options.max_batch };
        let writer = Writer::spawn(committer, queue)?;
        Ok(Store {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                bus: bus.clone(),
                committed,
                published,
                oracle,
                writer,
                readers: Readers::new(path.to_path_buf(), options),
            }),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The bus commits publish on.
    pub fn bus(&self) -> &Bus {
        &self.inner.bus
    }

    /// Applies the `migrations` not applied yet, in the given order, on the writer; returns
    /// how many it applied. Blocks; call it at boot, before serving.
    ///
    /// Fails with [`ErrorKind::Migration`] without applying anything if an applied migration's
    /// text has changed, and stops at a migration that fails (rolled back, not recorded; the
    /// ones before it stay applied).
    ///
    /// The migrations are also where the tenancy oracle learns which tables are
    /// tenant-scoped (see the [module docs](self)).
    pub fn migrate(&self, migrations: &[Migration]) -> Result<usize> {
        let applied = self.inner.writer.migrate(migrations)?;
        self.inner.oracle.learn(migrations);
        Ok(applied)
    }

    /// Every row of `sql`, read on a reader connection.
    #[track_caller]
    pub fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        self.inner.oracle.check(sql, Location::caller())?;
        self.inner.readers.with(|conn| sql::query(conn, sql, params))
    }

    /// The first row of `sql`, or `None`, read on a reader connection.
    #[track_caller]
    pub fn query_one<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        self.inner.oracle.check(sql, Location::caller())?;
        self.inner.readers.with(|conn| sql::query_one(conn, sql, params))
    }

    /// Runs several reads in one read transaction, so they all see the same committed state.
    pub fn read<T>(&self, f: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        self.inner.readers.read(&self.inner.oracle, f)
    }

    /// Runs one statement in a transaction of its own; returns how many rows it changed,
    /// after the commit. Blocks the calling thread until the commit is durable.
    ///
    /// The parameters travel to the writer thread, so they must be owned: a tuple of owned
    /// values such as `(title, 1)`, not `params![..]` (which borrows). To publish, or to use
    /// borrowed parameters, use [`transaction`](Store::transaction).
    #[track_caller]
    pub fn execute(&self, sql: &str, params: impl Params + Send + 'static) -> Result<usize> {
        self.inner.oracle.check(sql, Location::caller())?;
        let sql = sql.to_owned();
        self.transaction(move |tx| tx.execute_unchecked(&sql, params))
    }

    /// Runs `f` in a write transaction on the writer thread and blocks until it has committed
    /// (or rolled back); returns what `f` returned.
    ///
    /// For blocking code (boot, tests, jobs on their own thread). In async code use
    /// [`write`](Store::write), which waits without holding a worker thread.
    pub fn transaction<T: Send + 'static>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T> + Send + 'static) -> Result<T> {
        self.inner.writer.transaction(f)
    }

    /// Runs `f` in a write transaction on the writer thread and waits, without blocking,
    /// until it has committed; returns what `f` returned.
    ///
    /// Once the future has been polled, the write is queued: dropping the future does not
    /// cancel it, it only discards the answer.
    pub async fn write<T: Send + 'static>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T> + Send + 'static) -> Result<T> {
        self.inner.writer.write(f).await
    }

    /// Blocks until every write queued before this call is committed — durable — or has failed.
    ///
    /// Writes are never held back waiting for company (a batch is what is already queued when
    /// the writer becomes free), so this is a barrier, not a trigger. In async code,
    /// `store.write(|_| Ok(())).await` waits the same way without blocking the thread.
    pub fn flush(&self) -> Result<()> {
        self.inner.writer.flush()
    }

    /// The newest commit this store has published: every commit up to it is durable, visible
    /// to reads, and its topics have been published (with [`Bus::publish_at`]). A write's
    /// caller is answered after this has reached the write's commit.
    ///
    /// It starts at the sequence stored in the file, and only moves forward.
    pub fn seq(&self) -> Seq {
        Seq::new(self.inner.published.load(Ordering::SeqCst))
    }

    /// The newest commit that is durable and visible to reads, its topics perhaps not
    /// published yet: at least [`seq`](Store::seq). A region reads it before its model, so the
    /// model shows at least that state — including the commit whose publish woke it.
    pub(crate) fn committed(&self) -> Seq {
        Seq::new(self.inner.committed.load(Ordering::SeqCst))
    }

    /// Whether a state as of commit `since` may differ from the current one for a reader of
    /// `topics`: one of them was published by a later commit (of any process sharing the file)
    /// or was never published by a commit (it may be published outside commits, so nothing can
    /// be told), a migration ran since, or `since` is not a position of this database (it is
    /// ahead of its newest commit). Read from the database, on a reader.
    pub fn changed_since(&self, topics: &[&str], since: Seq) -> Result<bool> {
        self.inner.readers.with(|conn| sequence::changed_since(conn, topics, since))
    }

    /// Finishes the queued writes, stops the writer thread and closes the connections.
    ///
    /// Every later call on this store (or a clone) fails with [`ErrorKind::Closed`]. Closing
    /// twice is fine. Dropping the last clone also closes the store, without reporting errors.
    pub fn close(&self) -> Result<()> {
        let writer = self.inner.writer.close();
        let readers = self.inner.readers.close();
        writer.and(readers)
    }
}

impl Sql for Store {
    #[track_caller]
    fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        Store::query(self, sql, params)
    }

    #[track_caller]
    fn query_one<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        Store::query_one(self, sql, params)
    }
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.inner.path)
            .field("readers", &self.inner.readers)
            .finish_non_exhaustive()
    }
}

/// The error of any call on a closed store.
fn closed() -> Error {
    Error::new(ErrorKind::Closed, "the store is closed: open it again with `Store::open`")
}

#[cfg(test)]
mod tests;
