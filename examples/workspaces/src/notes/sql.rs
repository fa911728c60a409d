//! The data of the notes feature: its rows and the SQL that reads and writes them.
//!
//! Every function takes a tenant-bound handle, never a workspace key: reads take
//! `&impl TenantSql` (the workspace's store, or a write transaction), writes take `&TenantTx`.
//! Every statement constrains `notes` with `workspace_id = :tenant`, and orion binds `:tenant`
//! to the request's workspace — under db-per-tenant too, where the file is the workspace's
//! own and the predicate is redundant. A note id from another workspace matches nothing.

use orion::Result;
use orion::store::{FromRow, Row, named_params, rusqlite};
use orion::tenant::{TenantSql, TenantTx};

/// The bus topic every note write publishes (on its workspace's bus only).
pub const TOPIC: &str = "notes";

/// One note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The row id, also used in URLs (`w/acme/notes/7/toggle`).
    pub id: i64,
    /// 1–200 characters, trimmed.
    pub body: String,
    /// Whether it is done.
    pub done: bool,
}

impl FromRow for Note {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Note> {
        Ok(Note { id: row.get(0)?, body: row.get(1)?, done: row.get(2)? })
    }
}

/// Every note of the workspace, oldest first.
pub fn all(db: &impl TenantSql) -> Result<Vec<Note>> {
    db.query("SELECT id, body, done FROM notes WHERE workspace_id = :tenant ORDER BY id", &[])
}

/// Adds a note to the workspace; returns its id.
pub fn insert(tx: &TenantTx<'_>, body: &str) -> Result<i64> {
    tx.execute("INSERT INTO notes (workspace_id, body) VALUES (:tenant, :body)", named_params! { ":body": body })?;
    Ok(tx.last_insert_rowid())
}

/// Flips a note of the workspace between done and not done; `false` when the workspace has no
/// such note.
pub fn toggle(tx: &TenantTx<'_>, id: i64) -> Result<bool> {
    let sql = "UPDATE notes SET done = 1 - done WHERE id = :id AND workspace_id = :tenant";
    Ok(tx.execute(sql, named_params! { ":id": id })? == 1)
}

/// Deletes a note of the workspace; `false` when the workspace has no such note.
pub fn delete(tx: &TenantTx<'_>, id: i64) -> Result<bool> {
    Ok(tx.execute("DELETE FROM notes WHERE id = :id AND workspace_id = :tenant", named_params! { ":id": id })? == 1)
}
