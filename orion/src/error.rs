//! The one error type of the runtime, and its kinds.
//!
//! Every fallible orion call returns [`Result<T>`](Result). An [`Error`] carries a
//! [`ErrorKind`] (what went wrong, for code to match on) and a message (for people).
//! How an error becomes an HTTP response is decided in one place,
//! [`Error::status`]: request-level failures (not found, bad request, too large)
//! say so to the client, everything else is an opaque 500 whose detail stays in the log.

use std::fmt;

use http::StatusCode;

/// A `Result` whose error is orion's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong. New kinds may be added, so matches need a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// SQLite refused a statement, or a row did not have the expected shape; or, in dev, the
    /// tenancy oracle refused a statement that reaches a tenant-scoped table unconstrained.
    Sql,
    /// A migration failed to apply, or an applied one was changed.
    Migration,
    /// The store was closed, or its writer stopped.
    Closed,
    /// Something the request named does not exist (HTTP 404).
    NotFound,
    /// The request was malformed (HTTP 400).
    BadRequest,
    /// The request body was over the limit (HTTP 413).
    PayloadTooLarge,
    /// The operating system refused an I/O operation.
    Io,
    /// A bug or an unexpected state; answered as an opaque HTTP 500.
    Internal,
}

/// The error of every fallible orion call.
#[derive(thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// An error of `kind` with a message for people.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, message: message.into(), source: None }
    }

    /// Keeps `source` as the cause of this error (shown by `{:?}` and `source()`).
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.source = Some(Box::new(source));
        self
    }

    /// HTTP 404: the thing the request named does not exist.
    pub fn not_found(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::NotFound, message)
    }

    /// HTTP 400: the request is malformed; the message is shown to the client.
    pub fn bad_request(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::BadRequest, message)
    }

    /// An unexpected failure; the client sees an opaque 500, the log sees `message`.
    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Internal, message)
    }

    /// What went wrong, for code to match on.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message for people.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self.kind {
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Closed => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Sql | ErrorKind::Migration | ErrorKind::Io | ErrorKind::Internal => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// Whether the message may be shown to the client: only request-level failures.
    pub fn is_public(&self) -> bool {
        matches!(self.kind, ErrorKind::NotFound | ErrorKind::BadRequest | ErrorKind::PayloadTooLarge)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)?;
        if let Some(source) = &self.source {
            write!(f, " (caused by: {source:?})")?;
        }
        Ok(())
    }
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Error {
        Error::new(ErrorKind::Sql, error.to_string()).with_source(error)
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Error {
        Error::new(ErrorKind::Io, error.to_string()).with_source(error)
    }
}
