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
//! - **Migrations** ([`Store::migrate`]) are applied at boot, in order, once each.
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

mod connection;
mod migrate;
mod options;
mod readers;
mod row;
mod sql;
mod tx;
mod writer;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use rusqlite::types::FromSql;
pub use rusqlite::{Params, Row, ToSql, named_params, params};

pub use self::migrate::Migration;
pub use self::options::{StoreOptions, Synchronous};
pub use self::readers::Db;
pub use self::row::FromRow;
pub use self::sql::Sql;
pub use self::tx::Tx;

use self::readers::Readers;
use self::writer::Writer;
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
    /// The writer connection is opened (and the file switched to WAL) before this returns, so
    /// a path that cannot hold a database fails here; readers open on first use.
    pub fn open_with(path: &Path, bus: &Bus, options: StoreOptions) -> Result<Store> {
        let conn = connection::open_writer(path, &options)?;
        let writer = Writer::spawn(conn, bus.clone())?;
        Ok(Store {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                bus: bus.clone(),
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
    pub fn migrate(&self, migrations: &[Migration]) -> Result<usize> {
        self.inner.writer.migrate(migrations)
    }

    /// Every row of `sql`, read on a reader connection.
    pub fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        self.inner.readers.with(|conn| sql::query(conn, sql, params))
    }

    /// The first row of `sql`, or `None`, read on a reader connection.
    pub fn query_one<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        self.inner.readers.with(|conn| sql::query_one(conn, sql, params))
    }

    /// Runs several reads in one read transaction, so they all see the same committed state.
    pub fn read<T>(&self, f: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        self.inner.readers.read(f)
    }

    /// Runs one statement in a transaction of its own; returns how many rows it changed,
    /// after the commit. Blocks the calling thread until the commit is durable.
    ///
    /// The parameters travel to the writer thread, so they must be owned: a tuple of owned
    /// values such as `(title, 1)`, not `params![..]` (which borrows). To publish, or to use
    /// borrowed parameters, use [`transaction`](Store::transaction).
    pub fn execute(&self, sql: &str, params: impl Params + Send + 'static) -> Result<usize> {
        let sql = sql.to_owned();
        self.transaction(move |tx| tx.execute(&sql, params))
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
    fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        Store::query(self, sql, params)
    }

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
