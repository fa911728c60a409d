//! The provider seam: [`Verify`] checks a delivery's signature and reads its [`Event`];
//! [`Rejected`] says why a delivery was refused.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use hmac::{Hmac, KeyInit, Mac};
use http::{HeaderMap, StatusCode};
use sha2::Sha256;

use crate::http::{Response, respond};

/// A verified delivery: who sent it, the provider's id for it, its type and its raw body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The provider (`"stripe"`, `"github"`); deliveries are deduplicated per provider.
    pub provider: &'static str,
    /// The provider's id of the event: the same on every re-delivery (Stripe's `evt_…`,
    /// GitHub's `X-GitHub-Delivery`).
    pub id: String,
    /// The event's type (Stripe's `type`, such as `invoice.paid`; GitHub's `X-GitHub-Event`,
    /// such as `push`); empty if the provider did not say.
    pub kind: String,
    /// The body exactly as received, which the signature covers. Parse it with `serde_json`.
    pub body: Bytes,
}

/// A webhook provider's signature scheme: [`Stripe`](super::Stripe), [`GitHub`](super::GitHub),
/// or an app's own.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not verify webhook deliveries",
    note = "use `orion::webhook::Stripe` or `orion::webhook::GitHub`, or implement `orion::webhook::Verify`"
)]
pub trait Verify: Send + Sync + 'static {
    /// Checks the signature of a delivery (its headers and its raw `body`) at time `now`, and
    /// reads the event it carries. Compare signatures with [`hmac_sha256_matches`] (constant
    /// time), never with `==`.
    fn verify(&self, headers: &HeaderMap, body: &Bytes, now: SystemTime) -> Result<Event, Rejected>;
}

/// Why a delivery was refused: always a 400, and nothing was stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejected {
    /// A header the provider always sends is missing.
    #[error("the `{0}` header is missing: is this endpoint's provider the one sending?")]
    MissingHeader(&'static str),
    /// A header is present but not in the provider's format.
    #[error("the `{0}` header is malformed: it does not follow the provider's format")]
    MalformedHeader(&'static str),
    /// No signature matches the body: a wrong secret, or a body changed on the way.
    #[error("no signature matches the body: check the endpoint's signing secret")]
    SignatureMismatch,
    /// The signature is right but was made too long ago (a replayed delivery).
    #[error("the signature's timestamp is {age:?} old, more than the {tolerance:?} allowed: check the server's clock")]
    Stale {
        /// How old the timestamp is.
        age: Duration,
        /// The most allowed.
        tolerance: Duration,
    },
    /// The signed body does not name its event.
    #[error("the signed body does not name its event: expected JSON with a string `{0}`")]
    MissingEventId(&'static str),
}

impl Rejected {
    /// The HTTP status: always 400.
    pub fn status(&self) -> StatusCode {
        StatusCode::BAD_REQUEST
    }

    /// The 400 response, with the reason as text.
    pub fn into_response(self) -> Response {
        respond::text(self.status(), self.to_string())
    }
}

/// A header's value as text.
pub(super) fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, Rejected> {
    let value = headers.get(name).ok_or(Rejected::MissingHeader(name))?;
    value.to_str().map_err(|_| Rejected::MalformedHeader(name))
}

/// Whether any of `candidates` (lowercase or uppercase hex) is the HMAC-SHA256 of the
/// concatenated `message` under `secret`. Each comparison takes constant time (RustCrypto's
/// `verify_slice`); a candidate that is not hex simply does not match.
pub fn hmac_sha256_matches(secret: &[u8], message: &[&[u8]], candidates: &[&str]) -> bool {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    for part in message {
        mac.update(part);
    }
    let mut matched = false;
    for candidate in candidates.iter().copied() {
        if let Some(signature) = decode_hex(candidate) {
            // Every candidate is checked, so the time taken does not tell which one matched.
            matched |= mac.clone().verify_slice(&signature).is_ok();
        }
    }
    matched
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    hex.as_bytes()
        .chunks(2)
        .map(|pair| {
            let high = char::from(pair[0]).to_digit(16)?;
            let low = char::from(pair[1]).to_digit(16)?;
            u8::try_from(high * 16 + low).ok()
        })
        .collect()
}
