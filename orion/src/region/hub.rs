//! The hub: the region instances shared by all viewers, and the live streams' bookkeeping.
//!
//! An instance is created when the first viewer (a page render or a stream) asks for it, and
//! dropped with its last viewer: its refresh task stops and its subscription ends.
//!
//! Each frame carries the commit sequence of the state it shows: the store's newest commit,
//! read just before the model, so the model shows at least every commit up to it. The
//! instance also knows how far its newest frame is *verified*: a re-read that found the same
//! model moves that forward without a new frame. With its subscription's newest sequence this
//! answers "through which commit is this frame known to be current?" (see
//! [`position`](super::position)).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use bytes::Bytes;
use tokio::sync::watch;
use tokio::task::AbortHandle;

use super::Region;
use super::cohort::Channel;
use super::stream::{Counters, LiveStats, StreamOptions, StreamStats};
use crate::app::Shared;
use crate::bus::{Latest, Subscription};
use crate::datastar::{Event, encode};
use crate::store::Seq;
use crate::{Ctx, Result, Store};

/// One render of a region instance, encoded once and shared by every viewer.
#[derive(Debug)]
pub(crate) struct Frame {
    /// Increases with every render of the instance.
    pub(crate) version: u64,
    /// The commit sequence of the state shown: every commit up to it is in the model.
    pub(crate) seq: Seq,
    /// The region's HTML, wrapped in its `<div id>`.
    pub(crate) html: String,
    /// The same HTML as a `datastar-patch-elements` SSE event, with `seq` as its `id`.
    pub(crate) event: Bytes,
    /// The same event without an `id`, for a stream that cannot vouch for `seq` yet.
    pub(crate) event_without_id: Bytes,
}

/// A live region instance, whatever its region type.
pub(crate) trait Live: Send + Sync {
    /// The region's element id.
    fn id(&self) -> &'static str;
    /// A receiver of the instance's frames (the current one counts as seen).
    fn frames(&self) -> watch::Receiver<Arc<Frame>>;
    /// The latest frame.
    fn current(&self) -> Arc<Frame>;
    /// The newest commit through which `frame` (one of this instance's) is known to be the
    /// current truth: no commit up to it changed the region since `frame`'s state.
    fn current_through(&self, frame: &Frame) -> Seq;
    /// Whether the region's inputs may have changed after commit `since` (read from the
    /// database; `true` when it cannot tell).
    fn changed_since(&self, since: Seq) -> bool;
}

