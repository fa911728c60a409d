//! The composition of an app: its store, its routes and its settings, turned into a [`Router`].

use std::fmt;
use std::sync::Arc;

use crate::datastar::client::DatastarClient;
use crate::http::Router;
use crate::http::routes::Routes;
use crate::idempotency::Idempotency;
use crate::region::hub::Hub;
use crate::region::stream::StreamOptions;
use crate::tenant::{self, Tenancy};
use crate::{Bus, Store};

/// The default limit on request bodies: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// An app under construction: `App::new(&store).routes(…).router()`.
pub struct App {
    store: Store,
    routes: Routes,
    base: String,
    client: Option<DatastarClient>,
    body_limit: usize,
    stream: StreamOptions,
    security_headers: bool,
    idempotency: Option<Idempotency>,
    tenancy: Option<tenant::Setup>,
}

/// What every request of one app shares.
pub(crate) struct Shared {
    pub(crate) store: Store,
    pub(crate) bus: Bus,
    pub(crate) hub: Hub,
    pub(crate) client: DatastarClient,
    /// The path the app is mounted at: `""` at the root, `"/app"` under a prefix.
    pub(crate) base: String,
    pub(crate) body_limit: usize,
    /// Where commands with an `Idempotency-Key` header claim their keys; `None`: the header
    /// is ignored.
    pub(crate) idempotency: Option<Idempotency>,
    /// The app's tenancy and how a request names its tenant; `None`: no tenancy.
    pub(crate) tenancy: Option<tenant::Setup>,
}

impl App {
    /// An app over `store` (and its bus), with no routes yet.
    pub fn new(store: &Store) -> App {
        App {
            store: store.clone(),
            routes: Routes::new(),
            base: String::new(),
            client: None,
            body_limit: DEFAULT_BODY_LIMIT,
            stream: StreamOptions::default(),
            security_headers: true,
            idempotency: None,
            tenancy: None,
        }
    }

    /// Adds the routes of a feature slice (or several, merged).
    pub fn routes(mut self, routes: Routes) -> App {
        self.routes = std::mem::take(&mut self.routes).merge(routes);
        self
    }

    /// Tells the app it is mounted under `base` (e.g. `/app` inside an axum app), so the URLs it
    /// renders point there. Requests may arrive with the prefix or with it stripped.
    pub fn base(mut self, base: &str) -> App {
        self.base = base.trim_end_matches('/').to_owned();
        self
    }

    /// Where pages load the Datastar client from; by default [`DatastarClient::auto`].
    pub fn datastar(mut self, client: DatastarClient) -> App {
        self.client = Some(client);
        self
    }

    /// The largest request body accepted (a larger one is refused with 413).
    pub fn body_limit(mut self, bytes: usize) -> App {
        self.body_limit = bytes;
        self
    }

    /// Settings of the live streams (keep-alive, compression, pacing).
    pub fn streams(mut self, options: StreamOptions) -> App {
        self.stream = options;
        self
    }

    /// Leaves out [`security_headers`](crate::http::security_headers), for an app that sets its
    /// own (they are on by default).
    pub fn without_security_headers(mut self) -> App {
        self.security_headers = false;
        self
    }

    /// Runs commands that carry an `Idempotency-Key` header once per key, through
    /// `idempotency`: a repeat replays the first response, a concurrent duplicate from another
    /// process gets 409, the same key with another request 422 (see
    /// [`idempotency`](crate::idempotency)). Without this call the header is ignored.
    pub fn idempotency(mut self, idempotency: &Idempotency) -> App {
        self.idempotency = Some(idempotency.clone());
        self
    }

    /// Serves tenants with `tenancy` (db-per-tenant or shared-db); `resolve` is the app's
    /// policy for which tenant a request is for, e.g. [`tenant::from_param`]`("workspace")`.
    /// Handlers get the tenant's store from [`Ctx::tenant`](crate::Ctx::tenant); see
    /// [`tenant`](crate::tenant).
    pub fn tenancy(
        mut self,
        tenancy: &Tenancy,
        resolve: impl Fn(&crate::Ctx, &crate::http::Request) -> Option<String> + Send + Sync + 'static,
    ) -> App {
        self.tenancy = Some(tenant::Setup::new(tenancy.clone(), Arc::new(resolve)));
        self
    }

    /// The router serving this app.
    pub fn router(self) -> Router {
        let shared = Shared {
            bus: self.store.bus().clone(),
            store: self.store,
            hub: Hub::new(self.stream),
            client: self.client.unwrap_or_else(DatastarClient::auto),
            base: self.base,
            body_limit: self.body_limit,
            idempotency: self.idempotency,
            tenancy: self.tenancy,
        };
        let router = Router::new(Arc::new(shared), self.routes);
        if self.security_headers { crate::http::security_headers(router) } else { router }
    }
}

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App").field("base", &self.base).field("routes", &self.routes).finish_non_exhaustive()
    }
}
