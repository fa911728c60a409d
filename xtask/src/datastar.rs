//! `cargo xtask fetch-datastar`: the Datastar client bundle, fetched at set-up and never
//! committed.
//!
//! orion's pages load the Datastar v1.0.4 client, which is not ours to commit. The
//! crates.io crate `runnerd-web` 0.0.27 ships the unmodified bundle (MIT, Star Federation,
//! from `starfederation/datastar` tag `v1.0.4`, `bundles/datastar.js`) together with its
//! license. crates.io is a registry our machines reach, so we take it from there:
//!
//! 1. `cargo info runnerd-web@0.0.27` with a throwaway `CARGO_HOME` downloads the `.crate`
//!    (cargo checks it against the registry index's checksum). The crate is only ever
//!    downloaded, never a dependency: it declares `rust-version = "1.99"`.
//! 2. The two files are read out of the gzipped tarball, written next to their final
//!    names under a temp name, checked against the sha256 sums pinned below, and only
//!    then renamed into `vendor/datastar/`. A file that does not match is never left in
//!    place: not a fresh download, and not an old copy found there.

use std::fs::{self, File};
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use flate2::read::GzDecoder;
use sha2::{Digest, Sha256};

use crate::temp_dir::TempDir;

/// The Datastar version that orion's pages load (ORION.md, "Decisions already taken").
pub(crate) const DATASTAR_VERSION: &str = "1.0.4";

/// The crate that carries the bundle, as `cargo info` spells it.
const CRATE_SPEC: &str = "runnerd-web@0.0.27";
const CRATE_FILE: &str = "runnerd-web-0.0.27.crate";

/// Where the files land, relative to the workspace root (git-ignored through `/vendor`).
pub(crate) const VENDOR_DIR: &str = "vendor/datastar";

/// The sha256 of the unmodified Datastar v1.0.4 `bundles/datastar.js`.
pub(crate) const BUNDLE_SHA256: &str = "727844adfc825ee651fb93c544a2a739986f9a21820a94524b35f0cac470cf91";

/// A file taken out of the crate, with the sha256 it must have.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PinnedFile {
    /// The path inside the `.crate` tarball.
    pub(crate) in_crate: &'static str,
    /// The file's name in [`VENDOR_DIR`].
    pub(crate) file_name: &'static str,
    pub(crate) sha256: &'static str,
}

/// The bundle comes last: it is renamed into place last, so a verified `datastar.js`
/// means its license is there too.
pub(crate) const FILES: [PinnedFile; 2] = [
    PinnedFile {
        in_crate: "runnerd-web-0.0.27/assets/datastar.LICENSE.md",
        file_name: "LICENSE.md",
        sha256: "17da0e216d3c6a819526f5b72a6a44d84d34bcd9beb4191ac6af89c1508ef08f",
    },
    PinnedFile { in_crate: "runnerd-web-0.0.27/assets/datastar.js", file_name: "datastar.js", sha256: BUNDLE_SHA256 },
];

/// Makes sure `vendor/datastar/` holds the verified bundle and license, downloading them
/// only when they are missing or do not match.
pub(crate) fn fetch(root: &Path) -> Result<()> {
    let dir = root.join(VENDOR_DIR);
    let bundle = dir.join("datastar.js");
    match check_installed(&dir, &FILES)? {
        Installed::Verified => {
            println!(
                "{} is already there and verified (Datastar v{DATASTAR_VERSION}, sha256 {BUNDLE_SHA256}); nothing to do",
                bundle.display()
            );
            return Ok(());
        }
        Installed::Missing => {}
        Installed::Mismatch(wrong) => {
            for WrongFile { path, found } in wrong {
                fs::remove_file(&path).with_context(|| {
                    format!(
                        "could not remove `{}`, which does not match its pinned sha256; delete it by hand",
                        path.display()
                    )
                })?;
                eprintln!(
                    "warning: removed `{}`: its sha256 was {found}, not the pinned one; fetching it again",
                    path.display()
                );
            }
        }
    }
    let cargo_home = TempDir::new("xtask-cargo-home")?;
    let crate_file = download(cargo_home.path())?;
    install(&crate_file, &dir, &FILES)?;
    println!("fetched Datastar v{DATASTAR_VERSION} into {} (sha256 verified)", bundle.display());
    Ok(())
}

/// What `vendor/datastar/` holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Installed {
    /// Every file is there with its pinned sha256.
    Verified,
    /// At least one file is absent; every present one matches.
    Missing,
    /// These files are there with the wrong content.
    Mismatch(Vec<WrongFile>),
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct WrongFile {
    pub(crate) path: PathBuf,
    /// The sha256 the file has.
    pub(crate) found: String,
}

pub(crate) fn check_installed(dir: &Path, files: &[PinnedFile]) -> Result<Installed> {
    let mut missing = false;
    let mut wrong = Vec::new();
    for file in files {
        let path = dir.join(file.file_name);
        if !path.exists() {
            missing = true;
            continue;
        }
        let bytes = fs::read(&path).with_context(|| format!("could not read `{}`", path.display()))?;
        let found = sha256_hex(&bytes);
        if found != file.sha256 {
            wrong.push(WrongFile { path, found });
        }
    }
    Ok(if !wrong.is_empty() {
        Installed::Mismatch(wrong)
    } else if missing {
        Installed::Missing
    } else {
        Installed::Verified
    })
}

