use std::fs;
use std::path::{Path, PathBuf};

use super::{Problem, check, check_source, check_tracked_files, report};
use crate::datastar::sha256_hex;
use crate::temp_dir::TempDir;

/// The repo rules, enforced on the real workspace by `cargo nextest run --workspace`.
#[test]
fn workspace_is_tidy() {
    let problems = check(&crate::workspace_root()).unwrap();
    assert!(
        problems.is_empty(),
        "the workspace breaks repo rules; fix each as it says, then run `cargo xtask tidy`:\n{}",
        report(&problems)
    );
}

/// Runs the text rules on one file and renders what they report, one problem a line
/// with only its location and the start of its message.
fn check_text(path: &str, text: &str) -> String {
    let mut problems = Vec::new();
    check_source(Path::new(path), text, &mut problems);
    summary(&problems)
}

fn summary(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|problem| {
            let location = match problem.line {
                Some(line) => format!("{}:{line}", problem.path.display()),
                None => problem.path.display().to_string(),
            };
            let head = problem.message.split(';').next().unwrap();
            format!("{location}: {head}\n")
        })
        .collect()
}

#[test]
fn module_doc_is_required_in_runtime_sources() {
    assert_eq!(check_text("orion/src/bus.rs", "//! The bus.\nfn f() {}\n"), "");
    assert_eq!(check_text("orion/src/lib.rs", "\n#![doc = include_str!(\"x.md\")]\n"), "");
    assert_eq!(
        check_text("orion/src/bus.rs", "\n/// Not a module doc.\nfn f() {}\n"),
        "orion/src/bus.rs:2: the file does not start with a `//!` module doc\n"
    );
    assert_eq!(
        check_text("orion-sql-check/src/lib.rs", ""),
        "orion-sql-check/src/lib.rs:1: the file does not start with a `//!` module doc\n"
    );
}

#[test]
fn module_doc_is_not_required_in_tests_or_elsewhere() {
    assert_eq!(check_text("orion/src/bus/tests.rs", "use super::*;\n"), "");
    assert_eq!(check_text("orion/src/store/tests/fixtures.rs", "fn f() {}\n"), "");
    assert_eq!(check_text("orion/tests/it/main.rs", "mod support;\n"), "");
    assert_eq!(check_text("examples/todos/src/main.rs", "fn main() {}\n"), "");
}

#[test]
fn skipped_and_panicking_tests_are_reported_with_their_line() {
    let text = "\
//! Doc.
#[test]
#[ignore = \"slow\"]
fn a() {}
#[test] #[should_panic(expected = \"boom\")]
fn b() {}
// A comment may name #[ignore] and #[should_panic].
";
    assert_eq!(
        check_text("orion/src/store.rs", text),
        "\
orion/src/store.rs:3: `#[ignore]` skips a test, and no test is skipped (STYLE 25)
orion/src/store.rs:5: `#[should_panic]` passes on any panic, even the wrong one (STYLE 25)
"
    );
    // Every crate, not only the runtime; but not xtask, which holds the patterns.
    assert_eq!(
        check_text("ui-tests/tests/region/pass/a.rs", "#[ignore]\n"),
        "ui-tests/tests/region/pass/a.rs:1: `#[ignore]` skips a test, and no test is skipped (STYLE 25)\n"
    );
    assert_eq!(check_text("xtask/src/tidy.rs", "//! Doc.\n#[ignore]\n"), "");
}

