//! The data of the todos feature: its rows and the SQL that reads and writes them.
//!
//! Every query is a *named query*: `orion::queries!` checks it against the migrations while
//! compiling (a misspelt column does not compile), and writes it out as a typed function. Its
//! `:parameters` become the function's arguments, typed from the columns they meet. Reads take
//! `&impl Sql`, so they work on the store (the render path) and inside a write transaction
//! alike. Writes take the transaction, `&Tx`, so they can only run inside one — where their
//! publish is held until the commit.

/// The bus topic every todo write publishes; the regions of this feature subscribe to it.
pub const TOPIC: &str = "todos";

// ANCHOR: reads
/// One todo. The queries below fill it by field name: a column it lacks, or of another type,
/// does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo {
    /// The row id, also used in URLs (`todos/7/toggle`).
    pub id: i64,
    /// 1–200 characters, trimmed.
    pub title: String,
    /// Whether it is done (`done INTEGER … CHECK (done IN (0, 1))` reads as a `bool`).
    pub done: bool,
}

// The reads: each takes `db: &impl Sql` first.
orion::queries! {
    /// Every todo, oldest first.
    pub fn all() -> many Todo = "SELECT id, title, done FROM todos ORDER BY id";

    /// One todo and when it was added (UTC, `YYYY-MM-DD HH:MM`), if it exists. `struct Details`
    /// asks the macro to write the row struct: one field per column. `strftime` is NULL for an
    /// invalid date, so the column would be an `Option`; `"added!"` says it is never NULL here
    /// (`created_at` always holds the default).
    pub fn details(id) -> optional struct Details = "
        SELECT id, title, done, strftime('%Y-%m-%d %H:%M', created_at) AS \"added!\"
        FROM todos WHERE id = :id";

    /// How many todos are left to do, and how many are done (a tuple: no names needed).
    pub fn counts() -> one (i64, i64) =
        "SELECT count(*) FILTER (WHERE done = 0), count(*) FILTER (WHERE done = 1) FROM todos";
}
// ANCHOR_END: reads

// ANCHOR: insert
// The writes: each takes `tx: &Tx` first.
orion::queries! {
    /// Adds a todo; returns its id. A write that returns rows (`RETURNING`) reads them like a
    /// `SELECT`.
    pub fn insert(title) -> one i64 = "INSERT INTO todos (title) VALUES (:title) RETURNING id";

    /// Flips a todo between done and not done; returns how many rows changed (0 when it does
    /// not exist).
    pub fn toggle(id) -> count = "UPDATE todos SET done = 1 - done WHERE id = :id";

    /// Renames a todo; returns how many rows changed. The arguments come in the order listed,
    /// whatever their order in the SQL.
    pub fn rename(id, title) -> count = "UPDATE todos SET title = :title WHERE id = :id";

    /// Deletes a todo; returns how many rows it deleted.
    pub fn delete(id) -> count = "DELETE FROM todos WHERE id = :id";

    /// Deletes every done todo; returns how many.
    pub fn clear_completed() -> count = "DELETE FROM todos WHERE done = 1";
}
// ANCHOR_END: insert
