//! Reading the facts back from the built database: `pragma_table_list`, `pragma_table_xinfo`
//! and `sqlite_schema`, plus the `CHECK (col IN (0, 1))` constraints that make a boolean.

use rusqlite::Connection;

use super::keys::{self, ForeignKey, UniqueKey};
use crate::sql::{self, ExprKind, Literal};
use crate::types::SqlType;

/// A table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Its name.
    pub name: String,
    /// Its columns, in order (generated columns included).
    pub columns: Vec<Column>,
    /// `STRICT`: SQLite enforces the declared types. Recommended for every table; without it a
    /// `TEXT` column can hold an integer and reading it as `String` fails at run time.
    pub strict: bool,
    /// `WITHOUT ROWID`.
    pub without_rowid: bool,
    /// A virtual table (`CREATE VIRTUAL TABLE`).
    pub virtual_table: bool,
    /// The `CREATE TABLE` statement, as SQLite keeps it.
    pub sql: String,
    /// Its foreign keys (this table is the child).
    pub foreign_keys: Vec<ForeignKey>,
    /// Its unique keys other than the rowid (the indexes that enforce uniqueness).
    pub unique_keys: Vec<UniqueKey>,
}

impl Table {
    /// The column named `name` (case-insensitive).
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// The column `rowid` (and `oid`, `_rowid_`) stands for: the `INTEGER PRIMARY KEY`.
    pub fn rowid_alias(&self) -> Option<&Column> {
        self.columns.iter().find(|c| c.rowid_alias)
    }
}

/// A column of a table or view.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Its name.
    pub name: String,
    /// The declared type as written (`""` when none).
    pub declared_type: String,
    /// The Rust-facing type: from the declared type, or [`SqlType::Bool`] for a
    /// `CHECK (col IN (0, 1))`. `None` when the declared type says nothing.
    pub ty: Option<SqlType>,
    /// It can never hold NULL: declared `NOT NULL`, or the `INTEGER PRIMARY KEY`, or part of
    /// the primary key of a `WITHOUT ROWID` table. (A plain `PRIMARY KEY` of a rowid table
    /// may hold NULL in SQLite.)
    pub not_null: bool,
    /// Part of the primary key.
    pub primary_key: bool,
    /// The `INTEGER PRIMARY KEY` of a rowid table: another name for the rowid, never NULL,
    /// chosen by SQLite when an insert leaves it out.
    pub rowid_alias: bool,
    /// The `DEFAULT` expression, as written.
    pub default: Option<String>,
    /// `GENERATED ALWAYS AS (…)`: it cannot be written.
    pub generated: Option<Generated>,
}

/// How a generated column is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// `VIRTUAL`: computed when read.
    Virtual,
    /// `STORED`: computed when written.
    Stored,
}

/// A view.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// Its name.
    pub name: String,
    /// Its column names, in order.
    pub columns: Vec<String>,
    /// The `CREATE VIEW` statement, as SQLite keeps it.
    pub sql: String,
    /// The view's query (the text after `AS`), for [`sql::parse`].
    pub query: String,
}

/// A trigger.
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    /// Its name.
    pub name: String,
    /// The table (or view) it is on.
    pub table: String,
    /// What fires it.
    pub event: TriggerEvent,
    /// The `CREATE TRIGGER` statement, as SQLite keeps it.
    pub sql: String,
    /// The statements of its body (between `BEGIN` and `END`), each for [`sql::parse`]; they
    /// may use `NEW.` and `OLD.`.
    pub body: Vec<String>,
}

/// The statement that fires a trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TriggerEvent {
    /// `INSERT`.
    Insert,
    /// `UPDATE`, or `UPDATE OF columns` (the columns, empty for any).
    Update(Vec<String>),
    /// `DELETE`.
    Delete,
}

/// Everything read back.
pub(super) struct Facts {
    pub(super) tables: Vec<Table>,
    pub(super) views: Vec<View>,
    pub(super) triggers: Vec<Trigger>,
    pub(super) functions: Vec<String>,
}

pub(super) fn read(conn: &Connection) -> rusqlite::Result<Facts> {
    let mut tables = Vec::new();
    let mut views = Vec::new();
    let listed: Vec<(String, String, bool, bool)> = conn
        .prepare(
            "SELECT l.name, l.type, l.wr, l.strict FROM pragma_table_list AS l
             JOIN sqlite_schema AS s ON s.name = l.name
             WHERE l.schema = 'main' AND l.type IN ('table', 'view', 'virtual') AND l.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
             ORDER BY s.rowid",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, kind, without_rowid, strict) in listed {
        let sql: String =
            conn.query_row("SELECT coalesce(sql, '') FROM sqlite_schema WHERE name = ?1", [&name], |row| row.get(0))?;
        let columns = columns(conn, &name)?;
        if kind == "view" {
            let query = view_query(&sql);
            views.push(View { name, columns: columns.into_iter().map(|c| c.name).collect(), sql, query });
            continue;
        }
        let mut table = Table {
            name,
            columns,
            strict,
            without_rowid,
            virtual_table: kind == "virtual",
            sql,
            foreign_keys: Vec::new(),
            unique_keys: Vec::new(),
        };
        finish(conn, &mut table)?;
        tables.push(table);
    }
    let triggers = conn
        .prepare("SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY rowid")?
        .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?)))?
        .map(|row| row.map(|(name, table, sql)| trigger(name, table, sql)))
        .collect::<rusqlite::Result<_>>()?;
    let functions = conn
        .prepare("SELECT DISTINCT name FROM pragma_function_list ORDER BY name")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Facts { tables, views, triggers, functions })
}

fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<Column>> {
    conn.prepare(r#"SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?1) ORDER BY cid"#)?
        .query_map([table], |row| {
            let declared_type: String = row.get(1)?;
            let hidden: i64 = row.get(5)?;
            Ok(Column {
                name: row.get(0)?,
                ty: SqlType::from_declared(&declared_type),
                declared_type,
                not_null: row.get(2)?,
                primary_key: row.get::<_, i64>(4)? > 0,
                rowid_alias: false,
                default: row.get(3)?,
                generated: match hidden {
                    2 => Some(Generated::Virtual),
                    3 => Some(Generated::Stored),
                    _ => None,
                },
            })
        })?
        .collect()
}

/// Fills in what the pragmas do not say: the rowid alias, the primary key's NOT NULL in a
/// `WITHOUT ROWID` table, and booleans.
fn finish(conn: &Connection, table: &mut Table) -> rusqlite::Result<()> {
    if !table.without_rowid && !table.virtual_table {
        // SQLite reports the `INTEGER PRIMARY KEY` as the origin of `rowid` exactly when it
        // is an alias (a `DESC` one or an `INT PRIMARY KEY` is not).
        let sql = format!("SELECT rowid FROM \"{}\"", table.name.replace('"', "\"\""));
        let statement = conn.prepare(&sql)?;
        let origin = statement.columns_with_metadata().next().and_then(|c| c.origin_name().map(str::to_owned));
        if let Some(origin) = origin
            && let Some(column) = table.columns.iter_mut().find(|c| c.name.eq_ignore_ascii_case(&origin))
        {
            column.rowid_alias = true;
            column.not_null = true;
        }
    }
    if !table.virtual_table {
        table.foreign_keys = keys::foreign_keys(conn, &table.name)?;
        table.unique_keys = keys::unique_keys(conn, &table.name)?;
    }
    if table.without_rowid {
        for column in table.columns.iter_mut().filter(|c| c.primary_key) {
            column.not_null = true;
        }
    }
    for name in boolean_checks(&table.sql) {
        if let Some(column) = table.columns.iter_mut().find(|c| c.name.eq_ignore_ascii_case(&name))
            && matches!(column.ty, Some(SqlType::Integer) | None)
        {
            column.ty = Some(SqlType::Bool);
        }
    }
    Ok(())
}

/// The columns a `CHECK (col IN (0, 1))` (or `(1, 0)`) constrains, in a `CREATE TABLE`.
fn boolean_checks(create: &str) -> Vec<String> {
    let Ok(tokens) = sql::lexer_tokens(create) else { return Vec::new() };
    let mut names = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if !token.is_word("CHECK") || !tokens.get(i + 1).is_some_and(|t| t.is_open_paren()) {
            continue;
        }
        let Some(close) = sql::matching_paren(&tokens, i + 1) else { continue };
        let inner = &create[tokens[i + 1].span.end..tokens[close].span.start];
        let Ok(expr) = sql::parse_expr(inner) else { continue };
        if let ExprKind::InList { negated: false, expr, list } = &expr.kind
            && let ExprKind::Column { table: None, column, .. } = &expr.kind
            && list.len() == 2
        {
            let mut values: Vec<&str> = list
                .iter()
                .filter_map(|e| match &e.kind {
                    ExprKind::Literal(Literal::Integer(text)) => Some(text.as_str()),
                    _ => None,
                })
                .collect();
            values.sort_unstable();
            if values == ["0", "1"] {
                names.push(column.text.clone());
            }
        }
    }
    names
}

/// The text after the `AS` that ends a `CREATE VIEW … AS` header.
fn view_query(create: &str) -> String {
    let Ok(tokens) = sql::lexer_tokens(create) else { return String::new() };
    let mut depth = 0usize;
    for token in &tokens {
        if token.is_open_paren() {
            depth += 1;
        } else if token.is_close_paren() {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && token.is_word("AS") {
            return create[token.span.end..].trim().to_owned();
        }
    }
    String::new()
}

fn trigger(name: String, table: String, sql: String) -> Trigger {
    let tokens = sql::lexer_tokens(&sql).unwrap_or_default();
    let mut event = TriggerEvent::Insert;
    let mut begin = None;
    for (i, token) in tokens.iter().enumerate() {
        if token.is_word("DELETE") {
            event = TriggerEvent::Delete;
            break;
        }
        if token.is_word("INSERT") {
            break;
        }
        if token.is_word("UPDATE") {
            let mut columns = Vec::new();
            if tokens.get(i + 1).is_some_and(|t| t.is_word("OF")) {
                for t in &tokens[i + 2..] {
                    if t.is_word("ON") {
                        break;
                    }
                    if let Some(word) = t.name() {
                        columns.push(word.to_owned());
                    }
                }
            }
            event = TriggerEvent::Update(columns);
            break;
        }
    }
    for (i, token) in tokens.iter().enumerate() {
        if token.is_word("BEGIN") {
            begin = Some(i);
            break;
        }
    }
    let mut body = Vec::new();
    if let Some(begin) = begin {
        let end = tokens.iter().rposition(|t| t.is_word("END")).unwrap_or(tokens.len());
        let mut start = begin + 1;
        for i in begin + 1..end {
            if tokens[i].is_semicolon() {
                if i > start {
                    body.push(sql[tokens[start].span.start..tokens[i - 1].span.end].to_owned());
                }
                start = i + 1;
            }
        }
        if end > start {
            body.push(sql[tokens[start].span.start..tokens[end - 1].span.end].to_owned());
        }
    }
    Trigger { name, table, event, sql, body }
}
