//! The write queue (group commit) at the store's boundary: which writes share a commit, what
//! each caller is answered, what is published and when, and what a failing write takes with it
//! (nothing but itself).
//!
//! A batch is made deterministic with a *gate*: a write that holds the writer until the test
//! has queued the others, which then form the next batch together. A batch's commit count
//! shows in the commit sequence, which advances once per commit that changes something.

use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc;
use std::task::{Context, Waker};
use std::thread;
use std::time::Duration;

use orion::store::rusqlite::{self, Connection};
use orion::store::{Migration, Seq, Sql, Store, StoreOptions, Tx};
use orion::{Bus, Error, ErrorKind};

use crate::support::TempDir;

const SCHEMA: Migration = Migration {
    name: "20261122090000_lists.sql",
    sql: "CREATE TABLE todos (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
          CREATE TABLE lists (id INTEGER PRIMARY KEY);
          CREATE TABLE items (
              id INTEGER PRIMARY KEY,
              list INTEGER NOT NULL REFERENCES lists (id) DEFERRABLE INITIALLY DEFERRED
          );
          CREATE TABLE tags (id INTEGER PRIMARY KEY, todo INTEGER NOT NULL REFERENCES todos (id));",
};

type Queued<T> = Pin<Box<dyn Future<Output = orion::Result<T>> + Send>>;

/// A store with the write queue on, in a fresh temp dir.
fn queued_store(label: &str, change: impl FnOnce(&mut StoreOptions)) -> (TempDir, Bus, Store) {
    let dir = TempDir::new(label);
    let bus = Bus::new();
    let mut options = StoreOptions { write_queue: true, ..StoreOptions::default() };
    change(&mut options);
    let store = Store::open_with(&dir.join("app.db"), &bus, options).unwrap();
    store.migrate(&[SCHEMA]).unwrap();
    (dir, bus, store)
}

/// Queues `write` on the writer without waiting for its answer: the first poll of
/// `Store::write` sends it.
fn queue<T: Send + 'static>(
    store: &Store,
    write: impl FnOnce(&Tx<'_>) -> orion::Result<T> + Send + 'static,
) -> Queued<T> {
    let store = store.clone();
    let mut future: Queued<T> = Box::pin(async move { store.write(write).await });
    let _ = future.as_mut().poll(&mut Context::from_waker(Waker::noop()));
    future
}

/// Holds the writer inside a write until dropped (or released): writes queued meanwhile form
/// the next batch.
struct Gate {
    release: Option<mpsc::Sender<()>>,
    write: Queued<()>,
}

impl Gate {
    fn hold(store: &Store) -> Gate {
        let (entered, inside) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let write = queue(store, move |_tx| {
            entered.send(()).unwrap();
            let _ = released.recv();
            Ok(())
        });
        inside.recv().expect("the writer runs the gate");
        Gate { release: Some(release), write }
    }

    async fn release(mut self) {
        drop(self.release.take());
        (&mut self.write).await.unwrap();
    }
}

fn insert(title: &'static str) -> impl FnOnce(&Tx<'_>) -> orion::Result<i64> + Send + 'static {
    move |tx| {
        tx.execute("INSERT INTO todos (title) VALUES (?1)", [title])?;
        tx.publish(title);
        Ok(tx.last_insert_rowid())
    }
}

fn titles(db: &impl Sql) -> Vec<String> {
    let rows: Vec<(String,)> = db.query("SELECT title FROM todos ORDER BY id", ()).unwrap();
    rows.into_iter().map(|(title,)| title).collect()
}

#[tokio::test]
async fn writes_queued_together_share_one_commit_and_each_gets_its_own_results() {
    let (_dir, _bus, store) = queued_store("queue-batch", |_| {});
    let before = store.seq();
    let gate = Gate::hold(&store);
    let writes: Vec<Queued<(i64, i64)>> = (0..10)
        .map(|i| {
            queue(&store, move |tx| {
                tx.execute("INSERT INTO todos (title) VALUES (?1)", [format!("todo {i}")])?;
                // Statements run on the writer and return real results at once, inside the batch.
                let (count,): (i64,) = tx.query_one("SELECT count(*) FROM todos", ())?.unwrap();
                Ok((tx.last_insert_rowid(), count))
            })
        })
        .collect();
    gate.release().await;
    for (i, write) in writes.into_iter().enumerate() {
        let n = i as i64 + 1;
        assert_eq!(write.await.unwrap(), (n, n), "write {i} sees the rows of the writes before it");
    }
    assert_eq!(store.seq(), Seq::new(before.get() + 1), "ten writes, one commit");
    assert_eq!(titles(&store).len(), 10);
}

