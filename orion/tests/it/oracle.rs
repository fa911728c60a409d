//! The tenancy oracle: in debug builds, raw SQL run through the store that reaches a
//! tenant-scoped table without the tenant predicate fails, naming the line that ran it.

use std::fmt::Debug;

use orion::store::{Migration, StoreOptions, named_params};
use orion::tenant::{Tenancy, TenantKey, TenantSql, TenantStore};
use orion::{Bus, ErrorKind, Result, Store};

use crate::fixture::Fixture;
use crate::support::TempDir;

const NOTES: Migration = Migration {
    name: "20261201000000_notes.sql",
    sql: "-- orion: tenant notes.workspace_id
CREATE TABLE notes (id INTEGER PRIMARY KEY, workspace_id TEXT NOT NULL, body TEXT NOT NULL) STRICT;
CREATE TABLE plans (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;",
};

/// The same tables, with no table declared tenant-scoped.
const UNDECLARED: Migration = Migration {
    name: "20261201000000_notes.sql",
    sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, workspace_id TEXT NOT NULL, body TEXT NOT NULL) STRICT;",
};

/// A shared-db app with tenants `acme` and `globex`, one note each.
struct App {
    store: Store,
    tenancy: Tenancy,
    acme: TenantStore,
    _dir: TempDir,
}

fn app() -> App {
    let dir = TempDir::new("oracle");
    let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
    store.migrate(&[NOTES]).unwrap();
    let tenancy = Tenancy::shared(&store).unwrap();
    let acme = tenancy.create(&TenantKey::parse("acme").unwrap()).unwrap();
    let globex = tenancy.create(&TenantKey::parse("globex").unwrap()).unwrap();
    add_note(&acme, "acme's note");
    add_note(&globex, "globex's note");
    App { store, tenancy, acme, _dir: dir }
}

fn add_note(tenant: &TenantStore, body: &'static str) {
    tenant
        .transaction(move |tx| {
            tx.execute(
                "INSERT INTO notes (workspace_id, body) VALUES (:tenant, :body)",
                named_params! { ":body": body },
            )
        })
        .unwrap();
}

/// Every note of every tenant, read past the oracle.
fn all_notes(store: &Store) -> Vec<(String, String)> {
    store.unscoped("the test looks at every tenant's rows").query("SELECT workspace_id, body FROM notes", ()).unwrap()
}

/// Asserts that `result` is the oracle's error for a statement run at `line` of this file,
/// naming the problem `problem`, and returns its message.
fn refused<T: Debug>(result: Result<T>, line: u32, problem: &str) -> String {
    let error = result.expect_err("the oracle lets the statement through");
    assert_eq!(error.kind(), ErrorKind::Sql, "{error:?}");
    let message = error.message().to_owned();
    let at = format!("{}:{line}:", file!());
    assert!(message.starts_with(&at), "the message does not start at `{at}`: {message}");
    for part in [
        problem,
        "this statement is not scoped to the tenant",
        "`#[tenant_scoped]` query in `orion::queries!`",
        "opt out with a reason: `store.unscoped(\"…\")`",
    ] {
        assert!(message.contains(part), "the message does not say {part:?}: {message}");
    }
    message
}

const UNSCOPED: &str = "`notes` is not constrained to the tenant";

#[test]
fn an_unscoped_select_update_delete_or_insert_on_a_tenant_table_fails_where_it_is_written() {
    let app = app();

    let line = line!() + 1;
    let select = app.store.query::<(String,)>("SELECT body FROM notes  ORDER BY\n id", ());
    let message = refused(select, line, UNSCOPED);
    assert!(message.contains("not scoped to the tenant: `SELECT body FROM notes ORDER BY id`"), "{message}");
    assert!(message.contains("add `WHERE workspace_id = :tenant`"), "{message}");

    let sql = "UPDATE notes SET body = 'mine' WHERE id = 2";
    let line = line!() + 1;
    let update = app.store.transaction(move |tx| tx.execute(sql, ()));
    refused(update, line, "the update of `notes` is not constrained to the tenant");

    let line = line!() + 1;
    let delete = app.store.execute("DELETE FROM notes WHERE body LIKE '%note'", ());
    refused(delete, line, "the delete from `notes` is not constrained to the tenant");

    let sql = "INSERT INTO notes (workspace_id, body) VALUES ('globex', 'planted')";
    let line = line!() + 1;
    let insert = app.store.transaction(move |tx| tx.execute(sql, ()));
    refused(insert, line, "the insert into `notes` sets its tenant column `workspace_id` to `'globex'`");

    let line = line!() + 1;
    let snapshot = app.store.read(|db| db.query_one::<(i64,)>("SELECT count(*) FROM notes", ()));
    refused(snapshot, line, UNSCOPED);

    // The tenant-bound handles run their statements through the store: a predicate that an
    // `OR` defeats is caught there, located at the caller of the tenant handle.
    let sql = "SELECT body FROM notes WHERE workspace_id = :tenant OR id > 0";
    let line = line!() + 1;
    let defeated = app.acme.query::<(String,)>(sql, &[]);
    refused(defeated, line, "does not hold for every row");

    let sql = "UPDATE notes SET workspace_id = 'globex' WHERE workspace_id = :tenant";
    let line = line!() + 1;
    let moved = app.acme.transaction(move |tx| tx.execute(sql, &[]));
    refused(moved, line, "`SET workspace_id = 'globex'` moves rows of `notes` to another tenant");

    assert_eq!(
        all_notes(&app.store),
        [("acme".to_owned(), "acme's note".to_owned()), ("globex".to_owned(), "globex's note".to_owned())],
        "a refused statement changed rows"
    );
}

