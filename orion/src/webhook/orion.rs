//! [`Orion`]: deliveries signed by orion's own [outbound webhooks](super::outbound)
//! (`Orion-Signature`, Stripe's scheme).

use std::time::SystemTime;

use bytes::Bytes;
use http::HeaderMap;

use super::outbound::SIGNATURE_HEADER;
use super::stripe::verify_timestamped;
use super::verify::{Event, Rejected, Verify};

/// Verifies webhooks sent by an orion app's [`Outbound`](super::outbound) with the signing
/// secret it was given: an orion app receiving another's events.
///
/// `Orion-Signature` reads `t=<unix seconds>,v1=<hex>`, the HMAC-SHA256 of `"{t}.{body}"`,
/// exactly like Stripe's header (so any Stripe-style verifier accepts it too). The timestamp
/// may be at most [`STRIPE_TOLERANCE`](super::STRIPE_TOLERANCE) old. The event's id and type
/// are the body's `id` (the delivery id, also sent as `Orion-Delivery`, the same on every
/// retry) and `type`; they are read from the signed body, not from the unsigned headers, so a
/// replayed delivery cannot pass itself off as a new one.
#[derive(Clone)]
pub struct Orion {
    secret: Vec<u8>,
}

impl Orion {
    /// A verifier for deliveries signed with `secret`.
    pub fn new(secret: &str) -> Orion {
        Orion { secret: secret.as_bytes().to_vec() }
    }
}

impl std::fmt::Debug for Orion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Orion { secret: .. }")
    }
}

impl Verify for Orion {
    fn verify(&self, headers: &HeaderMap, body: &Bytes, now: SystemTime) -> Result<Event, Rejected> {
        verify_timestamped(&self.secret, SIGNATURE_HEADER, "orion", headers, body, now)
    }
}
