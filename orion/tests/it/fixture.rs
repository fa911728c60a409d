//! An app crate built with cargo, as its author builds it: `tests/fixtures/app/` copied into
//! a fresh temporary folder (a workspace of its own, depending on this checkout's orion by
//! path), and built into the workspace's `target/`, so that orion's dependencies, already
//! compiled there, are not compiled again.
//!
//! Each copy has a package name of its own, so its artifacts never mix with another test's
//! (tests run in parallel, and two test runs may share `target/`); they are deleted with it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::TempDir;

/// A copy of the fixture app.
pub(crate) struct Fixture {
    dir: TempDir,
    /// The package name of this copy.
    name: String,
}

/// What a cargo command did.
#[derive(Debug)]
pub(crate) struct Cargo {
    pub(crate) success: bool,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Fixture {
    /// A fresh copy of `tests/fixtures/app/`.
    pub(crate) fn new() -> Fixture {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!("orion-fixture-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let dir = TempDir::new(&name);
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy(&manifest.join("tests/fixtures/app"), dir.path());
        let template = dir.join("Cargo.toml.in");
        let orion = manifest.to_str().expect("the checkout's path is UTF-8");
        let cargo_toml = std::fs::read_to_string(&template).unwrap().replace("@NAME@", &name).replace("@ORION@", orion);
        std::fs::write(dir.join("Cargo.toml"), cargo_toml).unwrap();
        std::fs::remove_file(template).unwrap();
        // The workspace's lock file: the same versions of every dependency, so the ones in
        // `target/` are reused, and nothing is fetched.
        std::fs::copy(manifest.join("../Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        Fixture { dir, name }
    }

    /// The file at `relative` in the copy.
    pub(crate) fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    /// Writes `text` to `relative`, after a pause: file times are coarse, and an edit right
    /// after a build could carry the build's own time, which cargo would take for "unchanged".
    pub(crate) fn write(&self, relative: &str, text: &str) {
        std::thread::sleep(Duration::from_millis(50)); // tidy: sleep-ok file times are coarse, see above
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Deletes `relative`, after the same pause as [`write`](Fixture::write).
    pub(crate) fn remove(&self, relative: &str) {
        std::thread::sleep(Duration::from_millis(50)); // tidy: sleep-ok file times are coarse, see `write`
        std::fs::remove_file(self.path(relative)).unwrap();
    }

    /// Runs `cargo --offline -v <args>` in the copy, with the workspace's `target/`.
    pub(crate) fn cargo(&self, args: &[&str]) -> Cargo {
        let output = Command::new(env!("CARGO"))
            .args(["--offline", "-v", "--color", "never"])
            .args(args)
            .current_dir(self.dir.path())
            .env("CARGO_TARGET_DIR", target_dir())
            .output()
            .unwrap();
        Cargo {
            success: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// The package name of this copy, as cargo prints it (`Compiling <name> v0.1.0 (…)`).
    pub(crate) fn name(&self) -> &str {
        &self.name
    }
}

impl Cargo {
    /// Whether cargo compiled the copy's own crate (not merely found it fresh).
    pub(crate) fn compiled(&self, name: &str) -> bool {
        self.stderr.lines().any(|line| line.trim_start().starts_with(&format!("Compiling {name} ")))
    }

    /// Whether cargo found the copy's crate fresh.
    pub(crate) fn fresh(&self, name: &str) -> bool {
        self.stderr.lines().any(|line| line.trim_start().starts_with(&format!("Fresh {name} ")))
    }
}

impl Drop for Fixture {
    /// Deletes what the copy's builds left in the shared `target/`: each unit's fingerprint
    /// folder is named like its artifacts (`<package>-<hash>`, `lib<crate>-<hash>.rlib`).
    fn drop(&mut self) {
        let debug = target_dir().join("debug");
        let prefix = format!("{}-", self.name);
        let Ok(fingerprints) = std::fs::read_dir(debug.join(".fingerprint")) else { return };
        for entry in fingerprints.flatten() {
            let file_name = entry.file_name();
            let Some(hash) = file_name.to_str().and_then(|name| name.strip_prefix(&prefix)) else { continue };
            if let Ok(artifacts) = std::fs::read_dir(debug.join("deps")) {
                for artifact in artifacts.flatten() {
                    let artifact_name = artifact.file_name();
                    let artifact_name = artifact_name.to_string_lossy();
                    let stem = artifact_name.split_once('.').map_or(&*artifact_name, |(stem, _)| stem);
                    if stem.ends_with(&format!("-{hash}")) {
                        let _ = std::fs::remove_file(artifact.path());
                    }
                }
            }
            let _ = std::fs::remove_dir_all(debug.join("build").join(&file_name));
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The workspace's `target/`: the parent of the folder cargo gives integration tests.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("`CARGO_TARGET_TMPDIR` is `target/tmp`").to_path_buf()
}

/// Copies the folder `from` into `to`, recursively.
fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
