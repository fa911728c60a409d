//! Cohort-shared compression: brotli for thousands of viewers at the memory of a few.
//!
//! A brotli encoder keeps a window of what it compressed (0.4–1.7 MB at the settings that
//! compress repeated renders well), so an encoder per viewer costs gigabytes at 5,000 viewers.
//! But viewers of the same page instance that joined at the same moment receive exactly the
//! same bytes, so they can share one encoder: each frame is compressed **once per cohort**, and
//! the same compressed bytes are written to every member.
//!
//! - A [`Channel`] is one page instance (one list of region instances). Its task takes the
//!   newest frame of every changed region — paced like any stream — and appends it, compressed,
//!   to the log of each of its cohorts.
//! - A [`Cohort`] is an encoder and the log of what it produced. A new viewer joins the
//!   channel's open cohort and replays its log from the start — its first chunk is the full
//!   render the cohort began with — as long as the log is short ([`JOIN_LIMIT`] chunks);
//!   otherwise it starts a new cohort with a fresh full render.
//! - A member that falls so far behind that the log no longer holds its next chunk cannot be
//!   caught up (brotli streams cannot skip bytes), so its stream is aborted: the browser
//!   reconnects and gets a fresh full render, which is always the complete truth.
//! - The log is bounded ([`StreamOptions::cohort_log`] chunks).
//! - The number of live encoders is capped ([`StreamOptions::brotli_encoders`]); past the cap,
//!   new viewers get an uncompressed stream, so memory stays bounded whatever the traffic.
//! - A viewer that resumes with `Last-Event-ID` must not get the full render of the regions it
//!   already holds, so its first bytes differ from a new viewer's: cohorts are keyed by which
//!   regions their first chunk renders ("all" for new viewers). Viewers resuming from the same
//!   state (after a restart, most of them) share one. The skipped regions are decided against
//!   the channel's frames — the state every cohort of the channel is brought to — taken before
//!   the database is asked, and a region whose frame moved on meanwhile is rendered.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use bytes::Bytes;
use tokio::sync::watch;

use super::hub::{Frame, Live};
use super::position;
use super::stream::{StreamOptions, Watched, any_changed, resumed_comment};
use crate::app::Shared;
use crate::datastar::encode;
use crate::store::Seq;

/// A new viewer may join a cohort whose log holds at most this many chunks (it replays them).
pub(crate) const JOIN_LIMIT: usize = 16;

/// One page instance's shared compression.
pub(crate) struct Channel {
    regions: Vec<Arc<dyn Live>>,
    state: Mutex<ChannelState>,
    encoders: Arc<AtomicUsize>,
    options: StreamOptions,
}

struct ChannelState {
    /// The frame of each region last appended to the cohorts' logs.
    written: Vec<Arc<Frame>>,
    /// The cohorts new viewers join while they are short enough to replay, by which regions
    /// their first chunk renders.
    open: Vec<(Box<[bool]>, Arc<Cohort>)>,
    cohorts: Vec<Weak<Cohort>>,
}

/// An encoder shared by viewers that received the same bytes, and the log of its output.
pub(crate) struct Cohort {
    inner: Mutex<CohortInner>,
    /// The sequence number one past the newest chunk.
    end: watch::Sender<u64>,
    encoders: Arc<AtomicUsize>,
    /// How many chunks the log keeps.
    log_limit: usize,
}

struct CohortInner {
    encoder: brotli::CompressorWriter<Vec<u8>>,
    /// The sequence number of `chunks[0]`.
    base: u64,
    /// Compressed chunks, each with its uncompressed length.
    chunks: VecDeque<(Bytes, usize)>,
}

/// A viewer's place in a cohort.
pub(crate) struct Member {
    /// Keeps the channel (and its task) alive while a member is connected.
    _channel: Arc<Channel>,
    cohort: Arc<Cohort>,
    next: u64,
    end: watch::Receiver<u64>,
}

/// What a member gets when it asks for its next bytes.
pub(crate) enum Next {
    /// Compressed bytes to write, and their uncompressed length.
    Bytes(Bytes, usize),
    /// Nothing new yet.
    Wait,
    /// The log no longer holds what this member needs: it must reconnect.
    Lagged,
}