/// Downloads the `.crate` into `cargo_home`'s registry cache and returns its path.
fn download(cargo_home: &Path) -> Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(&cargo)
        .args(["info", CRATE_SPEC])
        .env("CARGO_HOME", cargo_home)
        // Outside the workspace, so that no project config changes what cargo does.
        .current_dir(cargo_home)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("could not run `cargo info {CRATE_SPEC}`; is cargo on PATH?"))?;
    if !output.status.success() {
        bail!(
            "`cargo info {CRATE_SPEC}` failed ({}); check that crates.io is reachable and run \
             `cargo xtask fetch-datastar` again; cargo said:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim_end()
        );
    }
    let cache = cargo_home.join("registry").join("cache");
    let registries = fs::read_dir(&cache).with_context(|| {
        format!(
            "`cargo info {CRATE_SPEC}` succeeded but left no `{}`; this cargo may no longer \
             download the crate for `cargo info`: download `{CRATE_FILE}` another way",
            cache.display()
        )
    })?;
    for registry in registries {
        let candidate = registry?.path().join(CRATE_FILE);
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    bail!(
        "`cargo info {CRATE_SPEC}` succeeded but left no `{CRATE_FILE}` under `{}`; this cargo \
         may no longer download the crate for `cargo info`: download `{CRATE_FILE}` another way",
        cache.display()
    )
}

/// Extracts `files` from the gzipped tarball `crate_file` into `dir`, verifying each one's
/// sha256 before any of them takes its final name.
pub(crate) fn install(crate_file: &Path, dir: &Path, files: &[PinnedFile]) -> Result<()> {
    let contents = extract(crate_file, files)?;
    fs::create_dir_all(dir).with_context(|| format!("could not create `{}`", dir.display()))?;
    let mut parts = PartFiles(Vec::new());
    for (file, bytes) in files.iter().zip(&contents) {
        let part = dir.join(format!(".{}.{}.part", file.file_name, std::process::id()));
        parts.0.push(part.clone());
        fs::write(&part, bytes).with_context(|| format!("could not write `{}`", part.display()))?;
    }
    // Verify what is on disk, not what is in memory: that is what will be served.
    for (file, part) in files.iter().zip(&parts.0) {
        let bytes = fs::read(part).with_context(|| format!("could not read `{}`", part.display()))?;
        let found = sha256_hex(&bytes);
        if found != file.sha256 {
            bail!(
                "sha256 mismatch for `{}` from `{}`: expected {}, found {found}; nothing was \
                 written to `{}`, because the download is not the pinned Datastar \
                 v{DATASTAR_VERSION} file; run `cargo xtask fetch-datastar` again, and if it \
                 still differs, check the file against the official v{DATASTAR_VERSION} release \
                 before you change the pinned sum in `xtask/src/datastar.rs`",
                file.in_crate,
                crate_file.display(),
                file.sha256,
                dir.display()
            );
        }
    }
    for (file, part) in files.iter().zip(&parts.0) {
        let path = dir.join(file.file_name);
        fs::rename(part, &path)
            .with_context(|| format!("could not rename `{}` to `{}`", part.display(), path.display()))?;
    }
    Ok(())
}

/// Temp files that are removed when dropped; once renamed, removing them is a no-op.
#[derive(Debug)]
struct PartFiles(Vec<PathBuf>);

impl Drop for PartFiles {
    fn drop(&mut self) {
        for part in &self.0 {
            let _ = fs::remove_file(part);
        }
    }
}

/// Reads each of `files` out of the tarball, in the order given.
fn extract(crate_file: &Path, files: &[PinnedFile]) -> Result<Vec<Vec<u8>>> {
    let context = || format!("could not read `{}` as a gzipped tarball", crate_file.display());
    let reader = BufReader::new(File::open(crate_file).with_context(context)?);
    let mut archive = tar::Archive::new(GzDecoder::new(reader));
    let mut found: Vec<Option<Vec<u8>>> = vec![None; files.len()];
    for entry in archive.entries().with_context(context)? {
        let mut entry = entry.with_context(context)?;
        let path = entry.path().with_context(context)?.into_owned();
        let Some(index) = files.iter().position(|file| path == Path::new(file.in_crate)) else {
            continue;
        };
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).with_context(context)?;
        found[index] = Some(bytes);
    }
    files
        .iter()
        .zip(found)
        .map(|(file, bytes)| {
            bytes.with_context(|| {
                format!(
                    "`{}` does not contain `{}`; the crate that carries Datastar \
                     v{DATASTAR_VERSION} must be pinned anew in `xtask/src/datastar.rs`",
                    crate_file.display(),
                    file.in_crate
                )
            })
        })
        .collect()
}

/// The sha256 of `bytes` as lowercase hex, the way `sha256sum` prints it.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests;
