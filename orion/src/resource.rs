//! Resources: a page, its live regions and its commands, declared as one hypermedia resource.
//!
//! `GET` on a resource's path answers two ways. A plain browser request gets the complete
//! server-rendered page — it works before (and without) JavaScript. A Datastar request (header
//! `Datastar-Request: true`, sent by the `@get` the page opens on load) gets the page's **one**
//! live stream, which carries every region of the page. Both go through the same route, so
//! the stream is authorised exactly like its page. A stream request with `Last-Event-ID` (a
//! reconnect) resumes: only the regions that changed since are rendered (see
//! [`stream`]).
//!
//! `#[resource("/", regions = [...], commands = [...])]` on an `impl` block with a `page`
//! function writes the [`Resource`] impl; writing it by hand is equivalent:
//!
//! ```
//! use maud::html;
//! use orion::{Document, Page, Resource, Result};
//! use orion::command::CommandRoute;
//! use orion::region::RegionDef;
//!
//! pub struct Home;
//!
//! impl Resource for Home {
//!     const PATH: &'static str = "/";
//!     fn regions() -> Vec<RegionDef> { Vec::new() }
//!     fn commands() -> Vec<CommandRoute> { Vec::new() }
//!     fn page(page: &Page) -> Result<Document> {
//!         Ok(Document::new("Home").body(html! { h1 { "hello" } }))
//!     }
//! }
//! ```

use std::fmt;
use std::sync::Arc;

use base64::Engine;
use http::HeaderValue;
use http::Method;
use http::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, VARY};

use crate::command::CommandRoute;
use crate::html::{DOCTYPE, Html, PreEscaped, html, js_string};
use crate::http::routes::{Handler, RouteKind, Routes};
use crate::http::{PagePolicy, Request, Response, RoutePath, respond};
use crate::region::hub::Live;
use crate::region::{Region, RegionDef, stream};
use crate::store::Seq;
use crate::{Ctx, Result, guard};

/// A page with its live regions and its commands.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a resource",
    label = "used as a resource here",
    note = "put `#[resource(\"/path\")]` on an `impl {Self}` block with `fn page`"
)]
pub trait Resource: Send + Sync + 'static {
    /// The page's path pattern (`/`, `/lists/{id}`).
    const PATH: &'static str;

    /// The regions the page shows; its stream carries exactly these.
    fn regions() -> Vec<RegionDef>;

    /// The commands the page's forms and buttons call.
    fn commands() -> Vec<CommandRoute>;

    /// Renders the complete page.
    fn page(page: &Page) -> Result<Document>;
}

impl Routes {
    /// Adds resource `R`: its page (and stream) and its commands.
    pub fn resource<R: Resource>(mut self, _resource: R) -> Routes {
        let handler: Handler = Arc::new(|ctx, request| Box::pin(serve::<R>(ctx, request)));
        self = self.add(Method::GET, R::PATH, RouteKind::Page, handler);
        for command in R::commands() {
            self = self.add(command.method, command.path, RouteKind::Command, command.handler);
        }
        self
    }
}

async fn serve<R: Resource>(ctx: Ctx, request: Request) -> Response {
    let regions = R::regions();
    let opened =
        guard::catch_sync(|| regions.iter().map(|def| Ok((def.id, (def.open)(&ctx)?))).collect::<Result<Vec<_>>>());
    let opened = match opened.and_then(|opened| opened) {
        Ok(opened) => opened,
        Err(error) => return respond::error(&error),
    };
    if is_datastar(&request) {
        let ids: Vec<&str> = opened.iter().map(|(id, _)| *id).collect();
        return open_stream(&ctx, &request, &ids, opened.iter().map(|(_, live)| live.clone()).collect());
    }
    let page = Page::new(ctx, &request, opened);
    match guard::catch_sync(|| R::page(&page)).and_then(|document| document) {
        Ok(document) => page.render(document),
        Err(error) => respond::error(&error),
    }
}

/// The commit a reconnecting browser's page is current through: its `Last-Event-ID`, which is
/// the last region event's `id` (anything else is ignored, and the stream starts afresh).
fn last_event_id(request: &Request) -> Option<Seq> {
    request.headers().get("last-event-id")?.to_str().ok()?.parse().ok()
}

fn is_datastar(request: &Request) -> bool {
    request.headers().get("datastar-request").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"true"))
}