#[tokio::test]
async fn a_failing_write_rolls_back_alone_and_publishes_nothing() {
    let (_dir, bus, store) = queued_store("queue-isolation", |_| {});
    let mut subscriptions: Vec<_> = ["a", "b", "c", "d", "e"].iter().map(|t| bus.subscribe(&[t])).collect();
    let before = store.seq();
    let gate = Gate::hold(&store);
    let a = queue(&store, insert("a"));
    let b = queue(&store, |tx| -> orion::Result<i64> {
        insert("b")(tx)?;
        Err(Error::bad_request("b is refused"))
    });
    let c = queue(&store, insert("c"));
    let d = queue(&store, |tx| -> orion::Result<i64> {
        insert("d")(tx)?;
        panic!("d blew up")
    });
    let e = queue(&store, insert("e"));
    gate.release().await;

    assert_eq!(a.await.unwrap(), 1);
    let refused = b.await.unwrap_err();
    assert_eq!((refused.kind(), refused.message()), (ErrorKind::BadRequest, "b is refused"));
    assert_eq!(c.await.unwrap(), 2, "c ran after b's row was rolled back (rowid 2 is free again)");
    let panicked = d.await.unwrap_err();
    assert_eq!(panicked.kind(), ErrorKind::Internal);
    assert!(panicked.message().contains("d blew up"), "{panicked:?}");
    assert_eq!(e.await.unwrap(), 3);

    assert_eq!(titles(&store), ["a", "c", "e"]);
    assert_eq!(store.seq(), Seq::new(before.get() + 1));
    let published: Vec<bool> = subscriptions.iter_mut().map(|s| s.try_changed()).collect();
    assert_eq!(published, [true, false, true, false, true]);
    for (subscription, published) in subscriptions.iter().zip([true, false, true, false, true]) {
        let expected = if published { store.seq() } else { Seq::ZERO };
        assert_eq!(subscription.seq(), Some(expected), "{subscription:?}");
    }
}

#[tokio::test]
async fn a_deferred_foreign_key_violation_fails_only_its_write() {
    let (_dir, _bus, store) = queued_store("queue-deferred", |_| {});
    let gate = Gate::hold(&store);
    // Deferred: the item may come before its list, as long as both are there at the end.
    let child_first = queue(&store, |tx| {
        tx.execute("INSERT INTO items (id, list) VALUES (1, 1)", ())?;
        tx.execute("INSERT INTO lists (id) VALUES (1)", ())
    });
    let dangling = queue(&store, |tx| tx.execute("INSERT INTO items (id, list) VALUES (2, 99)", ()));
    let after = queue(&store, |tx| {
        tx.execute("INSERT INTO lists (id) VALUES (2)", ())?;
        tx.execute("INSERT INTO items (id, list) VALUES (3, 2)", ())
    });
    gate.release().await;

    child_first.await.unwrap();
    let error = dangling.await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Sql);
    assert_eq!(
        error.message(),
        "FOREIGN KEY constraint failed: row 2 of `items` references a missing row of `lists` (a deferred key, \
         checked before the write's batch commits): write that row in the same transaction, or remove the reference"
    );
    after.await.unwrap();
    let items: Vec<(i64, i64)> = store.query("SELECT id, list FROM items ORDER BY id", ()).unwrap();
    assert_eq!(items, [(1, 1), (3, 2)]);
}

