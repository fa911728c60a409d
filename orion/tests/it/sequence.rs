//! The commit sequence at the store's boundary: how it advances, what it remembers per topic,
//! what the bus carries, and that it lives in the file (a restart, another connection).

use orion::store::{Migration, Seq, Store, StoreOptions};
use orion::{Bus, Error};

use crate::support::TempDir;

const CREATE_TODOS: Migration = Migration {
    name: "20261122100000_create_todos.sql",
    sql: "CREATE TABLE todos (id INTEGER PRIMARY KEY, title TEXT NOT NULL);",
};

const ADD_DONE: Migration = Migration {
    name: "20261122100100_add_done.sql",
    sql: "ALTER TABLE todos ADD COLUMN done INTEGER NOT NULL DEFAULT 0;",
};

fn open(dir: &TempDir, bus: &Bus) -> Store {
    let store = Store::open(&dir.join("app.db"), bus).unwrap();
    store.migrate(&[CREATE_TODOS]).unwrap();
    store
}

fn add(store: &Store, title: &'static str, topic: &'static str) -> Seq {
    store
        .transaction(move |tx| {
            tx.execute("INSERT INTO todos (title) VALUES (?1)", [title])?;
            tx.publish(topic);
            Ok(())
        })
        .unwrap();
    store.seq()
}

#[test]
fn every_commit_that_changes_something_advances_the_sequence_and_a_restart_keeps_it() {
    let dir = TempDir::new("seq-advance");
    let store = open(&dir, &Bus::new());
    let migrated = store.seq();
    assert_eq!(migrated, Seq::new(1), "the migration was one commit");
    assert_eq!(add(&store, "milk", "todos"), Seq::new(2));
    // A commit that changed nothing and published nothing is not a position.
    store.transaction(|tx| tx.query::<(i64,)>("SELECT id FROM todos", ())).unwrap();
    assert_eq!(store.seq(), Seq::new(2));
    // A rolled-back write is not either.
    let failed = store.transaction(|tx| -> orion::Result<()> {
        tx.execute("INSERT INTO todos (title) VALUES ('eggs')", ())?;
        Err(Error::bad_request("no"))
    });
    assert!(failed.is_err());
    assert_eq!(store.seq(), Seq::new(2));
    // Publishing without changing a row is a change (to what the topic's readers see).
    store
        .transaction(|tx| {
            tx.publish("todos");
            Ok(())
        })
        .unwrap();
    assert_eq!(store.seq(), Seq::new(3));
    store.close().unwrap();

    let store = open(&dir, &Bus::new());
    assert_eq!(store.seq(), Seq::new(3));
    assert_eq!(add(&store, "eggs", "todos"), Seq::new(4));
}

#[test]
fn each_topic_remembers_the_commit_that_last_published_it() {
    let dir = TempDir::new("seq-topics");
    let store = open(&dir, &Bus::new());
    let a = add(&store, "one", "a");
    let b = add(&store, "two", "b");
    let changed = |topics: &[&str], since: Seq| store.changed_since(topics, since).unwrap();
    assert!(!changed(&["a"], a));
    assert!(changed(&["a"], Seq::new(a.get() - 1)));
    assert!(!changed(&["a"], b), "b's commit did not publish a");
    assert!(changed(&["b"], a));
    assert!(changed(&["a", "b"], a));
    assert!(!changed(&[], a), "a region without topics never changes");
    assert!(changed(&["never"], b), "a topic no commit published: nothing can be told");
    assert!(changed(&["a"], Seq::new(b.get() + 1)), "a position this database has not reached");
    // After a restart, from the file.
    store.close().unwrap();
    let store = open(&dir, &Bus::new());
    assert!(!store.changed_since(&["a"], a).unwrap());
    assert!(store.changed_since(&["b"], a).unwrap());
}

#[test]
fn a_migration_counts_as_a_change_to_every_topic() {
    let dir = TempDir::new("seq-migration");
    let store = open(&dir, &Bus::new());
    let a = add(&store, "one", "a");
    assert!(!store.changed_since(&["a"], a).unwrap());
    store.migrate(&[CREATE_TODOS, ADD_DONE]).unwrap();
    assert_eq!(store.seq(), Seq::new(a.get() + 1));
    assert!(store.changed_since(&["a"], a).unwrap());
    assert!(!store.changed_since(&["a"], store.seq()).unwrap());
}

#[test]
fn bus_messages_carry_the_commit_sequence() {
    let dir = TempDir::new("seq-bus");
    let bus = Bus::new();
    let store = open(&dir, &bus);
    let mut todos = bus.subscribe(&["todos"]);
    assert_eq!(todos.seq(), Some(Seq::ZERO));
    let seq = add(&store, "milk", "todos");
    assert!(todos.try_changed());
    assert_eq!(todos.seq(), Some(seq));
    // Delivered by an adapter from another process: carried as given.
    bus.publish_local("todos", Some(Seq::new(seq.get() + 5)));
    assert_eq!(todos.seq(), Some(Seq::new(seq.get() + 5)));
    // A publish outside any commit: from now on, unknown.
    bus.publish("todos");
    assert!(todos.try_changed());
    assert_eq!(todos.seq(), None);
    add(&store, "eggs", "todos");
    assert_eq!(todos.seq(), None);
}

#[test]
fn two_connections_to_one_file_advance_one_sequence() {
    let dir = TempDir::new("seq-two");
    let (bus_a, bus_b) = (Bus::new(), Bus::new());
    let first = open(&dir, &bus_a);
    let second = Store::open_with(&dir.join("app.db"), &bus_b, StoreOptions::default()).unwrap();
    let a = add(&first, "one", "a");
    let b = add(&second, "two", "b");
    assert_eq!(b, Seq::new(a.get() + 1), "the second store continued the file's sequence");
    // What the first store knows in memory is its own commits; the file knows both.
    assert_eq!(first.seq(), a);
    assert!(first.changed_since(&["b"], a).unwrap());
    assert_eq!(add(&first, "three", "a"), Seq::new(b.get() + 1));
}
