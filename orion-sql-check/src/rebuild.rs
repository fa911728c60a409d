//! Finding the crate a query is written in, so its migrations can be found (also under
//! trybuild), and what makes Cargo rebuild the crate when they change.
//!
//! On stable Rust a proc-macro cannot tell Cargo which files it read. Two things make up for
//! it, both set up by the macro that checks queries:
//!
//! - **Edited migrations**: the generated code `include_bytes!`s every file of
//!   [`Schema::migration_paths`](crate::Schema::migration_paths) (absolute paths), so rustc
//!   lists them as inputs of the crate and Cargo rebuilds it when one changes.
//! - **New migrations**: a new file is nobody's input yet, so the app has a `build.rs` that
//!   asks Cargo to rerun it when anything under `src/` changes (a folder is scanned whole, so
//!   a new file or a new `migrations/` folder counts), and a rerun build script rebuilds the
//!   crate:
//!
//! ```text
//! // build.rs
//! fn main() {
//!     println!("cargo:rerun-if-changed=src");
//! }
//! ```
//!
//! Naming `src` rather than each `migrations/` folder also catches the first migration of a
//! new feature. The crate recompiles anyway when a source file changes, so the wider net
//! costs only the (trivial) build script run.
//!
//! Both cases are tested end to end, by building an app with cargo and changing its
//! migrations: `orion/tests/it/rebuild.rs`.

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

/// The root of the crate `source_file` belongs to: the nearest folder above it that holds a
/// `Cargo.toml`; `manifest_dir` when there is no source file or none is found.
///
/// A proc-macro passes `proc_macro::Span::call_site().local_file()` (stable since Rust
/// 1.88) and `CARGO_MANIFEST_DIR`. The source file is what makes this work under trybuild:
/// there the crate being compiled is generated in `target/tests/trybuild/<crate>/` and
/// `CARGO_MANIFEST_DIR` points at it, but the test's source file is still the real one in
/// the repository, and the folder above it with a `Cargo.toml` is the real crate (e.g.
/// `ui-tests/`). A relative source path is taken from the current directory, which for
/// rustc is the workspace root Cargo runs it in.
pub fn crate_root(source_file: Option<&Path>, manifest_dir: Option<&Path>) -> Option<PathBuf> {
    let from_source = source_file.and_then(|file| {
        let file = std::path::absolute(file).ok()?;
        file.ancestors().skip(1).find(|dir| dir.join("Cargo.toml").is_file()).map(Path::to_path_buf)
    });
    from_source.or_else(|| manifest_dir.map(Path::to_path_buf))
}
