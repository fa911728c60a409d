//! The schema: the app's migrations applied to an in-memory SQLite, and the facts about its
//! tables, views and triggers that checking, typing and the tenancy proof need.
//!
//! The connection is set up like the runtime's (`orion/src/store/connection.rs`): foreign
//! keys on, double-quoted string literals off. Each migration runs in its own transaction, as
//! at boot, so a migration that works here works there.
//!
//! # The cache
//!
//! A proc-macro checks every named query of a crate in one compiler process, and each check
//! needs the schema. [`Schema::load`] and [`Schema::from_migrations`] keep the schemas they
//! built in a process-wide cache keyed by a hash of the migrations' names and contents (and
//! compared in full on a hit, so a hash collision cannot return the wrong schema): the
//! migrations are applied once per compiler process, however many queries there are, and an
//! edited migration is a new key. The cache keeps the [`CACHE_SIZE`] most recently used
//! schemas, so a long-lived process (rust-analyzer's proc-macro server) does not grow
//! without bound as migrations are edited.

mod cache;
mod facts;
mod keys;
mod tenants;

#[cfg(test)]
mod tests;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;
use rusqlite::config::DbConfig;

pub use cache::CACHE_SIZE;
pub use facts::{Column, Generated, Table, Trigger, TriggerEvent, View};
pub use keys::{ForeignKey, UniqueKey};
pub use tenants::TenantTable;

use crate::migrations::{self, discover};

/// One migration's text, as the runtime applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The file name, e.g. `20261121120000_create_todos.sql`.
    pub name: String,
    /// The file's absolute path, when it came from a file (generated code `include_bytes!`s
    /// it so that editing it rebuilds the crate).
    pub path: Option<PathBuf>,
    /// The SQL text.
    pub sql: String,
}

/// The schema the migrations build, and a connection to check queries against.
///
/// Cheap to share: [`Schema::load`] returns an `Arc`, and checks lock the connection only
/// while they prepare a statement.
pub struct Schema {
    migrations: Vec<Migration>,
    hash: u64,
    tables: Vec<Table>,
    views: Vec<View>,
    triggers: Vec<Trigger>,
    functions: Vec<String>,
    tenants: Vec<TenantTable>,
    conn: Mutex<Connection>,
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Schema")
            .field("migrations", &self.migrations.iter().map(|m| &m.name).collect::<Vec<_>>())
            .field("tables", &self.tables)
            .field("views", &self.views)
            .field("triggers", &self.triggers)
            .field("tenants", &self.tenants)
            .finish_non_exhaustive()
    }
}

impl Schema {
    /// The schema of the migrations under `src_dir` (found by [`discover`], read, and applied
    /// in order), from the process-wide cache when the same migrations were applied before.
    ///
    /// `src_dir` should be absolute (see [`crate_root`](crate::crate_root)): the migrations'
    /// paths are made absolute against the current directory otherwise.
    pub fn load(src_dir: &Path) -> Result<Arc<Schema>, SchemaError> {
        let files = discover(src_dir).map_err(|error| SchemaError {
            problems: error.into_problems().into_iter().map(SchemaProblem::Layout).collect(),
        })?;
        let mut migrations = Vec::with_capacity(files.len());
        let mut problems = Vec::new();
        for file in files {
            let path = std::path::absolute(&file.path).unwrap_or(file.path);
            match std::fs::read_to_string(&path) {
                Ok(sql) => migrations.push(Migration { name: file.name, path: Some(path), sql }),
                Err(error) => problems.push(SchemaProblem::Unreadable { path, error }),
            }
        }
        if !problems.is_empty() {
            return Err(SchemaError { problems });
        }
        Schema::from_migrations(migrations)
    }

    /// The schema of these migrations, applied in the order given, from the process-wide
    /// cache when the same migrations were applied before.
    pub fn from_migrations(migrations: Vec<Migration>) -> Result<Arc<Schema>, SchemaError> {
        cache::get_or_build(migrations)
    }

