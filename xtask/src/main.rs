//! `cargo xtask`: all of orion's repo automation, written in Rust (STYLE 4).
//!
//! The alias in `.cargo/config.toml` makes `cargo xtask <command>` run this binary
//! from any directory of the workspace. Every command works on the workspace root,
//! found at compile time as the parent of this crate's folder.
//!
//! | command | does |
//! |---|---|
//! | `cargo xtask todos [-- <args>]` | runs the example app (fetching the Datastar bundle first) |
//! | `cargo xtask ci [-- <nextest args>]` | the one command that runs every test; `.ci/run` calls it |
//! | `cargo xtask book` | builds the mdBook tutorial into `book/build` (installs `mdbook` if missing) |
//! | `cargo xtask fetch-datastar` | puts the pinned Datastar client into the git-ignored `vendor/datastar/` |
//! | `cargo xtask tidy` | checks the repo rules that `rustc` and `clippy` cannot see |
//!
//! # Layout
//!
//! - `main.rs`: argument parsing (by hand, no `clap`, to keep compile time down) and `--help`.
//! - `ci.rs`: the ordered steps of `cargo xtask ci`.
//! - `datastar.rs`: download, extraction and sha256 verification of the Datastar bundle.
//! - `tidy.rs`: the repo rules, as a library function plus a `#[test]`, so that
//!   `cargo nextest run --workspace` enforces them too.
//! - `temp_dir.rs`: a directory that removes itself, for the throwaway `CARGO_HOME`.
//!
//! # Dependencies
//!
//! xtask is a dev tool that is never published nor linked into an app, so its
//! dependencies cost only compile time of this one binary:
//!
//! - `anyhow`: xtask is a binary; its errors only ever reach a human (STYLE 13).
//! - `sha2`: verifies the Datastar bundle against its pinned sha256; the runtime
//!   already depends on it, so it adds nothing to the build.
//! - `flate2` (pure-Rust `miniz_oxide` backend only) and `tar` (without `xattr`):
//!   read the bundle out of the downloaded `.crate`, which is a gzipped tarball.
//!   Shelling out to `tar` would work on our Linux machines but not on every
//!   developer's, and its flags differ between GNU and BSD `tar`.

mod book;
mod ci;
mod datastar;
mod temp_dir;
mod tidy;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};

const HELP: &str = "\
cargo xtask: orion's repo automation

usage: cargo xtask <command> [options]

commands:
  todos            run the example app on http://localhost:3000 (the README's run command)
  ci               run every check and test: the README's test command, and what CI runs
  book             build the tutorial (book/) into book/build
  fetch-datastar   download the pinned Datastar client into vendor/datastar/ (never committed)
  tidy             check the repo rules (module docs, no skipped tests, no sleeps in tests, ...)
  help             print this help; `cargo xtask <command> --help` describes one command
";

const CI_HELP: &str = "\
cargo xtask ci: run every check and test, failing at the first step that fails

usage: cargo xtask ci [-- <extra cargo-nextest arguments>]

steps, in order:
  1. fetch-datastar        so that every test uses the local, verified Datastar bundle
  2. chromium/chromedriver /usr/bin/chromium and /usr/bin/chromedriver, installed with apt-get
                           if missing (as root; otherwise it says what to run). The browser
                           tests are never skipped
  3. cargo-nextest         must be installed: `cargo install cargo-nextest --locked`
  4. cargo fmt --all -- --check
  5. cargo nextest run --workspace --no-fail-fast [extra arguments], then
     cargo test --workspace --doc
  6. tidy

examples:
  cargo xtask ci
  cargo xtask ci -- -E 'test(region)'

`.ci/run` runs exactly this. CI=true changes only the wording of messages.
";

const FETCH_DATASTAR_HELP: &str = "\
cargo xtask fetch-datastar: put the Datastar v1.0.4 client into vendor/datastar/

usage: cargo xtask fetch-datastar

Downloads the `runnerd-web` 0.0.27 crate from crates.io with `cargo info` (into a
throwaway CARGO_HOME; the crate is never a dependency), extracts its unmodified copy of
the bundle and its MIT license into vendor/datastar/datastar.js and
vendor/datastar/LICENSE.md, and checks both against pinned sha256 sums. A file that does
not match is never left in place. Does nothing when the files are already there and match.
";

const TIDY_HELP: &str = "\
cargo xtask tidy: check the repo rules that rustc and clippy cannot see

usage: cargo xtask tidy

rules:
  - every .rs file under orion/src, orion-macros/src and orion-sql-check/src starts with a
    `//!` module doc (tests.rs files and tests/ folders excepted)
  - no #[ignore] and no #[should_panic] in any .rs file
  - no std::thread::sleep or tokio::time::sleep in test code, unless the line says
    `// tidy: sleep-ok <reason>`
  - no file named utils.rs, no folder named utils
  - the Datastar bundle (datastar.js) is not tracked by git

All problems are reported at once, each with its file, line and fix. The same checks run
as the `workspace_is_tidy` test of this crate.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<()> {
    let Some((command, rest)) = args.split_first() else {
        print!("{HELP}");
        return Ok(());
    };
    let wants_help = rest.first().is_some_and(|arg| is_help(arg));
    let root = workspace_root();
    match command.as_str() {
        "-h" | "--help" | "help" => match rest.first().map(String::as_str) {
            None => print!("{HELP}"),
            Some("ci") => print!("{CI_HELP}"),
            Some("fetch-datastar") => print!("{FETCH_DATASTAR_HELP}"),
            Some("tidy") => print!("{TIDY_HELP}"),
            Some(other) => bail!("unknown command `{other}`; run `cargo xtask --help`"),
        },
        "ci" if wants_help => print!("{CI_HELP}"),
        "ci" => {
            let nextest_args = match rest.split_first() {
                None => &[][..],
                Some((separator, extra)) if separator == "--" => extra,
                Some((other, _)) => bail!(
                    "unexpected argument `{other}` for `cargo xtask ci`; \
                     pass arguments for cargo-nextest after `--`, \
                     e.g. `cargo xtask ci -- -E 'test(foo)'`"
                ),
            };
            ci::run(&root, nextest_args)?;
        }
        "todos" => {
            let args = match rest.split_first() {
                None => &[][..],
                Some((separator, extra)) if separator == "--" => extra,
                Some((_, _)) => rest,
            };
            datastar::fetch(&root)?;
            book::run_example(&root, args)?;
        }
        "book" => {
            no_more_args("book", rest)?;
            book::build(&root)?;
        }
        "fetch-datastar" if wants_help => print!("{FETCH_DATASTAR_HELP}"),
        "fetch-datastar" => {
            no_more_args("fetch-datastar", rest)?;
            datastar::fetch(&root)?;
        }
        "tidy" if wants_help => print!("{TIDY_HELP}"),
        "tidy" => {
            no_more_args("tidy", rest)?;
            tidy::run(&root)?;
        }
        other => bail!("unknown command `{other}`; run `cargo xtask --help` for the list"),
    }
    Ok(())
}

fn is_help(arg: &str) -> bool {
    matches!(arg, "-h" | "--help")
}

fn no_more_args(command: &str, rest: &[String]) -> Result<()> {
    if let Some(arg) = rest.first() {
        bail!(
            "unexpected argument `{arg}`: `cargo xtask {command}` takes none; \
             run `cargo xtask {command} --help`"
        );
    }
    Ok(())
}

/// The workspace root: the parent of this crate's folder, wherever cargo was run from.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask's manifest folder has a parent: the workspace root")
        .to_path_buf()
}
