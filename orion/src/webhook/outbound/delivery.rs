//! [`Delivery`]: one event for one subscriber URL — what its job stores and what the receiver
//! gets — and [`enqueue`], the outbox insert.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use super::KIND;
use super::target::Target;
use crate::jobs::{self, JobId};
use crate::store::Tx;
use crate::{Error, Result};

/// One event for one subscriber: the payload of its job (a storage format, hence
/// `Serialize`), and the source of the body the receiver gets.
///
/// The receiver gets [`body`](Delivery::body), the JSON envelope
/// `{"id": …, "type": …, "created": …, "data": …}`, signed. Make one with
/// [`new`](Delivery::new), which gives it a fresh id, and hand it to [`enqueue`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Delivery {
    /// `dlv_` and 32 random hex digits. The same on every attempt and after a re-queue, so
    /// receivers dedupe by it (it is the envelope's `id` and the `Orion-Delivery` header).
    pub id: String,
    /// Where it goes: an absolute `https` (or `http`) URL.
    pub url: String,
    /// The event's type, such as `order.paid` (the envelope's `type`, the `Orion-Event`
    /// header).
    pub event: String,
    /// When the event happened, in Unix seconds (the envelope's `created`).
    pub created: u64,
    /// The event's data as JSON text, sent verbatim as the envelope's `data`.
    pub data: String,
}

impl Delivery {
    /// A delivery of the event `event` with `data` (written as JSON) to `url`, with a fresh id.
    ///
    /// Fails with a 400 ([`Error::bad_request`], the message says what to fix) if `url` is not
    /// an absolute `http`/`https` URL with a host and no credentials, or if `event` is empty.
    /// Addresses are not checked here but before each attempt, after DNS resolution.
    pub fn new(url: &str, event: &str, data: &impl Serialize) -> Result<Delivery> {
        let data = serde_json::to_string(data).map_err(|error| {
            Error::internal(format!(
                "the data of a `{event}` webhook cannot be written as JSON: {error}: send plain data \
                 (a struct deriving `Serialize`, with string keys)"
            ))
            .with_source(error)
        })?;
        let created = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs());
        let delivery = Delivery { id: new_id()?, url: url.to_owned(), event: event.to_owned(), created, data };
        delivery.check()?;
        Ok(delivery)
    }

    /// The body the receiver gets: `{"id":…,"type":…,"created":…,"data":…}`, with `data`
    /// verbatim. The same bytes on every attempt; the signature covers them.
    pub fn body(&self) -> String {
        // Both are plain strings; writing a string as JSON cannot fail.
        let id = serde_json::to_string(&self.id).unwrap_or_default();
        let event = serde_json::to_string(&self.event).unwrap_or_default();
        format!(r#"{{"id":{id},"type":{event},"created":{},"data":{}}}"#, self.created, self.data)
    }

    /// Checks what [`new`](Delivery::new) promises, for a delivery made by hand or read back
    /// from a stored payload; returns its URL, split.
    pub(crate) fn check(&self) -> Result<Target> {
        if self.id.is_empty() {
            return Err(Error::bad_request("a webhook delivery needs an id: make it with `Delivery::new`"));
        }
        if self.event.is_empty() || !self.event.bytes().all(|byte| byte.is_ascii_graphic()) {
            return Err(Error::bad_request(format!(
                "the webhook delivery to `{}` has the event type `{}`: name it with printable ASCII and no \
                 spaces, such as `\"order.paid\"` (it is sent in the `Orion-Event` header)",
                self.url, self.event
            )));
        }
        if !self.id.bytes().all(|byte| byte.is_ascii_graphic()) {
            return Err(Error::bad_request(format!(
                "the webhook delivery id `{}` is not printable ASCII: make the delivery with `Delivery::new`",
                self.id
            )));
        }
        if let Err(error) = serde_json::from_str::<IgnoredAny>(&self.data) {
            return Err(Error::bad_request(format!(
                "the data of the `{}` webhook is not JSON ({error}): make the delivery with `Delivery::new`",
                self.event
            )));
        }
        Target::parse(&self.url)
    }
}

/// Enqueues `delivery` in `tx`: a job of kind [`KIND`] that an
/// `Outbound` runner (feature `outbound`) sends. Returns the job's id, for
/// [`jobs::get`] or your own table.
///
/// It is the jobs outbox: the delivery exists once `tx` commits, and not at all if it rolls
/// back, so an event is sent only for a write that happened. Fails (and the caller's
/// transaction with it) if the delivery does not pass [`Delivery::new`]'s checks.
///
/// ```
/// use orion::store::Tx;
/// use orion::webhook::outbound::{self, Delivery};
///
/// #[derive(serde::Serialize)]
/// struct OrderPaid {
///     order: i64,
/// }
///
/// fn pay(tx: &Tx<'_>, order: i64) -> orion::Result<()> {
///     tx.execute("UPDATE orders SET paid = 1 WHERE id = ?1", [order])?;
///     // One delivery per subscriber, each with its own id.
///     let urls: Vec<(String,)> = tx.query("SELECT url FROM subscribers", ())?;
///     for (url,) in urls {
///         outbound::enqueue(tx, &Delivery::new(&url, "order.paid", &OrderPaid { order })?)?;
///     }
///     Ok(())
/// }
/// ```
pub fn enqueue(tx: &Tx<'_>, delivery: &Delivery) -> Result<JobId> {
    delivery.check()?;
    jobs::enqueue(tx, KIND, delivery)
}

/// `dlv_` and 128 random bits in hex.
fn new_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|error| {
        Error::internal(format!("the operating system gave no randomness for a delivery id: {error}"))
    })?;
    let mut id = String::with_capacity(36);
    id.push_str("dlv_");
    for byte in bytes {
        id.push_str(&format!("{byte:02x}"));
    }
    Ok(id)
}
