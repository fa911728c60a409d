//! A reverse proxy in front of the app, inside the test process, that misbehaves on request the
//! way a real one does while the app behind it restarts: it cuts the open live streams and
//! answers the next stream request with `502 Bad Gateway`.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::BodyExt;
use http_body_util::combinators::UnsyncBoxBody;
use hyper::body::{Body, Frame, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::WAIT;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ProxyBody = UnsyncBoxBody<Bytes, BoxError>;

/// What the proxy has done with live-stream requests so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Streams {
    /// Streams forwarded to the app and answered `200`.
    pub(crate) opened: u32,
    /// Stream requests answered `502` by the proxy itself.
    pub(crate) bad_gateways: u32,
}

/// A reverse proxy on a free port of `127.0.0.1`, forwarding to the app's port.
#[derive(Debug)]
pub(crate) struct Proxy {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

#[derive(Debug)]
struct State {
    upstream: u16,
    client: Client<HttpConnector, Incoming>,
    /// Bumped to cut every stream open at that moment.
    cut: watch::Sender<u64>,
    /// Answer the next stream request with 502.
    fail_next_stream: AtomicBool,
    streams: watch::Sender<Streams>,
}

impl Proxy {
    /// Starts the proxy in front of the app listening on `upstream` (a port of 127.0.0.1).
    pub(crate) async fn start(upstream: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
        let addr = listener.local_addr().expect("bound address");
        let state = Arc::new(State {
            upstream,
            client: Client::builder(TokioExecutor::new()).build_http(),
            cut: watch::Sender::new(0),
            fail_next_stream: AtomicBool::new(false),
            streams: watch::Sender::new(Streams::default()),
        });
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = shared.clone();
                let service = service_fn(move |request| {
                    let state = state.clone();
                    async move { Ok::<_, Infallible>(forward(&state, request).await) }
                });
                tokio::spawn(async move {
                    // A connection cut on purpose ends with an error: nothing to report.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Proxy { addr, state, task }
    }

    /// `http://127.0.0.1:<proxy port><path>`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Answers the next live-stream request with `502 Bad Gateway`, once.
    pub(crate) fn fail_next_stream(&self) {
        self.state.fail_next_stream.store(true, Ordering::SeqCst);
    }

    /// Cuts every live stream open now, mid-body, as a proxy does when its upstream goes away.
    pub(crate) fn cut_streams(&self) {
        self.state.cut.send_modify(|generation| *generation += 1);
    }

    /// The counts so far.
    pub(crate) fn streams(&self) -> Streams {
        *self.state.streams.borrow()
    }

    /// Waits until `condition` holds for the counts; fails the test after [`WAIT`].
    pub(crate) async fn wait_for(&self, what: &str, condition: impl Fn(&Streams) -> bool) {
        let mut streams = self.state.streams.subscribe();
        let reached = tokio::time::timeout(WAIT, async { streams.wait_for(|s| condition(s)).await.is_ok() }).await;
        assert_eq!(reached, Ok(true), "waited {WAIT:?} for the proxy to see {what}; it saw {:?}", self.streams());
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A live-stream request: what the page's `@get` sends.
fn is_stream(request: &Request<Incoming>) -> bool {
    request.method() == hyper::Method::GET
        && request.headers().get("datastar-request").is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"true"))
}

async fn forward(state: &State, mut request: Request<Incoming>) -> Response<ProxyBody> {
    let stream = is_stream(&request);
    if stream && state.fail_next_stream.swap(false, Ordering::SeqCst) {
        state.streams.send_modify(|s| s.bad_gateways += 1);
        return text(StatusCode::BAD_GATEWAY, "502 Bad Gateway: the app is restarting");
    }
    // Like a reverse proxy keeping the `Host` header: the app sees the origin the browser sees.
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned();
    *request.uri_mut() = format!("http://127.0.0.1:{}{path}", state.upstream).parse().expect("upstream URI");
    let response = match state.client.request(request).await {
        Ok(response) => response,
        Err(error) => {
            return text(StatusCode::BAD_GATEWAY, &format!("502 Bad Gateway: {error}"));
        }
    };
    if !stream {
        return response.map(|body| body.map_err(Into::into).boxed_unsync());
    }
    if response.status() == StatusCode::OK {
        state.streams.send_modify(|s| s.opened += 1);
    }
    let mut cut = state.cut.subscribe();
    cut.mark_unchanged();
    let cut: Pin<Box<dyn Future<Output = ()> + Send>> = Box::pin(async move {
        let _ = cut.changed().await;
    });
    response.map(|body| Cuttable { body, cut }.boxed_unsync())
}

fn text(status: StatusCode, body: &str) -> Response<ProxyBody> {
    let body = http_body_util::Full::new(Bytes::from(body.to_owned())).map_err(|never| match never {}).boxed_unsync();
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert("content-type", hyper::header::HeaderValue::from_static("text/plain"));
    response
}

/// A response body that ends with an error (the connection is dropped mid-body) when cut.
struct Cuttable {
    body: Incoming,
    cut: Pin<Box<dyn Future<Output = ()> + Send>>,
}

impl Body for Cuttable {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        if self.cut.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err("the proxy cut the stream".into())));
        }
        Pin::new(&mut self.body).poll_frame(cx).map_err(Into::into)
    }
}
