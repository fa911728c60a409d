//! The hub: the region instances shared by all viewers, and the live streams' bookkeeping.
//!
//! An instance is created when the first viewer (a page render or a stream) asks for it, and
//! dropped with its last viewer: its refresh task stops and its subscription ends.

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
use crate::bus::Subscription;
use crate::datastar::{Event, encode};
use crate::{Ctx, Result};

/// One render of a region instance, encoded once and shared by every viewer.
#[derive(Debug)]
pub(crate) struct Frame {
    /// Increases with every render of the instance.
    pub(crate) version: u64,
    /// The region's HTML, wrapped in its `<div id>`.
    pub(crate) html: String,
    /// The same HTML as a `datastar-patch-elements` SSE event.
    pub(crate) event: Bytes,
}

/// A live region instance, whatever its region type.
pub(crate) trait Live: Send + Sync {
    /// A receiver of the instance's frames (the current one counts as seen).
    fn frames(&self) -> watch::Receiver<Arc<Frame>>;
    /// The latest frame.
    fn current(&self) -> Arc<Frame>;
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
    let model = R::model(ctx)?;
    let frame = render::<R>(&model, 1);
    let instance = Arc::new(Instance::<R> {
        ctx: ctx.clone(),
        key: key.clone(),
        model: Mutex::new(model),
        frames: watch::channel(Arc::new(frame)).0,
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

struct Instance<R: Region> {
    ctx: Ctx,
    key: Key,
    model: Mutex<R::Model>,
    frames: watch::Sender<Arc<Frame>>,
    task: OnceLock<AbortHandle>,
}

impl<R: Region> Instance<R> {
    /// Re-reads the model; renders and publishes a frame only when it changed.
    fn refresh(&self) {
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
            return;
        }
        tracing::debug!(region = R::ID, "model changed");
        let version = self.frames.borrow().version + 1;
        let frame = render::<R>(&model, version);
        *current = model;
        self.frames.send_replace(Arc::new(frame));
    }
}

impl<R: Region> Live for Instance<R> {
    fn frames(&self) -> watch::Receiver<Arc<Frame>> {
        self.frames.subscribe()
    }

    fn current(&self) -> Arc<Frame> {
        self.frames.borrow().clone()
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

fn render<R: Region>(model: &R::Model, version: u64) -> Frame {
    let view = R::view(model).into_string();
    let html = format!("<div id=\"{}\">{view}</div>", R::ID);
    let event = encode::to_bytes(&Event::patch_elements(html.as_str()));
    Frame { version, html, event: Bytes::from(event) }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