impl Channel {
    /// A channel over `regions`, with its task started.
    pub(crate) fn start(app: &Arc<Shared>, regions: Vec<Arc<dyn Live>>, encoders: Arc<AtomicUsize>) -> Arc<Channel> {
        let mut watched: Vec<Watched> = regions.iter().cloned().map(Watched::new).collect();
        let written = watched.iter_mut().map(|w| w.frames.borrow_and_update().clone()).collect();
        let channel = Arc::new(Channel {
            regions,
            state: Mutex::new(ChannelState { written, open: Vec::new(), cohorts: Vec::new() }),
            encoders,
            options: app.hub.options.clone(),
        });
        tokio::spawn(run(Arc::downgrade(&channel), watched, app.clone()));
        channel
    }

    /// A place for a new viewer — resuming from commit `resume`, if given — in an open cohort
    /// whose first chunk renders the regions it needs, or in a new one. `None` when the encoder
    /// budget is spent (the viewer then gets an uncompressed stream).
    pub(crate) fn join(self: &Arc<Channel>, resume: Option<Seq>) -> Option<Member> {
        let unchanged = resume.map(|since| {
            let taken = lock(&self.state).written.clone();
            let unchanged: Vec<bool> = self.regions.iter().map(|live| !live.changed_since(since)).collect();
            (taken, unchanged)
        });
        let mut state = lock(&self.state);
        let render: Box<[bool]> = match &unchanged {
            None => vec![true; self.regions.len()].into(),
            Some((taken, unchanged)) => (state.written.iter().zip(taken).zip(unchanged))
                .map(|((now, taken), unchanged)| !(*unchanged && Arc::ptr_eq(now, taken)))
                .collect(),
        };
        if let Some((_, open)) = state.open.iter().find(|(key, cohort)| *key == render && cohort.joinable()) {
            return Some(open.member(self, 0));
        }
        let budget = self.options.brotli_encoders;
        if self.encoders.fetch_add(1, Ordering::SeqCst) >= budget {
            self.encoders.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        let initial = self.first_chunk(&state.written, &render);
        let cohort = Arc::new(Cohort::new(&self.options, &initial, self.encoders.clone()));
        state.cohorts.retain(|c| c.strong_count() > 0);
        state.cohorts.push(Arc::downgrade(&cohort));
        state.open.retain(|(_, cohort)| cohort.joinable());
        state.open.push((render, cohort.clone()));
        Some(cohort.member(self, 0))
    }

    /// The first chunk of a cohort: the frames of `written` marked in `render`, after a comment
    /// naming the others when there are any.
    fn first_chunk(&self, written: &[Arc<Frame>], render: &[bool]) -> Vec<u8> {
        let mut chunk = Vec::new();
        let unchanged: Vec<&str> =
            self.regions.iter().zip(render).filter(|(_, render)| !**render).map(|(live, _)| live.id()).collect();
        if !unchanged.is_empty() {
            chunk.extend_from_slice(&resumed_comment(&unchanged));
        }
        let mut held: Vec<Option<Arc<Frame>>> =
            written.iter().zip(render).map(|(frame, render)| (!render).then(|| frame.clone())).collect();
        let changed = written.iter().zip(render).enumerate().filter(|(_, (_, render))| **render);
        let changed = changed.map(|(index, (frame, _))| (index, frame.clone())).collect();
        for bytes in position::write(&self.regions, &mut held, changed) {
            chunk.extend_from_slice(&bytes);
        }
        chunk
    }

    /// Appends `plain` (compressed once per cohort) to every live cohort.
    fn append(&self, plain: &[u8]) {
        let mut state = lock(&self.state);
        append(&mut state, plain);
    }
}

/// Appends `plain` to the cohorts of a locked channel; closes an open cohort to joiners once its
/// log is too long to replay.
fn append(state: &mut ChannelState, plain: &[u8]) {
    state.cohorts.retain(|c| c.strong_count() > 0);
    for cohort in state.cohorts.iter().filter_map(Weak::upgrade) {
        cohort.append(plain);
    }
    state.open.retain(|(_, cohort)| cohort.joinable());
}

impl Cohort {
    fn new(options: &StreamOptions, initial: &[u8], encoders: Arc<AtomicUsize>) -> Cohort {
        let encoder = brotli::CompressorWriter::new(
            Vec::with_capacity(4096),
            4096,
            options.brotli_quality,
            options.brotli_window,
        );
        let cohort = Cohort {
            inner: Mutex::new(CohortInner { encoder, base: 0, chunks: VecDeque::new() }),
            end: watch::channel(0).0,
            encoders,
            log_limit: options.cohort_log.max(JOIN_LIMIT),
        };
        cohort.append(initial);
        cohort
    }

