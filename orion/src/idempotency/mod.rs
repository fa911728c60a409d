//! The idempotency kernel: run an effect at most once per key, however often it is asked.
//!
//! The web is at-least-once: a provider re-delivers a webhook until it gets a 2xx, a user
//! double-clicks Pay, a flaky network retries a POST. [`Idempotency::once`] turns those
//! repeats into one run of the effect and a replay of its result for everyone else:
//!
//! - **The claim is one statement**: `INSERT … ON CONFLICT (key) DO NOTHING` into the table
//!   `_orion_idempotency` (created by [`Idempotency::new`]). No window between "is it taken?"
//!   and "take it", in this process or another sharing the database file.
//! - **Single flight in a process**: concurrent calls with the same key share the first one's
//!   run ([`Outcome::Joined`]) instead of being refused.
//! - **Another process racing the key** finds its claim and gets [`OnceError::InFlight`]
//!   (HTTP 409); its retry, once the effect has finished, gets the stored result.
//! - **A completed key replays** the stored bytes ([`Outcome::Replayed`]) for
//!   [`IdempotencyOptions::retention`], then is forgotten.
//! - **The same key with another payload** (compared by SHA-256) is refused with
//!   [`OnceError::PayloadMismatch`] (HTTP 422): a key names one request, never two.
//! - **A dead claim is released**: a running effect renews its claim's lease; if its process
//!   dies, the key answers 409 until [`IdempotencyOptions::lease`] has passed, then the next
//!   call runs the effect again.
//! - **A failed effect did not happen**: an effect that returns `Err` releases its key, and the
//!   next call runs it again. Only results are stored.
//!
//! ```no_run
//! use orion::idempotency::{Idempotency, IdempotencyOptions};
//!
//! # async fn charge(_cents: i64) -> orion::Result<String> { Ok("ch_1".into()) }
//! # async fn example(store: orion::Store) -> anyhow::Result<()> {
//! let idempotency = Idempotency::new(&store, IdempotencyOptions::default())?;
//! let outcome = idempotency
//!     .once("order-42:charge", b"4200", || async { Ok(charge(4200).await?.into_bytes()) })
//!     .await?;
//! println!("charge id {}", String::from_utf8_lossy(outcome.result()));
//! # Ok(())
//! # }
//! ```
//!
//! # Exactly once for database effects
//!
//! [`once`](Idempotency::once) stores the result in a transaction of its own after the effect,
//! so a process that dies between the effect and that commit runs the effect again after the
//! lease: at least once, which is all an external effect (an email, a charge) can get.
//! When the effect is a database write, [`write_once`](Idempotency::write_once) runs it in
//! the very transaction that claims the key and stores the result: the write and the key
//! commit together or not at all. Webhooks dedupe this way.
//!
//! # Where it is used
//!
//! Commands accept an `Idempotency-Key` header once the app opts in with
//! [`App::idempotency`](crate::App::idempotency) (see [`command`](mod@crate::command)), and
//! [`webhook`](crate::webhook) dedupes deliveries by the provider's event id. Their keys are
//! prefixed `command:` and `webhook:`; an app's own keys should use another prefix.
//!
//! Make one `Idempotency` per store and clone it: single flight works within one value and
//! its clones (two separate values on one store behave like two processes).

mod clock;
pub(crate) mod command;
mod error;
mod flight;
mod options;
mod outcome;
pub(crate) mod response;
mod table;

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use sha2::{Digest, Sha256};
use tokio::task::JoinHandle;

pub use self::clock::{Clock, ManualClock};
pub use self::command::{IDEMPOTENCY_KEY, IDEMPOTENT_REPLAYED};
pub use self::error::OnceError;
pub use self::options::IdempotencyOptions;
pub use self::outcome::Outcome;

use self::clock::duration_millis;
use self::flight::{Flights, Landing, Lead, Turn};
use self::table::Claim;
use crate::store::{Store, Tx};
use crate::{Error, Result};

/// Runs effects at most once per key, over a [`Store`]. Cheap to clone; clones share their
/// in-process flights.
///
/// See the [module documentation](self) for the guarantees.
#[derive(Clone)]
pub struct Idempotency {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    options: IdempotencyOptions,
    /// Random, so the claims of two processes (or two `Idempotency` values) never share an
    /// owner.
    instance: String,
    claims: AtomicU64,
    flights: Flights,
}

/// How a call enters: as the leader of its key's flight, or with its answer already known.
enum Entry<'a> {
    Lead(Lead<'a>),
    Done(Result<Outcome, OnceError>),
}

