//! Turning a result row into a Rust value: the [`FromRow`] trait.
//!
//! Tuples of up to eight [`FromSql`] values are rows out of the box (`(i64,)`,
//! `(i64, String, bool)`); an app implements [`FromRow`] for its own structs. A tuple must
//! have exactly as many fields as the query has columns: a column the tuple would silently
//! drop is more often a bug than an intention.

use rusqlite::Row;
use rusqlite::types::{FromSql, FromSqlError};

/// A value built from one result row.
///
/// ```
/// use orion::store::{FromRow, Row};
///
/// struct Todo {
///     id: i64,
///     title: String,
///     done: bool,
/// }
///
/// impl FromRow for Todo {
///     fn from_row(row: &Row<'_>) -> orion::store::rusqlite::Result<Todo> {
///         Ok(Todo { id: row.get("id")?, title: row.get("title")?, done: row.get("done")? })
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a result row",
    label = "not a row type",
    note = "read a tuple such as `(i64, String)` (one field per column; a single column is `(i64,)`), \
            or implement `orion::store::FromRow` for `{Self}`"
)]
pub trait FromRow: Sized {
    /// Reads the row's columns into a value.
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self>;
}

/// Fails unless the row has `expected` columns.
fn expect_columns(row: &Row<'_>, expected: usize) -> rusqlite::Result<()> {
    let columns = row.as_ref().column_count();
    if columns == expected {
        return Ok(());
    }
    Err(FromSqlError::Other(
        format!(
            "the query returns {columns} columns but the row tuple has {expected} fields: \
             select one column per field"
        )
        .into(),
    )
    .into())
}

macro_rules! tuple_from_row {
    ($count:literal: $($field:ident $index:tt),+) => {
        impl<$($field: FromSql),+> FromRow for ($($field,)+) {
            fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
                expect_columns(row, $count)?;
                Ok(($(row.get::<_, $field>($index)?,)+))
            }
        }
    };
}

tuple_from_row!(1: A 0);
tuple_from_row!(2: A 0, B 1);
tuple_from_row!(3: A 0, B 1, C 2);
tuple_from_row!(4: A 0, B 1, C 2, D 3);
tuple_from_row!(5: A 0, B 1, C 2, D 3, E 4);
tuple_from_row!(6: A 0, B 1, C 2, D 3, E 4, F 5);
tuple_from_row!(7: A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_from_row!(8: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
