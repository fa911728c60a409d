//! A request's tenant: the app's policy names it, orion binds it to the request's context.
//!
//! What a tenant is, and where a request says which one it is for, is the app's policy: a
//! route parameter (`/w/{workspace}/…`, [`from_param`]), a subdomain (`acme.example.com`,
//! [`from_subdomain`]), later a session. The app gives that policy to
//! [`App::tenancy`](crate::App::tenancy) as a resolver, a function from the request to the raw
//! key. For each request orion calls it once, before the handler, and:
//!
//! - parses the key ([`TenantKey::parse`]): an invalid one makes
//!   [`Ctx::tenant`](crate::Ctx::tenant) answer 400, and binds nothing;
//! - binds the tenant: the context's bus becomes the tenant's bus (the one its regions listen
//!   on and its writes publish to), and the tenant becomes part of the key of every region
//!   instance the request opens — two tenants never share a region instance or its render,
//!   whether the key came from the path or from the host;
//! - opens nothing yet: [`Ctx::tenant`](crate::Ctx::tenant) opens the tenant's store when a
//!   page, command or region model asks, and answers 404 for a tenant that does not exist.

use std::fmt;
use std::sync::Arc;

use http::header::HOST;

use super::buses::Tenant;
use super::{InvalidTenantKey, Tenancy, TenantKey, TenantStore};
use crate::http::Request;
use crate::{Bus, Ctx, Error, Result};

/// A tenant resolver: the raw tenant key a request names, or `None` when it names none.
pub type Resolve = dyn Fn(&Ctx, &Request) -> Option<String> + Send + Sync;

/// An app's tenancy and its resolver, shared by every request.
pub(crate) struct Setup {
    pub(crate) tenancy: Tenancy,
    resolve: Arc<Resolve>,
}

impl Setup {
    pub(crate) fn new(tenancy: Tenancy, resolve: Arc<Resolve>) -> Setup {
        Setup { tenancy, resolve }
    }

    /// The tenant `request` names, bound, or why there is none.
    pub(crate) fn resolve(&self, ctx: &Ctx, request: &Request) -> Resolved {
        match (self.resolve)(ctx, request) {
            None => Resolved::None,
            Some(raw) => match TenantKey::parse(&raw) {
                Ok(key) => Resolved::Bound(self.tenancy.bind(&key)),
                Err(error) => Resolved::Invalid(error),
            },
        }
    }
}

impl fmt::Debug for Setup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Setup").field("tenancy", &self.tenancy).finish_non_exhaustive()
    }
}

/// What a request's context knows about its tenant.
#[derive(Debug, Clone, Default)]
pub(crate) enum Resolved {
    /// The app has no tenancy, or the request names no tenant.
    #[default]
    None,
    /// The request names a tenant with an invalid key (400).
    Invalid(InvalidTenantKey),
    /// The request's tenant (which may still not exist: 404 when its store is asked for).
    Bound(Arc<Tenant>),
}

impl Resolved {
    /// The tenant's key, when the request is bound to one.
    pub(crate) fn key(&self) -> Option<&TenantKey> {
        match self {
            Resolved::Bound(tenant) => Some(&tenant.key),
            Resolved::None | Resolved::Invalid(_) => None,
        }
    }

    /// What [`Ctx::tenant`](crate::Ctx::tenant) answers, given the app's tenancy.
    pub(crate) fn store(&self, setup: Option<&Setup>) -> Result<TenantStore> {
        let Some(setup) = setup else {
            return Err(Error::internal(
                "`Ctx::tenant` needs the app's tenancy: add `.tenancy(tenancy, resolver)` to the `App`",
            ));
        };
        match self {
            Resolved::None => Err(Error::not_found("this address names no tenant")),
            Resolved::Invalid(error) => Err(error.clone().into()),
            Resolved::Bound(tenant) => setup.tenancy.open_bound(tenant),
        }
    }

    /// The tenant's bus, when the request is bound to one.
    pub(crate) fn bus(&self) -> Option<&Bus> {
        match self {
            Resolved::Bound(tenant) => Some(&tenant.bus),
            Resolved::None | Resolved::Invalid(_) => None,
        }
    }
}

/// A resolver reading the tenant from the route parameter `name` (`/w/{workspace}/…` with
/// `from_param("workspace")`). Routes without that parameter name no tenant.
pub fn from_param(name: &str) -> impl Fn(&Ctx, &Request) -> Option<String> + Send + Sync + 'static {
    let name = name.to_owned();
    move |ctx, _| ctx.param(&name).map(str::to_owned)
}

/// A resolver reading the tenant from the subdomain of `domain`: `acme.example.com` (any port,
/// any case) names `acme` with `from_subdomain("example.com")`. The bare domain and other
/// hosts name no tenant; a deeper subdomain (`a.b.example.com`) names the invalid key `a.b`.
pub fn from_subdomain(domain: &str) -> impl Fn(&Ctx, &Request) -> Option<String> + Send + Sync + 'static {
    let suffix = format!(".{}", domain.trim_start_matches('.').to_ascii_lowercase());
    move |_, request| {
        let host = match request.uri().host() {
            Some(host) => host.to_owned(),
            None => request.headers().get(HOST)?.to_str().ok()?.to_owned(),
        };
        let host = host.rsplit_once(':').map_or(host.as_str(), |(host, _port)| host).to_ascii_lowercase();
        host.strip_suffix(&suffix).filter(|label| !label.is_empty()).map(str::to_owned)
    }
}
