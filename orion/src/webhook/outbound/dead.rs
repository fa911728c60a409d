//! The dead-letter view of deliveries: [`dead`] lists the ones that failed for good,
//! [`requeue`] sends one again.
//!
//! A delivery is dead once its job used up its attempts (the receiver kept failing) or failed
//! for a reason no retry can fix (a refused address). It stays in orion's jobs table with its
//! last error until re-queued. A page shows [`dead`] in a region subscribed to
//! [`jobs::TOPIC`] (every change of a job's state publishes it) and offers a button whose
//! command calls [`requeue`].

use std::time::SystemTime;

use super::{Delivery, KIND};
use crate::Result;
use crate::jobs::{self, JobId, State};
use crate::store::{Sql, Tx};

/// A delivery that failed for good: what it was, how often it was tried and why it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadDelivery {
    /// Its job, to [`requeue`].
    pub job: JobId,
    /// The delivery: its id, URL, event type and data. Empty fields if its stored payload no
    /// longer reads as a delivery (then `last_error` says so).
    pub delivery: Delivery,
    /// The attempts made since it was enqueued (or last re-queued).
    pub attempts: u32,
    /// Why the last attempt failed: the status and the start of the body the receiver
    /// answered, a timeout, or the refused address and why it was refused.
    pub last_error: String,
    /// When it died.
    pub died_at: Option<SystemTime>,
}

/// Up to `limit` dead deliveries, oldest first. Takes `&impl Sql`, so it runs in a region's
/// model, on a snapshot or inside a write.
///
/// ```
/// use orion::store::Sql;
/// use orion::webhook::outbound;
///
/// fn failing(db: &impl Sql) -> orion::Result<Vec<String>> {
///     let dead = outbound::dead(db, 50)?;
///     Ok(dead.iter().map(|d| format!("{} to {}: {}", d.delivery.event, d.delivery.url, d.last_error)).collect())
/// }
/// ```
pub fn dead(db: &impl Sql, limit: u32) -> Result<Vec<DeadDelivery>> {
    let records = jobs::list_of(db, KIND, State::Dead, limit)?;
    Ok(records
        .into_iter()
        .map(|record| DeadDelivery {
            job: record.id,
            delivery: serde_json::from_str(&record.payload).unwrap_or_default(),
            attempts: record.attempts,
            last_error: record.last_error.unwrap_or_default(),
            died_at: record.finished_at,
        })
        .collect())
}

/// Queues dead delivery `job` again, to be sent now with a fresh set of attempts and the same
/// delivery id (so a receiver that did get it after all can tell). Returns `false`, changing
/// nothing, unless `job` is a dead delivery.
///
/// Like [`enqueue`](super::enqueue), it takes the caller's transaction.
pub fn requeue(tx: &Tx<'_>, job: JobId) -> Result<bool> {
    match jobs::get(tx, job)? {
        Some(record) if record.kind == KIND => jobs::requeue(tx, job),
        _ => Ok(false),
    }
}
