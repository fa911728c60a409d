//! The context every handler, page, command and region model receives.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::app::Shared;
use crate::http::Request;
use crate::http::routes::Params;
use crate::tenant::{Resolved, Tenancy, TenantKey, TenantStore};
use crate::{Bus, Error, Result, Store};

/// What a handler gets to work with: the store, the bus, the route's parameters and, in an
/// app with tenancy, the request's tenant.
///
/// Cheap to clone. A region's model gets the context of its region instance: the same route
/// parameters (and tenant) for every viewer of that instance, and nothing specific to one
/// request — which is what lets one model read serve every viewer.
#[derive(Clone)]
pub struct Ctx {
    /// The app's store.
    pub store: Store,
    /// The app's bus — or, for a request bound to a tenant, the tenant's own bus.
    pub bus: Bus,
    params: Arc<Params>,
    tenant: Resolved,
    pub(crate) app: Arc<Shared>,
}

impl Ctx {
    pub(crate) fn new(app: Arc<Shared>, params: Params) -> Ctx {
        Ctx { store: app.store.clone(), bus: app.bus.clone(), params: Arc::new(params), tenant: Resolved::None, app }
    }

    /// Binds the tenant the app's resolver finds in `request` (see [`crate::tenant`]): the
    /// context's bus becomes the tenant's.
    pub(crate) fn with_tenant(mut self, request: &Request) -> Ctx {
        let app = self.app.clone();
        if let Some(setup) = &app.tenancy {
            self.tenant = setup.resolve(&self, request);
            if let Some(bus) = self.tenant.bus() {
                self.bus = bus.clone();
            }
        }
        self
    }

    /// The store of the request's tenant: 404 when the tenant does not exist (or the request
    /// names none), 400 when the request names an invalid key. See [`crate::tenant`].
    pub fn tenant(&self) -> Result<TenantStore> {
        self.tenant.store(self.app.tenancy.as_ref())
    }

    /// The key of the request's tenant, when it names a valid one (whether or not the tenant
    /// exists: [`tenant`](Ctx::tenant) says that). For anything keyed per tenant.
    pub fn tenant_key(&self) -> Option<&TenantKey> {
        self.tenant.key()
    }

    /// The app's tenancy, if it has one (to list tenants, say).
    pub fn tenancy(&self) -> Option<&Tenancy> {
        self.app.tenancy.as_ref().map(|setup| &setup.tenancy)
    }

    /// The route parameter `name` (decoded), if the route has one.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(key, _)| &**key == name).map(|(_, value)| value.as_str())
    }

    /// The route parameter `name` parsed as `T`; a missing or unparsable one is a 404 (the
    /// URL names nothing that exists).
    pub fn parse_param<T: FromStr>(&self, name: &str) -> Result<T> {
        let value = self.param(name).ok_or_else(|| Error::not_found(format!("no route parameter `{name}`")))?;
        value.parse().map_err(|_| Error::not_found(format!("`{value}` is not a valid `{name}`")))
    }

    /// Every route parameter, in pattern order.
    pub fn params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.params.iter().map(|(key, value)| (&**key, value.as_str()))
    }

    /// What tells region instances apart: the tenant (wherever it came from) and the route's
    /// parameters.
    pub(crate) fn params_key(&self) -> String {
        let mut key = String::new();
        if let Some(tenant) = self.tenant.key() {
            key.push_str("\u{1f}tenant=");
            key.push_str(tenant.as_str());
            key.push('\u{1f}');
        }
        for (name, value) in self.params.iter() {
            key.push_str(name);
            key.push('=');
            key.push_str(value);
            key.push('\u{1f}');
        }
        key
    }
}

impl fmt::Debug for Ctx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ctx").field("params", &self.params).field("tenant", &self.tenant.key()).finish_non_exhaustive()
    }
}
