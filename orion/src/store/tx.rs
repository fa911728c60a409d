//! [`Tx`]: what a write closure gets, inside a transaction on the writer thread.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::panic::Location;

use rusqlite::{Connection, Params};

use super::oracle::Oracle;
use super::{FromRow, Sql, sql};
use crate::Result;

/// An open write transaction (`BEGIN IMMEDIATE`) on the writer thread.
///
/// The closure given to [`Store::transaction`](super::Store::transaction) or
/// [`Store::write`](super::Store::write) receives it. Returning `Ok` commits; returning `Err`
/// or panicking rolls back. With the write queue on, the transaction may be a `SAVEPOINT`
/// inside a batch shared with other writes; it commits or rolls back alone all the same. Don't
/// run `BEGIN`, `COMMIT`, `ROLLBACK` or `RELEASE` yourself (your own nested `SAVEPOINT`s are
/// fine).
pub struct Tx<'a> {
    conn: &'a Connection,
    /// The store's tenancy oracle, asked before each statement (see `oracle.rs`).
    oracle: &'a Oracle,
    /// Topics to publish once the transaction has committed, each once.
    topics: RefCell<Vec<Box<str>>>,
    /// Whether a statement named `defer_foreign_keys` (see `deferred.rs`).
    defers: Cell<bool>,
}

impl<'a> Tx<'a> {
    /// A transaction on `conn`, which the writer has just begun.
    pub(super) fn new(conn: &'a Connection, oracle: &'a Oracle) -> Tx<'a> {
        Tx { conn, oracle, topics: RefCell::new(Vec::new()), defers: Cell::new(false) }
    }

    /// Whether a statement of this transaction named `PRAGMA defer_foreign_keys` (in a batch,
    /// the writer then reads the pragma, checks this write's deferred keys and switches it off).
    pub(super) fn named_defer_foreign_keys(&self) -> bool {
        self.defers.get()
    }

    /// Notes, cheaply, whether `sql` may change `defer_foreign_keys`.
    fn watch(&self, sql: &str) {
        const PRAGMA: &[u8] = b"defer_foreign_keys";
        if !self.defers.get() && sql.as_bytes().windows(PRAGMA.len()).any(|w| w.eq_ignore_ascii_case(PRAGMA)) {
            self.defers.set(true);
        }
    }

    /// The topics recorded by [`publish`](Tx::publish), for the writer to publish after
    /// the commit.
    pub(super) fn into_topics(self) -> Vec<Box<str>> {
        self.topics.into_inner()
    }

    /// Runs one statement; returns how many rows it changed.
    #[track_caller]
    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.oracle.check(sql, Location::caller())?;
        self.execute_unchecked(sql, params)
    }

    /// Every row of `sql`, including rows this transaction wrote.
    #[track_caller]
    pub fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        self.oracle.check(sql, Location::caller())?;
        self.query_unchecked(sql, params)
    }

    /// The first row of `sql`, or `None`, including rows this transaction wrote.
    #[track_caller]
    pub fn query_one<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        self.oracle.check(sql, Location::caller())?;
        self.query_one_unchecked(sql, params)
    }

    /// [`execute`](Tx::execute) without asking the tenancy oracle: the caller did, or opted out.
    pub(super) fn execute_unchecked(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.watch(sql);
        Ok(self.conn.prepare(sql)?.execute(params)?)
    }

    /// [`query`](Tx::query) without asking the tenancy oracle.
    pub(super) fn query_unchecked<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        self.watch(sql);
        sql::query(self.conn, sql, params)
    }

    /// [`query_one`](Tx::query_one) without asking the tenancy oracle.
    pub(super) fn query_one_unchecked<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        self.watch(sql);
        sql::query_one(self.conn, sql, params)
    }

    /// The rowid of the last row this connection inserted.
    pub fn last_insert_rowid(&self) -> i64 {
        self.conn.last_insert_rowid()
    }

    /// Tells subscribers of `topic` that it changed — once this transaction has committed.
    ///
    /// Nothing is published if the transaction rolls back, and a topic recorded twice is
    /// published once. Subscribers woken by it re-read the store and see this transaction's
    /// rows.
    pub fn publish(&self, topic: &str) {
        let mut topics = self.topics.borrow_mut();
        if !topics.iter().any(|t| &**t == topic) {
            topics.push(topic.into());
        }
    }
}

impl Sql for Tx<'_> {
    #[track_caller]
    fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        Tx::query(self, sql, params)
    }

    #[track_caller]
    fn query_one<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        Tx::query_one(self, sql, params)
    }
}

impl fmt::Debug for Tx<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tx").field("topics", &self.topics.borrow()).finish_non_exhaustive()
    }
}
