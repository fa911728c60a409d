//! The opt-out of the tenancy oracle: raw SQL that may reach every tenant's rows, and says why.
//!
//! In debug builds the store refuses raw SQL that reaches a tenant-scoped table without the
//! tenant predicate (see `oracle.rs`). Some statements must: a report over every tenant, a
//! purge, an admin tool. They run through the handle [`Store::unscoped`], [`Tx::unscoped`] or
//! [`Db::unscoped`] returns, which takes a reason, so each one is found by grepping for
//! `unscoped(` (as are the named queries opted out with `#[unscoped(reason = "…")]`):
//!
//! ```
//! # use orion::store::Store;
//! # fn report(store: &Store) -> orion::Result<()> {
//! let per_tenant: Vec<(String, i64)> = store
//!     .unscoped("the admin dashboard counts every workspace's notes")
//!     .query("SELECT workspace_id, count(*) FROM notes GROUP BY workspace_id", ())?;
//! # Ok(())
//! # }
//! ```
//!
//! The handles run the same statements the same way, without asking the oracle; each
//! implements [`Sql`], so functions that take `&impl Sql` take them too. A blank reason fails
//! every statement.

use std::fmt;

use rusqlite::Params;

use super::{Db, FromRow, Sql, Store, Tx, sql};
use crate::{Error, ErrorKind, Result};

/// A [`Store`] whose statements are not checked for tenancy: what [`Store::unscoped`] returns.
pub struct UnscopedStore<'a> {
    store: &'a Store,
    reason: &'static str,
}

/// A [`Tx`] whose statements are not checked for tenancy: what [`Tx::unscoped`] returns.
pub struct UnscopedTx<'a> {
    tx: &'a Tx<'a>,
    reason: &'static str,
}

/// A [`Db`] whose queries are not checked for tenancy: what [`Db::unscoped`] returns.
pub struct UnscopedDb<'a> {
    db: &'a Db<'a>,
    reason: &'static str,
}

impl Store {
    /// This store, for statements that may reach every tenant's rows: they are not checked by
    /// the tenancy oracle. `reason` says why, and must not be blank.
    pub fn unscoped(&self, reason: &'static str) -> UnscopedStore<'_> {
        UnscopedStore { store: self, reason }
    }
}

impl Tx<'_> {
    /// This transaction, for statements that may reach every tenant's rows: they are not
    /// checked by the tenancy oracle. `reason` says why, and must not be blank.
    pub fn unscoped(&self, reason: &'static str) -> UnscopedTx<'_> {
        UnscopedTx { tx: self, reason }
    }
}

impl Db<'_> {
    /// This snapshot, for queries that may read every tenant's rows: they are not checked by
    /// the tenancy oracle. `reason` says why, and must not be blank.
    pub fn unscoped(&self, reason: &'static str) -> UnscopedDb<'_> {
        UnscopedDb { db: self, reason }
    }
}

impl UnscopedStore<'_> {
    /// Why these statements may reach every tenant's rows.
    pub fn reason(&self) -> &'static str {
        self.reason
    }

    /// [`Store::query`], unchecked.
    pub fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        given(self.reason)?;
        self.store.inner.readers.with(|conn| sql::query(conn, sql, params))
    }

    /// [`Store::query_one`], unchecked.
    pub fn query_one<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        given(self.reason)?;
        self.store.inner.readers.with(|conn| sql::query_one(conn, sql, params))
    }

    /// [`Store::execute`], unchecked.
    pub fn execute(&self, sql: &str, params: impl Params + Send + 'static) -> Result<usize> {
        given(self.reason)?;
        let sql = sql.to_owned();
        self.store.transaction(move |tx| tx.execute_unchecked(&sql, params))
    }
}

impl UnscopedTx<'_> {
    /// Why these statements may reach every tenant's rows.
    pub fn reason(&self) -> &'static str {
        self.reason
    }

    /// [`Tx::execute`], unchecked.
    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        given(self.reason)?;
        self.tx.execute_unchecked(sql, params)
    }

    /// [`Tx::query`], unchecked.
    pub fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        given(self.reason)?;
        self.tx.query_unchecked(sql, params)
    }

    /// [`Tx::query_one`], unchecked.
    pub fn query_one<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        given(self.reason)?;
        self.tx.query_one_unchecked(sql, params)
    }
}

impl UnscopedDb<'_> {
    /// Why these queries may read every tenant's rows.
    pub fn reason(&self) -> &'static str {
        self.reason
    }

    /// [`Db::query`], unchecked.
    pub fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        given(self.reason)?;
        self.db.query_unchecked(sql, params)
    }

    /// [`Db::query_one`], unchecked.
    pub fn query_one<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        given(self.reason)?;
        self.db.query_one_unchecked(sql, params)
    }
}

impl Sql for UnscopedStore<'_> {
    fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        UnscopedStore::query(self, sql, params)
    }

    fn query_one<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        UnscopedStore::query_one(self, sql, params)
    }
}

impl Sql for UnscopedTx<'_> {
    fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        UnscopedTx::query(self, sql, params)
    }

    fn query_one<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        UnscopedTx::query_one(self, sql, params)
    }
}

impl Sql for UnscopedDb<'_> {
    fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        UnscopedDb::query(self, sql, params)
    }

    fn query_one<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        UnscopedDb::query_one(self, sql, params)
    }
}

/// Refuses a blank reason: the opt-out is there to be read.
fn given(reason: &str) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(Error::new(
            ErrorKind::Sql,
            "`unscoped` was given a blank reason: say why the statement may reach every tenant's rows, e.g. \
             `store.unscoped(\"nightly purge of every workspace's deleted notes\")`",
        ));
    }
    Ok(())
}

impl fmt::Debug for UnscopedStore<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnscopedStore").field("store", self.store).field("reason", &self.reason).finish()
    }
}

impl fmt::Debug for UnscopedTx<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnscopedTx").field("tx", self.tx).field("reason", &self.reason).finish()
    }
}

impl fmt::Debug for UnscopedDb<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnscopedDb").field("db", self.db).field("reason", &self.reason).finish()
    }
}
