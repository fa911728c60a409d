//! The naive baseline: what a straightforward server does.
//!
//! Every viewer subscribes to a tokio broadcast channel; on every change each viewer re-reads
//! the store, re-renders the page's regions and encodes them itself — and, with brotli, keeps
//! a compressor of its own — then queues the frame for its connection. No coalescing, no
//! shared render, no shared compression. It renders the same HTML as orion's todos app (the
//! same model and view functions), so the two are compared on the same bytes.

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Method, Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use orion::Region;
use orion::datastar::{Event, encode};
use orion::http::Body;
use orion::store::Store;
use todos::todos::view::{Remaining, TodoList};
use tokio::net::TcpListener;
use tokio::sync::{broadcast, mpsc};

pub(crate) async fn serve(store: Store, addr: SocketAddr) -> anyhow::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    let (changes, _) = broadcast::channel::<()>(1024);
    let mut shutdown = std::pin::pin!(orion::http::shutdown_signal());
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => accepted?,
            () = &mut shutdown => return Ok(()),
        };
        let store = store.clone();
        let changes = changes.clone();
        let service = service_fn(move |request| handle(request, store.clone(), changes.clone()));
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

async fn handle(
    request: http::Request<Incoming>,
    store: Store,
    changes: broadcast::Sender<()>,
) -> Result<Response<Body>, Infallible> {
    let path = request.uri().path().to_owned();
    let response = if request.method() == Method::GET && path == "/" {
        let brotli =
            request.headers().get("accept-encoding").and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("br"));
        stream(store, changes.subscribe(), brotli)
    } else if request.method() == Method::POST && path.ends_with("/rename") {
        rename(request, &path, &store, &changes).await
    } else {
        status(StatusCode::NOT_FOUND)
    };
    Ok(response)
}

async fn rename(
    request: http::Request<Incoming>,
    path: &str,
    store: &Store,
    changes: &broadcast::Sender<()>,
) -> Response<Body> {
    let id: Option<i64> = path.split('/').nth(2).and_then(|id| id.parse().ok());
    let Ok(body) = request.into_body().collect().await else {
        return status(StatusCode::BAD_REQUEST);
    };
    let draft = serde_json::from_slice::<serde_json::Value>(&body.to_bytes())
        .ok()
        .and_then(|signals| signals.get("draft")?.as_str().map(str::to_owned));
    let (Some(id), Some(draft)) = (id, draft) else {
        return status(StatusCode::BAD_REQUEST);
    };
    let written = store
        .write(move |tx| {
            tx.execute("UPDATE todos SET title = ?2 WHERE id = ?1", (id, draft))?;
            Ok(())
        })
        .await;
    if written.is_err() {
        return status(StatusCode::INTERNAL_SERVER_ERROR);
    }
    let _ = changes.send(());
    status(StatusCode::NO_CONTENT)
}

fn stream(store: Store, mut changes: broadcast::Receiver<()>, brotli: bool) -> Response<Body> {
    let (frames, receiver) = mpsc::channel::<Bytes>(64);
    tokio::spawn(async move {
        let mut encoder = brotli.then(|| brotli::CompressorWriter::new(Vec::new(), 4096, 5, 18));
        loop {
            let frame = compress(&mut encoder, &render(&store));
            if frames.send(frame).await.is_err() {
                return;
            }
            match changes.recv().await {
                Ok(()) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    let mut response = Response::new(Body::stream(Frames(receiver)));
    response.headers_mut().insert("content-type", http::HeaderValue::from_static("text/event-stream"));
    if brotli {
        response.headers_mut().insert("content-encoding", http::HeaderValue::from_static("br"));
    }
    response
}

/// Both regions of the todos page, read and rendered for one viewer.
fn render(store: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    if let Ok(todos) = todos::todos::sql::all(store) {
        let html = format!("<div id=\"{}\">{}</div>", TodoList::ID, <TodoList as Region>::view(&todos).into_string());
        encode::encode(&Event::patch_elements(html), &mut out);
    }
    if let Ok(counts) = todos::todos::sql::counts(store) {
        let html =
            format!("<div id=\"{}\">{}</div>", Remaining::ID, <Remaining as Region>::view(&counts).into_string());
        encode::encode(&Event::patch_elements(html), &mut out);
    }
    out
}

fn compress(encoder: &mut Option<brotli::CompressorWriter<Vec<u8>>>, plain: &[u8]) -> Bytes {
    match encoder {
        Some(encoder) => {
            let _ = encoder.write_all(plain);
            let _ = encoder.flush();
            Bytes::from(std::mem::take(encoder.get_mut()))
        }
        None => Bytes::copy_from_slice(plain),
    }
}

fn status(status: StatusCode) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

/// A body fed by a channel of frames.
struct Frames(mpsc::Receiver<Bytes>);

impl http_body::Body for Frames {
    type Data = Bytes;
    type Error = orion::http::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        self.0.poll_recv(cx).map(|frame| frame.map(|bytes| Ok(http_body::Frame::data(bytes))))
    }
}
