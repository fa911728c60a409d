//! The readers: a small pool of read-only connections, and [`Db`], a read snapshot.
//!
//! In WAL mode a reader sees the last committed state and never waits for the writer, so
//! reads run right on the calling thread (the render path is synchronous). Connections are
//! opened on first use, up to [`StoreOptions::readers`](super::StoreOptions::readers); a read
//! that finds them all busy waits for one to come back — unless its thread already holds
//! one (a read inside a read), which would wait for itself: it gets an extra connection,
//! closed when it comes back. They are opened `SQLITE_OPEN_READ_ONLY`, so a "read" that tries
//! to write fails instead of writing behind the writer's back.

use std::cell::Cell;
use std::fmt;
use std::ops::Deref;
use std::panic::Location;
use std::path::PathBuf;
use std::sync::{Condvar, Mutex, MutexGuard};

use rusqlite::{Connection, Params};

use super::oracle::Oracle;
use super::{FromRow, Sql, StoreOptions, closed, connection, sql};
use crate::Result;

thread_local! {
    /// How many reader connections this thread holds (of any store).
    static HELD: Cell<usize> = const { Cell::new(0) };
}

/// The pool of reader connections.
pub(super) struct Readers {
    path: PathBuf,
    options: StoreOptions,
    pool: Mutex<Pool>,
    returned: Condvar,
}

struct Pool {
    idle: Vec<Connection>,
    /// Connections open, idle or lent out.
    open: usize,
    closed: bool,
}

/// A reader connection lent out of the pool; it goes back when dropped.
struct Lease<'a> {
    readers: &'a Readers,
    conn: Option<Connection>,
}

/// A read snapshot: every query through it sees the same committed state.
///
/// [`Store::read`](super::Store::read) hands it out; it lives inside one read transaction.
pub struct Db<'a> {
    conn: &'a Connection,
    /// The store's tenancy oracle, asked before each query (see `oracle.rs`).
    oracle: &'a Oracle,
}

impl Readers {
    pub(super) fn new(path: PathBuf, options: StoreOptions) -> Readers {
        Readers {
            path,
            options,
            pool: Mutex::new(Pool { idle: Vec::new(), open: 0, closed: false }),
            returned: Condvar::new(),
        }
    }

    /// Runs one statement on a reader, outside any explicit transaction.
    pub(super) fn with<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let lease = self.lease()?;
        f(&lease)
    }

    /// Runs `f` inside one read transaction, so all its queries see one snapshot.
    pub(super) fn read<T>(&self, oracle: &Oracle, f: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        let lease = self.lease()?;
        lease.execute_batch("BEGIN DEFERRED")?;
        let value = f(&Db { conn: &lease, oracle })?;
        lease.execute_batch("COMMIT")?;
        Ok(value)
    }

    /// Closes the idle connections now, and each lent-out one when it comes back.
    pub(super) fn close(&self) -> Result<()> {
        let idle = {
            let mut pool = self.lock();
            pool.closed = true;
            pool.open -= pool.idle.len();
            std::mem::take(&mut pool.idle)
        };
        self.returned.notify_all();
        let mut result = Ok(());
        for conn in idle {
            if let Err((_, error)) = conn.close() {
                result = Err(error.into());
            }
        }
        result
    }

    fn lease(&self) -> Result<Lease<'_>> {
        let mut pool = self.lock();
        loop {
            if pool.closed {
                return Err(closed());
            }
            if let Some(conn) = pool.idle.pop() {
                return Ok(Lease::new(self, conn));
            }
            if pool.open < self.max() || HELD.get() > 0 {
                break;
            }
            pool = self.returned.wait(pool).unwrap_or_else(|e| e.into_inner());
        }
        pool.open += 1;
        drop(pool);
        match connection::open_reader(&self.path, &self.options) {
            Ok(conn) => Ok(Lease::new(self, conn)),
            Err(error) => {
                self.lock().open -= 1;
                self.returned.notify_one();
                Err(error)
            }
        }
    }

    fn give_back(&self, conn: Connection) {
        // A read that failed or panicked inside `read` leaves its transaction open.
        if !conn.is_autocommit() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        let mut pool = self.lock();
        if pool.closed || pool.open > self.max() {
            pool.open -= 1;
            drop(pool);
            drop(conn);
        } else {
            pool.idle.push(conn);
            drop(pool);
        }
        self.returned.notify_one();
    }

    /// The most connections kept open.
    fn max(&self) -> usize {
        self.options.readers.max(1)
    }

    fn lock(&self) -> MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<'a> Lease<'a> {
    fn new(readers: &'a Readers, conn: Connection) -> Lease<'a> {
        HELD.set(HELD.get() + 1);
        Lease { readers, conn: Some(conn) }
    }
}

impl Deref for Lease<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("a lease holds its connection until dropped")
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            HELD.set(HELD.get() - 1);
            self.readers.give_back(conn);
        }
    }
}

impl Db<'_> {
    /// Every row of `sql`.
    #[track_caller]
    pub fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        self.oracle.check(sql, Location::caller())?;
        self.query_unchecked(sql, params)
    }

    /// The first row of `sql`, or `None` when it returns no rows.
    #[track_caller]
    pub fn query_one<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        self.oracle.check(sql, Location::caller())?;
        self.query_one_unchecked(sql, params)
    }

    /// [`query`](Db::query) without asking the tenancy oracle.
    pub(super) fn query_unchecked<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        sql::query(self.conn, sql, params)
    }

    /// [`query_one`](Db::query_one) without asking the tenancy oracle.
    pub(super) fn query_one_unchecked<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        sql::query_one(self.conn, sql, params)
    }
}

impl Sql for Db<'_> {
    #[track_caller]
    fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        Db::query(self, sql, params)
    }

    #[track_caller]
    fn query_one<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        Db::query_one(self, sql, params)
    }
}

impl fmt::Debug for Readers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pool = self.lock();
        f.debug_struct("Readers")
            .field("open", &pool.open)
            .field("idle", &pool.idle.len())
            .field("max", &self.max())
            .finish()
    }
}

impl fmt::Debug for Db<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Db").finish_non_exhaustive()
    }
}
