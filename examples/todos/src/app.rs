//! The composition of the app: its slices' routes and its static files, over one store.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use orion::jobs::Jobs;
use orion::{App, Routes, Store};

use crate::{export, todos, webhooks};

/// Where the app keeps its data and where it listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The SQLite file (created if missing).
    pub db: PathBuf,
    /// The TCP port.
    pub port: u16,
}

impl Config {
    /// From `--db PATH` / `--port N`, falling back to `$TODOS_DB` / `$PORT`, then to
    /// `todos.db` and 3000.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Config, String> {
        let mut config = Config {
            db: std::env::var_os("TODOS_DB").map_or_else(|| PathBuf::from("todos.db"), PathBuf::from),
            port: match std::env::var("PORT") {
                Ok(port) => port.parse().map_err(|_| format!("$PORT is not a port number: `{port}`"))?,
                Err(_) => 3000,
            },
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or_else(|| format!("`{name}` needs a value"));
            match arg.as_str() {
                "--db" => config.db = PathBuf::from(value("--db")?),
                "--port" => {
                    let port = value("--port")?;
                    config.port = port.parse().map_err(|_| format!("`--port` takes a port number, not `{port}`"))?;
                }
                "--help" | "-h" => return Err(USAGE.to_owned()),
                other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
            }
        }
        Ok(config)
    }

    /// The address to listen on: every interface, on the configured port.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::UNSPECIFIED, self.port))
    }
}

const USAGE: &str = "usage: todos [--db PATH] [--port N]   (env: TODOS_DB, PORT, RUST_LOG, TODOS_WEBHOOK_SECRET)";

// ANCHOR: app
/// The app: every feature slice's routes, plus the stylesheet folder.
pub fn app(store: &Store) -> App {
    App::new(store)
        .routes(todos::routes())
        .routes(export::routes())
        .routes(webhooks::routes())
        .routes(Routes::new().files("/static", static_dir()))
}
// ANCHOR_END: app

/// The app's background jobs: every slice's handlers, on one runner that `main` starts.
pub fn jobs(store: &Store) -> Jobs {
    webhooks::jobs(export::jobs(Jobs::new(store)))
}

/// The folder of static files shipped with the example.
pub fn static_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("static")
}
