//! Checking one named query: [`check`] prepares it against the schema, parses and types it,
//! and returns its row type, parameters and kind, or every problem at once.

#[cfg(test)]
mod tests;

use crate::annotation;
use crate::diagnostic::{self, Diagnostic, DiagnosticKind, KEYWORDS};
use crate::infer::{Infer, ParamFacts};
use crate::schema::Schema;
use crate::sql::{self, Span, Statement};
use crate::types::SqlType;

pub use crate::infer::Param;

/// A query that passed: its tree, its kind, the row it returns and the parameters it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The statement (for the tenancy analysis: see [`sql::occurrences`]).
    pub statement: Statement,
    /// What kind of statement it is.
    pub kind: StatementKind,
    /// The columns of each row it returns, in order: a `SELECT`'s result columns or a
    /// write's `RETURNING` columns; empty for a write without `RETURNING`.
    pub fields: Vec<Field>,
    /// Its parameters, in the order they first appear.
    pub params: Vec<Param>,
    /// It writes nothing (SQLite's `sqlite3_stmt_readonly`).
    pub readonly: bool,
}

impl Checked {
    /// Whether it returns rows (a `SELECT`, or a write with `RETURNING`): the macro offers
    /// many / one / optional row; otherwise it offers the affected-row count.
    pub fn returns_rows(&self) -> bool {
        !self.fields.is_empty()
    }
}

/// The kind of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// `SELECT` (also `VALUES`, `WITH … SELECT`).
    Select,
    /// `INSERT` or `REPLACE`.
    Insert,
    /// `UPDATE`.
    Update,
    /// `DELETE`.
    Delete,
}

/// One column of the rows a query returns: a field of the row type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its name: the alias without its annotation, or SQLite's name for the column.
    pub name: String,
    /// Its type.
    pub ty: SqlType,
    /// Whether it may be NULL (`Option<T>`).
    pub nullable: bool,
    /// The table column it is, when it is one.
    pub origin: Option<Origin>,
    /// Whether an annotation set its type or nullability.
    pub annotated: bool,
    /// The result column in the query text (or the `*` it came from).
    pub span: Span,
}

/// The table column a result column is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The table.
    pub table: String,
    /// The column.
    pub column: String,
}

/// Checks one named query against `schema`: exactly one statement, valid for SQLite, every
/// name known, every result column and parameter typed. Returns every problem found.
pub fn check(schema: &Schema, sql: &str) -> Result<Checked, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let Some(text) = first_statement(sql, &mut problems) else { return Err(problems) };
    refuse_unnamed_params(text, &mut problems);
    let parsed = sql::parse(text);
    let prepared = prepare(schema, text);
    let (readonly, sqlite_columns) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => {
            let first = diagnostic::from_sqlite(text, &error, &|kind| candidates(schema, kind));
            problems.push(first);
            // SQLite stops at the first problem; the resolver finds the other unknown names.
            if let Ok(statement) = &parsed {
                let mut infer = Infer::new(schema, ParamFacts::default());
                infer.statement(statement);
                for problem in infer.problems {
                    if !problems.iter().any(|p| p.span == problem.span || p.message == problem.message) {
                        problems.push(problem);
                    }
                }
            }
            return Err(sorted(problems));
        }
    };
    let statement = match parsed {
        Ok(statement) => statement,
        Err(error) => {
            let help = if error.unsupported {
                unsupported_help(text)
            } else {
                "this is a bug in orion-sql-check (SQLite accepts the query); please report it".to_owned()
            };
            let message = if error.unsupported {
                error.message
            } else {
                format!("orion-sql-check cannot parse this query: {}", error.message)
            };
            problems.push(Diagnostic::new(DiagnosticKind::Unsupported, message, help, Some(error.span)));
            return Err(sorted(problems));
        }
    };
    // The first pass finds unknown names and what the parameters must be; the second types
    // the columns with the parameters known.
    let mut infer = Infer::new(schema, ParamFacts::default());
    infer.statement(&statement);
    for problem in infer.problems.drain(..) {
        problems.push(Diagnostic {
            kind: DiagnosticKind::Unsupported,
            message: format!("{}, though SQLite accepts the query", problem.message),
            help: "this is a bug in orion-sql-check; please report it".to_owned(),
            ..problem
        });
    }
    let mut facts = std::mem::take(&mut infer.params);
    let (params, param_problems) = facts.resolve();
    problems.extend(param_problems);
    let typed = Infer::new(schema, facts).statement(&statement);
    let fields = fields(typed.columns, &sqlite_columns, &mut problems);
    if !problems.is_empty() {
        return Err(sorted(problems));
    }
    let kind = match &statement {
        Statement::Select(_) => StatementKind::Select,
        Statement::Insert(_) => StatementKind::Insert,
        Statement::Update(_) => StatementKind::Update,
        Statement::Delete(_) => StatementKind::Delete,
    };
    Ok(Checked { statement, kind, fields, params, readonly })
}

