//! The data of the notes feature: its rows and the SQL that reads and writes them.
//!
//! `notes` is declared tenant-scoped in its migration (`-- orion: tenant notes.workspace_id`),
//! so every query on it is a `#[tenant_scoped]` named query: `orion::queries!` proves, while
//! compiling, that it is constrained to `:tenant` (a query that forgets `workspace_id = :tenant`
//! does not compile), and the function it writes takes a tenant-bound handle, never a workspace
//! key — reads `&impl TenantSql` (the workspace's store, or a write transaction), writes
//! `&TenantTx`. orion binds `:tenant` to the request's workspace, under db-per-tenant too, where
//! the file is the workspace's own and the predicate is redundant. A note id from another
//! workspace matches nothing.

/// The bus topic every note write publishes (on its workspace's bus only).
pub const TOPIC: &str = "notes";

// ANCHOR: queries
/// One note. The queries below fill it by field name: a column it lacks, or of another type,
/// does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The row id, also used in URLs (`w/acme/notes/7/toggle`).
    pub id: i64,
    /// 1–200 characters, trimmed.
    pub body: String,
    /// Whether it is done (`done INTEGER … CHECK (done IN (0, 1))` reads as a `bool`).
    pub done: bool,
}

orion::queries! {
    // Every item of this block is tenant-scoped: it takes the workspace's handle, and it is
    // proven to reach the workspace's rows only.
    #![tenant_scoped]

    /// The table's helpers, each constrained to the workspace by orion itself:
    /// `notes::all(db)` (oldest first), `notes::get(db, id)`, `notes::insert(tx, body)` (returns
    /// the id), `notes::update(tx, id, body, done)` and `notes::delete(tx, id)` (each returns how
    /// many rows it changed: 0 when the workspace has no such note).
    pub table notes -> Note;

    /// Flips a note of the workspace between done and not done; returns how many rows changed
    /// (0 when the workspace has no such note). Written by hand, so it says `workspace_id =
    /// :tenant` itself — and would not compile without it.
    pub fn toggle(id) -> count = "UPDATE notes SET done = 1 - done WHERE id = :id AND workspace_id = :tenant";
}
// ANCHOR_END: queries
