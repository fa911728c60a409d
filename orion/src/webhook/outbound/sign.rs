//! The `Orion-Signature` header: `t=<unix seconds>,v1=<hex>`, where `v1` is the HMAC-SHA256
//! of `"{t}.{body}"` under the signing secret — Stripe's scheme, byte for byte.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The header value signing `body` at `timestamp` (Unix seconds) with `secret`.
pub(super) fn signature(secret: &[u8], timestamp: u64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let mut header = format!("t={timestamp},v1=");
    for byte in mac.finalize().into_bytes() {
        header.push_str(&format!("{byte:02x}"));
    }
    header
}

#[cfg(test)]
mod tests;
