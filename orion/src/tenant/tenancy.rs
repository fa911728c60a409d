//! [`Tenancy`]: which of the two models an app runs, picked once at start.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use super::buses::Tenant;
use super::per_file::{PerFile, PerFileOptions};
use super::shared::SharedDb;
use super::{TenantKey, TenantStore};
use crate::store::Migration;
use crate::{Result, Store};

/// The app's tenancy: db-per-tenant or shared-db. Cheap to clone.
///
/// Feature code never looks at the model: it takes a [`TenantStore`] and runs the same
/// tenant-scoped SQL in both. Only the line that builds the `Tenancy` changes:
///
/// ```no_run
/// use orion::tenant::Tenancy;
/// # use orion::{Bus, Store};
/// # fn main() -> orion::Result<()> {
/// # const MIGRATIONS: &[orion::store::Migration] = &[];
/// # let store = Store::open("app.db".as_ref(), &Bus::new())?;
/// // db-per-tenant: `data/tenants/<key>.db`, each migrated with the tenant migrations.
/// let tenancy = Tenancy::per_file("data/tenants".as_ref(), MIGRATIONS)?;
/// // shared-db: every tenant in the app's store (which the app migrates itself).
/// let tenancy = Tenancy::shared(&store)?;
/// # Ok(())
/// # }
/// ```
///
/// The operations only one model has are on its variant: backup, export and delete of one
/// tenant are single file operations under [`PerFile`].
#[derive(Clone)]
pub enum Tenancy {
    /// db-per-tenant: one SQLite file per tenant.
    PerFile(PerFile),
    /// shared-db: one store, a tenant column in every tenant table.
    Shared(SharedDb),
}

/// The two tenancy models, as a value (for logs, flags, and code that must know).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TenancyModel {
    /// db-per-tenant: one SQLite file per tenant.
    PerFile,
    /// shared-db: one store, a tenant column in every tenant table.
    Shared,
}

impl Tenancy {
    /// db-per-tenant: tenant `k` is the file `<dir>/k.db` (`dir` is created if missing), migrated
    /// with `migrations` when it is first opened, with the default [`PerFileOptions`].
    pub fn per_file(dir: &Path, migrations: &[Migration]) -> Result<Tenancy> {
        Tenancy::per_file_with(dir, migrations, PerFileOptions::default())
    }

    /// db-per-tenant with `options` (how many files stay open, how each is opened).
    pub fn per_file_with(dir: &Path, migrations: &[Migration], options: PerFileOptions) -> Result<Tenancy> {
        Ok(Tenancy::PerFile(PerFile::new(dir, migrations, options)?))
    }

    /// shared-db: every tenant in `store`, which the app migrates itself. Creates orion's table
    /// of tenants in it if missing (blocks: a write).
    pub fn shared(store: &Store) -> Result<Tenancy> {
        Ok(Tenancy::Shared(SharedDb::new(store)?))
    }

    /// Which model this is.
    pub fn model(&self) -> TenancyModel {
        match self {
            Tenancy::PerFile(_) => TenancyModel::PerFile,
            Tenancy::Shared(_) => TenancyModel::Shared,
        }
    }

    /// The store of tenant `key`, creating the tenant if it does not exist yet (its file,
    /// migrated, or its record). Blocks; call it from boot, admin tasks or blocking code.
    pub fn create(&self, key: &TenantKey) -> Result<TenantStore> {
        match self {
            Tenancy::PerFile(files) => files.create(key),
            Tenancy::Shared(shared) => shared.create(key),
        }
    }

    /// The store of tenant `key`; [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) if the
    /// tenant does not exist.
    pub fn open(&self, key: &TenantKey) -> Result<TenantStore> {
        match self {
            Tenancy::PerFile(files) => files.open(key),
            Tenancy::Shared(shared) => shared.open(key),
        }
    }

    /// Whether tenant `key` exists.
    pub fn exists(&self, key: &TenantKey) -> Result<bool> {
        match self {
            Tenancy::PerFile(files) => Ok(files.exists(key)),
            Tenancy::Shared(shared) => shared.exists(key),
        }
    }

    /// Every tenant, sorted by key.
    pub fn tenants(&self) -> Result<Vec<TenantKey>> {
        match self {
            Tenancy::PerFile(files) => files.tenants(),
            Tenancy::Shared(shared) => shared.tenants(),
        }
    }

    /// Closes what the tenancy opened (db-per-tenant: every open tenant file; shared-db: nothing,
    /// the app closes its store). Call it after serving, before the app's store.
    pub fn close(&self) -> Result<()> {
        match self {
            Tenancy::PerFile(files) => files.close(),
            Tenancy::Shared(_) => Ok(()),
        }
    }

    /// The tenant `key` bound in this process (its bus).
    pub(crate) fn bind(&self, key: &TenantKey) -> Arc<Tenant> {
        match self {
            Tenancy::PerFile(files) => files.bind(key),
            Tenancy::Shared(shared) => shared.bind(key),
        }
    }

    /// The store of an already bound tenant (a request's); never creates one.
    pub(crate) fn open_bound(&self, tenant: &Arc<Tenant>) -> Result<TenantStore> {
        match self {
            Tenancy::PerFile(files) => files.open_bound(tenant, false),
            Tenancy::Shared(shared) => shared.open_bound(tenant),
        }
    }
}

impl fmt::Debug for Tenancy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tenancy::PerFile(files) => files.fmt(f),
            Tenancy::Shared(shared) => shared.fmt(f),
        }
    }
}

impl fmt::Display for TenancyModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TenancyModel::PerFile => "per-file",
            TenancyModel::Shared => "shared",
        })
    }
}
