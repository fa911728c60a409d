//! The tenant declarations: `-- orion: tenant <table>.<column>` comments in the migrations.
//!
//! A table is tenant-scoped because a migration says so, never because of a column's name.
//! The declaration is a line comment, so the migration stays plain SQL that the runtime
//! applies unchanged, and every tool that reads the migrations (the checker, the CLI, the
//! runtime's dev oracle) sees the same declarations:
//!
//! ```sql
//! -- orion: tenant notes.workspace_id
//! CREATE TABLE notes (
//!     id INTEGER PRIMARY KEY,
//!     workspace_id TEXT NOT NULL,
//!     body TEXT NOT NULL
//! ) STRICT;
//! ```
//!
//! Any comment that starts with `orion:` is a directive, so a misspelt one is an error rather
//! than a table silently left global. A declaration must name a table of the final schema
//! (not a view or a virtual table) and a column that is `NOT NULL`, of type `TEXT` (TEXT
//! affinity in a table that is not `STRICT`), not generated, and compared with the default
//! `BINARY` collation: the tenant key is compared exactly, byte for byte.

use rusqlite::Connection;

use super::{Migration, SchemaProblem, Table, View, line_column};
use crate::diagnostic::suggest;

/// A table declared tenant-scoped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantTable {
    /// The table, as the schema spells it.
    pub table: String,
    /// Its tenant column, which holds the tenant's key as `TEXT`.
    pub column: String,
    /// The file name of the migration holding the declaration.
    pub migration: String,
}

/// The directive's words, defined once (used in parsing and in every message).
pub(crate) const DIRECTIVE: &str = "orion:";
/// The only directive so far.
pub(crate) const TENANT: &str = "tenant";

/// One directive found in a migration: where, and what it says.
struct Directive<'a> {
    migration: &'a Migration,
    /// The comment's text after `--`, trimmed.
    text: &'a str,
    /// Its byte offset in the migration.
    at: usize,
}

/// Reads and validates every declaration in `migrations` against the built schema. Returns
/// the declarations, or every problem found.
pub(super) fn read(
    conn: &Connection,
    migrations: &[Migration],
    tables: &[Table],
    views: &[View],
) -> Result<Vec<TenantTable>, Vec<SchemaProblem>> {
    let mut found: Vec<TenantTable> = Vec::new();
    let mut problems = Vec::new();
    for directive in migrations.iter().flat_map(directives) {
        let problem = |message: String| {
            let migration = directive.migration;
            SchemaProblem::Tenancy {
                name: migration.name.clone(),
                path: migration.path.clone(),
                line: line_column(&migration.sql, directive.at),
                message,
            }
        };
        match declaration(conn, &directive, tables, views) {
            Ok(declared) => {
                if let Some(earlier) = found.iter().find(|t| t.table.eq_ignore_ascii_case(&declared.table)) {
                    problems.push(problem(format!(
                        "table `{}` is declared tenant-scoped twice (first in `{}`): keep one \
                         `-- {DIRECTIVE} {TENANT} {}.{}`",
                        declared.table, earlier.migration, earlier.table, earlier.column
                    )));
                    continue;
                }
                found.push(declared);
            }
            Err(message) => problems.push(problem(message)),
        }
    }
    if problems.is_empty() { Ok(found) } else { Err(problems) }
}

/// The `-- orion:` comments of one migration.
fn directives(migration: &Migration) -> impl Iterator<Item = Directive<'_>> {
    line_comments(&migration.sql).into_iter().filter_map(move |(at, text)| {
        let text = text.trim();
        let head = text.get(..DIRECTIVE.len())?;
        head.eq_ignore_ascii_case(DIRECTIVE).then_some(Directive { migration, text, at })
    })
}

/// The `--` comments of `sql` (not inside strings, quoted names or block comments): each one's
/// offset and its text after `--`.
fn line_comments(sql: &str) -> Vec<(usize, &str)> {
    let bytes = sql.as_bytes();
    let mut comments = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == quote {
                        // A doubled quote is an escaped one.
                        if bytes.get(i + 1) == Some(&quote) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'[' => {
                while i < bytes.len() && bytes[i] != b']' {
                    i += 1;
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                let start = i;
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                comments.push((start, &sql[start + 2..i]));
            }
            _ => i += 1,
        }
    }
    comments
}

