//! The commit sequence: a number every commit advances, kept in the database, and the number at
//! which each topic last changed.
//!
//! The store creates two internal tables when it opens a file:
//!
//! - `_orion_commit`, one row: `seq`, the [`Seq`] of the newest commit, and `reset`, the
//!   newest commit after which *anything* may have changed (a migration).
//! - `_orion_topics`: for each topic ever published in a commit, the [`Seq`] of the newest
//!   commit that published it.
//!
//! A commit that changed rows or published topics advances `seq` by one and marks its topics,
//! inside the same transaction, so the marks are exactly as durable as the rows: after a
//! restart — or in another process sharing the file — "did any of these topics change since
//! commit 41?" has the same answer. With the write queue on, a batch of writes is one commit
//! and so one number. A live region uses it to tell a reconnecting viewer "nothing of mine
//! changed since the state you hold" (see [`crate::region`]).
//!
//! Writes made outside orion (the `sqlite3` shell) neither advance the sequence nor mark
//! topics; a viewer that reconnects after one keeps what it shows until the region next
//! changes. A topic that was never published by a commit — only with [`Bus::publish`], say —
//! counts as changed, since nothing can be told about it.
//!
//! [`Bus::publish`]: crate::Bus::publish

use std::fmt;
use std::str::FromStr;

use rusqlite::Connection;

/// A position in a store's commit sequence: every commit that changes something advances it by
/// one. Region frames carry the `Seq` of the state they show, and live streams send it as
/// their SSE `id`.
///
/// ```
/// use orion::store::Seq;
///
/// let seq: Seq = "41".parse().unwrap();
/// assert_eq!(seq.get(), 41);
/// assert!(seq < Seq::new(42));
/// assert_eq!(seq.to_string(), "41");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Seq(u64);

impl Seq {
    /// Before the first commit.
    pub const ZERO: Seq = Seq(0);

    /// The position `n`.
    pub const fn new(n: u64) -> Seq {
        Seq(n)
    }

    /// The number.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for Seq {
    type Err = std::num::ParseIntError;

    /// Reads a decimal number, as an SSE `Last-Event-ID` carries it.
    fn from_str(text: &str) -> Result<Seq, Self::Err> {
        text.trim().parse().map(Seq)
    }
}

/// Creates the tables if missing. Runs on the writer connection at open, in a transaction of
/// its own (another process may be creating them at the same moment).
pub(super) fn create(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "BEGIN IMMEDIATE;
         CREATE TABLE IF NOT EXISTS _orion_commit (
             id INTEGER PRIMARY KEY CHECK (id = 1),
             seq INTEGER NOT NULL,
             reset INTEGER NOT NULL
         ) STRICT;
         INSERT OR IGNORE INTO _orion_commit (id, seq, reset) VALUES (1, 0, 0);
         CREATE TABLE IF NOT EXISTS _orion_topics (
             topic TEXT PRIMARY KEY,
             seq INTEGER NOT NULL
         ) STRICT, WITHOUT ROWID;
         COMMIT;",
    )
    .inspect_err(|_| {
        if !conn.is_autocommit() {
            let _ = conn.execute_batch("ROLLBACK");
        }
    })
}

/// The newest commit's position, read on `conn`.
pub(super) fn current(conn: &Connection) -> rusqlite::Result<Seq> {
    conn.query_row("SELECT seq FROM _orion_commit WHERE id = 1", (), |row| row.get(0)).map(from_sql)
}

/// Advances the sequence inside the open transaction and marks `topics` as changed at the new
/// position; returns it.
pub(super) fn advance<'a>(conn: &Connection, topics: impl IntoIterator<Item = &'a str>) -> rusqlite::Result<Seq> {
    let seq: i64 =
        conn.query_row("UPDATE _orion_commit SET seq = seq + 1 WHERE id = 1 RETURNING seq", (), |row| row.get(0))?;
    let mut mark = conn.prepare(
        "INSERT INTO _orion_topics (topic, seq) VALUES (?1, ?2)
         ON CONFLICT (topic) DO UPDATE SET seq = excluded.seq",
    )?;
    for topic in topics {
        mark.execute((topic, seq))?;
    }
    Ok(from_sql(seq))
}

/// Advances the sequence inside the open transaction of a migration, which may change anything:
/// every region counts as changed since any earlier position.
pub(super) fn advance_all(conn: &Connection) -> rusqlite::Result<Seq> {
    conn.query_row("UPDATE _orion_commit SET seq = seq + 1, reset = seq + 1 WHERE id = 1 RETURNING seq", (), |row| {
        row.get(0)
    })
    .map(from_sql)
}

/// Whether a state as of `since` may differ from the current one for a reader of `topics`: one
/// of them was published by a later commit, or was never published by a commit (it may be
/// published outside the sequence, so nothing can be told), a migration ran since, or `since`
/// is not a position of this database (it is ahead of the newest commit).
pub(super) fn changed_since(conn: &Connection, topics: &[&str], since: Seq) -> crate::Result<bool> {
    let topics = serde_json::to_string(topics).map_err(|error| crate::Error::internal(error.to_string()))?;
    let (seq, reset, newest, unmarked): (i64, i64, Option<i64>, i64) = conn.query_row(
        "WITH asked (topic) AS (SELECT DISTINCT value FROM json_each(?1))
         SELECT seq, reset,
                (SELECT max(seq) FROM _orion_topics WHERE topic IN asked),
                (SELECT count(*) FROM asked WHERE topic NOT IN (SELECT topic FROM _orion_topics))
         FROM _orion_commit WHERE id = 1",
        [topics],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
    )?;
    let (seq, reset, newest) = (from_sql(seq), from_sql(reset), newest.map(from_sql));
    Ok(since > seq || reset > since || unmarked > 0 || newest.is_some_and(|newest| newest > since))
}

/// SQLite stores integers as `i64`; the sequence starts at 0 and only grows.
fn from_sql(n: i64) -> Seq {
    Seq(u64::try_from(n).unwrap_or(0))
}
