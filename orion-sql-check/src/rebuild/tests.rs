//! Finding the crate root from a source file, as under trybuild.

use super::crate_root;

#[test]
fn the_crate_of_a_source_file_is_the_nearest_folder_with_a_cargo_toml() {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = manifest.join("src/rebuild/tests.rs");
    // As trybuild has it: the manifest dir is a generated crate elsewhere.
    let generated = std::env::temp_dir();
    assert_eq!(crate_root(Some(&source), Some(&generated)).as_deref(), Some(manifest));
}

#[test]
fn a_relative_source_file_is_taken_from_the_current_directory() {
    // Tests run in the crate's folder; rustc runs in the workspace root with paths relative to it.
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(crate_root(Some("src/lib.rs".as_ref()), None).as_deref(), Some(manifest));
}

#[test]
fn without_a_source_file_the_manifest_dir_is_the_root() {
    assert_eq!(crate_root(None, Some("/app".as_ref())).as_deref(), Some("/app".as_ref()));
}
