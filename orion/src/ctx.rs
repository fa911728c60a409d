//! The context every handler, page, command and region model receives.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::app::Shared;
use crate::http::routes::Params;
use crate::{Bus, Error, Result, Store};

/// What a handler gets to work with: the store, the bus and the route's parameters.
///
/// Cheap to clone. A region's model gets the context of its region instance: the same route
/// parameters for every viewer of that instance, and nothing specific to one request — which
/// is what lets one model read serve every viewer.
#[derive(Clone)]
pub struct Ctx {
    /// The app's store.
    pub store: Store,
    /// The app's bus.
    pub bus: Bus,
    params: Arc<Params>,
    pub(crate) app: Arc<Shared>,
}

impl Ctx {
    pub(crate) fn new(app: Arc<Shared>, params: Params) -> Ctx {
        Ctx { store: app.store.clone(), bus: app.bus.clone(), params: Arc::new(params), app }
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

    pub(crate) fn params_key(&self) -> String {
        let mut key = String::new();
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
        f.debug_struct("Ctx").field("params", &self.params).finish_non_exhaustive()
    }
}
