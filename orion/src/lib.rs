//! orion: real-time, multiplayer, server-rendered web apps on Datastar and SQLite.
//!
//! A command writes SQLite and publishes a bare topic; every live region subscribed to it
//! re-reads SQLite and streams its fresh HTML over server-sent events; the
//! [Datastar](https://data-star.dev) client in the browser morphs it in. With one viewer that
//! is a normal app; with fifty it is multiplayer; the code does not change.
//!
//! # Example
//!
//! A counter everyone sees change, as one page with one live region and one command:
//!
//! ```no_run
//! use maud::html;
//! use orion::store::Migration;
//! use orion::{App, Bus, Ctx, Document, Html, Page, Reply, Result, Routes, Store, command, region, resource};
//!
//! const MIGRATIONS: &[Migration] = &[Migration {
//!     name: "20261121000000_counter.sql",
//!     sql: "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL) STRICT;
//!           INSERT INTO counter VALUES (1, 0);",
//! }];
//!
//! pub struct Count;
//!
//! #[region(topics = ["counter"])]
//! impl Count {
//!     fn model(ctx: &Ctx) -> Result<i64> {
//!         Ok(ctx.store.query_one("SELECT n FROM counter", ())?.map_or(0, |(n,)| n))
//!     }
//!
//!     fn view(n: &i64) -> Html {
//!         html! { p { "clicked " (n) " times" } }
//!     }
//! }
//!
//! #[command("/click")]
//! async fn click(ctx: Ctx) -> Result<Reply> {
//!     ctx.store
//!         .write(|tx| {
//!             tx.execute("UPDATE counter SET n = n + 1", ())?;
//!             tx.publish("counter");
//!             Ok(())
//!         })
//!         .await?;
//!     Ok(Reply::new())
//! }
//!
//! pub struct Home;
//!
//! #[resource("/", regions = [Count], commands = [click])]
//! impl Home {
//!     fn page(page: &Page) -> Result<Document> {
//!         Ok(Document::new("counter").body(html! {
//!             (page.region(Count))
//!             button data-on:click=(click::action()) { "click" }
//!         }))
//!     }
//! }
//!
//! #[tokio::main]
//! async fn main() -> anyhow::Result<()> {
//!     orion::log::init();
//!     let store = Store::open("counter.db".as_ref(), &Bus::new())?;
//!     store.migrate(MIGRATIONS)?;
//!     let router = App::new(&store).routes(Routes::new().resource(Home)).router();
//!     orion::serve(router, "127.0.0.1:3000".parse()?).await?;
//!     store.close()?;
//!     Ok(())
//! }
//! ```
//!
//! `examples/todos` is the complete reference app, and the book walks through it.
//!
//! # Layout
//!
//! - [`store`] and [`bus`] — the two seams everything rides: synchronous SQLite (one writer
//!   thread, many readers, publishes delivered after the commit) and publish/subscribe.
//! - [`region`](mod@region) — live regions: a model read once per change for all viewers, a pure view,
//!   one SSE stream per page, coalescing and cohort-shared brotli.
//! - [`command`](mod@command) and [`input`] — writes: typed, validated input; answers for the requester only.
//! - [`resource`](mod@resource) — a page with its regions, commands and fragments.
//! - [`http`] — the router (a plain async function and a `tower::Service`), the bundled hyper
//!   server, static files, security headers.
//! - [`datastar`] — the protocol: events as values, their one encoder, signals, the client.
//! - [`html`] — markup helpers (templates are maud's `html!`).
//! - [`jobs`] — background jobs enqueued inside a command's transaction (an outbox), claimed
//!   atomically, retried with backoff, leased, dead-lettered, with live progress.
//! - [`idempotency`] — run an effect at most once per key (commands' `Idempotency-Key`).
//! - [`webhook`] — inbound webhooks: verify the signature, dedupe, hand off, acknowledge; and
//!   outbound ones ([`webhook::outbound`]): signed deliveries to subscribers through the jobs,
//!   retried, dead-lettered, refused for private addresses.
//! - [`tenant`] — tenancy: db-per-tenant files or one shared database, a tenant-bound store
//!   that binds `:tenant` to every statement, and the request's tenant in [`Ctx::tenant`].
//!
//! # Macros
//!
//! [`region`](macro@region), [`command`](macro@command), [`fragment`](macro@fragment),
//! [`resource`](macro@resource), [`Input`](derive@Input) and [`migrations!`] each expand into
//! plain calls of this crate; the trait each one implements documents the hand-written form.
//!
//! # Feature flags
//!
//! | flag | what it adds |
//! |---|---|
//! | `testing` | `orion::testing`: a test server, an HTTP client and a live-stream reader that decodes brotli |
//! | `outbound` | `webhook::outbound::Outbound`: the HTTP(S) client that sends outbound webhooks (hyper-util's client, rustls) |
//!
//! # Dependencies, and why
//!
//! tokio, hyper, hyper-util, http, http-body(-util) and tower-service: the HTTP seam. rusqlite
//! (bundled SQLite): the store. serde and serde_json: signals and JSON. brotli: compressed
//! streams. maud: compile-time, escaped-by-default templates. thiserror: the error type.
//! tracing and tracing-subscriber: logs. getrandom: CSP nonces. sha2: migration checksums and
//! the client bundle's hash. base64: nonces. hmac: webhook signatures (HMAC-SHA256 with a
//! constant-time check; no hand-rolled crypto). brotli-decompressor (`testing` only): reading
//! compressed streams in tests. hyper-rustls and rustls (`outbound` only): TLS for the
//! webhook sender on hyper-util's client, in pure Rust with the `ring` provider and Mozilla's
//! roots compiled in (`webpki-roots`), so no system certificate store, OpenSSL or cmake is
//! needed; TLS is not something to write ourselves, and hyper-rustls is the connector
//! hyper-util's client is made for.