fn open_stream(ctx: &Ctx, request: &Request, ids: &[&str], regions: Vec<Arc<dyn Live>>) -> Response {
    let app = &ctx.app;
    let accepts_brotli = app.hub.options.brotli
        && request
            .headers()
            .get_all(ACCEPT_ENCODING)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .any(|value| crate::http::accepts(value, "br"));
    // Viewers of the same regions with the same parameters share compression.
    let channel =
        accepts_brotli.then(|| app.hub.channel(app, format!("{}|{}", ids.join(","), ctx.params_key()), &regions));
    let route = request.uri().path().to_owned();
    let (body, brotli) = stream::open(app, regions, channel, last_event_id(request), route);
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(VARY, HeaderValue::from_static("accept-encoding, datastar-request"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    if brotli {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
    }
    response
}

/// What a page function gets: the context, the page's regions, and the request.
pub struct Page {
    ctx: Ctx,
    path: String,
    query: Option<String>,
    nonce: String,
    regions: Vec<(&'static str, Arc<dyn Live>)>,
    headers: http::HeaderMap,
}

impl Page {
    fn new(ctx: Ctx, request: &Request, regions: Vec<(&'static str, Arc<dyn Live>)>) -> Page {
        let path =
            request.extensions().get::<RoutePath>().map_or_else(|| request.uri().path().to_owned(), |p| p.0.clone());
        Page {
            ctx,
            path,
            query: request.uri().query().map(str::to_owned),
            nonce: nonce(),
            regions,
            headers: request.headers().clone(),
        }
    }

    /// The context (store, bus, route parameters).
    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }

    /// The request's headers.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// The current render of region `R`, wrapped in its `<div id>`, as the first paint shows it.
    pub fn region<R: Region>(&self, _region: R) -> Html {
        if let Some((_, live)) = self.regions.iter().find(|(id, _)| *id == R::ID) {
            return PreEscaped(live.current().html.clone());
        }
        tracing::error!(
            region = R::ID,
            "region `{}` is not in the resource's `regions = [...]`: add it, or it will not be live",
            R::ID
        );
        match crate::region::hub::open::<R>(&self.ctx) {
            Ok(live) => PreEscaped(live.current().html.clone()),
            Err(error) => {
                tracing::error!(region = R::ID, ?error, "region model failed");
                PreEscaped(format!("<div id=\"{}\"></div>", R::ID))
            }
        }
    }

    /// The URL of this page relative to the app's base (what its stream connects to).
    fn stream_url(&self) -> String {
        let mut url = self.path.trim_start_matches('/').to_owned();
        if url.is_empty() {
            url.push_str("./");
        }
        if let Some(query) = &self.query {
            url.push('?');
            url.push_str(query);
        }
        url
    }

    fn render(&self, document: Document) -> Response {
        let app = &self.ctx.app;
        let client = &app.client;
        let stream = (!self.regions.is_empty()).then(|| {
            format!("@get('{}', {{retry: 'always', retryMaxCount: Infinity}})", js_string(&self.stream_url()))
        });
        let markup = html! {
            (DOCTYPE)
            html lang=(document.lang) data-nonce=(self.nonce) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    base href={ (app.base) "/" };
                    title { (document.title) }
                    @for href in &document.stylesheets {
                        link rel="stylesheet" href=(href);
                    }
                    script type="module" src=(client.script_src()) nonce=(self.nonce)
                        integrity=[client.integrity()] crossorigin=[client.integrity().map(|_| "anonymous")] {}
                    @if let Some(head) = &document.head { (head) }
                }
                body data-init=[stream] {
                    (document.body)
                    div id="toasts" class="toasts" aria-live="polite" {}
                }
            }
        };
        let mut response = respond::html(markup.into_string());
        response.extensions_mut().insert(PagePolicy {
            nonce: self.nonce.clone(),
            script_origin: (!client.is_local()).then_some(crate::datastar::client::CDN_ORIGIN),
            report_uri: format!("{}/_orion/csp", app.base),
        });
        response
    }
}

impl std::ops::Deref for Page {
    type Target = Ctx;

    fn deref(&self) -> &Ctx {
        &self.ctx
    }
}

impl fmt::Debug for Page {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page").field("path", &self.path).finish_non_exhaustive()
    }
}

/// A complete HTML page: orion writes the document around the body — the Datastar client, the
/// live stream, the CSP nonce, the base URL and a container for toasts.
#[derive(Debug, Clone)]
pub struct Document {
    title: String,
    lang: String,
    stylesheets: Vec<String>,
    head: Option<Html>,
    body: Html,
}

impl Document {
    /// A document titled `title` with an empty body.
    pub fn new(title: impl Into<String>) -> Document {
        Document {
            title: title.into(),
            lang: "en".into(),
            stylesheets: Vec::new(),
            head: None,
            body: PreEscaped(String::new()),
        }
    }

    /// The document's language (`en` by default).
    pub fn lang(mut self, lang: impl Into<String>) -> Document {
        self.lang = lang.into();
        self
    }

    /// Links a stylesheet (a URL relative to the app's base, like `static/app.css`).
    pub fn stylesheet(mut self, href: impl Into<String>) -> Document {
        self.stylesheets.push(href.into());
        self
    }

    /// Extra markup for `<head>`.
    pub fn head(mut self, head: Html) -> Document {
        self.head = Some(head);
        self
    }

    /// The page's content.
    pub fn body(mut self, body: Html) -> Document {
        self.body = body;
        self
    }
}

/// A fresh CSP nonce: 128 random bits, base64.
fn nonce() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No randomness from the OS: fall back to a time-derived value rather than failing the
        // page (the nonce only has to be unpredictable to an attacker injecting markup).
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        bytes = nanos.to_le_bytes();
    }
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
}
