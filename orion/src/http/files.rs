//! Static files from a folder: [`Routes::files`] serves `dir` at `prefix/…` for `GET` and `HEAD`.
//!
//! This is for an app's own assets — stylesheets, scripts, images, fonts — which are small and
//! change on deploy. A file is read whole into memory, so files over 16 MiB are refused with a
//! logged 500: serve big downloads and media from a CDN or a file server. There are no range
//! requests and no on-the-fly compression.
//!
//! # Which file a request names
//!
//! The rest of the path is split at `/` and each segment is percent-decoded. A segment that is
//! empty, starts with `.` (`.`, `..`, hidden files such as `.env`), is not UTF-8, or decodes to
//! something holding `/`, `\`, NUL or another control character is refused. The path is then
//! resolved with symlinks followed and refused unless it lands inside the folder: a symlink
//! pointing out of the folder is refused, one pointing elsewhere inside it is followed. The
//! folder itself and directories are refused too (there are no listings). Every refusal is the
//! same plain 404, which does not say why.
//!
//! # Content types
//!
//! From the extension, for the usual web asset types (text ones with `; charset=utf-8`), and
//! `application/octet-stream` for anything else; always with `X-Content-Type-Options: nosniff`
//! so browsers do not guess.
//!
//! # Caching
//!
//! Every file has a *content hash*: the first 16 hex digits of the sha256 of its bytes. It is
//! the file's strong `ETag` (quoted), next to `Last-Modified`; `If-None-Match` (a list, weak
//! tags or `*`) and, when that header is absent, `If-Modified-Since` answer `304 Not Modified`
//! with no body. Hashes are kept per file and computed again only when the file's modification
//! time or length changes, so a file is not hashed on every request. `Cache-Control` is:
//!
//! - `public, max-age=31536000, immutable` for a *hashed asset*, whose URL changes whenever its
//!   content does: a file name with a dot-separated part, before the extension, of at least 8
//!   hex digits including a letter (`app.3f9a1c2e.css`, `chunk.0123456789abcdef.js`; the letter
//!   keeps dates such as `report.20240101.pdf` out), or a request whose `?v=` is the file's
//!   content hash (`/static/app.css?v=3f9a1c2e5b7d9f01`). A `?v=` that is not the current hash
//!   (an old or made-up one) gets the default below, so a stale link never pins new content;
//! - `no-cache` otherwise: browsers keep the file but revalidate it with the `ETag` before each
//!   use, so an edit shows at once and an unchanged file costs a `304`.
//!
//! # Precompressed files
//!
//! When a `name.br` sits next to `name` and the request accepts brotli, `name.br` is sent with
//! `Content-Encoding: br`, `name`'s content type and its own `ETag`. Responses for a file that
//! has such a sibling carry `Vary: Accept-Encoding`.

mod cache;
mod date;
mod mime;
mod path;

#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG, HeaderMap, LAST_MODIFIED,
    VARY, X_CONTENT_TYPE_OPTIONS,
};
use http::{HeaderValue, Method, StatusCode};

use self::cache::Stamp;
use super::routes::{Handler, RouteKind, Routes};
use super::{Body, Request, Response, query, respond};
use crate::{Error, ErrorKind};

/// The largest file served: static files are read whole into memory.
const MAX_LEN: u64 = 16 * 1024 * 1024;

impl Routes {
    /// Serves the files under `dir` at `prefix/…` (e.g. `/static`), for `GET` and `HEAD`.
    ///
    /// See the [module docs](crate::http::files) for which paths are served, their content
    /// types and how browsers may cache them (name hashed assets `app.3f9a1c2e.css`, or link
    /// them with `?v=<content hash>`, to have them cached for a year).
    pub fn files(self, prefix: &str, dir: impl Into<PathBuf>) -> Routes {
        let dir: Arc<PathBuf> = Arc::new(dir.into());
        let pattern = format!("{}/{{*path}}", prefix.trim_end_matches('/'));
        let handler: Handler = Arc::new(move |ctx, request| {
            let dir = dir.clone();
            let relative = ctx.param("path").unwrap_or("").to_owned();
            Box::pin(async move {
                // Reading a file blocks, so it runs on tokio's blocking pool instead of holding up
                // a worker thread (which is all `tokio::fs` would do underneath).
                tokio::task::spawn_blocking(move || serve(&dir, &relative, &request)).await.unwrap_or_else(|error| {
                    respond::error(&Error::internal(format!("serving a static file failed: {error}")))
                })
            })
        });
        self.add(Method::GET, &pattern, RouteKind::Files, handler)
    }
}

/// Answers a request for `relative` (still percent-encoded) under `dir`.
///
/// Blocking: it reads the file synchronously (see [`Routes::files`], which calls it on the
/// blocking pool).
pub(crate) fn serve(dir: &Path, relative: &str, request: &Request) -> Response {
    answer(dir, relative, request).unwrap_or_else(Refusal::into_response)
}

/// Why a request gets no file.
#[derive(Debug)]
enum Refusal {
    /// Nothing may be served at this path: absent, a directory, or a refused path. The client
    /// is not told which.
    NotFound,
    /// The file is over [`MAX_LEN`].
    TooLarge { path: PathBuf, len: u64 },
    /// The folder or the file could not be read.
    Unreadable { path: PathBuf, error: io::Error },
}

