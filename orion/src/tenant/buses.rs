//! Each tenant's own bus, so a publish in one tenant never wakes a region of another.
//!
//! A [`Tenant`] is a key and its bus. Every request context, region instance and open store of
//! one tenant shares the same `Arc<Tenant>`, handed out by [`Buses::bind`]: while any of them
//! is alive, the key maps to that one bus, so a store reopened after being closed (the
//! db-per-tenant cache evicts idle files) publishes where the tenant's regions listen. Once the
//! last one is gone the entry is dropped; the next request starts a fresh bus, with no
//! subscriber to miss anything.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, Weak};

use super::TenantKey;
use crate::Bus;

/// One tenant, bound in this process: its key and its bus.
pub(crate) struct Tenant {
    pub(crate) key: TenantKey,
    pub(crate) bus: Bus,
}

impl fmt::Debug for Tenant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tenant").field("key", &self.key).finish_non_exhaustive()
    }
}

/// The tenants bound in this process, by key.
#[derive(Default)]
pub(crate) struct Buses {
    inner: Mutex<Registry>,
}

#[derive(Default)]
struct Registry {
    tenants: HashMap<TenantKey, Weak<Tenant>>,
    /// The size at which dead entries are next swept (amortised: doubles with the live ones).
    sweep_at: usize,
}

impl Buses {
    /// The tenant `key`, with the bus every live handle of it shares.
    pub(crate) fn bind(&self, key: &TenantKey) -> Arc<Tenant> {
        let mut registry = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tenant) = registry.tenants.get(key).and_then(Weak::upgrade) {
            return tenant;
        }
        let tenant = Arc::new(Tenant { key: key.clone(), bus: Bus::new() });
        registry.tenants.insert(key.clone(), Arc::downgrade(&tenant));
        if registry.tenants.len() >= registry.sweep_at {
            registry.tenants.retain(|_, tenant| tenant.strong_count() > 0);
            registry.sweep_at = (registry.tenants.len() * 2).max(64);
        }
        tenant
    }
}

impl fmt::Debug for Buses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let registry = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        f.debug_struct("Buses").field("tenants", &registry.tenants.len()).finish()
    }
}
