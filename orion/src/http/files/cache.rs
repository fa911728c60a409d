//! How long browsers may keep a file: its content hash (remembered per file), the hashed-name
//! rule and conditional requests. The rules are described in the [module docs](super).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex, PoisonError};
use std::time::SystemTime;

use http::HeaderMap;
use http::header::{IF_MODIFIED_SINCE, IF_NONE_MATCH};
use sha2::{Digest, Sha256};

use super::date;

/// `Cache-Control` of a hashed asset, or of a request whose `?v=` is the content hash.
pub(super) const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `Cache-Control` of every other file: keep it, but revalidate it before each use.
pub(super) const REVALIDATE: &str = "no-cache";

/// The content hash of `bytes`: the first 16 hex digits of their sha256.
pub(super) fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(8).map(|byte| format!("{byte:02x}")).collect()
}

/// What a remembered hash was computed for: the file changed if either differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    pub(super) modified: SystemTime,
    pub(super) len: u64,
}

/// The content hash of each file served, by canonical path: one entry per file (a changed
/// file replaces its entry), so it is bounded by the folders' contents.
static HASHES: LazyLock<Mutex<HashMap<PathBuf, (Stamp, String)>>> = LazyLock::new(Mutex::default);

/// The hash remembered for `path`, if it was computed for the same `stamp`.
pub(super) fn known_hash(path: &Path, stamp: Stamp) -> Option<String> {
    let hashes = HASHES.lock().unwrap_or_else(PoisonError::into_inner);
    hashes.get(path).filter(|(known, _)| *known == stamp).map(|(_, hash)| hash.clone())
}

/// Remembers the hash of `path` as it was at `stamp`.
pub(super) fn remember_hash(path: PathBuf, stamp: Stamp, hash: String) {
    HASHES.lock().unwrap_or_else(PoisonError::into_inner).insert(path, (stamp, hash));
}

/// Whether a file `name` is a hashed asset: a dot-separated part before the extension of at
/// least 8 hex digits, at least one of them a letter (so `report.20240101.pdf`, a date, is
/// not one).
pub(super) fn is_hashed_name(name: &str) -> bool {
    let Some((stem, _extension)) = name.rsplit_once('.') else {
        return false;
    };
    stem.split('.').any(|part| {
        part.len() >= 8
            && part.bytes().all(|byte| byte.is_ascii_hexdigit())
            && part.bytes().any(|byte| byte.is_ascii_alphabetic())
    })
}

/// Whether the request's validators match the file (`etag` quoted; `modified` in seconds since
/// the epoch), so it can be answered `304 Not Modified`. As RFC 9110 says, `If-None-Match`
/// (compared weakly: `W/` is ignored) wins over `If-Modified-Since` when both are present.
pub(super) fn not_modified(headers: &HeaderMap, etag: &str, modified: Option<u64>) -> bool {
    let mut tags = headers.get_all(IF_NONE_MATCH).iter().peekable();
    if tags.peek().is_some() {
        return tags
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag);
    }
    let since = headers.get(IF_MODIFIED_SINCE).and_then(|value| value.to_str().ok()).and_then(date::parse);
    matches!((since, modified), (Some(since), Some(modified)) if modified <= since)
}
