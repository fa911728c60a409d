//! `cargo xtask ci`: the one command that runs every check and test.
//!
//! It is the README's test command, and `.ci/run` only calls it, so CI and a developer
//! run the same steps in the same order. Each step prints `==> <step>` as it starts,
//! and the first failing step ends the run with a message that says what to do.
//! `CI=true` changes only wording; what runs is the same everywhere.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::{datastar, tidy};

/// Where the browser tests expect Debian's `chromium` and `chromium-driver` packages, and the
/// durability tests (`examples/durability`, which count syncs) Debian's `strace`.
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const STRACE: &str = "/usr/bin/strace";
const APT_PACKAGES: [&str; 3] = ["chromium", "chromium-driver", "strace"];

/// Runs every step in order; `nextest_args` go to `cargo nextest run` as they are.
pub(crate) fn run(root: &Path, nextest_args: &[String]) -> Result<()> {
    let started = Instant::now();
    let result = steps(root, nextest_args);
    let seconds = started.elapsed().as_secs_f64();
    match result {
        Ok(()) => {
            println!("==> ci passed in {seconds:.1}s");
            Ok(())
        }
        Err(error) if in_ci() => {
            Err(error.context(format!("ci failed after {seconds:.1}s; reproduce it locally with `cargo xtask ci`")))
        }
        Err(error) => Err(error.context(format!("ci failed after {seconds:.1}s"))),
    }
}

fn steps(root: &Path, nextest_args: &[String]) -> Result<()> {
    step("fetch-datastar");
    datastar::fetch(root).context("could not put the Datastar bundle in `vendor/datastar/`, which the tests serve")?;

    step("chromium and chromedriver, for the browser tests; strace, for the durability tests");
    ensure_browser()?;

    step("cargo nextest --version");
    let nextest = cargo(root).args(["nextest", "--version"]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    if !nextest.is_ok_and(|status| status.success()) {
        bail!("cargo-nextest is not installed; run `cargo install cargo-nextest --locked`");
    }

    step("cargo fmt --all -- --check");
    run_command(cargo(root).args(["fmt", "--all", "--", "--check"]))
        .context("the code is not formatted as rustfmt would; run `cargo fmt --all`")?;

    step("cargo clippy --workspace --all-targets -- -D warnings");
    run_command(cargo(root).args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
        .context("clippy found problems; each is listed above")?;

    step("cargo doc --no-deps (orion, orion-macros, orion-sql-check; warnings are errors)");
    run_command(
        cargo(root)
            .args(["doc", "--no-deps", "--all-features", "-p", "orion", "-p", "orion-macros", "-p", "orion-sql-check"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )
    .context("the API docs have broken links or code blocks; each is listed above")?;

    let mut nextest = cargo(root);
    nextest.args(["nextest", "run", "--workspace", "--no-fail-fast"]).args(nextest_args);
    step(&display(&nextest));
    run_command(&mut nextest)
        .context("tests failed; each failure is listed above, and nextest's summary names them")?;

    step("cargo test --workspace --doc");
    run_command(cargo(root).args(["test", "--workspace", "--doc"]))
        .context("doctests failed; each failure is listed above")?;

    step("tidy");
    tidy::run(root)
}

fn step(name: &str) {
    println!("==> {name}");
}

/// Makes sure the browser, its driver and strace are installed; a missing one fails the run,
/// it never skips the tests that need it (STYLE 24d).
fn ensure_browser() -> Result<()> {
    let install = format!("apt-get install -y {}", APT_PACKAGES.join(" "));
    let missing = missing_browser_files();
    if missing.is_empty() {
        println!("    found {CHROMIUM}, {CHROMEDRIVER} and {STRACE}");
        return Ok(());
    }
    let missing = missing.join(" and ");
    if !is_root() {
        let who = if in_ci() { "the CI machine runs `.ci/run` without root" } else { "installing them needs root" };
        bail!(
            "{missing} missing, and the browser and durability tests need them; {who}: run \
             `sudo apt-get update && sudo {install}`, then `cargo xtask ci` again"
        );
    }
    println!("    {missing} missing; installing with `apt-get update && {install}`");
    run_command(Command::new("apt-get").arg("update"))
        .context("`apt-get update` failed; check that the Debian package mirror is reachable")?;
    run_command(
        Command::new("apt-get").args(["install", "-y"]).args(APT_PACKAGES).env("DEBIAN_FRONTEND", "noninteractive"),
    )
    .with_context(|| format!("`{install}` failed; see apt's output above"))?;
    let still_missing = missing_browser_files();
    if !still_missing.is_empty() {
        bail!(
            "`{install}` succeeded but {} is still missing; find where the packages put the \
             binaries with `dpkg -L {}`",
            still_missing.join(" and "),
            APT_PACKAGES.join(" ")
        );
    }
    Ok(())
}

fn missing_browser_files() -> Vec<String> {
    [CHROMIUM, CHROMEDRIVER, STRACE]
        .into_iter()
        .filter(|path| !Path::new(path).exists())
        .map(|path| format!("`{path}`"))
        .collect()
}

/// Whether this process runs as root (`id -u` is `0`); `false` when that cannot be told.
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.status.success() && output.stdout.trim_ascii() == b"0")
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true" || value == "1")
}

/// `cargo`, the same one that runs xtask, in the workspace root.
fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root);
    command
}

/// Runs `command` with its output going straight to ours; fails unless it exits with 0.
fn run_command(command: &mut Command) -> Result<()> {
    let shown = display(command);
    let status = command
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("could not start `{shown}`; is it installed and on PATH?"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// The command as a person would type it, with `cargo` for the full path in `$CARGO`.
fn display(command: &Command) -> String {
    let program = command.get_program();
    let program =
        if std::env::var_os("CARGO").is_some_and(|cargo| cargo == program) { OsStr::new("cargo") } else { program };
    std::iter::once(program)
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
