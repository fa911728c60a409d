//! `cargo xtask tidy`: the repo rules that `rustc` and `clippy` cannot see (STYLE 4).
//!
//! [`check`] walks the work tree (so new, not yet committed files count too) and returns
//! every problem at once, each naming its file and line and saying how to fix it
//! (STYLE 15, 16). It runs as the `workspace_is_tidy` test in `tidy/tests.rs`, so
//! `cargo nextest run --workspace` enforces the rules even without `cargo xtask tidy`.
//!
//! The rules that look for text (`#[ignore]`, sleeps) skip `xtask/src`, which holds that
//! text as patterns and test inputs, and lines that are comments.

use std::fmt;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::datastar::{BUNDLE_SHA256, sha256_hex};

/// Folders whose `.rs` files must each start with a `//!` module doc.
const MODULE_DOC_ROOTS: [&str; 3] = ["orion/src", "orion-macros/src", "orion-sql-check/src"];

/// Holds the rules' own patterns, so the text rules do not look inside it.
const XTASK_SRC: &str = "xtask/src";

/// Folders never walked wherever they are: git's own data and build output.
const SKIPPED_DIR_NAMES: [&str; 3] = [".git", "target", "node_modules"];

/// Folders never walked, relative to the root, as `.gitignore` has them: the fetched
/// bundle and the built book.
const SKIPPED_DIRS: [&str; 2] = ["vendor", "book/build"];

/// The marker that allows one sleep in test code, followed by a reason.
const SLEEP_OK: &str = "// tidy: sleep-ok";

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// Relative to the workspace root.
    pub(crate) path: PathBuf,
    /// 1-based; `None` when the rule is about the whole file or folder.
    pub(crate) line: Option<usize>,
    /// What is wrong and how to fix it.
    pub(crate) message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// Runs `cargo xtask tidy`: prints every problem, then fails if there was any.
pub(crate) fn run(root: &Path) -> Result<()> {
    let problems = check(root)?;
    if problems.is_empty() {
        println!("tidy: no problems");
        return Ok(());
    }
    eprint!("{}", report(&problems));
    bail!("tidy found {} problem(s), listed above; fix each as it says, then run `cargo xtask tidy`", problems.len())
}

/// One line per problem.
pub(crate) fn report(problems: &[Problem]) -> String {
    problems.iter().map(|problem| format!("{problem}\n")).collect()
}

/// Checks every rule on the work tree at `root` and returns all problems, sorted by
/// file and line. Errors only when the tree cannot be read or `git` cannot be run.
pub(crate) fn check(root: &Path) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    walk(root, Path::new(""), &mut entries)?;
    for entry in &entries {
        check_name(entry, &mut problems);
        if entry.is_dir || entry.path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let full = root.join(&entry.path);
        let bytes = fs::read(&full).with_context(|| format!("could not read `{}`", full.display()))?;
        check_source(&entry.path, &String::from_utf8_lossy(&bytes), &mut problems);
    }
    for entry in entries.iter().filter(|e| !e.is_dir && e.path.starts_with("book/src")) {
        if entry.path.extension().is_some_and(|ext| ext == "md") {
            let text = fs::read_to_string(root.join(&entry.path))
                .with_context(|| format!("could not read `{}`", entry.path.display()))?;
            check_book_includes(root, &entry.path, &text, &mut problems);
        }
    }
    check_tracked_files(root, &git_ls_files(root)?, BUNDLE_SHA256, &mut problems);
    problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    Ok(problems)
}

#[derive(Debug)]
struct Entry {
    /// Relative to the workspace root.
    path: PathBuf,
    is_dir: bool,
}

