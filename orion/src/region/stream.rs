//! A page's live stream: one SSE response carrying every region of the page.
//!
//! The stream is pulled, not pushed: when the connection is ready for more (hyper polls the
//! body), the viewer takes the newest frame of each region that changed since it last wrote
//! one. A viewer that is slow to drain therefore never builds a backlog — several renders
//! coalesce into the newest — and its buffer is bounded by one frame per region. Frames are
//! shared bytes (`Arc`), rendered once for all viewers.
//!
//! With `Accept-Encoding: br`, the stream is brotli-compressed, flushed after every frame so
//! consecutive renders compress against each other — by an encoder shared with the viewers that
//! received the same bytes (see `cohort.rs`), which keeps memory per viewer small
//! at thousands of viewers.
//!
//! Every region event carries an SSE `id`: the commit sequence the page is current through
//! (see `position.rs`). A browser that reconnects sends the last one back as
//! `Last-Event-ID`, and the new stream starts with a full render of only the regions whose
//! topics changed after it — also after a restart, since the sequence is in the database. The
//! others are left as the browser has them, and a comment (`: resumed; unchanged: …`) tells it
//! the stream is live even when nothing needs sending. A stream without `Last-Event-ID` starts
//! with every region.
//!
//! On shutdown ([`Router::abort_streams`](crate::http::Router::abort_streams)) every stream ends
//! with an error instead of a clean end: Datastar retries after an error, and a page comes
//! back by itself when the server does.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http_body::Frame as BodyFrame;
use tokio::sync::watch;

use super::cohort::{self, Channel, Member};
use super::hub::{Frame, Live};
use super::position;
use crate::app::Shared;
use crate::datastar::encode;
use crate::http::{Body, BoxError};
use crate::store::Seq;

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
    /// At most this many brotli encoders (cohorts) live at once; past it, new viewers get
    /// uncompressed streams. Each costs roughly 0.5–1.5 MB at the default quality and window.
    pub brotli_encoders: usize,
    /// How many compressed frames a cohort keeps for members that are behind; a member further
    /// behind is disconnected (and reconnects to a fresh render).
    pub cohort_log: usize,
}

impl Default for StreamOptions {
    fn default() -> StreamOptions {
        StreamOptions {
            keep_alive: Duration::from_secs(15),
            brotli: true,
            brotli_quality: 5,
            brotli_window: 18,
            pacing: Pacing::Auto,
            brotli_encoders: 64,
            cohort_log: 512,
        }
    }
}

/// How often a stream may write a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pacing {
    /// No pacing below 500 open streams; then at most a frame every 50 ms, 200 ms from 2,500
    /// streams and 500 ms from 7,500 (renders coalesce meanwhile).
    Auto,
    /// At most one frame per interval (zero: no pacing).
    Fixed(Duration),
}

