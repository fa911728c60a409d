//! A fresh folder under the system's temp dir that is removed when dropped.
//!
//! Written here rather than pulled in as the `tempfile` crate: xtask needs only this,
//! and small helper crates are not worth a dependency (STYLE 5).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};

/// Counts the folders made by this process, so that parallel tests never collide.
static COUNT: AtomicU64 = AtomicU64::new(0);

#[derive(Debug)]
pub(crate) struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates `<temp dir>/<prefix>-<pid>-<time>-<count>`, failing rather than reusing
    /// a folder that already exists.
    pub(crate) fn new(prefix: &str) -> Result<TempDir> {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.subsec_nanos());
        let count = COUNT.fetch_add(1, Ordering::Relaxed);
        let name = format!("{prefix}-{}-{nanos}-{count}", std::process::id());
        let path = std::env::temp_dir().join(name);
        fs::create_dir(&path).with_context(|| format!("could not create the temp folder `{}`", path.display()))?;
        Ok(TempDir { path })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Best effort: a leftover folder in the temp dir harms nothing.
        let _ = fs::remove_dir_all(&self.path);
    }
}
