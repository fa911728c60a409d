//! [`TenantStore`]: a store bound to one tenant, which binds `:tenant` to every query itself.
//!
//! Tenant-scoped SQL names the tenant with one named parameter, [`TENANT_PARAM`] (`:tenant`):
//!
//! ```sql
//! SELECT id, body FROM notes WHERE workspace_id = :tenant ORDER BY id
//! INSERT INTO notes (workspace_id, body) VALUES (:tenant, :body)
//! UPDATE notes SET done = 1 WHERE id = :id AND workspace_id = :tenant
//! ```
//!
//! The functions that run it take a tenant-bound handle — [`TenantStore`], [`TenantDb`] (a read
//! snapshot) or [`TenantTx`] (a write transaction) — never a key: each handle adds
//! `(":tenant", key)` to the named parameters it is given, so the key comes from orion (the
//! request's tenant) and no caller can pass another one. It refuses what would undo that:
//!
//! - parameters that already name `:tenant` (a caller trying to choose the tenant);
//! - SQL that does not mention `:tenant` at all (SQLite reports the parameter as unknown, and
//!   the handle says what to do) — a query through a tenant handle is tenant-scoped or fails.
//!
//! Parameters are named (`&[(":id", &id)]`, or rusqlite's `named_params!`); positional `?1`
//! parameters are not available through a tenant handle.
//!
//! The same handles serve both tenancy models: under db-per-tenant the store is the tenant's own
//! file and the predicate is redundant (and harmless); under shared-db it is what keeps tenants
//! apart. Either way the tenant's topics are published on the tenant's own bus, after the commit.

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use rusqlite::ToSql;

use super::buses::Tenant;
use super::per_file::Open;
use super::{TenancyModel, TenantKey};
use crate::store::{Db, FromRow, Tx};
use crate::{Error, ErrorKind, Result, Store};

/// The named parameter every tenant-scoped statement uses for the tenant's key.
pub const TENANT_PARAM: &str = ":tenant";

/// Named parameters, as rusqlite's `named_params!` writes them: `&[(":id", &id)]`.
pub type NamedParams<'a> = &'a [(&'a str, &'a dyn ToSql)];

/// What runs tenant-scoped reads: [`TenantStore`], [`TenantDb`] and [`TenantTx`].
///
/// A feature's read functions take `&impl TenantSql`, so the same function reads for a
/// region's model and inside a write transaction (where it sees the transaction's own rows):
///
/// ```
/// use orion::tenant::TenantSql;
///
/// fn titles(db: &impl TenantSql) -> orion::Result<Vec<(String,)>> {
///     db.query("SELECT body FROM notes WHERE workspace_id = :tenant ORDER BY id", &[])
/// }
/// ```
pub trait TenantSql {
    /// The tenant every query is bound to.
    fn key(&self) -> &TenantKey;