#[test]
fn sleeping_in_test_code_needs_a_reason() {
    let text = "\
std::thread::sleep(Duration::from_millis(10));
tokio::time::sleep(Duration::from_secs(1)).await;
thread::sleep(TICK);
tokio::time::sleep(GRACE).await; // tidy: sleep-ok the OS releases the port late
tokio::time::sleep(GRACE).await; // tidy: sleep-ok
// std::thread::sleep in a comment is fine
";
    assert_eq!(
        check_text("orion/tests/it/bus.rs", text),
        "\
orion/tests/it/bus.rs:1: `std::thread::sleep` in test code makes it flaky or slow
orion/tests/it/bus.rs:2: `tokio::time::sleep` in test code makes it flaky or slow
orion/tests/it/bus.rs:3: `thread::sleep` in test code makes it flaky or slow
orion/tests/it/bus.rs:5: `// tidy: sleep-ok` needs a reason after it, e.g. `// tidy: sleep-ok waits for the OS to release the port`
"
    );
    assert_eq!(
        check_text("orion/src/bus/tests.rs", "//! Doc.\nstd::thread::sleep(D);\n"),
        "orion/src/bus/tests.rs:2: `std::thread::sleep` in test code makes it flaky or slow\n"
    );
    // Outside test code a sleep may be the point, e.g. a retry back-off.
    assert_eq!(check_text("orion/src/jobs.rs", "//! Doc.\ntokio::time::sleep(d).await;\n"), "");
}

#[test]
fn tree_rules_report_utils_and_collect_everything() {
    let temp = TempDir::new("xtask-test").unwrap();
    let root = temp.path();
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write("orion/src/lib.rs", "//! Doc.\n");
    write("orion/src/utils.rs", "fn f() {}\n");
    write("orion-macros/src/utils/mod.rs", "//! Doc.\n");
    write("orion/tests/it/main.rs", "#[should_panic]\n");
    // Never walked: build output and the fetched bundle.
    write("target/debug/utils.rs", "#[ignore]\n");
    write("vendor/datastar/utils.rs", "#[ignore]\n");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git").args(args).current_dir(root).output().unwrap().status;
        assert!(status.success(), "git {args:?}: {status}");
    };
    git(&["init", "--quiet"]);
    write("assets/datastar.js", "// stand-in\n");
    git(&["add", "assets/datastar.js"]);

    assert_eq!(
        summary(&check(root).unwrap()),
        "\
assets/datastar.js: the Datastar bundle is tracked by git, and it must not be committed
orion/src/utils.rs: file named `utils.rs`
orion/src/utils.rs:1: the file does not start with a `//!` module doc
orion/tests/it/main.rs:1: `#[should_panic]` passes on any panic, even the wrong one (STYLE 25)
orion-macros/src/utils: folder named `utils`
"
    );
}

#[test]
fn a_tracked_copy_of_the_bundle_is_found_by_its_content() {
    let temp = TempDir::new("xtask-test").unwrap();
    let root = temp.path();
    let bundle = "// Datastar stand-in\n";
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/ds-1.0.4.js"), bundle).unwrap();
    fs::write(root.join("static/app.js"), "// ours\n").unwrap();
    fs::write(root.join("notes.md"), bundle).unwrap();
    let tracked = ["static/ds-1.0.4.js", "static/app.js", "notes.md", "gone/datastar.js"].map(PathBuf::from);

    let mut problems = Vec::new();
    check_tracked_files(root, &tracked, &sha256_hex(bundle.as_bytes()), &mut problems);

    assert_eq!(
        summary(&problems),
        "\
static/ds-1.0.4.js: the Datastar bundle is tracked by git, and it must not be committed
gone/datastar.js: the Datastar bundle is tracked by git, and it must not be committed
"
    );
}

#[test]
fn book_includes_must_name_existing_files_and_anchors() {
    let root = std::env::temp_dir().join(format!("xtask-book-includes-{}", std::process::id()));
    std::fs::create_dir_all(root.join("book/src")).unwrap();
    std::fs::create_dir_all(root.join("code")).unwrap();
    std::fs::write(root.join("code/a.rs"), "// ANCHOR: here\nfn a() {}\n// ANCHOR_END: here\n").unwrap();
    let page = std::path::Path::new("book/src/page.md");
    let text = "{{#include ../../code/a.rs:here}}\n{{#include ../../code/a.rs:gone}}\n{{#include ../../code/b.rs}}\n{{#include ../../code/a.rs:1:2}}\n";
    let mut problems = Vec::new();
    super::check_book_includes(&root, page, text, &mut problems);
    let lines: Vec<_> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [Some(2), Some(3)], "{problems:?}");
    assert!(problems[0].message.contains("no anchor `gone`"));
    assert!(problems[1].message.contains("does not exist"));
    std::fs::remove_dir_all(&root).unwrap();
}
