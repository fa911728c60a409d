//! `cargo xtask todos` (run the example) and `cargo xtask book` (build the tutorial).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The mdBook version the book is written for.
const MDBOOK: &str = "0.5.4";

/// Runs the todos example with `args`, in the foreground, from the workspace root (so it finds
/// `vendor/datastar/` and keeps its database, `todos.db`, there).
pub(crate) fn run_example(root: &Path, args: &[String]) -> Result<()> {
    let status = Command::new(env!("CARGO"))
        .args(["run", "--package", "todos", "--"])
        .args(args)
        .current_dir(root)
        .status()
        .context("running `cargo run --package todos`")?;
    if !status.success() {
        bail!("the todos example exited with {status}");
    }
    Ok(())
}

/// Builds `book/` into `book/build`, installing mdBook with cargo if it is missing.
pub(crate) fn build(root: &Path) -> Result<()> {
    if Command::new("mdbook").arg("--version").output().is_err() {
        eprintln!("==> installing mdbook {MDBOOK} (cargo install mdbook --locked)");
        let status = Command::new(env!("CARGO"))
            .args([
                "install",
                "mdbook",
                "--locked",
                "--version",
                MDBOOK,
                "--no-default-features",
                "--features",
                "search",
            ])
            .status()
            .context("running `cargo install mdbook`")?;
        if !status.success() {
            bail!("`cargo install mdbook` failed: install mdbook {MDBOOK} yourself and run `cargo xtask book` again");
        }
    }
    let status = Command::new("mdbook")
        .args(["build", "book"])
        .current_dir(root)
        .status()
        .context("running `mdbook build book`")?;
    if !status.success() {
        bail!("`mdbook build book` failed (see above)");
    }
    println!("the book is in {}", root.join("book/build/index.html").display());
    Ok(())
}
