//! The store at its boundary: real SQLite files in temp dirs, asserting on rows, PRAGMA
//! values, errors and bus deliveries.

use std::future::Future;
use std::pin::pin;
use std::sync::mpsc;
use std::task::{Context, Poll, Waker};
use std::thread;

use orion::store::rusqlite::types::Value;
use orion::store::{Migration, Sql, Store, StoreOptions, Synchronous, params};
use orion::{Bus, Error, ErrorKind};

use crate::support::TempDir;

const CREATE_TODOS: Migration = Migration {
    name: "20261121120000_create_todos.sql",
    sql: "CREATE TABLE todos (id INTEGER PRIMARY KEY, title TEXT NOT NULL);",
};

const ADD_DONE: Migration = Migration {
    name: "20261121120100_add_done.sql",
    sql: "ALTER TABLE todos ADD COLUMN done INTEGER NOT NULL DEFAULT 0;",
};

/// A fresh store in its own temp dir, with the todos table.
fn todos(label: &str) -> (TempDir, Bus, Store) {
    let dir = TempDir::new(label);
    let bus = Bus::new();
    let store = Store::open(&dir.join("app.db"), &bus).unwrap();
    store.migrate(&[CREATE_TODOS]).unwrap();
    (dir, bus, store)
}

fn titles(db: &impl Sql) -> Vec<String> {
    let rows: Vec<(String,)> = db.query("SELECT title FROM todos ORDER BY id", ()).unwrap();
    rows.into_iter().map(|(title,)| title).collect()
}

/// The value of `PRAGMA name` on the connection behind `db`, as text.
fn pragma(db: &impl Sql, name: &str) -> String {
    let (value,): (Value,) = db.query_one(&format!("PRAGMA {name}"), ()).unwrap().unwrap();
    match value {
        Value::Integer(n) => n.to_string(),
        Value::Text(s) => s,
        other => panic!("unexpected value of PRAGMA {name}: {other:?}"),
    }
}

fn assert_kind<T: std::fmt::Debug>(result: orion::Result<T>, kind: ErrorKind) -> Error {
    let error = result.expect_err("expected an error");
    assert_eq!(error.kind(), kind, "{error:?}");
    error
}

// ---- connection settings ----

#[test]
fn every_connection_is_wal_full_sync_with_foreign_keys() {
    let (_dir, _bus, store) = todos("pragmas");
    for (name, expected) in [("journal_mode", "wal"), ("synchronous", "2"), ("foreign_keys", "1")] {
        assert_eq!(pragma(&store, name), expected, "reader: {name}");
        let on_writer = store.transaction(move |tx| Ok(pragma(tx, name))).unwrap();
        assert_eq!(on_writer, expected, "writer: {name}");
    }
}

#[test]
fn synchronous_normal_and_off_are_options() {
    let dir = TempDir::new("synchronous");
    for (synchronous, expected) in [(Synchronous::Normal, "1"), (Synchronous::Off, "0")] {
        let options = StoreOptions { synchronous, ..StoreOptions::default() };
        let store = Store::open_with(&dir.join("app.db"), &Bus::new(), options).unwrap();
        assert_eq!(pragma(&store, "synchronous"), expected);
        let on_writer = store.transaction(|tx| Ok(pragma(tx, "synchronous"))).unwrap();
        assert_eq!(on_writer, expected);
        store.close().unwrap();
    }
}

#[test]
fn a_foreign_key_violation_is_refused() {
    let (_dir, _bus, store) = todos("foreign-keys");
    store.execute("CREATE TABLE tags (todo INTEGER NOT NULL REFERENCES todos (id), name TEXT)", ()).unwrap();
    let error = assert_kind(store.execute("INSERT INTO tags (todo, name) VALUES (42, 'home')", ()), ErrorKind::Sql);
    assert!(error.message().contains("FOREIGN KEY constraint failed"), "{error:?}");
    let tags: Vec<(i64,)> = store.query("SELECT todo FROM tags", ()).unwrap();
    assert!(tags.is_empty());
}