#[test]
fn scoped_raw_sql_passes_and_returns_the_tenants_rows() {
    let app = app();
    let rows: Vec<(String,)> = app.acme.query("SELECT body FROM notes WHERE workspace_id = :tenant", &[]).unwrap();
    assert_eq!(rows, [("acme's note".to_owned(),)]);
    let read = app.acme.read(|db| db.query::<(String,)>("SELECT body FROM notes WHERE workspace_id = :tenant", &[]));
    assert_eq!(read.unwrap(), rows);
    let changed = app
        .acme
        .transaction(|tx| tx.execute("UPDATE notes SET body = 'edited' WHERE workspace_id = :tenant AND id = 1", &[]))
        .unwrap();
    assert_eq!(changed, 1);
    // The plain store takes the same scoped SQL when the caller binds `:tenant` itself.
    let plain: Vec<(String,)> = app
        .store
        .query("SELECT body FROM notes WHERE workspace_id = :tenant", named_params! { ":tenant": "globex" })
        .unwrap();
    assert_eq!(plain, [("globex's note".to_owned(),)]);
}

#[test]
fn global_tables_and_orions_own_tables_are_never_refused() {
    let app = app();
    app.store.execute("INSERT INTO plans (name) VALUES ('free')", ()).unwrap();
    let plans: Vec<(i64, String)> = app.store.query("SELECT id, name FROM plans", ()).unwrap();
    assert_eq!(plans, [(1, "free".to_owned())]);
    let applied: Option<(i64,)> = app.store.query_one("SELECT count(*) FROM _orion_migrations", ()).unwrap();
    assert_eq!(applied, Some((1,)));
    let tables: Vec<(String,)> = app.store.query("SELECT name FROM sqlite_master WHERE name = 'notes'", ()).unwrap();
    assert_eq!(tables, [("notes".to_owned(),)]);
    let keys: Vec<String> = app.tenancy.tenants().unwrap().iter().map(|key| key.as_str().to_owned()).collect();
    assert_eq!(keys, ["acme", "globex"]);
    // Maintenance that touches no tenant-scoped table.
    app.store
        .transaction(|tx| {
            tx.execute("PRAGMA defer_foreign_keys = ON", ())?;
            tx.execute("CREATE TABLE scratch (x INTEGER)", ())
        })
        .unwrap();
    // A mistake on a global table is SQLite's to report, as without the oracle.
    let typo = app.store.query::<(String,)>("SELECT nme FROM plans", ()).expect_err("a typo runs");
    assert!(typo.message().contains("no such column: nme"), "{typo:?}");
}

#[test]
fn orions_own_statements_pass_when_a_tenant_table_shares_a_name_with_their_columns() {
    // orion's table of tenants has a column `key`: a tenant-scoped table called `key` makes the
    // words of orion's statements name it, and they are still orion's own.
    const KEYS: Migration = Migration {
        name: "20261201000000_keys.sql",
        sql: "-- orion: tenant key.workspace_id
CREATE TABLE key (id INTEGER PRIMARY KEY, workspace_id TEXT NOT NULL, secret TEXT NOT NULL) STRICT;",
    };
    let dir = TempDir::new("oracle-own");
    let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
    store.migrate(&[KEYS]).unwrap();
    let tenancy = Tenancy::shared(&store).unwrap();
    tenancy.create(&TenantKey::parse("acme").unwrap()).unwrap();
    assert!(tenancy.exists(&TenantKey::parse("acme").unwrap()).unwrap());
    let line = line!() + 1;
    let unscoped = store.query::<(String,)>("SELECT secret FROM key", ());
    refused(unscoped, line, "`key` is not constrained to the tenant");
}

