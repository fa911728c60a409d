//! How a store is opened: durability, the write queue, reader pool size, busy timeout, the
//! tenancy oracle.

use std::time::Duration;

/// How a [`Store`](super::Store) is opened. Start from the default and change what you need:
///
/// ```
/// use orion::store::{StoreOptions, Synchronous};
///
/// let options = StoreOptions {
///     synchronous: Synchronous::Normal,
///     ..StoreOptions::default()
/// };
/// assert_eq!(options.readers, 4);
/// assert!(!options.write_queue);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// When SQLite waits for the disk; [`Synchronous::Full`] unless you have a reason.
    pub synchronous: Synchronous,
    /// The most reader connections open at once (opened on first use). A read that finds
    /// all of them busy waits for one; `0` is taken as `1`.
    pub readers: usize,
    /// How long a connection waits for a lock held by another process before
    /// `database is locked`. In one process the writer never waits on readers (WAL), so this
    /// only matters when a second process (a backup, the `sqlite3` shell) writes the file.
    pub busy_timeout: Duration,
    /// Group commit: writes queued while the writer is busy share one transaction and one
    /// fsync (off by default).
    ///
    /// Each write still runs in a `SAVEPOINT` of its own, so it commits or rolls back alone,
    /// and its caller is still answered only once its write is durable. Under load this turns
    /// an fsync per write into an fsync per batch; a write that finds the writer idle commits
    /// alone, at once. See the [store docs](super) for the costs (deferred foreign keys).
    pub write_queue: bool,
    /// The most writes one commit takes with the write queue on (`0` is taken as `1`). Bounds
    /// how long the first write of a batch waits for the others to run.
    pub max_batch: usize,
    /// The dev-mode tenancy oracle: raw SQL that reaches a tenant-scoped table without the
    /// tenant predicate fails, with the caller's file and line (on in debug builds, off in
    /// release builds).
    ///
    /// It only acts once [`Store::migrate`](super::Store::migrate) was given migrations that
    /// declare tenant-scoped tables (`-- orion: tenant notes.workspace_id`). See the
    /// [store docs](super).
    pub check_tenancy: bool,
}

impl Default for StoreOptions {
    fn default() -> StoreOptions {
        StoreOptions {
            synchronous: Synchronous::default(),
            readers: 4,
            busy_timeout: Duration::from_secs(5),
            write_queue: false,
            max_batch: 256,
            check_tenancy: cfg!(debug_assertions),
        }
    }
}

/// SQLite's `PRAGMA synchronous`: how much a commit waits for the disk.
///
/// orion's promise is that an acknowledged write survives power loss, which takes
/// [`Full`](Synchronous::Full). The others trade that promise for speed and are for data
/// you can rebuild (caches, tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Synchronous {
    /// Every commit is fsynced before it is acknowledged (`synchronous=FULL`, the default).
    #[default]
    Full,
    /// A commit is durable at the next checkpoint; a power loss may drop the last commits,
    /// never corrupt the file (`synchronous=NORMAL`).
    Normal,
    /// No fsync at all; an operating-system crash may corrupt the file (`synchronous=OFF`).
    Off,
}

impl Synchronous {
    /// The value of `PRAGMA synchronous` for this setting.
    pub(super) fn pragma(self) -> &'static str {
        match self {
            Synchronous::Full => "FULL",
            Synchronous::Normal => "NORMAL",
            Synchronous::Off => "OFF",
        }
    }
}