impl Idempotency {
    /// An idempotency kernel over `store`; creates its table if missing (a short blocking
    /// write: call it at boot, like [`Store::migrate`]).
    pub fn new(store: &Store, options: IdempotencyOptions) -> Result<Idempotency> {
        store.transaction(table::create)?;
        let mut random = [0u8; 16];
        getrandom::fill(&mut random)
            .map_err(|error| Error::internal(format!("the operating system gave no random bytes: {error}")))?;
        let instance = random.iter().map(|byte| format!("{byte:02x}")).collect();
        Ok(Idempotency {
            inner: Arc::new(Inner {
                store: store.clone(),
                options,
                instance,
                claims: AtomicU64::new(0),
                flights: Flights::default(),
            }),
        })
    }

    /// The store keys are kept in.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The clock retention and leases are measured by (webhooks check timestamps with it too).
    pub fn clock(&self) -> &Clock {
        &self.inner.options.clock
    }

    /// Runs `effect` at most once for `key`, and returns its result to every caller of `key`.
    ///
    /// `payload` is what the key stands for (a request body, say); a later call with the same
    /// key and another payload is refused. The effect's bytes are stored once it returns `Ok`;
    /// if it returns `Err`, nothing is stored, the key is free again, and the error is
    /// returned as [`OnceError::Failed`]. Dropping the future before it finishes releases the
    /// claim too.
    pub async fn once<F, Fut>(&self, key: &str, payload: &[u8], effect: F) -> Result<Outcome, OnceError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<u8>>>,
    {
        let payload: [u8; 32] = Sha256::digest(payload).into();
        let lead = match self.enter(key, &payload).await {
            Entry::Lead(lead) => lead,
            Entry::Done(answer) => return answer,
        };
        let owner = self.owner();
        let options = &self.inner.options;
        let (clock, lease) = (options.clock.clone(), duration_millis(options.lease));
        let claim = {
            let (key, owner) = (key.to_owned(), owner.clone());
            self.inner
                .store
                .write(move |tx| {
                    let now = clock.now_millis();
                    table::claim(tx, &key, &payload, &owner, now, now.saturating_add(lease))
                })
                .await?
        };
        let known = match claim {
            Claim::Claimed => None,
            Claim::Completed(result) => Some(Landing::Replayed(result)),
            Claim::InFlight => Some(Landing::InFlight),
            Claim::Mismatch => Some(Landing::Mismatch),
        };
        if let Some(landing) = known {
            lead.land(landing.clone());
            return answer(key, landing, true);
        }
        let mut held = Held::new(self, key, owner);
        match effect().await {
            Ok(result) => {
                let result = Bytes::from(result);
                held.complete(&result).await?;
                lead.land(Landing::Ran(result.clone()));
                Ok(Outcome::Ran(result))
            }
            Err(error) => {
                held.release().await;
                drop(lead);
                Err(OnceError::Failed(error))
            }
        }
    }

    /// Like [`once`](Idempotency::once), for an effect that is a database write: `effect` runs
    /// inside the transaction that claims `key`, and its writes commit together with the
    /// stored result — exactly once, even if the process dies at any point.
    ///
    /// An `Err` from `effect` rolls everything back, its writes and the claim. Another
    /// process never sees this claim in flight (the transaction holds the file's write lock);
    /// it can still get [`OnceError::InFlight`] if a [`once`](Idempotency::once) elsewhere
    /// holds the key.
    pub async fn write_once<F>(&self, key: &str, payload: &[u8], effect: F) -> Result<Outcome, OnceError>
    where
        F: FnOnce(&Tx<'_>) -> Result<Vec<u8>> + Send + 'static,
    {
        let payload: [u8; 32] = Sha256::digest(payload).into();
        let lead = match self.enter(key, &payload).await {
            Entry::Lead(lead) => lead,
            Entry::Done(answer) => return answer,
        };
        let owner = self.owner();
        let options = &self.inner.options;
        let clock = options.clock.clone();
        let (lease, retention) = (duration_millis(options.lease), duration_millis(options.retention));
        let key_owned = key.to_owned();
        let landing = self
            .inner
            .store
            .write(move |tx| {
                let (key, now) = (key_owned, clock.now_millis());
                Ok(match table::claim(tx, &key, &payload, &owner, now, now.saturating_add(lease))? {
                    Claim::Claimed => {
                        let result = Bytes::from(effect(tx)?);
                        table::complete(tx, &key, &owner, &result, now.saturating_add(retention))?;
                        Landing::Ran(result)
                    }
                    Claim::Completed(result) => Landing::Replayed(result),
                    Claim::InFlight => Landing::InFlight,
                    Claim::Mismatch => Landing::Mismatch,
                })
            })
            .await?;
        lead.land(landing.clone());
        answer(key, landing, true)
    }

    /// Leads the flight of `key` in this process, or waits for the one in progress and takes
    /// its answer.
    async fn enter(&self, key: &str, payload: &[u8; 32]) -> Entry<'_> {
        loop {
            match self.inner.flights.enter(key, payload) {
                Turn::Lead(lead) => return Entry::Lead(lead),
                Turn::Mismatch => return Entry::Done(answer(key, Landing::Mismatch, false)),
                Turn::Follow(landing) => match flight::follow(landing).await {
                    Landing::Released => continue,
                    landing => return Entry::Done(answer(key, landing, false)),
                },
            }
        }
    }

