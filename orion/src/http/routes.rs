//! The route table: method + path pattern → handler.
//!
//! Patterns are literal segments and `{name}` parameters (`/todos/{id}/toggle`), plus a final
//! `{*rest}` that takes the remainder of the path (for static files). Matching is exact: no
//! trailing-slash guessing. A path that matches with another method answers 405 with `Allow`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use http::Method;

use super::query;
use super::{Request, Response};
use crate::Ctx;

pub(crate) type BoxFuture = Pin<Box<dyn Future<Output = Response> + Send + 'static>>;

/// A route handler, type-erased.
pub(crate) type Handler = Arc<dyn Fn(Ctx, Request) -> BoxFuture + Send + Sync + 'static>;

/// What a route serves; shown by route listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RouteKind {
    /// A resource's page (and, for Datastar requests, its live stream).
    Page,
    /// A command: validate, write, publish, answer the requester.
    Command,
    /// Static files from a folder.
    Files,
    /// A plain handler.
    Plain,
}

/// One entry of a route table.
#[derive(Clone)]
pub struct Route {
    pub(crate) method: Method,
    pub(crate) pattern: Pattern,
    pub(crate) kind: RouteKind,
    pub(crate) handler: Handler,
}

impl Route {
    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path pattern as written (`/todos/{id}`).
    pub fn path(&self) -> &str {
        &self.pattern.source
    }

    /// What the route serves.
    pub fn kind(&self) -> RouteKind {
        self.kind
    }
}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({:?})", self.method, self.pattern.source, self.kind)
    }
}

/// A set of routes; an app merges the routes of its feature slices.
#[derive(Clone, Default)]
pub struct Routes {
    pub(crate) routes: Vec<Route>,
}

impl Routes {
    /// An empty route table.
    pub fn new() -> Routes {
        Routes::default()
    }

    /// Adds a plain handler: `handler(ctx, request)` answers `method path`.
    ///
    /// # Panics
    /// When `path` is not a valid pattern or the same method and path are already routed —
    /// both are programming errors found at start-up.
    pub fn route<F, Fut>(self, method: Method, path: &str, handler: F) -> Routes
    where
        F: Fn(Ctx, Request) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Response> + Send + 'static,
    {
        let handler: Handler = Arc::new(move |ctx, request| Box::pin(handler(ctx, request)));
        self.add(method, path, RouteKind::Plain, handler)
    }

    /// Adds a plain `GET` handler.
    pub fn get<F, Fut>(self, path: &str, handler: F) -> Routes
    where
        F: Fn(Ctx, Request) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Response> + Send + 'static,
    {
        self.route(Method::GET, path, handler)
    }

    /// Adds a plain `POST` handler.
    pub fn post<F, Fut>(self, path: &str, handler: F) -> Routes
    where
        F: Fn(Ctx, Request) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Response> + Send + 'static,
    {
        self.route(Method::POST, path, handler)
    }

    /// Adds every route of `other`.
    pub fn merge(mut self, other: Routes) -> Routes {
        for route in other.routes {
            self = self.push(route);
        }
        self
    }

    /// The routes, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = &Route> {
        self.routes.iter()
    }

    pub(crate) fn add(self, method: Method, path: &str, kind: RouteKind, handler: Handler) -> Routes {
        let pattern = Pattern::parse(path).unwrap_or_else(|error| panic!("invalid route `{path}`: {error}"));
        self.push(Route { method, pattern, kind, handler })
    }

    fn push(mut self, route: Route) -> Routes {
        if let Some(existing) =
            self.routes.iter().find(|r| r.method == route.method && r.pattern.source == route.pattern.source)
        {
            panic!("`{} {}` is routed twice: remove one of them", existing.method, existing.pattern.source);
        }
        self.routes.push(route);
        self
    }
}

impl fmt::Debug for Routes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.routes).finish()
    }
}

/// A parsed path pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    pub(crate) source: String,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
    Rest(String),
}

