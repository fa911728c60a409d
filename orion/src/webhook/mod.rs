//! Webhooks. Inbound (this module): verify the signature, dedupe by the provider's event id,
//! hand off, acknowledge. Outbound ([`outbound`]): deliver the app's own events to its
//! subscribers, signed, through the jobs system.
//!
//! A provider delivers at least once: Stripe retries until it gets a 2xx, GitHub redelivers
//! on request. A [`Webhook`] makes each event act once:
//!
//! 1. it reads the **raw body**, the exact bytes the signature covers, and checks the
//!    signature with the provider's [`Verify`] ([`Stripe`], [`GitHub`],
//!    [`Orion`] for another orion app's [outbound] deliveries), comparing in
//!    constant time. A missing or wrong signature, or a stale Stripe timestamp, is a 400
//!    ([`Rejected`]) and nothing is stored;
//! 2. it **dedupes** by the provider's event id through the
//!    [idempotency kernel](crate::idempotency), with
//!    [`write_once`](crate::idempotency::Idempotency::write_once): the app's `handle` runs in
//!    the store transaction that claims the id, so its writes and the "seen" mark commit
//!    together — a redelivery, even after a crash, never acts twice;
//! 3. `handle` **hands off**: it publishes a topic ([`Tx::publish`], delivered after the
//!    commit) or enqueues a job in the same transaction, and returns;
//! 4. it **acknowledges fast**: `200` once that transaction has committed. Heavy work belongs
//!    in the job, not in `handle`. A redelivery gets `200` at once, marked
//!    `Idempotent-Replayed: true`; an error in `handle` rolls everything back and answers
//!    500, so the provider retries.
//!
//! Webhooks are plain routes, not Datastar commands:
//!
//! ```no_run
//! use orion::idempotency::{Idempotency, IdempotencyOptions};
//! use orion::webhook::{Stripe, Webhook};
//! use orion::{App, Routes, Store};
//!
//! # fn app(store: &Store, secret: &str) -> orion::Result<App> {
//! let idempotency = Idempotency::new(store, IdempotencyOptions::default())?;
//! let stripe = Webhook::new(Stripe::new(secret), &idempotency, |tx, event| {
//!     tx.execute("INSERT INTO billing_events (id, kind) VALUES (?1, ?2)", (&event.id, &event.kind))?;
//!     tx.publish("billing");
//!     Ok(())
//! });
//! Ok(App::new(store).idempotency(&idempotency).routes(Routes::new().post("/webhooks/stripe", stripe.handler())))
//! # }
//! ```
//!
//! Deliveries are deduplicated by event id alone (keys `webhook:{provider}:{id}`): a
//! redelivery is acknowledged whatever its body, because only a correctly signed delivery
//! gets that far. Timestamps are checked with the [`Idempotency`]'s
//! [`Clock`](crate::idempotency::Clock), which tests replace.

mod github;
mod orion;
pub mod outbound;
mod stripe;
mod verify;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use http::HeaderValue;

pub use self::github::GitHub;
pub use self::orion::Orion;
pub use self::stripe::{STRIPE_TOLERANCE, Stripe};
pub use self::verify::{Event, Rejected, Verify, hmac_sha256_matches};

use crate::http::{Request, Response, respond};
use crate::idempotency::{IDEMPOTENT_REPLAYED, Idempotency};
use crate::store::Tx;
use crate::{Ctx, Result};

/// What the app does with a verified, first-seen event, inside the store transaction that
/// records it as seen.
type Handle = dyn Fn(&Tx<'_>, &Event) -> Result<()> + Send + Sync + 'static;

/// An inbound webhook endpoint: a provider's verifier, the idempotency kernel, and the app's
/// hand-off. Mount it with [`handler`](Webhook::handler) as a plain `POST` route.
pub struct Webhook {
    verify: Box<dyn Verify>,
    idempotency: Idempotency,
    handle: Arc<Handle>,
}

impl Webhook {
    /// A webhook verified by `verify`, deduplicated through `idempotency`, handed to `handle`.
    ///
    /// `handle` runs at most once per event, inside a write transaction: publish a topic or
    /// enqueue a job there. Returning `Err` rolls the transaction back (nothing is recorded,
    /// the provider gets a 500 and retries).
    pub fn new<F>(verify: impl Verify, idempotency: &Idempotency, handle: F) -> Webhook
    where
        F: Fn(&Tx<'_>, &Event) -> Result<()> + Send + Sync + 'static,
    {
        Webhook { verify: Box::new(verify), idempotency: idempotency.clone(), handle: Arc::new(handle) }
    }

    /// Answers one delivery: 400 if it is not verified, else 200 once the event is recorded
    /// (by this delivery or an earlier one).
    pub async fn receive(&self, request: &Request) -> Response {
        let now = self.idempotency.clock().now();
        let event = match self.verify.verify(request.headers(), request.body(), now) {
            Ok(event) => event,
            Err(rejected) => {
                tracing::warn!(reason = %rejected, "webhook delivery rejected");
                return rejected.into_response();
            }
        };
        let key = format!("webhook:{}:{}", event.provider, event.id);
        let handle = self.handle.clone();
        let id = event.id.clone();
        let outcome = self
            .idempotency
            .write_once(&key, id.as_bytes(), move |tx| {
                handle(tx, &event)?;
                Ok(Vec::new())
            })
            .await;
        match outcome {
            Ok(outcome) => {
                let mut response = respond::text(http::StatusCode::OK, "ok");
                if outcome.is_repeat() {
                    response.headers_mut().insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
                }
                response
            }
            Err(error) => error.into_response(),
        }
    }

    /// The route handler, for [`Routes::post`](crate::Routes::post).
    pub fn handler(self) -> impl Fn(Ctx, Request) -> Pin<Box<dyn Future<Output = Response> + Send>> + Send + Sync {
        let webhook = Arc::new(self);
        move |_ctx, request| {
            let webhook = webhook.clone();
            Box::pin(async move { webhook.receive(&request).await })
        }
    }
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook").field("idempotency", &self.idempotency).finish_non_exhaustive()
    }
}