mod app;
pub mod bus;
pub mod command;
mod ctx;
pub mod datastar;
mod error;
mod guard;
pub mod html;
pub mod http;
pub mod idempotency;
pub mod input;
pub mod jobs;
pub mod log;
pub mod region;
pub mod resource;
pub mod store;
pub mod tenant;
#[cfg(feature = "testing")]
pub mod testing;
pub mod webhook;

pub use app::{App, DEFAULT_BODY_LIMIT};
pub use bus::Bus;
pub use command::{Command, Reply};
pub use ctx::Ctx;
pub use error::{Error, ErrorKind, Result};
pub use html::Html;
pub use http::{Router, Routes, Server, serve};
pub use input::Input;
pub use region::Region;
pub use resource::{Document, Page, Resource};
pub use store::Store;

pub use orion_macros::{Input, command, fragment, migrations, queries, region, resource};

/// What macro-generated code calls. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use http::Method;

    pub use crate::store::oracle::{Proven, proven};

    /// Fails to compile (with `Input`'s own message) unless `T` is a command input.
    pub const fn assert_input<T: crate::Input>() {}

    /// Fills the `{param}` placeholders of `template` from the route's parameters.
    pub fn fill(template: &str, ctx: &crate::Ctx) -> String {
        let mut out = template.to_owned();
        for (name, value) in ctx.params() {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// Encodes a URL path segment.
    pub fn encode(segment: &str) -> String {
        crate::http::query::encode(segment)
    }

    /// A field of the user's struct filled from a result column of type `C` by a named query:
    /// the field must be a `C` (`orion::queries!` types every column from the schema).
    #[diagnostic::on_unimplemented(
        message = "a field of type `{Self}` cannot hold this query's column of type `{C}`",
        label = "a column of type `{C}` is read into a field of type `{Self}`",
        note = "`orion::queries!` fills your struct by field name, with each column's type from the schema: \
                make the field a `{C}`, or change the query (a column that may be NULL is an `Option`)"
    )]
    pub trait Column<C>: Sized {
        /// The field's value.
        fn column(value: C) -> Self;
    }

    impl<C> Column<C> for C {
        fn column(value: C) -> C {
            value
        }
    }

    /// The error of a `one` named query that found no row: not found (404), naming the query.
    pub fn no_row(query: &str) -> crate::Error {
        crate::Error::not_found(format!(
            "query `{query}` returned no row: read it with `optional` if there may be none"
        ))
    }
}