#[tokio::test]
async fn defer_foreign_keys_is_checked_for_its_write_and_does_not_leak_into_the_next() {
    let (_dir, _bus, store) = queued_store("queue-defer-pragma", |_| {});
    store.execute("INSERT INTO todos (id, title) VALUES (1, 'milk')", ()).unwrap();
    let gate = Gate::hold(&store);
    let deferring = queue(&store, |tx| {
        tx.execute("PRAGMA defer_foreign_keys = ON", ())?;
        tx.execute("INSERT INTO tags (todo) VALUES (42)", ())
    });
    let next = queue(&store, |tx| {
        // With the pragma still on, this would be deferred and then blamed on this write.
        let refused = tx.execute("INSERT INTO tags (todo) VALUES (43)", ()).is_err();
        tx.execute("INSERT INTO tags (todo) VALUES (1)", ())?;
        Ok(refused)
    });
    gate.release().await;

    let error = deferring.await.unwrap_err();
    assert!(error.message().starts_with("FOREIGN KEY constraint failed: row 1 of `tags`"), "{error:?}");
    assert!(next.await.unwrap(), "the next write's bad insert is refused at once");
    let tags: Vec<(i64,)> = store.query("SELECT todo FROM tags", ()).unwrap();
    assert_eq!(tags, [(1,)]);
}

#[tokio::test]
async fn a_violation_already_in_the_file_is_not_blamed_on_a_write() {
    let (dir, _bus, store) = queued_store("queue-baseline", |_| {});
    // Written behind orion's back, with foreign keys off (the `sqlite3` shell's default).
    let shell = Connection::open(dir.join("app.db")).unwrap();
    shell.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    shell.execute("INSERT INTO items (id, list) VALUES (1, 404)", ()).unwrap();
    drop(shell);
    let gate = Gate::hold(&store);
    let writes: Vec<Queued<usize>> = (0..3)
        .map(|i| {
            queue(&store, move |tx| {
                tx.execute("INSERT INTO lists (id) VALUES (?1)", [i + 10])?;
                tx.execute("INSERT INTO items (list) VALUES (?1)", [i + 10])
            })
        })
        .collect();
    gate.release().await;
    for write in writes {
        assert_eq!(write.await.unwrap(), 1);
    }
}

#[tokio::test]
async fn a_subscriber_woken_by_a_batch_reads_every_write_of_it() {
    let (_dir, bus, store) = queued_store("queue-publish", |_| {});
    let mut todos = bus.subscribe(&["a", "b", "c"]);
    let gate = Gate::hold(&store);
    let writes = [queue(&store, insert("a")), queue(&store, insert("b")), queue(&store, insert("c"))];
    gate.release().await;
    todos.changed().await;
    // Published after the commit: the wake-up sees all three rows, and the commit's sequence.
    assert_eq!(titles(&store), ["a", "b", "c"]);
    let seq = todos.seq().unwrap();
    for write in writes {
        write.await.unwrap();
    }
    // Answered after the publish, and the store's newest published commit by then.
    assert_eq!(store.seq(), seq);
}

#[tokio::test]
async fn a_batch_takes_at_most_max_batch_writes() {
    let (_dir, _bus, store) = queued_store("queue-limit", |options| options.max_batch = 3);
    let before = store.seq();
    let gate = Gate::hold(&store);
    let writes: Vec<Queued<i64>> = (0..7).map(|_| queue(&store, insert("x"))).collect();
    gate.release().await;
    for write in writes {
        write.await.unwrap();
    }
    assert_eq!(store.seq(), Seq::new(before.get() + 3), "7 writes in batches of 3, 3 and 1");
}

#[tokio::test]
async fn a_write_that_commits_itself_fails_and_the_writes_around_it_keep_their_answers() {
    let (_dir, bus, store) = queued_store("queue-commit-itself", |_| {});
    let mut a_topic = bus.subscribe(&["a"]);
    let gate = Gate::hold(&store);
    let a = queue(&store, insert("a"));
    let rogue = queue(&store, |tx| tx.execute("COMMIT", ()));
    let c = queue(&store, insert("c"));
    gate.release().await;
    assert_eq!(a.await.unwrap(), 1, "committed by the rogue write's COMMIT, so answered as committed");
    let error = rogue.await.unwrap_err();
    assert!(error.message().contains("ended its own transaction"), "{error:?}");
    assert_eq!(c.await.unwrap(), 2);
    assert_eq!(titles(&store), ["a", "c"]);
    assert!(a_topic.try_changed());
    assert!(a_topic.seq().unwrap() > Seq::ZERO);
}