/// Collects every file and folder under `root.join(rel)`, except the skipped folders.
fn walk(root: &Path, rel: &Path, entries: &mut Vec<Entry>) -> Result<()> {
    let dir = root.join(rel);
    let read = fs::read_dir(&dir).with_context(|| format!("could not list `{}`", dir.display()))?;
    for item in read {
        let item = item.with_context(|| format!("could not list `{}`", dir.display()))?;
        let path = rel.join(item.file_name());
        // `file_type` does not follow symlinks, so a link to a folder is never walked twice.
        let is_dir = item.file_type()?.is_dir();
        if is_dir && is_skipped_dir(&path) {
            continue;
        }
        entries.push(Entry { path: path.clone(), is_dir });
        if is_dir {
            walk(root, &path, entries)?;
        }
    }
    Ok(())
}

fn is_skipped_dir(rel: &Path) -> bool {
    rel.file_name().is_some_and(|name| SKIPPED_DIR_NAMES.iter().any(|skipped| name == *skipped))
        || SKIPPED_DIRS.iter().any(|skipped| rel == Path::new(skipped))
}

/// The book includes real code by anchor (STYLE 23): every `{{#include path:anchor}}` must
/// name a file that exists and an anchor it marks with `ANCHOR: name` … `ANCHOR_END: name`.
pub(crate) fn check_book_includes(root: &Path, page: &Path, text: &str, problems: &mut Vec<Problem>) {
    for (number, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{#include ") {
            let after = &rest[start + "{{#include ".len()..];
            let Some(end) = after.find("}}") else { break };
            let target = after[..end].trim();
            rest = &after[end..];
            // `path`, `path:anchor`, or `path:from:to` (a line range, not checked).
            let (file, anchor) = match target.split_once(':') {
                Some((file, rest)) if rest.starts_with(|c: char| c.is_ascii_digit() || c == ':') => (file, None),
                Some((file, anchor)) => (file, Some(anchor)),
                None => (target, None),
            };
            let path = page.parent().unwrap_or(Path::new("")).join(file);
            let problem = |message: String| Problem { path: page.to_path_buf(), line: Some(number + 1), message };
            let Ok(source) = fs::read_to_string(root.join(&path)) else {
                problems.push(problem(format!("`{file}` does not exist: fix the path of this include")));
                continue;
            };
            if let Some(anchor) = anchor {
                let marked =
                    source.contains(&format!("ANCHOR: {anchor}")) && source.contains(&format!("ANCHOR_END: {anchor}"));
                if !marked {
                    problems.push(problem(format!(
                        "`{file}` has no anchor `{anchor}`: add `// ANCHOR: {anchor}` and `// ANCHOR_END: {anchor}` around the code"
                    )));
                }
            }
        }
    }
}

/// No catch-all `utils` modules (STYLE 26).
fn check_name(entry: &Entry, problems: &mut Vec<Problem>) {
    let name = entry.path.file_name().and_then(|name| name.to_str());
    let message = match (name, entry.is_dir) {
        (Some("utils"), true) => {
            "folder named `utils`; move each item into a module named after the concept it \
             serves, or into the module that uses it (STYLE 26)"
        }
        (Some("utils.rs"), false) => {
            "file named `utils.rs`; move each item into a module named after the concept it \
             serves, or into the module that uses it (STYLE 26)"
        }
        _ => return,
    };
    problems.push(Problem { path: entry.path.clone(), line: None, message: message.to_owned() });
}

/// The rules about a `.rs` file's text; `path` is relative to the workspace root.
pub(crate) fn check_source(path: &Path, text: &str, problems: &mut Vec<Problem>) {
    let is_test_code = is_test_code(path);
    if !is_test_code && MODULE_DOC_ROOTS.iter().any(|root| path.starts_with(root)) {
        check_module_doc(path, text, problems);
    }
    if path.starts_with(XTASK_SRC) {
        return;
    }
    for (index, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let mut problem = |message: String| {
            problems.push(Problem { path: path.to_path_buf(), line: Some(index + 1), message });
        };
        if code.contains("#[ignore") {
            problem(
                "`#[ignore]` skips a test, and no test is skipped (STYLE 25); make it pass, \
                 or delete it"
                    .to_owned(),
            );
        }
        if code.contains("#[should_panic") {
            problem(
                "`#[should_panic]` passes on any panic, even the wrong one (STYLE 25); \
                 return the failure as a value and assert on it, e.g. \
                 `assert!(matches!(result, Err(..)))`"
                    .to_owned(),
            );
        }
        if is_test_code && let Some(message) = check_sleep(line) {
            problem(message);
        }
    }
}

