//! What a browser test needs around it: ChromeDriver, browser sessions, the app under test as a
//! child process, and a reverse proxy that can misbehave on purpose.
//!
//! Each test owns all of it: its own ChromeDriver, its own sessions, its own server, database
//! and scratch folder, so tests never see each other's state.

mod app;
mod browser;
mod driver;
mod proxy;

use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub(crate) use app::App;
pub(crate) use browser::Browser;
pub(crate) use driver::ChromeDriver;
pub(crate) use proxy::Proxy;

/// The longest any single wait may take before the test fails.
pub(crate) const WAIT: Duration = Duration::from_secs(10);

/// A fresh folder for one test's database and browser profiles, removed when dropped.
#[derive(Debug)]
pub(crate) struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// Creates `<temp dir>/orion-e2e-<pid>-<nanos>-<count>`.
    pub(crate) fn new() -> Scratch {
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.subsec_nanos());
        let count = COUNT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("orion-e2e-{}-{nanos}-{count}", std::process::id()));
        fs::create_dir(&path).unwrap_or_else(|error| panic!("cannot create `{}`: {error}", path.display()));
        Scratch { path }
    }

    /// A path inside the folder (not created).
    pub(crate) fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: a leftover folder in the temp dir harms nothing.
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// A TCP port that was free a moment ago (the app needs a port it can be restarted on).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("0.0.0.0:0").expect("bind a free port");
    listener.local_addr().expect("bound address").port()
}