    /// A fresh claim owner: this value's random id and a counter.
    fn owner(&self) -> String {
        format!("{}:{}", self.inner.instance, self.inner.claims.fetch_add(1, Ordering::Relaxed))
    }
}

/// The caller's answer for `landing`; `led` tells whether this call led the flight.
fn answer(key: &str, landing: Landing, led: bool) -> Result<Outcome, OnceError> {
    match landing {
        Landing::Ran(result) if led => Ok(Outcome::Ran(result)),
        Landing::Ran(result) => Ok(Outcome::Joined(result)),
        Landing::Replayed(result) => Ok(Outcome::Replayed(result)),
        Landing::Mismatch => Err(OnceError::PayloadMismatch { key: key.to_owned() }),
        // A follower never sees `Released` (it leads again instead).
        Landing::InFlight | Landing::Released => Err(OnceError::InFlight { key: key.to_owned() }),
    }
}

impl fmt::Debug for Idempotency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Idempotency")
            .field("store", &self.inner.store)
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

/// A claim this process holds while its effect runs: renewed every third of the lease, and
/// released if it is dropped before [`complete`](Held::complete) or [`release`](Held::release).
struct Held {
    store: Store,
    key: String,
    owner: String,
    retention: i64,
    clock: Clock,
    heartbeat: JoinHandle<()>,
    settled: bool,
}

impl Held {
    fn new(idempotency: &Idempotency, key: &str, owner: String) -> Held {
        let options = &idempotency.inner.options;
        let store = idempotency.inner.store.clone();
        let period = (options.lease / 3).max(Duration::from_millis(1));
        let heartbeat = {
            let (store, key, owner, clock) = (store.clone(), key.to_owned(), owner.clone(), options.clock.clone());
            let lease = duration_millis(options.lease);
            tokio::spawn(async move {
                let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
                loop {
                    ticks.tick().await;
                    let (key, owner, clock) = (key.clone(), owner.clone(), clock.clone());
                    let renewed = store
                        .write(move |tx| table::renew(tx, &key, &owner, clock.now_millis().saturating_add(lease)))
                        .await;
                    match renewed {
                        Ok(true) => {}
                        Ok(false) => return,
                        Err(error) => tracing::warn!(error = ?error, "could not renew an idempotency claim"),
                    }
                }
            })
        };
        Held {
            store,
            key: key.to_owned(),
            owner,
            retention: duration_millis(options.retention),
            clock: options.clock.clone(),
            heartbeat,
            settled: false,
        }
    }

    /// Stores `result` for the claim. A claim lost meanwhile (the process stalled past its
    /// lease and another caller took over) is logged: the effect ran twice.
    async fn complete(&mut self, result: &Bytes) -> Result<()> {
        self.heartbeat.abort();
        let (key, owner, result, clock) = (self.key.clone(), self.owner.clone(), result.clone(), self.clock.clone());
        let retention = self.retention;
        let kept = self
            .store
            .write(move |tx| table::complete(tx, &key, &owner, &result, clock.now_millis().saturating_add(retention)))
            .await?;
        self.settled = true;
        if !kept {
            tracing::warn!(
                key = %self.key,
                "an idempotency claim outlived its lease and was taken over: the effect may have run twice; \
                 raise `IdempotencyOptions::lease` above the longest stall of this process"
            );
        }
        Ok(())
    }

    /// Gives the claim up now.
    async fn release(&mut self) {
        self.heartbeat.abort();
        let (key, owner) = (self.key.clone(), self.owner.clone());
        if let Err(error) = self.store.write(move |tx| table::release(tx, &key, &owner)).await {
            tracing::warn!(error = ?error, "could not release an idempotency claim; it expires with its lease");
        }
        self.settled = true;
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.heartbeat.abort();
        if self.settled {
            return;
        }
        let (store, key, owner) = (self.store.clone(), self.key.clone(), self.owner.clone());
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(error) = store.write(move |tx| table::release(tx, &key, &owner)).await {
                    tracing::warn!(error = ?error, "could not release an idempotency claim; it expires with its lease");
                }
            });
        }
    }
}
