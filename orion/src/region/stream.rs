//! A page's live stream: one SSE response carrying every region of the page.
//!
//! The stream is pulled, not pushed: when the connection is ready for more (hyper polls the
//! body), the viewer takes the newest frame of each region that changed since it last wrote
//! one. A viewer that is slow to drain therefore never builds a backlog — several renders
//! coalesce into the newest — and its buffer is bounded by one frame per region. Frames are
//! shared bytes (`Arc`), rendered once for all viewers.
//!
//! With `Accept-Encoding: br`, the stream is brotli-compressed by an encoder of its own,
//! flushed after every frame, so consecutive renders compress against each other.
//!
//! On shutdown ([`Router::abort_streams`](crate::http::Router::abort_streams)) every stream ends
//! with an error instead of a clean end: Datastar retries after an error, and a page comes
//! back by itself when the server does.

use std::fmt;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http_body::Frame as BodyFrame;
use tokio::sync::watch;

use super::hub::{Frame, Live};
use crate::app::Shared;
use crate::datastar::encode;
use crate::http::{Body, BoxError};

/// Settings of the live streams.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// How long a stream may stay silent before a keep-alive comment is sent.
    pub keep_alive: Duration,
    /// Compress streams with brotli when the browser accepts it.
    pub brotli: bool,
    /// The brotli quality (0–11) of stream encoders.
    pub brotli_quality: u32,
    /// The brotli window (log2 of its size, 10–24) of stream encoders.
    pub brotli_window: u32,
    /// At most one frame per this interval per stream.
    pub pacing: Pacing,
}

impl Default for StreamOptions {
    fn default() -> StreamOptions {
        StreamOptions {
            keep_alive: Duration::from_secs(15),
            brotli: true,
            brotli_quality: 5,
            brotli_window: 18,
            pacing: Pacing::Auto,
        }
    }
}

/// How often a stream may write a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pacing {
    /// No pacing while few viewers are open; a frame at most every 100–500 ms as the number of
    /// open streams grows into the thousands (renders coalesce meanwhile).
    Auto,
    /// At most one frame per interval (zero: no pacing).
    Fixed(Duration),
}

impl Pacing {
    fn interval(self, viewers: usize) -> Duration {
        match self {
            Pacing::Fixed(interval) => interval,
            Pacing::Auto => Duration::from_millis(match viewers {
                0..1_000 => 0,
                1_000..4_000 => 100,
                4_000..8_000 => 200,
                _ => 500,
            }),
        }
    }
}

/// Byte counts of one open stream, for a dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamStats {
    /// The route that opened the stream.
    pub route: String,
    /// When the stream opened.
    pub opened: SystemTime,
    /// Whether the stream is brotli-compressed.
    pub brotli: bool,
    /// Frames written.
    pub frames: u64,
    /// Bytes of SSE text written, before compression.
    pub plain_bytes: u64,
    /// Bytes written to the connection.
    pub wire_bytes: u64,
}

/// The live counters behind [`StreamStats`].
#[derive(Debug)]
pub(crate) struct Counters {
    route: String,
    opened: SystemTime,
    brotli: bool,
    frames: AtomicU64,
    plain_bytes: AtomicU64,
    wire_bytes: AtomicU64,
}

impl Counters {
    pub(crate) fn snapshot(&self) -> StreamStats {
        StreamStats {
            route: self.route.clone(),
            opened: self.opened,
            brotli: self.brotli,
            frames: self.frames.load(Ordering::Relaxed),
            plain_bytes: self.plain_bytes.load(Ordering::Relaxed),
            wire_bytes: self.wire_bytes.load(Ordering::Relaxed),
        }
    }
}

/// Opens the stream of a page whose regions are `regions`.
pub(crate) fn open(app: &Arc<Shared>, regions: Vec<Arc<dyn Live>>, brotli: bool, route: String) -> Body {
    let counters = Arc::new(Counters {
        route,
        opened: SystemTime::now(),
        brotli,
        frames: AtomicU64::new(0),
        plain_bytes: AtomicU64::new(0),
        wire_bytes: AtomicU64::new(0),
    });
    app.hub.stream_opened(&counters);
    let options = &app.hub.options;
    let encoder = brotli.then(|| Encoder::new(options.brotli_quality, options.brotli_window));
    // Nothing written yet (version 0): the first frame is the full current render of every
    // region.
    let regions = regions.into_iter().map(|live| Watched { frames: live.frames(), live, written: 0 }).collect();
    let viewer = Viewer {
        regions,
        shutdown: app.hub.shutdown_signal(),
        encoder,
        counters,
        last_frame: None,
        app: app.clone(),
    };
    Body::stream(StreamBody { viewer: Some(viewer), next: None })
}

/// A region as one viewer watches it: its frames, and the version this viewer last wrote.
struct Watched {
    frames: watch::Receiver<Arc<Frame>>,
    written: u64,
    /// Keeps the instance alive while the viewer is connected.
    #[allow(dead_code)]
    live: Arc<dyn Live>,
}

