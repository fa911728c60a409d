//! `orion-sql-check --migrations DIR FILE.sql...`: one line per file, the exit code.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh folder with an app's migrations and some query files, deleted when dropped.
struct App(PathBuf);

impl App {
    fn new(files: &[(&str, &str)]) -> App {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "orion-sql-check-cli-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let migrations = [(
            "src/todos/migrations/20260101000000_create_todos.sql",
            "CREATE TABLE todos (id INTEGER PRIMARY KEY, title TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0) STRICT;",
        )];
        for (path, text) in migrations.iter().chain(files) {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        App(dir)
    }

    /// Runs the command in the app's folder; returns stdout, stderr and the exit code.
    fn run(&self, args: &[&str]) -> (String, String, i32) {
        let output =
            Command::new(env!("CARGO_BIN_EXE_orion-sql-check")).args(args).current_dir(&self.0).output().unwrap();
        (
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
            output.status.code().unwrap(),
        )
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn good_files_print_ok_and_exit_zero() {
    let app = App::new(&[
        ("list.sql", "SELECT id, title FROM todos WHERE done = :done ORDER BY id"),
        ("add.sql", "INSERT INTO todos (title) VALUES (:title) RETURNING id;\n"),
    ]);
    let (stdout, stderr, code) = app.run(&["--migrations", "src", "list.sql", "add.sql"]);
    assert_eq!(stdout, "list.sql: ok\nadd.sql: ok\n");
    assert_eq!((stderr.as_str(), code), ("", 0));
}

#[test]
fn each_problem_is_a_line_with_its_place_and_the_exit_code_is_one() {
    let app = App::new(&[
        ("ok.sql", "SELECT id FROM todos"),
        ("typo.sql", "SELECT id,\n       titel\nFROM todos"),
        ("two.sql", "SELECT 1; SELECT 2"),
        ("positional.sql", "DELETE FROM todo WHERE id = ?"),
    ]);
    let (stdout, _, code) = app.run(&["--migrations", "src", "ok.sql", "typo.sql", "two.sql", "positional.sql"]);
    assert_eq!(
        stdout,
        "ok.sql: ok\n\
         typo.sql:2:8: error[schema]: no such column `titel`: did you mean `title`?\n\
         two.sql:1:11: error[schema]: a named query is exactly one statement, and this one has 2: make each statement \
         a named query of its own (or one statement that does both, e.g. with `RETURNING`)\n\
         positional.sql:1:13: error[schema]: no such table `todo`: did you mean `todos`?\n\
         positional.sql:1:29: error[schema]: positional parameter `?` is not supported: name it, e.g. `:title`: a \
         named parameter becomes a named argument\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_failing_migration_is_reported_and_exits_two() {
    let app = App::new(&[
        ("src/todos/migrations/20260102000000_broken.sql", "ALTER TABLE nope ADD x TEXT;"),
        ("q.sql", "SELECT 1"),
    ]);
    let (stdout, _, code) = app.run(&["--migrations", "src", "q.sql"]);
    let root = app.path().to_str().unwrap();
    assert_eq!(
        stdout.replace(root, "$APP"),
        "error[schema]: migration `$APP/src/todos/migrations/20260102000000_broken.sql` fails: no such table: nope: fix \
         the migration (orion applies it the same way at boot, each migration in its own transaction)\n"
    );
    assert_eq!(code, 2);
}

#[test]
fn a_wrong_command_line_says_how_to_call_it() {
    let app = App::new(&[]);
    let usage = "usage: orion-sql-check --migrations DIR FILE.sql...\n";
    let (_, stderr, code) = app.run(&["q.sql"]);
    assert_eq!(
        stderr,
        format!("error: missing `--migrations DIR`: name the folder to search for `migrations/` folders\n{usage}")
    );
    assert_eq!(code, 2);
    let (_, stderr, _) = app.run(&["--migrations", "src"]);
    assert_eq!(
        stderr,
        format!("error: no SQL files given: name one or more files, each holding one statement\n{usage}")
    );
    let (_, stderr, _) = app.run(&["--migrations", "nowhere", "q.sql"]);
    assert_eq!(
        stderr,
        format!("error: `nowhere` is not a folder: `--migrations` takes the folder holding the migrations\n{usage}")
    );
    let (_, stderr, _) = app.run(&["--fast", "--migrations", "src", "q.sql"]);
    assert_eq!(stderr, format!("error: unknown option `--fast`: the only option is `--migrations DIR`\n{usage}"));
}

#[test]
fn an_unreadable_file_is_an_error_line() {
    let app = App::new(&[]);
    let (stdout, _, code) = app.run(&["--migrations", "src", "missing.sql"]);
    assert!(stdout.starts_with("missing.sql: error[schema]: cannot read the file: "), "{stdout}");
    assert_eq!(code, 1);
}

#[test]
fn a_query_that_leaks_across_tenants_is_a_tenancy_error() {
    let app = App::new(&[
        (
            "src/notes/migrations/20260102000000_create_notes.sql",
            "-- orion: tenant notes.workspace_id\n\
             CREATE TABLE notes (id INTEGER PRIMARY KEY, workspace_id TEXT NOT NULL, body TEXT NOT NULL) STRICT;",
        ),
        ("scoped.sql", "SELECT id, body FROM notes WHERE workspace_id = :tenant"),
        ("leak.sql", "SELECT n.body\nFROM notes AS n\nWHERE n.workspace_id = :tenant OR n.id = :id"),
        ("global.sql", "SELECT id FROM todos"),
    ]);
    let (stdout, _, code) = app.run(&["--migrations", "src", "scoped.sql", "leak.sql", "global.sql"]);
    assert_eq!(
        stdout,
        "scoped.sql: ok\n\
         leak.sql:2:6: error[tenancy]: `notes AS n` is not constrained to the tenant: `n.workspace_id = :tenant` does \
         not hold for every row (it is inside `OR`, `NOT` or another expression; only a conjunct joined with `AND` \
         counts): add `AND n.workspace_id = :tenant` to the `WHERE`\n\
         global.sql: ok\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_bad_tenant_declaration_is_a_schema_error() {
    let app = App::new(&[
        (
            "src/notes/migrations/20260102000000_create_notes.sql",
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, workspace_id TEXT) STRICT;\n\
             -- orion: tenant notes.workspace_id",
        ),
        ("q.sql", "SELECT 1"),
    ]);
    let (stdout, _, code) = app.run(&["--migrations", "src", "q.sql"]);
    let root = app.path().to_str().unwrap();
    assert_eq!(
        stdout.replace(root, "$APP"),
        "error[schema]: migration `$APP/src/notes/migrations/20260102000000_create_notes.sql:2:1`: tenant column \
         `notes.workspace_id` may be NULL: declare it `workspace_id TEXT NOT NULL`\n"
    );
    assert_eq!(code, 2);
}
