//! The Datastar browser client (v1.0.4): where pages load it from.
//!
//! The bundle is never committed. `cargo xtask fetch-datastar` downloads it from crates.io (it
//! ships inside the `runnerd-web` crate), verifies its sha256 and puts it in
//! `vendor/datastar/datastar.js`. At start-up orion looks for it (see [`DatastarClient::auto`]);
//! when found, pages load it from orion itself under a content-hashed URL that is cached for a
//! year. When it is absent, pages load the official CDN copy with a subresource-integrity hash,
//! and the server logs one line saying how to fetch the bundle locally.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::{Error, ErrorKind, Result};

/// The Datastar version orion speaks.
pub const VERSION: &str = "1.0.4";

/// The sha256 (hex) of the unmodified v1.0.4 bundle.
pub const SHA256: &str = "727844adfc825ee651fb93c544a2a739986f9a21820a94524b35f0cac470cf91";

/// The official CDN URL of the v1.0.4 bundle.
pub const CDN_URL: &str = "https://cdn.jsdelivr.net/gh/starfederation/datastar@v1.0.4/bundles/datastar.js";

/// The subresource-integrity hash of the v1.0.4 bundle (sha384 of the same bytes).
pub const CDN_INTEGRITY: &str = "sha384-twbOvafhSBQ0rJDNPzJdUw6DRvthVgAVfSIG1BQVmCiNO7Qh2zeVn7T5qstgjJ9q";

/// The origin pages must be allowed to load scripts from when the CDN is used.
pub const CDN_ORIGIN: &str = "https://cdn.jsdelivr.net";

/// Where the local bundle is looked for, relative to the working directory or a parent of it.
pub const LOCAL_PATH: &str = "vendor/datastar/datastar.js";

/// The environment variable that names the bundle's path explicitly.
pub const PATH_ENV: &str = "ORION_DATASTAR_JS";

/// Where pages load the Datastar client from.
#[derive(Clone)]
pub struct DatastarClient {
    local: Option<Local>,
}

#[derive(Clone)]
struct Local {
    path: PathBuf,
    bytes: Bytes,
    brotli: Bytes,
}

impl DatastarClient {
    /// The bundle at `path`, verified; an error when it is missing or not the v1.0.4 bundle.
    pub fn file(path: &Path) -> Result<DatastarClient> {
        let bytes = std::fs::read(path).map_err(|error| {
            Error::new(
                ErrorKind::Io,
                format!(
                    "cannot read the Datastar bundle at `{}` ({error}): run `cargo xtask fetch-datastar`",
                    path.display()
                ),
            )
        })?;
        let found = hex(&Sha256::digest(&bytes));
        if found != SHA256 {
            return Err(Error::new(
                ErrorKind::Io,
                format!(
                    "`{}` is not the Datastar v{VERSION} bundle (sha256 {found}, expected {SHA256}): \
                     delete it and run `cargo xtask fetch-datastar`",
                    path.display()
                ),
            ));
        }
        let brotli = compress(&bytes);
        Ok(DatastarClient { local: Some(Local { path: path.to_owned(), bytes: Bytes::from(bytes), brotli }) })
    }

    /// Pages load the official CDN copy (with its integrity hash).
    pub fn cdn() -> DatastarClient {
        DatastarClient { local: None }
    }

    /// The local bundle if one can be found, otherwise the CDN.
    ///
    /// Looks at `$ORION_DATASTAR_JS`, then for `vendor/datastar/datastar.js` in the working
    /// directory and its parents. Logs one line when it falls back to the CDN.
    pub fn auto() -> DatastarClient {
        let found = match std::env::var_os(PATH_ENV) {
            Some(path) => Some(PathBuf::from(path)),
            None => std::env::current_dir()
                .ok()
                .and_then(|dir| dir.ancestors().map(|d| d.join(LOCAL_PATH)).find(|p| p.is_file())),
        };
        match found.map(|path| DatastarClient::file(&path)) {
            Some(Ok(client)) => client,
            Some(Err(error)) => {
                tracing::warn!("{error}; pages load Datastar from {CDN_URL} instead");
                DatastarClient::cdn()
            }
            None => {
                tracing::warn!(
                    "no local Datastar bundle ({LOCAL_PATH}); pages load it from {CDN_URL}. \
                     Run `cargo xtask fetch-datastar` to serve it from this server"
                );
                DatastarClient::cdn()
            }
        }
    }

    /// Whether the bundle is served locally.
    pub fn is_local(&self) -> bool {
        self.local.is_some()
    }

    /// The path of the local bundle, if one is served.
    pub fn local_path(&self) -> Option<&Path> {
        self.local.as_ref().map(|local| local.path.as_path())
    }

    /// The URL pages load the client from, relative to the app's base (no leading `/`), or the
    /// CDN URL.
    pub fn script_src(&self) -> String {
        match self.local {
            Some(_) => format!("_orion/datastar.{}.js", &SHA256[..12]),
            None => CDN_URL.to_owned(),
        }
    }

    /// The `integrity` attribute the script tag needs (only for the CDN).
    pub fn integrity(&self) -> Option<&'static str> {
        self.local.is_none().then_some(CDN_INTEGRITY)
    }

    /// The bundle's bytes, plain and brotli-compressed, when served locally.
    pub(crate) fn bytes(&self) -> Option<(&Bytes, &Bytes)> {
        self.local.as_ref().map(|local| (&local.bytes, &local.brotli))
    }
}

impl std::fmt::Debug for DatastarClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.local {
            Some(local) => write!(f, "DatastarClient::Local({})", local.path.display()),
            None => write!(f, "DatastarClient::Cdn({CDN_URL})"),
        }
    }
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn compress(bytes: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    let params = brotli::enc::BrotliEncoderParams { quality: 9, lgwin: 20, ..Default::default() };
    let mut input = bytes;
    // Compressing an in-memory slice into a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
    Bytes::from(out)
}
