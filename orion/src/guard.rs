//! Keeping a panic in app code from reaching a user as a dropped connection.
//!
//! Handlers, page functions, commands and region code run under [`catch`]: a panic is logged
//! with its message and answered as an opaque 500, like any other internal error.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::{Error, ErrorKind};

/// Runs `future`, turning a panic inside it into an internal [`Error`].
pub(crate) async fn catch<F: Future>(future: F) -> Result<F::Output, Error> {
    CatchUnwind { future: Box::pin(future) }.await
}

/// Runs `f`, turning a panic inside it into an internal [`Error`].
pub(crate) fn catch_sync<T>(f: impl FnOnce() -> T) -> Result<T, Error> {
    catch_unwind(AssertUnwindSafe(f)).map_err(panicked)
}

struct CatchUnwind<F: Future> {
    future: Pin<Box<F>>,
}

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let future = self.future.as_mut();
        match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(payload) => Poll::Ready(Err(panicked(payload))),
        }
    }
}

fn panicked(payload: Box<dyn std::any::Any + Send>) -> Error {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    Error::new(ErrorKind::Internal, format!("panicked: {message}"))
}
