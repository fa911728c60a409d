//! Testing an orion app over real HTTP (feature `testing`): a server on `127.0.0.1:0`, a
//! client, and a reader of live streams that decodes brotli frame by frame.
//!
//! ```no_run
//! # async fn example(router: orion::Router) {
//! use orion::testing::{Client, TestServer};
//!
//! let server = TestServer::start(router).await;
//! let client = Client::new();
//! let mut stream = client.stream(&server.url("/"), true).await;
//! client.post_json(&server.url("/todos"), &serde_json::json!({"title": "milk"})).await;
//! stream.wait_for(|event| event.elements().contains("milk")).await;
//! server.stop().await;
//! # }
//! ```

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use brotli_decompressor::{BrotliDecompressStream, BrotliResult, BrotliState, StandardAlloc};
use bytes::Bytes;
use http::header::{ACCEPT_ENCODING, CONTENT_TYPE};
use http::{HeaderMap, Method, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::http::{Router, Server};

/// How long [`EventStream::wait_for`] waits before failing the test.
pub const WAIT: Duration = Duration::from_secs(10);

/// An app served on a free port of `127.0.0.1` for the length of a test.
#[derive(Debug)]
pub struct TestServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    /// Serves `router` on `127.0.0.1:0`.
    ///
    /// # Panics
    /// When no port can be bound.
    pub async fn start(router: Router) -> TestServer {
        let server = Server::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("bind 127.0.0.1:0");
        let addr = server.local_addr().expect("bound address");
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(server.grace(Duration::from_secs(2)).run(router, async move {
            let _ = stop.await;
        }));
        TestServer { addr, shutdown: Some(shutdown), task: Some(task) }
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:port` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Shuts the server down gracefully (live streams are aborted) and waits for it.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// A plain HTTP/1.1 client.
#[derive(Debug, Clone)]
pub struct Client {
    inner: HyperClient<HttpConnector, Full<Bytes>>,
}

/// A whole response.
#[derive(Debug, Clone)]
pub struct TestResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body, as received (not decompressed).
    pub body: Bytes,
}

impl TestResponse {
    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The value of header `name`, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The events of an SSE body.
    pub fn events(&self) -> Vec<SseEvent> {
        let mut parser = SseParser::default();
        parser.push(&self.text());
        parser.events
    }
}

impl Default for Client {
    fn default() -> Client {
        Client::new()
    }
}

impl Client {
    /// A new client (connections are pooled).
    pub fn new() -> Client {
        Client { inner: HyperClient::builder(TokioExecutor::new()).build_http() }
    }

    /// Sends `request` and reads the whole response.
    ///
    /// # Panics
    /// When the request cannot be sent or the body cannot be read.
    pub async fn send(&self, request: http::Request<Bytes>) -> TestResponse {
        let (parts, body) = request.into_parts();
        let response = self
            .inner
            .request(http::Request::from_parts(parts, Full::new(body)))
            .await
            .unwrap_or_else(|error| panic!("request failed: {error:?}"));
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap_or_else(|error| panic!("reading the body failed: {error}")).to_bytes();
        TestResponse { status: parts.status, headers: parts.headers, body }
    }

    /// `GET url`, as a browser loading a page sends it (not a Datastar request).
    pub async fn get(&self, url: &str) -> TestResponse {
        self.send(request(Method::GET, url).body(Bytes::new()).expect("valid request")).await
    }

    /// A Datastar request: `method url` with the signals `json` (in the body, or in the
    /// `datastar` query parameter for `GET` and `DELETE`).
    pub async fn datastar(&self, method: Method, url: &str, signals: &serde_json::Value) -> TestResponse {
        let json = signals.to_string();
        let request = if method == Method::GET || method == Method::DELETE {
            let separator = if url.contains('?') { '&' } else { '?' };
            let url = format!("{url}{separator}datastar={}", crate::http::query::encode(&json));
            datastar_request(method, &url).body(Bytes::new())
        } else {
            datastar_request(method, url).header(CONTENT_TYPE, "application/json").body(Bytes::from(json))
        };
        self.send(request.expect("valid request")).await
    }

    /// A Datastar `POST url` with the signals `json`.
    pub async fn post_json(&self, url: &str, signals: &serde_json::Value) -> TestResponse {
        self.datastar(Method::POST, url, signals).await
    }

    /// Opens the live stream of the page at `url`, asking for brotli when `brotli` is true.
    ///
    /// # Panics
    /// When the stream cannot be opened.
    pub async fn stream(&self, url: &str, brotli: bool) -> EventStream {
        let mut builder = datastar_request(Method::GET, url).header("accept", "text/event-stream");
        if brotli {
            builder = builder.header(ACCEPT_ENCODING, "br");
        }
        self.stream_request(builder.body(Bytes::new()).expect("valid request")).await
    }

    /// Opens a stream with a request of your own (to send `Last-Event-ID`, say).
    pub async fn stream_request(&self, request: http::Request<Bytes>) -> EventStream {
        let (parts, body) = request.into_parts();
        let response = self
            .inner
            .request(http::Request::from_parts(parts, Full::new(body)))
            .await
            .unwrap_or_else(|error| panic!("opening the stream failed: {error:?}"));
        let (parts, body) = response.into_parts();
        let brotli = parts.headers.get("content-encoding").is_some_and(|v| v == "br");
        EventStream {
            status: parts.status,
            headers: parts.headers,
            body,
            decoder: brotli.then(Decoder::new),
            parser: SseParser::default(),
            seen: Vec::new(),
            wire_bytes: 0,
            plain_bytes: 0,
        }
    }
}

fn request(method: Method, url: &str) -> http::request::Builder {
    http::Request::builder().method(method).uri(url)
}

fn datastar_request(method: Method, url: &str) -> http::request::Builder {
    request(method, url).header("datastar-request", "true")
}

/// One server-sent event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field.
    pub event: String,
    /// The `id:` field.
    pub id: Option<String>,
    /// The `retry:` field.
    pub retry: Option<u64>,
    /// The `data:` lines, split at their first space into (key, value).
    pub data: Vec<(String, String)>,
}

impl SseEvent {
    /// The lines of data key `key`, joined with newlines.
    pub fn get(&self, key: &str) -> Option<String> {
        let lines: Vec<&str> = self.data.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    }

    /// The `elements` of a `datastar-patch-elements` event (empty if none).
    pub fn elements(&self) -> String {
        self.get("elements").unwrap_or_default()
    }
}

impl fmt::Display for SseEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.event)?;
        if let Some(id) = &self.id {
            write!(f, " #{id}")?;
        }
        for (key, value) in &self.data {
            let value: String = value.chars().take(160).collect();
            write!(f, "\n  {key} {value}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Default)]
struct SseParser {
    pending: String,
    current: SseEvent,
    events: Vec<SseEvent>,
}

impl SseParser {
    fn push(&mut self, text: &str) {
        self.pending.push_str(text);
        while let Some(end) = self.pending.find('\n') {
            let line: String = self.pending.drain(..=end).collect();
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if !self.current.event.is_empty() || !self.current.data.is_empty() {
                    self.events.push(std::mem::take(&mut self.current));
                }
                continue;
            }
            if line.starts_with(':') {
                continue;
            }
            let (field, value) = line.split_once(": ").unwrap_or((line, ""));
            match field {
                "event" => self.current.event = value.to_owned(),
                "id" => self.current.id = Some(value.to_owned()),
                "retry" => self.current.retry = value.parse().ok(),
                "data" => {
                    let (key, rest) = value.split_once(' ').unwrap_or((value, ""));
                    self.current.data.push((key.to_owned(), rest.to_owned()));
                }
                _ => {}
            }
        }
    }
}

/// A live stream being read, decoding brotli as frames arrive.
pub struct EventStream {
    /// The response status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    body: hyper::body::Incoming,
    decoder: Option<Decoder>,
    parser: SseParser,
    seen: Vec<SseEvent>,
    wire_bytes: usize,
    plain_bytes: usize,
}

impl fmt::Debug for EventStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").field("status", &self.status).field("events", &self.seen.len()).finish()
    }
}

/// Why a stream stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEnd {
    /// The server finished the response cleanly.
    Finished,
    /// The connection was aborted (what orion does on shutdown) or failed.
    Aborted(String),
}

impl EventStream {
    /// The next event; `Err` once the stream has ended.
    pub async fn next_event(&mut self) -> Result<SseEvent, StreamEnd> {
        loop {
            if !self.parser.events.is_empty() {
                let event = self.parser.events.remove(0);
                self.seen.push(event.clone());
                return Ok(event);
            }
            match self.body.frame().await {
                None => return Err(StreamEnd::Finished),
                Some(Err(error)) => return Err(StreamEnd::Aborted(error.to_string())),
                Some(Ok(frame)) => {
                    let Ok(chunk) = frame.into_data() else {
                        continue;
                    };
                    self.wire_bytes += chunk.len();
                    let plain = match &mut self.decoder {
                        Some(decoder) => decoder.decode(&chunk).map_err(StreamEnd::Aborted)?,
                        None => chunk.to_vec(),
                    };
                    self.plain_bytes += plain.len();
                    self.parser.push(&String::from_utf8_lossy(&plain));
                }
            }
        }
    }

    /// Waits (up to [`WAIT`]) for an event matching `matches`.
    ///
    /// # Panics
    /// After [`WAIT`], or when the stream ends first, listing the events seen.
    pub async fn wait_for(&mut self, matches: impl Fn(&SseEvent) -> bool) -> SseEvent {
        let found = tokio::time::timeout(WAIT, async {
            loop {
                match self.next_event().await {
                    Ok(event) if matches(&event) => return Ok(event),
                    Ok(_) => {}
                    Err(end) => return Err(end),
                }
            }
        })
        .await;
        match found {
            Ok(Ok(event)) => event,
            Ok(Err(end)) => panic!("the stream ended ({end:?}) before the expected event; seen:\n{}", self.seen()),
            Err(_) => panic!("no expected event within {WAIT:?}; seen:\n{}", self.seen()),
        }
    }

    /// Waits for the end of the stream (up to [`WAIT`]).
    ///
    /// # Panics
    /// After [`WAIT`].
    pub async fn wait_for_end(&mut self) -> StreamEnd {
        let end = tokio::time::timeout(WAIT, async {
            loop {
                if let Err(end) = self.next_event().await {
                    return end;
                }
            }
        })
        .await;
        end.unwrap_or_else(|_| panic!("the stream did not end within {WAIT:?}"))
    }

    /// Every event read so far.
    pub fn events(&self) -> &[SseEvent] {
        &self.seen
    }

    /// Bytes received on the wire, and after decompression.
    pub fn bytes(&self) -> (usize, usize) {
        (self.wire_bytes, self.plain_bytes)
    }

    fn seen(&self) -> String {
        self.seen.iter().map(|e| format!("- {e}")).collect::<Vec<_>>().join("\n")
    }
}

/// A streaming brotli decoder, driven directly: every flushed frame must decode whole.
pub struct Decoder {
    state: BrotliState<StandardAlloc, StandardAlloc, StandardAlloc>,
}

impl fmt::Debug for Decoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Decoder")
    }
}

impl Default for Decoder {
    fn default() -> Decoder {
        Decoder::new()
    }
}

impl Decoder {
    /// A decoder at the start of a brotli stream.
    pub fn new() -> Decoder {
        Decoder {
            state: BrotliState::new(StandardAlloc::default(), StandardAlloc::default(), StandardAlloc::default()),
        }
    }

    /// Decodes `chunk`, returning every byte it completes.
    pub fn decode(&mut self, chunk: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut available_in = chunk.len();
        let mut input_offset = 0;
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let mut available_out = buffer.len();
            let mut output_offset = 0;
            let mut total_out = 0;
            let result = BrotliDecompressStream(
                &mut available_in,
                &mut input_offset,
                chunk,
                &mut available_out,
                &mut output_offset,
                &mut buffer,
                &mut total_out,
                &mut self.state,
            );
            out.extend_from_slice(&buffer[..output_offset]);
            match result {
                BrotliResult::NeedsMoreOutput => continue,
                BrotliResult::NeedsMoreInput | BrotliResult::ResultSuccess => return Ok(out),
                BrotliResult::ResultFailure => return Err("the brotli stream is corrupt".into()),
            }
        }
    }
}
