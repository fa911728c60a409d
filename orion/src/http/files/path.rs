//! Which file a request names: decoding the path's segments, refusing the ones that could
//! leave the folder or reach a hidden file, and resolving symlinks to check the result is
//! still inside the folder.

use std::io;
use std::path::{Path, PathBuf};

use super::Refusal;
use crate::http::query;

/// The decoded segments of `relative` (the still-encoded rest of the URL path), or `None` when
/// any of them is refused (see [`segment`]) — including when `relative` is empty.
pub(super) fn segments(relative: &str) -> Option<Vec<String>> {
    relative.split('/').map(segment).collect()
}

/// One decoded segment, or `None` when it is empty, not UTF-8, starts with `.` (which covers
/// `.`, `..` and hidden files), or holds a separator (`/`, `\`), NUL or another control
/// character once decoded.
pub(super) fn segment(encoded: &str) -> Option<String> {
    let name = query::decode(encoded, false)?;
    let refused =
        name.is_empty() || name.starts_with('.') || name.chars().any(|c| c == '/' || c == '\\' || c.is_control());
    (!refused).then_some(name)
}

/// `segments` with `suffix` added to the last one (`app.js` → `app.js.br`).
pub(super) fn with_suffix(segments: &[String], suffix: &str) -> Vec<String> {
    let mut segments = segments.to_vec();
    if let Some(last) = segments.last_mut() {
        last.push_str(suffix);
    }
    segments
}

/// The canonical path of `segments` under `root` (itself canonical), symlinks followed, when
/// it exists and is strictly inside `root`.
pub(super) fn resolve(root: &Path, segments: &[String]) -> Result<PathBuf, Refusal> {
    let joined: PathBuf = segments.iter().fold(root.to_path_buf(), |path, segment| path.join(segment));
    let path = joined.canonicalize().map_err(|error| match error.kind() {
        // `a.css/x` (a file used as a folder) and over-long names name nothing, too.
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory | io::ErrorKind::InvalidFilename => Refusal::NotFound,
        _ => Refusal::Unreadable { path: joined.clone(), error },
    })?;
    // `starts_with` compares whole components: `/srv/public2` is not inside `/srv/public`.
    if path == root || !path.starts_with(root) {
        return Err(Refusal::NotFound);
    }
    Ok(path)
}