impl Refusal {
    /// The one place a refusal becomes a response: a 404, or a logged, opaque 500.
    fn into_response(self) -> Response {
        match self {
            Refusal::NotFound => respond::not_found(),
            Refusal::TooLarge { path, len } => respond::error(&Error::internal(format!(
                "static file `{}` is {len} bytes, over the limit of {MAX_LEN}: orion's static \
                 files are for app assets, read whole into memory; serve big files from a CDN \
                 or a file server",
                path.display()
            ))),
            Refusal::Unreadable { path, error } => respond::error(
                &Error::new(
                    ErrorKind::Io,
                    format!(
                        "cannot read `{}` for static files: {error}; check the folder given to \
                         `Routes::files` and the file's permissions",
                        path.display()
                    ),
                )
                .with_source(error),
            ),
        }
    }
}

fn answer(dir: &Path, relative: &str, request: &Request) -> Result<Response, Refusal> {
    let segments = path::segments(relative).ok_or(Refusal::NotFound)?;
    let root = dir.canonicalize().map_err(|error| Refusal::Unreadable { path: dir.to_owned(), error })?;
    let mut original = Opened::open(path::resolve(&root, &segments)?)?;
    // A `.br` sibling is looked up as if the client had asked for `name.br`, so it passes the
    // same checks (a symlink out of the folder is ignored).
    let compressed = path::resolve(&root, &path::with_suffix(&segments, ".br")).and_then(Opened::open).ok();
    let has_variant = compressed.is_some();

    let name = segments.last().map_or("", String::as_str);
    let version = request.uri().query().and_then(|q| query::param(q, "v"));
    let immutable = cache::is_hashed_name(name) || version.is_some_and(|v| original.hash().is_ok_and(|hash| hash == v));

    let (mut served, encoding) = match compressed {
        Some(compressed) if accepts_brotli(request.headers()) => (compressed, Some("br")),
        _ => (original, None),
    };
    let etag = format!("\"{}\"", served.hash()?);
    let modified = served.modified.and_then(|time| time.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_secs());

    let mut response = if cache::not_modified(request.headers(), &etag, modified) {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        response
    } else {
        // hyper writes no body for `HEAD` but keeps an explicit `Content-Length`, so `HEAD` does
        // not read the file (unless hashing it just did).
        let (length, body) = if request.method() == Method::HEAD {
            (served.len, Body::empty())
        } else {
            let bytes = served.read()?;
            (bytes.len() as u64, Body::full(bytes))
        };
        let mut response = Response::new(body);
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(mime::content_type(name)));
        headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
        if let Some(encoding) = encoding {
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    };
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(ETAG, etag);
    }
    if let Some(modified) = modified.and_then(|secs| HeaderValue::from_str(&date::format(secs)).ok()) {
        headers.insert(LAST_MODIFIED, modified);
    }
    let cache_control = if immutable { cache::IMMUTABLE } else { cache::REVALIDATE };
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache_control));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if has_variant {
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    Ok(response)
}

fn accepts_brotli(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|value| super::accepts(value, "br"))
}

/// A regular file, opened, whose bytes and hash are read at most once.
#[derive(Debug)]
struct Opened {
    /// Canonical (symlinks resolved): the key of the hash cache.
    path: PathBuf,
    file: File,
    len: u64,
    /// `None` where the file system keeps no modification time: then there is no
    /// `Last-Modified` and the hash is not cached.
    modified: Option<SystemTime>,
    bytes: Option<Bytes>,
}

impl Opened {
    /// Opens `path`; directories and other non-files are not found, files over the limit refused.
    fn open(path: PathBuf) -> Result<Opened, Refusal> {
        let unreadable = |path: &Path, error: io::Error| match error.kind() {
            io::ErrorKind::NotFound => Refusal::NotFound,
            _ => Refusal::Unreadable { path: path.to_owned(), error },
        };
        let file = File::open(&path).map_err(|error| unreadable(&path, error))?;
        // The metadata of the open file, not of the path, so it describes what is read.
        let metadata = file.metadata().map_err(|error| unreadable(&path, error))?;
        if !metadata.is_file() {
            return Err(Refusal::NotFound);
        }
        if metadata.len() > MAX_LEN {
            return Err(Refusal::TooLarge { path, len: metadata.len() });
        }
        Ok(Opened { path, file, len: metadata.len(), modified: metadata.modified().ok(), bytes: None })
    }

    /// The whole file. Synchronous, which is fine for assets of at most [`MAX_LEN`] read on the
    /// blocking pool; streaming would only pay off for files orion does not serve.
    fn read(&mut self) -> Result<Bytes, Refusal> {
        if let Some(bytes) = &self.bytes {
            return Ok(bytes.clone());
        }
        let mut buffer = Vec::with_capacity(self.len as usize);
        // Never more than the limit, even if the file grew since it was opened.
        (&self.file)
            .take(MAX_LEN + 1)
            .read_to_end(&mut buffer)
            .map_err(|error| Refusal::Unreadable { path: self.path.clone(), error })?;
        if buffer.len() as u64 > MAX_LEN {
            return Err(Refusal::TooLarge { path: self.path.clone(), len: buffer.len() as u64 });
        }
        let bytes = Bytes::from(buffer);
        self.bytes = Some(bytes.clone());
        Ok(bytes)
    }

    /// The content hash: cached while the file keeps its modification time and length.
    fn hash(&mut self) -> Result<String, Refusal> {
        let stamp = self.modified.map(|modified| Stamp { modified, len: self.len });
        if let Some(hash) = stamp.and_then(|stamp| cache::known_hash(&self.path, stamp)) {
            return Ok(hash);
        }
        let bytes = self.read()?;
        let hash = cache::content_hash(&bytes);
        // A file that changed while being read is hashed again next time.
        if let Some(stamp) = stamp.filter(|stamp| stamp.len == bytes.len() as u64) {
            cache::remember_hash(self.path.clone(), stamp, hash.clone());
        }
        Ok(hash)
    }
}