#[test]
fn the_opt_out_runs_unscoped_sql_and_needs_a_reason() {
    let app = app();
    let unscoped = app.store.unscoped("the admin dashboard counts every workspace's notes");
    assert_eq!(unscoped.reason(), "the admin dashboard counts every workspace's notes");
    let per_tenant: Vec<(String, i64)> =
        unscoped.query("SELECT workspace_id, count(*) FROM notes GROUP BY workspace_id ORDER BY 1", ()).unwrap();
    assert_eq!(per_tenant, [("acme".to_owned(), 1), ("globex".to_owned(), 1)]);
    assert_eq!(unscoped.query_one::<(i64,)>("SELECT count(*) FROM notes", ()).unwrap(), Some((2,)));
    let renamed = app.store.transaction(|tx| {
        tx.unscoped("a data fix across every workspace").execute("UPDATE notes SET body = upper(body)", ())
    });
    assert_eq!(renamed.unwrap(), 2);
    let snapshot = app.store.read(|db| {
        db.unscoped("a consistent export of every workspace")
            .query::<(String,)>("SELECT body FROM notes ORDER BY id", ())
    });
    assert_eq!(snapshot.unwrap(), [("ACME'S NOTE".to_owned(),), ("GLOBEX'S NOTE".to_owned(),)]);
    assert_eq!(app.store.unscoped("the nightly purge of every workspace").execute("DELETE FROM notes", ()).unwrap(), 2);

    let blank = app.store.unscoped("  ").query::<(i64,)>("SELECT count(*) FROM notes", ());
    let error = blank.expect_err("an opt-out without a reason runs");
    assert_eq!(error.kind(), ErrorKind::Sql);
    assert!(error.message().starts_with("`unscoped` was given a blank reason: say why"), "{error:?}");
}

#[test]
fn nothing_is_checked_without_declared_tenant_tables_or_with_the_oracle_off() {
    let dir = TempDir::new("oracle-off");
    let undeclared = Store::open(&dir.join("undeclared.db"), &Bus::new()).unwrap();
    undeclared.migrate(&[UNDECLARED]).unwrap();
    assert_eq!(undeclared.query::<(i64,)>("SELECT count(*) FROM notes", ()).unwrap(), [(0,)]);

    let options = StoreOptions { check_tenancy: false, ..StoreOptions::default() };
    let off = Store::open_with(&dir.join("off.db"), &Bus::new(), options).unwrap();
    off.migrate(&[NOTES]).unwrap();
    assert_eq!(off.query::<(i64,)>("SELECT count(*) FROM notes", ()).unwrap(), [(0,)]);
    assert!(StoreOptions::default().check_tenancy, "the oracle is on by default in debug builds");
}

#[test]
fn each_tenants_file_is_checked_under_db_per_tenant() {
    let dir = TempDir::new("oracle-per-file");
    let Tenancy::PerFile(files) = Tenancy::per_file(&dir.join("tenants"), &[NOTES]).unwrap() else {
        unreachable!("per_file makes a PerFile")
    };
    let acme = files.create(&TenantKey::parse("acme").unwrap()).unwrap();
    add_note(&acme, "acme's note");
    assert_eq!(bodies(&acme), ["acme's note"]);
    let line = line!() + 1;
    let unscoped = acme.unscoped().query::<(String,)>("SELECT body FROM notes", ());
    refused(unscoped, line, UNSCOPED);
    // orion's own maintenance of the tenant's file still runs.
    let copy = dir.join("acme-backup.db");
    files.backup(&TenantKey::parse("acme").unwrap(), &copy).unwrap();
    assert!(copy.is_file());
}

fn bodies(db: &impl TenantSql) -> Vec<String> {
    let rows: Vec<(String,)> =
        db.query("SELECT body FROM notes WHERE workspace_id = :tenant ORDER BY id", &[]).unwrap();
    rows.into_iter().map(|(body,)| body).collect()
}

#[test]
fn named_queries_pass_the_oracle() {
    // An app built with cargo, as its author builds it: `orion::queries!` writes the functions.
    let app = Fixture::new();
    let data = TempDir::new("oracle-named");
    let run = app.cargo(&["run", "--bin", "orion-fixture-app", "--", data.path().to_str().unwrap()]);
    assert!(run.success, "the app failed:\n{}\n{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[..2], ["acme: [\"acme's note\"]", "every tenant: 2"], "{}", run.stdout);
    // The `#[unscoped]` query passed; the same SQL by hand does not, so the oracle was on.
    assert!(lines.get(2).is_some_and(|line| line.starts_with("raw: refused (src/main.rs:")), "{}", run.stdout);
}
