//! Single flight in one process: concurrent calls with the same key share one run.
//!
//! The first call for a key *leads*: it claims the key in the database and runs the effect.
//! Every call that arrives while it does *follows*: it waits for the leader's [`Landing`]
//! instead of claiming (which would only find the leader's claim and answer 409). A leader
//! that gives up without a result — its effect failed, or its future was dropped — lands
//! [`Landing::Released`], and its followers race to lead again.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use bytes::Bytes;
use tokio::sync::watch;

/// How a leader's call ended, as its followers see it.
#[derive(Debug, Clone)]
pub(super) enum Landing {
    /// The leader ran the effect.
    Ran(Bytes),
    /// The leader found the key completed.
    Replayed(Bytes),
    /// The leader found the key held by another process.
    InFlight,
    /// The leader found the key used with another payload.
    Mismatch,
    /// The leader gave up without a result; a follower may lead now.
    Released,
}

/// The flights in progress in this process, by key.
#[derive(Debug, Default)]
pub(super) struct Flights {
    map: Mutex<HashMap<String, Flight>>,
}

#[derive(Debug)]
struct Flight {
    payload: [u8; 32],
    landing: watch::Sender<Option<Landing>>,
}

/// What a call does about its key.
#[derive(Debug)]
pub(super) enum Turn<'a> {
    /// No call of this key is in progress: this one leads.
    Lead(Lead<'a>),
    /// A call with the same payload is in progress: wait for its landing.
    Follow(watch::Receiver<Option<Landing>>),
    /// A call with another payload is in progress.
    Mismatch,
}

impl Flights {
    /// Leads the flight of `key`, or joins the one in progress.
    pub(super) fn enter(&self, key: &str, payload: &[u8; 32]) -> Turn<'_> {
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(flight) = map.get(key) {
            if flight.payload != *payload {
                return Turn::Mismatch;
            }
            return Turn::Follow(flight.landing.subscribe());
        }
        let (landing, _) = watch::channel(None);
        map.insert(key.to_owned(), Flight { payload: *payload, landing });
        Turn::Lead(Lead { flights: self, key: key.to_owned(), landed: false })
    }

    fn land(&self, key: &str, landing: Landing) {
        let flight = self.map.lock().unwrap_or_else(PoisonError::into_inner).remove(key);
        if let Some(flight) = flight {
            flight.landing.send_replace(Some(landing));
        }
    }
}

/// The leader's turn: it must [`land`](Lead::land); dropping it lands [`Landing::Released`].
#[derive(Debug)]
pub(super) struct Lead<'a> {
    flights: &'a Flights,
    key: String,
    landed: bool,
}

impl Lead<'_> {
    /// Ends the flight: every follower gets `landing`, and the next call of the key leads anew.
    pub(super) fn land(mut self, landing: Landing) {
        self.landed = true;
        self.flights.land(&self.key, landing);
    }
}

impl Drop for Lead<'_> {
    fn drop(&mut self) {
        if !self.landed {
            self.flights.land(&self.key, Landing::Released);
        }
    }
}

/// Waits for the leader of a flight to land.
pub(super) async fn follow(mut landing: watch::Receiver<Option<Landing>>) -> Landing {
    match landing.wait_for(Option::is_some).await {
        Ok(landed) => landed.clone().unwrap_or(Landing::Released),
        Err(_) => Landing::Released,
    }
}
