//! The writer: one OS thread owning the store's only read-write connection.
//!
//! SQLite allows one writer at a time, so orion has exactly one, on a thread of its own that
//! receives [`Message`]s over a channel and handles them in order. Writes are committed by
//! [`batch`](super::batch): each alone with the write queue off; with it on, every write
//! queued when the writer becomes free — up to the batch limit — in one transaction with one
//! fsync. Either way the writer publishes after `COMMIT`, and only then answers. An `Err` or a
//! panic rolls back (the panic is caught here, so the writer survives it) and publishes
//! nothing. Migrations and flushes are never part of a batch: a batch ends at them.
//!
//! Callers wait for the answer on a channel: blocking callers on a `std` channel, async ones
//! on a `tokio` oneshot, so no async worker thread ever sits in an fsync.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Mutex, MutexGuard};
use std::thread::{self, JoinHandle, ThreadId};

use tokio::sync::oneshot;

use super::batch::Committer;
use super::{Migration, Tx, closed, migrate};
use crate::{Error, ErrorKind, Result};

/// What the writer thread is asked to do. Handled strictly in arrival order.
enum Message {
    /// Run a write (in a batch with the writes queued after it, when the queue is on).
    Write(Box<dyn Job>),
    /// Apply migrations, each in its own transaction (never batched with writes).
    Migrate { migrations: Vec<Migration>, reply: SyncSender<Result<usize>> },
    /// Answer once every message before it has been handled: the writes queued before it are
    /// committed (durable) or failed.
    Flush(SyncSender<()>),
}

/// How the writer groups writes into commits.
#[derive(Debug, Clone, Copy)]
pub(super) struct Queue {
    /// Whether writes queued together share one commit.
    pub(super) enabled: bool,
    /// The most writes in one commit.
    pub(super) max_batch: usize,
}

/// One write: a closure to run inside an open transaction, and a caller waiting for the result.
pub(super) trait Job: Send {
    /// Runs the closure in `tx`; returns whether it asks to commit (it returned `Ok`).
    fn run(&mut self, tx: &Tx<'_>) -> bool;

    /// Answers the caller: the closure's result, or `finished` if the transaction could not
    /// begin or commit.
    fn answer(self: Box<Self>, finished: Result<()>);
}

/// A [`Job`] made of a closure and the channel its caller waits on.
struct Write<T, F> {
    f: Option<F>,
    outcome: Option<Result<T>>,
    reply: Reply<T>,
}

/// Where a caller waits for its answer.
enum Reply<T> {
    /// A blocking caller (`Store::transaction`, `Store::execute`).
    Blocking(SyncSender<Result<T>>),
    /// An async caller (`Store::write`), which must not block its worker thread.
    Async(oneshot::Sender<Result<T>>),
}

/// The handle to the writer thread that the store keeps.
pub(super) struct Writer {
    /// `None` once closed: the thread finishes what is queued, then stops.
    sender: Mutex<Option<Sender<Message>>>,
    thread: Mutex<Option<JoinHandle<Result<()>>>>,
    thread_id: ThreadId,
}

impl Writer {
    /// Moves the committer (and its connection) onto a new writer thread.
    pub(super) fn spawn(committer: Committer, queue: Queue) -> Result<Writer> {
        let (sender, receiver) = mpsc::channel();
        let thread =
            thread::Builder::new().name("orion-store-writer".into()).spawn(move || run(committer, queue, receiver))?;
        Ok(Writer {
            sender: Mutex::new(Some(sender)),
            thread_id: thread.thread().id(),
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Runs `f` in a write transaction and blocks until it has committed (or rolled back).
    pub(super) fn transaction<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Tx<'_>) -> Result<T> + Send + 'static,
    {
        let (reply, answer) = mpsc::sync_channel(1);
        self.send(Message::Write(Box::new(Write::new(f, Reply::Blocking(reply)))))?;
        answer.recv().map_err(|_| stopped())?
    }

    /// Runs `f` in a write transaction and waits, without blocking the thread, for the commit.
    pub(super) async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Tx<'_>) -> Result<T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.send(Message::Write(Box::new(Write::new(f, Reply::Async(reply)))))?;
        answer.await.map_err(|_| stopped())?
    }

    /// Applies `migrations` on the writer connection and blocks until done.
    pub(super) fn migrate(&self, migrations: &[Migration]) -> Result<usize> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.send(Message::Migrate { migrations: migrations.to_vec(), reply })?;
        answer.recv().map_err(|_| stopped())?
    }

    /// Blocks until every write queued before this call is committed (or failed).
    pub(super) fn flush(&self) -> Result<()> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.send(Message::Flush(reply))?;
        answer.recv().map_err(|_| stopped())
    }

