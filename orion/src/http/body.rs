//! The response body: whole bytes, or a live stream of frames.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};

/// A boxed error, as `http_body` and hyper expect.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The body of every orion response.
///
/// Implements [`http_body::Body`] with `Data = Bytes`, so it runs on hyper and inside axum.
pub struct Body {
    kind: Kind,
}

enum Kind {
    Full(Option<Bytes>),
    Stream(Pin<Box<dyn http_body::Body<Data = Bytes, Error = BoxError> + Send + 'static>>),
}

impl Body {
    /// An empty body.
    pub fn empty() -> Body {
        Body { kind: Kind::Full(None) }
    }

    /// A body of `bytes`, sent at once.
    pub fn full(bytes: impl Into<Bytes>) -> Body {
        let bytes = bytes.into();
        Body { kind: Kind::Full((!bytes.is_empty()).then_some(bytes)) }
    }

    /// A body produced frame by frame by `stream` (an SSE stream, say).
    ///
    /// A stream that ends with an error aborts the connection, which browsers treat as a
    /// network error (Datastar retries); a clean end finishes the response.
    pub fn stream(stream: impl http_body::Body<Data = Bytes, Error = BoxError> + Send + 'static) -> Body {
        Body { kind: Kind::Stream(Box::pin(stream)) }
    }
}

impl Default for Body {
    fn default() -> Body {
        Body::empty()
    }
}

impl From<String> for Body {
    fn from(text: String) -> Body {
        Body::full(text)
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Body {
        Body::full(Bytes::from_static(text.as_bytes()))
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Body {
        Body::full(bytes)
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Body {
        Body::full(bytes)
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match &mut self.get_mut().kind {
            Kind::Full(bytes) => Poll::Ready(bytes.take().map(|bytes| Ok(Frame::data(bytes)))),
            Kind::Stream(stream) => stream.as_mut().poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Full(bytes) => bytes.is_none(),
            Kind::Stream(stream) => stream.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Kind::Stream(stream) => stream.size_hint(),
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Full(bytes) => f.debug_tuple("Body::Full").field(&bytes.as_ref().map(Bytes::len)).finish(),
            Kind::Stream(_) => f.write_str("Body::Stream"),
        }
    }
}