/// The text of the first statement (the whole text when it is one); a problem for a second,
/// and `None` when there is none.
fn first_statement<'a>(sql: &'a str, problems: &mut Vec<Diagnostic>) -> Option<&'a str> {
    let Ok(spans) = sql::statement_spans(sql) else { return Some(sql) };
    match spans.as_slice() {
        [] => {
            problems.push(Diagnostic::new(
                DiagnosticKind::Syntax,
                "the query is empty".to_owned(),
                "write one `SELECT`, `INSERT`, `UPDATE` or `DELETE` statement".to_owned(),
                None,
            ));
            None
        }
        [_] => Some(sql),
        [first, second, ..] => {
            let count = spans.len();
            problems.push(Diagnostic::new(
                DiagnosticKind::MultipleStatements,
                format!("a named query is exactly one statement, and this one has {count}"),
                "make each statement a named query of its own (or one statement that does both, e.g. with `RETURNING`)"
                    .to_owned(),
                Some(Span::new(second.start, spans[count - 1].end)),
            ));
            Some(&sql[..first.end])
        }
    }
}

/// `?`, `?1`, `@x`, `$x`: named queries take `:name` parameters, which become named
/// arguments.
fn refuse_unnamed_params(text: &str, problems: &mut Vec<Diagnostic>) {
    let Ok(tokens) = sql::lexer_tokens(text) else { return };
    for token in tokens {
        let written = &text[token.span.range()];
        let (message, help) = if written.starts_with('?') {
            (
                format!("positional parameter `{written}` is not supported"),
                "name it, e.g. `:title`: a named parameter becomes a named argument".to_owned(),
            )
        } else if written.len() > 1 && written.starts_with(['@', '$', '#']) && token.name().is_none() {
            let name = written[1..].split("::").next().unwrap_or_default();
            (format!("parameter `{written}` is not written with `:`"), format!("write `:{name}`"))
        } else {
            continue;
        };
        problems.push(Diagnostic::new(DiagnosticKind::Parameter, message, help, Some(token.span)));
    }
}

/// A result column as SQLite reports it: its name and origin.
struct SqliteColumn {
    name: String,
    origin: Option<(String, String)>,
}

/// Prepares the statement; returns whether it is read-only and its result columns.
fn prepare(schema: &Schema, text: &str) -> Result<(bool, Vec<SqliteColumn>), rusqlite::Error> {
    let conn = schema.connection();
    let statement = conn.prepare(text)?;
    let columns = statement
        .columns_with_metadata()
        .map(|c| SqliteColumn {
            name: c.name().to_owned(),
            origin: c.table_name().zip(c.origin_name()).map(|(t, o)| (t.to_owned(), o.to_owned())),
        })
        .collect();
    Ok((statement.readonly(), columns))
}

