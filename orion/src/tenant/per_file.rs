//! db-per-tenant: one SQLite file per tenant, `<dir>/<key>.db`, each a [`Store`] of its own.
//!
//! - **Opening.** A tenant's file is opened on first use and migrated right then (the app's
//!   tenant migrations, the same list for every file), so a request never sees an old schema.
//!   [`PerFile::migrate_all`] brings every file up to date on demand (at deploy, to fail early).
//! - **The cache.** Open stores are kept, at most [`PerFileOptions::max_open`]; opening one
//!   more closes the least recently used one that no handle holds — cleanly, with
//!   [`Store::close`], so its WAL is checkpointed and removed. Handles ([`TenantStore`]s) are
//!   meant to be short-lived (a request, a region model read); when every open store is held,
//!   the cache goes over the bound until some are let go.
//! - **Existence.** A tenant exists when its file does: [`PerFile::create`] makes it, opening an
//!   unknown tenant is [`ErrorKind::NotFound`] (404), and never creates a file.
//! - **One call each**: [`backup`](PerFile::backup) (a consistent copy taken while the tenant
//!   is live, with `VACUUM INTO`), [`export`](PerFile::export) (that copy's bytes) and
//!   [`delete`](PerFile::delete) (closes the store, removes the file and its `-wal`/`-shm`).
//!
//! Opening, migrating and closing happen under one lock, so no two stores of one file are
//! ever open in this process; they are rare (the cache absorbs the rest) but they block, like
//! any file I/O.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::buses::{Buses, Tenant};
use super::{TenancyModel, TenantKey, TenantStore, unknown};
use crate::store::{Migration, StoreOptions};
use crate::{Bus, Error, ErrorKind, Result, Store};

/// How db-per-tenant opens and keeps tenant files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerFileOptions {
    /// The most tenant stores kept open at once (each holds a writer thread and up to
    /// `store.readers` connections); `0` is taken as `1`. 64 by default.
    pub max_open: usize,
    /// How each tenant's store is opened. By default [`StoreOptions::default`] with 2 readers.
    pub store: StoreOptions,
}

impl Default for PerFileOptions {
    fn default() -> PerFileOptions {
        PerFileOptions { max_open: 64, store: StoreOptions { readers: 2, ..StoreOptions::default() } }
    }
}

/// db-per-tenant: tenant files under one folder. Cheap to clone; clones share the open stores.
///
/// Made by [`Tenancy::per_file`](super::Tenancy::per_file); reach it for the operations only
/// this model has (backup, export, delete, …) by matching [`Tenancy::PerFile`](super::Tenancy).
#[derive(Clone)]
pub struct PerFile {
    inner: Arc<Inner>,
}

struct Inner {
    dir: PathBuf,
    migrations: Vec<Migration>,
    options: PerFileOptions,
    buses: Buses,
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    open: HashMap<TenantKey, Slot>,
    /// Ticks once per use; a slot's `used` is the tick of its last use.
    clock: u64,
}

struct Slot {
    open: Arc<Open>,
    used: u64,
}

/// An open tenant file. Handles hold it (an `Arc`), which keeps it from being evicted.
pub(crate) struct Open {
    store: Store,
    tenant: Arc<Tenant>,
}

impl PerFile {
    /// Tenant files under `dir` (created if missing), each migrated with `migrations`.
    pub(crate) fn new(dir: &Path, migrations: &[Migration], options: PerFileOptions) -> Result<PerFile> {
        fs::create_dir_all(dir).map_err(|error| {
            Error::new(
                ErrorKind::Io,
                format!(
                    "could not create the tenants' folder `{}`: {error}: check its parent is writable",
                    dir.display()
                ),
            )
            .with_source(error)
        })?;
        Ok(PerFile {
            inner: Arc::new(Inner {
                dir: dir.to_path_buf(),
                migrations: migrations.to_vec(),
                options,
                buses: Buses::default(),
                cache: Mutex::default(),
            }),
        })
    }

    /// The folder holding the tenant files.
    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    /// The file of tenant `key`: `<dir>/<key>.db` (whether or not it exists).
    pub fn path(&self, key: &TenantKey) -> PathBuf {
        self.inner.dir.join(format!("{key}.db"))
    }