    /// Applies the migrations to a fresh in-memory database (no cache).
    fn build(migrations: Vec<Migration>, hash: u64) -> Result<Schema, SchemaError> {
        let conn = open().map_err(|error| SchemaError { problems: vec![SchemaProblem::Sqlite(error.to_string())] })?;
        for migration in &migrations {
            apply(&conn, migration).map_err(|problem| SchemaError { problems: vec![problem] })?;
        }
        let facts = facts::read(&conn).map_err(|error| SchemaError {
            problems: vec![SchemaProblem::Sqlite(format!("could not read the schema back: {error}"))],
        })?;
        let tenants = tenants::read(&conn, &migrations, &facts.tables, &facts.views)
            .map_err(|problems| SchemaError { problems })?;
        Ok(Schema {
            migrations,
            hash,
            tables: facts.tables,
            views: facts.views,
            triggers: facts.triggers,
            functions: facts.functions,
            tenants,
            conn: Mutex::new(conn),
        })
    }

    /// The migrations, in the order applied.
    pub fn migrations(&self) -> &[Migration] {
        &self.migrations
    }

    /// The absolute paths of the migration files, in order: what generated code
    /// `include_bytes!`s so that editing a migration rebuilds the crate.
    pub fn migration_paths(&self) -> Vec<&Path> {
        self.migrations.iter().filter_map(|m| m.path.as_deref()).collect()
    }

    /// The hash of the migrations' names and contents: the cache key.
    pub fn content_hash(&self) -> u64 {
        self.hash
    }

    /// The tables (not views), in the order created.
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// The table named `name` (case-insensitive).
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name.eq_ignore_ascii_case(name))
    }

    /// The views.
    pub fn views(&self) -> &[View] {
        &self.views
    }

    /// The view named `name` (case-insensitive).
    pub fn view(&self, name: &str) -> Option<&View> {
        self.views.iter().find(|v| v.name.eq_ignore_ascii_case(name))
    }

    /// The triggers.
    pub fn triggers(&self) -> &[Trigger] {
        &self.triggers
    }

    /// The tables the migrations declare tenant-scoped (`-- orion: tenant <table>.<column>`),
    /// in the order declared.
    pub fn tenant_tables(&self) -> &[TenantTable] {
        &self.tenants
    }

    /// The tenant column of `table` (case-insensitive), when a migration declares it
    /// tenant-scoped; `None` for a global table (or no table at all).
    pub fn tenant_column(&self, table: &str) -> Option<&str> {
        self.tenants.iter().find(|t| t.table.eq_ignore_ascii_case(table)).map(|t| t.column.as_str())
    }

    /// The names of the SQL functions SQLite knows here (`pragma_function_list`).
    pub fn functions(&self) -> &[String] {
        &self.functions
    }

    /// The connection, for preparing statements against the schema. Never write through it.
    pub(crate) fn connection(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held cannot leave the connection half-changed: checks
        // only prepare statements.
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A fresh database with the same schema and the runtime's settings, for running
    /// queries on sample rows in tests.
    #[cfg(test)]
    pub(crate) fn fresh_connection(&self) -> Connection {
        let conn = open().unwrap();
        for migration in &self.migrations {
            apply(&conn, migration).unwrap();
        }
        conn
    }
}

/// A schema from migration texts, for tests: named `20260101000000_m0.sql`, ….
#[cfg(test)]
pub(crate) fn test_schema(migrations: &[&str]) -> Arc<Schema> {
    let migrations = migrations
        .iter()
        .enumerate()
        .map(|(i, sql)| Migration { name: format!("2026010100000{i}_m{i}.sql"), path: None, sql: (*sql).to_owned() })
        .collect();
    Schema::from_migrations(migrations).unwrap_or_else(|e| panic!("{e}"))
}

