//! [`Stripe`]: the `Stripe-Signature` scheme (HMAC-SHA256 over `"{t}.{body}"`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::HeaderMap;
use serde::Deserialize;

use super::verify::{Event, Rejected, Verify, header, hmac_sha256_matches};

/// How old a signature's timestamp may be: five minutes, as Stripe's own libraries allow.
pub const STRIPE_TOLERANCE: Duration = Duration::from_secs(300);

const SIGNATURE_HEADER: &str = "stripe-signature";

/// Verifies Stripe webhooks with an endpoint's signing secret (`whsec_…`).
///
/// The `Stripe-Signature` header reads `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`. Each `v1` is
/// the HMAC-SHA256 of `"{t}.{body}"`; any one matching is enough (while a secret is being
/// rolled, Stripe signs with the old and the new one). The timestamp may be at most
/// [`STRIPE_TOLERANCE`] old, so a captured delivery cannot be replayed later. The event's id
/// and type are the body's `id` and `type`.
#[derive(Clone)]
pub struct Stripe {
    secret: Vec<u8>,
}

impl Stripe {
    /// A verifier for the endpoint whose signing secret is `secret`.
    pub fn new(secret: &str) -> Stripe {
        Stripe { secret: secret.as_bytes().to_vec() }
    }
}

impl std::fmt::Debug for Stripe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stripe { secret: .. }")
    }
}

/// The part of a Stripe event this verifier reads (a wire format, hence `Deserialize`).
#[derive(Deserialize)]
struct Envelope {
    id: String,
    #[serde(rename = "type", default)]
    kind: String,
}

impl Verify for Stripe {
    fn verify(&self, headers: &HeaderMap, body: &Bytes, now: SystemTime) -> Result<Event, Rejected> {
        verify_timestamped(&self.secret, SIGNATURE_HEADER, "stripe", headers, body, now)
    }
}

/// Stripe's scheme under the header `name`: a `t=…,v1=…` signature over `"{t}.{body}"`, at
/// most [`STRIPE_TOLERANCE`] old, and the event named by the body's `id` and `type`. orion's
/// own outbound webhooks sign the same way ([`Orion`](super::Orion)).
pub(super) fn verify_timestamped(
    secret: &[u8],
    name: &'static str,
    provider: &'static str,
    headers: &HeaderMap,
    body: &Bytes,
    now: SystemTime,
) -> Result<Event, Rejected> {
    let value = header(headers, name)?;
    let malformed = || Rejected::MalformedHeader(name);
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for item in value.split(',') {
        let (name, value) = item.trim().split_once('=').ok_or_else(malformed)?;
        match name {
            "t" if timestamp.is_none() => timestamp = Some(value.parse::<u64>().map_err(|_| malformed())?),
            "t" => return Err(malformed()),
            "v1" => signatures.push(value),
            // Other schemes (`v0`, test-mode signatures) are not trusted.
            _ => {}
        }
    }
    let (Some(timestamp), false) = (timestamp, signatures.is_empty()) else {
        return Err(malformed());
    };
    let signed_at = timestamp.to_string();
    if !hmac_sha256_matches(secret, &[signed_at.as_bytes(), b".", body], &signatures) {
        return Err(Rejected::SignatureMismatch);
    }
    let age = now.duration_since(UNIX_EPOCH + Duration::from_secs(timestamp)).unwrap_or_default();
    if age > STRIPE_TOLERANCE {
        return Err(Rejected::Stale { age, tolerance: STRIPE_TOLERANCE });
    }
    let envelope: Envelope = serde_json::from_slice(body).map_err(|_| Rejected::MissingEventId("id"))?;
    Ok(Event { provider, id: envelope.id, kind: envelope.kind, body: body.clone() })
}