    /// The store of tenant `key`, creating and migrating its file if it does not exist yet.
    /// Blocks (file I/O); call it from boot, admin tasks or blocking code.
    pub fn create(&self, key: &TenantKey) -> Result<TenantStore> {
        self.open_bound(&self.inner.buses.bind(key), true)
    }

    /// The store of tenant `key`; [`ErrorKind::NotFound`] if it has no file.
    pub fn open(&self, key: &TenantKey) -> Result<TenantStore> {
        self.open_bound(&self.inner.buses.bind(key), false)
    }

    /// Whether tenant `key` has a file.
    pub fn exists(&self, key: &TenantKey) -> bool {
        self.path(key).is_file()
    }

    /// Every tenant (every `<key>.db` file under the folder), sorted.
    pub fn tenants(&self) -> Result<Vec<TenantKey>> {
        let mut keys = Vec::new();
        for entry in fs::read_dir(&self.inner.dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let Some(key) = name.to_str().and_then(|name| name.strip_suffix(".db")) else {
                continue;
            };
            if let Ok(key) = TenantKey::parse(key)
                && entry.file_type()?.is_file()
            {
                keys.push(key);
            }
        }
        keys.sort();
        Ok(keys)
    }

    /// Applies the migrations to every tenant file now; returns how many it applied in all.
    /// Tenants not open stay closed afterwards (the cache is left as it was).
    pub fn migrate_all(&self) -> Result<usize> {
        let mut applied = 0;
        for key in self.tenants()? {
            let cache = self.lock();
            if let Some(slot) = cache.open.get(&key) {
                applied += slot.open.store.migrate(&self.inner.migrations)?;
                continue;
            }
            let store = Store::open_with(&self.path(&key), &Bus::new(), self.inner.options.store.clone())?;
            let migrated = store.migrate(&self.inner.migrations);
            let closed = store.close();
            applied += migrated?;
            closed?;
            drop(cache);
        }
        Ok(applied)
    }

