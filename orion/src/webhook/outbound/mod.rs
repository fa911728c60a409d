//! Outbound webhooks: deliver the app's events to its subscribers' URLs, signed, through the
//! [jobs](crate::jobs) system, with retries, a dead-letter view and a guard against
//! server-side request forgery.
//!
//! # The loop
//!
//! ```text
//! command: tx ─ UPDATE orders ─ outbound::enqueue(tx, &Delivery::new(url, "order.paid", &data)?) ─ COMMIT
//!                                         │ (a job of kind KIND, committed with the write)
//! runner:  Outbound::handler → resolve the host once → refuse private addresses → connect to a
//!          checked address → POST the signed envelope → 2xx: done │ else: back off, retry … → dead
//! ```
//!
//! - **An outbox.** [`enqueue`] is [`jobs::enqueue`](crate::jobs::enqueue) of a [`Delivery`]
//!   in the caller's transaction: a write that rolls back sends nothing, and a committed one
//!   is sent even if the process dies right after the commit.
//! - **What the receiver gets.** A `POST` of the JSON envelope
//!   `{"id":"dlv_…","type":"order.paid","created":1763740800,"data":{…}}` with
//!   `Content-Type: application/json`, `Orion-Delivery: dlv_…` (the same on every retry: dedupe
//!   by it), `Orion-Event: order.paid` and `Orion-Signature: t=…,v1=…`.
//! - **The signature** is Stripe's scheme byte for byte: `v1` is the hex HMAC-SHA256 of
//!   `"{t}.{body}"` under the signing secret, `t` the Unix time of the attempt. A receiver
//!   verifies it with [`webhook::Orion`](super::Orion) (an orion app), with a Stripe library
//!   given the header's value, or by hand: compute the HMAC over the raw body, compare in
//!   constant time, refuse a `t` older than five minutes, and dedupe by the envelope's `id`
//!   (which the signature covers, unlike the headers).
//! - **Retries.** A 2xx is delivered. Any other status (3xx included: redirects are not
//!   followed), a timeout or a connection failure fails the attempt, retried after the jobs'
//!   exponential backoff with jitter ([`JobsOptions::retry`](crate::jobs::JobsOptions)) until
//!   the last attempt, then the delivery is **dead**. A refused address fails for good at once
//!   ([`jobs::permanent`](crate::jobs::permanent)). Delivery is at least once: a crash after
//!   the receiver's 2xx and before the job is marked done sends it again.
//! - **Dead letters.** [`dead`] lists the dead deliveries (URL, event, attempts, last error);
//!   [`requeue`] sends one again with fresh attempts and the same id.
//! - **The guard.** Before each attempt the host is resolved once and every address is
//!   checked ([`forbidden`]): loopback, private, link-local (cloud metadata), carrier-grade NAT,
//!   unique-local, multicast, broadcast, unspecified and reserved addresses, and their
//!   IPv6-mapped forms, are refused unless listed in `OutboundOptions::allow`; the
//!   connection goes to a checked address, never to a second lookup. Timeouts
//!   (`OutboundOptions::connect_timeout`, `OutboundOptions::timeout`) and a cap on how much
//!   of a failed answer is read (`OutboundOptions::max_response_bytes`) bound each attempt.
//!
//! # Example
//!
//! The command enqueues, in its own transaction (this part needs no feature):
//!
//! ```
//! use orion::webhook::outbound::{self, Delivery};
//! use orion::{Ctx, Reply, Result, command};
//!
//! #[derive(serde::Serialize)]
//! struct OrderPaid {
//!     order: i64,
//! }
//!
//! #[command("/orders/{id}/pay")]
//! async fn pay(ctx: Ctx, id: i64) -> Result<Reply> {
//!     ctx.store
//!         .write(move |tx| {
//!             tx.execute("UPDATE orders SET paid = 1 WHERE id = ?1", [id])?;
//!             let subscribers: Vec<(String,)> = tx.query("SELECT url FROM subscribers", ())?;
//!             for (url,) in subscribers {
//!                 // Sent only if this transaction commits.
//!                 outbound::enqueue(tx, &Delivery::new(&url, "order.paid", &OrderPaid { order: id })?)?;
//!             }
//!             tx.publish("orders");
//!             Ok(())
//!         })
//!         .await?;
//!     Ok(Reply::new())
//! }
//! ```
//!
//! and the job runner sends them with an `Outbound` (feature `outbound`), whose handler is
//! registered for [`KIND`] like any other job's:
//! `Jobs::new(&store).handle(outbound::KIND, Outbound::new(&secret).handler())` (the
//! `Outbound` docs show it whole).
//!
//! # Features
//!
//! [`Delivery`], [`enqueue`], [`dead`], [`requeue`] and [`forbidden`] are always there: a
//! process that only enqueues (or only shows the dead letters) needs no HTTP client. The
//! sender, `Outbound` and `OutboundOptions`, is behind the `outbound` feature: it brings
//! hyper-util's client, hyper-rustls and rustls (with ring).
//!
//! # Layout
//!
//! `delivery.rs` ([`Delivery`], [`enqueue`]), `target.rs` (checking a subscriber URL),
//! `dead.rs` (the dead-letter view), `address.rs` (the classifier, [`forbidden`]); with
//! `outbound`: `sender.rs` (`Outbound`, one attempt), `resolve.rs` (resolve once, check,
//! connect to what was checked), `sign.rs` (the signature), `failure.rs` (why an attempt
//! failed), `options.rs` (`OutboundOptions`).

mod address;
mod dead;
mod delivery;
#[cfg(feature = "outbound")]
mod failure;
#[cfg(feature = "outbound")]
mod options;
#[cfg(feature = "outbound")]
mod resolve;
#[cfg(feature = "outbound")]
mod sender;
#[cfg(feature = "outbound")]
mod sign;
mod target;

pub use self::address::{Forbidden, forbidden};
pub use self::dead::{DeadDelivery, dead, requeue};
pub use self::delivery::{Delivery, enqueue};
#[cfg(feature = "outbound")]
pub use self::options::OutboundOptions;
#[cfg(feature = "outbound")]
pub use self::sender::Outbound;

/// The job kind of a delivery: the runner that sends them registers `Outbound::handler` for
/// it.
pub const KIND: &str = "orion.webhook";

/// The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "{t}.{body}">`.
pub const SIGNATURE_HEADER: &str = "orion-signature";

/// The delivery id header: the envelope's `id`, the same on every retry.
pub const DELIVERY_HEADER: &str = "orion-delivery";

/// The event type header: the envelope's `type`.
pub const EVENT_HEADER: &str = "orion-event";
