//! The bus: `publish(topic)` and `subscribe(topics)`, in-process.
//!
//! A publish carries no state. It only says "something under this topic changed, re-read the
//! store", so a subscriber that is told twice before it looks loses nothing by being told once:
//! deliveries to one subscription coalesce. That is what lets a slow region skip to the newest
//! truth instead of working through a backlog.
//!
//! Publishes made inside a store transaction are not sent here directly: the store holds them
//! and publishes after the commit (see [`Tx::publish`](crate::store::Tx::publish)), so a
//! subscriber never re-reads a state older than the write that woke it.
//!
//! # The commit sequence
//!
//! The store publishes a commit's topics with [`Bus::publish_at`], which carries the commit's
//! [`Seq`]. A subscription remembers the newest one it was told about
//! ([`Subscription::seq`]); a publish without a sequence ([`Bus::publish`], from code outside a
//! transaction) makes that unknown from then on. Live regions use it to know whether the state
//! a viewer holds may be older than a change they have not re-read yet (see
//! [`crate::region`](mod@crate::region)).
//!
//! # Other processes
//!
//! A cross-process adapter (Redis, NATS) will forward local publishes to other processes and feed
//! theirs into [`Bus::publish_local`], sequence included; feature code keeps calling
//! [`Bus::publish`] unchanged. Processes that share a database file share its sequence, so a
//! commit's [`Seq`] means the same everywhere.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::Notify;

use crate::store::Seq;

/// What [`Slot::seq`] holds after a publish without a sequence: "unknown", newer than any.
const UNKNOWN: u64 = u64::MAX;

/// The in-process publish/subscribe hub. Cheap to clone; clones share subscribers.
#[derive(Clone, Default)]
pub struct Bus {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    topics: Mutex<HashMap<Box<str>, Vec<Weak<Slot>>>>,
}

/// One subscriber's mailbox: a stored wake-up, coalescing every publish since the last look.
#[derive(Default)]
struct Slot {
    notify: Notify,
    /// The newest sequence delivered (0: none yet, [`UNKNOWN`]: a publish without one came).
    seq: Arc<AtomicU64>,
}

/// A subscription to one or more topics; see [`Bus::subscribe`].
///
/// Dropping it unsubscribes.
pub struct Subscription {
    slot: Arc<Slot>,
    topics: Vec<Box<str>>,
}

impl Bus {
    /// A new, empty in-process bus.
    pub fn new() -> Bus {
        Bus::default()
    }

    /// Tells every subscriber of `topic` that something under it changed.
    ///
    /// Never blocks and never fails: a publish with no subscriber is a no-op. Inside a write,
    /// use [`Tx::publish`](crate::store::Tx::publish) instead: it is delivered after the
    /// commit, with the commit's sequence.
    pub fn publish(&self, topic: &str) {
        self.publish_local(topic, None);
    }

    /// Tells every subscriber of `topic` that it changed in the commit `seq` (what the store's
    /// writer calls after a commit).
    pub fn publish_at(&self, topic: &str, seq: Seq) {
        self.publish_local(topic, Some(seq));
    }

    /// Delivers a publish to this process's subscribers only (the entry point for messages
    /// arriving from other processes through a cross-process adapter): `topic` changed, in
    /// the commit `seq` when it came from one.
    pub fn publish_local(&self, topic: &str, seq: Option<Seq>) {
        self.deliver(&[topic], seq, || {});
    }

    /// Delivers a commit's publishes in two steps: every subscription of `topics` learns `seq`,
    /// then `learned` runs (the store marks the commit as published), then the subscribers are
    /// woken. A subscriber woken by a commit thus sees the commit published, and whoever sees it
    /// published finds it in every subscription it concerns.
    pub(crate) fn publish_commit(&self, seq: Seq, topics: &[&str], learned: impl FnOnce()) {
        self.deliver(topics, Some(seq), learned);
    }

    fn deliver(&self, topics: &[&str], seq: Option<Seq>, learned: impl FnOnce()) {
        let seq = seq.map_or(UNKNOWN, Seq::get);
        let mut map = self.inner.topics.lock().unwrap_or_else(|e| e.into_inner());
        for topic in topics {
            for slot in map.get(*topic).into_iter().flatten().filter_map(Weak::upgrade) {
                slot.seq.fetch_max(seq, Ordering::SeqCst);
            }
        }
        learned();
        for topic in topics {
            let Some(slots) = map.get_mut(*topic) else {
                continue;
            };
            slots.retain(|slot| match slot.upgrade() {
                Some(slot) => {
                    slot.notify.notify_one();
                    true
                }
                None => false,
            });
            if slots.is_empty() {
                map.remove(*topic);
            }
        }
    }

    /// Subscribes to every topic in `topics` through one mailbox.
    pub fn subscribe(&self, topics: &[&str]) -> Subscription {
        let slot = Arc::new(Slot::default());
        let mut map = self.inner.topics.lock().unwrap_or_else(|e| e.into_inner());
        for topic in topics {
            map.entry((*topic).into()).or_default().push(Arc::downgrade(&slot));
        }
        Subscription { slot, topics: topics.iter().map(|t| (*t).into()).collect() }
    }

    /// The number of live subscriptions to `topic` (for tests and the dashboard).
    pub fn subscribers(&self, topic: &str) -> usize {
        let topics = self.inner.topics.lock().unwrap_or_else(|e| e.into_inner());
        topics.get(topic).map_or(0, |slots| slots.iter().filter(|s| s.strong_count() > 0).count())
    }
}

impl Subscription {
    /// Waits until one of the topics was published since the last call (or since subscribing).
    ///
    /// Several publishes before this is called are reported once.
    pub async fn changed(&mut self) {
        self.slot.notify.notified().await;
    }

    /// Whether one of the topics was published since the last look, without waiting.
    ///
    /// Like [`changed`](Subscription::changed), a `true` consumes the pending wake-up.
    pub fn try_changed(&mut self) -> bool {
        let notified = std::pin::pin!(self.slot.notify.notified());
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        notified.poll(&mut cx).is_ready()
    }

    /// The topics this subscription listens to.
    pub fn topics(&self) -> impl Iterator<Item = &str> {
        self.topics.iter().map(|t| &**t)
    }

    /// The newest commit sequence among the publishes delivered so far: `Some(Seq::ZERO)`
    /// before any, `None` once a publish without a sequence came (from then on, which commit
    /// the subscriber's topics last changed in is unknown).
    ///
    /// It is updated before the subscriber is woken, and does not depend on
    /// [`changed`](Subscription::changed) having been called.
    pub fn seq(&self) -> Option<Seq> {
        self.latest().get()
    }

    /// A handle on [`seq`](Subscription::seq) that can be read by someone else than the
    /// subscription's owner.
    pub(crate) fn latest(&self) -> Latest {
        Latest(self.slot.seq.clone())
    }
}

/// Reads a subscription's newest sequence without holding the subscription (a region keeps one
/// while its refresh task owns the subscription).
#[derive(Debug, Clone)]
pub(crate) struct Latest(Arc<AtomicU64>);

impl Latest {
    /// See [`Subscription::seq`].
    pub(crate) fn get(&self) -> Option<Seq> {
        match self.0.load(Ordering::SeqCst) {
            UNKNOWN => None,
            seq => Some(Seq::new(seq)),
        }
    }
}

impl fmt::Debug for Bus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let topics = self.inner.topics.lock().unwrap_or_else(|e| e.into_inner());
        f.debug_struct("Bus").field("topics", &topics.len()).finish()
    }
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription").field("topics", &self.topics).finish()
    }
}

#[cfg(test)]
mod tests;