/// The fields, from the typed columns, SQLite's names and the annotations.
fn fields(typed: Vec<crate::infer::OutColumn>, sqlite: &[SqliteColumn], problems: &mut Vec<Diagnostic>) -> Vec<Field> {
    if typed.len() != sqlite.len() {
        problems.push(Diagnostic::new(
            DiagnosticKind::Unsupported,
            format!("orion-sql-check counts {} result columns where SQLite counts {}", typed.len(), sqlite.len()),
            "this is a bug in orion-sql-check; list the columns instead of `*` meanwhile".to_owned(),
            None,
        ));
        return Vec::new();
    }
    let mut fields = Vec::new();
    for (column, reported) in typed.into_iter().zip(sqlite) {
        // An expression without an alias is named by its text, which is no annotation (even
        // when it holds a `:` of a parameter).
        let parsed = if column.name.is_empty() {
            Ok(annotation::Annotation { name: reported.name.clone(), nullable: None, ty: None })
        } else {
            annotation::parse(&reported.name)
        };
        let annotation = match parsed {
            Ok(annotation) => annotation,
            Err(message) => {
                problems.push(Diagnostic::new(
                    DiagnosticKind::Annotation,
                    message,
                    "see the annotation syntax in orion-sql-check's README".to_owned(),
                    Some(column.span),
                ));
                continue;
            }
        };
        let origin = column.value.origin.clone().or_else(|| reported.origin.clone());
        let Some(ty) = annotation.ty.or(column.value.ty) else {
            problems.push(Diagnostic::new(
                DiagnosticKind::UnknownType,
                format!("the type of result column `{}` cannot be inferred", annotation.name),
                format!(
                    "annotate it in its alias, e.g. `AS \"{}: i64\"` (or `f64`, `String`, `Vec<u8>`, `bool`); \
                     a STRICT table with declared types makes this unnecessary",
                    if annotation.name.is_empty() { "name" } else { &annotation.name }
                ),
                Some(column.span),
            ));
            continue;
        };
        fields.push(Field {
            name: annotation.name,
            ty,
            nullable: annotation.nullable.unwrap_or(column.value.nullable),
            origin: origin.map(|(table, column)| Origin { table, column }),
            annotated: annotation.ty.is_some() || annotation.nullable.is_some(),
            span: column.span,
        });
    }
    fields
}

/// What to do with a statement orion-sql-check does not take: another kind of statement, or
/// a form of a query it cannot analyse.
fn unsupported_help(text: &str) -> String {
    let tokens = sql::lexer_tokens(text).unwrap_or_default();
    let first = tokens.first();
    let is = |word: &str| first.is_some_and(|t| t.is_word(word));
    if is("CREATE") || is("DROP") || is("ALTER") {
        "change the schema in a migration (`src/<feature>/migrations/<YYYYMMDDHHMMSS>_<name>.sql`), which the \
         store applies at boot and the checker reads"
            .to_owned()
    } else if is("PRAGMA") {
        "the store sets the pragmas it relies on when it opens a connection: run any other one once at boot, \
         through the store, not as a named query"
            .to_owned()
    } else if is("ATTACH") || is("DETACH") {
        "a named query reaches only the tables the migrations create: declare the data there".to_owned()
    } else if ["VACUUM", "ANALYZE", "REINDEX", "EXPLAIN"].iter().any(|w| is(w)) {
        "run maintenance through the store itself, outside feature code".to_owned()
    } else if ["BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"].iter().any(|w| is(w)) {
        "a named query runs inside the transaction the store opens: call it inside `store.transaction(…)` or \
         `store.write(…)` instead"
            .to_owned()
    } else {
        "rewrite the query with the forms orion-sql-check's README lists".to_owned()
    }
}

/// The names a misspelt name of `kind` may have meant.
fn candidates(schema: &Schema, kind: DiagnosticKind) -> Vec<String> {
    match kind {
        DiagnosticKind::NoSuchTable => schema
            .tables()
            .iter()
            .map(|t| t.name.clone())
            .chain(schema.views().iter().map(|v| v.name.clone()))
            .collect(),
        DiagnosticKind::NoSuchColumn => {
            schema.tables().iter().flat_map(|t| t.columns.iter().map(|c| c.name.clone())).collect()
        }
        DiagnosticKind::NoSuchFunction => schema.functions().to_vec(),
        DiagnosticKind::Syntax => KEYWORDS.iter().map(|k| (*k).to_owned()).collect(),
        _ => Vec::new(),
    }
}

/// Problems in the order they appear in the query (those without a place last).
fn sorted(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    problems.sort_by_key(|p| p.span.map_or(usize::MAX, |s| s.start));
    problems
}