    /// Writes a consistent copy of tenant `key`'s database to `to` (a new file), while the
    /// tenant stays live: writes committed before the copy started are in it, later ones are
    /// not. The copy is flushed to disk before this returns.
    pub fn backup(&self, key: &TenantKey, to: &Path) -> Result<()> {
        self.copy(key, to)?;
        fs::File::open(to)?.sync_all()?;
        if let Some(parent) = to.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            sync_dir(parent)?;
        }
        Ok(())
    }

    /// The bytes of a consistent copy of tenant `key`'s database (a complete SQLite file),
    /// taken while the tenant stays live. Holds the whole file in memory.
    pub fn export(&self, key: &TenantKey) -> Result<Vec<u8>> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let temp = self.inner.dir.join(format!(".export-{key}-{}-{n}.tmp", std::process::id()));
        let bytes = self.copy(key, &temp).and_then(|()| Ok(fs::read(&temp)?));
        let _ = fs::remove_file(&temp);
        bytes
    }

    /// Deletes tenant `key`: closes its store (handles still held fail with
    /// [`ErrorKind::Closed`]) and removes its file, `-wal`, `-shm` and `-journal`. Afterwards
    /// the tenant is unknown (404). [`ErrorKind::NotFound`] if it does not exist.
    pub fn delete(&self, key: &TenantKey) -> Result<()> {
        let mut cache = self.lock();
        let path = self.path(key);
        let slot = cache.open.remove(key);
        if slot.is_none() && !path.is_file() {
            return Err(unknown(key));
        }
        if let Some(slot) = slot {
            close(key, &slot.open.store);
        }
        // The side files first: a `-wal` left behind must never meet a new file of this name.
        for suffix in ["-wal", "-shm", "-journal"] {
            remove_if_present(&side_file(&path, suffix))?;
        }
        fs::remove_file(&path)?;
        sync_dir(&self.inner.dir)?;
        tracing::info!(tenant = %key, "deleted tenant");
        Ok(())
    }

    /// The tenants whose store is open now, least recently used first.
    pub fn open_tenants(&self) -> Vec<TenantKey> {
        let cache = self.lock();
        let mut open: Vec<_> = cache.open.iter().map(|(key, slot)| (slot.used, key.clone())).collect();
        open.sort();
        open.into_iter().map(|(_, key)| key).collect()
    }

    /// Closes every open tenant store; reports the first failure. Tenants open again on next use.
    pub fn close(&self) -> Result<()> {
        let slots: Vec<_> = self.lock().open.drain().collect();
        let mut result = Ok(());
        for (key, slot) in slots {
            if let Err(error) = slot.open.store.close() {
                tracing::error!(tenant = %key, ?error, "closing a tenant store failed");
                result = result.and(Err(error));
            }
        }
        result
    }

    pub(crate) fn bind(&self, key: &TenantKey) -> Arc<Tenant> {
        self.inner.buses.bind(key)
    }

    /// The store of `tenant`, from the cache or opened (and migrated) now; a missing file is
    /// created only if `create`.
    pub(crate) fn open_bound(&self, tenant: &Arc<Tenant>, create: bool) -> Result<TenantStore> {
        let key = &tenant.key;
        let mut cache = self.lock();
        cache.clock += 1;
        let now = cache.clock;
        if let Some(slot) = cache.open.get_mut(key) {
            slot.used = now;
            return Ok(handle(&slot.open));
        }
        let path = self.path(key);
        if !create && !path.is_file() {
            return Err(unknown(key));
        }
        self.evict(&mut cache);
        let store = Store::open_with(&path, &tenant.bus, self.inner.options.store.clone())?;
        if let Err(error) = store.migrate(&self.inner.migrations) {
            let _ = store.close();
            return Err(error);
        }
        let open = Arc::new(Open { store, tenant: tenant.clone() });
        cache.open.insert(key.clone(), Slot { open: open.clone(), used: now });
        Ok(handle(&open))
    }

    /// Closes least recently used stores no handle holds until there is room for one more.
    fn evict(&self, cache: &mut Cache) {
        while cache.open.len() >= self.inner.options.max_open.max(1) {
            let idle = cache.open.iter().filter(|(_, slot)| Arc::strong_count(&slot.open) == 1);
            let Some(key) = idle.min_by_key(|(_, slot)| slot.used).map(|(key, _)| key.clone()) else {
                tracing::debug!(open = cache.open.len(), "every open tenant store is in use: over the bound for now");
                return;
            };
            if let Some(slot) = cache.open.remove(&key) {
                close(&key, &slot.open.store);
            }
        }
    }

    /// `VACUUM INTO to`, on a reader of the tenant's store: a consistent snapshot, taken
    /// without stopping the writer.
    fn copy(&self, key: &TenantKey, to: &Path) -> Result<()> {
        let tenant = self.open(key)?;
        if to.exists() {
            return Err(Error::new(
                ErrorKind::Io,
                format!("`{}` already exists: back up to a new file, or remove it first", to.display()),
            ));
        }
        let Some(target) = to.to_str() else {
            return Err(Error::new(
                ErrorKind::Io,
                format!("`{}` is not valid UTF-8, which SQLite needs: choose another path", to.display()),
            ));
        };
        let rows: Vec<(i64,)> = tenant.unscoped().query("VACUUM INTO ?1", [target])?;
        debug_assert!(rows.is_empty());
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Cache> {
        self.inner.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn handle(open: &Arc<Open>) -> TenantStore {
    TenantStore::new(open.store.clone(), open.tenant.clone(), TenancyModel::PerFile, Some(open.clone()))
}

/// Closes an evicted or deleted tenant's store; a failure is logged (the caller goes on).
fn close(key: &TenantKey, store: &Store) {
    match store.close() {
        Ok(()) => tracing::debug!(tenant = %key, "closed tenant store"),
        Err(error) => tracing::error!(tenant = %key, ?error, "closing a tenant store failed"),
    }
}

fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Makes a file's creation or removal in `dir` durable.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

impl fmt::Debug for PerFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PerFile")
            .field("dir", &self.inner.dir)
            .field("migrations", &self.inner.migrations.len())
            .field("open", &self.lock().open.len())
            .finish_non_exhaustive()
    }
}