    /// Every row of `sql`, with `:tenant` bound to [`key`](TenantSql::key).
    #[track_caller]
    fn query<T: FromRow>(&self, sql: &str, params: NamedParams<'_>) -> Result<Vec<T>>;

    /// The first row of `sql` or `None`, with `:tenant` bound to [`key`](TenantSql::key).
    #[track_caller]
    fn query_one<T: FromRow>(&self, sql: &str, params: NamedParams<'_>) -> Result<Option<T>>;
}

/// A store bound to one tenant: what [`Ctx::tenant`](crate::Ctx::tenant) returns, and what
/// tenant-scoped SQL functions take. Cheap to clone.
///
/// Get one per use (per request, per region model read) rather than keeping it: under
/// db-per-tenant, a held handle keeps its tenant's file open, and a deleted tenant's handle
/// fails with [`ErrorKind::Closed`].
#[derive(Clone)]
pub struct TenantStore {
    store: Store,
    tenant: Arc<Tenant>,
    model: TenancyModel,
    /// Under db-per-tenant, keeps the file from being evicted while this handle lives.
    lease: Option<Arc<Open>>,
}

impl TenantStore {
    pub(crate) fn new(store: Store, tenant: Arc<Tenant>, model: TenancyModel, lease: Option<Arc<Open>>) -> TenantStore {
        TenantStore { store, tenant, model, lease }
    }

    /// The tenant's key.
    pub fn key(&self) -> &TenantKey {
        &self.tenant.key
    }

    /// Which tenancy model the app runs.
    pub fn model(&self) -> TenancyModel {
        self.model
    }

    /// The underlying store, with no tenant bound: the tenant's own file under db-per-tenant,
    /// the one shared file under shared-db (every tenant's rows). For tools and tests; feature
    /// code reads and writes through the scoped methods. Publishes made through it go to the
    /// store's bus, which is the tenant's only under db-per-tenant. In debug builds its raw SQL
    /// is still checked by the tenancy oracle: a statement that must reach every tenant's rows
    /// says so with [`Store::unscoped`] and a reason.
    pub fn unscoped(&self) -> &Store {
        &self.store
    }

    /// Every row of `sql`, with `:tenant` bound, read on a reader connection.
    #[track_caller]
    pub fn query<T: FromRow>(&self, sql: &str, params: NamedParams<'_>) -> Result<Vec<T>> {
        let params = bind(self.key(), params)?;
        explain(self.store.query(sql, params.as_slice()))
    }

    /// The first row of `sql` or `None`, with `:tenant` bound, read on a reader connection.
    #[track_caller]
    pub fn query_one<T: FromRow>(&self, sql: &str, params: NamedParams<'_>) -> Result<Option<T>> {
        let params = bind(self.key(), params)?;
        explain(self.store.query_one(sql, params.as_slice()))
    }

    /// Runs several tenant-scoped reads in one read transaction (one snapshot).
    pub fn read<T>(&self, f: impl FnOnce(&TenantDb<'_>) -> Result<T>) -> Result<T> {
        self.store.read(|db| f(&TenantDb { db, key: self.key() }))
    }

    /// Runs `f` in a write transaction and waits, without blocking, until it has committed;
    /// returns what `f` returned. Like [`Store::write`]: once polled, the write is queued, and
    /// dropping the future discards only the answer — the topics `f` published still go out.
    pub async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&TenantTx<'_>) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let job = self.job(f);
        if self.model == TenancyModel::PerFile {
            return Ok(self.store.write(job).await?.0);
        }
        // Shared-db: the store's bus is the app's, so the tenant's topics are published on the
        // tenant's bus here, once the commit is done — in a task of its own, so that a caller
        // that stops waiting cannot lose them.
        let store = self.store.clone();
        let tenant = self.tenant.clone();
        let task = tokio::spawn(async move {
            let (value, topics) = store.write(job).await?;
            publish(&tenant, &topics);
            Ok(value)
        });
        task.await.map_err(|error| {
            Error::new(ErrorKind::Closed, "the write's task was stopped: the runtime is shutting down")
                .with_source(error)
        })?
    }

    /// Runs `f` in a write transaction and blocks until it has committed; for blocking code
    /// (boot, tests, jobs on their own thread). Async code uses [`write`](TenantStore::write).
    pub fn transaction<T: Send + 'static>(
        &self,
        f: impl FnOnce(&TenantTx<'_>) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (value, topics) = self.store.transaction(self.job(f))?;
        publish(&self.tenant, &topics);
        Ok(value)
    }

    /// The closure the store's writer runs: `f` with a [`TenantTx`]. Under db-per-tenant the
    /// store publishes on the tenant's bus itself; under shared-db the topics come back, to be
    /// published on the tenant's bus after the commit.
    fn job<T: Send + 'static>(
        &self,
        f: impl FnOnce(&TenantTx<'_>) -> Result<T> + Send + 'static,
    ) -> impl FnOnce(&Tx<'_>) -> Result<(T, Vec<Box<str>>)> + Send + 'static {
        let key = self.key().clone();
        let per_file = self.model == TenancyModel::PerFile;
        move |tx| {
            let scoped = TenantTx { tx, key: &key, topics: RefCell::new(Vec::new()) };
            let value = f(&scoped)?;
            let topics = scoped.topics.into_inner();
            if per_file {
                for topic in &topics {
                    tx.publish(topic);
                }
                return Ok((value, Vec::new()));
            }
            Ok((value, topics))
        }
    }
}

fn publish(tenant: &Tenant, topics: &[Box<str>]) {
    for topic in topics {
        tenant.bus.publish(topic);
    }
}

impl TenantSql for TenantStore {
    fn key(&self) -> &TenantKey {
        TenantStore::key(self)
    }

    #[track_caller]
    fn query<T: FromRow>(&self, sql: &str, params: NamedParams<'_>) -> Result<Vec<T>> {
        TenantStore::query(self, sql, params)
    }

    #[track_caller]
    fn query_one<T: FromRow>(&self, sql: &str, params: NamedParams<'_>) -> Result<Option<T>> {
        TenantStore::query_one(self, sql, params)
    }
}

impl fmt::Debug for TenantStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TenantStore")
            .field("key", self.key())
            .field("model", &self.model)
            .field("store", &self.store)
            .field("leased", &self.lease.is_some())
            .finish()
    }
}

/// A tenant-bound read snapshot: what [`TenantStore::read`] hands out.
pub struct TenantDb<'a> {
    db: &'a Db<'a>,
    key: &'a TenantKey,
}

