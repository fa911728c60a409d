//! Commands with an `Idempotency-Key` header: run once, repeats replay the first response.
//!
//! [`CommandRoute::new`](crate::command::CommandRoute::new) sends every command request
//! through [`answer`]. When the app opted in with [`App::idempotency`](crate::App::idempotency)
//! and the request carries the header, the command runs inside [`Idempotency::once`]:
//!
//! - the first request runs the command, and its response (status, the headers worth
//!   repeating, body) is stored;
//! - a repeat with the same key and the same request — method, path, query, body, and the
//!   credentials it carries (`Cookie`, `Authorization`) — gets the stored response, marked
//!   `Idempotent-Replayed: true`; so does a concurrent duplicate in this process (it waits for
//!   the first one);
//! - a duplicate while another process runs the key gets 409 (retry later for the replay);
//! - the same key with a different request gets 422 — also when another client sends it, so a
//!   replay never hands one user's response to another.
//!
//! A command that fails with a server error (5xx: the store was closed, a bug) stores
//! nothing, so the client's retry runs it again; every other answer, field errors and 4xx
//! included, is stored. Safe methods (`GET`, `HEAD`, `OPTIONS`: fragments) and apps that did
//! not opt in ignore the header.

use std::future::Future;

use http::header::{AUTHORIZATION, COOKIE};
use http::{HeaderValue, Method};

use crate::command::Reply;
use crate::http::{Request, Response, respond};
use crate::{Ctx, Error, Result};

use super::{Idempotency, response};

/// The request header that carries the key.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The response header that marks a replay (the name Stripe uses).
pub const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";

/// The longest key accepted, in bytes (a UUID is 36).
const MAX_KEY: usize = 255;

/// Answers a command request: through the app's [`Idempotency`] when it has one and the
/// request carries a key, else by running `run` directly.
pub(crate) async fn answer<F, Fut>(ctx: Ctx, request: Request, run: F) -> Response
where
    F: FnOnce(Ctx, Request) -> Fut,
    Fut: Future<Output = Result<Reply>>,
{
    let idempotency = ctx.app.idempotency.clone();
    let header = request.headers().get(IDEMPOTENCY_KEY);
    let (Some(idempotency), Some(header)) = (idempotency, header) else {
        return reply(run(ctx, request).await);
    };
    if is_safe(request.method()) {
        return reply(run(ctx, request).await);
    }
    // Keys are scoped to the request's tenant, so two tenants reusing a key never see each
    // other's answers.
    let key = match read_key(header) {
        Ok(key) => match ctx.tenant_key() {
            Some(tenant) => format!("tenant:{tenant}:command:{key}"),
            None => format!("command:{key}"),
        },
        Err(error) => return respond::error(&error),
    };
    let payload = payload(&request);
    once(&idempotency, &key, &payload, async move {
        match run(ctx, request).await {
            Err(error) if error.status().is_server_error() => Err(error),
            answered => response::encode(reply(answered)).await,
        }
    })
    .await
}

/// Runs `effect` (a response, encoded) once for `key`, and answers with its response.
async fn once(
    idempotency: &Idempotency,
    key: &str,
    payload: &[u8],
    effect: impl Future<Output = Result<Vec<u8>>>,
) -> Response {
    let outcome = match idempotency.once(key, payload, || effect).await {
        Ok(outcome) => outcome,
        Err(error) => return error.into_response(),
    };
    let repeat = outcome.is_repeat();
    match response::decode(outcome.result()) {
        Ok(mut response) => {
            if repeat {
                response.headers_mut().insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
            }
            response
        }
        Err(error) => respond::error(&error),
    }
}

/// A command's result as its response.
fn reply(result: Result<Reply>) -> Response {
    match result {
        Ok(reply) => reply.into_response(),
        Err(error) => respond::error(&error),
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The key: 1 to 255 visible ASCII characters.
fn read_key(header: &HeaderValue) -> Result<&str> {
    let key = header
        .to_str()
        .ok()
        .filter(|key| (1..=MAX_KEY).contains(&key.len()) && key.bytes().all(|byte| byte.is_ascii_graphic()));
    key.ok_or_else(|| {
        Error::bad_request(format!(
            "the `Idempotency-Key` header must be 1 to {MAX_KEY} visible ASCII characters: send a fresh UUID per request"
        ))
    })
}

/// What the key stands for: the method, the path with its query, the credentials and the
/// body. The same key sent to another command, with other signals, or by another user is a
/// different request (422).
fn payload(request: &Request) -> Vec<u8> {
    let target = request.uri().path_and_query().map_or("", |target| target.as_str());
    let mut payload = Vec::with_capacity(target.len() + request.body().len() + 256);
    for part in [request.method().as_str().as_bytes(), target.as_bytes()] {
        payload.extend_from_slice(part);
        payload.push(0);
    }
    for name in [COOKIE, AUTHORIZATION] {
        for value in request.headers().get_all(name) {
            payload.extend_from_slice(value.as_bytes());
            payload.push(0);
        }
        payload.push(0);
    }
    payload.extend_from_slice(request.body());
    payload
}