#[test]
fn double_quotes_are_identifiers_never_strings() {
    let (_dir, _bus, store) = todos("dqs");
    let select = r#"SELECT "no_such_column""#;
    let on_reader = assert_kind(store.query::<(String,)>(select, ()), ErrorKind::Sql);
    assert!(on_reader.message().contains("no such column"), "{on_reader:?}");
    let in_snapshot = assert_kind(store.read(|db| db.query::<(String,)>(select, ())), ErrorKind::Sql);
    assert!(in_snapshot.message().contains("no such column"), "{in_snapshot:?}");
    let on_writer = assert_kind(store.transaction(move |tx| tx.query::<(String,)>(select, ())), ErrorKind::Sql);
    assert!(on_writer.message().contains("no such column"), "{on_writer:?}");
    assert_kind(store.execute(r#"INSERT INTO todos (title) VALUES ("milk")"#, ()), ErrorKind::Sql);
}

// ---- readers and the writer ----

#[test]
fn a_read_completes_while_a_write_transaction_is_open() {
    let (_dir, _bus, store) = todos("read-during-write");
    let (holding, held) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let writer = thread::spawn({
        let store = store.clone();
        move || {
            store.transaction(move |tx| {
                tx.execute("INSERT INTO todos (title) VALUES ('milk')", ())?;
                holding.send(()).unwrap();
                released.recv().unwrap();
                Ok(())
            })
        }
    });
    held.recv().unwrap();
    // The writer is inside its transaction, with an uncommitted row and the write lock.
    assert_eq!(titles(&store), Vec::<String>::new());
    release.send(()).unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(titles(&store), ["milk"]);
}

#[test]
fn a_reader_cannot_write() {
    let (_dir, _bus, store) = todos("reader-writes");
    let error = assert_kind(store.query::<(i64,)>("INSERT INTO todos (title) VALUES ('milk')", ()), ErrorKind::Sql);
    assert!(error.message().contains("readonly"), "{error:?}");
    assert_kind(store.read(|db| db.query::<(i64,)>("DELETE FROM todos", ())), ErrorKind::Sql);
    assert_eq!(titles(&store), Vec::<String>::new());
}

#[test]
fn a_read_sees_one_snapshot_even_when_a_write_commits_during_it() {
    let (_dir, _bus, store) = todos("snapshot");
    store.execute("INSERT INTO todos (title) VALUES ('milk')", ()).unwrap();
    let (before, during) = store
        .read(|db| {
            let before = titles(db);
            store.execute("INSERT INTO todos (title) VALUES ('eggs')", ())?;
            Ok((before, titles(db)))
        })
        .unwrap();
    assert_eq!(before, ["milk"]);
    assert_eq!(during, ["milk"]);
    assert_eq!(titles(&store), ["milk", "eggs"]);
}

#[test]
fn a_read_inside_a_read_does_not_wait_for_itself() {
    let dir = TempDir::new("nested-read");
    let options = StoreOptions { readers: 1, ..StoreOptions::default() };
    let store = Store::open_with(&dir.join("app.db"), &Bus::new(), options).unwrap();
    store.migrate(&[CREATE_TODOS]).unwrap();
    let inner = store.read(|_db| Ok(titles(&store))).unwrap();
    assert_eq!(inner, Vec::<String>::new());
    assert_eq!(titles(&store), Vec::<String>::new());
}

// ---- transactions and publish-after-commit ----

#[test]
fn a_failed_transaction_rolls_back_and_publishes_nothing() {
    let (_dir, bus, store) = todos("rollback");
    let mut todos = bus.subscribe(&["todos"]);
    let error = store
        .transaction(|tx| {
            tx.execute("INSERT INTO todos (title) VALUES ('milk')", ())?;
            tx.publish("todos");
            Err::<(), _>(Error::bad_request("the title is taken"))
        })
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadRequest);
    assert_eq!(error.message(), "the title is taken");
    assert_eq!(titles(&store), Vec::<String>::new());
    assert!(!todos.try_changed());
}

#[test]
fn a_committed_transaction_publishes_after_its_commit() {
    let (_dir, bus, store) = todos("publish");
    let mut todos = bus.subscribe(&["todos"]);
    let id = store
        .transaction(|tx| {
            tx.execute("INSERT INTO todos (title) VALUES (?1)", params!["milk"])?;
            tx.publish("todos");
            tx.publish("todos");
            Ok(tx.last_insert_rowid())
        })
        .unwrap();
    assert_eq!(id, 1);
    assert!(todos.try_changed());
    assert!(!todos.try_changed(), "a topic recorded twice is published once");
}

#[tokio::test]
async fn a_subscriber_woken_by_a_commit_reads_the_new_row() {
    let (_dir, bus, store) = todos("wake-and-read");
    let mut todos = bus.subscribe(&["todos"]);
    let writer = thread::spawn({
        let store = store.clone();
        move || {
            store.transaction(|tx| {
                tx.execute("INSERT INTO todos (title) VALUES ('milk')", ())?;
                tx.publish("todos");
                Ok(())
            })
        }
    });
    todos.changed().await;
    assert_eq!(titles(&store), ["milk"]);
    writer.join().unwrap().unwrap();
}

#[test]
fn a_panicking_write_rolls_back_and_the_store_keeps_working() {
    let (_dir, bus, store) = todos("panic");
    let mut todos = bus.subscribe(&["todos"]);
    let error = assert_kind(
        store.transaction(|tx| -> orion::Result<()> {
            tx.execute("INSERT INTO todos (title) VALUES ('milk')", ())?;
            tx.publish("todos");
            panic!("boom");
        }),
        ErrorKind::Internal,
    );
    assert!(error.message().contains("boom"), "{error:?}");
    assert_eq!(titles(&store), Vec::<String>::new());
    assert!(!todos.try_changed());

    store.execute("INSERT INTO todos (title) VALUES ('eggs')", ()).unwrap();
    assert_eq!(titles(&store), ["eggs"]);
}

#[test]
fn execute_runs_one_statement_and_returns_the_changed_rows() {
    let (_dir, _bus, store) = todos("execute");
    for title in ["milk", "eggs", "flour"] {
        let changed = store.execute("INSERT INTO todos (title) VALUES (?1)", (title.to_string(),)).unwrap();
        assert_eq!(changed, 1);
    }
    let changed = store.execute("DELETE FROM todos WHERE title <> ?1", ("eggs",)).unwrap();
    assert_eq!(changed, 2);
    assert_eq!(titles(&store), ["eggs"]);
}

#[test]
fn a_transaction_sees_its_own_rows() {
    let (_dir, _bus, store) = todos("own-rows");
    let inside = store
        .transaction(|tx| {
            tx.execute("INSERT INTO todos (title) VALUES ('milk')", ())?;
            let count: Option<(i64,)> = tx.query_one("SELECT count(*) FROM todos", ())?;
            Ok((titles(tx), count))
        })
        .unwrap();
    assert_eq!(inside, (vec!["milk".to_string()], Some((1,))));
}

#[test]
fn a_write_inside_a_write_is_refused_instead_of_waiting_forever() {
    let (_dir, _bus, store) = todos("nested-write");
    let inner = store.clone();
    let error = assert_kind(
        store.transaction(move |_tx| inner.execute("INSERT INTO todos (title) VALUES ('x')", ())),
        ErrorKind::Internal,
    );
    assert!(error.message().contains("use the `Tx`"), "{error:?}");
    assert_eq!(titles(&store), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn write_returns_the_closures_value_after_the_commit() {
    let (_dir, bus, store) = todos("async-write");
    let mut todos = bus.subscribe(&["todos"]);
    // Spawned, as a command handler is: the future must be `Send`.
    let id = tokio::spawn({
        let store = store.clone();
        async move {
            store
                .write(|tx| {
                    tx.execute("INSERT INTO todos (title) VALUES ('milk')", ())?;
                    tx.publish("todos");
                    Ok(tx.last_insert_rowid())
                })
                .await
        }
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(id, 1);
    assert!(todos.try_changed(), "published before the answer");
    let row: Option<(i64, String)> = store.query_one("SELECT id, title FROM todos WHERE id = ?1", (id,)).unwrap();
    assert_eq!(row, Some((1, "milk".to_string())));
}

// ---- migrations ----

fn recorded(store: &Store) -> Vec<(String, String, String)> {
    store.query("SELECT name, checksum, applied_at FROM _orion_migrations ORDER BY rowid", ()).unwrap()
}

#[test]
fn migrations_apply_in_order_and_are_recorded() {
    let dir = TempDir::new("migrate");
    let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
    assert_eq!(store.migrate(&[CREATE_TODOS, ADD_DONE]).unwrap(), 2);
    store.execute("INSERT INTO todos (title, done) VALUES ('milk', 1)", ()).unwrap();
    let recorded = recorded(&store);
    let names: Vec<&str> = recorded.iter().map(|(name, _, _)| name.as_str()).collect();
    assert_eq!(names, [CREATE_TODOS.name, ADD_DONE.name]);
    for (_, checksum, applied_at) in &recorded {
        assert_eq!(checksum.len(), 64);
        assert!(checksum.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert!(applied_at.ends_with('Z'), "{applied_at}");
    }
}

#[test]
fn running_migrations_again_applies_nothing() {
    let (_dir, _bus, store) = todos("migrate-again");
    assert_eq!(store.migrate(&[CREATE_TODOS]).unwrap(), 0);
    assert_eq!(store.migrate(&[CREATE_TODOS, ADD_DONE]).unwrap(), 1);
    assert_eq!(store.migrate(&[CREATE_TODOS, ADD_DONE]).unwrap(), 0);
    assert_eq!(recorded(&store).len(), 2);
}

#[test]
fn a_failing_migration_names_its_file_and_leaves_nothing_behind() {
    let dir = TempDir::new("migrate-bad");
    let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
    let bad = Migration {
        name: "20261121120200_create_tags.sql",
        sql: "CREATE TABLE tags (name TEXT);\nCREAT TABLE labels (name TEXT);",
    };
    let error = assert_kind(store.migrate(&[CREATE_TODOS, bad, ADD_DONE]), ErrorKind::Migration);
    assert_eq!(error.message(), r#"migration `20261121120200_create_tags.sql` failed: near "CREAT": syntax error"#);
    let names: Vec<String> = recorded(&store).into_iter().map(|(name, _, _)| name).collect();
    assert_eq!(names, [CREATE_TODOS.name], "only the migration before it stays");
    let tables: Vec<(String,)> =
        store.query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('tags', 'labels')", ()).unwrap();
    assert!(tables.is_empty(), "half of the bad migration was applied: {tables:?}");
}

#[test]
fn a_changed_applied_migration_is_refused_before_anything_runs() {
    let (_dir, _bus, store) = todos("migrate-changed");
    let changed = Migration {
        sql: "CREATE TABLE todos (id INTEGER PRIMARY KEY, title TEXT NOT NULL, due TEXT);",
        ..CREATE_TODOS
    };
    let error = assert_kind(store.migrate(&[changed, ADD_DONE]), ErrorKind::Migration);
    let message = error.message();
    assert!(
        message
            .starts_with("migration `20261121120000_create_todos.sql` was changed after it was applied (sha256 was "),
        "{message}"
    );
    assert!(message.ends_with("): restore it and add a new migration instead"), "{message}");
    assert_eq!(recorded(&store).len(), 1, "the next migration must not run");
}

#[test]
fn a_recorded_migration_the_app_no_longer_has_is_not_an_error() {
    let (_dir, _bus, store) = todos("migrate-removed");
    assert_eq!(store.migrate(&[CREATE_TODOS, ADD_DONE]).unwrap(), 1);
    assert_eq!(store.migrate(&[CREATE_TODOS]).unwrap(), 0);
}

#[test]
fn the_database_survives_close_and_reopen() {
    let (dir, _bus, store) = todos("reopen");
    store.execute("INSERT INTO todos (title) VALUES ('milk')", ()).unwrap();
    store.close().unwrap();

    let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
    assert_eq!(store.path().parent(), Some(dir.path()));
    assert_eq!(store.migrate(&[CREATE_TODOS]).unwrap(), 0);
    assert_eq!(titles(&store), ["milk"]);
    assert_eq!(pragma(&store, "journal_mode"), "wal");
}

// ---- closing ----

#[tokio::test]
async fn after_close_every_call_fails_with_closed() {
    let (_dir, _bus, store) = todos("closed");
    store.close().unwrap();
    store.close().unwrap();
    let clone = store.clone();
    assert_kind(clone.query::<(i64,)>("SELECT 1", ()), ErrorKind::Closed);
    assert_kind(clone.query_one::<(i64,)>("SELECT 1", ()), ErrorKind::Closed);
    assert_kind(clone.read(|db| db.query::<(i64,)>("SELECT 1", ())), ErrorKind::Closed);
    assert_kind(clone.execute("DELETE FROM todos", ()), ErrorKind::Closed);
    assert_kind(clone.transaction(|_tx| Ok(())), ErrorKind::Closed);
    assert_kind(clone.write(|_tx| Ok(())).await, ErrorKind::Closed);
    assert_kind(clone.migrate(&[CREATE_TODOS]), ErrorKind::Closed);
}

#[test]
fn close_finishes_the_queued_writes_first() {
    let (dir, _bus, store) = todos("close-queued");
    let mut write = pin!(store.write(|tx| { tx.execute("INSERT INTO todos (title) VALUES ('milk')", ()) }));
    // The first poll queues the write on the writer thread.
    let mut cx = Context::from_waker(Waker::noop());
    let _ = write.as_mut().poll(&mut cx);
    store.close().unwrap();
    assert!(matches!(write.as_mut().poll(&mut cx), Poll::Ready(Ok(1))));

    let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
    assert_eq!(titles(&store), ["milk"]);
}