impl TenantSql for TenantDb<'_> {
    fn key(&self) -> &TenantKey {
        self.key
    }

    #[track_caller]
    fn query<T: FromRow>(&self, sql: &str, params: NamedParams<'_>) -> Result<Vec<T>> {
        let params = bind(self.key, params)?;
        explain(self.db.query(sql, params.as_slice()))
    }

    #[track_caller]
    fn query_one<T: FromRow>(&self, sql: &str, params: NamedParams<'_>) -> Result<Option<T>> {
        let params = bind(self.key, params)?;
        explain(self.db.query_one(sql, params.as_slice()))
    }
}

impl fmt::Debug for TenantDb<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TenantDb").field("key", self.key).finish_non_exhaustive()
    }
}

/// A write transaction bound to one tenant: what [`TenantStore::write`] and
/// [`TenantStore::transaction`] hand their closure.
pub struct TenantTx<'a> {
    tx: &'a Tx<'a>,
    key: &'a TenantKey,
    /// Topics to publish on the tenant's bus once the transaction has committed, each once.
    topics: RefCell<Vec<Box<str>>>,
}

impl TenantTx<'_> {
    /// The tenant every statement is bound to.
    pub fn key(&self) -> &TenantKey {
        self.key
    }

    /// Runs one statement with `:tenant` bound; returns how many rows it changed.
    #[track_caller]
    pub fn execute(&self, sql: &str, params: NamedParams<'_>) -> Result<usize> {
        let params = bind(self.key, params)?;
        explain(self.tx.execute(sql, params.as_slice()))
    }

    /// Every row of `sql` (including this transaction's own writes, and `RETURNING` rows),
    /// with `:tenant` bound.
    #[track_caller]
    pub fn query<T: FromRow>(&self, sql: &str, params: NamedParams<'_>) -> Result<Vec<T>> {
        let params = bind(self.key, params)?;
        explain(self.tx.query(sql, params.as_slice()))
    }

    /// The first row of `sql` or `None`, with `:tenant` bound.
    #[track_caller]
    pub fn query_one<T: FromRow>(&self, sql: &str, params: NamedParams<'_>) -> Result<Option<T>> {
        let params = bind(self.key, params)?;
        explain(self.tx.query_one(sql, params.as_slice()))
    }

    /// The rowid of the last row this transaction inserted.
    pub fn last_insert_rowid(&self) -> i64 {
        self.tx.last_insert_rowid()
    }

    /// Tells the tenant's subscribers that `topic` changed — once this transaction has
    /// committed, and on the tenant's bus only: viewers of other tenants are never woken.
    pub fn publish(&self, topic: &str) {
        let mut topics = self.topics.borrow_mut();
        if !topics.iter().any(|t| &**t == topic) {
            topics.push(topic.into());
        }
    }
}

impl TenantSql for TenantTx<'_> {
    fn key(&self) -> &TenantKey {
        self.key
    }

    #[track_caller]
    fn query<T: FromRow>(&self, sql: &str, params: NamedParams<'_>) -> Result<Vec<T>> {
        TenantTx::query(self, sql, params)
    }

    #[track_caller]
    fn query_one<T: FromRow>(&self, sql: &str, params: NamedParams<'_>) -> Result<Option<T>> {
        TenantTx::query_one(self, sql, params)
    }
}

impl fmt::Debug for TenantTx<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TenantTx").field("key", self.key).field("topics", &self.topics.borrow()).finish()
    }
}

/// `params` plus `(":tenant", key)`; refuses parameters that name `:tenant` themselves.
fn bind<'a>(key: &'a TenantKey, params: NamedParams<'a>) -> Result<Vec<(&'a str, &'a dyn ToSql)>> {
    if params.iter().any(|(name, _)| *name == TENANT_PARAM) {
        return Err(Error::new(
            ErrorKind::Sql,
            "the parameters name `:tenant`: remove it, a tenant store binds `:tenant` to its own tenant's key",
        ));
    }
    let mut bound = Vec::with_capacity(params.len() + 1);
    bound.extend_from_slice(params);
    bound.push((TENANT_PARAM, key as &dyn ToSql));
    Ok(bound)
}

/// Turns SQLite's "unknown parameter `:tenant`" into what to do about it.
fn explain<T>(result: Result<T>) -> Result<T> {
    result.map_err(|error| {
        let source = std::error::Error::source(&error).and_then(|source| source.downcast_ref::<rusqlite::Error>());
        match source {
            Some(rusqlite::Error::InvalidParameterName(name)) if name == TENANT_PARAM => Error::new(
                ErrorKind::Sql,
                "the statement does not use `:tenant`: constrain every tenant table to the tenant \
                 (e.g. `WHERE workspace_id = :tenant`), or for a table every tenant shares use \
                 `TenantStore::unscoped`",
            )
            .with_source(error),
            _ => error,
        }
    })
}
