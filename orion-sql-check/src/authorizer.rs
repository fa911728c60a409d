//! What SQLite itself says a statement touches: [`accesses`] prepares it with an authorizer
//! and returns every access SQLite asks about, including those of the triggers it fires and
//! the views it reads (then [`Access::accessor`] names the trigger or view).
//!
//! The tenancy proof cross-checks its own walk against this list and fails closed when
//! SQLite reports a table the walk did not account for.

#[cfg(test)]
mod tests;

use std::sync::{Arc, Mutex};

use rusqlite::hooks::{AuthAction, AuthContext, Authorization};

use crate::diagnostic::{self, Diagnostic};
use crate::schema::Schema;

/// One access SQLite reports while preparing a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// What is done.
    pub action: AccessAction,
    /// The table (or view) it is done to, when there is one.
    pub table: Option<String>,
    /// The column, for [`AccessAction::Read`] and [`AccessAction::Update`].
    pub column: Option<String>,
    /// The function for [`AccessAction::Function`], the pragma for
    /// [`AccessAction::Pragma`], the file for [`AccessAction::Attach`], the index or
    /// trigger or view for [`AccessAction::Schema`], and so on.
    pub detail: Option<String>,
    /// The innermost trigger or view responsible, `None` for the statement's own SQL.
    pub accessor: Option<String>,
}

/// The kinds of access, as SQLite's authorizer names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AccessAction {
    /// Reads a column (`SQLITE_READ`). With an empty column, SQLite reads the table without
    /// a column (e.g. `count(*)`).
    Read,
    /// Inserts into a table.
    Insert,
    /// Updates a column.
    Update,
    /// Deletes from a table.
    Delete,
    /// A `SELECT` (no table).
    Select,
    /// Calls a function.
    Function,
    /// A recursive common table expression.
    Recursive,
    /// A `PRAGMA`.
    Pragma,
    /// `BEGIN`, `COMMIT`, `ROLLBACK`.
    Transaction,
    /// `SAVEPOINT`, `RELEASE`.
    Savepoint,
    /// `ATTACH`.
    Attach,
    /// `DETACH`.
    Detach,
    /// Creating, dropping or altering a table, index, view or trigger.
    Schema,
    /// `ANALYZE`.
    Analyze,
    /// `REINDEX`.
    Reindex,
    /// Something this SQLite version reports that rusqlite does not name.
    Other,
}

/// Prepares `sql` against the schema with an authorizer and returns every access SQLite
/// reports, in order. The statement is never run.
pub fn accesses(schema: &Schema, sql: &str) -> Result<Vec<Access>, Diagnostic> {
    let seen: Arc<Mutex<Vec<Access>>> = Arc::default();
    let sink = Arc::clone(&seen);
    let mut conn = schema.connection();
    let hook = move |context: AuthContext<'_>| {
        let access = access(&context);
        sink.lock().unwrap_or_else(|p| p.into_inner()).push(access);
        Authorization::Allow
    };
    let prepared = conn.authorizer(Some(hook)).and_then(|()| conn.prepare(sql).map(drop));
    // Removing the hook cannot fail in a way that matters: the next `accesses` replaces it.
    let _ = conn.authorizer(None::<fn(AuthContext<'_>) -> Authorization>);
    drop(conn);
    prepared.map_err(|error| diagnostic::from_sqlite(sql, &error, &|_| Vec::new()))?;
    let accesses = std::mem::take(&mut *seen.lock().unwrap_or_else(|p| p.into_inner()));
    Ok(accesses)
}

fn access(context: &AuthContext<'_>) -> Access {
    let own = |s: &str| Some(s.to_owned());
    let (action, table, column, detail) = match context.action {
        AuthAction::Read { table_name, column_name } => (AccessAction::Read, own(table_name), own(column_name), None),
        AuthAction::Insert { table_name } => (AccessAction::Insert, own(table_name), None, None),
        AuthAction::Update { table_name, column_name } => {
            (AccessAction::Update, own(table_name), own(column_name), None)
        }
        AuthAction::Delete { table_name } => (AccessAction::Delete, own(table_name), None, None),
        AuthAction::Select => (AccessAction::Select, None, None, None),
        AuthAction::Function { function_name } => (AccessAction::Function, None, None, own(function_name)),
        AuthAction::Recursive => (AccessAction::Recursive, None, None, None),
        AuthAction::Pragma { pragma_name, pragma_value } => {
            let detail = match pragma_value {
                Some(value) => format!("{pragma_name}={value}"),
                None => pragma_name.to_owned(),
            };
            (AccessAction::Pragma, None, None, Some(detail))
        }
        AuthAction::Transaction { operation } => {
            (AccessAction::Transaction, None, None, Some(format!("{operation:?}")))
        }
        AuthAction::Savepoint { operation, savepoint_name } => {
            (AccessAction::Savepoint, None, None, Some(format!("{operation:?} {savepoint_name}")))
        }
        AuthAction::Attach { filename } => (AccessAction::Attach, None, None, own(filename)),
        AuthAction::Detach { database_name } => (AccessAction::Detach, None, None, own(database_name)),
        AuthAction::Analyze { table_name } => (AccessAction::Analyze, own(table_name), None, None),
        AuthAction::Reindex { index_name } => (AccessAction::Reindex, None, None, own(index_name)),
        AuthAction::CreateTable { table_name }
        | AuthAction::CreateTempTable { table_name }
        | AuthAction::DropTable { table_name }
        | AuthAction::DropTempTable { table_name }
        | AuthAction::AlterTable { table_name, .. }
        | AuthAction::CreateVtable { table_name, .. }
        | AuthAction::DropVtable { table_name, .. } => (AccessAction::Schema, own(table_name), None, None),
        AuthAction::CreateIndex { index_name, table_name }
        | AuthAction::CreateTempIndex { index_name, table_name }
        | AuthAction::DropIndex { index_name, table_name }
        | AuthAction::DropTempIndex { index_name, table_name } => {
            (AccessAction::Schema, own(table_name), None, own(index_name))
        }
        AuthAction::CreateTrigger { trigger_name, table_name }
        | AuthAction::CreateTempTrigger { trigger_name, table_name }
        | AuthAction::DropTrigger { trigger_name, table_name }
        | AuthAction::DropTempTrigger { trigger_name, table_name } => {
            (AccessAction::Schema, own(table_name), None, own(trigger_name))
        }
        AuthAction::CreateView { view_name }
        | AuthAction::CreateTempView { view_name }
        | AuthAction::DropView { view_name }
        | AuthAction::DropTempView { view_name } => (AccessAction::Schema, None, None, own(view_name)),
        _ => (AccessAction::Other, None, None, None),
    };
    Access { action, table, column, detail, accessor: context.accessor.map(str::to_owned) }
}