/// Unit-test files (`tests.rs`) and anything under a `tests/` folder.
fn is_test_code(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == "tests.rs")
        || path.components().any(|component| component == Component::Normal("tests".as_ref()))
}

/// The first non-blank line must be a `//!` doc or a `#![doc = …]` attribute (STYLE 6).
fn check_module_doc(path: &Path, text: &str, problems: &mut Vec<Problem>) {
    let first = text.lines().enumerate().find(|(_, line)| !line.trim().is_empty());
    let has_doc = first.is_some_and(|(_, line)| {
        let line = line.trim_start();
        line.starts_with("//!") || line.starts_with("#![doc")
    });
    if !has_doc {
        problems.push(Problem {
            path: path.to_path_buf(),
            line: Some(first.map_or(1, |(index, _)| index + 1)),
            message: "the file does not start with a `//!` module doc; add `//! …` lines at \
                      the top that say what this module owns (STYLE 6)"
                .to_owned(),
        });
    }
}

/// Sleeping in a test is either flaky (too short) or slow (too long): wait on the event
/// itself, or pause tokio's clock. A line that must sleep says why.
fn check_sleep(line: &str) -> Option<String> {
    let sleep = ["std::thread::sleep", "tokio::time::sleep", "thread::sleep", "time::sleep"]
        .into_iter()
        .find(|pattern| line.contains(pattern))?;
    match line.split_once(SLEEP_OK) {
        Some((_, reason)) if !reason.trim().is_empty() => None,
        Some(_) => Some(format!(
            "`{SLEEP_OK}` needs a reason after it, e.g. `{SLEEP_OK} waits for the OS to \
             release the port`"
        )),
        None => Some(format!(
            "`{sleep}` in test code makes it flaky or slow; wait for the event itself (a \
             channel, the SSE stream, `tokio::time::pause` with `advance`), or if a real \
             sleep is unavoidable, end the line with `{SLEEP_OK} <reason>`"
        )),
    }
}

/// The Datastar bundle is fetched by `cargo xtask fetch-datastar`, never committed.
/// `bundle_sha256` is [`BUNDLE_SHA256`] but for tests.
pub(crate) fn check_tracked_files(root: &Path, tracked: &[PathBuf], bundle_sha256: &str, problems: &mut Vec<Problem>) {
    for path in tracked {
        let named_like_it = path.file_name().is_some_and(|name| name == "datastar.js");
        // A renamed copy is caught by its content; only `.js` files are read.
        let is_copy = || {
            path.extension().is_some_and(|ext| ext == "js")
                && fs::read(root.join(path)).is_ok_and(|bytes| sha256_hex(&bytes) == bundle_sha256)
        };
        if named_like_it || is_copy() {
            problems.push(Problem {
                path: path.clone(),
                line: None,
                message: format!(
                    "the Datastar bundle is tracked by git, and it must not be committed; \
                     run `git rm --cached {}`: `cargo xtask fetch-datastar` puts it in the \
                     git-ignored `vendor/datastar/`",
                    path.display()
                ),
            });
        }
    }
}

/// The files git tracks (or has staged), relative to `root`.
fn git_ls_files(root: &Path) -> Result<Vec<PathBuf>> {
    let output = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .context("could not run `git ls-files`; tidy needs git on PATH")?;
    if !output.status.success() {
        bail!(
            "`git ls-files` failed in `{}` ({}); tidy must run inside the git checkout: {}",
            root.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim_end()
        );
    }
    Ok(output
        .stdout
        .split(|&byte| byte == 0)
        .filter(|path| !path.is_empty())
        .map(|path| PathBuf::from(String::from_utf8_lossy(path).into_owned()))
        .collect())
}

#[cfg(test)]
mod tests;