impl Pacing {
    pub(crate) fn interval(self, viewers: usize) -> Duration {
        match self {
            Pacing::Fixed(interval) => interval,
            // Measured with `bench fanout` on 2 cores (BENCHMARKS.md): unpaced is best up to a
            // few hundred viewers; from there, pacing bounds the tail latency.
            Pacing::Auto => Duration::from_millis(match viewers {
                0..500 => 0,
                500..2_500 => 50,
                2_500..7_500 => 200,
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

/// What is live in an app right now, for a dashboard (and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveStats {
    /// Open streams.
    pub viewers: usize,
    /// Live region instances (each read and rendered once per change, whatever its viewers).
    pub instances: usize,
    /// Live brotli encoders (cohorts).
    pub encoders: usize,
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

/// Opens the stream of a page whose regions are `regions`: brotli-compressed through a cohort
/// of `channel` when one is given and has room, plain otherwise; resumed from the browser's
/// `Last-Event-ID` when `resume` holds one. Returns the body and whether it is compressed.
pub(crate) fn open(
    app: &Arc<Shared>,
    regions: Vec<Arc<dyn Live>>,
    channel: Option<Arc<Channel>>,
    resume: Option<Seq>,
    route: String,
) -> (Body, bool) {
    let mut pending = VecDeque::new();
    let source = match channel.as_ref().and_then(|channel| channel.join(resume)) {
        Some(member) => Source::Cohort(member),
        None => {
            let watched: Vec<Watched> = regions.iter().cloned().map(Watched::new).collect();
            // Nothing held yet: the first frames are the full current render of every region —
            // except, on a resume, those unchanged since the browser's state.
            let mut held = vec![None; regions.len()];
            if let Some(since) = resume {
                let unchanged = resumed(&regions, &mut held, since);
                if !unchanged.is_empty() {
                    pending.push_back(Bytes::from(resumed_comment(&unchanged)));
                }
            }
            Source::Plain(Plain { watched, regions, held })
        }
    };
    let brotli = matches!(source, Source::Cohort(_));
    let counters = Arc::new(Counters {
        route,
        opened: SystemTime::now(),
        brotli,
        frames: AtomicU64::new(0),
        plain_bytes: AtomicU64::new(0),
        wire_bytes: AtomicU64::new(0),
    });
    for bytes in &pending {
        counters.record(bytes.len(), bytes.len());
    }
    app.hub.stream_opened(&counters);
    let viewer =
        Viewer { source, pending, shutdown: app.hub.shutdown_signal(), counters, last_frame: None, app: app.clone() };
    (Body::stream(StreamBody { viewer: Some(viewer), next: None }), brotli)
}

/// For a browser that holds the page as of commit `since`: marks as held (in `held`) the
/// current frame of each region whose inputs did not change since, and returns their ids.
///
/// Each frame is taken *before* the database is asked, so a change committed in between makes
/// the region count as changed — or, if its frame was taken before that change, the region's
/// next frame goes out as usual.
fn resumed(regions: &[Arc<dyn Live>], held: &mut [Option<Arc<Frame>>], since: Seq) -> Vec<&'static str> {
    let frames: Vec<Arc<Frame>> = regions.iter().map(|live| live.current()).collect();
    let mut unchanged = Vec::new();
    for ((live, frame), held) in regions.iter().zip(frames).zip(held) {
        if !live.changed_since(since) {
            *held = Some(frame);
            unchanged.push(live.id());
        }
    }
    unchanged
}

/// The comment that starts a resumed stream whose regions `unchanged` need no render.
pub(crate) fn resumed_comment(unchanged: &[&str]) -> Vec<u8> {
    let mut comment = Vec::new();
    encode::comment(&format!("resumed; unchanged: {}", unchanged.join(", ")), &mut comment);
    comment
}

/// A region's frames, as a viewer (or a cohort channel) receives them.
pub(crate) struct Watched {
    pub(crate) frames: watch::Receiver<Arc<Frame>>,
    /// Keeps the instance alive while it is watched.
    #[allow(dead_code)]
    live: Arc<dyn Live>,
}

impl Watched {
    pub(crate) fn new(live: Arc<dyn Live>) -> Watched {
        Watched { frames: live.frames(), live }
    }
}

/// Where a viewer's bytes come from.
enum Source {
    /// Its own pick of the newest frame of each region, uncompressed.
    Plain(Plain),
    /// The compressed log of its cohort.
    Cohort(Member),
}

/// An uncompressed viewer's regions and what it holds of each.
struct Plain {
    watched: Vec<Watched>,
    regions: Vec<Arc<dyn Live>>,
    /// The frame of each region last written (or, on a resume, known to be in the browser).
    held: Vec<Option<Arc<Frame>>>,
}

struct Viewer {
    source: Source,
    /// Frames already picked but not yet written (one region's event per write: shared bytes,
    /// never copied per viewer).
    pending: VecDeque<Bytes>,
    shutdown: watch::Receiver<bool>,
    counters: Arc<Counters>,
    last_frame: Option<Instant>,
    app: Arc<Shared>,
}

/// Why a stream ends with an error (so the browser reconnects).
#[derive(Debug)]
enum Ended {
    /// The server is shutting down.
    Aborted,
    /// The viewer fell further behind its cohort than the cohort's log reaches.
    Lagged,
}

impl fmt::Display for Ended {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ended::Aborted => "the server is shutting down: reconnect",
            Ended::Lagged => "the stream fell too far behind: reconnect for a fresh render",
        })
    }
}

impl std::error::Error for Ended {}

impl Viewer {
    /// The next bytes to write.
    async fn next(&mut self) -> Result<Bytes, Ended> {
        if *self.shutdown.borrow_and_update() {
            return Err(Ended::Aborted);
        }
        if let Some(bytes) = self.pending.pop_front() {
            return Ok(bytes);
        }
        match &mut self.source {
            Source::Plain(_) => self.next_plain().await,
            Source::Cohort(_) => self.next_compressed().await,
        }
    }

