//! The read half every store handle shares: the [`Sql`] trait, and running a query on a
//! connection.
//!
//! A feature's read functions take `&impl Sql`, so the same function reads from the
//! [`Store`](super::Store) (a reader connection), from a [`Db`](super::Db) snapshot, or from
//! inside a write transaction ([`Tx`](super::Tx)), where it sees the transaction's own
//! uncommitted rows.

use rusqlite::{Connection, Params};

use super::FromRow;
use crate::Result;

/// Something that runs read queries: [`Store`](super::Store), [`Db`](super::Db) and
/// [`Tx`](super::Tx).
///
/// ```
/// use orion::store::{Sql, params};
///
/// fn open_todos(db: &impl Sql, list: i64) -> orion::Result<Vec<(i64, String)>> {
///     db.query("SELECT id, title FROM todos WHERE list = ?1 AND NOT done", params![list])
/// }
/// ```
pub trait Sql {
    /// Every row of `sql`.
    #[track_caller]
    fn query<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>>;

    /// The first row of `sql`, or `None` when it returns no rows.
    #[track_caller]
    fn query_one<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>>;
}

/// Runs `sql` on `conn` and reads every row.
pub(super) fn query<T: FromRow>(conn: &Connection, sql: &str, params: impl Params) -> Result<Vec<T>> {
    let mut statement = conn.prepare(sql)?;
    let rows = statement.query_map(params, |row| T::from_row(row))?;
    Ok(rows.collect::<rusqlite::Result<Vec<T>>>()?)
}

/// Runs `sql` on `conn` and reads its first row, if any.
pub(super) fn query_one<T: FromRow>(conn: &Connection, sql: &str, params: impl Params) -> Result<Option<T>> {
    let mut statement = conn.prepare(sql)?;
    let mut rows = statement.query(params)?;
    match rows.next()? {
        Some(row) => Ok(Some(T::from_row(row)?)),
        None => Ok(None),
    }
}
