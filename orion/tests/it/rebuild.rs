//! Cargo rebuilds an app when one of its migrations changes or a new one appears, so its
//! named queries are checked again (issue 3); and only then: an unchanged app stays fresh.
//!
//! Each test builds a copy of `tests/fixtures/app/` with cargo (see `fixture.rs`), whose
//! `orion::queries!` reads `notes.body`, then changes its migrations and builds it again.

use crate::fixture::Fixture;

const MIGRATION: &str = "src/notes/migrations/20260101000000_create_notes.sql";

/// The library is enough: the queries are checked while it compiles.
const BUILD: &[&str] = &["build", "--lib"];

/// Builds `app` and asserts that it compiled.
fn builds(app: &Fixture) {
    let build = app.cargo(BUILD);
    assert!(build.success && build.compiled(app.name()), "the app did not build:\n{}", build.stderr);
}

/// Builds `app` and asserts that it was compiled again and failed on the query that reads
/// `notes.body`, with the checker's error.
fn fails_on_body(app: &Fixture) {
    let build = app.cargo(BUILD);
    assert!(!build.success, "the app built, its queries were not checked again:\n{}", build.stderr);
    assert!(build.compiled(app.name()), "cargo did not compile the app again:\n{}", build.stderr);
    assert!(build.stderr.contains("no such column `body`"), "not the checker's error:\n{}", build.stderr);
}

#[test]
fn an_unchanged_app_is_not_compiled_again() {
    let app = Fixture::new();
    builds(&app);
    let again = app.cargo(BUILD);
    assert!(again.success, "{}", again.stderr);
    assert!(again.fresh(app.name()) && !again.compiled(app.name()), "compiled again:\n{}", again.stderr);
    assert!(!again.stderr.contains("build-script-build`"), "its build script ran again:\n{}", again.stderr);
}

#[test]
fn editing_a_migration_checks_the_queries_again() {
    let app = Fixture::new();
    // The build script no longer watches `src/`: what notices the edit is the `include_bytes!`
    // of each migration that `queries!` writes.
    app.write("build.rs", "fn main() {\n    println!(\"cargo:rerun-if-changed=build.rs\");\n}\n");
    builds(&app);
    let original = std::fs::read_to_string(app.path(MIGRATION)).unwrap();
    app.write(MIGRATION, &original.replace("body TEXT", "text TEXT"));
    fails_on_body(&app);
    app.write(MIGRATION, &original);
    builds(&app);
}

#[test]
fn a_new_migration_checks_the_queries_again() {
    let app = Fixture::new();
    builds(&app);
    let added = "src/notes/migrations/20260102000000_rename_body.sql";
    app.write(added, "ALTER TABLE notes RENAME COLUMN body TO text;\n");
    fails_on_body(&app);
    app.remove(added);
    builds(&app);
}