    /// The newest frame of every region that changed, a keep-alive comment after a silence.
    async fn next_plain(&mut self) -> Result<Bytes, Ended> {
        let Source::Plain(plain) = &mut self.source else { unreachable!("called for plain streams") };
        if let Some(last) = self.last_frame {
            let interval = self.app.hub.options.pacing.interval(self.app.hub.viewers());
            if !interval.is_zero() {
                tokio::select! {
                    biased;
                    _ = self.shutdown.changed() => return Err(Ended::Aborted),
                    () = tokio::time::sleep_until((last + interval).into()) => {}
                }
            }
        }
        let keep_alive = tokio::time::sleep(self.app.hub.options.keep_alive);
        tokio::pin!(keep_alive);
        loop {
            let mut changed = Vec::new();
            for (index, region) in plain.watched.iter_mut().enumerate() {
                let frame = region.frames.borrow_and_update().clone();
                if plain.held[index].as_ref().is_none_or(|held| held.version != frame.version) {
                    changed.push((index, frame));
                }
            }
            for bytes in position::write(&plain.regions, &mut plain.held, changed) {
                self.counters.record(bytes.len(), bytes.len());
                self.pending.push_back(bytes);
            }
            if let Some(bytes) = self.pending.pop_front() {
                self.last_frame = Some(Instant::now());
                return Ok(bytes);
            }
            tokio::select! {
                biased;
                _ = self.shutdown.changed() => return Err(Ended::Aborted),
                () = any_changed(&mut plain.watched) => {}
                () = &mut keep_alive => {
                    let mut comment = Vec::new();
                    encode::comment("keep-alive", &mut comment);
                    self.counters.record(comment.len(), comment.len());
                    return Ok(Bytes::from(comment));
                }
            }
        }
    }

    /// Everything the cohort compressed since this viewer's last write (frames are paced, and
    /// keep-alives sent, by the cohort's channel).
    async fn next_compressed(&mut self) -> Result<Bytes, Ended> {
        let Source::Cohort(member) = &mut self.source else { unreachable!("called for compressed streams") };
        loop {
            match member.take() {
                cohort::Next::Bytes(wire, plain) => {
                    self.counters.record(plain, wire.len());
                    return Ok(wire);
                }
                cohort::Next::Lagged => return Err(Ended::Lagged),
                cohort::Next::Wait => tokio::select! {
                    biased;
                    _ = self.shutdown.changed() => return Err(Ended::Aborted),
                    () = member.changed() => {}
                },
            }
        }
    }
}

impl Counters {
    fn record(&self, plain: usize, wire: usize) {
        self.frames.fetch_add(1, Ordering::Relaxed);
        self.plain_bytes.fetch_add(plain as u64, Ordering::Relaxed);
        self.wire_bytes.fetch_add(wire as u64, Ordering::Relaxed);
    }
}

impl Drop for Viewer {
    fn drop(&mut self) {
        self.app.hub.stream_closed();
    }
}

/// Completes when any of the regions has a frame not yet written.
pub(crate) async fn any_changed(regions: &mut [Watched]) {
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

type NextBytes = Pin<Box<dyn Future<Output = (Viewer, Result<Bytes, Ended>)> + Send>>;

/// The body of a live stream: pulls the viewer's next bytes when hyper asks for them.
struct StreamBody {
    viewer: Option<Viewer>,
    next: Option<NextBytes>,
}

impl http_body::Body for StreamBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<BodyFrame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if this.next.is_none() {
            let Some(mut viewer) = this.viewer.take() else {
                return Poll::Ready(None);
            };
            this.next = Some(Box::pin(async move {
                let next = viewer.next().await;
                (viewer, next)
            }));
        }
        let Some(next) = this.next.as_mut() else {
            return Poll::Ready(None);
        };
        match next.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready((viewer, result)) => {
                this.next = None;
                match result {
                    Ok(bytes) => {
                        this.viewer = Some(viewer);
                        Poll::Ready(Some(Ok(BodyFrame::data(bytes))))
                    }
                    Err(ended) => Poll::Ready(Some(Err(Box::new(ended)))),
                }
            }
        }
    }
}
