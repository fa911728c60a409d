//! Logging through `tracing`: one line per request (method, route, status, duration) and the
//! runtime's own events. `RUST_LOG` sets the level (`info` by default).

/// Installs a `tracing` subscriber printing to stderr, filtered by `RUST_LOG` (default `info`).
///
/// Call it once at the start of `main`; a second call does nothing.
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