/// The parameters a path matched, decoded, in pattern order.
pub(crate) type Params = Vec<(Box<str>, String)>;

impl Pattern {
    pub(crate) fn parse(source: &str) -> Result<Pattern, String> {
        let Some(rest) = source.strip_prefix('/') else {
            return Err("a route path starts with `/`".into());
        };
        let mut segments = Vec::new();
        let parts: Vec<&str> = if rest.is_empty() { Vec::new() } else { rest.split('/').collect() };
        for (i, part) in parts.iter().enumerate() {
            let segment = match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) => match name.strip_prefix('*') {
                    Some(name) if i + 1 == parts.len() && valid_name(name) => Segment::Rest(name.into()),
                    Some(_) => {
                        return Err(format!("`{part}` must be the last segment and name a parameter"));
                    }
                    None if valid_name(name) => Segment::Param(name.into()),
                    None => return Err(format!("`{part}` is not a valid parameter name")),
                },
                None if part.is_empty() => {
                    return Err("empty segment (`//` or a trailing `/`)".into());
                }
                None if part.contains(['{', '}']) => {
                    return Err(format!("`{part}`: a parameter takes a whole segment"));
                }
                None => Segment::Literal((*part).into()),
            };
            segments.push(segment);
        }
        Ok(Pattern { source: source.into(), segments })
    }

    /// The parameters, when `path` (still percent-encoded) matches.
    pub(crate) fn matches(&self, path: &str) -> Option<Params> {
        let rest = path.strip_prefix('/')?;
        let mut parts = if rest.is_empty() { Vec::new() } else { rest.split('/').collect::<Vec<_>>() };
        let mut params = Vec::new();
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Literal(literal) => {
                    if parts.get(i)? != literal {
                        return None;
                    }
                }
                Segment::Param(name) => {
                    let part = parts.get(i).filter(|p| !p.is_empty())?;
                    params.push((name.as_str().into(), query::decode(part, false)?));
                }
                Segment::Rest(name) => {
                    let rest = parts.split_off(i.min(parts.len())).join("/");
                    params.push((name.as_str().into(), rest));
                    return Some(params);
                }
            }
        }
        (parts.len() == self.segments.len()).then_some(params)
    }
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    fn params(pattern: &str, path: &str) -> Option<Vec<(String, String)>> {
        let pattern = Pattern::parse(pattern).unwrap();
        pattern.matches(path).map(|p| p.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    #[test]
    fn literal_and_parameter_segments() {
        assert_eq!(params("/", "/"), Some(vec![]));
        assert_eq!(params("/todos", "/todos"), Some(vec![]));
        assert_eq!(params("/todos", "/todos/"), None);
        assert_eq!(params("/todos/{id}/toggle", "/todos/7/toggle"), Some(vec![("id".into(), "7".into())]));
        assert_eq!(params("/todos/{id}", "/todos/"), None);
        assert_eq!(params("/todos/{id}", "/todos/a%20b"), Some(vec![("id".into(), "a b".into())]));
        assert_eq!(params("/todos/{id}", "/todos/7/x"), None);
    }

    #[test]
    fn a_rest_parameter_takes_the_remainder_still_encoded() {
        assert_eq!(params("/static/{*path}", "/static/css/app.css"), Some(vec![("path".into(), "css/app.css".into())]));
        assert_eq!(params("/static/{*path}", "/static/%2e%2e/x"), Some(vec![("path".into(), "%2e%2e/x".into())]));
        assert_eq!(params("/static/{*path}", "/static"), Some(vec![("path".into(), "".into())]));
    }

    #[test]
    fn invalid_patterns_say_why() {
        assert_eq!(Pattern::parse("todos").unwrap_err(), "a route path starts with `/`");
        assert!(Pattern::parse("/a//b").is_err());
        assert!(Pattern::parse("/a/").is_err());
        assert!(Pattern::parse("/{*rest}/x").is_err());
        assert!(Pattern::parse("/x{id}").is_err());
        assert!(Pattern::parse("/{1d}").is_err());
    }
}