/// The declaration a directive makes, or what is wrong with it.
fn declaration(
    conn: &Connection,
    directive: &Directive<'_>,
    tables: &[Table],
    views: &[View],
) -> Result<TenantTable, String> {
    let written = directive.text;
    let malformed = || {
        format!(
            "malformed directive `-- {written}`: write `-- {DIRECTIVE} {TENANT} <table>.<column>`, e.g. \
             `-- {DIRECTIVE} {TENANT} notes.workspace_id`"
        )
    };
    let rest = written[DIRECTIVE.len()..].trim_start();
    let mut words = rest.split_whitespace();
    let (Some(kind), Some(target), None) = (words.next(), words.next(), words.next()) else {
        return Err(malformed());
    };
    if !kind.eq_ignore_ascii_case(TENANT) {
        return Err(malformed());
    }
    let Some((table_name, column_name)) = target.split_once('.') else { return Err(malformed()) };
    let is_name = |s: &str| {
        s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if !is_name(table_name) || !is_name(column_name) {
        return Err(malformed());
    }
    let Some(table) = tables.iter().find(|t| t.name.eq_ignore_ascii_case(table_name)) else {
        if views.iter().any(|v| v.name.eq_ignore_ascii_case(table_name)) {
            return Err(format!(
                "`-- {written}` names view `{table_name}`: declare the tables it reads instead \
                 (a view over tenant-scoped tables is checked through them)"
            ));
        }
        let names: Vec<String> = tables.iter().map(|t| t.name.clone()).collect();
        let help = suggest(table_name, &names)
            .unwrap_or_else(|| "create the table in this migration, before or after the directive".to_owned());
        return Err(format!("`-- {written}` names no table `{table_name}`: {help}"));
    };
    if table.virtual_table {
        return Err(format!(
            "`-- {written}` names virtual table `{}`: only ordinary tables can be tenant-scoped; keep tenant \
             data in an ordinary table with a tenant column",
            table.name
        ));
    }
    let Some(column) = table.column(column_name) else {
        let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        let help = suggest(column_name, &names)
            .unwrap_or_else(|| format!("add a `{column_name} TEXT NOT NULL` column to `{}`", table.name));
        return Err(format!("`-- {written}`: table `{}` has no column `{column_name}`: {help}", table.name));
    };
    let what = format!("tenant column `{}.{}`", table.name, column.name);
    if column.generated.is_some() {
        return Err(format!(
            "{what} is a generated column: the tenant key must be written by each insert; make it an \
             ordinary `TEXT NOT NULL` column"
        ));
    }
    if !column.not_null {
        return Err(format!("{what} may be NULL: declare it `{} TEXT NOT NULL`", column.name));
    }
    let declared = column.declared_type.to_ascii_uppercase();
    let text = if table.strict {
        declared == "TEXT"
    } else {
        // SQLite's affinity rules: INT first, then CHAR, CLOB or TEXT.
        !declared.contains("INT") && ["CHAR", "CLOB", "TEXT"].iter().any(|w| declared.contains(w))
    };
    if !text {
        let declared = if column.declared_type.is_empty() {
            "declared without a type".to_owned()
        } else {
            format!("declared `{}`", column.declared_type)
        };
        return Err(format!("{what} is {declared}: tenant keys are text, declare it `{} TEXT NOT NULL`", column.name));
    }
    let collation = conn
        .column_metadata(None, table.name.as_str(), column.name.as_str())
        .ok()
        .and_then(|(_, collation, ..)| collation.map(|c| c.to_string_lossy().into_owned()));
    if let Some(collation) = collation
        && !collation.eq_ignore_ascii_case("BINARY")
    {
        return Err(format!(
            "{what} uses collation `{collation}`: tenant keys are compared exactly; remove its `COLLATE {collation}`"
        ));
    }
    let indexed = super::keys::index_collations(conn, &table.name, &column.name).unwrap_or_default();
    if let Some((index, collation)) = indexed.iter().find(|(_, c)| !c.eq_ignore_ascii_case("BINARY")) {
        return Err(format!(
            "index `{index}` compares {what} with collation `{collation}`: tenant keys are compared exactly; \
             remove its `COLLATE {collation}`"
        ));
    }
    Ok(TenantTable {
        table: table.name.clone(),
        column: column.name.clone(),
        migration: directive.migration.name.clone(),
    })
}
