//! Opening a SQLite connection with the settings every store connection shares.
//!
//! Both kinds of connection get the same per-connection settings: a busy timeout,
//! `foreign_keys=ON`, the chosen `synchronous`, and double-quoted string literals turned off
//! (so `SELECT "no_such_column"` is an error instead of silently being the string
//! `'no_such_column'`). The writer also switches the file to WAL, which is a property of the
//! file and lets readers read while the writer writes.

use std::path::Path;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use super::StoreOptions;
use crate::{Error, ErrorKind, Result};

/// Opens the writer connection: read-write, creating the file if missing, in WAL mode.
pub(super) fn open_writer(path: &Path, options: &StoreOptions) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = open(path, flags, options)?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(|e| cannot_open(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::new(
            ErrorKind::Sql,
            format!(
                "could not switch `{}` to WAL (journal_mode is `{mode}`): \
                 the store needs a database file on a local disk",
                path.display()
            ),
        ));
    }
    Ok(conn)
}

/// Opens a reader connection: `SQLITE_OPEN_READ_ONLY`, so a read can never write.
pub(super) fn open_reader(path: &Path, options: &StoreOptions) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    open(path, flags, options)
}

fn open(path: &Path, flags: OpenFlags, options: &StoreOptions) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags).map_err(|e| cannot_open(path, e))?;
    configure(&conn, options).map_err(|e| cannot_open(path, e))?;
    Ok(conn)
}

fn configure(conn: &Connection, options: &StoreOptions) -> rusqlite::Result<()> {
    conn.busy_timeout(options.busy_timeout)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DQS_DML, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DQS_DDL, false)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", options.synchronous.pragma())?;
    Ok(())
}

fn cannot_open(path: &Path, error: rusqlite::Error) -> Error {
    Error::new(
        ErrorKind::Sql,
        format!(
            "could not open the database `{}`: {error}: check that its folder exists and is writable",
            path.display()
        ),
    )
    .with_source(error)
}
