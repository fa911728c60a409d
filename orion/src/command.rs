//! Commands: validate the requester's input, write the store, publish, answer the requester.
//!
//! A command's answer is for the requester only: field errors, a form reset, a toast. Shared
//! truth never travels in it — the command publishes a topic and every region subscribed to it
//! re-renders for everyone, the requester included.
//!
//! `#[command("/todos/{id}/toggle")]` on an `async fn` writes the [`Command`] impl; the
//! hand-written equivalent builds a [`CommandRoute`] whose handler reads the path parameters and
//! the input, answers a failed validation with [`Reply::field_errors`], and otherwise calls the
//! function:
//!
//! ```
//! use orion::command::{Command, CommandRequest, CommandRoute, Reply};
//! use orion::{Ctx, Result};
//!
//! async fn toggle(ctx: Ctx, id: i64) -> Result<Reply> {
//!     ctx.store.write(move |tx| {
//!         tx.execute("UPDATE todos SET done = NOT done WHERE id = ?1", [id])?;
//!         tx.publish("todos");
//!         Ok(())
//!     }).await?;
//!     Ok(Reply::new())
//! }
//!
//! #[allow(non_camel_case_types)]
//! struct toggle {}
//!
//! impl Command for toggle {
//!     fn route() -> CommandRoute {
//!         CommandRoute::new(http::Method::POST, "/todos/{id}/toggle", |request: CommandRequest| async move {
//!             let id: i64 = request.param("id")?;
//!             toggle(request.ctx(), id).await
//!         })
//!     }
//! }
//! ```
//!
//! A command request with an `Idempotency-Key` header runs once per key when the app opted in
//! with [`App::idempotency`](crate::App::idempotency): a repeat replays the first response, the
//! same key with another request is refused with 422 (see
//! [`idempotency`]). Without the opt-in the header is ignored.

use std::fmt;
use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{CACHE_CONTROL, CONTENT_TYPE};
use http::{HeaderValue, Method};

use crate::datastar::{Event, Mode, PatchElements, Signals, encode, signals};
use crate::html::{field_error_markup, html};
use crate::http::routes::Handler;
use crate::http::{Body, Request, Response, respond};
use crate::idempotency;
use crate::input::{FieldErrors, Input};
use crate::{Ctx, Result, guard};

/// A command, as `#[command]` declares it: a route whose handler runs the command.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a command",
    label = "listed as a command here",
    note = "put `#[command(\"/path\")]` on the `async fn` that runs it"
)]
pub trait Command {
    /// The command's route.
    fn route() -> CommandRoute;
}

/// A fragment, as `#[fragment]` declares it: a `GET` route that reads the store, renders once,
/// patches the requester's page and closes (a modal's body, a combobox's options).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a fragment",
    label = "listed as a fragment here",
    note = "put `#[fragment(\"/path\")]` on the `fn` that renders it"
)]
pub trait Fragment {
    /// The fragment's route.
    fn route() -> CommandRoute;
}

/// A command's (or fragment's) method, path and handler.
#[derive(Clone)]
pub struct CommandRoute {
    pub(crate) method: Method,
    pub(crate) path: &'static str,
    pub(crate) handler: Handler,
}

impl CommandRoute {
    /// A command answering `method path` with `handler`.
    pub fn new<F, Fut>(method: Method, path: &'static str, handler: F) -> CommandRoute
    where
        F: Fn(CommandRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Reply>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        let handler: Handler = Arc::new(move |ctx, request| {
            let handler = handler.clone();
            // With an `Idempotency-Key` header (and an app that opted in), the command runs
            // once per key and repeats replay its response; see `idempotency::command`.
            Box::pin(idempotency::command::answer(ctx, request, |ctx, request| async move {
                guard::catch(handler(CommandRequest { ctx, request })).await.and_then(|reply| reply)
            }))
        });
        CommandRoute { method, path, handler }
    }

    /// The command's method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The command's path pattern.
    pub fn path(&self) -> &'static str {
        self.path
    }
}

impl fmt::Debug for CommandRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// What a command's handler gets: the context and the request.
#[derive(Debug)]
pub struct CommandRequest {
    ctx: Ctx,
    request: Request,
}

