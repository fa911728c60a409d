//! The data of the todos feature: its rows and the SQL that reads and writes them.
//!
//! Reads take `&impl Sql`, so they work on the store (the render path) and inside a write
//! transaction alike. Writes take the transaction, `&Tx`, so they can only run inside one —
//! where their publish is held until the commit.

use orion::Result;
use orion::store::{FromRow, Row, Sql, Tx, rusqlite};

/// The bus topic every todo write publishes; the regions of this feature subscribe to it.
pub const TOPIC: &str = "todos";

// ANCHOR: reads
/// One todo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo {
    /// The row id, also used in URLs (`todos/7/toggle`).
    pub id: i64,
    /// 1–200 characters, trimmed.
    pub title: String,
    /// Whether it is done.
    pub done: bool,
}

impl FromRow for Todo {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Todo> {
        Ok(Todo { id: row.get(0)?, title: row.get(1)?, done: row.get(2)? })
    }
}

/// Every todo, oldest first.
pub fn all(db: &impl Sql) -> Result<Vec<Todo>> {
    db.query("SELECT id, title, done FROM todos ORDER BY id", ())
}
// ANCHOR_END: reads

/// One todo and when it was added (UTC, `YYYY-MM-DD HH:MM`), if it exists.
pub fn details(db: &impl Sql, id: i64) -> Result<Option<(Todo, String)>> {
    let row: Option<(i64, String, bool, String)> =
        db.query_one("SELECT id, title, done, strftime('%Y-%m-%d %H:%M', created_at) FROM todos WHERE id = ?1", [id])?;
    Ok(row.map(|(id, title, done, added)| (Todo { id, title, done }, added)))
}

/// How many todos are left to do, and how many are done.
pub fn counts(db: &impl Sql) -> Result<(i64, i64)> {
    let row =
        db.query_one("SELECT count(*) FILTER (WHERE done = 0), count(*) FILTER (WHERE done = 1) FROM todos", ())?;
    Ok(row.unwrap_or((0, 0)))
}

// ANCHOR: insert
/// Adds a todo; returns its id.
pub fn insert(tx: &Tx<'_>, title: &str) -> Result<i64> {
    tx.execute("INSERT INTO todos (title) VALUES (?1)", [title])?;
    Ok(tx.last_insert_rowid())
}
// ANCHOR_END: insert

/// Flips a todo between done and not done; `false` when it does not exist.
pub fn toggle(tx: &Tx<'_>, id: i64) -> Result<bool> {
    Ok(tx.execute("UPDATE todos SET done = 1 - done WHERE id = ?1", [id])? == 1)
}

/// Renames a todo; `false` when it does not exist.
pub fn rename(tx: &Tx<'_>, id: i64, title: &str) -> Result<bool> {
    Ok(tx.execute("UPDATE todos SET title = ?2 WHERE id = ?1", (id, title))? == 1)
}

/// Deletes a todo; `false` when it did not exist.
pub fn delete(tx: &Tx<'_>, id: i64) -> Result<bool> {
    Ok(tx.execute("DELETE FROM todos WHERE id = ?1", [id])? == 1)
}

/// Deletes every done todo; returns how many.
pub fn clear_completed(tx: &Tx<'_>) -> Result<usize> {
    tx.execute("DELETE FROM todos WHERE done = 1", ())
}
