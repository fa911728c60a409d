//! Deferred foreign keys inside a batch: finding the write that violated one before its
//! savepoint is released.
//!
//! SQLite checks a deferred foreign key (`DEFERRABLE INITIALLY DEFERRED`, or any key while
//! `PRAGMA defer_foreign_keys` is on) only at `COMMIT`. With the write queue on, several writes
//! share one commit, so a violation left by one of them would fail the commit of all of them.
//! The writer therefore checks each write of a batch before releasing its savepoint, and rolls
//! back only the write that left a violation.
//!
//! The check is `PRAGMA foreign_key_check` on the tables that can hold a deferred violation:
//! the tables whose definition contains the word `DEFERRED` (every deferred key has it; a
//! false match only costs a check), or every table while the write turned
//! `defer_foreign_keys` on (the pragma is then switched off again, so it cannot leak into the
//! next write; whether a write may have turned it on shows in its SQL, which all goes through
//! [`Tx`](super::Tx)). It runs only after a write that changed rows, and only when such tables
//! exist — a schema without deferred keys pays one `PRAGMA schema_version` read per write. A table is scanned
//! whole, so a large table with a deferred key makes every batched write that changes rows
//! slower; such an app may prefer the queue off, where SQLite checks at `COMMIT` as usual.
//!
//! Violations already in the file when the schema was last read (written with foreign keys
//! off, say by the `sqlite3` shell) are remembered and not blamed on a write.
//!
//! A write that runs alone (no other write queued) is not checked here: its `COMMIT` is its
//! own, and SQLite checks it there.

use std::collections::HashSet;

use rusqlite::Connection;

use crate::{Error, ErrorKind, Result};

/// What the writer knows about the deferred foreign keys of its database.
#[derive(Debug, Default)]
pub(super) struct DeferredKeys {
    /// The `schema_version` `tables` was read at.
    version: Option<i64>,
    /// The tables that may declare a deferred foreign key.
    tables: Vec<String>,
    /// Violations present before the current batch began, when the schema was read.
    baseline: HashSet<Violation>,
}

/// One row of `PRAGMA foreign_key_check`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Violation {
    table: String,
    /// `None` for a `WITHOUT ROWID` table.
    rowid: Option<i64>,
    parent: String,
    key: i64,
}

impl DeferredKeys {
    /// At the start of a batch, inside its transaction and before any write ran: re-reads the
    /// tables with deferred keys, and the violations already in them, when the schema changed.
    pub(super) fn start(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let version: i64 = conn.query_row("PRAGMA schema_version", (), |row| row.get(0))?;
        if self.version != Some(version) {
            self.tables = deferred_tables(conn)?;
            self.baseline = violations(conn, Some(&self.tables))?.into_iter().collect();
            self.version = Some(version);
        }
        Ok(())
    }

    /// After one write of a batch ran in its savepoint, with the schema at `version`: `Err`
    /// with the deferred violation it left, when it is to be checked (it asked to commit and
    /// changed rows). `deferring`: the write's SQL named `defer_foreign_keys` (the pragma is
    /// then read, and switched back off).
    pub(super) fn check(&mut self, conn: &Connection, version: i64, deferring: bool, checked: bool) -> Result<()> {
        let deferring = deferring && conn.query_row("PRAGMA defer_foreign_keys", (), |row| row.get::<_, bool>(0))?;
        if deferring {
            conn.execute_batch("PRAGMA defer_foreign_keys = OFF")?;
        }
        if self.version != Some(version) {
            // The write changed the schema: later writes of the batch check the new tables too.
            self.tables = deferred_tables(conn)?;
            self.version = Some(version);
        }
        if !checked || (!deferring && self.tables.is_empty()) {
            return Ok(());
        }
        let found = violations(conn, if deferring { None } else { Some(&self.tables) })?;
        match found.into_iter().find(|violation| !self.baseline.contains(violation)) {
            Some(violation) => Err(violation.into_error()),
            None => Ok(()),
        }
    }
}

/// The tables whose definition may declare a deferred foreign key.
fn deferred_tables(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT name FROM sqlite_schema
         WHERE type = 'table' AND sql LIKE '%deferred%'
           AND EXISTS (SELECT 1 FROM pragma_foreign_key_list(name))
         ORDER BY name",
    )?;
    let names = statement.query_map((), |row| row.get(0))?;
    names.collect()
}

/// The foreign-key violations in `tables`, or in every table when `None`.
fn violations(conn: &Connection, tables: Option<&[String]>) -> rusqlite::Result<Vec<Violation>> {
    let read = |row: &rusqlite::Row<'_>| {
        Ok(Violation { table: row.get(0)?, rowid: row.get(1)?, parent: row.get(2)?, key: row.get(3)? })
    };
    let Some(tables) = tables else {
        let mut statement = conn.prepare("SELECT \"table\", rowid, parent, fkid FROM pragma_foreign_key_check")?;
        return statement.query_map((), read)?.collect();
    };
    let mut statement = conn.prepare("SELECT \"table\", rowid, parent, fkid FROM pragma_foreign_key_check(?1)")?;
    let mut found = Vec::new();
    for table in tables {
        for violation in statement.query_map([table], read)? {
            found.push(violation?);
        }
    }
    Ok(found)
}

impl Violation {
    fn into_error(self) -> Error {
        let row = match self.rowid {
            Some(rowid) => format!("row {rowid} of `{}`", self.table),
            None => format!("a row of `{}`", self.table),
        };
        Error::new(
            ErrorKind::Sql,
            format!(
                "FOREIGN KEY constraint failed: {row} references a missing row of `{}` (a deferred key, \
                 checked before the write's batch commits): write that row in the same transaction, \
                 or remove the reference",
                self.parent
            ),
        )
    }
}
