//! The `/test` endpoint the Datastar SDK test suite drives.
//!
//! Both `GET /test` (signals in the `datastar` query parameter) and `POST /test` (signals in the
//! JSON body) read the signals the Datastar way ([`signals::read`]), turn their `events` array
//! into orion events ([`cases::events`]) and answer `200 text/event-stream` with those events,
//! encoded by orion's one encoder ([`encode::encode`]). What is under test is exactly that
//! encoder: this handler adds no byte of its own to the body.

use http::HeaderValue;
use http::header::{CACHE_CONTROL, CONTENT_TYPE};
use orion::Routes;
use orion::datastar::{encode, signals};
use orion::http::{Body, Request, Response, respond};

use crate::cases;

/// Where the test suite sends its requests.
pub(crate) const PATH: &str = "/test";

/// The routes of the endpoint: `GET` and `POST` on [`PATH`].
pub(crate) fn routes() -> Routes {
    Routes::new()
        .get(PATH, |_ctx, request| async move { answer(&request) })
        .post(PATH, |_ctx, request| async move { answer(&request) })
}

/// The events the request's signals ask for, or a 400 naming every malformed entry field.
fn answer(request: &Request) -> Response {
    let signals = match signals::read(request.method(), request.uri().query(), request.body()) {
        Ok(signals) => signals,
        Err(error) => return respond::error(&error),
    };
    let events = match cases::events(&signals) {
        Ok(events) => events,
        Err(malformed) => {
            let message = format!("malformed conformance case:\n- {}", malformed.problems.join("\n- "));
            return respond::error(&orion::Error::bad_request(message));
        }
    };
    let mut body = Vec::new();
    for event in &events {
        encode::encode(event, &mut body);
    }
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
