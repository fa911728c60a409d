//! [`GitHub`]: the `X-Hub-Signature-256` scheme (HMAC-SHA256 over the body).

use std::time::SystemTime;

use bytes::Bytes;
use http::HeaderMap;

use super::verify::{Event, Rejected, Verify, header, hmac_sha256_matches};

const SIGNATURE_HEADER: &str = "x-hub-signature-256";
const DELIVERY_HEADER: &str = "x-github-delivery";
const EVENT_HEADER: &str = "x-github-event";

/// Verifies GitHub webhooks with the webhook's secret.
///
/// `X-Hub-Signature-256` reads `sha256=<hex>`, the HMAC-SHA256 of the body. The event's id is
/// `X-GitHub-Delivery` (a GUID, the same on a redelivery) and its type `X-GitHub-Event`.
/// GitHub signs no timestamp, so there is no age check: the deduplication by delivery id is
/// what stops a replay.
#[derive(Clone)]
pub struct GitHub {
    secret: Vec<u8>,
}

impl GitHub {
    /// A verifier for the webhook whose secret is `secret`.
    pub fn new(secret: &str) -> GitHub {
        GitHub { secret: secret.as_bytes().to_vec() }
    }
}

impl std::fmt::Debug for GitHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GitHub { secret: .. }")
    }
}

impl Verify for GitHub {
    fn verify(&self, headers: &HeaderMap, body: &Bytes, _now: SystemTime) -> Result<Event, Rejected> {
        let signature = header(headers, SIGNATURE_HEADER)?
            .strip_prefix("sha256=")
            .ok_or(Rejected::MalformedHeader(SIGNATURE_HEADER))?;
        if !hmac_sha256_matches(&self.secret, &[body], &[signature]) {
            return Err(Rejected::SignatureMismatch);
        }
        let id = header(headers, DELIVERY_HEADER)?;
        if id.is_empty() {
            return Err(Rejected::MalformedHeader(DELIVERY_HEADER));
        }
        let kind = headers.get(EVENT_HEADER).and_then(|value| value.to_str().ok()).unwrap_or_default();
        Ok(Event { provider: "github", id: id.to_owned(), kind: kind.to_owned(), body: body.clone() })
    }
}
