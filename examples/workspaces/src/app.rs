//! The composition of the app: its tenancy, how a request names its workspace, and the routes.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use orion::tenant::{self, Tenancy, TenancyModel};
use orion::{App, Routes, Store};

use crate::{MIGRATIONS, notes, switcher};

/// The workspaces `main` creates when they are missing.
pub const DEMO_WORKSPACES: [&str; 2] = ["acme", "globex"];

/// Where the app keeps its data, where it listens, and which tenancy model it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The data folder: `app.db`, and under db-per-tenant `tenants/<key>.db`.
    pub data: PathBuf,
    /// The TCP port.
    pub port: u16,
    /// db-per-tenant (`per-file`, the default) or shared-db (`shared`).
    pub tenancy: TenancyModel,
}

impl Config {
    /// From `--tenancy per-file|shared`, `--data DIR` and `--port N`, falling back to
    /// `$WORKSPACES_DATA` / `$PORT`, then to `per-file`, `data` and 3000.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Config, String> {
        let mut config = Config {
            data: std::env::var_os("WORKSPACES_DATA").map_or_else(|| PathBuf::from("data"), PathBuf::from),
            port: match std::env::var("PORT") {
                Ok(port) => port.parse().map_err(|_| format!("$PORT is not a port number: `{port}`"))?,
                Err(_) => 3000,
            },
            tenancy: TenancyModel::PerFile,
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or_else(|| format!("`{name}` needs a value"));
            match arg.as_str() {
                "--tenancy" => {
                    config.tenancy = match value("--tenancy")?.as_str() {
                        "per-file" => TenancyModel::PerFile,
                        "shared" => TenancyModel::Shared,
                        other => return Err(format!("`--tenancy` is `per-file` or `shared`, not `{other}`")),
                    }
                }
                "--data" => config.data = PathBuf::from(value("--data")?),
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

const USAGE: &str = "usage: workspaces [--tenancy per-file|shared] [--data DIR] [--port N]   \
                     (env: WORKSPACES_DATA, PORT, RUST_LOG)";

// ANCHOR: tenancy
/// The tenancy of `model` over the data folder: the only code that differs between the two.
/// db-per-tenant keeps each workspace in `data/tenants/<key>.db`, migrated when first opened;
/// shared-db keeps them all in the app's store, migrated here.
pub fn tenancy(model: TenancyModel, data: &Path, store: &Store) -> orion::Result<Tenancy> {
    match model {
        TenancyModel::PerFile => Tenancy::per_file(&data.join("tenants"), MIGRATIONS),
        TenancyModel::Shared => {
            store.migrate(MIGRATIONS)?;
            Tenancy::shared(store)
        }
    }
}

/// The app: a workspace is named by the `{workspace}` route parameter; the slices' routes and
/// the stylesheet folder.
pub fn app(store: &Store, tenancy: &Tenancy) -> App {
    App::new(store)
        .tenancy(tenancy, tenant::from_param("workspace"))
        .routes(switcher::routes())
        .routes(notes::routes())
        .routes(Routes::new().files("/static", static_dir()))
}
// ANCHOR_END: tenancy

/// The folder of static files shipped with the example.
pub fn static_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("static")
}
