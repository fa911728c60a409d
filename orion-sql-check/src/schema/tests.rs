//! Building the schema: failures name the migration, the cache is keyed by content, and the
//! facts read back are right.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Generated, Migration, Schema, SchemaProblem, TriggerEvent, test_schema};
use crate::types::SqlType;

/// A fresh folder holding `files` (path, text), deleted when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn with(files: &[(&str, &str)]) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "orion-sql-check-schema-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        for (file, text) in files {
            let file = path.join(file);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, text).unwrap();
        }
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Loads the migrations in `files` and compares the error, the folder written as `$SRC`.
fn check_error(files: &[(&str, &str)], expect: &str) {
    let dir = TempDir::with(files);
    let error = Schema::load(&dir.0).unwrap_err();
    assert_eq!(error.to_string().replace(dir.0.to_str().unwrap(), "$SRC"), expect);
}

#[test]
fn a_failing_migration_is_named_with_its_line_and_sqlites_message() {
    check_error(
        &[
            ("todos/migrations/20260101000000_a.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);"),
            ("todos/migrations/20260102000000_b.sql", "CREATE TABLE b (id INTEGER);\n\nCREATE TABLE c (x REFERENCES);"),
            ("todos/migrations/20260103000000_c.sql", "CREATE TABLE never (id INTEGER);"),
        ],
        "migration `$SRC/todos/migrations/20260102000000_b.sql:3:29` fails: near \")\": syntax error: fix the \
         migration (orion applies it the same way at boot, each migration in its own transaction)",
    );
    check_error(
        &[("migrations/20260101000000_a.sql", "CREATE INDEX i ON missing (x);")],
        "migration `$SRC/migrations/20260101000000_a.sql` fails: no such table: main.missing: fix the migration \
         (orion applies it the same way at boot, each migration in its own transaction)",
    );
}

#[test]
fn a_migration_that_opens_its_own_transaction_fails_as_at_boot() {
    check_error(
        &[("migrations/20260101000000_a.sql", "BEGIN; CREATE TABLE a (id INTEGER); COMMIT;")],
        "migration `$SRC/migrations/20260101000000_a.sql` fails: cannot start a transaction within a transaction: \
         fix the migration (orion applies it the same way at boot, each migration in its own transaction)",
    );
}

#[test]
fn layout_problems_are_all_reported() {
    check_error(
        &[("a/migrations/create.sql", ""), ("a/migrations/20260101000000_ok.sql", "")],
        "`$SRC/a/migrations/create.sql` is not named like a migration: rename it to \
         `<YYYYMMDDHHMMSS>_<snake_case_name>.sql` (a 14-digit UTC timestamp), e.g. \
         `20261121120000_create_todos.sql`, or move it out of `migrations/`",
    );
}

#[test]
fn the_schema_knows_the_absolute_paths_of_its_migrations_in_order() {
    let dir = TempDir::with(&[
        ("b/migrations/20260102000000_b.sql", "CREATE TABLE b (id INTEGER);"),
        ("a/migrations/20260101000000_a.sql", "CREATE TABLE a (id INTEGER);"),
    ]);
    let schema = Schema::load(&dir.0).unwrap();
    let paths: Vec<PathBuf> = schema.migration_paths().iter().map(|p| p.to_path_buf()).collect();
    assert_eq!(
        paths,
        [dir.0.join("a/migrations/20260101000000_a.sql"), dir.0.join("b/migrations/20260102000000_b.sql")]
    );
    assert!(paths.iter().all(|p| p.is_absolute()));
}

#[test]
fn the_same_migrations_are_applied_once_per_process_and_an_edit_is_a_new_schema() {
    let migration =
        |sql: &str| vec![Migration { name: "20260101000000_cache.sql".to_owned(), path: None, sql: sql.to_owned() }];
    let first = Schema::from_migrations(migration("CREATE TABLE cached (id INTEGER);")).unwrap();
    let again = Schema::from_migrations(migration("CREATE TABLE cached (id INTEGER);")).unwrap();
    assert!(Arc::ptr_eq(&first, &again));
    let edited = Schema::from_migrations(migration("CREATE TABLE cached (id INTEGER, x TEXT);")).unwrap();
    assert!(!Arc::ptr_eq(&first, &edited));
    assert_ne!(first.content_hash(), edited.content_hash());
    assert_eq!(edited.table("cached").unwrap().columns.len(), 2);
}

#[test]
fn the_runtime_settings_apply_foreign_keys_on_and_no_double_quoted_strings() {
    let dir = TempDir::with(&[("migrations/20260101000000_a.sql", "CREATE TABLE a (x TEXT CHECK (x <> \"no\"));")]);
    let error = Schema::load(&dir.0).unwrap_err();
    assert!(
        matches!(error.problems(), [SchemaProblem::Failed { message, .. }] if message.contains("no such column")),
        "{error}"
    );
    let schema =
        test_schema(&["CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p (id));"]);
    let conn = schema.fresh_connection();
    assert!(conn.execute_batch("INSERT INTO c (p) VALUES (1)").is_err(), "foreign keys are enforced");
}

