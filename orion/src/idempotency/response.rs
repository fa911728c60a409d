//! A response as stored bytes, so a repeated request is answered with the first answer.
//!
//! The format is private to this module and versioned by its first line:
//!
//! ```text
//! orion-response/1\n
//! status (u16 BE) · header count (u16 BE)
//! per header: name length (u16 BE) · name · value length (u32 BE) · value
//! body (the rest)
//! ```

use bytes::{Buf, Bytes};
use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, StatusCode};
use http_body_util::BodyExt;

use crate::http::{Body, Response};
use crate::{Error, Result};

const MAGIC: &[u8] = b"orion-response/1\n";

/// The headers a replay repeats: those that describe the body or tell the client what to do
/// next. Never cookies: a key is the client's word, and a replay must not hand one client
/// another's session.
const REPLAYED_HEADERS: [&str; 8] = [
    "content-type",
    "content-encoding",
    "content-language",
    "cache-control",
    "location",
    "retry-after",
    "allow",
    "vary",
];

/// Reads `response` whole and encodes its status, the headers worth replaying and its body.
pub(crate) async fn encode(response: Response) -> Result<Vec<u8>> {
    let (parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|error| Error::internal(format!("could not read a response to store it: {error}")))?
        .to_bytes();
    let headers: Vec<(&HeaderName, &HeaderValue)> =
        parts.headers.iter().filter(|(name, _)| REPLAYED_HEADERS.contains(&name.as_str())).collect();
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + body.len() + 64 * headers.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&parts.status.as_u16().to_be_bytes());
    out.extend_from_slice(&u16::try_from(headers.len()).unwrap_or(u16::MAX).to_be_bytes());
    for (name, value) in headers.into_iter().take(usize::from(u16::MAX)) {
        // Header names are short and values are capped by the server (64 KiB at most).
        out.extend_from_slice(&u16::try_from(name.as_str().len()).unwrap_or(u16::MAX).to_be_bytes());
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(&u32::try_from(value.len()).unwrap_or(u32::MAX).to_be_bytes());
        out.extend_from_slice(value.as_bytes());
    }
    out.extend_from_slice(&body);
    Ok(out)
}

/// The response encoded in `stored`.
pub(crate) fn decode(stored: &Bytes) -> Result<Response> {
    let corrupt =
        || Error::internal("a stored idempotent response is corrupt: delete its row from `_orion_idempotency`");
    let mut bytes = stored.clone();
    if !bytes.starts_with(MAGIC) {
        return Err(corrupt());
    }
    bytes.advance(MAGIC.len());
    let status = StatusCode::from_u16(bytes.try_get_u16().map_err(|_| corrupt())?).map_err(|_| corrupt())?;
    let count = bytes.try_get_u16().map_err(|_| corrupt())?;
    let mut headers = HeaderMap::new();
    for _ in 0..count {
        let length = usize::from(bytes.try_get_u16().map_err(|_| corrupt())?);
        let name = take(&mut bytes, length).ok_or_else(corrupt)?;
        let length = usize::try_from(bytes.try_get_u32().map_err(|_| corrupt())?).map_err(|_| corrupt())?;
        let value = take(&mut bytes, length).ok_or_else(corrupt)?;
        let name = HeaderName::from_bytes(&name).map_err(|_| corrupt())?;
        let value = HeaderValue::from_maybe_shared(value).map_err(|_| corrupt())?;
        headers.append(name, value);
    }
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    Ok(response)
}

/// The next `length` bytes of `bytes`, if there are that many.
fn take(bytes: &mut Bytes, length: usize) -> Option<Bytes> {
    (bytes.len() >= length).then(|| bytes.split_to(length))
}
