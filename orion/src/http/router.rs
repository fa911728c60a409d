//! The router: an async function from a request to a response.
//!
//! [`Router::handle`] takes any `http::Request<B>` whose body is an [`http_body::Body`] — hyper's
//! `Incoming`, axum's `Body` — reads the body within the app's limit, and dispatches on method
//! and path. `Router` is also a [`tower_service::Service`], so the same value runs on orion's
//! own server ([`serve`](super::serve)) and mounts inside an axum app (`nest_service`).
//!
//! Global transforms are function composition: [`Router::map_response`] returns a new router
//! that applies a function to every response, which is how
//! [`security_headers`](super::security_headers) is written.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_LENGTH};
use http::{Method, StatusCode};
use http_body_util::BodyExt;

use super::body::BoxError;
use super::routes::{Route, Routes};
use super::{Request, Response, builtin, respond};
use crate::Ctx;
use crate::app::Shared;

type Transform = Arc<dyn Fn(&mut Response) + Send + Sync + 'static>;

/// An app's router; build one with [`App::router`](crate::App::router).
#[derive(Clone)]
pub struct Router {
    shared: Arc<Shared>,
    routes: Arc<[Route]>,
    transforms: Arc<[Transform]>,
}

impl Router {
    pub(crate) fn new(shared: Arc<Shared>, routes: Routes) -> Router {
        Router { shared, routes: routes.routes.into(), transforms: Arc::new([]) }
    }

    /// Answers one request.
    pub async fn handle<B>(&self, request: http::Request<B>) -> Response
    where
        B: http_body::Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<BoxError>,
    {
        let started = Instant::now();
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        let (parts, body) = request.into_parts();
        let (mut response, route) = match self.read_body(&parts, body).await {
            Ok(bytes) => self.dispatch(Request::from_parts(parts, bytes)).await,
            Err(response) => (response, None),
        };
        for transform in self.transforms.iter() {
            transform(&mut response);
        }
        tracing::info!(
            target: "orion::request",
            method = %method,
            route = route.as_deref().unwrap_or(path.as_str()),
            status = response.status().as_u16(),
            duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        );
        response
    }

    /// A router that applies `transform` to every response after the ones applied so far.
    pub fn map_response(self, transform: impl Fn(&mut Response) + Send + Sync + 'static) -> Router {
        let mut transforms = self.transforms.to_vec();
        transforms.push(Arc::new(transform));
        Router { transforms: transforms.into(), ..self }
    }

    /// Aborts every open live stream, so browsers reconnect (to this process once it is back,
    /// or to its successor). Called by [`serve`](super::serve) on shutdown.
    pub fn abort_streams(&self) {
        self.shared.hub.abort_streams();
    }

    /// The routes, for listings (`orion routes`) and tests.
    pub fn routes(&self) -> impl Iterator<Item = &Route> {
        self.routes.iter()
    }

    /// The path the app is mounted at (`""` at the root).
    pub fn base(&self) -> &str {
        &self.shared.base
    }

    /// How many streams, region instances and brotli encoders are live.
    pub fn live_stats(&self) -> crate::region::stream::LiveStats {
        self.shared.hub.live_stats()
    }

    /// Live streams and their byte counts, for a dashboard.
    pub fn stream_stats(&self) -> Vec<crate::region::stream::StreamStats> {
        self.shared.hub.stream_stats()
    }

    async fn read_body<B>(&self, parts: &http::request::Parts, body: B) -> Result<Bytes, Response>
    where
        B: http_body::Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<BoxError>,
    {
        let limit = self.shared.body_limit;
        let too_large = || {
            respond::text(StatusCode::PAYLOAD_TOO_LARGE, format!("request body too large: the limit is {limit} bytes"))
        };
        let declared = parts.headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if declared.is_some_and(|length| length > limit as u64) {
            return Err(too_large());
        }
        match http_body_util::Limited::new(body, limit).collect().await {
            Ok(collected) => Ok(collected.to_bytes()),
            Err(error) if error.is::<http_body_util::LengthLimitError>() => Err(too_large()),
            Err(error) => Err(respond::text(StatusCode::BAD_REQUEST, format!("cannot read the request body: {error}"))),
        }
    }

    async fn dispatch(&self, mut request: Request) -> (Response, Option<String>) {
        let path = strip_base(request.uri().path(), &self.shared.base).to_owned();
        if let Some(response) = builtin::handle(&self.shared, &request, &path) {
            return (response, Some(path));
        }
        let method = if request.method() == Method::HEAD { Method::GET } else { request.method().clone() };
        let mut allowed = Vec::new();
        for route in self.routes.iter() {
            let Some(params) = route.pattern.matches(&path) else {
                continue;
            };
            if route.method != method {
                allowed.push(route.method.clone());
                continue;
            }
            request.extensions_mut().insert(RoutePath(path.clone()));
            let ctx = Ctx::new(self.shared.clone(), params).with_tenant(&request);
            let response = (route.handler)(ctx, request).await;
            return (response, Some(route.pattern.source.clone()));
        }
        if allowed.is_empty() {
            return (respond::not_found(), None);
        }
        let allow = allowed.iter().map(Method::as_str).collect::<Vec<_>>().join(", ");
        let mut response = respond::text(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("method {} not allowed here; allowed: {allow}", request.method()),
        );
        if let Ok(value) = allow.parse() {
            response.headers_mut().insert(ALLOW, value);
        }
        (response, None)
    }
}

/// The request's path with the app's base removed, stored on the request for handlers.
#[derive(Debug, Clone)]
pub(crate) struct RoutePath(pub(crate) String);

/// `path` without the app's `base` prefix. A path that is not under the base (`/todos`, or
/// `/application` for base `/app`) is taken as already stripped: axum's `nest_service` strips
/// the prefix before the router sees the request.
fn strip_base<'a>(path: &'a str, base: &str) -> &'a str {
    match path.strip_prefix(base) {
        _ if base.is_empty() => path,
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => path,
    }
}

impl<B> tower_service::Service<http::Request<B>> for Router
where
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send + 'static>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let router = self.clone();
        Box::pin(async move { Ok(router.handle(request).await) })
    }
}

impl fmt::Debug for Router {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Router").field("base", &self.shared.base).field("routes", &self.routes).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::strip_base;

    #[test]
    fn the_base_is_stripped_when_present_and_tolerated_when_not() {
        assert_eq!(strip_base("/todos", ""), "/todos");
        assert_eq!(strip_base("/app", "/app"), "/");
        assert_eq!(strip_base("/app/todos", "/app"), "/todos");
        assert_eq!(strip_base("/todos", "/app"), "/todos");
        assert_eq!(strip_base("/application", "/app"), "/application");
    }
}
