//! Small constructors for common responses.

use http::header::{CACHE_CONTROL, CONTENT_TYPE};
use http::{HeaderValue, StatusCode};

use super::{Body, Response};
use crate::Error;

/// A `text/plain` response.
pub fn text(status: StatusCode, text: impl Into<String>) -> Response {
    let mut response = Response::new(Body::from(text.into()));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}

/// A `text/html` response that is never cached (pages show live data).
pub fn html(html: String) -> Response {
    let mut response = Response::new(Body::from(html));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// 404 with a short explanation.
pub fn not_found() -> Response {
    text(StatusCode::NOT_FOUND, "not found")
}

/// 204 No Content.
pub fn no_content() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

/// The response for an error: its status, and its message only when the error is a
/// request-level one; anything else is logged and answered with an opaque 500.
pub fn error(error: &Error) -> Response {
    if error.is_public() {
        text(error.status(), error.message().to_owned())
    } else {
        tracing::error!(error = ?error, "request failed");
        text(error.status(), "internal error: the server logged the details")
    }
}
