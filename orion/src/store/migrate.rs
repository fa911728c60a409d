//! Migrations: the app's schema, applied in order at boot, each exactly once.
//!
//! Each migration runs in its own `BEGIN IMMEDIATE` transaction together with its record in
//! `_orion_migrations`, so a migration is either applied and recorded or neither. It also
//! advances the commit sequence as a change to everything (see [`sequence`]). The record
//! keeps the SHA-256 of the SQL text: editing a migration after it was applied would leave
//! databases that ran the old text and databases that ran the new one, so it is refused
//! before anything runs. The files are found by `orion_sql_check::discover`; the runtime only
//! sees the list.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};

use super::sequence;
use crate::{Error, ErrorKind, Result};

/// One migration: its file name and its SQL.
///
/// The name is the file name (`20261121120000_create_todos.sql`), which is also the key it is
/// recorded under. The SQL may hold several statements; don't write `BEGIN` or `COMMIT`, each
/// migration already runs in its own transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// The file name, e.g. `20261121120000_create_todos.sql`.
    pub name: &'static str,
    /// The SQL text of the file.
    pub sql: &'static str,
}

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS _orion_migrations (
    name TEXT PRIMARY KEY,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
)";

/// Applies the migrations not applied yet, in the given order; returns how many it applied.
pub(super) fn apply(conn: &mut Connection, migrations: &[Migration]) -> Result<usize> {
    conn.execute_batch(CREATE_TABLE)?;
    let applied = applied(conn)?;
    check(migrations, &applied)?;
    let known: HashSet<&str> = migrations.iter().map(|m| m.name).collect();
    for name in applied.keys().filter(|name| !known.contains(name.as_str())) {
        tracing::warn!(
            migration = %name,
            "migration `{name}` was applied to this database but the app no longer has it"
        );
    }
    let mut count = 0;
    for migration in migrations {
        if !applied.contains_key(migration.name) && apply_one(conn, migration)? {
            count += 1;
        }
    }
    Ok(count)
}

/// The SHA-256 of a migration's text, as lowercase hex.
pub(super) fn checksum(sql: &str) -> String {
    let digest = Sha256::digest(sql.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// The recorded migrations: name → checksum.
fn applied(conn: &Connection) -> Result<HashMap<String, String>> {
    let mut statement = conn.prepare("SELECT name, checksum FROM _orion_migrations")?;
    let rows = statement.query_map((), |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Refuses, before anything runs, a list naming a migration twice or holding an applied
/// migration whose text changed. Reports every problem, one per line.
fn check(migrations: &[Migration], applied: &HashMap<String, String>) -> Result<()> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for migration in migrations {
        if !seen.insert(migration.name) {
            problems
                .push(format!("migration `{}` is listed twice: give each migration its own file name", migration.name));
        }
        if let Some(was) = applied.get(migration.name)
            && let Some(problem) = changed(migration, was)
        {
            problems.push(problem);
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(Error::new(ErrorKind::Migration, problems.join("\n"))) }
}

/// The problem with `migration`, applied with checksum `was`, if its text changed since.
fn changed(migration: &Migration, was: &str) -> Option<String> {
    let now = checksum(migration.sql);
    (now != was).then(|| {
        format!(
            "migration `{}` was changed after it was applied (sha256 was {was}, is now {now}): \
             restore it and add a new migration instead",
            migration.name
        )
    })
}

/// Applies one migration and records it, in one transaction. Returns `false` if another
/// process applied it in the meantime.
fn apply_one(conn: &mut Connection, migration: &Migration) -> Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let recorded: Option<String> = tx
        .query_row("SELECT checksum FROM _orion_migrations WHERE name = ?1", [migration.name], |row| row.get(0))
        .optional()?;
    if let Some(was) = recorded {
        return match changed(migration, &was) {
            Some(problem) => Err(Error::new(ErrorKind::Migration, problem)),
            None => Ok(false),
        };
    }
    tx.execute_batch(migration.sql).map_err(|error| {
        Error::new(ErrorKind::Migration, format!("migration `{}` failed: {}", migration.name, sqlite_message(&error)))
            .with_source(error)
    })?;
    tx.execute(
        "INSERT INTO _orion_migrations (name, checksum, applied_at)
         VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        (migration.name, checksum(migration.sql)),
    )?;
    // A migration may change anything a region shows: a viewer that reconnects with a state
    // from before it gets every region afresh.
    sequence::advance_all(&tx)?;
    tx.commit()?;
    tracing::info!(migration = migration.name, "applied migration");
    Ok(true)
}

/// SQLite's own message, without the statement text rusqlite appends to syntax errors.
fn sqlite_message(error: &rusqlite::Error) -> String {
    match error {
        rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}
