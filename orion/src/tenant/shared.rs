//! shared-db: every tenant in one store, each row carrying its tenant's key.
//!
//! The app's store holds every tenant's rows; tenant-scoped tables have a tenant column, and
//! every statement on them is constrained with `= :tenant`, which the tenant-bound handles bind
//! (see [`TenantStore`]). Which tenants exist is recorded by orion in the store, in its own
//! table `_orion_tenants` (like `_orion_migrations`), so an unknown tenant is a 404 here as it
//! is under db-per-tenant. The app migrates the store itself, with all its migrations, as it
//! would without tenancy.
//!
//! Each tenant still has its own bus: a tenant's publishes are delivered after the commit on
//! that tenant's bus only, so a write in one tenant never wakes the regions of another.

use std::fmt;
use std::sync::Arc;

use super::buses::{Buses, Tenant};
use super::{TenancyModel, TenantKey, TenantStore, unknown};
use crate::{Result, Store};

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS _orion_tenants (
    key TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID";

/// shared-db: every tenant in one store. Cheap to clone.
///
/// Made by [`Tenancy::shared`](super::Tenancy::shared).
#[derive(Clone)]
pub struct SharedDb {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    buses: Buses,
}

impl SharedDb {
    /// Tenants in `store`; creates orion's table of tenants if missing. Blocks (a write).
    pub(crate) fn new(store: &Store) -> Result<SharedDb> {
        store.transaction(|tx| tx.execute(CREATE_TABLE, ()))?;
        Ok(SharedDb { inner: Arc::new(Inner { store: store.clone(), buses: Buses::default() }) })
    }

    /// The store every tenant lives in.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The store bound to tenant `key`, recording the tenant first if it is new. Blocks (a
    /// write); call it from boot, admin tasks or blocking code.
    pub fn create(&self, key: &TenantKey) -> Result<TenantStore> {
        let recorded = key.clone();
        self.inner.store.transaction(move |tx| {
            tx.execute(
                "INSERT INTO _orion_tenants (key, created_at) VALUES (?1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                 ON CONFLICT (key) DO NOTHING",
                [recorded.as_str()],
            )
        })?;
        Ok(self.handle(self.inner.buses.bind(key)))
    }

    /// The store bound to tenant `key`; [`ErrorKind::NotFound`](crate::ErrorKind::NotFound)
    /// if it was never created.
    pub fn open(&self, key: &TenantKey) -> Result<TenantStore> {
        self.open_bound(&self.inner.buses.bind(key))
    }

    /// Whether tenant `key` was created.
    pub fn exists(&self, key: &TenantKey) -> Result<bool> {
        let row: Option<(i64,)> =
            self.inner.store.query_one("SELECT 1 FROM _orion_tenants WHERE key = ?1", [key.as_str()])?;
        Ok(row.is_some())
    }

    /// Every tenant, sorted.
    pub fn tenants(&self) -> Result<Vec<TenantKey>> {
        let rows: Vec<(String,)> = self.inner.store.query("SELECT key FROM _orion_tenants ORDER BY key", ())?;
        // Only `create` writes the table, with parsed keys; anything else is skipped.
        Ok(rows.into_iter().filter_map(|(key,)| TenantKey::parse(&key).ok()).collect())
    }

    pub(crate) fn bind(&self, key: &TenantKey) -> Arc<Tenant> {
        self.inner.buses.bind(key)
    }

    pub(crate) fn open_bound(&self, tenant: &Arc<Tenant>) -> Result<TenantStore> {
        if !self.exists(&tenant.key)? {
            return Err(unknown(&tenant.key));
        }
        Ok(self.handle(tenant.clone()))
    }

    fn handle(&self, tenant: Arc<Tenant>) -> TenantStore {
        TenantStore::new(self.inner.store.clone(), tenant, TenancyModel::Shared, None)
    }
}

impl fmt::Debug for SharedDb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedDb").field("store", &self.inner.store).finish_non_exhaustive()
    }
}