    /// Lets the writer finish every queued message, then stops it and closes its connection.
    pub(super) fn close(&self) -> Result<()> {
        if self.on_writer_thread() {
            return Err(Error::internal(
                "`Store::close` was called inside a write, which would wait for itself forever: \
                 close the store after the write has returned",
            ));
        }
        drop(lock(&self.sender).take());
        let Some(thread) = lock(&self.thread).take() else {
            return Ok(());
        };
        thread.join().unwrap_or_else(|_| {
            Err(Error::internal("the store's writer thread panicked: this is a bug in orion, see the log"))
        })
    }

    fn send(&self, message: Message) -> Result<()> {
        if self.on_writer_thread() {
            return Err(Error::internal(
                "a write was started inside a write, which would wait for itself forever: \
                 use the `Tx` the closure was given",
            ));
        }
        match &*lock(&self.sender) {
            Some(sender) => sender.send(message).map_err(|_| stopped()),
            None => Err(closed()),
        }
    }

    fn on_writer_thread(&self) -> bool {
        thread::current().id() == self.thread_id
    }
}

impl Drop for Writer {
    /// The last handle to the store is gone: the writer finishes what is queued and stops.
    /// This waits for it (so the file is closed when the store is dropped), unless the last
    /// handle was dropped on the writer thread itself.
    fn drop(&mut self) {
        drop(lock(&self.sender).take());
        if let Some(thread) = lock(&self.thread).take()
            && !self.on_writer_thread()
        {
            let _ = thread.join();
        }
    }
}

/// The writer thread: handles messages until every sender is gone, then closes the connection.
fn run(mut committer: Committer, queue: Queue, receiver: Receiver<Message>) -> Result<()> {
    let mut next = None;
    loop {
        let message = match next.take() {
            Some(message) => message,
            None => match receiver.recv() {
                Ok(message) => message,
                Err(_) => break,
            },
        };
        match message {
            Message::Write(job) => {
                let mut batch = vec![job];
                // Everything already queued joins the batch, up to the limit; a migration or a
                // flush ends it and is handled after its commit.
                while queue.enabled && batch.len() < queue.max_batch.max(1) {
                    match receiver.try_recv() {
                        Ok(Message::Write(job)) => batch.push(job),
                        Ok(other) => {
                            next = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                committer.commit(batch);
            }
            Message::Migrate { migrations, reply } => {
                let applied = migrate::apply(&mut committer.conn, &migrations);
                committer.reread_sequence();
                let _ = reply.send(applied);
            }
            Message::Flush(reply) => {
                let _ = reply.send(());
            }
        }
    }
    committer.conn.close().map_err(|(_, error)| {
        tracing::warn!(%error, "closing the store's writer connection failed");
        Error::from(error)
    })
}

impl<T, F> Write<T, F> {
    fn new(f: F, reply: Reply<T>) -> Write<T, F> {
        Write { f: Some(f), outcome: None, reply }
    }
}

impl<T, F> Job for Write<T, F>
where
    T: Send + 'static,
    F: FnOnce(&Tx<'_>) -> Result<T> + Send + 'static,
{
    fn run(&mut self, tx: &Tx<'_>) -> bool {
        let Some(f) = self.f.take() else {
            return false;
        };
        let outcome =
            panic::catch_unwind(AssertUnwindSafe(|| f(tx))).unwrap_or_else(|payload| Err(panicked(&*payload)));
        let commit = outcome.is_ok();
        self.outcome = Some(outcome);
        commit
    }

    fn answer(self: Box<Self>, finished: Result<()>) {
        let Write { outcome, reply, .. } = *self;
        let result = match (finished, outcome) {
            (Err(error), _) => Err(error),
            (Ok(()), Some(outcome)) => outcome,
            (Ok(()), None) => Err(Error::internal("the write was answered before it ran")),
        };
        reply.send(result);
    }
}

impl<T> Reply<T> {
    /// Sends the answer; a caller that stopped waiting (a dropped future) is not an error.
    fn send(self, result: Result<T>) {
        match self {
            Reply::Blocking(sender) => {
                let _ = sender.send(result);
            }
            Reply::Async(sender) => {
                let _ = sender.send(result);
            }
        }
    }
}

/// The answer for a write whose closure panicked.
fn panicked(payload: &(dyn Any + Send)) -> Error {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a write panicked and was rolled back");
    Error::internal(format!("the write panicked and was rolled back: {message}"))
}

/// The writer went away without answering (it only stops on close or on a bug in orion).
fn stopped() -> Error {
    Error::new(ErrorKind::Closed, "the store's writer stopped before answering: the store was closed, or see the log")
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