type Key = (&'static str, String);

/// The region instances and open streams of one app.
pub(crate) struct Hub {
    instances: Mutex<HashMap<Key, Weak<dyn Live>>>,
    /// The compression channels of page instances, by page instance.
    channels: Mutex<HashMap<String, Weak<Channel>>>,
    /// The number of live brotli encoders (cohorts), against `options.brotli_encoders`.
    encoders: Arc<AtomicUsize>,
    shutdown: watch::Sender<bool>,
    streams: Mutex<Vec<Weak<Counters>>>,
    viewers: AtomicUsize,
    pub(crate) options: StreamOptions,
}

impl Hub {
    pub(crate) fn new(options: StreamOptions) -> Hub {
        Hub {
            instances: Mutex::default(),
            channels: Mutex::default(),
            encoders: Arc::default(),
            shutdown: watch::channel(false).0,
            streams: Mutex::default(),
            viewers: AtomicUsize::new(0),
            options,
        }
    }

    /// Makes every open stream end with an error (browsers reconnect), now and from now on.
    pub(crate) fn abort_streams(&self) {
        self.shutdown.send_replace(true);
    }

    pub(crate) fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    /// Registers a stream's counters; returns the number of viewers now open.
    pub(crate) fn stream_opened(&self, counters: &Arc<Counters>) -> usize {
        let mut streams = lock(&self.streams);
        streams.retain(|s| s.strong_count() > 0);
        streams.push(Arc::downgrade(counters));
        self.viewers.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub(crate) fn stream_closed(&self) {
        self.viewers.fetch_sub(1, Ordering::Relaxed);
    }

    /// The number of open streams.
    pub(crate) fn viewers(&self) -> usize {
        self.viewers.load(Ordering::Relaxed)
    }

    pub(crate) fn stream_stats(&self) -> Vec<StreamStats> {
        lock(&self.streams).iter().filter_map(Weak::upgrade).map(|c| c.snapshot()).collect()
    }

    /// The compression channel of the page instance `key` showing `regions`.
    pub(crate) fn channel(&self, app: &Arc<Shared>, key: String, regions: &[Arc<dyn Live>]) -> Arc<Channel> {
        let mut channels = lock(&self.channels);
        if let Some(channel) = channels.get(&key).and_then(Weak::upgrade) {
            return channel;
        }
        channels.retain(|_, channel| channel.strong_count() > 0);
        let channel = Channel::start(app, regions.to_vec(), self.encoders.clone());
        channels.insert(key, Arc::downgrade(&channel));
        channel
    }

    /// What is live now.
    pub(crate) fn live_stats(&self) -> LiveStats {
        LiveStats {
            viewers: self.viewers(),
            instances: lock(&self.instances).values().filter(|w| w.strong_count() > 0).count(),
            encoders: self.encoders.load(Ordering::Relaxed),
        }
    }

    fn forget(&self, key: &Key) {
        let mut instances = lock(&self.instances);
        if instances.get(key).is_some_and(|w| w.strong_count() == 0) {
            instances.remove(key);
        }
    }
}

/// The instance of region `R` for `ctx`'s parameters, created (with its first render) if no
/// viewer holds it yet.
pub(crate) fn open<R: Region>(ctx: &Ctx) -> Result<Arc<dyn Live>> {
    let hub = &ctx.app.hub;
    let key: Key = (R::ID, ctx.params_key());
    if let Some(live) = lock(&hub.instances).get(&key).and_then(Weak::upgrade) {
        return Ok(live);
    }
    // Subscribe before the first read, so a publish between the read and the subscription
    // cannot be missed.
    let subscription = ctx.bus.subscribe(R::TOPICS);
    let store = sequenced(ctx);
    let seq = store.committed();
    let model = R::model(ctx)?;
    let frame = render::<R>(&model, 1, seq);
    let instance = Arc::new(Instance::<R> {
        ctx: ctx.clone(),
        key: key.clone(),
        model: Mutex::new(model),
        frames: watch::channel(Arc::new(frame)).0,
        verified: Mutex::new((1, seq)),
        latest: subscription.latest(),
        store,
        task: OnceLock::new(),
    });
    let task = tokio::spawn(refresh_loop(Arc::downgrade(&instance), subscription));
    let _ = instance.task.set(task.abort_handle());

    let mut instances = lock(&hub.instances);
    if let Some(existing) = instances.get(&key).and_then(Weak::upgrade) {
        // Another viewer created it meanwhile; ours is dropped (and its task stopped).
        return Ok(existing);
    }
    let live: Arc<dyn Live> = instance;
    instances.insert(key, Arc::downgrade(&live));
    Ok(live)
}

/// The store whose commit sequence a region instance's frames are numbered in: the tenant's,
/// for an instance bound to a tenant (under db-per-tenant its commits are numbered in its own
/// file and published on its own bus, which the instance subscribes to), the app's otherwise.
fn sequenced(ctx: &Ctx) -> Store {
    if ctx.tenant_key().is_some()
        && let Ok(tenant) = ctx.tenant()
    {
        return tenant.unscoped().clone();
    }
    ctx.store.clone()
}

struct Instance<R: Region> {
    ctx: Ctx,
    key: Key,
    model: Mutex<R::Model>,
    frames: watch::Sender<Arc<Frame>>,
    /// The version of the newest frame, and the commit through which a re-read confirmed it.
    verified: Mutex<(u64, Seq)>,
    /// The newest commit sequence delivered to the instance's subscription.
    latest: Latest,
    /// See [`sequenced`].
    store: Store,
    task: OnceLock<AbortHandle>,
}

impl<R: Region> Instance<R> {
    /// Re-reads the model; renders and publishes a frame only when it changed.
    fn refresh(&self) {
        // Read before the model: the model then shows at least every commit up to it, the one
        // whose publish woke this refresh included.
        let seq = self.store.committed();
        let model = match R::model(&self.ctx) {
            Ok(model) => model,
            Err(error) => {
                tracing::error!(region = R::ID, ?error, "region model failed; viewers keep the last render");
                return;
            }
        };
        let mut current = lock(&self.model);
        if *current == model {
            tracing::debug!(region = R::ID, "model unchanged");
            let mut verified = lock(&self.verified);
            verified.1 = verified.1.max(seq);
            return;
        }
        tracing::debug!(region = R::ID, "model changed");
        let version = self.frames.borrow().version + 1;
        let frame = render::<R>(&model, version, seq);
        *current = model;
        self.frames.send_replace(Arc::new(frame));
        *lock(&self.verified) = (version, seq);
    }
}

impl<R: Region> Live for Instance<R> {
    fn id(&self) -> &'static str {
        R::ID
    }

    fn frames(&self) -> watch::Receiver<Arc<Frame>> {
        self.frames.subscribe()
    }

    fn current(&self) -> Arc<Frame> {
        self.frames.borrow().clone()
    }

    fn current_through(&self, frame: &Frame) -> Seq {
        // In this order: the writer publishes a commit's topics before it advances
        // `Store::seq`, so a commit up to `published` that touched this region is in `latest`.
        let published = self.store.seq();
        let latest = self.latest.get();
        let verified = {
            let (version, seq) = *lock(&self.verified);
            if version == frame.version { seq.max(frame.seq) } else { frame.seq }
        };
        match latest {
            // Nothing delivered after the state the frame shows: current up to now.
            Some(latest) if latest <= verified => published.max(verified),
            // A change not re-read yet, or a publish of unknown sequence.
            _ => verified,
        }
    }

    fn changed_since(&self, since: Seq) -> bool {
        self.store.changed_since(R::TOPICS, since).unwrap_or_else(|error| {
            tracing::error!(region = R::ID, ?error, "reading the commit sequence failed; sending a full render");
            true
        })
    }
}

impl<R: Region> Drop for Instance<R> {
    fn drop(&mut self) {
        if let Some(task) = self.task.get() {
            task.abort();
        }
        self.ctx.app.hub.forget(&self.key);
    }
}

async fn refresh_loop<R: Region>(instance: Weak<Instance<R>>, mut subscription: Subscription) {
    loop {
        subscription.changed().await;
        tracing::debug!(region = R::ID, "publish received");
        let Some(instance) = instance.upgrade() else {
            return;
        };
        // The model reads SQLite synchronously: keep it off the async workers. Publishes that
        // arrive meanwhile coalesce into the next round.
        if let Err(error) = tokio::task::spawn_blocking(move || instance.refresh()).await {
            tracing::error!(region = R::ID, %error, "region refresh panicked; viewers keep the last render");
        }
    }
}

fn render<R: Region>(model: &R::Model, version: u64, seq: Seq) -> Frame {
    let view = R::view(model).into_string();
    let html = format!("<div id=\"{}\">{view}</div>", R::ID);
    let patch = Event::patch_elements(html.as_str());
    let event_without_id = Bytes::from(encode::to_bytes(&patch));
    let event = Bytes::from(encode::to_bytes(&patch.with_id(seq.to_string())));
    Frame { version, seq, html, event, event_without_id }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
