//! [`OnceError`]: why an idempotent call did not produce a result, and its HTTP answer.

use http::header::RETRY_AFTER;
use http::{HeaderValue, StatusCode};

use crate::Error;
use crate::http::{Response, respond};

/// Why [`once`](super::Idempotency::once) returned no result.
///
/// The HTTP answer of each case is decided here, in [`status`](OnceError::status) and
/// [`into_response`](OnceError::into_response): 409 for a key still in flight, 422 for a key
/// reused with another payload, and the inner error's own answer otherwise.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OnceError {
    /// Another process holds the key and has not finished (HTTP 409). An at-least-once
    /// sender retries, and then gets the stored result.
    #[error("the request with idempotency key `{key}` is still in progress: retry it once that one has finished")]
    InFlight {
        /// The key, as the caller gave it.
        key: String,
    },
    /// The key was already used with a different payload (HTTP 422).
    #[error(
        "idempotency key `{key}` was already used for a different request: send a new key for a new request, \
         and the same key only to retry the same request"
    )]
    PayloadMismatch {
        /// The key, as the caller gave it.
        key: String,
    },
    /// The effect failed, or the store did. Nothing was stored: the key is free again.
    #[error(transparent)]
    Failed(#[from] Error),
}

impl OnceError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            OnceError::InFlight { .. } => StatusCode::CONFLICT,
            OnceError::PayloadMismatch { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            OnceError::Failed(error) => error.status(),
        }
    }

    /// The HTTP response: a short text for 409 (with `Retry-After: 1`) and 422; for a failure,
    /// what [`respond::error`] makes of it (an opaque 500 unless it is a request-level error).
    pub fn into_response(self) -> Response {
        match self {
            OnceError::Failed(error) => respond::error(&error),
            refused => {
                let in_flight = matches!(refused, OnceError::InFlight { .. });
                let mut response = respond::text(refused.status(), refused.to_string());
                if in_flight {
                    response.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static("1"));
                }
                response
            }
        }
    }
}