#[test]
fn columns_are_read_with_their_facts() {
    let schema = test_schema(&["
        CREATE TABLE t (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL DEFAULT 'x',
            flag INTEGER NOT NULL CHECK (flag IN (1, 0)),
            maybe INTEGER CHECK (maybe IN (0, 1)),
            loud TEXT GENERATED ALWAYS AS (upper(name)) VIRTUAL,
            kept TEXT GENERATED ALWAYS AS (lower(name)) STORED,
            anything ANY,
            amount REAL
        ) STRICT;
        CREATE TABLE loose (a, b VARCHAR(5), c DATETIME, d BOOLEAN, e DOUBLE PRECISION);
        CREATE TABLE desc_key (id INTEGER PRIMARY KEY DESC, x INT);
        CREATE TABLE int_key (id INT PRIMARY KEY);
        CREATE TABLE pairs (a TEXT, b TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
    "]);
    let t = schema.table("T").unwrap();
    assert!(t.strict && !t.without_rowid);
    let summary: Vec<String> = t
        .columns
        .iter()
        .map(|c| {
            format!(
                "{} {:?} {:?}{}{}{}{}{}",
                c.name,
                c.declared_type,
                c.ty,
                if c.not_null { " not-null" } else { "" },
                if c.primary_key { " pk" } else { "" },
                if c.rowid_alias { " rowid" } else { "" },
                c.default.as_ref().map_or_else(String::new, |d| format!(" default={d}")),
                match c.generated {
                    Some(Generated::Virtual) => " virtual",
                    Some(Generated::Stored) => " stored",
                    None => "",
                }
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "id \"INTEGER\" Some(Integer) not-null pk rowid",
            "name \"TEXT\" Some(Text) not-null default='x'",
            "flag \"INTEGER\" Some(Bool) not-null",
            "maybe \"INTEGER\" Some(Bool)",
            "loud \"TEXT\" Some(Text) virtual",
            "kept \"TEXT\" Some(Text) stored",
            "anything \"ANY\" None",
            "amount \"REAL\" Some(Real)",
        ]
    );
    let loose = schema.table("loose").unwrap();
    let types: Vec<Option<SqlType>> = loose.columns.iter().map(|c| c.ty).collect();
    assert_eq!(types, [None, Some(SqlType::Text), None, Some(SqlType::Bool), Some(SqlType::Real)]);
    assert!(!loose.strict);
    assert!(schema.table("desc_key").unwrap().rowid_alias().is_none(), "INTEGER PRIMARY KEY DESC is not an alias");
    assert!(schema.table("int_key").unwrap().rowid_alias().is_none(), "INT PRIMARY KEY is not an alias");
    let pairs = schema.table("pairs").unwrap();
    assert!(pairs.without_rowid && pairs.columns.iter().all(|c| c.not_null && c.primary_key));
}

#[test]
fn views_and_triggers_are_read() {
    let schema = test_schema(&["
        CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT) STRICT;
        CREATE TABLE log (id INTEGER PRIMARY KEY, t_id INTEGER, what TEXT) STRICT;
        CREATE VIEW vt (ident, value) AS SELECT id, v FROM t WHERE v IS NOT NULL;
        CREATE TRIGGER t_insert AFTER INSERT ON t BEGIN
            INSERT INTO log (t_id, what) VALUES (NEW.id, 'insert');
            UPDATE log SET what = CASE WHEN what = 'x' THEN 'y' END WHERE t_id = NEW.id;
        END;
        CREATE TRIGGER t_update BEFORE UPDATE OF v ON t BEGIN SELECT 1; END;
        CREATE TRIGGER t_delete INSTEAD OF DELETE ON vt BEGIN DELETE FROM t WHERE id = OLD.ident; END;
    "]);
    let view = schema.view("vt").unwrap();
    assert_eq!(view.columns, ["ident", "value"]);
    assert_eq!(view.query, "SELECT id, v FROM t WHERE v IS NOT NULL");
    let triggers: Vec<(&str, &str, &TriggerEvent, &[String])> =
        schema.triggers().iter().map(|t| (t.name.as_str(), t.table.as_str(), &t.event, t.body.as_slice())).collect();
    assert_eq!(
        triggers,
        [
            (
                "t_insert",
                "t",
                &TriggerEvent::Insert,
                &[
                    "INSERT INTO log (t_id, what) VALUES (NEW.id, 'insert')".to_owned(),
                    "UPDATE log SET what = CASE WHEN what = 'x' THEN 'y' END WHERE t_id = NEW.id".to_owned()
                ][..]
            ),
            ("t_update", "t", &TriggerEvent::Update(vec!["v".to_owned()]), &["SELECT 1".to_owned()][..]),
            ("t_delete", "vt", &TriggerEvent::Delete, &["DELETE FROM t WHERE id = OLD.ident".to_owned()][..]),
        ]
    );
    for trigger in schema.triggers() {
        for statement in &trigger.body {
            crate::sql::parse(statement).unwrap_or_else(|e| panic!("{statement}: {e:?}"));
        }
    }
}

#[test]
fn tenant_declarations_are_read_from_the_migrations() {
    let schema = test_schema(&[
        "-- orion: tenant notes.workspace_id
         CREATE TABLE notes (id INTEGER PRIMARY KEY, workspace_id TEXT NOT NULL, body TEXT) STRICT;
         CREATE TABLE plans (id INTEGER PRIMARY KEY, workspace_id TEXT NOT NULL) STRICT;
         -- A comment that mentions orion: tenant in passing is not a directive.
         INSERT INTO plans (workspace_id) VALUES ('-- orion: tenant plans.workspace_id');",
        "--orion:tenant Loose.ws\nCREATE TABLE loose (ws VARCHAR(20) NOT NULL);",
    ]);
    assert_eq!(schema.tenant_column("NOTES"), Some("workspace_id"));
    assert_eq!(schema.tenant_column("loose"), Some("ws"));
    assert_eq!(
        schema.tenant_column("plans"),
        None,
        "a tenant-like column name alone does not make a table tenant-scoped"
    );
    let declared: Vec<(&str, &str, &str)> =
        schema.tenant_tables().iter().map(|t| (t.table.as_str(), t.column.as_str(), t.migration.as_str())).collect();
    assert_eq!(
        declared,
        [("notes", "workspace_id", "20260101000000_m0.sql"), ("loose", "ws", "20260101000001_m1.sql")]
    );
}

#[test]
fn every_bad_tenant_declaration_is_a_schema_problem_naming_its_migration() {
    check_error(
        &[(
            "notes/migrations/20260101000000_notes.sql",
            "-- orion: tenant nots.workspace_id
CREATE TABLE notes (id INTEGER PRIMARY KEY, workspace_id TEXT NOT NULL, maybe TEXT, n INTEGER NOT NULL,
    folded TEXT NOT NULL COLLATE NOCASE, made TEXT GENERATED ALWAYS AS ('x') NOT NULL) STRICT;
-- orion: tenant notes.workspace
-- orion: tenant notes.maybe
-- orion: tenant notes.n
-- orion: tenant notes.folded
-- orion: tenant notes.made
-- orion: tenants notes.workspace_id
-- orion: tenant notes
CREATE VIEW v AS SELECT id FROM notes;
-- orion: tenant v.id
CREATE TABLE loose (id INTEGER PRIMARY KEY, key NOT NULL);
-- orion: tenant loose.key
CREATE TABLE indexed (ws TEXT NOT NULL) STRICT;
CREATE INDEX indexed_ws ON indexed (ws COLLATE NOCASE);
-- orion: tenant indexed.ws
-- orion: tenant notes.workspace_id
-- orion: tenant NOTES.workspace_id
",
        )],
        "migration `$SRC/notes/migrations/20260101000000_notes.sql:1:1`: `-- orion: tenant nots.workspace_id` names \
         no table `nots`: did you mean `notes`?
migration `$SRC/notes/migrations/20260101000000_notes.sql:4:1`: `-- orion: tenant notes.workspace`: table `notes` \
         has no column `workspace`: did you mean `workspace_id`?
migration `$SRC/notes/migrations/20260101000000_notes.sql:5:1`: tenant column `notes.maybe` may be NULL: declare it \
         `maybe TEXT NOT NULL`
migration `$SRC/notes/migrations/20260101000000_notes.sql:6:1`: tenant column `notes.n` is declared `INTEGER`: \
         tenant keys are text, declare it `n TEXT NOT NULL`
migration `$SRC/notes/migrations/20260101000000_notes.sql:7:1`: tenant column `notes.folded` uses collation \
         `NOCASE`: tenant keys are compared exactly; remove its `COLLATE NOCASE`
migration `$SRC/notes/migrations/20260101000000_notes.sql:8:1`: tenant column `notes.made` is a generated column: \
         the tenant key must be written by each insert; make it an ordinary `TEXT NOT NULL` column
migration `$SRC/notes/migrations/20260101000000_notes.sql:9:1`: malformed directive `-- orion: tenants \
         notes.workspace_id`: write `-- orion: tenant <table>.<column>`, e.g. `-- orion: tenant notes.workspace_id`
migration `$SRC/notes/migrations/20260101000000_notes.sql:10:1`: malformed directive `-- orion: tenant notes`: \
         write `-- orion: tenant <table>.<column>`, e.g. `-- orion: tenant notes.workspace_id`
migration `$SRC/notes/migrations/20260101000000_notes.sql:12:1`: `-- orion: tenant v.id` names view `v`: declare \
         the tables it reads instead (a view over tenant-scoped tables is checked through them)
migration `$SRC/notes/migrations/20260101000000_notes.sql:14:1`: tenant column `loose.key` is declared without a \
         type: tenant keys are text, declare it `key TEXT NOT NULL`
migration `$SRC/notes/migrations/20260101000000_notes.sql:17:1`: index `indexed_ws` compares tenant column \
         `indexed.ws` with collation `NOCASE`: tenant keys are compared exactly; remove its `COLLATE NOCASE`
migration `$SRC/notes/migrations/20260101000000_notes.sql:19:1`: table `notes` is declared tenant-scoped twice \
         (first in `20260101000000_notes.sql`): keep one `-- orion: tenant notes.workspace_id`",
    );
}
