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
//! A cross-process adapter (Redis, NATS) will forward local publishes to other processes and feed
//! theirs into [`Bus::publish_local`]; feature code keeps calling [`Bus::publish`] unchanged.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::Notify;

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
    /// Never blocks and never fails: a publish with no subscriber is a no-op.
    pub fn publish(&self, topic: &str) {
        self.publish_local(topic);
    }

    /// Delivers a publish to this process's subscribers only (the entry point for messages
    /// arriving from other processes through a cross-process adapter).
    pub fn publish_local(&self, topic: &str) {
        let mut topics = self.inner.topics.lock().unwrap_or_else(|e| e.into_inner());
        let Some(slots) = topics.get_mut(topic) else {
            return;
        };
        slots.retain(|slot| match slot.upgrade() {
            Some(slot) => {
                slot.notify.notify_one();
                true
            }
            None => false,
        });
        if slots.is_empty() {
            topics.remove(topic);
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
