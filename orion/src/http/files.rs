//! Static files from a folder (being written).

use std::path::Path;

use std::path::PathBuf;
use std::sync::Arc;

use http::Method;

use super::routes::{Handler, RouteKind, Routes};
use super::{Request, Response, respond};

impl Routes {
    /// Serves the files under `dir` at `prefix/…` (e.g. `/static`).
    pub fn files(self, prefix: &str, dir: impl Into<PathBuf>) -> Routes {
        let dir: Arc<PathBuf> = Arc::new(dir.into());
        let pattern = format!("{}/{{*path}}", prefix.trim_end_matches('/'));
        let handler: Handler = Arc::new(move |ctx, request| {
            let dir = dir.clone();
            Box::pin(async move { serve(&dir, ctx.param("path").unwrap_or(""), &request) })
        });
        self.add(Method::GET, &pattern, RouteKind::Files, handler)
    }
}

/// Answers a request for `relative` (still percent-encoded) under `dir`.
pub(crate) fn serve(_dir: &Path, _relative: &str, _request: &Request) -> Response {
    respond::not_found()
}