#[tokio::test]
async fn a_write_that_rolls_back_its_batch_fails_and_takes_only_the_writes_before_it() {
    let (_dir, _bus, store) = queued_store("queue-rollback-itself", |_| {});
    let gate = Gate::hold(&store);
    let a = queue(&store, insert("a"));
    let rogue = queue(&store, |tx| tx.execute("ROLLBACK", ()));
    let c = queue(&store, insert("c"));
    gate.release().await;
    let lost = a.await.unwrap_err();
    assert!(lost.message().starts_with("the write was rolled back with its whole batch"), "{lost:?}");
    assert!(rogue.await.unwrap_err().message().contains("ended its own transaction"));
    c.await.unwrap();
    assert_eq!(titles(&store), ["c"]);
}

#[test]
fn flush_returns_once_every_write_queued_before_it_is_committed() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let (_dir, _bus, store) = queued_store("queue-flush", |_| {});
    let gate = Gate::hold(&store);
    let writes: Vec<Queued<i64>> = ["a", "b", "c"].into_iter().map(|t| queue(&store, insert(t))).collect();
    let flushed = thread::spawn({
        let store = store.clone();
        move || {
            store.flush().unwrap();
            // Read at once, before anyone awaited the writes: they are committed.
            titles(&store)
        }
    });
    runtime.block_on(gate.release());
    assert_eq!(flushed.join().unwrap(), ["a", "b", "c"]);
    for write in writes {
        runtime.block_on(write).unwrap();
    }
}

#[test]
fn close_commits_the_queued_writes_before_it_returns() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let (dir, _bus, store) = queued_store("queue-close", |_| {});
    let gate = Gate::hold(&store);
    let writes: Vec<Queued<i64>> = ["a", "b"].into_iter().map(|t| queue(&store, insert(t))).collect();
    let closed = thread::spawn({
        let store = store.clone();
        move || store.close()
    });
    runtime.block_on(gate.release());
    closed.join().unwrap().unwrap();
    for write in writes {
        runtime.block_on(write).unwrap();
    }
    let store = Store::open(&dir.join("app.db"), &Bus::new()).unwrap();
    assert_eq!(titles(&store), ["a", "b"]);
}

/// Another connection to the same file (another process, for SQLite) holding the write lock.
fn hold_write_lock(dir: &TempDir) -> Connection {
    let other = Connection::open(dir.join("app.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    other
}

#[tokio::test]
async fn a_write_waits_for_another_connections_write_lock() {
    let (dir, _bus, store) = queued_store("queue-busy-wait", |_| {});
    let other = hold_write_lock(&dir);
    other.execute("INSERT INTO todos (title) VALUES ('theirs')", ()).unwrap();
    let ours = queue(&store, insert("ours"));
    other.execute_batch("COMMIT").unwrap();
    ours.await.unwrap();
    assert_eq!(titles(&store), ["theirs", "ours"]);
}

#[tokio::test]
async fn past_the_busy_timeout_queued_writes_fail_clearly_and_later_ones_succeed() {
    let (dir, _bus, store) = queued_store("queue-busy", |options| options.busy_timeout = Duration::from_millis(50));
    let other = hold_write_lock(&dir);
    let writes: Vec<Queued<i64>> = (0..3).map(|_| queue(&store, insert("x"))).collect();
    for write in writes {
        let error = write.await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Sql);
        assert!(
            error.message().contains("is locked: another process held its write lock for longer than the busy timeout"),
            "{error:?}"
        );
        assert!(error.message().ends_with("retry, or raise `StoreOptions::busy_timeout`"), "{error:?}");
    }
    other.execute_batch("ROLLBACK").unwrap();
    queue(&store, insert("y")).await.unwrap();
    assert_eq!(titles(&store), ["y"]);
}

#[test]
fn a_write_alone_commits_at_once_as_without_the_queue() {
    let (_dir, bus, store) = queued_store("queue-alone", |_| {});
    let mut a = bus.subscribe(&["a"]);
    let id = store.transaction(insert("a")).unwrap();
    assert_eq!(id, 1);
    assert!(a.try_changed());
    // SQLite's own COMMIT checks a lone write's deferred keys.
    let error = store.execute("INSERT INTO items (list) VALUES (7)", ()).unwrap_err();
    assert!(error.message().contains("FOREIGN KEY constraint failed"), "{error:?}");
    let rusqlite_error: Option<&rusqlite::Error> =
        std::error::Error::source(&error).and_then(|source| source.downcast_ref());
    assert!(rusqlite_error.is_some(), "{error:?}");
}
