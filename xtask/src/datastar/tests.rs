use std::fs;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use super::{Installed, PinnedFile, WrongFile, check_installed, install, sha256_hex};
use crate::temp_dir::TempDir;

const BUNDLE: &[u8] = b"// Datastar stand-in\n";
const LICENSE: &[u8] = b"MIT stand-in\n";

/// Writes a gzipped tarball holding `entries` (path, content), like a `.crate`.
fn write_crate(dir: &Path, entries: &[(&str, &[u8])]) -> PathBuf {
    let path = dir.join("stand-in-0.0.1.crate");
    let gz = GzEncoder::new(fs::File::create(&path).unwrap(), Compression::fast());
    let mut builder = tar::Builder::new(gz);
    for (name, content) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(content.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, name, *content).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap();
    path
}

fn pinned(bundle_sha256: &'static str) -> [PinnedFile; 2] {
    let license_sha256: &'static str = sha256_hex(LICENSE).leak();
    [
        PinnedFile { in_crate: "stand-in-0.0.1/assets/LICENSE.md", file_name: "LICENSE.md", sha256: license_sha256 },
        PinnedFile { in_crate: "stand-in-0.0.1/assets/datastar.js", file_name: "datastar.js", sha256: bundle_sha256 },
    ]
}

fn stand_in_crate(dir: &Path) -> PathBuf {
    write_crate(
        dir,
        &[
            ("stand-in-0.0.1/Cargo.toml", b"[package]\n"),
            ("stand-in-0.0.1/assets/datastar.js", BUNDLE),
            ("stand-in-0.0.1/assets/LICENSE.md", LICENSE),
        ],
    )
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    names
}

#[test]
fn sha256_hex_matches_sha256sum() {
    assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

#[test]
fn install_writes_exactly_the_pinned_files() {
    let temp = TempDir::new("xtask-test").unwrap();
    let crate_file = stand_in_crate(temp.path());
    let dir = temp.path().join("vendor/datastar");
    let files = pinned(sha256_hex(BUNDLE).leak());

    install(&crate_file, &dir, &files).unwrap();

    assert_eq!(file_names(&dir), ["LICENSE.md", "datastar.js"]);
    assert_eq!(fs::read(dir.join("datastar.js")).unwrap(), BUNDLE);
    assert_eq!(fs::read(dir.join("LICENSE.md")).unwrap(), LICENSE);
    assert_eq!(check_installed(&dir, &files).unwrap(), Installed::Verified);
}

#[test]
fn install_refuses_a_mismatch_and_leaves_nothing_behind() {
    let temp = TempDir::new("xtask-test").unwrap();
    let crate_file = stand_in_crate(temp.path());
    let dir = temp.path().join("vendor/datastar");
    let expected = "0".repeat(64);
    let files = pinned(expected.clone().leak());

    let error = install(&crate_file, &dir, &files).unwrap_err().to_string();

    assert!(error.contains(&format!("expected {expected}")), "{error}");
    assert!(error.contains(&format!("found {}", sha256_hex(BUNDLE))), "{error}");
    assert!(error.contains("cargo xtask fetch-datastar"), "{error}");
    assert_eq!(file_names(&dir), Vec::<String>::new());
}

#[test]
fn install_names_a_file_missing_from_the_crate() {
    let temp = TempDir::new("xtask-test").unwrap();
    let crate_file = write_crate(temp.path(), &[("stand-in-0.0.1/assets/datastar.js", BUNDLE)]);
    let dir = temp.path().join("vendor/datastar");
    let files = pinned(sha256_hex(BUNDLE).leak());

    let error = install(&crate_file, &dir, &files).unwrap_err().to_string();

    assert!(error.contains("does not contain `stand-in-0.0.1/assets/LICENSE.md`"), "{error}");
    assert!(!dir.exists());
}

#[test]
fn check_installed_tells_missing_from_wrong() {
    let temp = TempDir::new("xtask-test").unwrap();
    let dir = temp.path();
    let files = pinned(sha256_hex(BUNDLE).leak());
    assert_eq!(check_installed(dir, &files).unwrap(), Installed::Missing);

    fs::write(dir.join("LICENSE.md"), LICENSE).unwrap();
    assert_eq!(check_installed(dir, &files).unwrap(), Installed::Missing);

    fs::write(dir.join("datastar.js"), b"tampered").unwrap();
    assert_eq!(
        check_installed(dir, &files).unwrap(),
        Installed::Mismatch(vec![WrongFile { path: dir.join("datastar.js"), found: sha256_hex(b"tampered") }])
    );
}

#[test]
fn pinned_files_come_from_the_pinned_crate() {
    for file in super::FILES {
        assert!(file.in_crate.starts_with("runnerd-web-0.0.27/assets/"), "{file:?}");
    }
    assert_eq!(super::FILES.last().unwrap().sha256, super::BUNDLE_SHA256);
}