impl CommandRequest {
    /// The context (store, bus, route parameters).
    pub fn ctx(&self) -> Ctx {
        self.ctx.clone()
    }

    /// The route parameter `name` parsed as `T` (a bad one is a 404).
    pub fn param<T: FromStr>(&self, name: &str) -> Result<T> {
        self.ctx.parse_param(name)
    }

    /// The request's signals; malformed ones are a 400.
    pub fn signals(&self) -> Result<Signals> {
        let query = self.request.uri().query();
        signals::read(self.request.method(), query, self.request.body())
    }

    /// The command's input: `Err` for malformed signals (a 400), `Ok(Err(errors))` for an input
    /// that is wrong field by field (answered with [`Reply::field_errors`]).
    pub fn input<I: Input>(&self) -> Result<std::result::Result<I, FieldErrors>> {
        Ok(I::from_signals(&self.signals()?))
    }

    /// The request itself.
    pub fn request(&self) -> &Request {
        &self.request
    }
}

/// A command's answer to its requester: Datastar events, sent as a short SSE response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    events: Vec<Event>,
}

impl Reply {
    /// An answer with nothing to patch (sent as `204 No Content`).
    pub fn new() -> Reply {
        Reply::default()
    }

    /// Adds an event.
    pub fn event(mut self, event: impl Into<Event>) -> Reply {
        self.events.push(event.into());
        self
    }

    /// Merges `signals` (a JSON object) into the requester's signals.
    pub fn signals(self, signals: serde_json::Value) -> Reply {
        self.event(Event::signals(&signals))
    }

    /// Shows `message` to the requester for a few seconds.
    pub fn toast(self, message: &str) -> Reply {
        let toast = html! { output class="toast" "data-init__delay.4s"="el.remove()" { (message) } };
        self.event(PatchElements::default().selector("#toasts").mode(Mode::Append).elements(toast.into_string()))
    }

    /// A fragment's answer: `html` morphed in by its ids (mode `"outer"`, no selector), or
    /// patched into `selector` with `mode` (`"inner"`, `"append"`, …; an unknown mode morphs).
    pub fn fragment(html: crate::Html, selector: Option<&str>, mode: &str) -> Reply {
        let mut patch =
            PatchElements::default().elements(html.into_string()).mode(Mode::parse(mode).unwrap_or_default());
        patch.selector = selector.map(str::to_owned);
        Reply::new().event(patch)
    }

    /// The answer to an input that failed validation: every field of the form shows its error,
    /// or an empty slot if it has none. Nothing was written.
    pub fn field_errors(form: &str, fields: &[&str], errors: &FieldErrors) -> Reply {
        let mut reply = Reply::new();
        for field in fields {
            reply =
                reply.event(Event::patch_elements(field_error_markup(form, field, errors.get(field).unwrap_or(""))));
        }
        for error in errors.iter().filter(|e| !fields.contains(&e.field.as_str())) {
            reply = reply.event(Event::patch_elements(field_error_markup(form, &error.field, &error.message)));
        }
        reply
    }

    /// Empties the fields of input `I` in form `form` (their signals become `""`) and clears
    /// their error slots: the usual answer to a successful submit.
    pub fn reset<I: Input>(mut self, form: &str) -> Reply {
        let empty: serde_json::Map<String, serde_json::Value> =
            I::FIELDS.iter().map(|f| ((*f).to_owned(), serde_json::Value::String(String::new()))).collect();
        self = self.signals(serde_json::Value::Object(empty));
        self.clear_errors(form, I::FIELDS)
    }

    /// Clears the error slots of `fields` in form `form`.
    pub fn clear_errors(mut self, form: &str, fields: &[&str]) -> Reply {
        for field in fields {
            self = self.event(Event::patch_elements(field_error_markup(form, field, "")));
        }
        self
    }

    /// The events, for tests.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The HTTP response: `204` when empty, else `text/event-stream` with the events.
    pub fn into_response(self) -> Response {
        if self.events.is_empty() {
            return respond::no_content();
        }
        let mut bytes = Vec::new();
        for event in &self.events {
            encode::encode(event, &mut bytes);
        }
        let mut response = Response::new(Body::from(Bytes::from(bytes)));
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}