/// An in-memory database with the runtime's per-connection settings.
fn open() -> rusqlite::Result<Connection> {
    let conn = Connection::open_in_memory()?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DQS_DML, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DQS_DDL, false)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Applies one migration in its own transaction, as the runtime does.
fn apply(conn: &Connection, migration: &Migration) -> Result<(), SchemaProblem> {
    let failed = |error: rusqlite::Error| {
        let (message, offset) = match &error {
            // The text SQLite saw is the rest of the migration from the failing statement on.
            rusqlite::Error::SqlInputError { msg, sql, offset, .. } => {
                let at = migration.sql.len().saturating_sub(sql.len()) + usize::try_from(*offset).unwrap_or(0);
                (msg.clone(), Some(at))
            }
            rusqlite::Error::SqliteFailure(_, Some(msg)) => (msg.clone(), None),
            other => (other.to_string(), None),
        };
        let line = offset.map(|at| line_column(&migration.sql, at));
        SchemaProblem::Failed { name: migration.name.clone(), path: migration.path.clone(), line, message }
    };
    conn.execute_batch("BEGIN IMMEDIATE").map_err(failed)?;
    match conn.execute_batch(&migration.sql) {
        Ok(()) => conn.execute_batch("COMMIT").map_err(failed),
        Err(error) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(failed(error))
        }
    }
}

/// The 1-based line and column of byte `at` in `text`.
pub(crate) fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Everything that kept the schema from being built, one problem per line when displayed.
#[derive(Debug)]
pub struct SchemaError {
    problems: Vec<SchemaProblem>,
}

impl SchemaError {
    /// Every problem.
    pub fn problems(&self) -> &[SchemaProblem] {
        &self.problems
    }
}

/// One thing that kept the schema from being built.
#[derive(Debug)]
#[non_exhaustive]
pub enum SchemaProblem {
    /// The migration folders break the layout rule (see [`discover`]).
    Layout(migrations::Problem),
    /// A migration file could not be read.
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        error: io::Error,
    },
    /// A migration failed; the ones after it were not applied.
    Failed {
        /// Its file name.
        name: String,
        /// Its path, when it came from a file.
        path: Option<PathBuf>,
        /// The 1-based line and column SQLite pointed at, when it did.
        line: Option<(usize, usize)>,
        /// SQLite's message.
        message: String,
    },
    /// SQLite itself failed (opening the in-memory database).
    Sqlite(String),
    /// A tenant declaration (`-- orion: tenant <table>.<column>`) is malformed, or names a
    /// table or column that cannot be tenant-scoped.
    Tenancy {
        /// The migration's file name.
        name: String,
        /// Its path, when it came from a file.
        path: Option<PathBuf>,
        /// The 1-based line and column of the directive.
        line: (usize, usize),
        /// What is wrong and what to do.
        message: String,
    },
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        migrations::write_lines(f, &self.problems)
    }
}

impl std::error::Error for SchemaError {}

impl fmt::Display for SchemaProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaProblem::Layout(problem) => write!(f, "{problem}"),
            SchemaProblem::Unreadable { path, error } => {
                write!(f, "cannot read migration `{}`: {error}: check that the file is readable UTF-8", path.display())
            }
            SchemaProblem::Failed { name, path, line, message } => {
                let file = path.as_ref().map_or_else(|| name.clone(), |p| p.display().to_string());
                let at = line.map_or_else(String::new, |(line, column)| format!(":{line}:{column}"));
                write!(
                    f,
                    "migration `{file}{at}` fails: {message}: fix the migration (orion applies it the same \
                     way at boot, each migration in its own transaction)"
                )
            }
            SchemaProblem::Sqlite(message) => write!(f, "sqlite failed: {message}"),
            SchemaProblem::Tenancy { name, path, line: (line, column), message } => {
                let file = path.as_ref().map_or_else(|| name.clone(), |p| p.display().to_string());
                write!(f, "migration `{file}:{line}:{column}`: {message}")
            }
        }
    }
}