type Regions = Vec<Watched>;

struct Viewer {
    regions: Regions,
    shutdown: watch::Receiver<bool>,
    encoder: Option<Encoder>,
    counters: Arc<Counters>,
    last_frame: Option<Instant>,
    app: Arc<Shared>,
}

/// The stream ended because the server is shutting down.
#[derive(Debug)]
struct Aborted;

impl fmt::Display for Aborted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the server is shutting down: reconnect")
    }
}

impl std::error::Error for Aborted {}

impl Viewer {
    /// The next bytes to write: the newest frame of every region that changed, a keep-alive
    /// comment after a silence, or `Aborted` on shutdown.
    async fn next(&mut self) -> Result<Bytes, Aborted> {
        if *self.shutdown.borrow_and_update() {
            return Err(Aborted);
        }
        if let Some(last) = self.last_frame {
            let interval = self.app.hub.options.pacing.interval(self.app.hub.viewers());
            if !interval.is_zero() {
                tokio::select! {
                    biased;
                    _ = self.shutdown.changed() => return Err(Aborted),
                    () = tokio::time::sleep_until((last + interval).into()) => {}
                }
            }
        }
        let keep_alive = tokio::time::sleep(self.app.hub.options.keep_alive);
        tokio::pin!(keep_alive);
        loop {
            let mut plain = Vec::new();
            for region in &mut self.regions {
                let frame = region.frames.borrow_and_update().clone();
                if frame.version != region.written {
                    plain.extend_from_slice(&frame.event);
                    region.written = frame.version;
                }
            }
            if !plain.is_empty() {
                self.last_frame = Some(Instant::now());
                return Ok(self.emit(&plain));
            }
            tokio::select! {
                biased;
                _ = self.shutdown.changed() => return Err(Aborted),
                () = any_changed(&mut self.regions) => {}
                () = &mut keep_alive => {
                    let mut comment = Vec::new();
                    encode::comment("keep-alive", &mut comment);
                    return Ok(self.emit(&comment));
                }
            }
        }
    }

    fn emit(&mut self, plain: &[u8]) -> Bytes {
        let wire = match &mut self.encoder {
            Some(encoder) => encoder.compress(plain),
            None => Bytes::copy_from_slice(plain),
        };
        self.counters.frames.fetch_add(1, Ordering::Relaxed);
        self.counters.plain_bytes.fetch_add(plain.len() as u64, Ordering::Relaxed);
        self.counters.wire_bytes.fetch_add(wire.len() as u64, Ordering::Relaxed);
        wire
    }
}

impl Drop for Viewer {
    fn drop(&mut self) {
        self.app.hub.stream_closed();
    }
}

/// Completes when any of the regions has a frame this viewer has not written.
async fn any_changed(regions: &mut Regions) {
    let mut waits: Vec<_> = regions.iter_mut().map(|region| Box::pin(region.frames.changed())).collect();
    std::future::poll_fn(|cx| {
        for wait in &mut waits {
            if wait.as_mut().poll(cx).is_ready() {
                return Poll::Ready(());
            }
        }
        Poll::Pending
    })
    .await
}

/// A brotli encoder of one stream, flushed after every frame.
struct Encoder {
    writer: brotli::CompressorWriter<Vec<u8>>,
}

impl Encoder {
    fn new(quality: u32, window: u32) -> Encoder {
        Encoder { writer: brotli::CompressorWriter::new(Vec::with_capacity(1024), 4096, quality, window) }
    }

    fn compress(&mut self, plain: &[u8]) -> Bytes {
        // Writing into a Vec cannot fail.
        let _ = self.writer.write_all(plain);
        let _ = self.writer.flush();
        Bytes::from(std::mem::take(self.writer.get_mut()))
    }
}

type Next = Pin<Box<dyn Future<Output = (Viewer, Result<Bytes, Aborted>)> + Send>>;

/// The body of a live stream: pulls the viewer's next bytes when hyper asks for them.
struct StreamBody {
    viewer: Option<Viewer>,
    next: Option<Next>,
}

impl http_body::Body for StreamBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<BodyFrame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if this.next.is_none() {
            let Some(mut viewer) = this.viewer.take() else { return Poll::Ready(None) };
            this.next = Some(Box::pin(async move {
                let next = viewer.next().await;
                (viewer, next)
            }));
        }
        let Some(next) = this.next.as_mut() else { return Poll::Ready(None) };
        match next.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready((viewer, result)) => {
                this.next = None;
                match result {
                    Ok(bytes) => {
                        this.viewer = Some(viewer);
                        Poll::Ready(Some(Ok(BodyFrame::data(bytes))))
                    }
                    Err(aborted) => Poll::Ready(Some(Err(Box::new(aborted)))),
                }
            }
        }
    }
}