    fn append(&self, plain: &[u8]) {
        let mut inner = lock(&self.inner);
        // Writing into a Vec cannot fail.
        let _ = inner.encoder.write_all(plain);
        let _ = inner.encoder.flush();
        let compressed = Bytes::from(std::mem::take(inner.encoder.get_mut()));
        inner.chunks.push_back((compressed, plain.len()));
        if inner.chunks.len() > self.log_limit {
            inner.chunks.pop_front();
            inner.base += 1;
        }
        let end = inner.base + inner.chunks.len() as u64;
        drop(inner);
        self.end.send_replace(end);
    }

    /// Whether a new viewer can still replay the whole log.
    fn joinable(&self) -> bool {
        let inner = lock(&self.inner);
        inner.base == 0 && inner.chunks.len() <= JOIN_LIMIT
    }

    fn member(self: &Arc<Cohort>, channel: &Arc<Channel>, next: u64) -> Member {
        Member { _channel: channel.clone(), cohort: self.clone(), next, end: self.end.subscribe() }
    }
}

impl Drop for Cohort {
    fn drop(&mut self) {
        self.encoders.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Member {
    /// Everything the cohort produced since this member's last look.
    pub(crate) fn take(&mut self) -> Next {
        let inner = lock(&self.cohort.inner);
        if self.next < inner.base {
            return Next::Lagged;
        }
        let start = (self.next - inner.base) as usize;
        if start >= inner.chunks.len() {
            return Next::Wait;
        }
        self.next = inner.base + inner.chunks.len() as u64;
        if start + 1 == inner.chunks.len() {
            // The common case: one new chunk, shared by every member.
            let (chunk, plain) = &inner.chunks[start];
            return Next::Bytes(chunk.clone(), *plain);
        }
        let mut wire = Vec::new();
        let mut plain = 0;
        for (chunk, length) in inner.chunks.iter().skip(start) {
            wire.extend_from_slice(chunk);
            plain += length;
        }
        Next::Bytes(Bytes::from(wire), plain)
    }

    /// Waits until the cohort has produced something new.
    pub(crate) async fn changed(&mut self) {
        // An error means the cohort is gone, which cannot happen while we hold it.
        let _ = self.end.changed().await;
    }
}

/// The channel's task: append the newest frames (paced) and keep-alives to every cohort.
async fn run(channel: Weak<Channel>, mut watched: Vec<Watched>, app: Arc<Shared>) {
    let options = app.hub.options.clone();
    let mut shutdown = app.hub.shutdown_signal();
    let mut last = tokio::time::Instant::now();
    loop {
        let keep_alive = tokio::time::sleep(options.keep_alive);
        tokio::pin!(keep_alive);
        let quiet = tokio::select! {
            biased;
            _ = shutdown.changed() => return,
            () = any_changed(&mut watched) => false,
            () = &mut keep_alive => true,
        };
        let Some(channel) = channel.upgrade() else {
            return;
        };
        if quiet {
            let mut comment = Vec::new();
            encode::comment("keep-alive", &mut comment);
            channel.append(&comment);
            continue;
        }
        let interval = options.pacing.interval(app.hub.viewers());
        if !interval.is_zero() {
            tokio::select! {
                biased;
                _ = shutdown.changed() => return,
                () = tokio::time::sleep_until(last + interval) => {}
            }
        }
        last = tokio::time::Instant::now();
        // One lock for reading the frames and appending them: a viewer joining meanwhile starts
        // a cohort either before this frame (and gets it) or after it (and has it already).
        let mut state = lock(&channel.state);
        let mut changed = Vec::new();
        for (index, region) in watched.iter_mut().enumerate() {
            let frame = region.frames.borrow_and_update().clone();
            if frame.version != state.written[index].version {
                changed.push((index, frame));
            }
        }
        let mut held: Vec<Option<Arc<Frame>>> = state.written.iter().cloned().map(Some).collect();
        let mut plain = Vec::new();
        for bytes in position::write(&channel.regions, &mut held, changed) {
            plain.extend_from_slice(&bytes);
        }
        state.written = held.into_iter().map(|frame| frame.expect("every region is held")).collect();
        if !plain.is_empty() {
            append(&mut state, &plain);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
